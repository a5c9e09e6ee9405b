"""The charts' font, measured from its own files by the engine that draws the pixels.

Layout and pixels agree because both use Skia's metrics of the same DejaVu Sans files
(the ones matplotlib ships: the same glyphs on every machine). Widths are advance
widths without kerning, as Skia draws them; the SVG anchors every text at the point the
layout chose (start, middle or end), so a viewer's own kerning never moves a label
off its place.
"""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path

FAMILY = "DejaVu Sans"
FILES = {"normal": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf"}
LINE_SPACING = 1.2  # ascents from one line's descent to the next baseline, as matplotlib had it


def font_folder() -> Path:
    """matplotlib's font folder, found without importing matplotlib (a fifth of a second)."""
    spec = importlib.util.find_spec("matplotlib")
    for place in (spec.submodule_search_locations or []) if spec else []:
        folder = Path(place) / "mpl-data" / "fonts" / "ttf"
        if (folder / FILES["normal"]).is_file():
            return folder
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


@functools.cache
def typeface(weight: str = "normal"):
    """The font file as a Skia typeface, loaded by a font manager of its own: Skia's
    default one asks the system's fontconfig, which knows nothing we need and, on some
    Linux systems, prints warnings about their configuration."""
    import skia

    path = font_folder() / FILES[weight]
    face = skia.FontMgr.New_Custom_Empty().makeFromFile(str(path))
    if face is None:  # pragma: no cover - a damaged installation
        raise OSError(f"kan inte läsa typsnittet {path}")
    return face


@functools.cache
def skia_font(size: float, weight: str = "normal"):
    """A Skia font at `size` points (the canvas is scaled from points to pixels), unhinted
    and with linear metrics, so that a width measured here is the width drawn at any
    resolution."""
    import skia

    font = skia.Font(typeface(weight), size)
    font.setLinearMetrics(True)
    font.setSubpixel(True)
    font.setHinting(skia.FontHinting.kNone)
    font.setEdging(skia.Font.Edging.kAntiAlias)
    return font


@functools.cache
def ems(weight: str = "normal") -> tuple[float, float]:
    """(ascent, descent) per point of size: the top of an 'l' and the bottom of a 'p', the
    box a line of text is centred in (as matplotlib measured 'lp'), so that a label's
    place does not move with the letters in it."""
    font = skia_font(1000.0, weight)
    (top,) = font.getBounds(font.textToGlyphs("l"))
    (bottom,) = font.getBounds(font.textToGlyphs("p"))
    return -top.top() / 1000, bottom.bottom() / 1000


@functools.lru_cache(maxsize=4096)
def width_pt(text: str, size: float, weight: str = "normal") -> float:
    """The advance width of one line of text in points."""
    return skia_font(size, weight).measureText(text) if text else 0.0


@functools.cache
def _ring(weight: str) -> float:
    """The top of an 'å' per point of size: the tallest letter of most Swedish lines."""
    font = skia_font(1000.0, weight)
    (box,) = font.getBounds(font.textToGlyphs("å"))
    return -box.top() / 1000


def line_step(size: float, weight: str = "normal", spacing: float = LINE_SPACING) -> float:
    """Baseline to baseline of a text of several lines, in points: a descent and `spacing`
    times the height of an 'å', as matplotlib spaced a line of Swedish."""
    return (ems(weight)[1] + _ring(weight) * spacing) * size


def text_size_pt(text: str, size: float, weight: str = "normal",
                 spacing: float = LINE_SPACING) -> tuple[float, float]:
    """Width and height in points of a text of one or more lines."""
    lines = text.split("\n")
    ascent, descent = ems(weight)
    width = max(width_pt(line, size, weight) for line in lines)
    return width, (ascent + descent) * size + line_step(size, weight, spacing) * (len(lines) - 1)
