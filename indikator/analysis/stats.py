"""Distributions of answers per survey, year and group, with small numbers suppressed.

Groups are `Alla` (every respondent of a survey and year) and each Insats.

The privacy rule, one statement enforced for every published number: *no
published count, size or difference of them describes fewer than `min_n` people
(and more than none)*. Groups are disjoint insatser inside Alla, so what a reader
can compute is a shown group, or Alla minus shown groups (the rest). Hence:

1. A group is shown only if at least `min_n` of its respondents gave a real
   answer (one on the scale; "vet ej" alone does not count), and the rest —
   Alla's respondents minus those of the shown insatser — is 0 or at least
   `min_n`; otherwise the smallest shown insatser are hidden too (secondary
   suppression, as statistics offices do).
2. Per question, inside a shown group: its distribution (and its "vet ej"
   count) is shown only if at least `min_n` answered it on the scale; and the
   rest for that question (Alla's answers minus those of the insatser shown for
   it, with and without "vet ej") is 0 or at least `min_n`, else the smallest
   shown insatser are hidden for that question too.

A hidden group or question keeps its name but not its size; groups hidden for
being small and those hidden to protect them carry the same reason, so that the
reasons cannot be combined with the rest to pin a size.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from indikator.columns import (
    CELL_COLUMNS,
    DISTRIBUTION_COLUMNS,
    GENDER_COLUMNS,
    GROUP_COLUMNS,
    NO_ANSWER_COUNT_COLUMNS,
)
from indikator.options import DEFAULT_MIN_N
from indikator.questionnaires import Catalog
from indikator.words import ALL, HIDDEN

POOLED = "Övriga insatser"

NOT_GIVEN = "Uppgift saknas"  # no Kön cell, or an empty one

# the numeric columns' types: kept also when a table is empty (every group hidden), where
# pandas would make them object columns that charts cannot add up
NUMBER_TYPES = {"year": "int64", "question": "int64", "code": "int64", "count": "int64",
                "n": "int64", "no_answer": "int64", "percent": "float64"}


def typed(df: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """`df`'s `columns`, the numeric ones as numbers (NUMBER_TYPES), even when empty."""
    df = df[columns] if len(df.columns) else pd.DataFrame(columns=columns)
    return df.astype({c: t for c, t in NUMBER_TYPES.items() if c in columns})


@dataclass(frozen=True)
class Distributions:
    """The pack's numbers.

    table: DISTRIBUTION_COLUMNS, one row per shown group, shown question and
        category (zeros included); percent = 100 * count / n, unrounded. A
        question hidden within a shown group has no rows.
    groups: GROUP_COLUMNS, one row per group found, shown or not. Hidden groups
        have no rows in `table`; their size is kept here until the report's privacy
        gate (report.publishable) blanks it.
    cells: CELL_COLUMNS, per shown group and question of its questionnaire: the
        number of answers on the scale, of "vet ej" answers, whether shown, and whether
        anyone answered (the gate blanks the numbers of a question not shown).
    no_answer: NO_ANSWER_COUNT_COLUMNS, the "vet ej" counts that may be published.
    gender: GENDER_COLUMNS, respondents by kön per shown survey-year (empty = hidden).
    """

    table: pd.DataFrame
    groups: pd.DataFrame
    cells: pd.DataFrame
    no_answer: pd.DataFrame
    gender: pd.DataFrame = None  # type: ignore[assignment]


def positive_count(rows: pd.DataFrame, catalog: Catalog) -> int:
    """Answers in the positive categories of one question's distribution rows."""
    return positive_of(rows["scale"].iloc[0], rows["code"].to_numpy(), rows["count"].to_numpy(),
                       catalog)


def positive_of(scale: str, codes: np.ndarray, counts: np.ndarray, catalog: Catalog) -> int:
    """positive_count of one question's codes and counts as arrays (no DataFrame to make)."""
    positive = catalog.scale(scale).positive
    return int(counts[np.isin(codes, list(positive))].sum())


def large_enough(size, min_n: int):
    """The min-n rule, the one test of every group, question and sum the packs show (a
    number or a Series of them): at least min_n people."""
    return size >= min_n


def _allowed(size: int, min_n: int) -> bool:
    """A number of people that may be published or derived: none, or at least min_n."""
    return size == 0 or large_enough(size, min_n)


