"""A chart as a display list: rectangles, lines, circles and texts, in points from the top
left of the page, which the writers turn into SVG (svg.py) and pixels (pixels.py).

Charts lay themselves out in inches from measured text sizes (frame.py); what they draw
is these few shapes, so one drawing serves both formats and each writer is a short loop.
A `Panel` maps data coordinates into its box, as an axes did, so the chart modules read
as before: bars at data x and y, labels at data positions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from indikator.charts.fonts import LINE_SPACING, ems, line_step, width_pt
from indikator.text import printable

PT_PER_IN = 72.0


@dataclass(frozen=True, slots=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str
    edge: str | None = None
    edge_width: float = 0.0
    gid: str = ""

    def box(self) -> tuple[float, float, float, float]:
        return self.x, self.y, self.x + self.w, self.y + self.h


@dataclass(frozen=True, slots=True)
class Line:
    """A polyline; `dash` in points (on, off), or none for a solid line."""

    points: tuple[tuple[float, float], ...]
    colour: str
    width: float
    dash: tuple[float, float] | None = None
    gid: str = ""

    def box(self) -> tuple[float, float, float, float]:
        xs = [p[0] for p in self.points]
        ys = [p[1] for p in self.points]
        half = self.width / 2
        return min(xs) - half, min(ys) - half, max(xs) + half, max(ys) + half


@dataclass(frozen=True, slots=True)
class Circle:
    x: float
    y: float
    r: float
    fill: str | None
    edge: str | None = None
    edge_width: float = 0.0
    gid: str = ""

    def box(self) -> tuple[float, float, float, float]:
        reach = self.r + self.edge_width / 2
        return self.x - reach, self.y - reach, self.x + reach, self.y + reach


ANCHORS = {"left": "start", "center": "middle", "right": "end"}


@dataclass(frozen=True, slots=True)
class Text:
    """Lines of text; `x` is where `anchor` (start, middle, end) stands, `y` the first
    line's baseline, `step` the distance between baselines."""

    x: float
    y: float
    lines: tuple[str, ...]
    size: float
    colour: str
    anchor: str = "start"
    weight: str = "normal"
    step: float = 0.0
    gid: str = ""

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def line_widths(self) -> list[float]:
        return [width_pt(line, self.size, self.weight) for line in self.lines]

    def box(self) -> tuple[float, float, float, float]:
        """The text's box: its widest line, from the first line's ascent to the last
        line's descent."""
        width = max(self.line_widths())
        left = self.x - {"start": 0.0, "middle": width / 2, "end": width}[self.anchor]
        ascent, descent = ems(self.weight)
        return (left, self.y - ascent * self.size, left + width,
                self.y + self.step * (len(self.lines) - 1) + descent * self.size)


Item = Rect | Line | Circle | Text


