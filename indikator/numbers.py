"""Numbers as a Swedish reader sees them: signed percentage points, levels, intervals.

One place, so that the summary, the charts and the tables print the same
figures, and so that a bound above 0 is never printed as "+0".
"""

from __future__ import annotations

import math

MINUS = "\u2212"


def whole(value: float) -> int:
    """A share as the charts print it: whole percent, rounded half up (62.5 -> 63)."""
    return math.floor(value + 0.5)


def figure(value: float, measure: str, target: float | None = None) -> str:
    """A goal's value as printed: whole percent ('75 %') or one decimal for a mean ('4,0');
    while value and target, rounded alike, look equal without being so, one more decimal
    ('74,6 %' against a target of 75; '3,96' against 4), so that the printed value never
    seems to sit on a target it misses or meets."""
    near, decimals = _near(value, target, measure)
    return near + _figure(value, measure, decimals)


def figures(value: float, target: float, measure: str) -> tuple[str, str]:
    """A value and the target it is judged against (last year's value), printed with the
    same decimals, enough to tell them apart when they differ."""
    near, decimals = _near(value, target, measure)
    return near + _figure(value, measure, decimals), _figure(target, measure, decimals)


def _near(value: float, target: float | None, measure: str) -> tuple[str, int]:
    """The decimals to print, and 'knappt ' / 'drygt ' when even four decimals would print
    a value that differs from its target as the target (69,99999 against 70): then the
    target's own decimals with the word ('knappt 70 %'), never '70,0000 %' for a miss."""
    decimals = _decimals(value, measure, target)
    if (target is None or math.isnan(target) or value == target
            or _round_half_up(value, decimals) != _round_half_up(target, decimals)):
        return "", decimals
    exact = _decimals(value, measure, None)  # as few as print the target itself
    while exact < 4 and abs(_round_half_up(target, exact) - target) > 1e-9:
        exact += 1
    return ("knappt " if value < target else "drygt "), exact


def _decimals(value: float, measure: str, target: float | None) -> int:
    decimals = 1 if measure == "mean" else 0
    while (decimals < 4 and target is not None and not math.isnan(target)
           and value != target
           and _round_half_up(value, decimals) == _round_half_up(target, decimals)):
        decimals += 1
    return decimals


def _figure(value: float, measure: str, decimals: int) -> str:
    text = f"{_round_half_up(value, decimals):.{decimals}f}".replace(".", ",")
    return text if measure == "mean" else f"{text}\u00a0%"


def _round_half_up(value: float, decimals: int) -> float:
    factor = 10 ** decimals
    return math.copysign(math.floor(abs(value) * factor + 0.5) / factor, value)


def pp(value: float) -> str:
    """'+28', '−3', '±0'; a value that rounds to 0 keeps the decimals that show its sign
    ('+0,4'), so that a printed bound is above 0 exactly when the bound is."""
    if value == 0:
        return "±0"
    for decimals in range(4):
        shown = _round_half_up(value, decimals)
        if shown != 0:
            text = f"{abs(shown):.{decimals}f}".replace(".", ",")
            return ("+" if value > 0 else MINUS) + text
    return ("+" if value > 0 else MINUS) + "0,0001"


def level(percent: float) -> str:
    """'95 %', '99,3 %' (a Bonferroni level keeps one decimal; 99.95 is never '100 %')."""
    whole = round(percent)
    if abs(percent - whole) < 1e-9:
        return f"{whole}\u00a0%"
    return f"{math.floor(percent * 10) / 10:.1f}".replace(".", ",") + "\u00a0%"


def interval(low: float, high: float) -> str:
    """'+9 till +44'."""
    return f"{pp(low)} till {pp(high)}"
