"""Property test: CSV exports read as columns and imported through People (the columns
of coded respondents) give exactly what the former path gives: each sheet a list per row,
coded row by row, and a Respondent per respondent through the duplicates, the counts,
the spelling of insatser and the tidy tables (git 7ca84d7, kept below as the reference).

Hypothesis draws several CSV files of one survey: messy answers, "vet ej", ja/nej coded
1/0, Kön and År wrong or missing, short and empty rows, å/ä/ö and invisible characters,
svars-ids listed twice with the same or other answers, insatser spelt several ways or
named "Alla", a file given twice (the same bytes) and rows of one export pasted into
another. Compared: the three tables (values and dtypes), every sheet's report and every
problem (code, message, file, sheet, row, column, value) in order.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import replace
from itertools import chain, groupby
from operator import attrgetter, methodcaller
from pathlib import Path
from unittest import mock

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_columns_property import ANSWERS, GENDERS, GROUPS, QUESTIONNAIRE, row_by_row

from indikator.errors import IndikatorError, Location, Problem
from indikator.importing import (
    ALL_GROUP,
    ANSWER_COLUMNS,
    NO_ANSWER_COLUMNS,
    RESPONDENT_COLUMNS,
    ImportOptions,
    import_files,
)
from indikator.importing.answers import fits_16_bits
from indikator.importing.coding import Respondent
from indikator.importing.duplicates import _copied_files, _forbund, _same_exports
from indikator.importing.model import TEXT_COLUMNS, SheetReport, documented
from indikator.importing.people import coded_pairs as _coded
from indikator.importing.sheet import import_sheet
from indikator.questionnaires import load_catalog
from indikator.reading import read_file
from indikator.reading.delimited import text_lines
from indikator.reading.grid import ColumnGrid, column_of, widest
from indikator.text import name_key, short_name

CATALOG = load_catalog()


# ---- the former path: a list per row, a Respondent per respondent (git 7ca84d7) ----

def reference_import(paths: list[Path], options: ImportOptions):
    """import_files as it was, for CSV files of one survey (no side sheets, none hidden)."""
    sheets = [replace(s, rows=[list(r) for r in s.rows]) for p in paths for s in read_file(p)]
    reports: list[SheetReport] = []
    respondents: list[Respondent] = []
    problems: list[Problem] = []
    with mock.patch("indikator.importing.sheet.code_wide", row_by_row):
        for index, sheet in enumerate(sheets):
            problems.extend(sheet.notes)
            report, coded = import_sheet(sheet, CATALOG, options, problems)
            reports.append(report)
            for r in coded:
                respondents.append(replace(r, source=index))
    respondents, duplicates, conflicting = set_aside_duplicates(
        respondents, reports, [sheet.file for sheet in sheets], problems)
    _count_respondents(reports, respondents, duplicates, conflicting)
    if sheets and not respondents and not any(p.severity == "error" for p in problems):
        why = ("inget blad har kolumner som känns igen som frågor; se varningarna"
               if any(r.rows_unread for r in reports) else "bara rubriker eller tomma rader")
        problems.append(Problem("no-data", f"Inga enkätsvar hittades i filerna ({why}).",
                                Location(", ".join(map(str, paths)))))
    _unify_group_spelling(respondents, problems)
    return (*_tables(_fields(respondents)), reports, problems)


def set_aside_duplicates(respondents: list[Respondent], reports: list[SheetReport],
                         files: list[Path], problems: list[Problem]
                         ) -> tuple[list[Respondent], list[Respondent], list[Respondent]]:
    """Returns (kept, duplicates counted once, conflicting ones: errors).

    files: each report's file (by report index, as Respondent.source).
    """
    by_source: dict[int, list[Respondent]] = {}
    for source, people in groupby(respondents, key=attrgetter("source")):
        by_source.setdefault(source, []).extend(people)  # import_files gives them by sheet
    repeated = {source: np.zeros(len(people), dtype=bool)
                for source, people in by_source.items()}
    copies = _copied_files(files, problems)
    for source in copies:
        if source in repeated:
            repeated[source][:] = True
    _same_exports(by_source, reports, copies, repeated, problems)
    first, duplicates = respondents, []
    if any(marks.any() for marks in repeated.values()):
        position = dict.fromkeys(by_source, 0)
        first = []
        for r in respondents:
            k = position[r.source]
            position[r.source] = k + 1
            (duplicates if repeated[r.source][k] else first).append(r)
    kept, listed_twice, conflicting = _drop_duplicate_ids(first, problems)
    return kept, duplicates + listed_twice, conflicting


def _drop_duplicate_ids(respondents: list[Respondent], problems: list[Problem]
                        ) -> tuple[list[Respondent], list[Respondent], list[Respondent]]:
    """The same (förbund, survey, year, svars-id) twice in one sheet: once if identical,
    else an error. Ids of other sheets and files are other people's.

    Returns (kept, duplicates set aside, conflicting ones: errors).
    """
    first: dict[tuple, Respondent] = {}
    kept, duplicates, conflicting = [], [], []
    for r in respondents:
        if r.id is None:
            kept.append(r)
            continue
        key = (r.source, _forbund(r.forbund), r.survey, r.year, r.id)
        if key not in first:
            first[key] = r
            kept.append(r)
            continue
        earlier = first[key]
        where = f"{earlier.file}{', blad ' + repr(earlier.sheet) if earlier.sheet else ''}, " \
                f"rad {earlier.row}"
        location = Location(r.file, r.sheet, r.row)
        if (earlier.answers, earlier.no_answers, earlier.group, earlier.gender) == (
                r.answers, r.no_answers, r.group, r.gender):
            problems.append(Problem(
                "duplicate-respondent", f"Svars-id {r.id} finns redan ({where}) med samma svar; "
                "räknas en gång.", location, severity="warning"))
            duplicates.append(r)
        else:
            problems.append(Problem(
                "conflicting-respondent", f"Svars-id {r.id} finns redan ({where}) med andra svar; "
                "ta bort den felaktiga raden.", location))
            conflicting.append(r)  # the run stops on the error
    return kept, duplicates, conflicting


def _count_respondents(reports: list[SheetReport], kept: list[Respondent],
                       duplicates: list[Respondent], conflicting: list[Respondent]) -> None:
    """Each sheet's rows used, respondents and answers, counted from who was kept."""
    for r in kept:
        report = reports[r.source]
        report.rows_used += r.rows
        report.respondents += 1
        report.answers += len(r.answers)
        report.no_answer += len(r.no_answers)
        report.blanks += r.blanks
    for r in duplicates:
        reports[r.source].rows_duplicate += r.rows
    for r in conflicting:
        reports[r.source].rows_error += r.rows


