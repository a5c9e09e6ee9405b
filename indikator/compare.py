"""This year against the previous one, from counts alone, with honest statistics.

Everything here works on distribution tables (the columns of distributions.csv),
so last year's pack is as good as last year's raw answers: Mann–Whitney U depends
only on the multiset of answers, which the counts hold exactly (ties included).

Conventions: shares and changes are in percent units; `effect_size` is the
rank-biserial correlation oriented so that a positive value means answers moved
towards the positive end of the scale (Ja, or the high codes); for ja/nej that
equals the change in the share answering Ja.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .questionnaires import Catalog, Scale
from .stats import DEFAULT_MIN_N
from .text import fold

CHANGE_COLUMNS = ["survey", "group", "question", "question_text", "scale", "year",
                  "previous_year", "n", "previous_n", "share_positive", "previous_share_positive",
                  "change_pp", "ci_low_pp", "ci_high_pp", "mean", "previous_mean", "test",
                  "p_value", "p_adjusted", "effect_size", "verdict"]

IMPROVED = "förbättring"
WORSENED = "försämring"
NO_CLEAR_CHANGE = "ingen säker skillnad"
TOO_FEW = "för få svar"
NOT_COMPARABLE = "ej jämförbar"
REAL_CHANGES = (IMPROVED, WORSENED)

MWU = "Mann-Whitney U"
FISHER = "Fishers exakta test"
ALPHA = 0.05
Z95 = 1.959963984540054


def wilson(x: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for a proportion x/n (no continuity correction)."""
    if n == 0:
        return (math.nan, math.nan)
    p = x / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (centre - half, centre + half)


def newcombe_interval(x1: int, n1: int, x2: int, n2: int,
                      z: float = Z95) -> tuple[float, float]:
    """Newcombe's hybrid score interval for p1 - p2 (method 10 of Newcombe 1998)."""
    p1, p2 = x1 / n1, x2 / n2
    l1, u1 = wilson(x1, n1, z)
    l2, u2 = wilson(x2, n2, z)
    d = p1 - p2
    return (d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2),
            d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2))


def direction(scale: Scale) -> int:
    """+1 when the positive answers have the high codes (six-point scales), -1 for Ja = 1."""
    if not scale.positive:
        return 1
    return 1 if max(scale.positive) == max(scale.codes) else -1


def expand(codes: list[int], counts: list[int], sign: int = 1) -> np.ndarray:
    """Counts back to one value per answer: exact for rank tests."""
    return np.repeat(np.asarray(codes, dtype=float) * sign, np.asarray(counts, dtype=int))


def shift_test(codes: list[int], current: list[int], previous: list[int],
               scale: Scale) -> tuple[str, float, float]:
    """(test name, two-sided p, effect size) for a shift between the years' answers."""
    sign = direction(scale)
    if len(codes) == 2:
        from scipy.stats import fisher_exact

        pos = [i for i, c in enumerate(codes) if c in scale.positive] or [0 if sign > 0 else 1]
        neg = [i for i in range(2) if i not in pos]
        table = [[current[pos[0]], current[neg[0]]], [previous[pos[0]], previous[neg[0]]]]
        p = float(fisher_exact(table, alternative="two-sided").pvalue)
        effect = current[pos[0]] / sum(current) - previous[pos[0]] / sum(previous)
        return FISHER, p, effect
    import pingouin as pg

    x = expand(codes, current, sign)
    y = expand(codes, previous, sign)
    if np.ptp(np.concatenate([x, y])) == 0:
        return MWU, 1.0, 0.0  # everybody gave the same answer both years: nothing to rank
    result = pg.mwu(x, y, alternative="two-sided")
    # pingouin 0.7: columns U_val, p_val, RBC; RBC > 0 when x (this year) tends to be larger
    return MWU, float(result["p_val"].iloc[0]), float(result["RBC"].iloc[0])


def holm(p_values: pd.Series) -> pd.Series:
    """Holm-adjusted p-values (NaN stays NaN)."""
    import pingouin as pg

    out = pd.Series(np.nan, index=p_values.index)
    valid = p_values.dropna()
    if len(valid):
        out[valid.index] = pg.multicomp(valid.to_numpy(), method="holm")[1]
    return out


@dataclass(frozen=True)
class YearPair:
    survey: str
    year: int
    previous_year: int


def year_pairs(current: pd.DataFrame, previous: pd.DataFrame) -> list[YearPair]:
    """For each survey: its latest year, and the latest year before it in either table."""
    pairs = []
    for survey in current["survey"].unique():
        year = int(current.loc[current["survey"] == survey, "year"].max())
        years = set(current.loc[current["survey"] == survey, "year"]) | set(
            previous.loc[previous["survey"] == survey, "year"])
        earlier = [int(y) for y in years if y < year]
        if earlier:
            pairs.append(YearPair(survey, year, max(earlier)))
    return pairs


