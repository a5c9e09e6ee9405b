"""What every stacked-bar chart shares: segment data, the bars and labels, the percent axis."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd

from indikator.charts.drawing import Panel
from indikator.charts.frame import Legend, axis_labels, grid
from indikator.charts.theme import (
    BASE_SIZE,
    DARK_TEXT,
    LABEL_PT,
    PANEL_IN,
    label_width_pt,
    palette,
    segment_label,
    text_colour,
)
from indikator.questionnaires import Scale

BAR_WIDTH = 0.6  # of a bar's band; the rest is the gap where outside labels stand
OUTSIDE_AT = 0.5  # outside labels' centre above the bar's centre, in bands
LABEL_GAP_PT = 4  # clear space between two outside labels, and around an inside one


def percent_per_pt(axis_max: float, panel_in: float = PANEL_IN) -> float:
    """How many percent of the axis one point of the printed chart spans."""
    return axis_max / (panel_in * 72)


def fits_inside(value: float, axis_max: float = 100, panel_in: float = PANEL_IN) -> bool:
    """Whether a segment is wide enough for its label with room on both sides."""
    need = ((label_width_pt(segment_label(value)) + LABEL_GAP_PT)
            * percent_per_pt(axis_max, panel_in))
    return value >= need


class Segment(NamedTuple):
    """One category's part of one bar, as drawn: a plain tuple, as a chart has at most a
    few hundred and a DataFrame's overhead was most of the time of a chart's layout."""

    bar: str  # the bar's name (its label left of the panel)
    question: int
    category: str  # the answer option's label
    rank: int  # the category's place in the scale: 0 is drawn leftmost
    value: float  # percent of the bar
    text: str  # its label inside the segment, or ""
    outside: str  # its label above the bar (placed by `outside_labels`), or ""
    text_colour: str  # of the inside label: one that reads on the segment's fill
    count: float  # answers in the category, and on the question (the row's n)
    n: float


@dataclass(frozen=True)
class Bars:
    """What a stacked-bar panel draws: every bar's name, bottom first (a bar's index is
    its y position; a name without segments keeps an empty row), and the segments."""

    names: tuple[str, ...]
    segments: tuple[Segment, ...]

    def by_bar(self) -> list[tuple[str, list[Segment]]]:
        """Each bar with segments, bottom first, and its segments in scale order: the
        order they are drawn in, left to right. Segments of a bar not in `names` are left
        out."""
        level = {name: i for i, name in enumerate(self.names)}
        drawn: dict[str, list[Segment]] = {}
        for s in sorted((s for s in self.segments if s.bar in level),
                        key=lambda s: (level[s.bar], s.rank)):  # stable: ties keep order
            drawn.setdefault(s.bar, []).append(s)
        return list(drawn.items())


class Mark(NamedTuple):
    """A narrow segment's label above its bar: `centre` is the segment's middle (its
    tick), `at` the label's middle, in percent of the axis."""

    bar: str
    centre: float
    at: float
    text: str


def column(rows: pd.DataFrame, name: str) -> list:
    """A column as Python values (numbers as int or float), read once: indexing a
    DataFrame per cell costs microseconds each."""
    return rows[name].tolist()


def percents(rows: pd.DataFrame) -> list[float]:
    """The rows' percents as floats, a missing one as 0 (numbers also from an object
    column)."""
    values = rows["percent"].to_numpy(dtype=float, na_value=np.nan).tolist()
    return [0.0 if v != v else v for v in values]


class Rows(NamedTuple):
    """The columns of distribution rows that a bar chart reads, each read once into a list
    (reading a DataFrame's column costs microseconds, and was half a chart's data)."""

    question: list
    label: list
    percent: list[float]  # a missing one as 0
    count: list
    n: list

    @classmethod
    def of(cls, rows: pd.DataFrame) -> Rows:
        return cls(column(rows, "question"), column(rows, "label"), percents(rows),
                   column(rows, "count"), column(rows, "n"))


def segments(rows: Rows, scale: Scale, names: Sequence[str],
             axis_max: float = 100, panel_in: float = PANEL_IN) -> list[Segment]:
    """The segments of distribution rows, one per row in row order, with what is drawn;
    `names[i]` is row i's bar.

    Every segment with answers gets its percent (theme.segment_label): in the segment
    (`text`) when it fits, otherwise above the bar (`outside`, placed by
    `outside_labels`). An empty segment gets neither: a '0 %' with its tick above the
    bar only crowds the labels that say something.
    """
    labels = [c.label for c in scale.categories]
    rank = {label: i for i, label in enumerate(labels)}
    colours = dict(zip(labels, palette(len(labels)), strict=True))
    made = []
    for bar, question, label, value, count, n in zip(
            names, rows.question, rows.label, rows.percent, rows.count, rows.n, strict=True):
        text = segment_label(value)
        inside = fits_inside(value, axis_max, panel_in)
        made.append(Segment(bar, question, label, rank[label], value, text if inside else "",
                            "" if inside else text, text_colour(colours[label]), count, n))
    return made


