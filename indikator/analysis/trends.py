"""Trends over the years: the share positive per question, year by year, with its interval.

Made from published distribution rows only, so a year whose question was hidden for
too few answers is a gap (no row), never a zero.
"""

from __future__ import annotations

import pandas as pd

from indikator.analysis.compare import wilson
from indikator.analysis.stats import positive_count
from indikator.questionnaires import Catalog

TREND_COLUMNS = ["survey", "group", "question", "question_text", "year", "n",
                 "share_positive", "ci_low", "ci_high"]
MIN_YEARS = 3


def trend_table(table: pd.DataFrame, catalog: Catalog,
                years: dict[str, set[int]] | None = None) -> pd.DataFrame:
    """TREND_COLUMNS for every survey with at least three years in the input.

    years: the years each survey has in the input, hidden ones included (default: the
    years in `table`); a hidden year counts, and shows as a gap.
    """
    rows = []
    for survey, part in table.groupby("survey", sort=False, observed=True):
        known = (years or {}).get(survey, set()) | set(part["year"])
        if len(known) < MIN_YEARS:
            continue
        for (group, question, year), q in part.groupby(["group", "question", "year"],
                                                       observed=True):
            n = int(q["n"].iloc[0])
            if n == 0:
                continue
            x = positive_count(q, catalog)
            low, high = wilson(x, n)
            rows.append((survey, group, int(question), q["question_text"].iloc[0], int(year),
                         n, 100 * x / n, 100 * low, 100 * high))
    frame = pd.DataFrame(rows, columns=TREND_COLUMNS)
    order = {sid: i for i, sid in enumerate(catalog.ids)}
    if frame.empty:
        return frame
    return frame.sort_values(["survey", "group", "question", "year"],
                             key=lambda s: s.map(order) if s.name == "survey" else s,
                             ).reset_index(drop=True)
