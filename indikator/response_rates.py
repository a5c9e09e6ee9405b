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

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .errors import EXIT_INPUT, IndikatorError, Location, Problem
from .importing.headers import header_text
from .numbers import whole
from .questionnaires import Catalog
from .reading import Sheet, read_file
from .stats import ALL
from .text import compact, fold, name_key

SHEET_NAME = "svarsfrekvens"
RATE_COLUMNS = ["survey", "year", "group", "answers", "asked", "declined", "response_rate"]
HEADERS = {"enkat": "survey", "ar": "year", "insats": "group", "verksamhet": "group",
           "tillfragade": "asked", "antal tillfragade": "asked", "tackat nej": "declined",
           "antal tackat nej": "declined"}


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


def read_rate_sheets(sheets: list[Sheet], catalog: Catalog) -> list[RateRow]:
    """The rows of every Svarsfrekvens sheet; a row that cannot be read stops the run."""
    rows, problems = [], []
    for sheet in sheets:
        rows += _parse(sheet, catalog, problems)
    if problems:
        raise IndikatorError("Svarsfrekvensen kan inte läsas.", problems, exit_code=EXIT_INPUT)
    return rows


def read_rate_file(path: Path, catalog: Catalog) -> list[RateRow]:
    """`--svarsfrekvens FILE`: a CSV, or a workbook's Svarsfrekvens sheet (or only sheet)."""
    sheets = read_file(Path(path))
    chosen = [s for s in sheets if is_rate_sheet(s)] or sheets[:1]
    return read_rate_sheets(chosen, catalog)


def _parse(sheet: Sheet, catalog: Catalog, problems: list[Problem]) -> list[RateRow]:
    filled = [(i, row) for i, row in enumerate(sheet.rows) if any(v is not None for v in row)]
    if not filled:
        return []
    head_index, head = filled[0]
    columns = {}
    for c, value in enumerate(head):
        role = HEADERS.get(fold(header_text(value)))
        if role:
            columns[role] = c
    missing = {"survey", "asked"} - set(columns)
    if missing:
        problems.append(Problem(
            "bad-response-rates", "Bladet Svarsfrekvens behöver kolumnerna Enkät och "
            "Tillfrågade (och kan ha År, Insats, Tackat nej).", sheet.location(head_index + 1)))
        return []
    out = []
    for i, row in filled[1:]:
        def cell(role, row=row):
            c = columns.get(role)
            return row[c] if c is not None and c < len(row) else None

        where = sheet.location(i + 1)
        survey = catalog.find(header_text(cell("survey")))
        if survey is None:
            problems.append(Problem("bad-response-rates", "Enkäten känns inte igen.", where,
                                    value=header_text(cell("survey")),
                                    expected=", ".join(catalog.ids)))
            continue
        numbers = {}
        for role in ("year", "asked", "declined"):
            value = cell(role)
            if value is None:
                numbers[role] = None
                continue
            try:
                number = float(str(value).replace(",", ".").strip())
            except ValueError:
                number = -1.0
            if not number.is_integer() or number < 0:
                problems.append(Problem("bad-response-rates", "Ett heltal väntas.",
                                        sheet.location(i + 1, columns[role]),
                                        value=header_text(value)))
                numbers[role] = -1
            else:
                numbers[role] = int(number)
        if numbers["asked"] is None:
            problems.append(Problem("bad-response-rates", "Antal tillfrågade saknas.", where))
            continue
        if -1 in numbers.values():
            continue
        group = header_text(cell("group")) or ALL
        out.append(RateRow(survey, numbers["year"], group, numbers["asked"],
                           numbers["declined"], where))
    return out


def response_rates(rows: list[RateRow], groups: pd.DataFrame
                   ) -> tuple[pd.DataFrame, list[Problem]]:
    """RATE_COLUMNS for the shown groups, and a warning for every figure that does not add up.

    groups: the distributions' group table (survey, year, group, respondents, shown).
    """
    table, problems = [], []
    for row in rows:
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
        if answers > row.asked or (row.declined is not None
                                   and answers + row.declined > row.asked):
            problems.append(Problem(
                "response-rate-mismatch", f"Siffrorna går inte ihop: {answers} svar"
                + (f" och {row.declined} som tackat nej" if row.declined is not None else "")
                + f" men {row.asked} tillfrågade. Raden visas ändå; kontrollera den.",
                row.location, severity="warning"))
        rate = 100 * answers / row.asked if row.asked else float("nan")
        table.append((row.survey, year, group["group"], answers, row.asked, row.declined, rate))
    frame = pd.DataFrame(table, columns=RATE_COLUMNS)
    frame["declined"] = frame["declined"].astype("Int64")
    return frame, problems


def rate_sentence(row) -> str:
    """'24 svar av 39 tillfrågade (62 %), 15 tackade nej', as annual reports write it."""
    text = f"{row.answers} svar av {row.asked} tillfrågade"
    if row.asked:
        text += f" ({whole(row.response_rate)}\u00a0%)"
    if not pd.isna(row.declined):
        text += f", {int(row.declined)} tackade nej"
    return text