def _unify_group_spelling(respondents: list[Respondent], problems: list[Problem]) -> None:
    """Treat 'Coachingteam' and 'coachingteam ' as one group, under the commonest spelling.

    Only true spelling variants are merged (text.name_key). An insats named like the
    total ("Alla") is renamed "Alla (insats)", so it never mixes with the total.
    """
    warned = set()
    for r in respondents:
        if r.group is not None and name_key(r.group) == name_key(ALL_GROUP):
            if (r.survey, r.group) not in warned:
                warned.add((r.survey, r.group))
                problems.append(Problem(
                    "group-named-all", f"En insats heter \"{r.group}\", som summan av alla "
                    f"svarande; den kallas \"{ALL_GROUP} (insats)\" i paketet.",
                    Location(r.file, r.sheet, r.row), severity="warning"))
            r.group = f"{ALL_GROUP} (insats)"
    spellings: dict[tuple[str, str], dict[str, int]] = {}
    for r in respondents:
        if r.group is not None:
            counts = spellings.setdefault((r.survey, name_key(r.group)), {})
            counts[r.group] = counts.get(r.group, 0) + 1
    chosen = {}
    for (survey, _), counts in spellings.items():
        names = sorted(counts, key=lambda n: (-counts[n], n))
        for name in names:
            chosen[(survey, name)] = names[0]
        if len(names) > 1:
            problems.append(Problem(
                "group-spelling", "Insatsen skrivs på flera sätt ("
                + ", ".join(repr(short_name(n, 60)) for n in names[:5]) + "); alla räknas som "
                f"{short_name(names[0], 60)!r}.", Location(survey), severity="warning"))
    for r in respondents:
        if r.group is not None:
            r.group = chosen[(r.survey, r.group)]


TABLE_FIELDS = ("survey", "version", "year", "uid", "group", "gender", "forbund", "file",
                "sheet", "row", "answers", "no_answers")


def _fields(respondents: list[Respondent]) -> dict[str, list]:
    """The respondents' fields the tables are made of, a list each (in C, not a Python
    loop), so that the respondents themselves can go before the tables are made."""
    return {name: list(map(attrgetter(name), respondents)) for name in TABLE_FIELDS}


