"""The board deck as a model: which slides, and what each says, before any layout.

Built from the report alone, with the numbers the documents print (document.py's
respondents, rates, goals and changes tables), so the deck can publish nothing the PDF
does not; renderers/slides.py lays it out with python-pptx.

    title · per survey: who answered, this year's charts for all · goals · changes
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from indikator.analysis.compare import REAL_CHANGES
from indikator.charts.kinds import DISTRIBUTION
from indikator.questionnaires import Catalog
from indikator.report.document import (
    HIDDEN_CELL,
    SURVEY_WHO,
    alt_text,
    change_rows,
    figure_title,
    goals_table,
    privacy_sentence,
    rates_table,
)
from indikator.report.summary import count
from indikator.text import short_name
from indikator.words import ALL

NBSP_EQUALS = "\u00a0=\u00a0"  # "n = 40" kept on one line
NO_CERTAIN_CHANGE = "Ingen förändring från i fjol är säker."


@dataclass(frozen=True)
class TitleSlide:
    title: str
    subtitle: str  # the förbund
    lines: tuple[str, ...]  # what the deck is, the marker of example data


@dataclass(frozen=True)
class TableSlide:
    """A title, lines and a table; the renderer continues a long table on more slides."""

    title: str
    lines: tuple[str, ...]  # above the table
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]  # relative column widths
    numeric: tuple[bool, ...]  # right-aligned columns
    notes: str = ""  # below the table, smaller


@dataclass(frozen=True)
class ChartSlide:
    title: str
    image: Path  # the documents' copy of the chart
    alt: str  # every number of the chart, the picture's description
    notes: str  # the question texts, for the speaker


@dataclass(frozen=True)
class Deck:
    title: str
    marker: str  # "Exempeldata – påhittat förbund", or ""
    slides: tuple


def deck_title(report) -> tuple[str, int | None]:
    """'Indikatorer för finansiell samordning 2025' (the latest year), as the documents."""
    years = [int(y) for y in report.distributions.groups["year"]]
    year = max(years) if years else None
    return f"Indikatorer för finansiell samordning {year or ''}".strip(), year


def latest_years(report) -> dict[str, int]:
    """Each survey's latest year, in the catalog's order."""
    groups = report.distributions.groups
    found = groups.groupby("survey", observed=True)["year"].max().to_dict()
    return {s: int(found[s]) for s in report.catalog.ids if s in found}


def group_name(group: str) -> str:
    return "Alla" if group == ALL else short_name(group)


def title_slide(report) -> TitleSlide:
    title, _ = deck_title(report)
    lines = ("Resultat av NNS indikatorenkäter, underlag till styrelsen",)
    if report.marker:
        lines += (report.marker.upper(),)
    return TitleSlide(title, report.forbund or "Samordningsförbundet", lines)


def rate_cells(report, survey: str, year: int) -> dict[str, tuple[str, str, str]]:
    """group → (tillfrågade, tackat nej, svarsfrekvens) as rates_table prints them; only
    the published rates (a hidden group has none)."""
    rates = report.rates
    if rates is None or rates.empty:
        return {}
    mine = rates[(rates["survey"] == survey) & (rates["year"] == year)]
    table = rates_table(mine, report.catalog)
    return {g: row[4:7] for g, row in zip(mine["group"], table.rows, strict=True)}


def respondent_rows(report, survey: str, year: int) -> list[tuple[str, ...]]:
    """Alla first, then each group: its size, or 'för få svar' and nothing else when it
    is hidden (grupper.csv publishes no size of a hidden group, and neither does this)."""
    groups = report.distributions.groups
    mine = groups[(groups["survey"] == survey) & (groups["year"] == year)]
    rates = rate_cells(report, survey, year)
    rows = []
    for r in sorted(mine.itertuples(index=False), key=lambda r: (r.group != ALL, r.group)):
        if not r.shown:
            rows.append((group_name(r.group), HIDDEN_CELL, *(("", "", "") if rates else ())))
            continue
        size = str(int(r.respondents))
        rows.append((group_name(r.group), size, *(rates.get(r.group, ("", "", ""))
                                                  if rates else ())))
    return rows


def respondent_slides(report, survey: str, year: int) -> list[TableSlide]:
    name = report.catalog.get(survey).name
    rows = respondent_rows(report, survey, year)
    with_rates = bool(rate_cells(report, survey, year))
    header = ("Grupp", "Svarande") + (("Tillfrågade", "Tackat nej", "Svarsfrekvens")
                                      if with_rates else ())
    widths = (4, 2, 2, 2, 2) if with_rates else (4, 2)
    who = SURVEY_WHO.get(survey)
    lines = (f"Svarar: {who}.",) if who else ()
    hidden = any(row[1] == HIDDEN_CELL for row in rows)
    return [TableSlide(f"Vilka svarade: {name} {year}", lines, header, tuple(rows), widths,
                       (False, *(True,) * (len(header) - 1)),
                       privacy_sentence(report.min_n) if hidden else "")]


def question_notes(figure) -> str:
    """'Fråga 1: …' for each question of a chart, one a line (the speaker's notes)."""
    return "\n".join(f"Fråga {q.number}: {q.text}" for q in figure.spec.questions)


def chart_slides(report, images: Path, survey: str, year: int) -> list[ChartSlide]:
    """This year's charts of all respondents, one a slide."""
    return [ChartSlide(figure_title(f), images / f"{f.stem}.png", alt_text(f),
                       question_notes(f))
            for f in report.figures
            if f.kind == DISTRIBUTION.name and f.survey == survey
            and f.spec.year == year and f.spec.group == ALL]


def goal_slides(report) -> list[TableSlide]:
    """The board's goals as the documents print them (goals_table)."""
    goals = report.goals
    if goals is None or goals.empty:
        return []
    table = goals_table(goals)
    rows = [(name, report.catalog.get(survey).name, who, value.replace(" = ", NBSP_EQUALS),
             last, target, verdict)
            for (name, who, _, value, last, target, verdict), survey
            in zip(table.rows, goals["survey"], strict=True)]
    return [TableSlide("Styrelsens mål", (), ("Mål", "Enkät", "Grupp", "I år", "I fjol",
                                              "Målnivå", "Bedömning"), tuple(rows),
                       (2.8, 1.9, 1.3, 2.8, 0.9, 1.3, 1.8), (False,) * 7)]


def certain_changes(changes: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """The rows whose whole interval lies above or below 0: Alla first, then the groups."""
    real = changes[changes["verdict"].isin(REAL_CHANGES)]
    order = {s: i for i, s in enumerate(catalog.ids)}
    key = real.assign(_other=real["group"] != ALL, _survey=real["survey"].map(order))
    return key.sort_values(["_other", "_survey", "group", "question"], kind="stable")[
        list(changes.columns)]


def compared_line(changes: pd.DataFrame) -> str:
    """'66 frågor jämförda med i fjol, 6 med säker förändring.'"""
    compared = int(changes["change_pp"].notna().sum())
    real = int(changes["verdict"].isin(REAL_CHANGES).sum())
    return (f"{count(compared, 'fråga', 'frågor')} jämförda med i fjol (alla svarande och "
            f"varje grupp), {real} med säker förändring.")


def change_slides(report) -> list[TableSlide]:
    """The certain changes from last year, or that there are none."""
    changes = report.changes
    title = "Säkra förändringar från i fjol"
    if changes is None or changes.empty:
        return [TableSlide(title, ("Ingen jämförelse med i fjol: bara ett år i underlaget.",),
                           (), (), (), ())]
    real = certain_changes(changes, report.catalog)
    lines = (compared_line(changes),)
    if real.empty:
        return [TableSlide(title, (*lines, NO_CERTAIN_CHANGE), (), (), (), ())]
    printed = change_rows(real)  # (question, i fjol, i år, förändring, marginal, verdict)
    rows = [(report.catalog.get(r.survey).name, group_name(r.group),
             f"{r.question}. {short_name(r.question_text, 90)}", *cells[1:6])
            for r, cells in zip(real.itertuples(index=False), printed, strict=True)]
    notes = ("Säker: hela felmarginalen för förändringen ligger över eller under 0. "
             "Felmarginalen är bredare när flera frågor jämförs på en gång (se Så läses "
             "siffrorna i bilagan).")
    return [TableSlide(title, lines, ("Enkät", "Grupp", "Fråga", "I fjol", "I år",
                                      "Förändring", "Felmarginal", "Bedömning"), tuple(rows),
                       (1.8, 1.5, 3.0, 0.9, 0.8, 1.4, 1.5, 1.8),
                       (False, False, False, True, True, True, True, False), notes)]


def build_deck(report, images: Path) -> Deck:
    """Every slide of the deck, in order; the texts printable (escaping.document)."""
    from indikator.escaping import document as printable_document

    slides: list = [title_slide(report)]
    for survey, year in latest_years(report).items():
        slides += respondent_slides(report, survey, year)
        slides += chart_slides(report, images, survey, year)
    slides += goal_slides(report)
    slides += change_slides(report)
    return printable_document(Deck(deck_title(report)[0], report.marker, tuple(slides)))
