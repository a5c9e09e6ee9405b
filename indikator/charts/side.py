"""Förbund side by side: share positive per förbund and question, with 95 % intervals.

One chart per survey, year and block of questions, a panel per question, a row per
förbund (sorted by name or by share), and a line at the aggregate's share. This is
what a regional council looks at; the numbers are those the förbund publish.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import pandas as pd
from plotnine import (
    aes,
    coord_flip,
    element_text,
    facet_wrap,
    geom_errorbar,
    geom_hline,
    geom_point,
    ggplot,
    labs,
    scale_x_discrete,
    scale_y_continuous,
    theme,
)

from ..questionnaires import Catalog, Question
from ..text import short_name
from ..theme import CAPTION_WRAP, DARK_TEXT, WIDTH_IN, theme_indikator
from .block import TITLE_WRAP, QuestionBlock, caption
from .stacked import subtitle

SORTS = ("namn", "andel")


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
        return subtitle(self.marker, self.span_label, "andel positiva svar med 95 % KI",
                        f"förbunden {order}")


def side_specs(side: pd.DataFrame, overall: pd.DataFrame, catalog: Catalog, sort: str = "namn",
               marker: str = "") -> list[SideSpec]:
    """One spec per survey, year and block with at least two förbund."""
    specs = []
    for (survey, year), part in side.groupby(["survey", "year"], sort=False):
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
        means = spec.data.groupby("forbund")["share_positive"].mean()
        names = sorted(names, key=lambda f: (-means[f], f.casefold()))
    return names


def strip_common_word(name: str, names: list[str]) -> str:
    """'Samordningsförbundet Östra Dalbygd' → 'Östra Dalbygd' when every förbund starts so."""
    first = {n.split(" ", 1)[0] for n in names}
    if len(first) == 1 and all(" " in n for n in names):
        return name.split(" ", 1)[1]
    return name


def side_chart(spec: SideSpec) -> ggplot:
    data = spec.data.copy()
    names = forbund_order(spec)
    labels = {f: short_name(strip_common_word(f, names), 40) for f in names}
    data["row"] = pd.Categorical([labels[f] for f in data["forbund"]],
                                 categories=[labels[f] for f in names][::-1])
    data["panel"] = [f"Fråga {q}" for q in data["question"]]
    lines = pd.DataFrame({"panel": [f"Fråga {q}" for q in spec.overall],
                          "share": list(spec.overall.values())})
    lines = lines[lines["panel"].isin(set(data["panel"]))]
    note = ("Punkten: andel positiva svar (de tre översta svarsalternativen, Ja på "
            "ja/nej-frågor); strecket: 95 % konfidensintervall; den lodräta linjen: alla "
            "förbund tillsammans. Ett förbund eller en fråga med för få svar saknas.")
    if spec.marker:
        note = f"{spec.marker}. {note}"
    text = caption(spec.questions, note, CAPTION_WRAP)
    height = 1.6 + 0.2 * len(names) + 0.16 * (text.count("\n") + 1)
    return (
        ggplot(data, aes(x="row", y="share_positive"))
        + geom_hline(aes(yintercept="share"), data=lines, color="#8a8a8a", linetype="dashed",
                     size=0.5)
        + geom_errorbar(aes(ymin="ci_low", ymax="ci_high"), width=0.3, color="#6b6b6b",
                        size=0.4)
        + geom_point(size=1.8, color=DARK_TEXT)
        + facet_wrap("panel", nrow=1)
        + coord_flip()
        + scale_x_discrete()
        + scale_y_continuous(limits=(0, 100), breaks=[0, 50, 100],
                             labels=["0", "50", "100 %"])
        + labs(title=textwrap.fill(spec.title, TITLE_WRAP), subtitle=spec.subtitle,
               caption=text)
        + theme_indikator()
        + theme(figure_size=(WIDTH_IN, height), strip_text=element_text(size=9, weight="bold"),
                panel_spacing_x=0.04)
    )
