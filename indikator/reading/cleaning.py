"""A cell's text as the user sees it: without invisible characters, å/ä/ö repaired.

Both readers pass every non-ASCII text cell through `tidy`, so the importer, the
tables and the messages see the text that Excel shows:

- characters that take no room on screen (text.INVISIBLE: zero-width space and
  joiners, BOM, soft hyphen, direction marks and isolates, word joiner, variation
  selectors) are removed, so "Kö\u200bn" is the header Kön, "2024\u200e" the year
  2024, and a cell holding only a zero-width space is blank;
- text that was UTF-8, read as Windows-1252 and saved again as UTF-8 ("VÃ¥rd") is
  read as it was written ("Vård"), and the sheet gets a warning saying where.

(An emoji joined of several, like a family, then shows as its parts; no insats is
named so, and answers never are.)
"""

from __future__ import annotations

import re

from indikator.errors import Location, Problem
from indikator.text import strip_invisible

# Windows-1252 characters for the bytes 0x80-0xBF: the second byte of å, ä, ö, é …
# in UTF-8. "Ã" (0xC3) or "Â" (0xC2) followed by one of them is a UTF-8 letter read
# byte by byte; "â€" (0xE2 0x80) starts a dash or a quotation mark read so.
_CONTINUATION = "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b)
                        for b in range(0x80, 0xC0))
_DOUBLE = re.compile(f"[\u00c2\u00c3][{re.escape(_CONTINUATION)}]|\u00e2\u20ac")
_UNDEFINED = {chr(b): b for b in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}  # no cp1252 character


def _undo_double(text: str) -> str | None:
    """'VÃ¥rd' -> 'Vård'; None when the text is not UTF-8 read as Windows-1252 throughout."""
    try:
        raw = b"".join(bytes([_UNDEFINED[ch]]) if ch in _UNDEFINED else ch.encode("cp1252")
                       for ch in text)
        repaired = raw.decode("utf-8")
    except UnicodeError:
        return None
    return repaired if repaired != text else None


def tidy(text: str) -> tuple[str, bool]:
    """(the text as shown, whether double-encoded å/ä/ö were repaired)."""
    if text.isascii():
        return text, False
    text = strip_invisible(text)
    if _DOUBLE.search(text):
        repaired = _undo_double(text)
        if repaired is not None:
            return repaired, True
    return text, False


class Repairs:
    """The cells of one sheet whose å/ä/ö were repaired: one warning names the first."""

    def __init__(self) -> None:
        self.count = 0
        self.first: tuple[int, int] | None = None  # (Excel row, 0-based column)

    def add(self, row: int, column: int) -> None:
        self.count += 1
        if self.first is None:
            self.first = (row, column)

    def problems(self, location: Location) -> tuple[Problem, ...]:
        if not self.count:
            return ()
        more = (f" (och {self.count - 1} celler till)" if self.count > 1 else "")
        return (Problem(
            "double-encoded-text",
            f"Cellen{more} hade å, ä eller ö som kodats om två gånger (som \"VÃ¥rd\" för "
            "\"Vård\": UTF-8 som lästs som Windows-1252 och sparats igen). Texten lästes "
            "som den skrevs från början; rätta den i filen om det inte stämmer.",
            location, severity="warning"),)
