"""Rectangles and straight lines are drawn on whole pixels (pixels.py): crisp edges, as
matplotlib snapped its bars and grid lines, and no anti-aliased edge, which Skia fills a
call per row (a tall grid line cost 85 µs instead of 6).

Checked over generated shapes, resolutions and crops: only the shape's own colours are
drawn (no blend with the paper), each edge lies within half a pixel of where the
drawing puts it, neighbours meet without a seam, and lines of one width are equally wide
wherever they stand.
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from indikator.charts.drawing import Drawing
from indikator.charts.pixels import rasterise

FILL, OTHER, EDGE = "#336699", "#88aa22", "#cc3311"
WHITE = (255, 255, 255)

places = st.floats(10, 60, allow_nan=False)
lengths = st.floats(0.05, 60, allow_nan=False)
SIZE = 140.0  # points: a drawing a little larger than any shape made here
dpis = st.sampled_from([72, 100, 150, 200, 300])
# the documents' copy starts inside the drawing, clear of every shape: a shape starts at
# 10 pt and its edge (at most 2 pt wide) reaches 1 pt outside it (a crop at 9.5 cut the
# edge itself, and the side measured narrower than it is drawn)
crops = st.tuples(st.floats(0, 8.5), st.floats(0, 8.5))


def rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


def drawn(drawing: Drawing, dpi: float, crop: tuple[float, float]) -> np.ndarray:
    left, top = crop
    return rasterise(drawing, dpi, (left, top, drawing.width, drawing.height))[..., :3]


def painted(pixels: np.ndarray, colour: str) -> np.ndarray:
    return (pixels == rgb(colour)).all(axis=2)


def span(mask: np.ndarray) -> tuple[int, int, int, int]:
    """The rectangle `mask` fills, which must be all of it: columns [x0, x1), rows [y0, y1)."""
    rows, cols = np.nonzero(mask.any(axis=1))[0], np.nonzero(mask.any(axis=0))[0]
    assert rows.size and cols.size, "nothing drawn"
    x0, x1, y0, y1 = cols[0], cols[-1] + 1, rows[0], rows[-1] + 1
    assert mask[y0:y1, x0:x1].all() and mask.sum() == (x1 - x0) * (y1 - y0)
    return x0, x1, y0, y1


def assert_on_grid(low: int, high: int, a: float, b: float) -> None:
    """[low, high) whole pixels for the true extent [a, b): each edge at its nearest pixel
    boundary, or, for what rounds to nothing, the one pixel holding its middle."""
    assert high - low >= 1
    if high - low == 1 and low <= (a + b) / 2 < high:
        return
    assert abs(low - a) <= 0.5 + 1e-3 and abs(high - b) <= 0.5 + 1e-3, (low, high, a, b)


@settings(max_examples=150, deadline=None)
@given(places, places, lengths, lengths, dpis, crops)
def test_a_rectangle_fills_whole_pixels_in_its_own_colour(x, y, w, h, dpi, crop):
    drawing = Drawing(SIZE, SIZE)
    drawing.rect(x, y, w, h, FILL)
    pixels = drawn(drawing, dpi, crop)
    fill = painted(pixels, FILL)
    assert (fill | painted(pixels, "#ffffff")).all()  # no blend with the paper
    x0, x1, y0, y1 = span(fill)
    k = dpi / 72
    assert_on_grid(x0, x1, (x - crop[0]) * k, (x + w - crop[0]) * k)
    assert_on_grid(y0, y1, (y - crop[1]) * k, (y + h - crop[1]) * k)


@settings(max_examples=150, deadline=None)
@given(places, places, st.floats(0.5, 40), st.floats(0.5, 40), lengths, dpis, crops)
def test_neighbours_meet_without_a_seam(x, y, w1, w2, h, dpi, crop):
    """Two segments of a bar sharing an edge: the second begins on the pixel after the
    first ends, with no paper and no blended column between them (each is over a pixel
    wide: a narrower one may round to the pixel its neighbour takes)."""
    assume(min(w1, w2) * dpi / 72 >= 1.5)
    drawing = Drawing(SIZE, SIZE)
    drawing.rect(x, y, w1, h, FILL)
    drawing.rect(x + w1, y, w2, h, OTHER)
    pixels = drawn(drawing, dpi, crop)
    first, second = painted(pixels, FILL), painted(pixels, OTHER)
    assert (first | second | painted(pixels, "#ffffff")).all()
    (a0, a1, ay0, ay1), (b0, b1, by0, by1) = span(first), span(second)
    assert a0 < a1 == b0 < b1 and (ay0, ay1) == (by0, by1)


@settings(max_examples=100, deadline=None)
@given(st.lists(places, min_size=2, max_size=4), st.floats(0.1, 3), dpis, crops,
       st.booleans())
def test_straight_lines_of_one_width_are_equally_wide(at, width, dpi, crop, upright):
    """Grid lines and ticks: their width rounded to whole pixels (at least one) wherever
    they stand, their length from end to end."""
    drawing = Drawing(SIZE, SIZE)
    for i, place in enumerate(sorted(set(round(p, 1) for p in at))):
        offset = 3.0 + 4.0 * i  # below the crop, and apart, so that no two touch
        if upright:
            drawing.line([(place + offset, 10.0), (place + offset, 70.0)], FILL, width)
        else:
            drawing.line([(10.0, place + offset), (70.0, place + offset)], FILL, width)
    pixels = drawn(drawing, dpi, crop)
    line = painted(pixels, FILL)
    assert (line | painted(pixels, "#ffffff")).all()
    k = dpi / 72
    profile = line.any(axis=0 if upright else 1)  # the columns (rows) a line covers
    edges = np.flatnonzero(np.diff(np.concatenate([[0], profile.astype(int), [0]])))
    widths = set(edges[1::2] - edges[0::2])
    assert widths == {max(1, int(np.floor(width * k + 0.5)))}
    along = line.any(axis=1 if upright else 0)
    low, high = np.flatnonzero(along)[[0, -1]]
    assert_on_grid(low, high + 1, (10.0 - crop[1 if upright else 0]) * k,
                   (70.0 - crop[1 if upright else 0]) * k)


@settings(max_examples=150, deadline=None)
@given(places, places, st.floats(2, 60), st.floats(2, 60), st.floats(0.2, 2), dpis, crops)
def test_an_edge_frames_the_fill(x, y, w, h, edge_width, dpi, crop):
    """A segment with an edge (a stroke centred on its outline): the edge colour as a
    frame whose every side is as wide as a line of that width (rounded to whole pixels,
    at least one) and centred on the outline to half a pixel, the fill inside it,
    nothing blended (the segment is wider than its edge: a narrower one is all edge)."""
    assume(min(w, h) - edge_width >= 2 * 72 / dpi)
    drawing = Drawing(SIZE, SIZE)
    drawing.rect(x, y, w, h, FILL, EDGE, edge_width)
    pixels = drawn(drawing, dpi, crop)
    fill, edge = painted(pixels, FILL), painted(pixels, EDGE)
    assert (fill | edge | painted(pixels, "#ffffff")).all()
    k = dpi / 72
    breadth = max(1, int(np.floor(edge_width * k + 0.5)))
    outer, inner = span(fill | edge), span(fill)
    sides = [(outer[0], inner[0], x - crop[0]), (inner[1], outer[1], x + w - crop[0]),
             (outer[2], inner[2], y - crop[1]), (inner[3], outer[3], y + h - crop[1])]
    for low, high, true in sides:
        assert high - low == breadth
        assert abs((low + high) / 2 - true * k) <= 0.5 + 1e-3


@settings(max_examples=100, deadline=None)
@given(places, places, st.floats(2, 40), st.floats(2, 40), st.floats(2, 40),
       st.floats(0.2, 2), dpis, crops)
def test_edged_neighbours_are_parted_by_one_edge(x, y, w1, w2, h, edge_width, dpi, crop):
    """Two segments with white edges sharing a side (as a stacked bar's): between their
    fills exactly one edge's width of the edge colour, at every resolution (never a
    separator lost, never a double one)."""
    assume(min(w1, w2, h) - edge_width >= 2 * 72 / dpi)
    drawing = Drawing(SIZE, SIZE)
    drawing.rect(x, y, w1, h, FILL, EDGE, edge_width)
    drawing.rect(x + w1, y, w2, h, OTHER, EDGE, edge_width)
    pixels = drawn(drawing, dpi, crop)
    first, second = span(painted(pixels, FILL)), span(painted(pixels, OTHER))
    assert second[0] - first[1] == max(1, int(np.floor(edge_width * dpi / 72 + 0.5)))
    row = pixels[(first[2] + first[3]) // 2, first[1]:second[0]]
    assert (row == rgb(EDGE)).all()


@settings(max_examples=50, deadline=None)
@given(st.sampled_from([math.nan, math.inf, -math.inf, 0.0, -1.0]), dpis, st.booleans())
def test_a_shape_of_no_size_draws_nothing(bad, dpi, line):
    """A line of no (or no finite) width, a rectangle of no finite size: nothing drawn,
    as in the SVG, and no error; a rectangle whose edge has no finite width, its fill."""
    drawing = Drawing(SIZE, SIZE)
    if line:
        drawing.line([(20.0, 20.0), (20.0, 80.0)], FILL, bad)
        drawing.line([(20.0, 40.0), (90.0, 40.0)], FILL, bad)
    elif bad >= 0 or not math.isfinite(bad):  # (a negative size is drawn as its mirror)
        drawing.rect(20.0, 20.0, bad, 30.0, FILL)
        drawing.rect(30.0, 20.0, 30.0, bad, FILL)
    drawing.rect(60.0, 60.0, 20.0, 20.0, OTHER, EDGE, bad)
    pixels = drawn(drawing, dpi, (0.0, 0.0))
    assert not painted(pixels, FILL).any() and not painted(pixels, EDGE).any()
    assert painted(pixels, OTHER).any()
