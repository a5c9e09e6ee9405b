"""The frame every chart shares, laid out in inches: title, subtitle, panel, legend, caption.

The report's charts have one fixed design, so the layout is arithmetic on measured text
sizes, done once (fonts.py measures with the engine that draws the pixels); what it
places is a display list (drawing.py), written as SVG and as pixels by svg.py and
pixels.py. No layout engine and no plotting library stand between the numbers and the
shapes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from indikator.charts import fonts
from indikator.charts.drawing import PT_PER_IN, Drawing, Panel
from indikator.charts.theme import BASE_SIZE, DARK_TEXT, MIN_TEXT_PT, WIDTH_IN
from indikator.text import printable

TITLE_PT = BASE_SIZE + 3
CAPTION_SPACING = 1.35
GREY_TEXT = "#404040"
GRID = "#d9d9d9"
EDGE_IN = 0.08  # left and right margin of the texts
RIGHT_IN = 0.2  # right of the panel: room for the last axis number
LEGEND_ROW_IN = 0.2


def text_size_pt(text: str, size: float = BASE_SIZE, weight: str = "normal",
                 linespacing: float = fonts.LINE_SPACING) -> tuple[float, float]:
    """Width and height in points of `text` as the chart will show it (control characters
    escaped, text.printable), measured from the font file."""
    return fonts.text_size_pt(printable(text), size, weight, linespacing)


def text_width_in(texts: Sequence[str], size: float = BASE_SIZE) -> float:
    """The widest of `texts` in inches (0 for none)."""
    return max((text_size_pt(t, size)[0] for t in texts), default=0.0) / 72


@dataclass(frozen=True)
class Legend:
    """Entries below the panel, in reading order (row by row): a square of each colour
    and its label."""

    colours: list[str]
    labels: list[str]
    rows: int = 1


HANDLE_EM = 1.1  # the legend's squares, in font sizes
HANDLE_PAD_EM = 0.4  # between a square and its label
COLUMN_GAP_EM = 1.2
ROW_GAP_EM = 0.35


@dataclass(frozen=True)
class Frame:
    """A laid-out chart: the drawing and the panel's box (inches from the top left)."""

    drawing: Drawing
    left: float
    top: float
    width: float
    height: float

    def _panel(self, left_in: float, top_in: float, width_in: float, height_in: float) -> Panel:
        return Panel(self.drawing, left_in * PT_PER_IN, top_in * PT_PER_IN,
                     width_in * PT_PER_IN, height_in * PT_PER_IN)

    def panels(self, k: int = 1, gap_in: float = 0.0) -> list[Panel]:
        """`k` panels side by side in the panel's box."""
        each = (self.width - gap_in * (k - 1)) / k
        return [self._panel(self.left + i * (each + gap_in), self.top, each, self.height)
                for i in range(k)]

    def panel_grid(self, k: int, cols: int, gap_in: float, row_gap_in: float) -> list[Panel]:
        """`k` panels in rows of `cols`, read row by row from the top left; a last row that
        is not full keeps the others' widths and starts at the left, so that every column
        shares its x positions. `row_gap_in` separates the rows (room for the axis labels
        under a row and the titles over the next)."""
        rows = -(-k // cols)
        each_w = (self.width - gap_in * (cols - 1)) / cols
        each_h = (self.height - row_gap_in * (rows - 1)) / rows
        return [self._panel(self.left + (i % cols) * (each_w + gap_in),
                            self.top + (i // cols) * (each_h + row_gap_in), each_w, each_h)
                for i in range(k)]


def panel_width(left_in: float) -> float:
    """The panel's width when its labels take `left_in` on the left."""
    return WIDTH_IN - left_in - RIGHT_IN


def axis_labels(panel: Panel, positions: Sequence[float], labels: Sequence[str], axis: str,
                size: float = MIN_TEXT_PT, colour: str = GREY_TEXT) -> None:
    """Labels under the panel (axis 'x', 3 pt below it) or left of it ('y', 4 pt left) at
    data `positions`, with gid 'xtick'/'ytick', so the panel's own texts (the numbers on
    the bars) stay apart from them."""
    drawing = panel.drawing
    for position, label in zip(positions, labels, strict=True):
        if axis == "x":
            drawing.text(panel.x(position), panel.bottom + 3, label, size, colour,
                         ha="center", va="top", gid="xtick")
        else:
            drawing.text(panel.left - 4, panel.y(position), label, size, colour,
                         ha="right", va="center", gid="ytick")


def grid(panel: Panel, positions: Sequence[float], axis: str, colour: str = GRID,
         width: float = 0.4) -> None:
    """Thin lines across the panel at data `positions` (drawn first: behind the rest)."""
    for position in positions:
        if axis == "x":
            x = panel.x(position)
            panel.drawing.line(((x, panel.top), (x, panel.bottom)), colour, width, gid="grid")
        else:
            y = panel.y(position)
            panel.drawing.line(((panel.left, y), (panel.right, y)), colour, width, gid="grid")


def draw_legend(drawing: Drawing, legend: Legend, centre: float, top: float) -> None:
    """The legend's rows centred on `centre` (points) from `top` down: columns as wide as
    their widest entry, as a table of swatches reads."""
    size = BASE_SIZE
    cols = -(-len(legend.labels) // legend.rows)
    handle, pad = HANDLE_EM * size, HANDLE_PAD_EM * size
    widths = [max(handle + pad + text_size_pt(legend.labels[r * cols + c], size)[0]
                  for r in range(legend.rows) if r * cols + c < len(legend.labels))
              for c in range(cols)]
    total = sum(widths) + COLUMN_GAP_EM * size * (cols - 1)
    row_h = max(handle, text_size_pt("lp", size)[1])
    for i, (colour, label) in enumerate(zip(legend.colours, legend.labels, strict=True)):
        r, c = divmod(i, cols)
        x = centre - total / 2 + sum(widths[:c]) + COLUMN_GAP_EM * size * c
        y = top + r * (row_h + ROW_GAP_EM * size)
        drawing.rect(x, y + (row_h - handle) / 2, handle, handle, colour, "white", 0.5,
                     gid="legend")
        drawing.text(x + handle + pad, y + row_h / 2, label, size, DARK_TEXT, va="center",
                     gid="legend")


def frame(title: str, subtitle: str, caption: str, panel_in: float, left_in: float,
          legend: Legend | None = None, strip_in: float = 0.0) -> Frame:
    """The drawing with its texts placed and room for a panel `panel_in` high, whose
    left edge is `left_in` from the drawing's (room for the axis labels).

    From the top: title, subtitle, `strip_in` (panel titles), panel, axis numbers,
    legend, caption (the question texts; its gid is 'caption', and the documents' copy
    is cut above it).
    """
    title_h = text_size_pt(title, TITLE_PT, "bold")[1] / 72
    subtitle_h = text_size_pt(subtitle, BASE_SIZE)[1] / 72 if subtitle else 0.0
    caption_h = text_size_pt(caption, MIN_TEXT_PT, linespacing=CAPTION_SPACING)[1] / 72
    axis_h = 0.24
    legend_h = 0.1 + LEGEND_ROW_IN * legend.rows if legend else 0.0
    top = 0.1 + title_h + 0.05 + subtitle_h + 0.14 + strip_in
    height = top + panel_in + axis_h + legend_h + 0.16 + caption_h + 0.1
    pt = PT_PER_IN
    drawing = Drawing(WIDTH_IN * pt, height * pt, title=printable(title).replace("\n", " "))
    drawing.text(EDGE_IN * pt, 0.1 * pt, title, TITLE_PT, DARK_TEXT, va="top", weight="bold",
                 gid="title")
    if subtitle:
        drawing.text(EDGE_IN * pt, (0.15 + title_h) * pt, subtitle, BASE_SIZE, GREY_TEXT,
                     va="top", gid="subtitle")
    below = top + panel_in + axis_h
    if legend:
        draw_legend(drawing, legend, WIDTH_IN / 2 * pt, (below + 0.06) * pt)
    caption_top = (below + legend_h + 0.16) * pt
    drawing.text(EDGE_IN * pt, caption_top, caption, MIN_TEXT_PT, DARK_TEXT, va="top",
                 spacing=CAPTION_SPACING, gid="caption")
    drawing.caption_top = caption_top
    return Frame(drawing, left_in, top, panel_width(left_in), panel_in)


def error_lengths(value, low, high) -> list:
    """How far an interval reaches below and above its value, never negative (a Wilson
    interval's end can sit a rounding error inside a share of 0 or 100 %)."""
    value, low, high = (np.asarray(x, dtype=float) for x in (value, low, high))
    return [np.clip(value - low, 0, None), np.clip(high - value, 0, None)]


def intervals(panel: Panel, at, value, low, high, axis: str, colour: str, width: float,
              cap_pt: float) -> None:
    """Error bars from `low` to `high` (data), at positions `at` across the other axis,
    with caps `cap_pt` either side; axis 'y' for vertical bars, 'x' for horizontal.
    `value` keeps an end a rounding error inside its share from crossing it
    (error_lengths)."""
    below, above = error_lengths(value, low, high)
    at, value = np.asarray(at, dtype=float), np.asarray(value, dtype=float)
    drawing = panel.drawing
    for a, v, b, c in zip(at.tolist(), value.tolist(), below.tolist(), above.tolist(),
                          strict=True):
        if axis == "y":
            x, y0, y1 = panel.x(a), panel.y(v - b), panel.y(v + c)
            drawing.line(((x, y0), (x, y1)), colour, width, gid="interval")
            for y in (y0, y1):
                drawing.line(((x - cap_pt, y), (x + cap_pt, y)), colour, width, gid="interval")
        else:
            y, x0, x1 = panel.y(a), panel.x(v - b), panel.x(v + c)
            drawing.line(((x0, y), (x1, y)), colour, width, gid="interval")
            for x in (x0, x1):
                drawing.line(((x, y - cap_pt), (x, y + cap_pt)), colour, width, gid="interval")


def points(panel: Panel, xs, ys, diameter_pt: float, fill: str, edge: str | None = None,
           edge_width: float = 0.0) -> None:
    """Round markers at data (x, y), `diameter_pt` across (as matplotlib's markersize)."""
    for x, y in zip(np.asarray(xs, dtype=float).tolist(), np.asarray(ys, dtype=float).tolist(),
                    strict=True):
        panel.drawing.circle(panel.x(x), panel.y(y), diameter_pt / 2, fill, edge, edge_width,
                             gid="point")
