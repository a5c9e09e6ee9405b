"""What every stacked-bar chart shares: segment data, the bars and labels, the percent axis."""

from __future__ import annotations

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


def segments(rows: pd.DataFrame, scale: Scale, axis_max: float = 100,
             panel_in: float = PANEL_IN) -> pd.DataFrame:
    """Distribution rows with what is drawn: category (ordered), value, label text and colour.

    Every segment with answers gets its percent (theme.segment_label): in the segment
    (`text`) when it fits, otherwise above the bar (`outside`, placed by
    `outside_labels`). An empty segment gets neither: a '0 %' with its tick above the
    bar only crowds the labels that say something.
    """
    labels = [c.label for c in scale.categories]
    colours = dict(zip(labels, palette(len(labels)), strict=True))
    df = rows.copy()
    df["category"] = pd.Categorical(df["label"], categories=labels)
    df["value"] = df["percent"].astype(float).fillna(0.0)  # numbers, also from an object column
    labels = [segment_label(v) for v in df["value"]]
    inside = [fits_inside(v, axis_max, panel_in) for v in df["value"]]
    df["text"] = [t if ok else "" for t, ok in zip(labels, inside, strict=True)]
    df["outside"] = [t if not ok else "" for t, ok in zip(labels, inside, strict=True)]
    df["text_colour"] = [text_colour(colours[lab]) for lab in df["label"]]
    return df


def _bar_order(df: pd.DataFrame) -> tuple[list, list[np.ndarray]]:
    """The bars of `df` (its categorical `bar`, first level first) and, for each, the
    positions of its rows in scale order: numpy on a few dozen rows, where a pandas sort
    and group cost a millisecond a chart."""
    codes = df["bar"].cat.codes.to_numpy()
    scale_order = df["category"].cat.codes.to_numpy()
    levels = df["bar"].cat.categories
    bars, order = [], []
    for code in np.unique(codes[codes >= 0]):
        rows_of = np.flatnonzero(codes == code)
        bars.append(levels[code])
        order.append(rows_of[np.argsort(scale_order[rows_of], kind="stable")])
    return bars, order


def outside_labels(df: pd.DataFrame, axis_max: float = 100,
                   panel_in: float = PANEL_IN) -> pd.DataFrame:
    """Where the labels of narrow segments stand above their bar: as near the segment's
    centre as they can without touching each other, and within 0–100 %.

    Columns: bar, centre (the segment's middle, where a tick marks it), at (the
    label's middle) and text. Widths are estimated generously (theme.label_width_pt).
    """
    rows = []
    unit = percent_per_pt(axis_max, panel_in)
    bars, order = _bar_order(df)
    all_values = df["value"].to_numpy(dtype=float)
    all_outside = df["outside"].to_numpy()
    for bar, rows_of in zip(bars, order, strict=True):
        values = all_values[rows_of]
        starts = np.concatenate([[0.0], np.cumsum(values)[:-1]])
        picked = all_outside[rows_of] != ""
        if not picked.any():
            continue
        texts = all_outside[rows_of][picked]
        centres = (starts + values / 2)[picked]
        widths = np.array([(label_width_pt(t) + LABEL_GAP_PT) * unit for t in texts])
        at = centres.copy()
        at[0] = max(at[0], widths[0] / 2)
        for i in range(1, len(at)):  # push right past the label before
            at[i] = max(at[i], at[i - 1] + (widths[i - 1] + widths[i]) / 2)
        at[-1] = min(at[-1], 100 - widths[-1] / 2)
        for i in range(len(at) - 2, -1, -1):  # and back left from the 100 % end
            at[i] = min(at[i], at[i + 1] - (widths[i] + widths[i + 1]) / 2)
        rows += [{"bar": bar, "centre": c, "at": a, "text": t}
                 for c, a, t in zip(centres, at, texts, strict=True)]
    marks = pd.DataFrame(rows, columns=["bar", "centre", "at", "text"])
    marks["bar"] = pd.Categorical(marks["bar"], categories=df["bar"].cat.categories)
    return marks


