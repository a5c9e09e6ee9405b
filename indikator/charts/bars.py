"""What every stacked-bar chart shares: segment data, the bar layers, the percent axis."""

from __future__ import annotations

import numpy as np
import pandas as pd
from mizani.bounds import squish
from plotnine import (
    aes,
    coord_flip,
    geom_col,
    geom_text,
    guide_legend,
    guides,
    position_stack,
    scale_color_identity,
    scale_fill_manual,
    scale_x_discrete,
    scale_y_continuous,
)

from ..questionnaires import Scale
from ..theme import FONT, LABEL_MIN_PERCENT, palette, percent_label, text_colour


def segments(rows: pd.DataFrame, scale: Scale) -> pd.DataFrame:
    """Distribution rows with what is drawn: category (ordered), value, label text and colour."""
    labels = [c.label for c in scale.categories]
    colours = dict(zip(labels, palette(len(labels)), strict=True))
    df = rows.copy()
    df["category"] = pd.Categorical(df["label"], categories=labels)
    df["value"] = df["percent"].fillna(0.0)
    df["text"] = [percent_label(v) if v >= LABEL_MIN_PERCENT else "" for v in df["value"]]
    df["text_colour"] = [text_colour(colours[lab]) for lab in df["label"]]
    return df


def legend_rows(scale: Scale) -> int:
    """One legend row when the labels are short (frekvens), two otherwise (omfattning)."""
    return 1 if sum(len(c.label) for c in scale.categories) <= 70 else 2


def stacked_bars(scale: Scale, axis_max: float = 100) -> list:
    """Layers and scales for 100 % stacked horizontal bars on the discrete aesthetic `bar`.

    The first category of the scale is drawn at the left. `axis_max` above 100
    leaves room to the right of the bars (for annotations); ticks stop at 100 %.
    """
    labels = [c.label for c in scale.categories]
    return [
        geom_col(aes(x="bar", y="value", fill="category"), position=position_stack(reverse=True),
                 width=0.68, color="white", size=0.3),
        geom_text(aes(x="bar", y="value", label="text", color="text_colour", group="category"),
                  position=position_stack(vjust=0.5, reverse=True), size=8, family=FONT),
        scale_fill_manual(values=palette(len(labels)), breaks=labels, limits=labels, drop=False),
        scale_color_identity(),
        scale_x_discrete(drop=False),
        # squish: a stack may end at 100.0000000001 after float addition; never drop it
        scale_y_continuous(limits=(0, axis_max), oob=squish, breaks=np.arange(0, 101, 10),
                           labels=lambda vs: [f"{v:.0f} %" for v in vs], expand=(0, 0, 0, 1)),
        coord_flip(),
        guides(fill=guide_legend(nrow=legend_rows(scale), byrow=True)),
    ]
