"""Table column widths from what the columns hold, so that no word breaks inside itself.

Word and LibreOffice break a word that is wider than its column ("Beredningsgru|pp"),
so every column is at least as wide as its longest word, measured with DejaVu Sans
(matplotlib's font, wider than Calibri, and the font LibreOffice falls back to without
Calibri or Carlito) plus a slack. What the 16 cm text width has left over goes to the
columns whose text would otherwise wrap, and then to the text columns.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from pathlib import Path

from indikator.report.document import Table
from indikator.text import keep_numbers

TEXT_WIDTH_PT = 16.0 / 2.54 * 72
CELL_PADDING_PT = 2 * 5.4  # the table style's cell margins, 108 twips a side
SLACK = 1.05  # 5 % and 1.5 pt a word for kerning, a bolder substitute font, rounding
SLACK_PT = 1.5
FONT_PT = 9.0


@cache
def _font(bold: bool):
    import matplotlib
    from PIL import ImageFont

    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    path = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name
    # the basic layout: raqm (complex scripts) fails on some typed text, and widths of
    # single words need no shaping
    return ImageFont.truetype(str(path), size=1000, layout_engine=ImageFont.Layout.BASIC)


def text_pt(text: str, bold: bool = False, size: float = FONT_PT) -> float:
    """The width of `text` on one line, in points."""
    return _length(text, bold) / 1000 * size


@lru_cache(maxsize=16384)
def _length(text: str, bold: bool) -> float:
    """The width at 1000 pt: the same words and numbers recur in table after table."""
    return _font(bold).getlength(text)


def _needed(text: str, bold: bool) -> float:
    return text_pt(text, bold) * SLACK + SLACK_PT + CELL_PADDING_PT


def words(text: str) -> list[str]:
    """The parts a line may break between: at spaces and tabs, not at a no-break space
    ("92\u00a0%")."""
    return [w for w in re.split(r"[ \t\n]+", text) if w] or [""]


def _column(t: Table, i: int) -> tuple[float, float]:
    """(narrowest, natural): the longest word's width and the longest cell's on one line,
    the header (bold) included; a number ("50 %") is not broken at all."""
    body = [keep_numbers(row[i]) for row in t.rows]  # as the writer writes them
    narrowest = max([_needed(w, True) for w in words(t.header[i])]
                    + [_needed(w, False) for text in body
                       for w in ([text] if t.numeric[i] else words(text))])
    natural = max([_needed(t.header[i], True)] + [_needed(text, False) for text in body])
    return narrowest, natural


def widths_pt(t: Table, total: float = TEXT_WIDTH_PT) -> list[float]:
    """Each column's width, together `total`: natural widths if they fit, the rest to the
    text columns; else every longest word, the rest in proportion to what would wrap; a
    table whose words alone are wider than the page is scaled down (words then break)."""
    narrowest, natural = zip(*(_column(t, i) for i in range(len(t.header))), strict=True)
    if sum(natural) <= total:
        text = [n if not numeric else 0.0 for n, numeric in zip(natural, t.numeric,
                                                                 strict=True)]
        share = text if sum(text) else list(natural)
        spare = total - sum(natural)
        return [n + spare * s / sum(share) for n, s in zip(natural, share, strict=True)]
    if sum(narrowest) <= total:
        wraps = [n - m for n, m in zip(natural, narrowest, strict=True)]
        spare = total - sum(narrowest)
        return [m + spare * w / sum(wraps) for m, w in zip(narrowest, wraps, strict=True)]
    return [m * total / sum(narrowest) for m in narrowest]


def widths_twips(t: Table) -> list[int]:
    """`widths_pt` in twentieths of a point (Word's dxa), summing to the text width."""
    points = widths_pt(t)
    twips = [int(p * 20) for p in points]
    twips[-1] += round(TEXT_WIDTH_PT * 20) - sum(twips)
    return twips
