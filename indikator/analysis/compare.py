"""This year against the previous one, from counts alone, with statistics a board can read.

The headline of every comparison is the change in the share of positive answers,
in percentage points, with its confidence interval. The verdict printed beside it
is the test that this interval inverts, so the two can never disagree:

* interval: Newcombe's hybrid score interval for a difference of proportions,
  built from two continuity-corrected Wilson intervals (method 11 of Newcombe
  1998). With a förbund's 5–30 answers the uncorrected version (method 10) covers
  a little less than it claims on average; the corrected one covers the nominal level
  on average (about 97–98 % at 95 %), but not for every true pair of shares: with few
  answers and shares near 0 or 100 % it falls below, down to about 92 % at 95 %
  (tests/test_compare.py computes the exact coverage);
* test: p is the smallest α at which the (1 − α) interval leaves out 0 (the
  interval's dual), so p < α exactly when the interval lies on one side of 0;
* multiplicity: Bonferroni within a *family* — one survey, one group and one pair
  of years, i.e. the questions a reader sees together. With m tests in the family
  the printed interval has level 1 − 0.05/m and p_adjusted = min(1, m·p); then
  "säker förbättring" ⇔ p_adjusted < 0.05 ⇔ the printed interval lies above 0.

A question whose share is 0 % or 100 % in both years has no variation to test;
it gets "ingen säker förändring" and does not enter the family (it would only
weaken the others). A question with fewer than min_n answers in either year gets
"för få svar" and no numbers at all.

Mann–Whitney U on the whole six-point distribution (Fisher's exact test for
ja/nej) is kept as extra columns (`distribution_*`, Holm within the same family):
it says whether the answers moved, not by how much the share changed, and it is
never the verdict.

Everything here works on distribution tables (the columns of distributions.csv),
so last year's pack is as good as last year's raw answers: the counts hold the
multiset of answers exactly (ties included).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from indikator.analysis.stats import DEFAULT_MIN_N, large_enough
from indikator.questionnaires import Catalog, Scale
from indikator.text import fold
from indikator.words import IMPROVED, NO_CLEAR_CHANGE, NOT_COMPARABLE, TOO_FEW, WORSENED

CHANGE_COLUMNS = ["survey", "group", "question", "question_text", "scale", "year",
                  "previous_year", "n", "previous_n", "share_positive", "previous_share_positive",
                  "change_pp", "ci_low_pp", "ci_high_pp", "ci_level", "family_size", "p_value",
                  "p_adjusted", "verdict", "detectable_change_pp", "mean", "previous_mean",
                  "distribution_test", "distribution_p", "distribution_p_holm",
                  "distribution_effect"]
FAMILY = ["survey", "group", "year", "previous_year"]

REAL_CHANGES = (IMPROVED, WORSENED)

MWU = "Mann-Whitney U"
FISHER = "Fishers exakta test"
ALPHA = 0.05
Z95 = 1.959963984540054


def wilson(x: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for a proportion x/n (no continuity correction). Its bound
    at x = 0 is exactly 0 and at x = n exactly 1 (in floating point the formula leaves
    1e-15, and an interval '1,4e-15–12' would not hold its own value 0)."""
    if n == 0:
        return (math.nan, math.nan)
    p = x / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (0.0 if x == 0 else centre - half, 1.0 if x == n else centre + half)


def change_pp(x1: int, n1: int, x2: int, n2: int) -> float:
    """100 · (x1/n1 − x2/n2) from the integers: one division of exact integers, so that a
    half-way change (5/8 → 2/5: −22.5) is −22.5, not −22.499999999999996, and is printed
    as the two rounded shares beside it say (63 % and 40 %: −23)."""
    return 100 * (x1 * n2 - x2 * n1) / (n1 * n2)