def _tables(fields: dict[str, list]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The tidy tables, built column by column: each respondent's background once, then
    repeated for each of its answers (np.repeat), never a Python tuple per answer.
    fields: _fields(respondents), emptied as its lists are used."""
    base = {
        "survey": np.array(fields.pop("survey"), dtype=object),
        "version": np.array(fields.pop("version"), dtype=object),
        "year": np.array(fields.pop("year"), dtype=np.int64),
        "respondent": np.array(fields.pop("uid"), dtype=object),
        "group": np.array(fields.pop("group"), dtype=object),
        "gender": pd.array(fields.pop("gender"), dtype="Int64"),
    }

    def per_item(columns: list[str], counts: np.ndarray, last: tuple) -> pd.DataFrame:
        """A row per answer, made column by column: a dict of all columns would be copied
        whole into pandas' blocks, holding the table twice at its largest."""
        table = pd.DataFrame(index=pd.RangeIndex(int(counts.sum())))
        for name in columns[:-2]:
            table[name] = base[name].repeat(counts)
        table[columns[-2]], table[columns[-1]] = last
        return table

    items = fields.pop("answers")
    counts = _counts(items)
    coded = _coded(items, int(counts.sum()))
    del items  # the Answers go before the table is made
    year = base["year"]
    base["year"] = _narrow(year)  # a row per answer: 16-bit numbers, a quarter of 64
    answers = per_item(ANSWER_COLUMNS, counts, coded)
    base["year"] = year
    items = fields.pop("no_answers")
    counts = _counts(items)
    no_answers = per_item(NO_ANSWER_COLUMNS, counts, (
        np.fromiter(chain.from_iterable(items), dtype=np.int64, count=int(counts.sum())),
        list(chain.from_iterable(map(methodcaller("values"), items)))))  # inferred as the
    # constructor would
    people = pd.DataFrame({**base, "forbund": fields.pop("forbund"),
                           "file": fields.pop("file"), "sheet": fields.pop("sheet"),
                           "row": np.array(fields.pop("row"), dtype=np.int64)},
                          columns=RESPONDENT_COLUMNS)
    return answers, people, no_answers


def _counts(items: list[Mapping]):
    return np.fromiter(map(len, items), dtype=np.int64, count=len(items))


def _narrow(numbers):
    """int64 numbers as int16 when every one fits (years, question numbers and codes
    always do; a number that does not keeps the whole column at int64)."""
    if not len(numbers) or fits_16_bits([int(numbers.min()), int(numbers.max())]):
        return numbers.astype(np.int16)
    return numbers


# ---- the property ----

IDS = [None, "R1", "R1", "R2", " R 3 ", "4", "R\u00e44", "R5"]
INSATSER = [*GROUPS, "Vård", "VÃ¥rd", "Team\u200bA", "alla"]
FORBUND = [None, "Norra", "NORRA ", "Södra"]
YEARS = [None, "2025", " 2025 ", "2025,0", "abc", "1800", "2026"]
STATUSES = [None, "Komplett", "Ofullständig", "oklart"]


def as_text(value) -> str:
    """A cell as a CSV export writes it."""
    if value is None:
        return ""
    return str(int(value) if isinstance(value, float) and value.is_integer() else value)


@st.composite
def exports(draw):
    """CSV files of one survey (some a copy of another, or holding another's rows), and
    the options they are read with."""
    numbers = draw(st.lists(st.sampled_from(QUESTIONNAIRE.numbers), min_size=1, unique=True))
    background = draw(st.lists(st.sampled_from(["År", "Insats", "Kön", "Id", "Förbund",
                                                "Status"]), unique=True))
    headers = background + [QUESTIONNAIRE.question(n).text for n in numbers]
    headers = [headers[i] for i in draw(st.permutations(range(len(headers))))]
    pools = {"År": YEARS, "Insats": INSATSER, "Kön": GENDERS, "Id": IDS, "Förbund": FORBUND,
             "Status": STATUSES}
    row = st.tuples(*[st.sampled_from(pools.get(h, ANSWERS)) for h in headers])
    files: list[list[list[str]]] = []
    for _ in range(draw(st.integers(1, 3))):
        rows = [[as_text(v) for v in draw(row)] for _ in range(draw(st.integers(0, 10)))]
        for k in range(len(rows)):
            cut = draw(st.integers(0, 6))
            if cut == 0:  # a short row, or an empty line
                rows[k] = rows[k][:draw(st.integers(0, len(rows[k])))]
        if rows and draw(st.booleans()):  # a respondent listed twice
            rows.append(list(draw(st.sampled_from(rows))))
        if files and draw(st.booleans()):  # another export's rows, pasted in
            earlier = draw(st.sampled_from(files))
            at = draw(st.integers(0, len(rows)))
            rows = rows[:at] + earlier + rows[at:]
        files.append(rows)
    delimiter = draw(st.sampled_from([";", ","]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
    copies = [draw(st.booleans()) for _ in files]  # a file given twice, the same bytes
    options = ImportOptions(
        survey="deltagare_avslut", year=draw(st.sampled_from([None, 2025])),
        skip_invalid=draw(st.booleans()),
        incomplete=draw(st.sampled_from([None, "include", "exclude"])),
        yes_no=draw(st.sampled_from(["auto", "1/2", "1/0"])))
    return headers, files, delimiter, encoding, copies, options


def written(folder: Path, headers: list[str], files: list[list[list[str]]], delimiter: str,
            encoding: str, copies: list[bool]) -> list[Path]:
    paths = []
    for k, rows in enumerate(files):
        out = io.StringIO()
        csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows([headers, *rows])
        try:
            data = out.getvalue().encode(encoding)
        except UnicodeEncodeError:
            data = out.getvalue().encode("utf-8")
        for copy in range(1 + copies[k]):
            path = folder / f"deltagare_avslut_2025_{k}{'_kopia' * copy}.csv"
            path.write_bytes(data)
            paths.append(path)
    return paths


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(exports())
def test_csv_columns_import_as_rows_did(tmp_path_factory, drawn):
    headers, files, delimiter, encoding, copies, options = drawn
    folder = tmp_path_factory.mktemp("svar")
    paths = written(folder, headers, files, delimiter, encoding, copies)
    try:
        result = import_files(paths, CATALOG, options)
    except IndikatorError as error:  # a file that cannot be read (two encodings in one)
        with pytest.raises(IndikatorError) as expected:
            reference_import(paths, options)
        assert (str(error), error.problems) == (str(expected.value), expected.value.problems)
        return
    answers, people, no_answers, reports, problems = reference_import(paths, options)
    assert result.problems == problems
    assert result.reports == reports
    for table, expected in ((result.answers, answers), (result.respondents, people),
                            (result.no_answers, no_answers)):
        # the import keeps texts as categories and Kön as Int8; as documented, the same
        # (an empty text column is object now, where a list made it float64 before)
        texts = [c for c in TEXT_COLUMNS if c in table and table is not result.respondents]
        if not len(expected):
            expected = expected.astype(dict.fromkeys(texts, object))
        pd.testing.assert_frame_equal(documented(table), documented(expected),
                                      check_exact=True)
        if table is not result.respondents:
            assert all(isinstance(table[c].dtype, pd.CategoricalDtype) for c in texts)
            assert table["gender"].dtype == "Int8"  # Kön's codes (1, 2, 3) fit


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["a", None, "", " b", "1"]), max_size=6), max_size=12),
       st.lists(st.integers(1, 12), max_size=4), st.integers(0, 13), st.integers(0, 13),
       st.integers(0, 7))
