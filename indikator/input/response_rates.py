"""Response rates (svarsfrekvens): how many answered out of how many were asked.

The survey tool knows who answered; the förbund knows whom it asked and who
declined. They give it as a sheet named `Svarsfrekvens` in any input workbook,
or as a file passed with `--svarsfrekvens`, with the columns Enkät, År, Insats,
Tillfrågade, Tackat nej (År optional when the survey has one year in the run;
Insats blank for the whole survey; Tackat nej optional). Answers are the
respondents in the data; a group hidden for too few answers is hidden here too.
Figures that do not add up are warnings, never silently used or dropped.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from indikator.errors import EXIT_INPUT, IndikatorError, Location, Problem, errors
from indikator.importing.headers import header_text
from indikator.numbers import whole
from indikator.questionnaires import Catalog
from indikator.reading import Sheet, read_file
from indikator.text import compact, fold, forbund_key, name_key
from indikator.words import ALL

SHEET_NAME = "svarsfrekvens"
RATE_COLUMNS = ["survey", "year", "group", "answers", "asked", "declined", "response_rate"]
HEADERS = {"enkat": "survey", "ar": "year", "insats": "group", "verksamhet": "group",
           "tillfragade": "asked", "antal tillfragade": "asked", "tackat nej": "declined",
           "antal tackat nej": "declined", "forbund": "forbund",
           "samordningsforbund": "forbund"}


def is_rate_sheet(sheet: Sheet) -> bool:
    """A `Svarsfrekvens` sheet is input about the survey, never a survey sheet."""
    return compact(sheet.name) == SHEET_NAME


@dataclass(frozen=True)
class RateRow:
    survey: str
    year: int | None
    group: str  # ALL for the whole survey
    asked: int
    declined: int | None
    location: Location
    forbund: str | None = None  # whose figures, when one sheet holds many förbund's


MAX_ASKED = 10_000_000  # far above any survey; a larger figure is a typing error
YEARS = (1990, 2100)  # as the importer accepts them


def read_rate_sheets(sheets: list[Sheet], catalog: Catalog) -> list[RateRow]:
    """The rows of every Svarsfrekvens sheet; a row that cannot be read stops the run.

    Checked here, without the answers: survey known, year 1990–2100, Tillfrågade a whole
    number of at least 1, Tackat nej a whole number no larger than Tillfrågade, and one
    row per survey, year and group. (That the answers fit is response_rates's check.)
    """
    rows, problems = [], []
    for sheet in sheets:
        rows += _parse(sheet, catalog, problems)
    problems += errors(_duplicates(rows, by_forbund=True)[0])  # the same twice: a warning later
    if problems:
        raise IndikatorError("Svarsfrekvensen kan inte läsas.", problems, exit_code=EXIT_INPUT)
    return rows


def read_rate_file(path: Path, catalog: Catalog) -> list[RateRow]:
    """`--svarsfrekvens FILE`: a CSV, or a workbook's Svarsfrekvens sheet (or only sheet),
    read through the answers' guards (reading.read_file)."""
    sheets = read_file(Path(path))
    chosen = [s for s in sheets if is_rate_sheet(s)] or sheets[:1]
    return read_rate_sheets(chosen, catalog)


def _duplicates(rows: list[RateRow], years: dict[int, int] | None = None, by_forbund=False
                ) -> tuple[list[Problem], set[int]]:
    """A second row for the same survey, year and group: an error naming both rows when
    their figures differ (which one is right?); a warning when they are the same (the
    same figures in the sheet and in --svarsfrekvens), and the second is not used.

    years: the year each row stands for (index -> year) when rows without År have been
    given their survey's only year; else each row's own year (None matches only None).
    by_forbund: rows of a sheet for many förbund, told apart by their Förbund; else the
        rows of one pack, whatever förbund they name.
    Returns (problems, indices of rows not to use).
    """
    first: dict[tuple, RateRow] = {}
    problems, skip = [], set()
    for i, row in enumerate(rows):
        year = row.year if years is None else years.get(i)
        if years is not None and year is None:
            continue
        # one pack's rows are one förbund's, however they were given: a sheet in its
        # folder and a run-wide file naming it must agree
        key = (forbund_key(row.forbund or "") if by_forbund else "", row.survey, year,
               name_key(row.group))
        if key not in first:
            first[key] = row
            continue
        other = first[key]
        what = f"{row.survey} {year or ''}".rstrip() + (
            "" if row.group == ALL else f", {row.group}")
        skip.add(i)
        if (other.asked, other.declined) == (row.asked, row.declined):
            problems.append(Problem(
                "response-rate-duplicate", f"{what} står redan med samma siffror "
                f"({other.location}); raden används en gång.", row.location,
                severity="warning"))
        else:
            problems.append(Problem(
                "bad-response-rates", f"{what} har redan en rad med andra siffror "
                f"({other.location}: {other.asked} tillfrågade); en rad per enkät, år och "
                "insats.", row.location, value=str(row.asked),
                expected="en rad per enkät, år och insats"))
    return problems, skip


def side_table(sheet: Sheet, headers: dict[str, str]):
    """A sheet typed beside the answers (Svarsfrekvens, Mål): its filled rows (index, row),
    the heading row's index and cells, and the column of each heading `headers` knows
    (folded heading → role; of two headings for one role the last counts). None when the
    sheet is empty."""
    filled = [(i, row) for i, row in enumerate(sheet.rows) if any(v is not None for v in row)]
    if not filled:
        return None
    head_index, head = filled[0]
    columns = {}
    for c, value in enumerate(head):
        role = headers.get(fold(header_text(value)))
        if role:
            columns[role] = c
    return filled, head_index, head, columns


def _parse(sheet: Sheet, catalog: Catalog, problems: list[Problem]) -> list[RateRow]:
    table = side_table(sheet, HEADERS)
    if table is None:
        return []
    filled, head_index, head, columns = table
    missing = {"survey", "asked"} - set(columns)
    if missing:
        problems.append(Problem(
            "bad-response-rates", "Bladet Svarsfrekvens behöver kolumnerna Enkät och "
            "Tillfrågade (och kan ha År, Insats, Tackat nej, Förbund).",
            sheet.location(head_index + 1)))
        return []
    out = []
    bounds = {"year": YEARS, "asked": (1, MAX_ASKED), "declined": (0, MAX_ASKED)}
    expected = {"year": f"ett år {YEARS[0]}–{YEARS[1]}",
                "asked": "ett heltal, minst 1 (antal tillfrågade)",
                "declined": "ett heltal, 0 eller mer (antal som tackat nej)"}
    for i, row in filled[1:]:
        def cell(role, row=row):
            c = columns.get(role)
            return row[c] if c is not None and c < len(row) else None

        def at(role, i=i):
            return sheet.location(i + 1, columns[role], header_text(head[columns[role]]))

        where = sheet.location(i + 1)
        survey = catalog.find(header_text(cell("survey")))
        if survey is None:
            problems.append(Problem("bad-response-rates", "Enkäten känns inte igen.",
                                    at("survey"), value=header_text(cell("survey")),
                                    expected=", ".join(catalog.ids)))
            continue
        numbers = {}
        for role in ("year", "asked", "declined"):
            value = cell(role)
            if value is None:
                numbers[role] = None
                continue
            number = _whole(value)
            low, high = bounds[role]
            if number is None or not low <= number <= high:
                message = ("Ett heltal väntas." if number is None
                           else "Året är orimligt." if role == "year"
                           else "Talet är orimligt stort." if number > high
                           else "Antal tillfrågade måste vara minst 1 (svarsfrekvensen delar "
                           "med det)." if role == "asked" else "Antalet kan inte vara negativt.")
                problems.append(Problem("bad-response-rates", message, at(role),
                                        value=header_text(value), expected=expected[role]))
                numbers[role] = -1
            else:
                numbers[role] = number
        if numbers["asked"] is None:
            problems.append(Problem("bad-response-rates", "Antal tillfrågade saknas.",
                                    at("asked"), expected=expected["asked"]))
            continue
        if -1 in numbers.values():
            continue
        if numbers["declined"] is not None and numbers["declined"] > numbers["asked"]:
            problems.append(Problem(
                "bad-response-rates", f"Fler har tackat nej ({numbers['declined']}) än som "
                f"tillfrågades ({numbers['asked']}).", at("declined"),
                value=header_text(cell("declined")),
                expected=f"högst {numbers['asked']} (Tillfrågade)"))
            continue
        group = header_text(cell("group")) or ALL
        out.append(RateRow(survey, numbers["year"], group, numbers["asked"],
                           numbers["declined"], where, header_text(cell("forbund")) or None))
    return out


def _whole(value) -> int | None:
    """A whole number from a cell ('39', 39, 39.0, '39,0'), else None (also for bool,
    nan, inf and numbers of absurd length)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if math.isfinite(value) and value.is_integer() else None
    found = re.fullmatch(r"\s*([+-]?\d{1,15})(?:[.,]0*)?\s*", str(value).replace("\u00a0", ""))
    return int(found.group(1)) if found else None


def response_rates(rows: list[RateRow], groups: pd.DataFrame
                   ) -> tuple[pd.DataFrame, list[Problem]]:
    """RATE_COLUMNS for the shown groups, and a problem for every figure that does not add up.

    groups: the distributions' group table (survey, year, group, respondents, shown);
        validate can pass stats.group_sizes(imported.respondents, min_n).
    Errors (severity "error", which stop a pack): more answers than asked, and two rows
    with different figures for the same survey, year and group (also once a row without
    År has its survey's only year). Warnings: a row the answers do not have, a hidden
    group, answers plus declined more than asked, the same row twice (used once).
    """
    table, problems = [], []
    resolved: dict[int, int] = {}
    for i, row in enumerate(rows):
        years = sorted(groups.loc[groups["survey"] == row.survey, "year"].unique())
        year = row.year
        if year is None:
            if len(years) != 1:
                problems.append(Problem(
                    "response-rate-mismatch", "Året saknas, och enkäten har flera år i filerna "
                    f"({', '.join(map(str, years))}); raden används inte.", row.location,
                    severity="warning"))
                continue
            year = int(years[0])
        resolved[i] = year
    duplicates, skip = _duplicates(rows, resolved)
    problems += duplicates
    if errors(duplicates):
        return pd.DataFrame(columns=RATE_COLUMNS), problems
    for i, row in enumerate(rows):
        if i not in resolved or i in skip:
            continue
        year = resolved[i]
        match = groups[(groups["survey"] == row.survey) & (groups["year"] == year)
                       & (groups["group"].map(name_key) == name_key(row.group))]
        if match.empty:
            problems.append(Problem(
                "response-rate-mismatch", f"{row.survey} {year}"
                + ("" if row.group == ALL else f", {row.group}")
                + " finns inte bland svaren; raden används inte.", row.location,
                severity="warning"))
            continue
        group = match.iloc[0]
        if not bool(group["shown"]):  # hidden for too few answers: hidden here too
            problems.append(Problem(
                "response-rate-hidden", f"{row.survey} {year}"
                + ("" if row.group == ALL else f", {row.group}")
                + ": svarsfrekvensen visas inte, eftersom gruppen har för få svar.",
                row.location, severity="warning"))
            continue
        answers = int(group["respondents"])
        if answers > row.asked:
            problems.append(Problem(
                "response-rate-impossible", f"{row.survey} {year}"
                + ("" if row.group == ALL else f", {row.group}")
                + f" har {answers} svar i filerna men {row.asked} tillfrågade; en "
                "svarsfrekvens över 100 % publiceras inte. Rätta Tillfrågade.",
                row.location, value=str(row.asked), expected=f"minst {answers}"))
            continue
        if row.declined is not None and answers + row.declined > row.asked:
            problems.append(Problem(
                "response-rate-mismatch", f"Siffrorna går inte ihop: {answers} svar"
                + f" och {row.declined} som tackat nej"
                + f" men {row.asked} tillfrågade. Raden visas ändå; kontrollera den.",
                row.location, severity="warning"))
        rate = 100 * answers / row.asked
        table.append((row.survey, year, group["group"], answers, row.asked, row.declined, rate))
    frame = pd.DataFrame(table, columns=RATE_COLUMNS)
    frame["declined"] = frame["declined"].astype("Int64")
    return frame, problems


def checked_rates(rows: list[RateRow], groups: pd.DataFrame
                  ) -> tuple[pd.DataFrame, list[Problem]]:
    """response_rates, stopping (exit 1) when a figure cannot be true of the answers
    (more answers than asked); the warnings are returned for the summary."""
    from indikator.errors import EXIT_DATA, NOT_WRITTEN, errors

    frame, found = response_rates(rows, groups)
    if errors(found):
        raise IndikatorError("Svarsfrekvensen går inte ihop med svaren" + NOT_WRITTEN,
                             errors(found), exit_code=EXIT_DATA)
    return frame, found


def rate_sentence(row) -> str:
    """'24 svar av 39 tillfrågade (62 %), 15 tackade nej', as annual reports write it."""
    text = f"{row.answers} svar av {row.asked} tillfrågade"
    if row.asked:
        text += f" ({whole(row.response_rate)}\u00a0%)"
    if not pd.isna(row.declined):
        text += f", {int(row.declined)} tackade nej"
    return text


def forbund_rates(published: dict[str, pd.DataFrame | None], groups: pd.DataFrame
                  ) -> pd.DataFrame | None:
    """The aggregate's response rates, from each förbund's published svarsfrekvens.csv.

    published: förbund -> the rate table its own pack publishes (None: it has none); only
        its rows for the whole survey (group Alla) are used, so a förbund, or a survey of
        one, that its own pack hides adds nothing, and no figure of it can be subtracted.
    groups: the aggregate's group table (Alla, and each förbund as a group).
    Returns RATE_COLUMNS with a row per förbund (group = its name) and an Alla row that
    sums them, only where every förbund shown in that survey and year has a row (else
    the sum would not be the Alla it stands beside); None when no förbund has one.
    """
    rows = []
    shown = groups[groups["shown"] & (groups["group"] != ALL)]
    for (survey, year), members in shown.groupby(["survey", "year"], sort=False, observed=True):
        mine = []
        for name in members["group"]:
            table = published.get(name)
            if table is None or table.empty:
                continue
            row = table[(table["survey"] == survey) & (table["year"] == year)
                        & (table["group"] == ALL)]
            if not row.empty:
                mine.append(row.iloc[0].to_dict() | {"group": name})
        if not mine:
            continue
        rows += sorted(mine, key=lambda r: r["group"].casefold())
        if len(mine) == len(members):
            answers = sum(int(r["answers"]) for r in mine)
            asked = sum(int(r["asked"]) for r in mine)
            declined = (None if any(pd.isna(r["declined"]) for r in mine)
                        else sum(int(r["declined"]) for r in mine))
            rows.insert(len(rows) - len(mine), {
                "survey": survey, "year": year, "group": ALL, "answers": answers,
                "asked": asked, "declined": declined, "response_rate": 100 * answers / asked})
    if not rows:
        return None
    frame = pd.DataFrame(rows, columns=RATE_COLUMNS)
    frame["declined"] = frame["declined"].astype("Int64")
    return frame.astype({"year": int, "answers": int, "asked": int,
                         "response_rate": float})


def without_sum(rates: pd.DataFrame, groups: pd.DataFrame) -> list[tuple[str, int, int, int]]:
    """The aggregate's survey-years whose rates are shown per förbund but not summed:
    (survey, year, förbund with a rate, förbund shown)."""
    out = []
    shown = groups[groups["shown"] & (groups["group"] != ALL)]
    for (survey, year), part in rates.groupby(["survey", "year"], sort=False, observed=True):
        if (part["group"] == ALL).any():
            continue
        members = shown[(shown["survey"] == survey) & (shown["year"] == year)]
        out.append((survey, int(year), len(part), len(members)))
    return out
