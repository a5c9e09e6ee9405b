"""The frame every chart shares, laid out in inches: title, subtitle, panel, legend, caption.

Charts are drawn with matplotlib directly. The report's charts have one fixed
design, so the layout is arithmetic on measured text sizes, done once; a layout
engine (plotnine's, which cost more than half of each chart's time) is not needed.
Figures are `matplotlib.figure.Figure` objects, not pyplot's: no global state, and
nothing to close.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.text import Text
from matplotlib.transforms import blended_transform_factory, offset_copy

from indikator.charts.theme import BASE_SIZE, DARK_TEXT, DPI, FONT, MIN_TEXT_PT, WIDTH_IN
from indikator.text import printable

TITLE_PT = BASE_SIZE + 3
CAPTION_SPACING = 1.35
GREY_TEXT = "#404040"
GRID = "#d9d9d9"
EDGE_IN = 0.08  # left and right margin of the texts
RIGHT_IN = 0.2  # right of the panel: room for the last axis number
LEGEND_ROW_IN = 0.2


def as_typed(build: Callable[..., Figure]) -> Callable[..., Figure]:
    """A chart builder whose texts show what was typed: a '$' in a name is a dollar sign,
    not mathematics (matplotlib's mathtext, which would fail on '$\\frac$'), and control
    characters are shown escaped, as `text_size_pt` measured them (text.printable)."""

    @functools.wraps(build)
    def drawn(*args, **kwargs) -> Figure:
        import matplotlib

        with matplotlib.rc_context({"text.parse_math": False}):
            figure = build(*args, **kwargs)
        for text in figure.findobj(Text):
            shown = printable(text.get_text())
            if shown != text.get_text():
                text.set_text(shown)
        return figure

    return drawn


@functools.cache
def font(size: float = BASE_SIZE, weight: str = "normal") -> FontProperties:
    """The charts' font (matplotlib copies it into each text, so one object serves all)."""
    return FontProperties(family=FONT, size=size, weight=weight)


@functools.cache
def _measuring_figure():
    """A small figure at the charts' resolution whose renderer measures texts."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    figure = Figure(figsize=(1, 1), dpi=DPI)
    return figure, FigureCanvasAgg(figure).get_renderer()


@functools.cache
def text_size_pt(text: str, size: float = BASE_SIZE, weight: str = "normal",
                 linespacing: float = 1.2) -> tuple[float, float]:
    """Width and height in points of `text` as matplotlib will lay it out in the chart
    (measured by matplotlib itself, at the charts' resolution)."""
    figure, renderer = _measuring_figure()
    text_ = Text(0, 0, printable(text), fontproperties=font(size, weight),
                 linespacing=linespacing, parse_math=False)
    text_.set_figure(figure)
    box = text_.get_window_extent(renderer)
    return box.width * 72 / DPI, box.height * 72 / DPI


def text_width_in(texts: Sequence[str], size: float = BASE_SIZE) -> float:
    """The widest of `texts` in inches (0 for none)."""
    return max((text_size_pt(t, size)[0] for t in texts), default=0.0) / 72


@dataclass(frozen=True)
class Legend:
    """Entries below the panel: matplotlib handles and their labels, in reading order."""

    handles: list
    labels: list[str]
    rows: int = 1
    handle_length: float = 1.1  # in font sizes: a square for fills, longer for line styles


@dataclass(frozen=True)
class Frame:
    """A laid-out chart: the figure and the panel's box (inches from the bottom left)."""

    figure: Figure
    left: float
    bottom: float
    width: float
    height: float

    def panels(self, k: int = 1, gap_in: float = 0.0) -> list[Axes]:
        """`k` panels side by side in the panel's box, styled alike."""
        w, h = self.figure.get_size_inches()
        each = (self.width - gap_in * (k - 1)) / k
        return [style(self.figure.add_axes(((self.left + i * (each + gap_in)) / w,
                                            self.bottom / h, each / w, self.height / h)))
                for i in range(k)]

    def panel_grid(self, k: int, cols: int, gap_in: float, row_gap_in: float) -> list[Axes]:
        """`k` panels in rows of `cols`, read row by row from the top left, styled alike;
        a last row that is not full keeps the others' widths and starts at the left, so
        that every column shares its x positions. `row_gap_in` separates the rows (room
        for the axis labels under a row and the titles over the next)."""
        w, h = self.figure.get_size_inches()
        rows = -(-k // cols)
        each_w = (self.width - gap_in * (cols - 1)) / cols
        each_h = (self.height - row_gap_in * (rows - 1)) / rows
        top = self.bottom + self.height
        return [style(self.figure.add_axes((
            (self.left + (i % cols) * (each_w + gap_in)) / w,
            (top - (i // cols + 1) * each_h - (i // cols) * row_gap_in) / h,
            each_w / w, each_h / h))) for i in range(k)]


def panel_width(left_in: float) -> float:
    """The panel's width when its labels take `left_in` on the left."""
    return WIDTH_IN - left_in - RIGHT_IN


def style(ax: Axes) -> Axes:
    """No frame and no matplotlib axis: the charts draw their own axis labels and grid
    lines (`axis_labels`, `grid`), which costs a fifth of what matplotlib's tick
    machinery did per chart."""
    ax.set_axis_off()
    return ax


def axis_labels(ax: Axes, positions: Sequence[float], labels: Sequence[str], axis: str,
                size: float = MIN_TEXT_PT, colour: str = GREY_TEXT) -> None:
    """Labels under the panel (axis 'x') or left of it ('y') at data `positions`.

    They are figure texts with gid 'xtick'/'ytick', so the panel's own texts (the
    numbers on the bars) stay apart from them.
    """
    figure = ax.get_figure()
    look = {"fontproperties": font(size), "color": colour, "gid": f"{axis}tick"}
    if axis == "x":  # data x, the panel's bottom edge, 3 pt below it
        where = offset_copy(blended_transform_factory(ax.transData, ax.transAxes),
                            fig=figure, y=-3, units="points")
        for position, label in zip(positions, labels, strict=True):
            figure.text(position, 0, label, transform=where, ha="center", va="top", **look)
    else:  # the panel's left edge, data y, 4 pt left of it
        where = offset_copy(blended_transform_factory(ax.transAxes, ax.transData),
                            fig=figure, x=-4, units="points")
        for position, label in zip(positions, labels, strict=True):
            figure.text(0, position, label, transform=where, ha="right", va="center", **look)


def grid(ax: Axes, positions: Sequence[float], axis: str, colour: str = GRID,
         width: float = 0.4) -> None:
    """Thin lines across the panel at data `positions`, behind everything else."""
    if axis == "x":
        ax.vlines(positions, 0, 1, transform=ax.get_xaxis_transform(), colors=colour,
                  linewidths=width, zorder=0)
    else:
        ax.hlines(positions, 0, 1, transform=ax.get_yaxis_transform(), colors=colour,
                  linewidths=width, zorder=0)


def frame(title: str, subtitle: str, caption: str, panel_in: float, left_in: float,
          legend: Legend | None = None, strip_in: float = 0.0) -> Frame:
    """The figure with its texts placed and room for a panel `panel_in` high, whose
    left edge is `left_in` from the figure's (room for the axis labels).

    From the top: title, subtitle, `strip_in` (panel titles), panel, axis numbers,
    legend, caption (the question texts; its gid is 'caption', so the documents'
    copy can be cut above it).
    """
    title_h = text_size_pt(title, TITLE_PT, "bold")[1] / 72
    subtitle_h = text_size_pt(subtitle, BASE_SIZE)[1] / 72 if subtitle else 0.0
    caption_h = text_size_pt(caption, MIN_TEXT_PT, linespacing=CAPTION_SPACING)[1] / 72
    axis_h = 0.24
    legend_h = 0.1 + LEGEND_ROW_IN * legend.rows if legend else 0.0
    top = 0.1 + title_h + 0.05 + subtitle_h + 0.14 + strip_in
    height = top + panel_in + axis_h + legend_h + 0.16 + caption_h + 0.1
    figure = Figure(figsize=(WIDTH_IN, height), dpi=DPI, facecolor="white")
    inches = figure.dpi_scale_trans
    figure.text(EDGE_IN, height - 0.1, title, transform=inches, va="top", ha="left",
                fontproperties=font(TITLE_PT, "bold"), color=DARK_TEXT)
    if subtitle:
        figure.text(EDGE_IN, height - 0.15 - title_h, subtitle, transform=inches, va="top",
                    ha="left", fontproperties=font(), color=GREY_TEXT)
    bottom = height - top - panel_in
    if legend:
        figure.legend(legend.handles, legend.labels, loc="upper center",
                      bbox_to_anchor=(WIDTH_IN / 2, bottom - axis_h - 0.06),
                      bbox_transform=inches, ncol=-(-len(legend.labels) // legend.rows),
                      frameon=False, prop=font(), handlelength=legend.handle_length,
                      handleheight=1.1, handletextpad=0.4, columnspacing=1.2, borderpad=0,
                      borderaxespad=0,
                      labelspacing=0.35)
    text = figure.text(EDGE_IN, bottom - axis_h - legend_h - 0.16, caption, transform=inches,
                       va="top", ha="left", fontproperties=font(MIN_TEXT_PT), color=DARK_TEXT,
                       linespacing=CAPTION_SPACING)
    text.set_gid("caption")
    return Frame(figure, left_in, bottom, panel_width(left_in), panel_in)


def error_lengths(value, low, high) -> list:
    """How far an interval reaches below and above its value, never negative (a Wilson
    interval's end can sit a rounding error inside a share of 0 or 100 %)."""
    value, low, high = (np.asarray(x, dtype=float) for x in (value, low, high))
    return [np.clip(value - low, 0, None), np.clip(high - value, 0, None)]


def row_major(items: list, rows: int) -> list:
    """`items` reordered so that matplotlib's column-by-column legend reads row by row."""
    cols = -(-len(items) // rows)
    return [items[r * cols + c] for c in range(cols) for r in range(rows)
            if r * cols + c < len(items)]