def starts_of(values: Sequence[float]) -> list[float]:
    """Where each segment of a bar starts: the sum of those before it, added up left to
    right (as numpy's cumsum adds)."""
    return [0.0, *itertools.accumulate(values)][:-1]


def outside_labels(bars: Bars, axis_max: float = 100,
                   panel_in: float = PANEL_IN) -> list[Mark]:
    """Where the labels of narrow segments stand above their bar: as near the segment's
    centre as they can without touching each other, and within 0–100 %.

    Bottom bar first, each bar's left to right. Widths are estimated generously
    (theme.label_width_pt).
    """
    marks = []
    unit = percent_per_pt(axis_max, panel_in)
    for bar, parts in bars.by_bar():
        values = [s.value for s in parts]
        picked = [(start + value / 2, s.outside)
                  for start, value, s in zip(starts_of(values), values, parts, strict=True)
                  if s.outside != ""]
        if not picked:
            continue
        centres = [c for c, _ in picked]
        texts = [t for _, t in picked]
        widths = [(label_width_pt(t) + LABEL_GAP_PT) * unit for t in texts]
        at = list(centres)
        at[0] = max(at[0], widths[0] / 2)
        for i in range(1, len(at)):  # push right past the label before
            at[i] = max(at[i], at[i - 1] + (widths[i - 1] + widths[i]) / 2)
        at[-1] = min(at[-1], 100 - widths[-1] / 2)
        for i in range(len(at) - 2, -1, -1):  # and back left from the 100 % end
            at[i] = min(at[i], at[i + 1] - (widths[i] + widths[i + 1]) / 2)
        marks += [Mark(bar, c, a, t) for c, a, t in zip(centres, at, texts, strict=True)]
    return marks


def legend_rows(scale: Scale) -> int:
    """One legend row when the labels are short (frekvens), two otherwise (omfattning)."""
    return 1 if sum(len(c.label) for c in scale.categories) <= 70 else 2


def scale_legend(scale: Scale) -> Legend:
    """A square of each category's colour, in scale order, read row by row."""
    labels = [c.label for c in scale.categories]
    return Legend(list(palette(len(labels))), labels, legend_rows(scale))


def bar_positions(bars: Bars) -> dict[str, int]:
    """Each bar's y position: its place in `bars.names`, whose first is at the bottom."""
    return {bar: i for i, bar in enumerate(bars.names)}


def draw_bars(ax: Panel, bars: Bars, marks: Sequence[Mark], scale: Scale,
              axis_max: float = 100) -> Panel:
    """100 % stacked horizontal bars, first category at the left, with their percents:
    inside a segment where it fits, above the bar (with a tick at the segment's middle)
    where not. `marks` from `outside_labels`. The axis runs to `axis_max` (room for
    notes right of 100 %), with ticks up to 100 %. The segments have gid 'bars'.
    Returns the panel with its data limits, for what the chart adds."""
    colours = dict(zip((c.label for c in scale.categories), palette(len(scale.categories)),
                       strict=True))
    y_of = bar_positions(bars)
    ax = ax.limits((0, axis_max + 1), (-0.6, len(y_of) - 0.5 + TOP_ROOM))
    drawing = ax.drawing
    ticks = np.arange(0, 101, 10)
    grid(ax, ticks, "x")
    drawn = []  # (start, segment, y) left to right, bottom bar first
    for bar, parts in bars.by_bar():
        # each segment's end less its width (as the drawing always placed them); the
        # labels' starts_of adds up from 0, which may differ in the last bit
        starts = [total - s.value for total, s in
                  zip(itertools.accumulate(s.value for s in parts), parts, strict=True)]
        drawn += [(x0, s, y_of[bar]) for x0, s in zip(starts, parts, strict=True)]
    half = BAR_WIDTH / 2
    for x0, s, y in drawn:
        top = ax.y(y + half)
        drawing.rect(ax.x(x0), top, ax.x(x0 + s.value) - ax.x(x0), ax.y(y - half) - top,
                     colours[s.category], "white", 0.85, gid="bars")
    for x0, s, y in drawn:
        if s.text:
            drawing.text(ax.x(x0 + s.value / 2), ax.y(y), s.text, LABEL_PT, s.text_colour,
                         ha="center", va="center", gid="label")
    tick_half = 2.5  # points: a '|' marker 5 pt high
    for mark in marks:
        x, y = ax.x(mark.centre), ax.y(y_of[mark.bar] + half + 0.04)
        drawing.line(((x, y - tick_half), (x, y + tick_half)), DARK_TEXT, 0.8, gid="tick")
    for mark in marks:
        drawing.text(ax.x(mark.at), ax.y(y_of[mark.bar] + OUTSIDE_AT), mark.text, LABEL_PT,
                     DARK_TEXT, ha="center", va="center", gid="label")
    axis_labels(ax, ticks, [f"{v:.0f} %" for v in ticks], "x")
    # names are made unique by trailing spaces (a reference's per question): not shown
    axis_labels(ax, list(y_of.values()), [name.rstrip() for name in y_of], "y", BASE_SIZE,
                DARK_TEXT)
    return ax


TOP_ROOM = 0.35  # above the top bar, in bands: its outside labels stand there
