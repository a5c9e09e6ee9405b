"""The board's goals judged: this year's value and interval against the target.

The verdict says so when the target lies inside the value's 95 % interval: with 20
answers a 72 % against a 70 % target is "nått, men inom felmarginalen", not a goal met. Only
published numbers are used, so a goal on a hidden group or question is "för få svar".
Pooling several questions makes the person the unit (see goal_intervals). A
not-below-last-year goal is judged by the interval of the change, as changes.csv.
"""

from __future__ import annotations

import math

import pandas as pd

from indikator.analysis.compare import Z95, family_z
from indikator.analysis.goal_intervals import change_interval, rho_of, sample
from indikator.input.goals import Goal
from indikator.text import name_key
from indikator.words import (
    ALL,
    MET,
    MET_UNSURE,
    NOT_MEASURED,
    NOT_MET,
    NOT_MET_UNSURE,
    TOO_FEW,
)

GOAL_COLUMNS = ["name", "survey", "group", "questions", "measure", "target", "year", "value",
                "ci_low", "ci_high", "n", "answers", "previous_value", "verdict"]


def _persons(goal: Goal, answers: pd.DataFrame | None, rows: pd.DataFrame, year: int
             ) -> pd.DataFrame | None:
    """The goal's answers person by person in `year` (respondent, code), only when they are
    exactly the published rows' answers (the same count for every question); else None."""
    if answers is None or answers.empty:
        return None
    mine = answers[(answers["survey"] == goal.survey) & (answers["year"] == year)
                   & answers["question"].isin(goal.questions)]
    if name_key(goal.group) != name_key(ALL):
        mine = mine[mine["group"].map(lambda g: isinstance(g, str) and name_key(g))
                    == name_key(goal.group)]
    published = rows.drop_duplicates("question").set_index("question")["n"].astype(int)
    counted = mine.groupby("question", observed=True).size()
    if not counted.reindex(published.index, fill_value=0).equals(published):
        return None
    return mine[["respondent", "code"]]


def evaluate(goals: list[Goal], both: pd.DataFrame, groups: pd.DataFrame,
             cells: pd.DataFrame, answers: pd.DataFrame | None = None,
             changes: pd.DataFrame | None = None) -> pd.DataFrame:
    """GOAL_COLUMNS, one row per goal, for each survey's latest year in `both` (every year's
    published distribution rows; the year before is last year's value).

    answers: the imported answers (ANSWER_COLUMNS) of this run's years, used person by
        person for goals that pool questions, where they are published (see goal_intervals.sample).
    changes: changes.csv; a not-below-last-year goal on one question is judged at the
        level of that question's comparison, so the two never disagree.
    """
    out = []
    for goal in goals:
        # this run's years too: a year whose answers are hidden is the goal's year all the
        # same ("för få svar"), not last year's published one
        years = sorted(set(both.loc[both["survey"] == goal.survey, "year"].astype(int))
                       | set(groups.loc[groups["survey"] == goal.survey, "year"].astype(int)))
        year = int(years[-1]) if years else None
        row = {"name": goal.name, "survey": goal.survey, "group": goal.group,
               "questions": ", ".join(map(str, goal.questions)), "measure": goal.measure,
               "target": goal.target_text, "year": year,
               "target_value": math.nan if goal.target is None else goal.target,
               "comparison": goal.comparison}
        if year is None:
            out.append({**row, "verdict": NOT_MEASURED})
            continue
        current = _rows(goal, both, year)
        previous_rows = _rows(goal, both, years[-2]) if len(years) > 1 else None
        now_persons = (_persons(goal, answers, current, year) if current is not None
                       else None)
        before_persons = (_persons(goal, answers, previous_rows, years[-2])
                          if previous_rows is not None else None)
        before = None
        if previous_rows is not None:
            before = sample(goal, previous_rows, before_persons, rho_of(goal, now_persons))
        previous_value = before.value if before is not None else math.nan
        if current is None:
            out.append({**row, "previous_value": previous_value,
                        "verdict": _why_missing(goal, year, groups, cells)})
            continue
        now = sample(goal, current, now_persons, rho_of(goal, before_persons))
        row.update(value=now.value, ci_low=now.low, ci_high=now.high,
                   n=now.persons if now.persons is not None else pd.NA,
                   answers=now.answers, previous_value=previous_value)
        if goal.target is not None:
            row["verdict"] = verdict(goal.comparison, goal.target, now.value, now.low, now.high)
        elif before is None:  # last year hidden ("för få svar"), or no last year at all
            row["verdict"] = (_why_missing(goal, years[-2], groups, cells) if len(years) > 1
                              else NOT_MEASURED)
        else:
            z = _change_z(goal, changes, year, years[-2])
            low, high = change_interval(goal, now, before, z)
            row["verdict"] = verdict("at_least", 0.0, now.value - before.value, low, high)
        out.append(row)
    # for the texts, not columns of mal.csv: the target as a number (NaN: last year's
    # value) and the comparison (at_least, …)
    frame = pd.DataFrame(out, columns=[*GOAL_COLUMNS, "target_value", "comparison"])
    for column in ("n", "answers", "year"):
        frame[column] = frame[column].astype("Int64")
    return frame


def _change_z(goal: Goal, changes: pd.DataFrame | None, year: int, previous: int) -> float:
    """The comparison's quantile for a share-positive goal on one question (its family's
    Bonferroni level in changes.csv), else 95 %."""
    if (changes is None or changes.empty or len(goal.questions) > 1
            or goal.measure != "share_positive"):
        return Z95
    mine = changes[(changes["survey"] == goal.survey) & (changes["year"] == year)
                   & (changes["previous_year"] == previous)
                   & (changes["group"].map(name_key) == name_key(goal.group))
                   & (changes["question"] == goal.questions[0])]
    if mine.empty or pd.isna(mine["family_size"].iloc[0]):
        return Z95
    return family_z(int(mine["family_size"].iloc[0]))


def _rows(goal: Goal, table: pd.DataFrame, year: int) -> pd.DataFrame | None:
    """The goal's published rows in `year`, or None unless every question is there."""
    rows = table[(table["survey"] == goal.survey) & (table["year"] == year)
                 & (table["group"].map(name_key) == name_key(goal.group))
                 & table["question"].isin(goal.questions)]
    if set(rows["question"]) != set(goal.questions) or rows["n"].sum() == 0:
        return None
    return rows


def _why_missing(goal: Goal, year: int, groups: pd.DataFrame, cells: pd.DataFrame) -> str:
    """för få svar (hidden group or question) or ej mätt (not in the data)."""
    group = groups[(groups["survey"] == goal.survey) & (groups["year"] == year)
                   & (groups["group"].map(name_key) == name_key(goal.group))]
    if group.empty:
        return NOT_MEASURED
    if not bool(group["shown"].iloc[0]):
        return TOO_FEW
    mine = cells[(cells["survey"] == goal.survey) & (cells["year"] == year)
                 & (cells["group"] == group["group"].iloc[0])
                 & cells["question"].isin(goal.questions)]
    return TOO_FEW if (mine["n"] > 0).any() else NOT_MEASURED


def verdict(comparison: str, target: float, value: float, low: float, high: float) -> str:
    """Met or not, and whether the target lies inside the value's interval."""
    met = {"at_least": value >= target, "more_than": value > target,
           "at_most": value <= target, "less_than": value < target}[comparison]
    unsure = not math.isnan(low) and low <= target <= high
    if met:
        return MET_UNSURE if unsure else MET
    return NOT_MET_UNSURE if unsure else NOT_MET