def test_column_grid_reads_as_its_rows(rows, chunks, start, stop, index):
    """A grid of columns is the list of rows it was made of, whatever the chunks."""
    grid, at = ColumnGrid(), 0
    for size in [*chunks, len(rows)]:
        grid.extend(rows[at:at + size])
        at += size
    assert grid == rows and list(grid) == rows and len(grid) == len(rows)
    assert grid[start:stop] == rows[start:stop]
    assert list(grid.rows(start, min(stop, len(rows)))) == rows[start:stop]
    if rows:
        assert grid[start % len(rows)] == rows[start % len(rows)] and grid[-1] == rows[-1]
    assert column_of(grid, index, start, stop) == column_of(rows, index, start, stop)
    assert column_of(grid, index) == column_of(rows, index)
    assert widest(grid) == widest(rows)
    with pytest.raises(IndexError):
        grid[len(rows)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a", "b;c", "\n", "\r", "\r\n", "\u2028", "\x0b", "\x1c",
                                 "\u0085", "xyz"]), max_size=60), st.integers(1, 8))
def test_text_lines_as_one_stringio(parts, size):
    """Lines read a piece at a time are the lines of the whole text (csv.reader's input)."""
    text = "".join(parts)
    assert list(text_lines(text, size)) == list(io.StringIO(text, newline=""))
