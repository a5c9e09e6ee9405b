"""Text folding for matching what survey tools and hand editing do to Swedish text.

Exports lose or mangle å/ä/ö (OCR, old encodings, ASCII-only tools), change case,
punctuation and spacing; matching is therefore done on a folded form.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

_NON_ALNUM = re.compile(r"[^0-9a-z]+")

# Characters that take no room on screen: soft hyphen, zero-width space and joiners,
# direction marks, embeddings, overrides and isolates, word joiner and invisible
# operators, BOM, Mongolian vowel separator, variation selectors, tag characters.
# A header, an answer or an insats name is the same with or without them.
INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
    "\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0"
    "\U000e0000-\U000e0fff]")


def strip_invisible(text: str) -> str:
    """The text without characters that take no room on screen ('Kö\u200bn' -> 'Kön')."""
    return text if text.isascii() else INVISIBLE.sub("", text)


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
    text = strip_invisible(str(text))
    decomposed = unicodedata.normalize("NFKD", _repair_mojibake(text).casefold())
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    ascii_only = ascii_only.replace("ß", "ss").replace("ø", "o").replace("æ", "ae")
    return _NON_ALNUM.sub(" ", ascii_only).strip()


def compact(text: str) -> str:
    """Folded and without spaces, for names: 'Deltagare, pågående' -> 'deltagarepagaende'."""
    return fold(text).replace(" ", "")


def slug(text: str) -> str:
    """A file-name-safe form: 'Personal Coachingteam' -> 'personal-coachingteam'."""
    return fold(text).replace(" ", "-") or "x"


SLUG_MAX = 40  # characters of a name in a file name: the whole stays far below path limits


def unique_slugs(names: Iterable[str], reserved: dict[str, str] | None = None) -> dict[str, str]:
    """A file-name part for each name, unique by construction and safe on every system.

    The readable slug where it is unique ('coachingteam'); where two names share it, it
    is empty, too long or taken ('x' and '–', '.' and '..', 'Команда А' and 'Команда Б'),
    a short checksum of the exact name is added: 'x-3f2a9c'. Only [a-z0-9-] is used,
    so no name is reserved on Windows once the survey id stands in front of it.
    """
    import hashlib

    reserved = dict(reserved or {})
    names = [n for n in dict.fromkeys(names) if n not in reserved]
    base = {n: fold(n).replace(" ", "-")[:SLUG_MAX].strip("-") for n in names}
    counts: dict[str, int] = {}
    for b in base.values():
        counts[b] = counts.get(b, 0) + 1
    taken = set(reserved.values())
    out = dict(reserved)
    for name in names:
        b = base[name]
        if b and counts[b] == 1 and b not in taken:
            out[name] = b
        else:
            digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()
            out[name] = f"{b or 'grupp'}-{digest[:8]}"
        taken.add(out[name])
    return out


@functools.lru_cache(maxsize=65536)
def name_key(text: str) -> str:
    """The key under which two spellings of an insats are one: only case, spacing,
    invisible characters (zero-width space, direction marks) and the Unicode normal form
    are ignored. Nothing else is folded: 'Команда А' ≠ 'Команда Б', 'a:b' ≠ 'a*b'."""
    text = strip_invisible(unicodedata.normalize("NFKC", str(text)))
    return " ".join(text.casefold().split())


FORBUND_PREFIXES = ("samordningsförbundet", "samordningsförbund", "finsamförbundet", "finsam")


@functools.lru_cache(maxsize=4096)
def forbund_key(name: str) -> str:
    """Two spellings of one förbund share this key: as name_key, and a leading or trailing
    'Samordningsförbundet'/'Finsam' set aside ('Samordningsförbundet Norra' = 'norra ')."""
    key = name_key(name)
    for prefix in FORBUND_PREFIXES:
        if key.startswith(prefix + " "):
            return key[len(prefix) + 1:].strip()
        if key.endswith(" " + prefix):
            return key[: -len(prefix) - 1].strip()
    return key


def shown_name(name: str) -> str:
    """A name as every output shows it: one line, control characters escaped, no edge
    spaces."""
    return printable(one_line(name)).strip()


def short_name(text: str, width: int = 120) -> str:
    """A name as shown in titles and summaries: on one line, printable, and cut (…) when
    very long."""
    text = printable(one_line(text))
    return text if len(text) <= width else text[: width - 1] + "…"


_BREAKS = re.compile(r"[\n\r\t\v\f\x1c-\x1e\x85\u2028\u2029]")


def one_line(text: str) -> str:
    """Line breaks, tabs and the like as spaces: a name never starts a line of its own."""
    return _BREAKS.sub(" ", str(text))


# no XML document may hold these (Word, the workbook's XML), and no file may hold a lone
# surrogate (an argument or file name the system could not decode)
_NONCHARACTERS = "\ufffe\uffff"


def printable(text: str) -> str:
    """Text as every output shows what a user typed: control characters (ANSI escapes, a
    vertical tab from Excel), format characters, lone surrogates and the two
    non-characters XML forbids, shown escaped ('\\x1b', '\\udcff'). Line breaks and tabs
    stay. The result can be written to any terminal, UTF-8 file or XML document.

    Each distinct character is judged once (a long report has few), then translated;
    a text Python calls printable (no control, format, surrogate or unassigned
    character, nor a line break or tab) is returned at once: most are, and the
    documents and tables ask hundreds of thousands of times.
    """
    text = str(text)
    if text.isprintable():
        return text
    escapes = {ord(ch): f"\\x{ord(ch):02x}" if ord(ch) < 256 else f"\\u{ord(ch):04x}"
               for ch in set(text)
               if ch not in "\n\t" and (unicodedata.category(ch) in ("Cc", "Cf", "Cs")
                                         or ch in _NONCHARACTERS)}
    return text.translate(escapes) if escapes else text


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


_RANGE = re.compile(r"(?<=\d)([–−-])(?=[\d+−-])")
WORD_JOINER = "\u2060"


def unbroken_ranges(text: str) -> str:
    """'4,2–4,8' and '+1 till +50' kept on one line in a document's table: a word joiner
    after a dash between numbers (Word, LibreOffice and Typst may break a line after an
    en dash, which leaves '4,2–' at a line's end)."""
    return _RANGE.sub(lambda m: m.group(1) + WORD_JOINER, text)


_PERCENT = re.compile(r"(?<=\d) (?=%)")


def keep_numbers(text: str) -> str:
    """A document's text with '73 %' and '4,2–4,8' never broken over two lines."""
    return unbroken_ranges(_PERCENT.sub("\u00a0", text))


def and_list(items: list[str]) -> str:
    """'a', 'a och b', 'a, b och c': a list as a Swedish sentence names it."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " och " + items[-1]
