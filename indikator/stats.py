"""Distributions of answers per survey, year and group, with small groups suppressed.

Groups are `Alla` (every respondent of a survey and year) and each Insats. A
group with fewer respondents than `min_n` is not shown. When exactly the hidden
respondents could be worked out as "Alla minus the shown groups", the smallest
shown groups are hidden too until what is hidden is at least `min_n` people
(secondary suppression, as statistics offices do).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .questionnaires import Catalog

ALL = "Alla"
DEFAULT_MIN_N = 5

DISTRIBUTION_COLUMNS = ["survey", "year", "group", "question", "question_text", "scale", "code",
                        "label", "count", "n", "percent"]
GROUP_COLUMNS = ["survey", "year", "group", "respondents", "shown", "reason"]

TOO_FEW = "för få svar"
PROTECTS = "för få svar i en annan grupp (dold så att den inte kan räknas fram)"


@dataclass(frozen=True)
class Distributions:
    """The pack's numbers.

    table: DISTRIBUTION_COLUMNS, one row per shown group, question and category
        (zeros included); percent = 100 * count / n, unrounded, NaN when n = 0.
    groups: GROUP_COLUMNS, one row per group found, shown or not, with the reason
        a group is hidden. Hidden groups have no rows in `table`.
    """

    table: pd.DataFrame
    groups: pd.DataFrame


def group_sizes(respondents: pd.DataFrame, min_n: int = DEFAULT_MIN_N) -> pd.DataFrame:
    """Respondents per survey, year and group, and whether each group may be shown."""
    rows = []
    for (survey, year), df in respondents.groupby(["survey", "year"], sort=False):
        total = len(df)
        sizes = df["group"].dropna().value_counts()
        alla_shown = total >= min_n
        reasons: dict[str, str] = {g: TOO_FEW for g, size in sizes.items() if size < min_n}
        if not alla_shown:
            reasons = dict.fromkeys(sizes.index, TOO_FEW)
        hidden = total - sum(size for g, size in sizes.items() if g not in reasons)
        shown = sorted((g for g in sizes.index if g not in reasons), key=lambda g: (sizes[g], g))
        while alla_shown and 0 < hidden < min_n and shown:
            smallest = shown.pop(0)
            reasons[smallest] = PROTECTS
            hidden += sizes[smallest]
        rows.append((survey, year, ALL, total, alla_shown, "" if alla_shown else TOO_FEW))
        rows.extend((survey, year, g, int(sizes[g]), g not in reasons, reasons.get(g, ""))
                    for g in sorted(sizes.index))
    return pd.DataFrame(rows, columns=GROUP_COLUMNS)


def distributions(answers: pd.DataFrame, respondents: pd.DataFrame, catalog: Catalog,
                  min_n: int = DEFAULT_MIN_N) -> Distributions:
    """Count every category of every question for each shown group."""
    groups = group_sizes(respondents, min_n)
    survey_rank = {sid: i for i, sid in enumerate(catalog.ids)}
    groups = groups.sort_values(
        ["survey", "year"], key=lambda s: s.map(survey_rank) if s.name == "survey" else s,
        kind="stable",
    ).reset_index(drop=True)
    pieces = []
    for row in groups.itertuples(index=False):
        if not row.shown:
            continue
        df = answers[(answers["survey"] == row.survey) & (answers["year"] == row.year)]
        if row.group != ALL:
            df = df[df["group"] == row.group]
        questionnaire = catalog.get(row.survey, int(row.year))  # as the importer chose
        counts = df.groupby(["question", "code"]).size()
        for question in questionnaire.questions:
            codes = list(question.scale.codes)
            count = np.array([int(counts.get((question.number, c), 0)) for c in codes])
            n = int(count.sum())
            with np.errstate(invalid="ignore", divide="ignore"):
                percent = 100.0 * count / n if n else np.full(len(codes), np.nan)
            pieces.append(pd.DataFrame({
                "survey": row.survey, "year": int(row.year), "group": row.group,
                "question": question.number, "question_text": question.text,
                "scale": question.scale.id, "code": codes,
                "label": [question.scale.label(c) for c in codes],
                "count": count, "n": n, "percent": percent,
            }))
    table = (pd.concat(pieces, ignore_index=True) if pieces
             else pd.DataFrame(columns=DISTRIBUTION_COLUMNS))
    return Distributions(table[DISTRIBUTION_COLUMNS], groups)



def no_answer_counts(no_answers: pd.DataFrame, groups: pd.DataFrame) -> pd.DataFrame:
    """"Vet ej"-type answers per survey, year, shown group, question and wording.

    Returns columns survey, year, group, question, label, count; hidden groups
    are left out, as in the distributions.
    """
    pieces = []
    for row in groups[groups["shown"]].itertuples(index=False):
        df = no_answers[(no_answers["survey"] == row.survey) & (no_answers["year"] == row.year)]
        if row.group != ALL:
            df = df[df["group"] == row.group]
        if df.empty:
            continue
        counts = df.groupby(["question", "label"]).size().reset_index(name="count")
        counts.insert(0, "group", row.group)
        counts.insert(0, "year", row.year)
        counts.insert(0, "survey", row.survey)
        pieces.append(counts)
    columns = ["survey", "year", "group", "question", "label", "count"]
    return pd.concat(pieces, ignore_index=True)[columns] if pieces else pd.DataFrame(
        columns=columns)
