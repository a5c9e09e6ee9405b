"""A wide sheet (a row per respondent) coded column by column.

A column holds few distinct values, so each distinct value is judged once (a code, a
"vet ej", blank or not on the scale) and the column becomes an array of what its cells
were judged to be. Which rows are empty, in error or carry a problem is then found with
masks over those arrays; only the rows that carry a problem are visited cell by cell,
in the order code_records (the row-by-row coder, which long sheets use) visits them, so
every message, its place and its order are the same. No object per cell is made: at
100,000 rows that was most of an import's time and memory. The cells come a column at
a time from the sheet (Body.column; a CSV file's grid is kept as columns), and the kept
rows leave as People (people.py), columns again, not an object per respondent.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence

import numpy as np
import pandas as pd

from indikator.errors import Problem
from indikator.importing.answers import NO_LABELS, fits_16_bits
from indikator.importing.body import Body, RowYears
from indikator.importing.coding import (
    AMBIGUOUS,
    incomplete_marks,
    invalid_problem,
    uid_prefix,
    yes_no_mappings,
)
from indikator.importing.headers import header_text
from indikator.importing.model import Column, SheetContext
from indikator.importing.people import People, sheet_people
from indikator.importing.records import SINGLE_ROLES, RawCell
from indikator.importing.values import code_value, is_no_answer
from indikator.questionnaires import Questionnaire, Scale
from indikator.reading import Cell
from indikator.text import fold

_APART = {str, float, type(None)}  # types whose values never equal another's

# what a cell was judged to be (int8 in the arrays)
BLANK, CODED, NO_ANSWER, INVALID, UNCLEAR = 0, 1, 2, 3, 4


class Judged:
    """A column as an index into its distinct values (keyed with their type, as True,
    1 and 1.0 are equal in a dict), and the distinct values."""

    def __init__(self, values: Sequence[Cell]) -> None:
        if set(map(type, values)) <= _APART and self._factorized(values):
            return
        keys = list(zip(map(type, values), values, strict=True))
        position = {key: k for k, key in enumerate(dict.fromkeys(keys))}
        self.distinct: list[Cell] = [value for _, value in position]
        self.index = _narrowest(np.fromiter(map(position.__getitem__, keys), dtype=np.int32,
                                            count=len(keys)), len(self.distinct))

    def _factorized(self, values: Sequence[Cell]) -> bool:
        """Text, numbers as floats and blanks (no value of one equals one of another) in
        pandas' hash table, 5x faster than a dict; False where a float is NaN, which
        pandas would take for a blank."""
        array = np.array(values, dtype=object)
        index, uniques = pd.factorize(array)
        blank = index < 0
        if blank.any() and not (array[blank] == None).all():  # noqa: E711 (element-wise)
            return False
        self.distinct = [*uniques.tolist(), None]
        index[blank] = len(uniques)
        self.index = _narrowest(index, len(self.distinct))
        return True

    def each(self, judge: Callable[[Cell], Hashable]) -> np.ndarray:
        """judge() of every cell, calling it once per distinct value."""
        return np.array([judge(v) for v in self.distinct], dtype=object)[self.index]


def _narrowest(index: np.ndarray, distinct: int) -> np.ndarray:
    """An index into `distinct` values in the fewest bytes: a column of few distinct
    values (an answer's) takes one byte a row, not pandas' eight; the index lives until
    the respondents are made, one per question column."""
    return index.astype(np.min_scalar_type(max(distinct - 1, 0)))


def code_wide(ctx: SheetContext, columns: list[Column], years: RowYears,
              questionnaire: Questionnaire) -> People:
    """What code_records(ctx, wide_records(ctx, columns), …) gives, column by column."""
    sheet, catalog, options = ctx.sheet, ctx.catalog, ctx.options
    report, problems, header = ctx.report, ctx.problems, ctx.header
    severity = "warning" if options.skip_invalid else "error"
    by_role = {r: i for i, r in ctx.roles.items()}
    questions = [(c.question, c.index, c.header) for c in columns if c.role == "question"]
    background = {role: by_role[role] for role in (*SINGLE_ROLES, "status") if role in by_role}
    body = ctx.body
    rows = body.numbers
    n = len(rows)

    def values(index: int | None) -> list[Cell] | None:
        """A column's cells, taken from the sheet when needed (no grid of rows is made)."""
        return None if index is None else body.column(index)

    scale_of = {q.number: q.scale for q in questionnaire.questions}
    # the columns whose ja/nej coding is told from their values (the only ones it reads);
    # a question's cells are taken from the grid when needed, not all held at once
    mappings = yes_no_mappings(
        sheet, {number: (_Cells(body, index), index, name)
                for number, index, name in questions
                if n and scale_of[number].alternative_codes},
        scale_of, options, report, problems)
    status = values(background.get("status"))
    excluded = np.zeros(n, dtype=bool)
    if status is not None:
        index = background["status"]
        marked = incomplete_marks(sheet, [RawCell(v, r, header.display[index], index)
                                          for v, r in zip(status, rows, strict=True)],
                                  rows, options, problems)
        excluded = np.array(marked, dtype=bool) if n else excluded

    no_answer = {fold(x) for x in catalog.no_answer}
    kinds = np.zeros((n, len(questions)), dtype=np.int8)
    # 16 bits where every code of the questionnaire's scales fits (the answers' own width,
    # answers.py); a questionnaire may give its scales larger codes, kept whole in 64
    code_type = np.int16 if fits_16_bits(c for q in questionnaire.questions
                                         for c in q.scale.codes) else np.int64
    codes = np.zeros((n, len(questions)), dtype=code_type)
    judged: list[Judged] = []
    labels: list[list[str | None]] = []
    for j, (number, index, _) in enumerate(questions):
        column = Judged(body.column(index))
        judged.append(column)
        kind, code, label = _judge_answers(column.distinct, scale_of[number],
                                           mappings.get(number), no_answer)
        kinds[:, j] = np.array(kind, dtype=np.int8)[column.index]
        codes[:, j] = np.array(code, dtype=code_type)[column.index]
        labels.append(label)

    gender_values = values(background.get("gender"))
    genders: list[int | None] = [None] * n
    gender_invalid = np.zeros(n, dtype=bool)
    if gender_values is not None and catalog.gender is not None:
        column = Judged(gender_values)
        coded_gender = [None if v is None else code_value(v, catalog.gender)
                        for v in column.distinct]
        genders = np.array(coded_gender, dtype=object)[column.index].tolist()
        gender_invalid = np.array([v is not None and c is None for v, c in
                                   zip(column.distinct, coded_gender, strict=True)],
                                  dtype=bool)[column.index]

    answered = ((kinds == CODED) | (kinds == NO_ANSWER)).any(axis=1)
    year_of = years.in_order()  # (the years of the rows of ctx.body, in their order)
    no_year = np.array([y is None for y in year_of], dtype=bool)
    year_values = values(background.get("year"))
    counted = ~excluded
    kept = counted & answered & ~no_year
    report.rows_incomplete += int(excluded.sum())
    report.rows_empty += int((counted & ~answered).sum())
    report.rows_error += int((counted & answered & no_year).sum())
    invalid = (kinds == INVALID) & counted[:, None]
    report.invalid += int(invalid.sum() + (gender_invalid & counted).sum())

    # the rows with a problem, visited in row order as code_records visits them
    missing_year = counted & answered & no_year
    if year_values is not None:
        missing_year &= np.array([v is None for v in year_values], dtype=bool)
    else:
        missing_year[:] = False
    outside = np.zeros(n, dtype=bool)
    conditions = []
    position = {number: j for j, (number, _, _) in enumerate(questions)}
    for j, (number, _, _) in enumerate(questions):
        condition = questionnaire.question(number).asked_if
        if condition is None or condition.question not in position:
            continue
        k = position[condition.question]
        wrong = (kept & (kinds[:, j] == CODED) & (kinds[:, k] == CODED)
                 & ~np.isin(codes[:, k], condition.codes))
        conditions.append((j, condition.question, wrong))
        outside |= wrong
    flagged = invalid.any(axis=1) | (gender_invalid & counted) | missing_year | outside
    cells: dict[int, list[Cell]] = {}  # the columns of an invalid answer, taken again

    def cell(r: int, index: int) -> Cell:
        """The cell itself, for its message (a value judged alike may differ in print)."""
        if index not in cells:
            cells[index] = body.column(index)
        return cells[index][r]

    for r in np.flatnonzero(flagged).tolist():
        row = rows[r]
        for j, (number, index, name) in enumerate(questions):
            if invalid[r, j]:
                problems.append(invalid_problem(
                    sheet, RawCell(cell(r, index), row, name, index), scale_of[number],
                    severity))
        if gender_invalid[r] and counted[r]:
            index = background["gender"]
            problems.append(invalid_problem(
                sheet, RawCell(gender_values[r], row, header.display[index], index),
                catalog.gender, severity, background=True))
        if missing_year[r]:
            index = background["year"]
            problems.append(Problem(
                "missing-year", "Året saknas på raden; fyll i År eller ange --year.",
                sheet.location(row, index, header.display[index])))
        for j, asked_after, wrong in conditions:
            if wrong[r]:
                number, index, name = questions[j]
                problems.append(Problem(
                    "answer-outside-condition",
                    f"Fråga {number} har svar fast fråga {asked_after} inte besvarades med "
                    "det som leder dit; svaret räknas ändå.", sheet.location(row, index, name),
                    severity="warning"))
    # what the respondents take from the cells; then the cells are let go before the
    # respondents are made (the grid, and the respondents, are most of an import's memory)
    taken = {role: values(by_role.get(role)) for role in ("id", "group", "forbund")}
    del gender_values, year_values
    cells.clear()
    if ctx.release:
        body.clear()
        sheet.rows.clear()
    return _respondents(ctx, questionnaire, questions, kept, rows, year_of, genders, taken,
                        kinds, codes, judged, labels)


class _Cells:
    """One column's cells, taken from the sheet each time they are read: the ja/nej
    columns are read one after another, not all held at once."""

    def __init__(self, body: Body, index: int) -> None:
        self.body, self.index = body, index

    def __iter__(self) -> Iterator[Cell]:
        return iter(self.body.column(self.index))


def _judge_answers(distinct: list[Cell], scale: Scale, mapping: dict[int, int] | None,
                   no_answer: set[str]) -> tuple[list[int], list[int], list[str | None]]:
    """(kind, code, "vet ej" label) of each distinct value of one question's column."""
    kinds, codes, labels = [], [], []
    for value in distinct:
        kind, code, label = BLANK, 0, None
        if value is None:
            pass
        elif is_no_answer(value, no_answer):
            kind, label = NO_ANSWER, header_text(value)
        elif mapping is AMBIGUOUS:
            kind = UNCLEAR
        else:
            coded = code_value(value, scale, mapping)
            kind, code = (INVALID, 0) if coded is None else (CODED, coded)
        kinds.append(kind)
        codes.append(code)
        labels.append(label)
    return kinds, codes, labels


def _texts(values: list[Cell] | None, n: int) -> list[str | None]:
    """header_text(value) or None of each cell (None without the column), once per value."""
    if values is None:
        return [None] * n
    column = Judged(values)
    return column.each(lambda v: header_text(v) or None).tolist()


def _respondents(ctx: SheetContext, questionnaire: Questionnaire, questions: list,
                 kept: np.ndarray, rows: range | list[int], year_of: list, genders: list,
                 taken: dict[str, list[Cell] | None], kinds: np.ndarray, codes: np.ndarray,
                 judged: list[Judged], labels: list[list[str | None]]) -> People:
    """The kept rows as People, answers in column order (as code_records makes them),
    straight from the arrays: no object per respondent.
    taken: the cells of the id, Insats and Förbund columns (None: no such column)."""
    sheet = ctx.sheet
    chosen = np.flatnonzero(kept)
    m = len(chosen)
    numbers = [number for number, _, _ in questions]
    kinds = kinds[chosen]
    coded = kinds == CODED
    counts = coded.sum(axis=1)
    flat_numbers = np.broadcast_to(np.array(numbers, dtype=np.int16 if fits_16_bits(numbers)
                                            else np.int64), coded.shape)[coded]
    flat_codes = codes[chosen][coded]
    unanswered: list[Mapping[int, str]] = [NO_LABELS] * m
    for k in np.flatnonzero((kinds == NO_ANSWER).any(axis=1)).tolist():
        r = chosen[k]
        unanswered[k] = {numbers[j]: labels[j][judged[j].index[r]]
                         for j in range(len(numbers)) if kinds[k, j] == NO_ANSWER}
    blanks = (kinds == BLANK).sum(axis=1)

    def picked(values: Sequence) -> list:
        """values[r] of the kept rows r, through numpy (no number object per row)."""
        return np.asarray(values, dtype=object)[chosen].tolist()

    id_values = taken["id"]
    ids = [None] * m
    if id_values is not None:
        # ids are mostly distinct: each read, ASCII text without header_text's call
        # (the cell's own string where it needs no change: not a second string for each)
        ids = [None if v is None else (v if (w := " ".join(v.split())) == v else w)
               if type(v) is str and v.isascii() else header_text(v)
               for v in picked(id_values)]
    firsts = (np.arange(rows.start, rows.stop, rows.step) if isinstance(rows, range)
              else np.array(rows, dtype=np.int64))[chosen]
    return sheet_people(
        questionnaire.id, questionnaire.version, uid_prefix(sheet), sheet.label, sheet.sheet,
        picked(year_of), ids, picked(_texts(taken["group"], len(rows))), picked(genders),
        firsts, counts, flat_numbers, flat_codes, unanswered, blanks,
        picked(_texts(taken["forbund"], len(rows))))
