"""A drawing rasterised by Skia, a real 2-D engine (the one in Chrome): the chart's pixels,
for the PNG file and the documents' copy.

Skia draws a chart in a few milliseconds, a tenth of what Agg took through matplotlib;
texts are drawn with the same font objects the layout measured (fonts.py), so every
label stands where the layout put it. Rectangles and level or upright lines are drawn on
whole pixels, as matplotlib snapped bars and grid lines: crisp, and a sixth of the cost
of an anti-aliased edge, which Skia fills a call per row; texts, circles and slanted or
dashed lines keep their anti-aliasing.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np

from indikator.charts.drawing import Circle, Drawing, Line, Rect, Text
from indikator.charts.fonts import skia_font
from indikator.charts.png import scratch

NAMED = {"white": "#ffffff", "black": "#000000"}


@functools.lru_cache(maxsize=256)
def colour(name: str) -> int:
    """'#rrggbb' (or white, black) as Skia's opaque ARGB integer."""
    hexa = NAMED.get(name, name).lstrip("#")
    if len(hexa) == 3:
        hexa = "".join(c * 2 for c in hexa)
    return 0xFF000000 | int(hexa[:6], 16)


@functools.lru_cache(maxsize=256)
def _fill(name: str):
    import skia

    return skia.Paint(Color=colour(name), AntiAlias=True, Style=skia.Paint.kFill_Style)


@functools.lru_cache(maxsize=256)
def _stroke(name: str, width: float, dash: tuple[float, float] | None = None):
    import skia

    paint = skia.Paint(Color=colour(name), AntiAlias=True, Style=skia.Paint.kStroke_Style,
                       StrokeWidth=width)
    if dash:
        paint.setPathEffect(skia.DashPathEffect.Make(list(dash), 0))
    return paint


def _draw(canvas, item, grid: Grid) -> None:
    import skia

    if isinstance(item, Rect):
        _draw_rect(canvas, grid, item)
    elif isinstance(item, Line):
        if _is_straight(item):
            _draw_straight(canvas, grid, item)
        elif len(item.points) == 2:
            (x0, y0), (x1, y1) = item.points
            canvas.drawLine(x0, y0, x1, y1, _stroke(item.colour, item.width, item.dash))
        else:
            path = skia.Path()
            path.moveTo(*item.points[0])
            for point in item.points[1:]:
                path.lineTo(*point)
            canvas.drawPath(path, _stroke(item.colour, item.width, item.dash))
    elif isinstance(item, Circle):
        if item.fill:
            canvas.drawCircle(item.x, item.y, item.r, _fill(item.fill))
        if item.edge and item.edge_width:
            canvas.drawCircle(item.x, item.y, item.r, _stroke(item.edge, item.edge_width))
    elif isinstance(item, Text):
        font = skia_font(item.size, item.weight)
        paint = _fill(item.colour)
        shift = {"start": 0.0, "middle": 0.5, "end": 1.0}[item.anchor]
        for i, (line, width) in enumerate(zip(item.lines, item.line_widths(), strict=True)):
            if line:
                canvas.drawString(line, item.x - shift * width, item.y + i * item.step, font,
                                  paint)
    else:
        raise TypeError(type(item).__name__)


@functools.lru_cache(maxsize=256)
def _solid(name: str):
    import skia

    return skia.Paint(Color=colour(name), AntiAlias=False, Style=skia.Paint.kFill_Style)


@dataclass(frozen=True, slots=True)
class Grid:
    """The pixel grid a drawing is rasterised on: `scale` pixels per point, the drawing's
    point (left, top) at pixel (0, 0)."""

    scale: float
    left: float
    top: float


def _snap(a: float, b: float) -> tuple[int, int] | None:
    """[a, b) in pixels as whole pixels: each edge to its nearest pixel boundary, so that
    shapes sharing an edge share a boundary (no seam), and at least the pixel holding the
    middle of anything narrower than one; None for nothing at all."""
    if not (b > a and math.isfinite(a) and math.isfinite(b)):
        return None
    low, high = math.floor(a + 0.5), math.floor(b + 0.5)
    if high <= low:
        low = math.floor((a + b) / 2)
        high = low + 1
    return low, high


def _line_pixels(width: float) -> int | None:
    """A line's width in whole pixels: rounded, at least one, so that every line of one
    width is equally wide; None for no (finite) width, which the SVG does not draw."""
    if not (width > 0 and math.isfinite(width)):
        return None
    return max(1, math.floor(width + 0.5))


def _centred(middle: float, pixels: int) -> tuple[int, int] | None:
    """`pixels` whole pixels centred as near `middle` as the grid allows (None for no
    finite middle)."""
    if not math.isfinite(middle):
        return None
    low = math.floor(middle - pixels / 2 + 0.5)
    return low, low + pixels


