"""Two years side by side: each question's bars for the previous and this year, and the change.

Beside each pair stands the change in the share of positive answers, in
percentage points, and under it its confidence interval; ▲/▼ and bold mark a
change whose interval lies wholly above or below 0, plain grey text one that may
be chance. The verdict and the interval are one statement (see compare.py).
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Collection
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd

from indikator.analysis.compare import IMPROVED, NOT_COMPARABLE, REAL_CHANGES, WORSENED
from indikator.charts.bars import (
    TOP_ROOM,
    Bars,
    Rows,
    bar_positions,
    column,
    draw_bars,
    outside_labels,
    scale_legend,
    segments,
)
from indikator.charts.block import QuestionBlock, caption
from indikator.charts.drawing import Drawing
from indikator.charts.frame import frame
from indikator.charts.stacked import (
    group_slugs,
    label_column_in,
    panel_width_in,
    rows_where,
    subtitle,
)
from indikator.charts.theme import CAPTION_WRAP, DARK_TEXT, LABEL_PT
from indikator.numbers import interval, pp
from indikator.questionnaires import Catalog, Question
from indikator.words import ALL, TOO_FEW

AXIS_MAX = 130  # room right of the bars for the change and its interval
CHANGE_AT = 102


@dataclass(frozen=True)
class ComparisonSpec(QuestionBlock):
    """One comparison chart: a block of questions for one group, this year against the last."""

    survey: str
    survey_name: str
    group: str
    year: int
    previous_year: int
    questions: tuple[Question, ...]
    data: pd.DataFrame  # distribution rows of both years
    changes: pd.DataFrame  # rows of the changes table for these questions
    marker: str = ""  # e.g. "Exempeldata – påhittat förbund"
    slug: str = ""  # the group in file names, unique in the pack

    def __post_init__(self) -> None:
        if not self.slug:
            object.__setattr__(self, "slug", group_slugs([self.group])[self.group])

    @property
    def file_stem(self) -> str:
        """Predictable: deltagare_pagaende_2024-2025_alla_fraga1-3."""
        return (f"{self.survey}_{self.previous_year}-{self.year}_{self.slug}"
                f"_fraga{self.span}")

    @property
    def title(self) -> str:
        return (f"{self.survey_name} – {self.group_label}: {self.year} jämfört med "
                f"{self.previous_year}")

    @property
    def subtitle(self) -> str:
        return subtitle(self.marker, self.span_label, self.scale,
                        "till höger: förändring i andel positiva svar")


def comparison_specs(table: pd.DataFrame, changes: pd.DataFrame, catalog: Catalog,
                     marker: str = "", groups: Collection[str] | None = None
                     ) -> list[ComparisonSpec]:
    """One spec per survey, group with data in both years, and block of questions;
    `groups`: only these groups' (the aggregate draws Alla's of its many förbund)."""
    specs = []
    slugs = group_slugs([*table["group"], *changes["group"]])
    compared = changes[changes["n"].notna() | changes["previous_n"].notna()]
    keys = compared[["survey", "group", "year", "previous_year"]].drop_duplicates()
    # split once
    by_group = dict(list(table.groupby(["survey", "group"], sort=False, observed=True)))
    by_year = dict(list(compared.groupby(["survey", "group", "year"], sort=False, observed=True)))
    for key in keys.itertuples(index=False):
        if groups is not None and key.group not in groups:
            continue
        questionnaire = catalog.get(key.survey, int(key.year))
        rows = by_group.get((key.survey, key.group), table.iloc[:0])
        rows = rows[rows["year"].isin([key.year, key.previous_year])]
        mine = by_year[(key.survey, key.group, key.year)]
        compared_questions = set(mine["question"])
        questions, mine_questions = rows["question"].to_numpy(), mine["question"].to_numpy()
        for block in questionnaire.blocks():
            numbers = [q.number for q in block if q.number in compared_questions]
            if not numbers:
                continue
            chosen = tuple(q for q in block if q.number in numbers)
            specs.append(ComparisonSpec(
                key.survey, questionnaire.name, key.group, int(key.year), int(key.previous_year),
                chosen, rows_where(rows, np.isin(questions, numbers)).reset_index(drop=True),
                rows_where(mine, np.isin(mine_questions, numbers)).reset_index(drop=True), marker,
                slugs[key.group]))
    order = {sid: i for i, sid in enumerate(catalog.ids)}
    return sorted(specs, key=lambda s: (order[s.survey], s.group != ALL, s.group,
                                        s.questions[0].number))


def bar_name(question: int, year: int, n: int | None) -> str:
    return f"Fråga {question} · {year} ({TOO_FEW if n is None else f'n={n}'})"


def change_text(row) -> str:
    """'▲ +12 p.e.' for a real change, '+3 p.e.' otherwise; or why there is no number."""
    if row.verdict == NOT_COMPARABLE:
        return NOT_COMPARABLE
    if pd.isna(row.change_pp):
        return TOO_FEW
    marks = {IMPROVED: "▲ ", WORSENED: "▼ "}
    return marks.get(row.verdict, "") + pp(row.change_pp) + " p.e."


def interval_text(row) -> str:
    """'(+9 till +44)', the change's felmarginal, under the change; empty where there is no
    change figure."""
    if pd.isna(row.ci_low_pp):
        return ""
    return f"({interval(row.ci_low_pp, row.ci_high_pp)})"


def bar_levels(spec: ComparisonSpec, rows: Rows, years: list
               ) -> tuple[list[str], dict[tuple[int, int], str]]:
    """The rows top to bottom (each question's previous year, this year, an empty row)
    and the label of each (question, year). `rows`: the spec's data (Rows.of), `years`
    its years."""
    levels: list[str] = []
    names: dict[tuple[int, int], str] = {}
    n_of: dict[tuple[int, int], int] = {}
    for q, year, n in zip(rows.question, years, rows.n, strict=True):
        n_of.setdefault((q, year), int(n))
    for i, q in enumerate(spec.questions):
        for year in (spec.previous_year, spec.year):
            names[(q.number, year)] = bar_name(q.number, year, n_of.get((q.number, year)))
            levels.append(names[(q.number, year)])
        if i < len(spec.questions) - 1:
            levels.append(" " * (i + 1))  # an empty row between the pairs
    return levels, names


class ChangeMark(NamedTuple):
    """The change beside a question's pair of bars: its text, its interval under it, and
    their look."""

    bar: str  # this year's bar of the question
    label: str
    interval: str
    colour: str
    weight: str


CHANGE_FIELDS = ("question", "verdict", "change_pp", "ci_low_pp", "ci_high_pp")
ChangeRow = namedtuple("ChangeRow", CHANGE_FIELDS)  # what change_text and interval_text read


def change_records(changes: pd.DataFrame) -> list[ChangeRow]:
    """The changes' rows with the fields the marks read, as itertuples gives them, without
    making a new row type per chart."""
    return [ChangeRow(*values) for values in zip(*(column(changes, f) for f in CHANGE_FIELDS),
                                                 strict=True)]


def plot_data(spec: ComparisonSpec) -> tuple[Bars, list[ChangeMark]]:
    """Bar segments (previous year above this year, per question) and the change labels."""
    rows, years = Rows.of(spec.data), column(spec.data, "year")
    levels, names = bar_levels(spec, rows, years)
    bar_of = [names[(q, y)] for q, y in zip(rows.question, years, strict=True)]
    drawn = segments(rows, spec.scale, bar_of, AXIS_MAX, panel_width_in(levels))
    order = sorted(range(len(drawn)), key=lambda i: (drawn[i].question, years[i],
                                                       drawn[i].rank))  # stable
    marks = []
    for row in change_records(spec.changes):
        real = row.verdict in REAL_CHANGES
        marks.append(ChangeMark(names[(row.question, spec.year)], change_text(row),
                                interval_text(row), DARK_TEXT if real else "#6b6b6b",
                                "bold" if real else "normal"))
    # the first level is drawn lowest
    return Bars(tuple(levels[::-1]), tuple(drawn[i] for i in order)), marks


def comparison_caption(spec: ComparisonSpec, width: int = CAPTION_WRAP) -> str:
    """The question texts, then what the shares and marks mean."""
    positive = [c.label for c in spec.scale.categories if c.code in spec.scale.positive]
    named = ", ".join(positive[:-1]) + " eller " + positive[-1] if len(positive) > 1 else (
        positive[-1])
    note = (f"Andel positiva = {named}. Till höger: förändringen i andel positiva, i "
            "procentenheter (p.e.), och inom parentes dess felmarginal. ▲/▼ = säker "
            "förändring: hela felmarginalen ligger över eller under 0. Övriga skillnader kan "
            "vara slump och går inte att avgöra med så här många svar. ”Vet ej” o.d. räknas "
            "inte i n. Procenten i staplarna är avrundade var för sig. Mer i avsnittet Så "
            "läses siffrorna.")
    if spec.marker:
        note = f"{spec.marker}. {note}"
    return caption(spec.questions, note, width)


ROW_IN = 0.42  # height per bar row: the bar and the room above it for outside labels


def comparison_chart(spec: ComparisonSpec) -> Drawing:
    """Previous and current year's bars per question, with the change beside each pair."""
    bars, marks = plot_data(spec)
    levels = list(bars.names)
    laid = frame(spec.title_lines, spec.subtitle, comparison_caption(spec),
                 ROW_IN * (len(levels) + 0.1 + TOP_ROOM), label_column_in(levels),
                 scale_legend(spec.scale))
    (panel,) = laid.panels()
    ax = draw_bars(panel, bars, outside_labels(bars, AXIS_MAX, laid.width), spec.scale,
                   AXIS_MAX)
    y_of = bar_positions(bars)
    drawing = laid.drawing
    for mark in marks:
        y = y_of[mark.bar]
        drawing.text(ax.x(CHANGE_AT), ax.y(y + 0.75), mark.label, LABEL_PT + 0.5, mark.colour,
                     va="center", weight=mark.weight, gid="change")
        if mark.interval:
            drawing.text(ax.x(CHANGE_AT), ax.y(y + 0.15), mark.interval, LABEL_PT, mark.colour,
                         va="center", gid="interval")
    return drawing
