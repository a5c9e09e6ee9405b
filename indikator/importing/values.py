"""Reading one cell: an answer code, a "vet ej", a year, a completion status."""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable

from indikator.importing.headers import header_text
from indikator.importing.model import YES_NO_10, YES_NO_12
from indikator.questionnaires import Scale
from indikator.reading import Cell
from indikator.text import fold

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
    code = scale.lookup.get(key)
    if code is None and (both := code_and_label(value, scale)) is not None:
        number, labelled = both
        if number == labelled or dict(scale.alternative_codes).get(number) == labelled:
            return labelled  # '6 - Alltid', 'Alltid (6)', '0 - Nej' in a 1/0 column
    return code


_CODE_FIRST = re.compile(r"(\d+) ?([^\d ].*)")  # '6 alltid', and '6alltid' from '6.Alltid'
_CODE_LAST = re.compile(r"(.*[^\d ]) ?(\d+)")


def code_and_label(value: Cell, scale: Scale) -> tuple[int, int] | None:
    """(the code written, the code its label names) for an answer carrying both, as several
    tools export them: '6 - Alltid', '6. Alltid', 'Alltid (6)', '[6] Alltid'; else None.

    Only a label of the scale counts, and only ASCII digits (fold turns '①' into 1)."""
    if not isinstance(value, str) or not any(ch.isascii() and ch.isdigit() for ch in value):
        return None
    key = fold(value)
    for pattern, number_at, label_at in ((_CODE_FIRST, 1, 2), (_CODE_LAST, 2, 1)):
        match = pattern.fullmatch(key)
        if match and match[number_at].isascii():
            labelled = scale.lookup.get(match[label_at])
            if labelled is not None and not match[label_at].isdigit():
                return int(match[number_at]), labelled
    return None


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


_TIMESTAMP = re.compile(
    r"^(?:(?P<iso>20\d{2})[-/.](?:0?[1-9]|1[0-2])[-/.](?:0?[1-9]|[12]\d|3[01])"
    r"|(?:0?[1-9]|[12]\d|3[01])[-/.](?:0?[1-9]|[12]\d|3[01])[-/.](?P<end>20\d{2}))"
    r"(?:[T ].*)?$")


def year_of_timestamp(value: Cell) -> int | None:
    """The year of a time an answer was given, as the tools write it: '2025-03-14
    10:22:03' (a date cell), '2025/03/14 10:22:03 fm CET', '14.3.2025 10:22', '3/14/2025
    10:22:03 AM'. Day and month order does not matter here: only the year is used."""
    if not isinstance(value, str):
        return None
    match = _TIMESTAMP.match(value.strip())
    if match is None:
        return None
    return int(match["iso"] or match["end"])


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
