"""The report chart: 100 % stacked horizontal bars, one per question, Fråga 1 on top."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from plotnine import ggplot, labs, theme

from ..questionnaires import Catalog, Question
from ..stats import ALL, Distributions
from ..text import slug
from ..theme import CAPTION_WRAP, WIDTH_IN, theme_indikator
from .bars import legend_rows, segments, stacked_bars
from .block import QuestionBlock, caption

ROUNDING_NOTE = ("Andel av dem som svarat på frågan. Procenten är avrundade var för sig, "
                 "så summan kan bli 99\u00a0% eller 101\u00a0%.")


@dataclass(frozen=True)
class ChartSpec(QuestionBlock):
    """One chart: a run of consecutive questions on one scale, for one group and year."""

    survey: str
    survey_name: str
    year: int
    group: str
    respondents: int
    questions: tuple[Question, ...]
    data: pd.DataFrame  # the distribution rows of these questions

    @property
    def file_stem(self) -> str:
        """Predictable: deltagare_pagaende_2025_coachingteam_fraga1-3."""
        return f"{self.survey}_{self.year}_{slug(self.group)}_fraga{self.span}"

    @property
    def title(self) -> str:
        return f"{self.survey_name} {self.year} – {self.group_label}"

    @property
    def subtitle(self) -> str:
        return (f"{self.span_label} · svarsskala: {self.scale.name.lower()} · "
                f"{self.respondents} svarande")


def chart_specs(dist: Distributions, catalog: Catalog) -> list[ChartSpec]:
    """Every chart of a pack, in report order: survey, year, group (Alla first), block."""
    specs = []
    shown = dist.groups[dist.groups["shown"]]
    for row in shown.itertuples(index=False):
        questionnaire = catalog.get(row.survey, int(row.year))
        data = dist.table[(dist.table["survey"] == row.survey)
                          & (dist.table["year"] == row.year)
                          & (dist.table["group"] == row.group)]
        for block in questionnaire.blocks():
            numbers = [q.number for q in block]
            rows = data[data["question"].isin(numbers)]
            if rows["n"].sum() == 0:
                continue  # nobody answered any question of the block: no chart to draw
            specs.append(ChartSpec(
                row.survey, questionnaire.name, int(row.year), row.group, int(row.respondents),
                block, rows.reset_index(drop=True),
            ))
    order = {g: (g != ALL, g) for g in shown["group"]}
    return sorted(specs, key=lambda s: (catalog.ids.index(s.survey), s.year, order[s.group],
                                        s.questions[0].number))


def bar_label(number: int, n: int) -> str:
    return f"Fråga {number} (n={n})"


def question_caption(questions: tuple[Question, ...], width: int = CAPTION_WRAP) -> str:
    """The question texts under the chart, then the rounding note."""
    return caption(questions, ROUNDING_NOTE, width)


def plot_data(spec: ChartSpec) -> pd.DataFrame:
    """The rows drawn: one per bar and category, in scale order, with label text and colour."""
    df = segments(spec.data, spec.scale)
    n_by_q = df.groupby("question")["n"].first()
    bars = [bar_label(q.number, int(n_by_q.get(q.number, 0))) for q in spec.questions]
    df["bar"] = pd.Categorical(
        [bar_label(q, int(n)) for q, n in zip(df["question"], df["n"], strict=True)],
        categories=bars[::-1],  # coord_flip draws the first level at the bottom
    )
    return df.sort_values(["question", "category"]).reset_index(drop=True)


def chart_height(spec: ChartSpec) -> float:
    """Inches: room for the bars, title, legend and every caption line (never clipped)."""
    caption_lines = question_caption(spec.questions).count("\n") + 1
    return (1.45 + 0.42 * len(spec.questions) + 0.17 * caption_lines
            + 0.2 * legend_rows(spec.scale) + 0.22 * spec.extra_title_lines)


def stacked_chart(spec: ChartSpec) -> ggplot:
    """The report's stacked-bar chart for one ChartSpec."""
    return (
        ggplot(plot_data(spec))
        + stacked_bars(spec.scale)
        + labs(title=spec.title_lines, subtitle=spec.subtitle,
               caption=question_caption(spec.questions))
        + theme_indikator()
        + theme(figure_size=(WIDTH_IN, chart_height(spec)))
    )
