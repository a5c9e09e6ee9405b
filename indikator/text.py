"""Text folding for matching what survey tools and hand editing do to Swedish text.

Exports lose or mangle å/ä/ö (OCR, old encodings, ASCII-only tools), change case,
punctuation and spacing; matching is therefore done on a folded form.
"""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def _repair_mojibake(text: str) -> str:
    """Undo UTF-8 read as Windows-1252 ('FÃ¥r' -> 'Får'), a common export accident."""
    if "Ã" not in text and "Â" not in text:
        return text
    try:
        return text.encode("cp1252").decode("utf-8")
    except UnicodeError:
        return text


def fold(text: str) -> str:
    """Lower case, without diacritics, punctuation or extra whitespace: 'Får du …?' -> 'far du'."""
    decomposed = unicodedata.normalize("NFKD", _repair_mojibake(str(text)).casefold())
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    ascii_only = ascii_only.replace("ß", "ss").replace("ø", "o").replace("æ", "ae")
    return _NON_ALNUM.sub(" ", ascii_only).strip()


def compact(text: str) -> str:
    """Folded and without spaces, for names: 'Deltagare, pågående' -> 'deltagarepagaende'."""
    return fold(text).replace(" ", "")


def slug(text: str) -> str:
    """A file-name-safe form: 'Personal Coachingteam' -> 'personal-coachingteam'."""
    return fold(text).replace(" ", "-") or "x"


# "Fråga 3", "Fråga 3.", "F3:", "Q3", "3.", "3)", "Question 3 -" at the start of a header.
_NUMBER_PREFIX = re.compile(
    r"^\s*(?:(?:fr(?:å|aa?)ga|question|q|f)\s*)?(\d{1,3})(?:\s*[.:)\-–]|\s+|$)",
    re.IGNORECASE,
)


def split_number(header: str) -> tuple[int | None, str]:
    """Split a header into its leading question number (if any) and the rest.

    'Fråga 3. Får stödet …' -> (3, 'Får stödet …'); 'F3' -> (3, ''); 'Kön' -> (None, 'Kön').
    A bare word that merely starts with F or Q is not taken as a number.
    """
    match = _NUMBER_PREFIX.match(str(header))
    if match is None:
        return None, str(header).strip()
    return int(match.group(1)), str(header)[match.end() :].strip()