def hidden_places(respondents: pd.DataFrame, groups: pd.DataFrame, reports=()) -> set[tuple]:
    """The (file, sheet) whose own counts would tell something of a hidden group: nothing
    from them is published (report.publishable).

    - every sheet with answers of a survey and year the pack hides as a whole, also a
      sheet whose rows were all set aside (a copy of such a sheet);
    - a sheet with answers of a hidden insats that does not hold the whole survey and
      year: its rows, answers and "vet ej" would be that insats' (an insats in a file of
      its own), or a sum from which it follows. A sheet with the whole survey and year
      counts Alla, which is published anyway.
    """
    shown = groups["shown"].astype(bool)
    hidden = groups[(groups["group"] == ALL) & ~shown]
    pairs = set(zip(hidden["survey"], hidden["year"].astype(int), strict=True))
    places = {(r.file, r.sheet) for r in reports
              if any((r.survey, int(y)) in pairs for y in r.years)}
    if respondents.empty:
        return places

    def sheet(s) -> str | None:
        return s if isinstance(s, str) else None

    inside = respondents.merge(hidden[["survey", "year"]], on=["survey", "year"])
    places |= {(f, sheet(s)) for f, s in zip(inside["file"], inside["sheet"], strict=True)}
    small = groups[(groups["group"] != ALL) & ~shown][["survey", "year", "group"]]
    if small.empty:
        return places
    people = respondents.assign(place=[(f, sheet(s)) for f, s in
                                       zip(respondents["file"], respondents["sheet"],
                                           strict=True)])
    whole = people.groupby(["survey", "year"], observed=True).size().to_dict()
    per_sheet = people.groupby(["place", "survey", "year"], observed=True).size().to_dict()
    touched = people.merge(small, on=["survey", "year", "group"])
    for place, survey, year in set(zip(touched["place"], touched["survey"], touched["year"],
                                       strict=True)):
        if per_sheet[(place, survey, year)] < whole[(survey, year)]:
            places.add(place)
    return places


def group_sizes(respondents: pd.DataFrame, min_n: int = DEFAULT_MIN_N,
                answered: set | None = None) -> pd.DataFrame:
    """Respondents per survey, year and group, and whether each group may be shown.

    answered: the respondent ids with at least one answer on the scale; only these
        count towards `min_n` (default: every respondent).
    """
    rows = []
    for (survey, year), df in respondents.groupby(["survey", "year"], sort=False, observed=True):
        real = df if answered is None else df[df["respondent"].isin(answered)]
        total = len(df)
        sizes = df["group"].dropna().value_counts()
        real_sizes = real["group"].dropna().value_counts()
        alla_shown = large_enough(len(real), min_n)
        hidden = {g for g in sizes.index if not large_enough(real_sizes.get(g, 0), min_n)}
        if not alla_shown:
            hidden = set(sizes.index)
        shown = sorted((g for g in sizes.index if g not in hidden), key=lambda g: (sizes[g], g))
        rest = total - sum(int(sizes[g]) for g in shown)
        while alla_shown and not _allowed(rest, min_n) and shown:
            smallest = shown.pop(0)
            hidden.add(smallest)
            rest += int(sizes[smallest])
        rows.append((survey, year, ALL, total, alla_shown, "" if alla_shown else HIDDEN))
        rows.extend((survey, year, g, int(sizes[g]), g not in hidden,
                     HIDDEN if g in hidden else "") for g in sorted(sizes.index))
    return pd.DataFrame(rows, columns=GROUP_COLUMNS)


