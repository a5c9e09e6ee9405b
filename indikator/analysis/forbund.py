"""Many förbund in one run: a pack per förbund, and an aggregate of what they publish.

The aggregate is the *sum of the published förbund numbers*, never of the raw
answers: a förbund, or a question of one, that its own pack hides is left out of
the aggregate too. So the aggregate minus the förbund shown beside it is always
0 — nothing hidden can be recovered by differencing across förbund — and the
aggregate's counts are exactly the sums of the förbund packs' counts (tested).

Each förbund is compared with the rest (the aggregate minus itself, so the two
samples are disjoint) by the same statistics as year against year (compare.py):
the difference in share positive with Newcombe's interval, its dual p-value and
Bonferroni within one survey and year.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from indikator.analysis.compare import (
    adjust_families,
    change_pp,
    newcombe_p_value,
    verdict_from_interval,
)
from indikator.analysis.stats import (
    Distributions,
    large_enough,
    positive_count,
    positive_of,
    typed,
)
from indikator.columns import (
    CELL_COLUMNS,
    DISTRIBUTION_COLUMNS,
    GENDER_COLUMNS,
    GROUP_COLUMNS,
    NO_ANSWER_COUNT_COLUMNS,
)
from indikator.input.previous import Reference
from indikator.questionnaires import Catalog
from indikator.words import ALL, HIDDEN, HIGHER, LOWER, NO_CLEAR_DIFFERENCE, TOO_FEW

REFERENCE_COLUMNS = ["survey", "year", "group", "question", "question_text", "reference",
                     "n", "share_positive", "reference_n", "reference_share_positive",
                     "compared_with", "other_n", "other_share_positive", "difference_pp",
                     "ci_low_pp", "ci_high_pp", "ci_level", "family_size", "p_value",
                     "p_adjusted", "verdict"]


def published_alla(dist: Distributions) -> pd.DataFrame:
    """A förbund's published Alla rows: what the aggregate may add up."""
    return dist.table[dist.table["group"] == ALL]


def aggregate(members: dict[str, Distributions], min_n: int) -> Distributions:
    """The aggregate of many förbund, from their published Alla numbers only.

    groups: Alla (the sum) and each förbund (its own published Alla), so the
    aggregate's tables carry the förbund side by side.
    """
    tables, groups, cells, vet = [], [], [], []
    for name, dist in members.items():
        alla = published_alla(dist).assign(group=name)
        tables.append(alla)
        g = dist.groups[dist.groups["group"] == ALL].assign(group=name)
        groups.append(g)
        cells.append(dist.cells[dist.cells["group"] == ALL].assign(group=name))
        vet.append(dist.no_answer[dist.no_answer["group"] == ALL].assign(group=name))
    table = pd.concat(tables, ignore_index=True)
    keys = ["survey", "year", "question", "code"]
    total = (table.groupby(keys, as_index=False, sort=False, observed=True)
             .agg(question_text=("question_text", "first"), scale=("scale", "first"),
                  label=("label", "first"), count=("count", "sum"), n=("n", "sum")))
    total["group"] = ALL
    total["percent"] = 100 * total["count"] / total["n"]
    table = pd.concat([total[DISTRIBUTION_COLUMNS], table[DISTRIBUTION_COLUMNS]],
                      ignore_index=True)
    member_groups = pd.concat(groups, ignore_index=True)
    shown = member_groups[member_groups["shown"]]
    sums = shown.groupby(["survey", "year"], as_index=False, sort=False,
                         observed=True)["respondents"].sum()
    every = member_groups[["survey", "year"]].drop_duplicates()
    alla = every.merge(sums, how="left", on=["survey", "year"])
    alla["respondents"] = alla["respondents"].fillna(0).astype(int)
    alla["group"] = ALL
    alla["shown"] = large_enough(alla["respondents"], min_n)
    alla["reason"] = np.where(alla["shown"], "", HIDDEN)
    member_groups["reason"] = np.where(member_groups["shown"], "", HIDDEN)
    group_table = pd.concat([alla[GROUP_COLUMNS], member_groups[GROUP_COLUMNS]],
                            ignore_index=True)
    cell_table = pd.concat(cells, ignore_index=True)
    cell_table = cell_table.merge(
        member_groups[["survey", "year", "group", "shown"]].rename(columns={"shown": "g"}),
        on=["survey", "year", "group"])
    cell_table["shown"] = cell_table["shown"] & cell_table["g"]
    published = cell_table[cell_table["shown"]]
    keys = ["survey", "year", "question"]
    cell_sum = published.groupby(keys, as_index=False, sort=False,
                                 observed=True)[["n", "no_answer"]].sum()
    # a question no förbund shows: answered, but by too few where it was (n > 0 is private)
    unpublished = cell_table.groupby(keys, as_index=False, sort=False, observed=True)["n"].sum()
    cell_sum = unpublished[keys].merge(cell_sum, how="left", on=keys)
    cell_sum["shown"] = large_enough(cell_sum["n"].fillna(0), min_n)
    cell_sum["answered"] = True  # "för få svar", never "inga svar": that is private
    cell_sum["n"] = cell_sum["n"].fillna(1).astype(int)  # 1: "för få svar", never published
    cell_sum["no_answer"] = cell_sum["no_answer"].fillna(0).astype(int)
    cell_sum["group"] = ALL
    cell_table = pd.concat([cell_sum[CELL_COLUMNS], cell_table[CELL_COLUMNS]],
                           ignore_index=True)
    vet_table = pd.concat(vet, ignore_index=True)
    vet_sum = (vet_table.groupby(["survey", "year", "question", "label"], as_index=False,
                                 sort=False, observed=True)["count"].sum())
    vet_sum["group"] = ALL
    vet_table = pd.concat([vet_sum[NO_ANSWER_COUNT_COLUMNS], vet_table[NO_ANSWER_COUNT_COLUMNS]],
                          ignore_index=True)
    return Distributions(typed(table, DISTRIBUTION_COLUMNS).reset_index(drop=True), group_table,
                         typed(cell_table, CELL_COLUMNS), typed(vet_table,
                                                                NO_ANSWER_COUNT_COLUMNS),
                         pd.DataFrame(columns=GENDER_COLUMNS))


