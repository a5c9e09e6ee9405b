"""What every stacked-bar chart shares: segment data, the bar layers, the percent axis."""

from __future__ import annotations

import numpy as np
import pandas as pd
from mizani.bounds import squish
from plotnine import (
    aes,
    coord_flip,
    geom_col,
    geom_point,
    geom_text,
    guide_legend,
    guides,
    position_nudge,
    position_stack,
    scale_color_identity,
    scale_fill_manual,
    scale_x_discrete,
    scale_y_continuous,
)

from ..questionnaires import Scale
from ..theme import (
    DARK_TEXT,
    FONT,
    LABEL_PT,
    PANEL_IN,
    label_width_pt,
    palette,
    percent_label,
    text_colour,
)

BAR_WIDTH = 0.6  # of a bar's band; the rest is the gap where outside labels stand
OUTSIDE_AT = 0.5  # outside labels' centre above the bar's centre, in bands
LABEL_GAP_PT = 4  # clear space between two outside labels, and around an inside one


def percent_per_pt(axis_max: float) -> float:
    """How many percent of the axis one point of the printed chart spans."""
    return axis_max / (PANEL_IN * 72)


def fits_inside(value: float, axis_max: float = 100) -> bool:
    """Whether a segment is wide enough for its label with room on both sides."""
    need = (label_width_pt(percent_label(value)) + LABEL_GAP_PT) * percent_per_pt(axis_max)
    return value >= need


def segments(rows: pd.DataFrame, scale: Scale, axis_max: float = 100) -> pd.DataFrame:
    """Distribution rows with what is drawn: category (ordered), value, label text and colour.

    Every segment gets its percent, 0 % included: in the segment (`text`) when it
    fits, otherwise above the bar (`outside`, placed by `outside_labels`).
    """
    labels = [c.label for c in scale.categories]
    colours = dict(zip(labels, palette(len(labels)), strict=True))
    df = rows.copy()
    df["category"] = pd.Categorical(df["label"], categories=labels)
    df["value"] = df["percent"].fillna(0.0)
    inside = [fits_inside(v, axis_max) for v in df["value"]]
    df["text"] = [percent_label(v) if ok else "" for v, ok in zip(df["value"], inside,
                                                                   strict=True)]
    df["outside"] = [percent_label(v) if not ok else "" for v, ok in zip(df["value"], inside,
                                                                          strict=True)]
    df["text_colour"] = [text_colour(colours[lab]) for lab in df["label"]]
    return df


def outside_labels(df: pd.DataFrame, axis_max: float = 100) -> pd.DataFrame:
    """Where the labels of narrow segments stand above their bar: as near the segment's
    centre as they can without touching each other, and within 0–100 %.

    Columns: bar, centre (the segment's middle, where a tick marks it), at (the
    label's middle) and text. Widths are estimated generously (theme.label_width_pt).
    """
    rows = []
    unit = percent_per_pt(axis_max)
    for bar, part in df.sort_values("category").groupby("bar", observed=True, sort=False):
        values = part["value"].to_numpy(dtype=float)
        starts = np.concatenate([[0.0], np.cumsum(values)[:-1]])
        picked = part["outside"].to_numpy() != ""
        if not picked.any():
            continue
        texts = part["outside"].to_numpy()[picked]
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


def outside_layers(marks: pd.DataFrame) -> list:
    """A small tick on the bar's edge at each narrow segment, and its label above it."""
    if marks.empty:
        return []
    return [
        geom_point(aes(x="bar", y="centre"), data=marks, shape="|", size=2.2, color=DARK_TEXT,
                   position=position_nudge(x=BAR_WIDTH / 2 + 0.04), inherit_aes=False),
        geom_text(aes(x="bar", y="at", label="text"), data=marks, size=LABEL_PT,
                  color=DARK_TEXT, family=FONT, va="center",
                  position=position_nudge(x=OUTSIDE_AT), inherit_aes=False),
    ]


def stacked_bars(scale: Scale, axis_max: float = 100,
                 outside: pd.DataFrame | None = None) -> list:
    """Layers and scales for 100 % stacked horizontal bars on the discrete aesthetic `bar`.

    The first category of the scale is drawn at the left. `axis_max` above 100
    leaves room to the right of the bars (for annotations); ticks stop at 100 %.
    `outside`: the labels of narrow segments (outside_labels), drawn above the bars.
    """
    labels = [c.label for c in scale.categories]
    return [
        geom_col(aes(x="bar", y="value", fill="category"), position=position_stack(reverse=True),
                 width=BAR_WIDTH, color="white", size=0.3),
        geom_text(aes(x="bar", y="value", label="text", color="text_colour", group="category"),
                  position=position_stack(vjust=0.5, reverse=True), size=LABEL_PT,
                  family=FONT),
        *outside_layers(outside if outside is not None else pd.DataFrame()),
        scale_fill_manual(values=palette(len(labels)), breaks=labels, limits=labels, drop=False),
        scale_color_identity(),
        scale_x_discrete(drop=False),
        # squish: a stack may end at 100.0000000001 after float addition; never drop it
        scale_y_continuous(limits=(0, axis_max), oob=squish, breaks=np.arange(0, 101, 10),
                           labels=lambda vs: [f"{v:.0f} %" for v in vs], expand=(0, 0, 0, 1)),
        coord_flip(),
        guides(fill=guide_legend(nrow=legend_rows(scale), byrow=True)),
    ]
