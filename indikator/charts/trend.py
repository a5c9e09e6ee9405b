"""The trend chart: share positive per question across the years, with 95 % intervals.

One chart per survey and group. Questions differ by line type and point shape as well
as by grey value, so the chart reads in black and white; a year with too few answers
leaves a gap in its line (segments join only consecutive years that both have data).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import pandas as pd
from plotnine import (
    aes,
    element_text,
    geom_errorbar,
    geom_point,
    geom_segment,
    ggplot,
    labs,
    scale_color_manual,
    scale_linetype_manual,
    scale_shape_manual,
    scale_x_continuous,
    scale_y_continuous,
    theme,
)

from ..stats import ALL
from ..text import short_name
from ..theme import CAPTION_WRAP, WIDTH_IN, theme_indikator
from .block import TITLE_WRAP
from .stacked import group_slugs

GREYS = ["#1a1a1a", "#555555", "#808080", "#a6a6a6", "#333333", "#6e6e6e", "#999999",
         "#444444", "#777777", "#b3b3b3"]
LINETYPES = ["solid", "dashed", "dotted", "dashdot", "solid", "dashed", "dotted", "dashdot",
             "solid", "dashed"]
SHAPES = ["o", "s", "^", "D", "v", "P", "X", "*", "<", ">"]


@dataclass(frozen=True)
class TrendSpec:
    survey: str
    survey_name: str
    group: str
    data: pd.DataFrame  # trend rows (trends.TREND_COLUMNS) of this survey, group and block
    marker: str = ""
    slug: str = ""

    @property
    def span(self) -> str:
        first, last = int(self.data["question"].min()), int(self.data["question"].max())
        return f"{first}" if first == last else f"{first}-{last}"

    @property
    def file_stem(self) -> str:
        slug = self.slug or group_slugs([self.group])[self.group]
        return f"{self.survey}_trend_{slug}_fraga{self.span}"

    @property
    def years(self) -> list[int]:
        return sorted(self.data["year"].unique())

    @property
    def title(self) -> str:
        who = "alla svarande" if self.group == ALL else short_name(self.group)
        return textwrap.fill(f"{self.survey_name} – {who}: andel positiva svar "
                             f"{self.years[0]}–{self.years[-1]}", TITLE_WRAP)


def trend_specs(trends: pd.DataFrame, catalog, marker: str = "") -> list[TrendSpec]:
    """One chart per survey, group and block of questions (as the report's bar charts)."""
    slugs = group_slugs(trends["group"])
    specs = []
    for (survey, group), part in trends.groupby(["survey", "group"], sort=False):
        if part["year"].nunique() < 2:
            continue
        for block in catalog.get(survey).blocks():
            rows = part[part["question"].isin([q.number for q in block])]
            if rows.empty or rows["year"].nunique() < 2:
                continue
            specs.append(TrendSpec(survey, catalog.get(survey).name, group,
                                   rows.reset_index(drop=True), marker, slugs[group]))
    order = {sid: i for i, sid in enumerate(catalog.ids)}
    return sorted(specs, key=lambda s: (order[s.survey], s.group != ALL, s.group,
                                        int(s.data["question"].min())))


def segments(data: pd.DataFrame) -> pd.DataFrame:
    """Line pieces between consecutive years that both have a value (gaps stay gaps)."""
    rows = []
    for question, part in data.groupby("question"):
        part = part.sort_values("year")
        for a, b in zip(part.itertuples(index=False), part.iloc[1:].itertuples(index=False),
                        strict=False):
            if b.year == a.year + 1:
                rows.append({"question": question, "x": a.year, "xend": b.year,
                             "y": a.share_positive, "yend": b.share_positive})
    return pd.DataFrame(rows, columns=["question", "x", "xend", "y", "yend"])


def trend_caption(spec: TrendSpec) -> str:
    lines = []
    for question, part in spec.data.groupby("question"):
        lines += textwrap.wrap(f"Fråga {question}: {part['question_text'].iloc[0]}",
                               CAPTION_WRAP, subsequent_indent="    ")
    note = ("Andel positiva svar (de tre översta svarsalternativen, Ja på ja/nej-frågor) med "
            "95 % konfidensintervall. Ett år där frågan hade för få svar saknas, och linjen "
            "bryts där. \"Vet ej\" o.d. räknas inte.")
    if spec.marker:
        note = f"{spec.marker}. {note}"
    return "\n".join([*lines, "", *textwrap.wrap(note, CAPTION_WRAP + 10)])


def trend_chart(spec: TrendSpec) -> ggplot:
    data = spec.data.copy()
    questions = sorted(data["question"].unique())
    names = {q: f"Fråga {q}" for q in questions}
    levels = [names[q] for q in questions]
    data["label"] = pd.Categorical([names[q] for q in data["question"]], categories=levels)
    pieces = segments(data)
    pieces["label"] = pd.Categorical([names[q] for q in pieces["question"]], categories=levels)
    k = len(levels)
    caption = trend_caption(spec)
    height = 3.6 + 0.17 * (caption.count("\n") + 1) + 0.22 * spec.title.count("\n")
    years = list(range(spec.years[0], spec.years[-1] + 1))  # a year without data shows as a gap
    dodge = 0.08
    offsets = {q: (i - (k - 1) / 2) * dodge for i, q in enumerate(questions)}
    data["x"] = data["year"] + data["question"].map(offsets)
    pieces["x"] = pieces["x"] + pieces["question"].map(offsets)
    pieces["xend"] = pieces["xend"] + pieces["question"].map(offsets)
    return (
        ggplot(data)
        + geom_segment(aes(x="x", xend="xend", y="y", yend="yend", color="label",
                           linetype="label"), data=pieces, size=0.8)
        + geom_errorbar(aes(x="x", ymin="ci_low", ymax="ci_high", color="label"), width=0.06,
                        size=0.4)
        + geom_point(aes(x="x", y="share_positive", color="label", shape="label"), size=2.4,
                     fill="white")
        + scale_color_manual(values=GREYS[:k], breaks=levels)
        + scale_linetype_manual(values=LINETYPES[:k], breaks=levels)
        + scale_shape_manual(values=SHAPES[:k], breaks=levels)
        + scale_x_continuous(breaks=years, labels=[str(y) for y in years],
                             limits=(years[0] - 0.4, years[-1] + 0.4))
        + scale_y_continuous(limits=(0, 100), breaks=range(0, 101, 20),
                             labels=lambda vs: [f"{v:.0f} %" for v in vs])
        + labs(title=spec.title, subtitle=(spec.marker.upper() + "\n" if spec.marker else "")
               + "Andel positiva svar per år", caption=caption, color="", linetype="",
               shape="")
        + theme_indikator()
        + theme(figure_size=(WIDTH_IN, height), legend_position="bottom",
                axis_text_x=element_text(size=9))
    )
