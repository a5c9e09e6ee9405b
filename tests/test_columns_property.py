"""Property test: a wide sheet coded column by column (importing/columns.py) gives exactly
what coding it row by row gives: the same respondents, the same counts in the sheet's
report, and the same problems (code, message, file, sheet, row, column, value) in the
same order.

The row-by-row reference is code_records (which long sheets use) over one record per
row, made by wide_records below: the importer's own wide path before it was columnar.
Hypothesis draws messy sheets: codes out of range, blanks and whitespace, text in number
cells, decimal commas, labels with and without codes, "vet ej", ja/nej coded 1/0,
conditional questions answered against their condition, duplicate ids, Kön, År and
status cells that are wrong or missing, short rows, as text (CSV) or typed cells (xlsx).
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indikator.errors import IndikatorError, Problem
from indikator.importing.coding import code_records
from indikator.importing.headers import header_text
from indikator.importing.model import Column, ImportOptions, SheetContext
from indikator.importing.records import SINGLE_ROLES, RawCell, Record
from indikator.importing.sheet import import_sheet
from indikator.questionnaires import load_catalog
from indikator.reading import Sheet
from indikator.reading.cleaning import Repairs
from indikator.reading.delimited import _cell, decode, first_lines, read_delimited

CATALOG = load_catalog()
QUESTIONNAIRE = CATALOG.get("deltagare_avslut", 2025)


def wide_records(ctx: SheetContext, columns: list[Column]) -> list[Record]:
    """A row per respondent: each row is a record (the importer's former wide path)."""
    header, roles, body = ctx.header, ctx.roles, ctx.body
    by_role = {r: i for i, r in roles.items()}
    background = [(role, by_role[role], header.display[by_role[role]])
                  for role in (*SINGLE_ROLES, "status") if role in by_role]
    questions = [(c.question, c.index, c.header) for c in columns if c.role == "question"]
    id_index = by_role.get("id")
    width = 1 + max([i for _, i, _ in background] + [i for _, i, _ in questions]
                    + [id_index or 0])
    records = []
    for row_number, cells in body:
        if len(cells) < width:
            cells = [*cells, *([None] * (width - len(cells)))]
        record = Record([row_number])
        record.background = {role: RawCell(cells[i], row_number, name, i)
                             for role, i, name in background}
        if id_index is not None and (value := cells[id_index]) is not None:
            record.id = header_text(value)
        record.answers = {number: RawCell(cells[i], row_number, name, i)
                          for number, i, name in questions}
        records.append(record)
    return records


def row_by_row(ctx, columns, years, questionnaire):
    return code_records(ctx, wide_records(ctx, columns), years, questionnaire)


ANSWERS = [None, "", " ", 1, 2, 6, 7, 0, -1, 3.0, 2.5, 0.0, True, False, "3", " 4 ", "3,0",
           "3.0", "07", "Alltid", "alltid ", "6 - Alltid", "Alltid (5)", "Alldrig", "Ja",
           "nej", "0 - Nej", "Vet ej", "VET EJ", "Ej aktuellt", "x", "²", "1\u200b",
           "Helt och hållet", "Till stor del", "Ja (1)"]
GENDERS = [None, 1, 2.0, 3, "Kvinna", "man", "7", "x", True, " 2 ", "Uppges ej"]
YEARS = [None, 2025, 2025.0, "2025", "2025,0", " 2025 ", "1800", "abc", "2025-03-01",
         "2026"]
STATUSES = [None, "Komplett", "Ofullständig", "oklart", "complete", 1]
IDS = [None, "R1", "R1", "R2", " R 3 ", 4.0, "R\u00e44"]
GROUPS = [None, "Team A", " team  a", "Team B", 5.0, "Alla"]


@st.composite
def sheets(draw):
    """A wide sheet of the survey with some of its columns, in any order, and its options."""
    numbers = draw(st.lists(st.sampled_from(QUESTIONNAIRE.numbers), min_size=1, unique=True))
    background = draw(st.lists(st.sampled_from(["År", "Insats", "Kön", "Status", "Id"]),
                               unique=True))
    headers = background + [QUESTIONNAIRE.question(n).text for n in numbers]
    order = draw(st.permutations(range(len(headers))))
    headers = [headers[i] for i in order]
    typed = draw(st.booleans())  # xlsx cells (numbers, booleans) or CSV text

    def cell(values):
        value = draw(st.sampled_from(values))
        if typed or value is None:
            return value
        text = str(int(value) if isinstance(value, float) and value.is_integer() else value)
        return text if text.strip() else None  # a CSV blank reads as None

    pools = {"År": YEARS, "Insats": GROUPS, "Kön": GENDERS, "Status": STATUSES, "Id": IDS}
    n = draw(st.integers(0, 12))
    rows: list[list] = [headers]
    for _ in range(n):
        row = [cell(pools.get(h, ANSWERS)) for h in headers]
        if draw(st.integers(0, 5)) == 0:  # a short row: the cells right of its end are blank
            row = row[:draw(st.integers(0, len(row)))]
        rows.append(row)
    options = ImportOptions(
        survey="deltagare_avslut",
        year=draw(st.sampled_from([None, 2025])),
        skip_invalid=draw(st.booleans()),
        incomplete=draw(st.sampled_from([None, "include", "exclude"])),
        yes_no=draw(st.sampled_from(["auto", "1/2", "1/0"])))
    name = draw(st.sampled_from([None, "Svar"]))
    return Sheet(Path("deltagare_avslut.xlsx" if name else "deltagare_avslut.csv"), name,
                 rows), options


def imported(sheet: Sheet, options: ImportOptions, reference: bool):
    """The columnar path as import_files runs it: on a copy of the sheet, whose grid it
    lets go of once coded (release=True), before the respondents are made."""
    problems: list[Problem] = []
    if reference:
        with mock.patch("indikator.importing.sheet.code_wide", row_by_row):
            report, respondents = import_sheet(sheet, CATALOG, options, problems)
    else:
        report, respondents = import_sheet(replace(sheet, rows=[list(r) for r in sheet.rows]),
                                           CATALOG, options, problems, release=True)
    return report, respondents, problems


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sheets())
def test_columns_code_as_rows_do(drawn):
    sheet, options = drawn
    report, respondents, problems = imported(sheet, options, reference=False)
    expected_report, expected_respondents, expected_problems = imported(sheet, options,
                                                                        reference=True)
    assert problems == expected_problems
    assert respondents == expected_respondents
    assert report == expected_report
    assert [type(r.answers[k]) for r in respondents for k in r.answers] == [
        int for r in respondents for _ in r.answers]  # plain ints, not numpy's


