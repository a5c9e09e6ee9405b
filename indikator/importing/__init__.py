"""Export files + questionnaires -> a tidy table of answers, with every row accounted for.

Modules: `headers` (where the header is, what each column holds), `values`
(reading one cell), `sheet` (one sheet to coded respondents, any layout), and
`duplicates` (who is one person: a svars-id within an export, an export given
twice), and this one, which combines sheets: duplicates set aside, the spelling of
insatser, and the tidy tables.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from itertools import chain
from operator import methodcaller
from pathlib import Path

import numpy as np
import pandas as pd

from indikator.errors import EXIT_INPUT, IndikatorError, Location, Problem
from indikator.importing.answers import fits_16_bits
from indikator.importing.duplicates import set_aside_duplicates
from indikator.importing.heap import give_back
from indikator.importing.model import (
    ANSWER_COLUMNS,
    EXCLUDE,
    INCLUDE,
    NO_ANSWER_COLUMNS,
    RESPONDENT_COLUMNS,
    YES_NO_10,
    YES_NO_12,
    YES_NO_AUTO,
    Column,
    ImportOptions,
    ImportResult,
    SheetReport,
    column_letter,
    documented,
)
from indikator.importing.people import People, lengths, narrowed
from indikator.importing.sheet import import_sheet
from indikator.importing.values import code_value, parse_year
from indikator.questionnaires import Catalog
from indikator.reading import Sheet, expand_paths, files_below, hidden_below, read_file
from indikator.text import compact, name_key, short_name

ALL_GROUP = "Alla"  # the total's name (stats.ALL); importing does not depend on stats
RATE_SHEET = "svarsfrekvens"  # a sheet of asked/declined figures (response_rates.py)
GOAL_SHEET = "mal"  # a sheet named Mål: the board's goals (input/goal_sheets.py)
SIDE_SHEETS = (RATE_SHEET, GOAL_SHEET)

__all__ = ["ANSWER_COLUMNS", "EXCLUDE", "INCLUDE", "RESPONDENT_COLUMNS", "YES_NO_10", "YES_NO_12",
           "YES_NO_AUTO", "Column", "ImportOptions", "ImportResult", "SheetReport", "code_value",
           "column_letter", "import_files", "parse_year"]


def import_files(paths: Sequence[Path], catalog: Catalog, options: ImportOptions | None = None,
                 root: Path | None = None, **kwargs) -> ImportResult:
    """Read and code every sheet of every file.

    Options come as an ImportOptions or as its fields (survey=, year=,
    skip_invalid=, incomplete=, yes_no=). Unreadable files raise at once
    (IndikatorError, exit code 2); problems in the content are collected in
    `problems` for the caller to report together.
    root: name each file by its place under this folder ('Norra/styrelse.xlsx'), not by
        its name alone: a folder per förbund holds files of the same name.
    """
    options = options or ImportOptions(**kwargs)
    with no_cycle_collection():
        return _import_files(paths, catalog, options, root)


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Python's cycle collector paused while a file becomes a million small objects: it
    would walk them all again and again (40 % of an import of 100,000 rows). Nothing
    made here forms a cycle, so reference counting frees it all as before."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _import_files(paths: Sequence[Path], catalog: Catalog, options: ImportOptions,
                  root: Path | None = None) -> ImportResult:
    given = [Path(p) for p in paths]
    paths, skipped = expand_paths(given)
    # files in folders below those given, and not given themselves (Norra/2024/ is, in a
    # folder-per-förbund run)
    below = [f.relative_to(g.parent) for g in given if g.is_dir() for f in files_below(g)
             if f.parent not in given]
    if options.survey is not None and options.survey not in catalog.ids:
        raise IndikatorError(
            f"Okänd enkät '{options.survey}' (--survey). Kända: {', '.join(catalog.ids)}.",
            exit_code=EXIT_INPUT)
    seen: set[Path] = set()
    for path in paths:
        try:
            key = Path(path).resolve()
        except (OSError, RuntimeError):  # a link that points at itself, through others
            raise IndikatorError(f"Kan inte läsa {path}: länken pekar i en slinga och leder "
                                 "aldrig till en fil.", exit_code=EXIT_INPUT) from None
        if key in seen:
            raise IndikatorError(
                f"Filen {path} anges två gånger; svaren skulle räknas dubbelt.",
                exit_code=EXIT_INPUT)
        seen.add(key)
    sheets = [_named(sheet, root) for path in paths for sheet in read_file(Path(path))]
    side = [s for s in sheets if compact(s.name) in SIDE_SHEETS]  # not survey sheets
    sheets = [s for s in sheets if compact(s.name) not in SIDE_SHEETS]
    reports: list[SheetReport] = []
    parts: list[People] = []
    problems: list[Problem] = [
        Problem("excel-lock-file", "Excels låsfil (arbetsboken är öppen i Excel); hoppas över.",
                Location(lock.name), severity="warning") if lock.name.startswith("~$")
        else Problem("not-read", "Filen är dold (namnet börjar med en punkt) och lästes inte.",
                     Location(lock.name), severity="warning") for lock in skipped]
    folders_below = sorted({f.parent for f in below})
    if not paths:
        hint = (" Det finns exportfiler i undermapparna " + ", ".join(
            str(f) for f in folders_below[:3]) + (" …" if len(folders_below) > 3 else "")
                + ": ange en undermapp, eller kör med --per-forbund om det är en mapp per "
                "förbund." if below else "")
        raise IndikatorError("Inga exportfiler att läsa (.xlsx, .xls, .ods, .csv)." + hint,
                             problems, exit_code=EXIT_INPUT)
    problems += [Problem(
        "not-read", "Mappen är dold (namnet börjar med en punkt); dess exportfiler lästes "
        "inte.", Location(h.relative_to(g.parent).as_posix()), severity="warning")
        for g in given if g.is_dir() and g.parent not in given for h in hidden_below(g)]
    problems += [Problem(
        "not-read", "Undermappen har exportfiler som inte lästes (bara filerna direkt i den "
        "angivna mappen läses). En mapp per förbund? Kör med --per-forbund.",
        Location(str(folder)), severity="warning") for folder in folders_below]
    for index in range(len(sheets)):
        _import_one(_taken(sheets, index), index, catalog, options, reports, parts, problems)
    people = People.concat(parts) if parts else People.of([])
    del parts
    give_back()  # what the sheets' cells held, before the tables are made (heap.py)
    kept, duplicates, conflicting = set_aside_duplicates(
        people, reports, [sheet.file for sheet in sheets], problems)
    _count_respondents(reports, people, kept, duplicates, conflicting)
    if sheets and not kept.any() and not any(p.severity == "error" for p in problems):
        why = ("inget blad har kolumner som känns igen som frågor; se varningarna"
               if any(r.rows_unread for r in reports) else "bara rubriker eller tomma rader")
        problems.append(Problem("no-data", f"Inga enkätsvar hittades i filerna ({why}).",
                                Location(", ".join(map(str, paths)))))
    people = people.taken(kept)
    _unify_group_spelling(people, problems)
    give_back()  # the duplicate check's hash tables
    return ImportResult(*_tables(people), reports, problems, side)


def _taken(sheets: list[Sheet], index: int) -> Sheet:
    """The sheet at `index`, leaving it in the list without its grid of cells: once read,
    the grid (a list per row, 100,000 of them in a big export) is let go at once."""
    sheet = sheets[index]
    sheets[index] = replace(sheet, rows=[])
    return sheet


def _import_one(sheet: Sheet, index: int, catalog: Catalog, options: ImportOptions,
                reports: list[SheetReport], parts: list[People],
                problems: list[Problem]) -> None:
    """One sheet's report and respondents (source: its index), or a hidden sheet's note."""
    if sheet.hidden:
        reports.append(SheetReport(sheet.label, sheet.sheet, note="dolt blad; lästes inte"))
        problems.append(Problem(
            "hidden-sheet", "Bladet är dolt i arbetsboken och lästes inte. Visa bladet "
            "(eller flytta svaren till ett synligt blad) om svaren ska räknas.",
            sheet.location(), severity="warning"))
        return
    problems.extend(sheet.notes)
    report, coded = import_sheet(sheet, catalog, options, problems, release=True)
    reports.append(report)
    coded.source[:] = index
    parts.append(coded)


def _named(sheet, root: Path | None):
    """The sheet named by its file's place under `root`, in its notes too."""
    if root is None:
        return sheet
    try:
        label = sheet.file.relative_to(root).as_posix()
    except ValueError:
        return sheet
    notes = tuple(replace(n, location=replace(n.location, file=label))
                  if n.location.file == sheet.file.name else n for n in sheet.notes)
    return replace(sheet, shown_as=label, notes=notes)


