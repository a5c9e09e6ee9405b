"""The tally: the imported answers counted into distributions, shaped by the options
(groups by kön instead of insats, small insatser pooled)."""

from __future__ import annotations

import pandas as pd

from indikator.analysis.stats import Distributions, distributions, pool_small_groups
from indikator.importing import ImportResult
from indikator.options import PackOptions
from indikator.questionnaires import Catalog


def by_gender(df: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """Groups by kön instead of insats (--by kon): one partition of Alla, as insatser are,
    so the same suppression rule protects it. Both at once would be two overlapping
    partitions whose intersections the rule does not protect."""
    labels = {c.code: c.label for c in catalog.gender.categories} if catalog.gender else {}
    df = df.copy()
    df["group"] = [labels.get(int(g)) if not pd.isna(g) else None for g in df["gender"]]
    return df


def tally(imported: ImportResult, catalog: Catalog, options: PackOptions) -> Distributions:
    """Distributions of the imported answers, small insatser pooled first if asked."""
    answers, respondents, no_answers = (imported.answers, imported.respondents,
                                        imported.no_answers)
    if options.by == "kon":
        answers, respondents, no_answers = (by_gender(df, catalog)
                                            for df in (answers, respondents, no_answers))
    if options.pool_small:
        answers, respondents, no_answers = pool_small_groups(answers, respondents, no_answers,
                                                             options.min_n)
    return distributions(answers, respondents, catalog, options.min_n, no_answers)
