"""A goal's value and interval in one year, with the person as the unit.

People who answer one of a goal's questions positively answer the others so too, so a
goal over three questions answered by 24 people is 24 units, not 72 answers.

- Shares: Wilson's interval on the effective number of answers, the design effect
  1 + (m̄ − 1)·ρ̂ of the intra-person correlation ρ̂ taken out (Kish; m̄ = Σmᵢ²/N, the
  size-weighted answers per person, as persons answer different numbers of the goal's
  questions), with the t quantile on persons − 1 degrees of freedom.
- Means: each person's sum of codes and number of answers; the variance of the ratio
  mean over persons (linearisation, Cochran 1977 §6.3; the cluster-robust variance of an
  intercept-only regression) and Hall's (1992) skewness-corrected t interval on persons − 1
  degrees of freedom: six-point answers pile up at one end, where the plain t interval
  covers the truth less often than it says (93 % at 24 persons with most answers 5–6).

Without persons (a year read only from an earlier pack) the answers' own interval is used,
widened by the other year's ρ̂.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from indikator.analysis.compare import Z95, newcombe_interval, wilson

if TYPE_CHECKING:
    from indikator.input.goals import Goal


@dataclass(frozen=True)
class Sample:
    """A goal's answers in one year: value, 95 % interval, persons and answers.

    x: the positive (or chosen) answers, or the sum of the codes for a mean; var: the
    answers' variance (mean goals); deff: the design effect, the variance of the value over
    what independent answers would give; df: the degrees of freedom of its quantile (None:
    normal).
    """

    value: float
    low: float
    high: float
    persons: int | None
    answers: int
    x: float
    var: float
    deff: float
    df: int | None


def intra_person_correlation(person: np.ndarray, values: np.ndarray) -> float:
    """ρ̂, the one-way ANOVA estimator of the intra-class correlation with persons as
    classes (unequal sizes: n0 = (N − Σmᵢ²/N)/(k − 1)), clipped to [0, 1]. 0 when no person
    answered more than one question; 1 when nothing varies within persons and something
    between them, or nothing varies at all (the cautious choice: one person, one unit)."""
    codes, ids = np.unique(person, return_inverse=True)
    k, big_n = len(codes), len(values)
    if k < 2 or big_n == k:
        return 0.0
    sizes = np.bincount(ids).astype(float)
    means = np.bincount(ids, weights=values) / sizes
    grand = values.mean()
    msb = float((sizes * (means - grand) ** 2).sum()) / (k - 1)
    msw = float(((values - means[ids]) ** 2).sum()) / (big_n - k)
    n0 = (big_n - float((sizes**2).sum()) / big_n) / (k - 1)
    denom = msb + (n0 - 1) * msw
    if denom <= 0:
        return 1.0
    return min(1.0, max(0.0, (msb - msw) / denom))


def person_mean_interval(sums: np.ndarray, sizes: np.ndarray, level: float = 0.95,
                         scale: tuple[float, float] = (1.0, 6.0)
                         ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The mean of all answers Σsᵢ/Σmᵢ, its interval and variance, from each person's sum
    of codes sᵢ and number of answers mᵢ (the last axis; leading axes are separate samples).

    The variance is k/(k − 1)·Σ(sᵢ − mean·mᵢ)²/N², N = Σmᵢ. The interval inverts Hall's
    monotone transformation of T = (mean − μ)/se, g(T) = T + aT² + a²T³/3 + b with
    a = γ̂/(3√k), b = γ̂/(6√k) and γ̂ the skewness of the persons' linearised values, at the
    t quantile on k − 1 degrees of freedom. Returns (mean, low, high, variance).

    When every person's mean is the same (most often: everyone answered 6) the sample shows
    no spread, yet a population with some 1s would often give it: the interval is then
    Wilson's for the mean's place on the scale (lowest, highest code), on k persons, the
    widest a mean of bounded answers needs. Bounds never leave the scale.
    """
    from scipy import stats  # on first use: `validate` reads goals without scipy

    sums, sizes = np.asarray(sums, float), np.asarray(sizes, float)
    k = sums.shape[-1]
    big_n = sizes.sum(-1)
    mean = sums.sum(-1) / big_n
    # each person's linearised value, scaled to the mean's unit (mean 0)
    z = (sums - mean[..., None] * sizes) * (k / big_n)[..., None]
    m2 = (z**2).mean(-1)
    var = k / (k - 1) * m2 / k
    with np.errstate(invalid="ignore", divide="ignore"):
        skew = np.where(m2 > 0, (z**3).mean(-1) / m2**1.5, 0.0)
    a, b = skew / (3 * math.sqrt(k)), skew / (6 * math.sqrt(k))
    q = float(stats.t.ppf(0.5 + level / 2, k - 1))

    def inverse(t: float) -> np.ndarray:
        with np.errstate(invalid="ignore", divide="ignore"):
            cubic = (np.cbrt(1 + 3 * a * (t - b)) - 1) / a
        return np.where(np.abs(a) < 1e-12, t - b, cubic)

    se = np.sqrt(var)
    low, high = mean - inverse(q) * se, mean - inverse(-q) * se
    bottom, top = scale
    flat = ~(m2 > 1e-12 * (top - bottom) ** 2)
    if np.any(flat):
        z_wilson = float(stats.norm.isf((1 - level) / 2))
        place = np.clip((mean - bottom) / (top - bottom), 0, 1)
        bounds = np.vectorize(lambda p: wilson(p * k, k, z_wilson))(place)
        low = np.where(flat, bottom + (top - bottom) * bounds[0], low)
        high = np.where(flat, bottom + (top - bottom) * bounds[1], high)
    return mean, np.clip(low, bottom, top), np.clip(high, bottom, top), var


