"""A drawing written as SVG: shapes as shapes and every text as text (searchable, editable).

Texts are in DejaVu Sans, the font they were measured in, or where a viewer lacks it
Verdana, which has DejaVu's widths; each keeps the anchor the layout gave it (start,
middle, end), so a label stays centred or right-aligned whatever font shows it. The
same drawing always gives the same bytes: no ids, no dates.
"""

from __future__ import annotations

import functools
from xml.sax.saxutils import escape, quoteattr

from indikator.charts.drawing import Circle, Drawing, Line, Rect, Text
from indikator.text import printable

FONTS = "'DejaVu Sans', Verdana, Arial, sans-serif"


@functools.lru_cache(maxsize=1 << 14)
def _n(value: float) -> str:
    """A coordinate to a hundredth of a point, without trailing zeros. Remembered: a chart
    writes a few hundred numbers, mostly the same few (edges, heights, sizes), and equal
    numbers (also 0.0 and -0.0, 1 and 1.0) give equal text."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _edge(item: Rect | Circle) -> str:
    """A shape's outline, if it has one."""
    return (f' stroke="{item.edge}" stroke-width="{_n(item.edge_width)}"'
            if item.edge and item.edge_width else "")


def _element(item) -> str:
    if isinstance(item, Rect):
        edge = _edge(item)
        return (f'<rect x="{_n(item.x)}" y="{_n(item.y)}" width="{_n(item.w)}" '
                f'height="{_n(item.h)}" fill="{item.fill}"{edge}/>')
    if isinstance(item, Line):
        points = " ".join(f"{_n(x)},{_n(y)}" for x, y in item.points)
        dash = (f' stroke-dasharray="{_n(item.dash[0])},{_n(item.dash[1])}"'
                if item.dash else "")
        return (f'<polyline points="{points}" fill="none" stroke="{item.colour}" '
                f'stroke-width="{_n(item.width)}"{dash}/>')
    if isinstance(item, Circle):
        edge = _edge(item)
        return (f'<circle cx="{_n(item.x)}" cy="{_n(item.y)}" r="{_n(item.r)}" '
                f'fill="{item.fill or "none"}"{edge}/>')
    if isinstance(item, Text):
        look = f' font-size="{_n(item.size)}" fill="{item.colour}"'
        if item.anchor != "start":
            look += f' text-anchor="{item.anchor}"'
        if item.weight != "normal":
            look += f' font-weight="{item.weight}"'
        return "\n".join(f'<text x="{_n(item.x)}" y="{_n(item.y + i * item.step)}"{look}>'
                         f"{escape(line)}</text>"
                         for i, line in enumerate(item.lines) if line)
    raise TypeError(type(item).__name__)


def elements(drawing: Drawing) -> list[str]:
    """Each item of the drawing as SVG, in drawing order."""
    return [_element(i) for i in drawing.items]


def svg_text(drawing: Drawing, box: tuple[float, float, float, float] | None = None,
             written: list[str] | None = None) -> str:
    """The SVG of `drawing`, or of what lies in `box` (points: left, top, right, bottom;
    what starts below the box's bottom is left out). `written`: its `elements`, when
    the caller writes more than one copy of the chart."""
    left, top, right, bottom = box or (0.0, 0.0, drawing.width, drawing.height)
    width, height = right - left, bottom - top
    if written is None:
        written = elements(drawing)
    if box is not None:
        written = [e for i, e in zip(drawing.items, written, strict=True)
                   if i.box()[1] < bottom]
    title = f"<title>{escape(printable(drawing.title))}</title>\n" if drawing.title else ""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{_n(width)}pt" '
        f'height="{_n(height)}pt" viewBox="{_n(left)} {_n(top)} {_n(width)} {_n(height)}" '
        f'xml:space="preserve" font-family={quoteattr(FONTS)}>\n{title}'
        f'<rect x="{_n(left)}" y="{_n(top)}" width="{_n(width)}" height="{_n(height)}" '
        'fill="white"/>\n'
        + "\n".join(written) + "\n</svg>\n")
