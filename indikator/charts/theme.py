"""The look of indikator's charts: palette, font, sizes and Swedish number formats.

The palette is sequential (light = low, dark = high) from the viridis family, so
it is safe for colour-blind readers and keeps its order when printed in grey.
"""

from __future__ import annotations

import functools

import numpy as np
from matplotlib import colormaps
from matplotlib import colors as mcolors

from indikator.numbers import whole
from indikator.options import DPI as OPTIONS_DPI

FONT = "DejaVu Sans"  # ships with matplotlib: the same glyphs on every machine
BASE_SIZE = 9
WIDTH_CM = 16.0  # an A4 report's text width: charts are placed at 100 %, never shrunk
WIDTH_IN = WIDTH_CM / 2.54
DPI = OPTIONS_DPI  # the chart files' resolution, a run option (options.DPI)
MIN_TEXT_PT = 8  # the smallest text on a chart, at its printed size
LABEL_PT = 8  # percent labels on and beside the bars
PANEL_IN = WIDTH_IN - 1.45  # the bars' width: the figure less the "Fråga 1 (n=24)" axis
CAPTION_WRAP = 92  # characters per line of the question texts under a chart
DARK_TEXT = "#1a1a1a"


def _luma(rgb) -> float:
    return float(np.dot(rgb[:3], [0.299, 0.587, 0.114]))


@functools.cache
def palette(k: int) -> tuple[str, ...]:
    """k colours for the categories of a scale, low (light) to high (dark).

    Taken from viridis at points evenly spaced in grey value, so that each step
    is as visible in a black-and-white print as the next; the lightest end is
    skipped so the lowest category still shows against white paper. For two
    categories (ja/nej) the first, Ja, is the dark one.
    """
    cmap = colormaps["viridis"]
    positions = np.linspace(0, 1, 256)
    greys = np.array([_luma(cmap(p)) for p in positions])  # rises monotonically
    targets = np.linspace(0.78, 0.17, k) if k > 2 else np.array([0.25, 0.72])
    stops = np.interp(targets, greys, positions)
    return tuple(mcolors.to_hex(cmap(s)) for s in stops)


@functools.lru_cache(maxsize=256)
def text_colour(fill: str) -> str:
    """White on dark fills, near-black on light ones (WCAG relative luminance)."""
    r, g, b = (
        c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
        for c in mcolors.to_rgb(fill)
    )
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "white" if luminance < 0.22 else DARK_TEXT


@functools.lru_cache(maxsize=1024)
def label_width_pt(text: str, size: float = LABEL_PT) -> float:
    """A generous width of a label in DejaVu Sans: digits and signs 0.64 em, '<' 0.84 em,
    a space 0.32 em, '%' 0.95 em. Generous, so that a label judged to fit does fit.
    Remembered: a chart asks it of every segment, and there are few labels ('42 %')."""
    ems = sum(WIDE_EMS.get(c, 0.32 if c.isspace() else 0.64) for c in text)
    return ems * size


WIDE_EMS = {"%": 0.95, "<": 0.84}


def percent_label(value: float) -> str:
    """Whole percent, rounded half up, Swedish style: '42 %'."""
    return f"{whole(value)}\u00a0%"


def segment_label(value: float) -> str:
    """A bar segment's label: none for an empty segment (the table beside the chart has
    its 0), '<1 %' for one that holds answers but rounds to 0 (0 % would say it is
    empty), otherwise its whole percent."""
    if value <= 0:
        return ""
    if whole(value) == 0:
        return "<1\u00a0%"
    return percent_label(value)