def _count_respondents(reports: list[SheetReport], people: People, kept: np.ndarray,
                       duplicates: np.ndarray, conflicting: np.ndarray) -> None:
    """Each sheet's rows used, respondents and answers, counted from who was kept
    (kept, duplicates, conflicting: which of `people` are)."""
    n = len(reports)
    source = people.source

    def per_sheet(chosen: np.ndarray, weights: np.ndarray | None = None) -> list[int]:
        sums = np.bincount(source[chosen], None if weights is None else weights[chosen],
                           minlength=n)
        return [int(x) for x in sums.tolist()]

    no_answer = lengths(people.no_answers)
    counted = zip(per_sheet(kept, people.rows), per_sheet(kept), per_sheet(kept, people.counts),
                  per_sheet(kept, no_answer), per_sheet(kept, people.blanks),
                  per_sheet(duplicates, people.rows), per_sheet(conflicting, people.rows),
                  strict=True)
    for report, (used, respondents, answers, unanswered, blanks, repeated, wrong) in zip(
            reports, counted, strict=True):
        report.rows_used += used
        report.respondents += respondents
        report.answers += answers
        report.no_answer += unanswered
        report.blanks += blanks
        report.rows_duplicate += repeated
        report.rows_error += wrong


def _unify_group_spelling(people: People, problems: list[Problem]) -> None:
    """Treat 'Coachingteam' and 'coachingteam ' as one group, under the commonest spelling.

    Only true spelling variants are merged (text.name_key). An insats named like the
    total ("Alla") is renamed "Alla (insats)", so it never mixes with the total. Each
    (survey, insats) is looked at once, in the order the respondents first give it.
    """
    if not len(people):
        return
    surveys, survey_names = pd.factorize(np.array(people.survey, dtype=object))
    groups, group_names = pd.factorize(np.array(people.group, dtype=object))  # None: -1
    width = len(group_names) + 1
    pairs, keys = pd.factorize(surveys * width + groups + 1)  # in order of first sight
    firsts = np.unique(pairs, return_index=True)[1].tolist()
    sizes = np.bincount(pairs).tolist()
    survey_of = [survey_names[k // width] for k in keys.tolist()]
    group_of = [None if k % width == 0 else group_names[k % width - 1] for k in keys.tolist()]
    for p, group in enumerate(group_of):
        if group is not None and name_key(group) == name_key(ALL_GROUP):
            r = firsts[p]
            problems.append(Problem(
                "group-named-all", f"En insats heter \"{group}\", som summan av alla "
                f"svarande; den kallas \"{ALL_GROUP} (insats)\" i paketet.",
                Location(people.file[r], people.sheet[r], int(people.row[r])),
                severity="warning"))
            group_of[p] = f"{ALL_GROUP} (insats)"
    spellings: dict[tuple[str, str], dict[str, int]] = {}
    for survey, group, size in zip(survey_of, group_of, sizes, strict=True):
        if group is not None:
            counts = spellings.setdefault((survey, name_key(group)), {})
            counts[group] = counts.get(group, 0) + size
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
    named = [None if group is None else chosen[(survey, group)]
             for survey, group in zip(survey_of, group_of, strict=True)]
    people.group = np.array(named, dtype=object)[pairs].tolist()


def _tables(people: People) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The tidy tables, built column by column: each respondent's background once, then
    repeated for each of its answers, never a Python tuple per answer. Texts are pandas
    categories (a small code per row; model.documented gives them back as text) and Kön
    8-bit: an object column costs 8 bytes per answer, most of an import's memory.
    people: emptied as its columns are used."""
    fields = vars(people)
    for unused in ("id", "rows", "blanks", "source"):  # (the svars-ids: 5 MB at 100,000)
        del fields[unused]
    prefixes, rows = fields.pop("prefix"), fields.pop("row")
    uids: list[str] = []
    for start in range(0, len(rows), 4096):  # (not a number object per row at once)
        uids += map("".join, zip(prefixes[start:start + 4096],
                                 map(str, rows[start:start + 4096].tolist()), strict=True))
    del prefixes
    base = {
        "survey": _categories(fields.pop("survey")),
        "version": _categories(fields.pop("version")),
        "year": fields.pop("year"),
        "respondent": _categories(uids),
        "group": _categories(fields.pop("group")),
        "gender": _small_ints(fields.pop("gender")),
    }
    del uids

    def per_item(columns: list[str], counts: np.ndarray, last: tuple) -> pd.DataFrame:
        """A row per answer, made column by column: a dict of all columns would be copied
        whole into pandas' blocks, holding the table twice at its largest."""
        table = pd.DataFrame(index=pd.RangeIndex(int(counts.sum())))
        for name in columns[:-2]:
            table[name] = base[name].repeat(counts)
        table[columns[-2]], table[columns[-1]] = last
        return table

    give_back()  # the lists the categories were made of
    counts = fields.pop("counts")
    coded = narrowed(fields.pop("questions"), fields.pop("codes"))
    year = base["year"]
    base["year"] = _narrow(year)  # a row per answer: 16-bit numbers, a quarter of 64
    answers = per_item(ANSWER_COLUMNS, counts, coded)
    del coded
    give_back()  # pandas' copies of the columns it was given
    base["year"] = year
    items = fields.pop("no_answers")
    counts = lengths(items)
    no_answers = per_item(NO_ANSWER_COLUMNS, counts, (
        np.fromiter(chain.from_iterable(items), dtype=np.int64, count=int(counts.sum())),
        list(chain.from_iterable(map(methodcaller("values"), items)))))  # inferred as the
    # constructor would
    # a row per respondent: the texts as text, as documented (a few bytes a respondent)
    people = documented(pd.DataFrame(
        {**base, "forbund": fields.pop("forbund"), "file": fields.pop("file"),
         "sheet": fields.pop("sheet"), "row": rows}, columns=RESPONDENT_COLUMNS))
    return answers, people, no_answers


def _categories(values: list) -> pd.Categorical:
    """Texts (None: missing) as a categorical, its categories sorted as the texts would
    sort, so that sorting and grouping by it go as they went on the texts."""
    codes, names = pd.factorize(np.array(values, dtype=object), sort=True)
    return pd.Categorical.from_codes(codes, pd.Index(names, dtype=object))


def _small_ints(values: list) -> pd.api.extensions.ExtensionArray:
    """Whole numbers or None (Kön's codes) as Int8 where all fit, else Int64."""
    numbers = pd.array(values, dtype="Int64")
    known = numbers[~numbers.isna()]
    if not len(known) or (int(known.min()) >= -128 and int(known.max()) <= 127):
        return numbers.astype("Int8")
    return numbers


def _narrow(numbers):
    """int64 numbers as int16 when every one fits (years, question numbers and codes
    always do; a number that does not keeps the whole column at int64)."""
    if not len(numbers) or fits_16_bits([int(numbers.min()), int(numbers.max())]):
        return numbers.astype(np.int16)
    return numbers