def person_sums(persons: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Each person's sum of codes and number of answers (respondent, code rows)."""
    grouped = persons.groupby("respondent", sort=False, observed=True)["code"]
    return grouped.sum().to_numpy(float), grouped.size().to_numpy(float)


def sample(goal: Goal, rows: pd.DataFrame, persons: pd.DataFrame | None,
           rho: float | None = None) -> Sample:
    """The goal's value and interval from its published rows in one year.

    persons (respondent, code), the same answers person by person: a share's interval uses
    the ρ̂ estimated from them, a mean's the persons' sums (see the module). Without persons
    (a year only from --compare) a pooled goal uses `rho` (another year's ρ̂), or counts
    every answer as independent when that is None too.
    """
    from scipy import stats

    big_n = int(rows.drop_duplicates("question")["n"].sum())
    pooled = len(goal.questions) > 1
    k = None
    per_person = 1.0  # m̄ of the design effect: Σmᵢ²/N, the mean size weighted by size
    if persons is not None:
        k = int(persons["respondent"].nunique())
        values = persons["code"].to_numpy(float)
        if goal.measure != "mean":
            values = np.isin(persons["code"].to_numpy(), goal.answers).astype(float)
        if pooled:
            rho = intra_person_correlation(persons["respondent"].to_numpy(), values)
            sizes = persons.groupby("respondent", sort=False, observed=True).size().to_numpy(float)
            per_person = float((sizes**2).sum() / sizes.sum())
    elif not pooled:
        k = big_n  # one question: one answer per person
    deff = 1 + (per_person - 1) * rho if pooled and rho is not None and k else 1.0
    if pooled and rho is not None and k is None:
        # no persons this year: the questions' answers per person as in the other year
        deff = 1 + (len(goal.questions) - 1) * rho
    df = k - 1 if pooled and k is not None and k > 1 else None
    if goal.measure == "mean":
        return _mean_sample(goal, rows, persons, big_n, k, deff)
    x = int(rows.loc[rows["code"].isin(goal.answers), "count"].sum())
    z = Z95 if df is None else float(stats.t.isf(0.025, df))
    low, high = wilson(x / deff, big_n / deff, z)
    return Sample(100 * x / big_n, 100 * low, 100 * high, k, big_n, x, math.nan, deff, df)


def _mean_sample(goal: Goal, rows: pd.DataFrame, persons: pd.DataFrame | None, big_n: int,
                 k: int | None, deff: float) -> Sample:
    """A mean goal's Sample: person by person when persons are known (or one question,
    where each answer is a person), else the answers' t interval widened by `deff`."""
    from scipy import stats

    codes, counts = rows["code"].to_numpy(float), rows["count"].to_numpy(float)
    total = float((codes * counts).sum())
    mean = total / big_n
    if big_n < 2 or (k is not None and k < 2):
        return Sample(mean, math.nan, math.nan, k, big_n, total, math.nan, deff, None)
    var = float((counts * (codes - mean) ** 2).sum() / (big_n - 1))
    if k is None:  # pooled, no persons
        half = float(stats.t.ppf(0.975, big_n - 1)) * math.sqrt(var * deff / big_n)
        return Sample(mean, mean - half, mean + half, k, big_n, total, var, deff, None)
    if persons is not None:
        sums, sizes = person_sums(persons)
    else:
        sums, sizes = np.repeat(codes, counts.astype(int)), np.ones(big_n)
    _, low, high, var_mean = person_mean_interval(sums, sizes,
                                                  scale=(codes.min(), codes.max()))
    low, high = float(low), float(high)
    deff = float(var_mean) * big_n / var if var > 0 else 1.0
    return Sample(mean, low, high, k, big_n, total, var, deff, k - 1)


def change_interval(goal: Goal, now: Sample, before: Sample, z: float = Z95
                    ) -> tuple[float, float]:
    """The interval of this year − last year, in the value's unit: Newcombe's method 11 for
    shares (as changes.csv), on each year's effective counts when questions are pooled; for
    a mean, Welch's interval on each year's effective n."""
    from scipy import stats

    if goal.measure == "mean":
        a, b = now.var / (now.answers / now.deff), before.var / (before.answers / before.deff)
        if not (math.isfinite(a) and math.isfinite(b)) or a + b == 0:
            return math.nan, math.nan
        df = (a + b) ** 2 / (a**2 / max(now.answers / now.deff - 1, 1)
                             + b**2 / max(before.answers / before.deff - 1, 1))
        half = float(stats.t.ppf(1 - stats.norm.sf(z), df)) * math.sqrt(a + b)
        d = now.value - before.value
        return d - half, d + half
    low, high = newcombe_interval(now.x / now.deff, now.answers / now.deff,
                                  before.x / before.deff, before.answers / before.deff, z)
    return 100 * low, 100 * high


def rho_of(goal: Goal, persons: pd.DataFrame | None) -> float | None:
    """ρ̂ of a pooled goal's answers in a year with persons, else None."""
    if persons is None or len(goal.questions) < 2:
        return None
    values = persons["code"].to_numpy(float)
    if goal.measure != "mean":
        values = np.isin(persons["code"].to_numpy(), goal.answers).astype(float)
    return intra_person_correlation(persons["respondent"].to_numpy(), values)