def pool_small_groups(answers: pd.DataFrame, respondents: pd.DataFrame,
                      no_answers: pd.DataFrame, min_n: int = DEFAULT_MIN_N,
                      name: str = POOLED) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Merge the insatser too small to show into one group, when together they are enough.

    Per survey and year; a pool still under `min_n` is left as it was (hidden).
    Reports pool staff of several insatser the same way.
    """
    answered = set(answers["respondent"])
    rename: dict[tuple, str] = {}
    for (survey, year), df in respondents.groupby(["survey", "year"], sort=False, observed=True):
        real = df[df["respondent"].isin(answered)]["group"].dropna().value_counts()
        groups = df["group"].dropna().unique()
        small = [g for g in groups if not large_enough(real.get(g, 0), min_n)]
        if len(small) > 1 and large_enough(sum(real.get(g, 0) for g in small), min_n):
            pooled = name if name not in groups else f"{name} (sammanslagna)"
            rename.update({(survey, year, g): pooled for g in small})
    if not rename:
        return answers, respondents, no_answers

    def relabel(df: pd.DataFrame) -> pd.DataFrame:
        df = df.copy()
        keys = zip(df["survey"], df["year"], df["group"], strict=True)
        df["group"] = [rename.get(k, k[2]) for k in keys]
        return df

    return relabel(answers), relabel(respondents), relabel(no_answers)


def distributions(answers: pd.DataFrame, respondents: pd.DataFrame, catalog: Catalog,
                  min_n: int = DEFAULT_MIN_N,
                  no_answers: pd.DataFrame | None = None) -> Distributions:
    """Count every category of every question for each shown group and question."""
    if no_answers is None:
        no_answers = pd.DataFrame(columns=["survey", "year", "respondent", "group", "question",
                                           "label"])
    groups = group_sizes(respondents, min_n, set(answers["respondent"]))
    survey_rank = {sid: i for i, sid in enumerate(catalog.ids)}
    groups = groups.sort_values(
        ["survey", "year"], key=lambda s: s.map(survey_rank) if s.name == "survey" else s,
        kind="stable",
    ).reset_index(drop=True)
    # every count at once (a mask per survey, year and group was most of the time)
    counted = _sizes(answers, ["survey", "year", "group", "question", "code"])
    counted_all = _sizes(answers, ["survey", "year", "question", "code"])
    vet_of = _sizes(no_answers, ["survey", "year", "group", "question"])
    vet_all = _sizes(no_answers, ["survey", "year", "question"])
    columns: dict[str, list] = {c: [] for c in DISTRIBUTION_COLUMNS}
    cells = []
    for (survey, year), rows in groups[groups["shown"]].groupby(["survey", "year"], sort=False,
                                                                observed=True):
        questionnaire = catalog.get(survey, int(year))  # as the importer chose
        names = list(rows["group"])

        def count(g: str, number: int, code: int, survey=survey, year=year) -> int:
            if g == ALL:
                return counted_all.get((survey, year, number, code), 0)
            return counted.get((survey, year, g, number, code), 0)

        vet = {g: {q.number: (vet_all.get((survey, year, q.number), 0) if g == ALL
                              else vet_of.get((survey, year, g, q.number), 0))
                   for q in questionnaire.questions} for g in names}
        n_of = {(g, q.number): int(sum(count(g, q.number, c) for c in q.scale.codes))
                for g in names for q in questionnaire.questions}
        shown_q = _shown_questions(names, questionnaire.numbers, n_of, vet, min_n)
        for g in names:
            for question in questionnaire.questions:
                n = n_of[(g, question.number)]
                shown = question.number in shown_q[g]
                cells.append((survey, int(year), g, question.number, n,
                              int(vet[g].get(question.number, 0)), shown, n > 0))
                if not shown:
                    continue
                codes = list(question.scale.codes)
                counts = np.array([int(count(g, question.number, c)) for c in codes])
                with np.errstate(invalid="ignore", divide="ignore"):
                    percent = 100.0 * counts / n if n else np.full(len(codes), np.nan)
                k = len(codes)
                for column, value in (("survey", survey), ("year", int(year)), ("group", g),
                                      ("question", question.number),
                                      ("question_text", question.text),
                                      ("scale", question.scale.id), ("n", n)):
                    columns[column].extend([value] * k)
                columns["code"].extend(codes)
                columns["label"].extend(question.scale.label(c) for c in codes)
                columns["count"].extend(counts.tolist())
                columns["percent"].extend(percent.tolist())
    table = (pd.DataFrame(columns) if columns["survey"]
             else pd.DataFrame(columns=DISTRIBUTION_COLUMNS))
    cells = typed(pd.DataFrame(cells, columns=CELL_COLUMNS), CELL_COLUMNS).astype(
        {"shown": bool, "answered": bool})
    return Distributions(typed(table, DISTRIBUTION_COLUMNS), groups, cells,
                         no_answer_counts(no_answers, cells),
                         gender_counts(respondents, groups, catalog, min_n))


def _sizes(df: pd.DataFrame, keys: list[str]) -> dict[tuple, int]:
    """How many rows of `df` have each combination of `keys` (rows with a missing key are
    not counted, as in groupby)."""
    sizes = df.groupby(keys, sort=False, observed=True).size()
    return dict(zip(sizes.index, sizes.to_numpy().tolist(), strict=True))


def _shown_questions(groups: list[str], numbers: tuple[int, ...], n_of: dict, vet: dict,
                     min_n: int) -> dict[str, set[int]]:
    """Per shown group, the questions whose numbers may be published (rule 2)."""
    shown = {g: {q for q in numbers if large_enough(n_of[(g, q)], min_n)} for g in groups}
    if ALL not in groups:
        return shown
    for q in numbers:
        if q not in shown[ALL]:
            for g in groups:
                shown[g].discard(q)  # an insats never has more answers than Alla
            continue
        while True:
            insatser = [g for g in groups if g != ALL and q in shown[g]]
            rest_n = n_of[(ALL, q)] - sum(n_of[(g, q)] for g in insatser)
            rest_all = rest_n + int(vet[ALL].get(q, 0)) - sum(int(vet[g].get(q, 0))
                                                              for g in insatser)
            if (_allowed(rest_n, min_n) and _allowed(rest_all, min_n)) or not insatser:
                break
            smallest = min(insatser, key=lambda g: (n_of[(g, q)], g))
            shown[smallest].discard(q)
    return shown


def no_answer_counts(no_answers: pd.DataFrame, cells: pd.DataFrame) -> pd.DataFrame:
    """"Vet ej"-type answers per survey, year, shown group, shown question and wording.

    Only where the question's distribution is shown with answers (n > 0): what is
    hidden stays hidden, "vet ej" included.
    """
    pieces = []
    visible = cells[cells["shown"] & (cells["n"] > 0)]
    for (survey, year, group), part in visible.groupby(["survey", "year", "group"], sort=False,
                                                       observed=True):
        df = no_answers[(no_answers["survey"] == survey) & (no_answers["year"] == year)
                        & no_answers["question"].isin(part["question"])]
        if group != ALL:
            df = df[df["group"] == group]
        if df.empty:
            continue
        counts = df.groupby(["question", "label"], observed=True).size().reset_index(name="count")
        counts.insert(0, "group", group)
        counts.insert(0, "year", year)
        counts.insert(0, "survey", survey)
        pieces.append(counts)
    return typed(pd.concat(pieces, ignore_index=True) if pieces
                 else pd.DataFrame(columns=NO_ANSWER_COUNT_COLUMNS), NO_ANSWER_COUNT_COLUMNS)


def gender_counts(respondents: pd.DataFrame, groups: pd.DataFrame, catalog: Catalog,
                  min_n: int = DEFAULT_MIN_N) -> pd.DataFrame:
    """Respondents by kön per survey and year (all respondents), small numbers suppressed.

    A count is shown only if it is 0 or at least min_n, and what the shown counts leave
    of the published number of respondents is 0 or at least min_n; otherwise the next
    smallest counts are hidden too. Only the whole survey-year is broken down: kön per
    insats would be a table whose rows and columns can be subtracted from each other
    (Alla's women minus one insats's women …), which this rule does not protect, so it
    is not published. Only survey-years where someone's kön is known are listed.
    """
    scale = catalog.gender
    labels = {c.code: c.label for c in scale.categories} if scale is not None else {}
    rows = []
    alla = groups[groups["shown"] & (groups["group"] == ALL)]
    for row in alla.itertuples(index=False):
        people = respondents[(respondents["survey"] == row.survey)
                             & (respondents["year"] == row.year)]
        if people["gender"].isna().all():
            continue
        kinds = [*labels, None]
        count = {k: int(people["gender"].isna().sum() if k is None
                        else (people["gender"] == k).sum()) for k in kinds}
        shown = {k for k, c in count.items() if _allowed(c, min_n)}
        while not _allowed(len(people) - sum(count[k] for k in shown), min_n):
            if not _hide_smallest(shown, count, kinds):
                break
        rows.extend((row.survey, int(row.year), ALL, k, labels.get(k, NOT_GIVEN),
                     count[k] if k in shown else None) for k in kinds)
    table = pd.DataFrame(rows, columns=GENDER_COLUMNS)
    table["gender"] = table["gender"].astype("Int64")
    table["respondents"] = table["respondents"].astype("Int64")
    return table


def _hide_smallest(shown: set, count: dict, keys: list) -> bool:
    """Hide the smallest shown non-empty cell among `keys`; False if there is none."""
    candidates = [key for key in keys if key in shown and count[key] > 0]
    if not candidates:
        return False
    shown.discard(min(candidates, key=lambda key: (count[key], str(key))))
    return True
