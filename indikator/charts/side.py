"""Förbund side by side: share positive per förbund and question, with 95 % intervals.

One chart per survey, year and block of questions, a panel per question, a row per
förbund (sorted by name or by share), and a line at the aggregate's share. This is
what a regional council looks at; the numbers are those the förbund publish.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import pandas as pd

from indikator.charts.block import TITLE_WRAP, QuestionBlock, caption
from indikator.charts.drawing import Drawing
from indikator.charts.frame import (
    EDGE_IN,
    axis_labels,
    frame,
    grid,
    intervals,
    points,
    text_width_in,
)
from indikator.charts.stacked import subtitle
from indikator.charts.theme import BASE_SIZE, CAPTION_WRAP, DARK_TEXT
from indikator.options import SORTS as SORTS
from indikator.questionnaires import Catalog, Question
from indikator.text import short_name


@dataclass(frozen=True)
class SideSpec(QuestionBlock):
    survey: str
    survey_name: str
    year: int
    questions: tuple[Question, ...]
    data: pd.DataFrame  # forbund.SIDE_COLUMNS rows of these questions
    overall: dict  # question -> the aggregate's share positive
    sort: str = "namn"
    marker: str = ""
    group: str = "Alla"

    @property
    def file_stem(self) -> str:
        return f"{self.survey}_{self.year}_forbund_fraga{self.span}"

    @property
    def title(self) -> str:
        return f"{self.survey_name} {self.year} – förbunden sida vid sida"

    @property
    def subtitle(self) -> str:
        order = "i bokstavsordning" if self.sort == "namn" else "efter andel positiva"
        return subtitle(self.marker, self.span_label,
                        "andel positiva svar i procent med felmarginal",
                        f"förbunden {order}")


def side_specs(side: pd.DataFrame, overall: pd.DataFrame, catalog: Catalog, sort: str = "namn",
               marker: str = "") -> list[SideSpec]:
    """One spec per survey, year and block with at least two förbund."""
    specs = []
    for (survey, year), part in side.groupby(["survey", "year"], sort=False, observed=True):
        if part["forbund"].nunique() < 2:
            continue
        questionnaire = catalog.get(survey, int(year))
        for block in questionnaire.blocks():
            numbers = [q.number for q in block]
            rows = part[part["question"].isin(numbers)]
            if rows.empty:
                continue
            chosen = tuple(q for q in block if q.number in set(rows["question"]))
            mine = overall[(overall["survey"] == survey) & (overall["year"] == year)]
            shares = dict(zip(mine["question"], mine["share_positive"], strict=True))
            specs.append(SideSpec(survey, questionnaire.name, int(year), chosen,
                                  rows.reset_index(drop=True), shares, sort, marker))
    order = {sid: i for i, sid in enumerate(catalog.ids)}
    return sorted(specs, key=lambda s: (order[s.survey], s.year, s.questions[0].number))


def forbund_order(spec: SideSpec) -> list[str]:
    """Top to bottom: by name, or by the block's mean share positive (highest first)."""
    names = sorted(spec.data["forbund"].unique(), key=str.casefold)
    if spec.sort == "andel":
        means = spec.data.groupby("forbund", observed=True)["share_positive"].mean()
        names = sorted(names, key=lambda f: (-means[f], f.casefold()))
    return names


def strip_common_word(name: str, names: list[str]) -> str:
    """'Samordningsförbundet Östra Dalbygd' → 'Östra Dalbygd' when every förbund starts so."""
    first = {n.split(" ", 1)[0] for n in names}
    if len(first) == 1 and all(" " in n for n in names):
        return name.split(" ", 1)[1]
    return name


ROW_IN = 0.2


def side_chart(spec: SideSpec) -> Drawing:
    names = forbund_order(spec)
    labels = {f: short_name(strip_common_word(f, names), 40) for f in names}
    y_of = {f: len(names) - 1 - i for i, f in enumerate(names)}  # the first on top
    questions = [q.number for q in spec.questions]
    note = ("Punkten: andel positiva svar (de tre översta svarsalternativen, Ja på "
            "ja/nej-frågor); strecket: felmarginalen; den lodräta linjen: alla "
            "förbund tillsammans. Ett förbund eller en fråga med för få svar saknas. Om två "
            "förbunds felmarginaler överlappar eller inte är ingen prövning; det är jämförelsen "
            "med övriga (referens.csv).")
    if spec.marker:
        note = f"{spec.marker}. {note}"
    left = EDGE_IN + text_width_in(list(labels.values()), BASE_SIZE) + 0.1
    laid = frame(textwrap.fill(spec.title, TITLE_WRAP), spec.subtitle,
                 caption(spec.questions, note, CAPTION_WRAP), ROW_IN * (len(names) + 0.4),
                 left, strip_in=0.22)
    panels = laid.panels(len(questions), gap_in=0.2)
    for i, (panel, question) in enumerate(zip(panels, questions, strict=True)):
        ax = panel.limits((-3, 103), (-0.7, len(names) - 0.3))
        rows = spec.data[spec.data["question"] == question]
        y = [y_of[f] for f in rows["forbund"]]
        grid(ax, [0, 50, 100], "x")
        grid(ax, list(y_of.values()), "y", "#f0f0f0")
        if question in spec.overall:
            x = ax.x(spec.overall[question])
            ax.drawing.line(((x, ax.top), (x, ax.bottom)), "#8a8a8a", 0.8, (2.96, 1.28),
                            gid="overall")
        intervals(ax, y, rows["share_positive"], rows["ci_low"], rows["ci_high"], "x",
                  "#6b6b6b", 0.7, 2)
        points(ax, rows["share_positive"], y, 4, DARK_TEXT)
        axis_labels(ax, [0, 50, 100], ["0", "50", "100"], "x")
        if i == 0:
            axis_labels(ax, list(y_of.values()), [labels[f] for f in y_of], "y", BASE_SIZE,
                        DARK_TEXT)
        ax.drawing.text(ax.left + ax.width / 2, ax.top, f"Fråga {question}", BASE_SIZE,
                        DARK_TEXT, ha="center", va="bottom", weight="bold", gid="panel-title")
    return laid.drawing
