"""Reading one cell: an answer code, a "vet ej", a year, a completion status."""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable

from ..questionnaires import Scale
from ..reading import Cell
from ..text import fold
from .headers import header_text
from .model import YES_NO_10, YES_NO_12

COMPLETE = {"komplett", "complete", "completed", "fullstandig", "slutford", "klar", "true", "1",
            "ja", "yes", "finished", "submitted", "inskickad", "besvarad", "avslutad"}
INCOMPLETE = {"ofullstandig", "incomplete", "partial", "partiell", "ej slutford", "inte klar",
              "false", "0", "nej", "no", "avbruten", "paborjad", "started", "in progress",
              "pagaende", "ej inskickad", "delvis besvarad", "ej avslutad"}


def _number(value: Cell) -> int | None:
    """An integer-valued cell as int ('3', 3, 3.0), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = str(value).strip()
    if is_ascii_number(text.lstrip("-")):
        return int(text)
    return None


def code_value(value: Cell, scale: Scale, alternative: dict[int, int] | None = None) -> int | None:
    """The code of an answer given as code or label text, or None if it is not on the scale.

    `alternative` maps a column's own codes to ours (0 -> 2 for a ja/nej column coded 1/0).
    """
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        return None
    number = _number(value)
    if number is not None:
        if alternative:
            if number in alternative:
                return alternative[number]
            if number in alternative.values():
                return None  # coded 1/0, so a 2 is not Nej but a mistake
        return number if number in scale.codes else None
    key = fold(value)
    if key.isdigit() and not any(ch.isascii() and ch.isdigit() for ch in str(value)):
        return None  # '²' or '①' folds to a digit, but nobody wrote that code
    return scale.lookup.get(key)


def is_no_answer(value: Cell, no_answer: set[str]) -> bool:
    return isinstance(value, str) and fold(value) in no_answer


def yes_no_coding(values: Iterable[Cell], scale: Scale, option: str) -> tuple[dict[int, int],
                                                                              str | None]:
    """How a column codes its scale's alternative codes (Nej as 0 or 2).

    Returns (mapping to apply, problem); the problem is None unless the column is
    ambiguous: it uses both the alternative code and the code it would stand for.
    """
    if not scale.alternative_codes:
        return {}, None
    if option == YES_NO_12:
        return {}, None
    mapping = dict(scale.alternative_codes)
    if option == YES_NO_10:
        return mapping, None
    # each distinct value once; keyed with its type, as True == 1 and 1 == 1.0 in a set
    distinct = {(type(v), v) for v in values if v is not None}
    numbers = {n for n in (_number(v) for _, v in distinct) if n is not None}
    used_alternative = numbers & set(mapping)
    if not used_alternative:
        return {}, None
    clash = {mapping[a] for a in used_alternative} & numbers
    if clash:
        return {}, (f"Kolumnen har både {', '.join(map(str, sorted(used_alternative)))} och "
                    f"{', '.join(map(str, sorted(clash)))}: det går inte att avgöra om Nej är "
                    "kodat 2 eller 0. Rätta värdena, eller ange kodningen med --ja-nej 1/2 "
                    "eller --ja-nej 1/0.")
    return mapping, None


def is_ascii_number(text: str) -> bool:
    """'12' yes; '²' or '١٢' no: str.isdigit() says yes to them, and int() then fails."""
    return text.isascii() and text.isdigit()


_DATE = re.compile(r"^(\d{4})-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")


def year_of_date(value: Cell) -> int | None:
    """The year of a date written in a year column (a date cell reads as '2025-01-01')."""
    match = _DATE.match(str(value).strip()) if isinstance(value, str) else None
    return int(match.group(1)) if match and 1990 <= int(match.group(1)) <= 2100 else None


@functools.lru_cache(maxsize=4096, typed=True)
def parse_year(value: Cell) -> int | None:
    """A year: 2025, '2025', '2025,0', 2025.0; or the year of a date ('2025-01-01')."""
    if (from_date := year_of_date(value)) is not None:
        return from_date
    try:
        number = float(str(value).strip().replace(",", "."))
    except ValueError:
        return None
    if not math.isfinite(number) or not number.is_integer() or not 1990 <= number <= 2100:
        return None
    return int(number)


def parse_status(value: Cell, header: str) -> bool | None:
    """True = complete, False = incomplete, None = not a status value we know.

    A submit-date column (LimeSurvey's submitdate) is complete when filled.
    """
    if fold(header) == "submitdate":
        return value is not None
    if value is None:
        return None
    key = fold(header_text(value))
    if key in COMPLETE:
        return True
    if key in INCOMPLETE:
        return False
    return None