def compare(current: pd.DataFrame, previous: pd.DataFrame, catalog: Catalog,
            min_n: int = DEFAULT_MIN_N, hidden: pd.DataFrame | None = None) -> pd.DataFrame:
    """Compare each survey's latest year with the year before, per group and question.

    current, previous: distribution tables (DISTRIBUTION_COLUMNS); they may be the
        same table when it holds both years.
    hidden: optional group table (survey, year, group, shown) to mark groups that
        exist in a year but were hidden there as `för få svar`.
    Returns CHANGE_COLUMNS, one row per survey, group and question present in both
    years (or hidden in one of them).
    """
    both = pd.concat([current, previous], ignore_index=True).drop_duplicates(
        ["survey", "year", "group", "question", "code"])
    rows = []
    for pair in year_pairs(current, previous):
        now = both[(both["survey"] == pair.survey) & (both["year"] == pair.year)]
        before = both[(both["survey"] == pair.survey) & (both["year"] == pair.previous_year)]
        groups = list(dict.fromkeys([*now["group"], *before["group"]]))
        for group in groups:
            a = now[now["group"] == group]
            b = before[before["group"] == group]
            if a.empty or b.empty:
                if _was_hidden(hidden, pair, group, a.empty):
                    rows.extend(_hidden_rows(pair, group, a if not a.empty else b))
                continue
            for number in sorted(set(a["question"]) & set(b["question"])):
                rows.append(_compare_question(pair, group, a[a["question"] == number],
                                              b[b["question"] == number], catalog, min_n))
    table = pd.DataFrame(rows, columns=CHANGE_COLUMNS)
    if table.empty:
        return table
    table["p_adjusted"] = np.nan
    for _, idx in table.groupby(["survey", "year", "previous_year"]).groups.items():
        table.loc[idx, "p_adjusted"] = holm(table.loc[idx, "p_value"])
    table["verdict"] = [_verdict(r) for r in table.itertuples(index=False)]
    for column in ("question", "year", "previous_year", "n", "previous_n"):
        table[column] = table[column].astype("Int64")
    return table[CHANGE_COLUMNS]


def _was_hidden(hidden: pd.DataFrame | None, pair: YearPair, group: str,
                missing_now: bool) -> bool:
    if hidden is None:
        return False
    year = pair.year if missing_now else pair.previous_year
    row = hidden[(hidden["survey"] == pair.survey) & (hidden["year"] == year)
                 & (hidden["group"] == group)]
    return not row.empty and not bool(row["shown"].iloc[0])


def _hidden_rows(pair: YearPair, group: str, shown: pd.DataFrame) -> list[dict]:
    rows = []
    for number, q in shown.groupby("question", sort=True):
        rows.append({"survey": pair.survey, "group": group, "question": int(number),
                     "question_text": q["question_text"].iloc[0], "scale": q["scale"].iloc[0],
                     "year": pair.year, "previous_year": pair.previous_year, "verdict": TOO_FEW})
    return rows


def _compare_question(pair: YearPair, group: str, a: pd.DataFrame, b: pd.DataFrame,
                      catalog: Catalog, min_n: int) -> dict:
    a, b = a.sort_values("code"), b.sort_values("code")
    row = {"survey": pair.survey, "group": group, "question": int(a["question"].iloc[0]),
           "question_text": a["question_text"].iloc[0], "scale": a["scale"].iloc[0],
           "year": pair.year, "previous_year": pair.previous_year,
           "n": int(a["n"].iloc[0]), "previous_n": int(b["n"].iloc[0])}
    same_text = fold(a["question_text"].iloc[0]) == fold(b["question_text"].iloc[0])
    same_scale = (a["scale"].iloc[0] == b["scale"].iloc[0]
                  and a["code"].tolist() == b["code"].tolist())
    if not (same_text and same_scale):
        row["verdict"] = NOT_COMPARABLE
        return row
    scale = catalog.scale(row["scale"])
    codes = a["code"].astype(int).tolist()
    now, before = a["count"].astype(int).tolist(), b["count"].astype(int).tolist()
    n, m = sum(now), sum(before)
    if n == 0 or m == 0:
        row["verdict"] = TOO_FEW
        return row
    positive = [i for i, c in enumerate(codes) if c in scale.positive]
    x1, x2 = sum(now[i] for i in positive), sum(before[i] for i in positive)
    low, high = newcombe_interval(x1, n, x2, m)
    row.update(share_positive=100 * x1 / n, previous_share_positive=100 * x2 / m,
               change_pp=100 * (x1 / n - x2 / m), ci_low_pp=100 * low, ci_high_pp=100 * high)
    if len(codes) > 2:
        row["mean"] = float(np.dot(codes, now) / n)
        row["previous_mean"] = float(np.dot(codes, before) / m)
    if n < min_n or m < min_n:
        row["verdict"] = TOO_FEW
        return row
    row["test"], row["p_value"], row["effect_size"] = shift_test(codes, now, before, scale)
    return row


def _verdict(row) -> str:
    if isinstance(row.verdict, str) and row.verdict:
        return row.verdict
    if pd.isna(row.p_adjusted):
        return TOO_FEW
    if row.p_adjusted < ALPHA and row.effect_size != 0:
        return IMPROVED if row.effect_size > 0 else WORSENED
    return NO_CLEAR_CHANGE