def legend_rows(scale: Scale) -> int:
    """One legend row when the labels are short (frekvens), two otherwise (omfattning)."""
    return 1 if sum(len(c.label) for c in scale.categories) <= 70 else 2


def scale_legend(scale: Scale) -> Legend:
    """A square of each category's colour, in scale order, read row by row."""
    labels = [c.label for c in scale.categories]
    return Legend(list(palette(len(labels))), labels, legend_rows(scale))


def bar_positions(df: pd.DataFrame) -> dict[str, int]:
    """Each bar's y position: its level in `df['bar']`, whose first level is at the bottom."""
    return {bar: i for i, bar in enumerate(df["bar"].cat.categories)}


def draw_bars(ax: Panel, df: pd.DataFrame, marks: pd.DataFrame, scale: Scale,
              axis_max: float = 100) -> Panel:
    """100 % stacked horizontal bars, first category at the left, with their percents:
    inside a segment where it fits, above the bar (with a tick at the segment's middle)
    where not. `df` from `segments` with a categorical `bar`; `marks` from
    `outside_labels`. The axis runs to `axis_max` (room for notes right of 100 %),
    with ticks up to 100 %. The segments have gid 'bars'. Returns the panel with its
    data limits, for what the chart adds."""
    colours = dict(zip((c.label for c in scale.categories), palette(len(scale.categories)),
                       strict=True))
    y_of = bar_positions(df)
    ax = ax.limits((0, axis_max + 1), (-0.6, len(y_of) - 0.5 + TOP_ROOM))
    drawing = ax.drawing
    ticks = np.arange(0, 101, 10)
    grid(ax, ticks, "x")
    bars, order = _bar_order(df)
    rows_of = np.concatenate(order) if order else np.array([], dtype=int)
    all_values = df["value"].to_numpy(dtype=float)
    values = all_values[rows_of]
    ys = [y_of[bar] for bar, part in zip(bars, order, strict=True) for _ in part]
    starts = [x for part in order for x in np.cumsum(all_values[part]) - all_values[part]]
    categories = df["category"].to_numpy()[rows_of]
    half = BAR_WIDTH / 2
    for x0, w, y, category in zip(starts, values, ys, categories, strict=True):
        top = ax.y(y + half)
        drawing.rect(ax.x(x0), top, ax.x(x0 + w) - ax.x(x0), ax.y(y - half) - top,
                     colours[category], "white", 0.85, gid="bars")
    for x0, w, y, text, colour in zip(starts, values, ys, df["text"].to_numpy()[rows_of],
                                      df["text_colour"].to_numpy()[rows_of], strict=True):
        if text:
            drawing.text(ax.x(x0 + w / 2), ax.y(y), text, LABEL_PT, colour, ha="center",
                         va="center", gid="label")
    if not marks.empty:
        tick_half = 2.5  # points: a '|' marker 5 pt high
        for centre, bar in zip(marks["centre"], marks["bar"], strict=True):
            x, y = ax.x(centre), ax.y(y_of[bar] + half + 0.04)
            drawing.line(((x, y - tick_half), (x, y + tick_half)), DARK_TEXT, 0.8, gid="tick")
        for at, bar, text in zip(marks["at"], marks["bar"], marks["text"], strict=True):
            drawing.text(ax.x(at), ax.y(y_of[bar] + OUTSIDE_AT), text, LABEL_PT, DARK_TEXT,
                         ha="center", va="center", gid="label")
    axis_labels(ax, ticks, [f"{v:.0f} %" for v in ticks], "x")
    # names are made unique by trailing spaces (a reference's per question): not shown
    axis_labels(ax, list(y_of.values()), [name.rstrip() for name in y_of], "y", BASE_SIZE,
                DARK_TEXT)
    return ax


TOP_ROOM = 0.35  # above the top bar, in bands: its outside labels stand there