def wilson_cc(x: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval with continuity correction (method 4 of Newcombe 1998)."""
    if n == 0:
        return (math.nan, math.nan)
    p = x / n
    denom = 2 * (n + z * z)
    low = 0.0 if x == 0 else max(0.0, (2 * n * p + z * z - 1 - z * math.sqrt(
        max(0.0, z * z - 2 - 1 / n + 4 * p * (n * (1 - p) + 1)))) / denom)
    high = 1.0 if x == n else min(1.0, (2 * n * p + z * z + 1 + z * math.sqrt(
        max(0.0, z * z + 2 - 1 / n + 4 * p * (n * (1 - p) - 1)))) / denom)
    return (low, high)


def newcombe_interval(x1: int, n1: int, x2: int, n2: int, z: float = Z95,
                      correction: bool = True) -> tuple[float, float]:
    """Newcombe's hybrid score interval for p1 - p2.

    correction=True: method 11 of Newcombe 1998 (continuity-corrected Wilson
    intervals), the one the pack prints; False: method 10.
    """
    p1, p2 = x1 / n1, x2 / n2
    single = wilson_cc if correction else wilson
    l1, u1 = single(x1, n1, z)
    l2, u2 = single(x2, n2, z)
    d = p1 - p2
    return (d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2),
            d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2))


@functools.lru_cache(maxsize=65536)
def newcombe_p_value(x1: int, n1: int, x2: int, n2: int) -> float:
    """Two-sided p of H0: p1 = p2 as the dual of the Newcombe interval.

    The interval widens steadily with z (both Wilson bounds move outwards), so
    there is one z* at which its near bound touches 0; p = 2·(1 − Φ(z*)) is the
    smallest α whose (1 − α) interval leaves out 0. p = 1 when even the
    narrowest interval (z = 0, the continuity correction alone) covers 0. NaN
    when both shares are 0 or both are 1: nothing varies, so nothing to test.
    """
    from scipy.optimize import brentq
    from scipy.stats import norm  # scipy on first use: `validate` never loads it

    if is_degenerate(x1, n1, x2, n2):
        return math.nan
    d = x1 / n1 - x2 / n2
    if d == 0:
        return 1.0

    def near_bound(z: float) -> float:
        low, high = newcombe_interval(x1, n1, x2, n2, z)
        return low if d > 0 else -high

    if near_bound(0.0) <= 0:
        return 1.0
    z_star = brentq(near_bound, 0.0, 80.0, xtol=1e-13, rtol=1e-15, maxiter=500)
    return float(2 * norm.sf(z_star))


def is_degenerate(x1: int, n1: int, x2: int, n2: int) -> bool:
    """Both years all positive, or both none: the share cannot have changed."""
    return (x1 == 0 and x2 == 0) or (x1 == n1 and x2 == n2)


def family_z(m: int, alpha: float = ALPHA) -> float:
    """The normal quantile of a Bonferroni interval for m tests (m = 0 counts as 1)."""
    from scipy.stats import norm  # scipy on first use: `validate` never loads it

    return float(norm.isf(alpha / (2 * max(m, 1))))


POWER = 0.8
STEP = 0.005  # the search grid: changes of half a percentage point


def wilson_cc_bounds(n: int, z: float) -> tuple[np.ndarray, np.ndarray]:
    """wilson_cc for every x = 0..n at once: (lower bounds, upper bounds) as arrays."""
    x = np.arange(n + 1)
    p = x / n
    denom = 2 * (n + z * z)
    low = (2 * n * p + z * z - 1 - z * np.sqrt(
        np.maximum(0.0, z * z - 2 - 1 / n + 4 * p * (n * (1 - p) + 1)))) / denom
    high = (2 * n * p + z * z + 1 + z * np.sqrt(
        np.maximum(0.0, z * z + 2 - 1 / n + 4 * p * (n * (1 - p) - 1)))) / denom
    low = np.where(x == 0, 0.0, np.maximum(0.0, low))
    high = np.where(x == n, 1.0, np.minimum(1.0, high))
    return low, high


def improvement_region(n1: int, n0: int, z: float) -> np.ndarray:
    """Boolean (n1 + 1) × (n0 + 1) matrix: True where x1 of n1 against x0 of n0 gets
    `förbättring`, i.e. the method 11 interval at z (newcombe_interval) lies above 0."""
    l1, _ = wilson_cc_bounds(n1, z)
    _, u0 = wilson_cc_bounds(n0, z)
    p1 = np.arange(n1 + 1) / n1
    p0 = np.arange(n0 + 1) / n0
    # low = p1 - p0 - sqrt((p1 - l1)² + (u0 - p0)²) > 0, element by element as one
    # expression computes it, in blocks of rows into reused buffers: the aggregate of a
    # nation has thousands of answers, and whole-matrix temporaries were most of its time
    spread1, spread0 = (p1 - l1)[:, None] ** 2, (u0 - p0)[None, :] ** 2
    region = np.empty((n1 + 1, n0 + 1), dtype=bool)
    rows = max(1, 32768 // (n0 + 1))
    width, diff = np.empty((rows, n0 + 1)), np.empty((rows, n0 + 1))
    for start in range(0, n1 + 1, rows):
        block = slice(start, min(start + rows, n1 + 1))
        k = block.stop - block.start
        np.add(spread1[block], spread0, out=width[:k])
        np.sqrt(width[:k], out=width[:k])
        np.subtract(p1[block, None], p0[None, :], out=diff[:k])
        np.subtract(diff[:k], width[:k], out=diff[:k])
        np.greater(diff[:k], 0, out=region[block])
    region[n1, n0] = False  # all positive both years: nothing to test (is_degenerate)
    return region


def detection_power(p1: float | np.ndarray, n1: int, n0: int, z: float,
                    p0: float = 0.5) -> np.ndarray:
    """Exact probability that the pack's verdict is `förbättring` when the true share
    goes from p0 (n0 answers) to p1 (n1 answers): both binomials enumerated."""
    p1 = np.atleast_1d(np.asarray(p1, dtype=float))
    pmf1 = _binomial_pmf(n1, tuple(p1.tolist()))
    pmf0 = _binomial_pmf(n0, p0)
    # the region as the float matrix that `bool @ float` casts it to anyway (the same
    # matrix-vector product on the same numbers): numpy's cast inside matmul took 10× longer
    return pmf1 @ (improvement_region(n1, n0, z).astype(np.float64) @ pmf0)


@functools.lru_cache(maxsize=1024)
def _binomial_pmf(n: int, shares: float | tuple[float, ...]) -> np.ndarray:
    """Bin(n, p).pmf(0..n): one row per p of a tuple, a vector for one p (read-only).
    detectable_change asks for the same n and shares for every family z, and scipy's pmf
    was most of its time."""
    from scipy.stats import binom  # scipy on first use: `validate` never loads it

    if not isinstance(shares, tuple):
        pmf = binom.pmf(np.arange(n + 1), n, shares)
    else:
        p = np.asarray(shares, dtype=float)
        pmf = binom.pmf(np.arange(n + 1)[None, :], n, p[:, None])
    pmf.flags.writeable = False
    return pmf


@functools.lru_cache(maxsize=4096)
def detectable_change(n1: int, n0: int, z: float = Z95, power: float = POWER) -> float:
    """The smallest change from 50 % that the pack's own verdict finds with probability
    `power`, in percentage points; NaN when not even a change to 100 % is.

    The verdict is the one every comparison row gets: Newcombe's method 11 interval
    (newcombe_interval) at the family's z lies wholly above 0. Last year's share is
    50 % with n0 answers, this year's p1 with n1 answers; x1 ~ Bin(n1, p1) and
    x0 ~ Bin(n0, 0.5) are enumerated exactly (no normal approximation, no simulation).
    p1 runs from 50 % to 100 % in half-point steps, and the answer is the smallest p1
    from which on the power stays at least `power` (the power need not rise strictly
    with p1 on a lattice). 50 % is the worst case (the widest intervals); a fall from
    50 % is the mirror image (x → n − x) and needs the same change.
    """
    steps = np.arange(1, round(0.5 / STEP) + 1)
    powers = detection_power(0.5 + steps * STEP, n1, n0, z)
    short = np.flatnonzero(powers < power)
    if short.size and short[-1] == len(steps) - 1:
        return math.nan
    first = 0 if not short.size else short[-1] + 1
    return float(100 * steps[first] * STEP)


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
    """(test name, two-sided p, effect size) for a shift of the whole distribution.

    NaN p when every answer of both years is the same (the rank test is undefined).
    """
    sign = direction(scale)
    if len(codes) == 2:
        from scipy.stats import fisher_exact

        pos = [i for i, c in enumerate(codes) if c in scale.positive] or [0 if sign > 0 else 1]
        neg = [i for i in range(2) if i not in pos]
        table = [[current[pos[0]], current[neg[0]]], [previous[pos[0]], previous[neg[0]]]]
        effect = current[pos[0]] / sum(current) - previous[pos[0]] / sum(previous)
        if min(sum(col) for col in zip(*table, strict=True)) == 0:
            return FISHER, math.nan, effect
        p = float(fisher_exact(table, alternative="two-sided").pvalue)
        return FISHER, p, effect
    x = expand(codes, current, sign)
    y = expand(codes, previous, sign)
    if np.ptp(np.concatenate([x, y])) == 0:
        return MWU, math.nan, 0.0  # everybody gave the same answer both years: nothing to rank
    p, rbc = mann_whitney(x, y)
    return MWU, p, rbc


def mann_whitney(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """(two-sided p, rank-biserial correlation) of Mann–Whitney U, as pingouin.mwu (0.7)
    computes them: scipy's test and RBC = 1 − 2·U_y/(n_x·n_y), > 0 when x (this year)
    tends to be larger. The same operations in the same order, so the same bits, without
    pingouin's n_x × n_y matrix and DataFrame (most of the time of a comparison)."""
    from scipy.stats import mannwhitneyu  # scipy on first use: `validate` never loads it

    # the test itself, without scipy's wrapper for NaN and axes (two 1-d arrays without
    # NaN need neither; it took more than half of each call)
    test = getattr(mannwhitneyu, "__wrapped__", mannwhitneyu)
    u_x, p = test(x, y, alternative="two-sided")
    u_y = x.shape[0] * y.shape[0] - u_x
    rbc = 1 - (2 * u_y) / (x.shape[0] * y.shape[0])
    return float(p), float(rbc)


def holm(p_values: pd.Series) -> pd.Series:
    """Holm-adjusted p-values (NaN stays NaN and is not counted)."""
    return pd.Series(holm_adjusted(p_values.to_numpy(dtype=float)), index=p_values.index)


def holm_adjusted(p_values: np.ndarray) -> np.ndarray:
    """holm on an array: pingouin.multicomp(method="holm") (0.7) on the p-values that are
    not NaN, the same operations; importing pingouin (and matplotlib with it) for these
    lines cost more than every comparison."""
    out = np.full(p_values.shape, np.nan)
    valid = ~np.isnan(p_values)
    if valid.any():
        p = p_values[valid]
        order = np.argsort(p)
        adjusted = np.empty(p.size)
        adjusted[order] = np.maximum.accumulate(p[order] * np.arange(p.size, 0, -1))
        out[valid] = np.clip(adjusted, None, 1)
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
        same table when it holds both years. A question missing for a group in one
        year (suppressed there) is `för få svar`.
    hidden: optional group table (survey, year, group, shown) to mark groups that
        exist in a year but were hidden there as `för få svar`.
    Returns CHANGE_COLUMNS, one row per survey, group and question present in
    either year of a group present in both years (or hidden in one of them).
    """
    # an empty table left out, as pandas did when choosing the columns' types (2.3 warns
    # that it will not; the types come from the tables with rows)
    tables = [t for t in (current, previous) if len(t)] or [current]
    both = pd.concat(tables, ignore_index=True).drop_duplicates(
        ["survey", "year", "group", "question", "code"])
    rows = []
    for pair in year_pairs(current, previous):
        now = both[(both["survey"] == pair.survey) & (both["year"] == pair.year)]
        before = both[(both["survey"] == pair.survey) & (both["year"] == pair.previous_year)]
        groups = list(dict.fromkeys([*now["group"], *before["group"]]))
        # split once by group and question (a mask per question was most of the time)
        now_by, before_by = (dict(list(t.groupby("group", sort=False, observed=True)))
                             for t in (now, before))
        for group in groups:
            a = now_by.get(group, now.iloc[:0])
            b = before_by.get(group, before.iloc[:0])
            if a.empty or b.empty:
                if _was_hidden(hidden, pair, group, a.empty):
                    rows.extend(_too_few_rows(pair, group, a if not a.empty else b))
                continue
            a_by, b_by = _by_question(a), _by_question(b)
            for number in sorted(set(a_by) | set(b_by)):
                qa, qb = a_by.get(number), b_by.get(number)
                if qa is None or qb is None:
                    t = a if qa is not None else b
                    rows.extend(_too_few_rows(pair, group, t[t["question"] == number]))
                    continue
                rows.append(_compare_question(pair, group, qa, qb, catalog, min_n))
    table = pd.DataFrame(rows, columns=[*CHANGE_COLUMNS, "_x1", "_x2"])
    if table.empty:
        return table[CHANGE_COLUMNS]
    table = _adjust(table, catalog)
    for column in ("question", "year", "previous_year", "n", "previous_n", "family_size"):
        table[column] = table[column].astype("Int64")
    return table[CHANGE_COLUMNS]


def adjust_families(table: pd.DataFrame, family: list[str],
                    counts: tuple[str, str, str, str]) -> list[tuple[np.ndarray, float]]:
    """Bonferroni within each family (the rows alike in the `family` columns), `table`
    changed in place: m is the number of a family's rows with a p-value; every row with
    counts (x1, n1, x2, n2 columns) gets family_size m, ci_level 100·(1 − α/m) and
    Newcombe's interval at that level in ci_low_pp/ci_high_pp; p_adjusted = min(1, m·p).
    Returns each family's (row positions, z). The year comparison (compare) and the
    comparison with a reference (forbund) both use it. Computed on arrays and written once
    per column: a .loc per family and row was most of the comparisons' time."""
    families = [(np.asarray(rows), 0.0) for rows in
                table.groupby(family, sort=False, observed=True).indices.values()]
    if not families:
        return []
    x1, n1, x2, n2 = (table[c].to_numpy() for c in counts)
    counted_rows = table[counts[0]].notna().to_numpy()
    p = table["p_value"].to_numpy(dtype=float)
    out = {c: table[c].to_numpy(dtype=float, copy=True)
           for c in ("family_size", "ci_level", "ci_low_pp", "ci_high_pp", "p_adjusted")}
    for k, (rows, _) in enumerate(families):
        tested = rows[~np.isnan(p[rows])]
        m = len(tested)
        z = family_z(m)
        families[k] = (rows, z)
        counted = rows[counted_rows[rows]]
        out["family_size"][counted] = m
        out["ci_level"][counted] = 100 * (1 - ALPHA / max(m, 1))
        for i in counted:
            low, high = newcombe_interval(int(x1[i]), int(n1[i]), int(x2[i]), int(n2[i]), z)
            out["ci_low_pp"][i], out["ci_high_pp"][i] = 100 * low, 100 * high
        out["p_adjusted"][tested] = np.minimum(1.0, m * p[tested])
    for column, values in out.items():
        table[column] = values
    return families


def _adjust(table: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """Bonferroni within each family: the printed interval, p_adjusted and the verdict."""
    table = table.copy()
    counted_rows = table["_x1"].notna().to_numpy()
    n, m = table["n"].to_numpy(), table["previous_n"].to_numpy()
    distribution_p = table["distribution_p"].to_numpy(dtype=float)
    detectable = table["detectable_change_pp"].to_numpy(dtype=float, copy=True)
    adjusted = table["distribution_p_holm"].to_numpy(dtype=float, copy=True)
    families = adjust_families(table, FAMILY, ("_x1", "n", "_x2", "previous_n"))
    for rows, z in families:
        for i in rows[counted_rows[rows]]:
            detectable[i] = detectable_change(int(n[i]), int(m[i]), z)
        adjusted[rows] = holm_adjusted(distribution_p[rows])
    if families:
        table["detectable_change_pp"] = detectable
        table["distribution_p_holm"] = adjusted
    table["verdict"] = [_verdict(r) for r in table.itertuples(index=False)]
    return table.drop(columns=["_x1", "_x2"])


def _was_hidden(hidden: pd.DataFrame | None, pair: YearPair, group: str,
                missing_now: bool) -> bool:
    if hidden is None:
        return False
    year = pair.year if missing_now else pair.previous_year
    row = hidden[(hidden["survey"] == pair.survey) & (hidden["year"] == year)
                 & (hidden["group"] == group)]
    return not row.empty and not bool(row["shown"].iloc[0])


def _too_few_rows(pair: YearPair, group: str, shown: pd.DataFrame) -> list[dict]:
    """`för få svar` rows with no numbers: the small side's size is not given away."""
    rows = []
    for number, q in shown.groupby("question", sort=True, observed=True):
        rows.append({"survey": pair.survey, "group": group, "question": int(number),
                     "question_text": q["question_text"].iloc[0], "scale": q["scale"].iloc[0],
                     "year": pair.year, "previous_year": pair.previous_year, "verdict": TOO_FEW})
    return rows


@dataclass(frozen=True)
class _Question:
    """One group's distribution rows of one question, sorted by code, as plain lists: what
    _compare_question reads, without a DataFrame per question (most of compare's time)."""

    number: int
    text: str
    scale: str
    n: object  # the first row's (smallest code's) n, as the table holds it
    codes: list
    counts: list


def _by_question(t: pd.DataFrame) -> dict[int, _Question]:
    """`t` (one group and year) split by question, each sorted by code (codes are unique
    within a question), in the order the questions first appear."""
    question, code = t["question"].to_numpy(), t["code"].to_numpy()
    order = np.lexsort((code, question))
    cut = np.flatnonzero(np.diff(question[order])) + 1
    texts, scales = t["question_text"].to_numpy(), t["scale"].to_numpy()
    ns, counts = t["n"].to_numpy(), t["count"].to_numpy()
    out = {}
    for part in np.split(order, cut):
        if not len(part):
            continue
        first = part[0]
        out[question[first]] = _Question(question[first], texts[first], scales[first],
                                         ns[first], code[part].tolist(), counts[part].tolist())
    return out


def _compare_question(pair: YearPair, group: str, a: _Question, b: _Question,
                      catalog: Catalog, min_n: int) -> dict:
    row = {"survey": pair.survey, "group": group, "question": int(a.number),
           "question_text": a.text, "scale": a.scale,
           "year": pair.year, "previous_year": pair.previous_year}
    n, m = int(a.n), int(b.n)
    if not (large_enough(n, min_n) and large_enough(m, min_n)):
        # the pack never shows a question with fewer answers; an older --compare file might
        row.update(n=n if large_enough(n, min_n) else None,
                   previous_n=m if large_enough(m, min_n) else None,
                   verdict=TOO_FEW)
        return row
    row.update(n=n, previous_n=m)
    same_text = fold(a.text) == fold(b.text)
    same_scale = a.scale == b.scale and a.codes == b.codes
    if not (same_text and same_scale):
        row["verdict"] = NOT_COMPARABLE
        return row
    scale = catalog.scale(row["scale"])
    codes = [int(c) for c in a.codes]
    now, before = [int(c) for c in a.counts], [int(c) for c in b.counts]
    positive = [i for i, c in enumerate(codes) if c in scale.positive]
    x1, x2 = sum(now[i] for i in positive), sum(before[i] for i in positive)
    row.update(share_positive=100 * x1 / n, previous_share_positive=100 * x2 / m,
               change_pp=change_pp(x1, n, x2, m), p_value=newcombe_p_value(x1, n, x2, m),
               _x1=x1, _x2=x2)
    if len(codes) > 2:
        row["mean"] = float(np.dot(codes, now) / n)
        row["previous_mean"] = float(np.dot(codes, before) / m)
    test, p, effect = shift_test(codes, now, before, scale)
    row.update(distribution_test=test, distribution_p=p, distribution_effect=effect)
    return row


def _verdict(row) -> str:
    return verdict_from_interval(row, IMPROVED, WORSENED, NO_CLEAR_CHANGE)


def verdict_from_interval(row, above: str, below: str, neither: str) -> str:
    """From the printed interval alone: above 0, below 0, or covering it. A verdict
    already set (för få svar, kan inte jämföras) stands; nothing tested (shares 0 % or 100 %
    on both sides, p NaN) is `neither`."""
    if isinstance(row.verdict, str) and row.verdict:
        return row.verdict
    if pd.isna(row.p_value):
        return neither
    if row.ci_low_pp > 0:
        return above
    if row.ci_high_pp < 0:
        return below
    return neither