@dataclass
class Drawing:
    """A chart: its size in points and what is drawn, in drawing order.

    `caption_top`: where the question texts under the chart begin (points from the top);
    the documents' copy is cut above it, as the documents print those texts as text.
    """

    width: float
    height: float
    items: list[Item] = field(default_factory=list)
    caption_top: float | None = None
    title: str = ""

    def add(self, item: Item) -> Item:
        self.items.append(item)
        return item

    def rect(self, x: float, y: float, w: float, h: float, fill: str, edge: str | None = None,
             edge_width: float = 0.0, gid: str = "") -> Rect:
        return self.add(Rect(x, y, w, h, fill, edge, edge_width, gid))

    def line(self, points: Sequence[tuple[float, float]], colour: str, width: float,
             dash: tuple[float, float] | None = None, gid: str = "") -> Line:
        return self.add(Line(tuple(points), colour, width, dash, gid))

    def circle(self, x: float, y: float, r: float, fill: str | None, edge: str | None = None,
               edge_width: float = 0.0, gid: str = "") -> Circle:
        return self.add(Circle(x, y, r, fill, edge, edge_width, gid))

    def text(self, x: float, y: float, text: str, size: float, colour: str,
             ha: str = "left", va: str = "baseline", weight: str = "normal",
             spacing: float = LINE_SPACING, gid: str = "") -> Text:
        """A text at (x, y) in points, aligned as matplotlib aligned texts: `ha` left,
        center or right of x; `va` top, center, bottom or baseline at y. Control
        characters are shown escaped (text.printable), as the text was measured."""
        lines = tuple(printable(text).split("\n"))
        ascent, descent = ems(weight)
        step = line_step(size, weight, spacing)
        if va == "baseline":
            top = y - ascent * size
        else:  # only the place asked for is worked out: a chart has dozens of texts
            height = (ascent + descent) * size + step * (len(lines) - 1)
            top = {"top": y, "center": y - height / 2, "bottom": y - height}[va]
        return self.add(Text(x, top + ascent * size, lines, size, colour, ANCHORS[ha],
                             weight, step, gid))

    def texts(self, gid: str | None = None) -> list[Text]:
        """The texts drawn (with this gid, when given)."""
        return [i for i in self.items if isinstance(i, Text) and (gid is None or i.gid == gid)]

    def find(self, kind: type, gid: str | None = None) -> list:
        return [i for i in self.items if isinstance(i, kind) and (gid is None or i.gid == gid)]

    def ink(self, above: float | None = None) -> tuple[float, float, float, float]:
        """The box of everything drawn (whose top is above `above`, when given)."""
        boxes = [i.box() for i in self.items]
        if above is not None:
            boxes = [b for b in boxes if b[1] < above]
        if not boxes:
            return 0.0, 0.0, self.width, self.height
        return (min(b[0] for b in boxes), min(b[1] for b in boxes),
                max(b[2] for b in boxes), max(b[3] for b in boxes))

    def svg(self) -> str:
        """The chart as SVG (svg.py)."""
        from indikator.charts.svg import svg_text

        return svg_text(self)

    def png(self, dpi: float = 300) -> bytes:
        """The chart as PNG at `dpi` (pixels.py, png.py)."""
        from indikator.charts.pixels import rasterise
        from indikator.charts.png import png_bytes

        return png_bytes(rasterise(self, dpi), dpi)

    def save(self, path, dpi: float = 300):
        """Write the chart to `path`, as PNG or SVG by its suffix (for a notebook; the
        pack writes its charts with output.files.write_drawing)."""
        from pathlib import Path

        path = Path(path)
        if path.suffix.lower() == ".svg":
            path.write_text(self.svg(), encoding="utf-8")
        elif path.suffix.lower() == ".png":
            path.write_bytes(self.png(dpi))
        else:
            raise ValueError(f"{path.name}: ett diagram sparas som .png eller .svg")
        return path

    def _repr_svg_(self) -> str:
        """Shown inline in a notebook."""
        return self.svg()


@dataclass(frozen=True)
class Panel:
    """A box of the drawing (points) with data limits: `x(v)` and `y(v)` place data values
    in it, the y axis upwards as a chart reads."""

    drawing: Drawing
    left: float
    top: float
    width: float
    height: float
    xlim: tuple[float, float] = (0.0, 1.0)
    ylim: tuple[float, float] = (0.0, 1.0)

    def limits(self, xlim: tuple[float, float], ylim: tuple[float, float]) -> Panel:
        return Panel(self.drawing, self.left, self.top, self.width, self.height,
                     (float(xlim[0]), float(xlim[1])), (float(ylim[0]), float(ylim[1])))

    def x(self, value: float) -> float:
        lo, hi = self.xlim
        return self.left + (float(value) - lo) / (hi - lo) * self.width

    def y(self, value: float) -> float:
        lo, hi = self.ylim
        return self.top + self.height - (float(value) - lo) / (hi - lo) * self.height

    @property
    def bottom(self) -> float:
        return self.top + self.height

    @property
    def right(self) -> float:
        return self.left + self.width
