"""The trend chart: share positive per question across the years, with 95 % intervals.

One chart per survey and group. Questions differ by line type and point shape as well
as by grey value, so the chart reads in black and white; a year with too few answers
leaves a gap in its line (segments join only consecutive years that both have data).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from indikator.charts.block import TITLE_WRAP
from indikator.charts.frame import (
    EDGE_IN,
    Legend,
    as_typed,
    axis_labels,
    error_lengths,
    frame,
    grid,
    text_width_in,
)
from indikator.charts.stacked import group_slugs
from indikator.charts.theme import BASE_SIZE, CAPTION_WRAP, DARK_TEXT, MIN_TEXT_PT
from indikator.text import short_name
from indikator.words import ALL

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
            "bryts där. \"Vet ej\" o.d. räknas inte. Om två års intervall överlappar eller "
            "inte är ingen prövning av förändringen; det är jämförelsen med föregående år.")
    if spec.marker:
        note = f"{spec.marker}. {note}"
    return "\n".join([*lines, "", *textwrap.wrap(note, CAPTION_WRAP + 10)])


PANEL_IN = 2.6


@as_typed
def trend_chart(spec: TrendSpec) -> Figure:
    questions = sorted(spec.data["question"].unique())
    k = len(questions)
    years = list(range(spec.years[0], spec.years[-1] + 1))  # a year without data shows as a gap
    dodge = 0.08
    offsets = {q: (i - (k - 1) / 2) * dodge for i, q in enumerate(questions)}
    handles = [Line2D([], [], color=GREYS[i], linestyle=LINETYPES[i], linewidth=1.6,
                      marker=SHAPES[i], markersize=6, markerfacecolor="white")
               for i in range(k)]
    legend = Legend(handles, [f"Fråga {q}" for q in questions], 1 if k <= 6 else 2, 2.6)
    left = EDGE_IN + text_width_in(["100 %"], MIN_TEXT_PT) + 0.1
    laid = frame(spec.title, (spec.marker.upper() + "\n" if spec.marker else "")
                 + "Andel positiva svar per år", trend_caption(spec), PANEL_IN, left, legend)
    (ax,) = laid.panels()
    pieces = segments(spec.data)
    for i, q in enumerate(questions):
        style = {"color": GREYS[i]}
        for piece in pieces[pieces["question"] == q].itertuples(index=False):
            ax.plot([piece.x + offsets[q], piece.xend + offsets[q]], [piece.y, piece.yend],
                    linestyle=LINETYPES[i], linewidth=1.6, **style)
        rows = spec.data[spec.data["question"] == q]
        x = rows["year"] + offsets[q]
        ax.errorbar(x, rows["share_positive"],
                    yerr=error_lengths(rows["share_positive"], rows["ci_low"], rows["ci_high"]),
                    fmt="none", ecolor=GREYS[i], elinewidth=0.9, capsize=3, capthick=0.9)
        ax.plot(x, rows["share_positive"], linestyle="none", marker=SHAPES[i], markersize=6,
                markerfacecolor="white", markeredgewidth=1.2, zorder=3, **style)
    ax.set_xlim(years[0] - 0.4, years[-1] + 0.4)
    ax.set_ylim(-1, 101)
    ticks = list(range(0, 101, 20))
    grid(ax, ticks, "y")
    axis_labels(ax, years, [str(y) for y in years], "x", BASE_SIZE, DARK_TEXT)
    axis_labels(ax, ticks, [f"{v} %" for v in ticks], "y")
    return laid.figure