def _fill_pixels(canvas, grid: Grid, xs: tuple[int, int] | None,
                 ys: tuple[int, int] | None, name: str) -> None:
    """Fill whole pixels (columns xs, rows ys) with an opaque colour, without
    anti-aliasing: Skia fills those row by row in one pass, where an anti-aliased edge
    costs a call per row (85 µs for a tall grid line at 300 dpi, against 2)."""
    import skia

    if xs is None or ys is None:
        return
    k = grid.scale
    canvas.drawRect(skia.Rect.MakeLTRB(xs[0] / k + grid.left, ys[0] / k + grid.top,
                                       xs[1] / k + grid.left, ys[1] / k + grid.top),
                    _solid(name))


def _draw_rect(canvas, grid: Grid, rect: Rect) -> None:
    """A rectangle on whole pixels, as matplotlib snapped its bars: its fill, and its edge
    (a stroke centred on the outline) as a frame around it, each side as wide as a line
    of that width (at least a pixel), so that two segments sharing a side are parted by
    one such line."""
    k, left, top = grid.scale, grid.left, grid.top
    x0, x1 = sorted(((rect.x - left) * k, (rect.x + rect.w - left) * k))
    y0, y1 = sorted(((rect.y - top) * k, (rect.y + rect.h - top) * k))
    edge = _line_pixels(rect.edge_width * k) if rect.edge else None
    if edge is None:
        _fill_pixels(canvas, grid, _snap(x0, x1), _snap(y0, y1), rect.fill)
        return
    sides = [_centred(v, edge) for v in (x0, x1, y0, y1)]  # each side a line of the edge
    if None in sides:  # a side not a finite number
        return
    (l0, l1), (r0, r1), (t0, t1), (b0, b1) = sides
    _fill_pixels(canvas, grid, (l0, max(r1, l1)), (t0, max(b1, t1)), rect.edge)
    if r0 > l1 and b0 > t1:
        _fill_pixels(canvas, grid, (l1, r0), (t1, b0), rect.fill)


def _is_straight(line: Line) -> bool:
    """A solid level or upright line of two points: what a stroke with butt ends covers
    is a rectangle."""
    if len(line.points) != 2 or line.dash:
        return False
    (x0, y0), (x1, y1) = line.points
    return x0 == x1 or y0 == y1


def _draw_straight(canvas, grid: Grid, line: Line) -> None:
    """A grid line or a tick on whole pixels: crisp, every one of a width equally wide."""
    k, left, top = grid.scale, grid.left, grid.top
    (x0, y0), (x1, y1) = line.points
    width = _line_pixels(line.width * k)
    if width is None:
        return
    if x0 == x1:
        ys = sorted(((y0 - top) * k, (y1 - top) * k))
        _fill_pixels(canvas, grid, _centred((x0 - left) * k, width), _snap(*ys), line.colour)
    else:
        xs = sorted(((x0 - left) * k, (x1 - left) * k))
        _fill_pixels(canvas, grid, _snap(*xs), _centred((y0 - top) * k, width), line.colour)


def size_px(points: float, dpi: float) -> int:
    """Pixels for a length in points (at least one), whole pixels only, as matplotlib
    sized its figures: a 16 cm chart is never wider than 16 cm."""
    return max(1, math.floor(points * dpi / 72 + 1e-6))


def rasterise(drawing: Drawing, dpi: float,
              box: tuple[float, float, float, float] | None = None,
              kept: bool = False) -> np.ndarray:
    """The drawing (or what lies in `box`, points: left, top, right, bottom; what starts
    below its bottom is left out) as opaque RGBA pixels on white, `dpi` per inch.
    `kept`: in this thread's buffer for charts (png.scratch), which the next call with
    `kept` draws over: for pixels used up at once, as a PNG written from them."""
    import skia

    left, top, right, bottom = box or (0.0, 0.0, drawing.width, drawing.height)
    shape = (size_px(bottom - top, dpi), size_px(right - left, dpi), 4)
    pixels = scratch("pixels", shape) if kept else np.empty(shape, np.uint8)
    # on the array itself (no copy), which Skia is told is opaque (it is: white paper,
    # opaque colours): blending onto unpremultiplied pixels, the default, took 1.7 times
    # as long for each glyph
    surface = skia.Surface(pixels, colorType=skia.ColorType.kRGBA_8888_ColorType,
                           alphaType=skia.AlphaType.kOpaque_AlphaType)
    canvas = surface.getCanvas()
    canvas.clear(0xFFFFFFFF)
    canvas.scale(dpi / 72, dpi / 72)
    canvas.translate(-left, -top)
    grid = Grid(dpi / 72, left, top)
    for item in drawing.items:
        if box is None or item.box()[1] < bottom:
            _draw(canvas, item, grid)
    del canvas, surface
    return pixels