def compare_with_reference(dist: Distributions, reference: Reference, catalog: Catalog,
                           min_n: int) -> pd.DataFrame:
    """Each published Alla question of a förbund against the reference's, same survey and year.

    With `includes_self` the förbund is compared with the rest (reference minus
    its own counts); else with the reference as an independent sample.
    """
    mine = published_alla(dist)
    theirs = reference.table[reference.table["group"] == ALL]
    keys = ["survey", "year", "question"]
    # the reference's rows of each question found once (positions; the rows themselves
    # only for the förbund's questions): a mask over the whole reference per question was
    # most of the time
    their_questions = theirs.groupby(keys, sort=False, observed=True).indices
    their_n, their_scale, their_code, their_count = (
        theirs[c].to_numpy() for c in ("n", "scale", "code", "count"))
    rows = []
    for (survey, year, question), q in mine.groupby(keys, sort=False, observed=True):
        where = their_questions.get((survey, year, question))
        if where is None or not len(where):
            continue
        n, big_n = int(q["n"].iloc[0]), int(their_n[where[0]])
        x = positive_count(q, catalog)
        big_x = positive_of(their_scale[where[0]], their_code[where], their_count[where],
                            catalog)
        row = {"survey": survey, "year": int(year), "group": ALL, "question": int(question),
               "question_text": q["question_text"].iloc[0], "reference": reference.name,
               "n": n, "share_positive": 100 * x / n, "reference_n": big_n,
               "reference_share_positive": 100 * big_x / big_n}
        other_x, other_n = (big_x - x, big_n - n) if reference.includes_self else (big_x, big_n)
        row["compared_with"] = (f"övriga i {reference.name.lower()}" if reference.includes_self
                                else reference.name)
        if not large_enough(other_n, min_n):
            row["verdict"] = TOO_FEW
            rows.append(row)
            continue
        row.update(other_n=other_n, other_share_positive=100 * other_x / other_n,
                   difference_pp=change_pp(x, n, other_x, other_n),
                   p_value=newcombe_p_value(x, n, other_x, other_n), _x=x, _ox=other_x)
        rows.append(row)
    table = pd.DataFrame(rows, columns=[*REFERENCE_COLUMNS, "_x", "_ox"])
    adjust_families(table, ["survey", "year"], ("_x", "n", "_ox", "other_n"))
    table["verdict"] = [verdict(r) for r in table.itertuples(index=False)]
    for column in ("year", "question", "n", "reference_n", "other_n", "family_size"):
        table[column] = table[column].astype("Int64")
    return table[REFERENCE_COLUMNS]


def verdict(row) -> str:
    """From the printed interval alone, as in compare.py."""
    return verdict_from_interval(row, HIGHER, LOWER, NO_CLEAR_DIFFERENCE)


def side_by_side(dist: Distributions, catalog: Catalog, alla: bool = False) -> pd.DataFrame:
    """Förbund × question: share positive with its 95 % Wilson interval, from the aggregate's
    förbund groups (their published numbers). What a regional council looks at.

    alla: the same for the aggregate itself (the line across the side-by-side charts).
    """
    from indikator.analysis.compare import wilson

    rows = []
    table = dist.table[(dist.table["group"] == ALL) == alla]
    for (survey, year, group, question), q in table.groupby(
            ["survey", "year", "group", "question"], sort=False, observed=True):
        n = int(q["n"].iloc[0])
        x = positive_count(q, catalog)
        low, high = wilson(x, n)
        rows.append({"survey": survey, "year": int(year), "forbund": group,
                     "question": int(question), "question_text": q["question_text"].iloc[0],
                     "n": n, "share_positive": 100 * x / n, "ci_low": 100 * low,
                     "ci_high": 100 * high})
    return pd.DataFrame(rows, columns=SIDE_COLUMNS)


SIDE_COLUMNS = ["survey", "year", "forbund", "question", "question_text", "n",
                "share_positive", "ci_low", "ci_high"]