TEXTS = st.sampled_from(["3", " ", "", "Vård", "VÃ¥rd", "Kö\u200bn", " 2 ", "Ja", "\u00a0",
                         "a;b", 'sa "x"', "rad\nny", "ÅÄÖ", "x\u200b", "2025", "R1"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(TEXTS, min_size=1, max_size=5), min_size=1, max_size=8),
       st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
def test_csv_cells_read_as_one_by_one(rows, encoding):
    """read_delimited's fast path (rows without anything to tidy) gives the cells that
    tidying every cell gives, with the same repair warning."""
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(
        [["Rubrik"] * max(map(len, rows)), *rows])
    text = out.getvalue()
    if encoding == "cp1252":
        try:
            text.encode("cp1252")
        except UnicodeEncodeError:
            return  # not a Windows-1252 text
    data = text.encode(encoding)
    try:
        text = decode(Path("svar.csv"), data)  # as the reader decodes it
    except IndikatorError:  # two encodings in one file: refused, whichever way cells are read
        with pytest.raises(IndikatorError):
            read_delimited(Path("svar.csv"), data)
        return
    [sheet] = read_delimited(Path("svar.csv"), data)
    repairs = Repairs()
    expected = [[_cell(v, r, c, repairs) for c, v in enumerate(row)]
                for r, row in enumerate(csv.reader(io.StringIO(text, newline=""),
                                                   delimiter=";"))]
    assert sheet.rows == expected
    assert sheet.notes == (repairs.problems(sheet.location(*repairs.first))
                           if repairs.first else ())


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a", "b;c", "\n", "\r", "\r\n", "\u2028", "\x0b", "\x1c",
                                 "\u0085", "x" * 5000]), max_size=60), st.integers(0, 30))
def test_first_lines_as_splitlines(parts, n):
    text = "".join(parts)
    assert first_lines(text, n) == text.splitlines()[:n]
