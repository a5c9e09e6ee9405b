"""A sheet's data rows -> records, one per respondent, whatever the layout.

Wide exports have a row per respondent; long ones a row per answer, brought
together by the respondent id. Every cell keeps its own Excel row, so a
problem found later points at the right place in either layout.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from indikator.errors import Problem
from indikator.importing.headers import battery_codes, header_text, match_question
from indikator.importing.model import SheetContext
from indikator.importing.values import parse_year
from indikator.questionnaires import Questionnaire
from indikator.reading import Cell, Sheet

SINGLE_ROLES = ("year", "group", "gender", "survey", "forbund")


class RawCell(NamedTuple):
    """One cell and where it is (a tuple: a big export has a million of them)."""

    value: Cell
    row: int  # Excel row
    column: str  # header text as the user sees it
    index: int | None = None  # 0-based column index (A = 0)

    def location(self, sheet: Sheet):
        return sheet.location(self.row, self.index, self.column)


@dataclass


class Record:
    """One respondent's cells, before coding."""

    rows: list[int]
    id: str | None = None
    background: dict[str, RawCell] = field(default_factory=dict)
    answers: dict[int, RawCell] = field(default_factory=dict)


def cell_at(cells: list[Cell], index: int | None) -> Cell:
    return cells[index] if index is not None and index < len(cells) else None


def long_records(ctx: SheetContext, questionnaire: Questionnaire) -> list[Record]:
    """A row per answer -> a record per respondent id, each value keeping its own row."""
    sheet, header, roles, body = ctx.sheet, ctx.header, ctx.roles, ctx.body
    long_cols, problems = ctx.long_cols, ctx.problems
    by_role = {r: i for i, r in roles.items()}
    id_col = by_role.get("id")
    q_col, v_col = long_cols
    q_name, v_name = header.display[q_col], header.display[v_col]
    if id_col is None:
        problems.append(Problem(
            "long-without-id", f"{sheet.noun()} har en rad per svar men ingen kolumn med "
            "svars-id (t.ex. Svars-ID, Respondent); utan den kan svaren inte föras ihop per "
            "person.",
            sheet.location(header.rows[1])))
        return []
    codes = battery_codes(header_text(cell_at(c, q_col)) for _, c in body)
    numbers: dict[str, int | None] = {}
    records: dict[tuple, Record] = {}
    split, part = _told_apart(body, id_col, by_role)
    empty_rows: list[int] = []
    for row_number, cells in body:
        if not any(v is not None for v in cells):
            empty_rows.append(row_number)
            continue
        rid = cell_at(cells, id_col)
        if rid is None:
            problems.append(Problem("missing-id", "Svars-id saknas på raden.",
                                    sheet.location(row_number, id_col, header.display[id_col])))
            continue
        rid = header_text(rid)
        key = (rid, *part(cells)) if rid in split else (rid,)
        record = records.setdefault(key, Record([], rid))
        record.rows.append(row_number)
        for role in (*SINGLE_ROLES, "status"):
            if role not in by_role:
                continue
            cell = RawCell(cell_at(cells, by_role[role]), row_number, header.display[by_role[role]],
                           by_role[role])
            earlier = record.background.get(role)
            if earlier is None or earlier.value is None:
                record.background[role] = cell
            elif cell.value is not None and header_text(cell.value) != header_text(earlier.value):
                problems.append(Problem(
                    "conflicting-background",
                    f"Svars-id {rid} har olika värden i {cell.column} (rad {earlier.row} och "
                    f"rad {row_number}).", cell.location(sheet)))
        name = header_text(cell_at(cells, q_col))
        if name not in numbers:
            question, _, issue = match_question([name], questionnaire, codes)
            numbers[name] = question.number if question else None
            if question is None:
                problems.append(Problem(
                    "unknown-question", issue[1] if issue else "Frågan känns inte igen.",
                    sheet.location(row_number, q_col, q_name), value=name))
        number = numbers[name]
        if number is None:
            continue
        value = cell_at(cells, v_col)
        if number in record.answers:
            first = record.answers[number]
            problems.append(Problem(
                "duplicate-answer", f"Svars-id {rid} har två svar på fråga {number} (rad "
                f"{first.row} och rad {row_number}).", sheet.location(row_number, v_col, v_name)))
            continue
        record.answers[number] = RawCell(value, row_number, v_name, v_col)
    out = list(records.values())
    if empty_rows:
        out.append(Record(empty_rows))  # blank rows: accounted as empty
    return out


def _told_apart(body: list[tuple[int, list]], id_col: int, by_role: dict[str, int]
                ) -> tuple[set[str], Callable[[list], tuple]]:
    """Ids that name different respondents in a long sheet: the same svars-id under two
    förbund or two years (every export numbers from R001; a file of several förbund or
    years repeats ids), and what tells their rows apart (a row's förbund and year). An
    id with one förbund and one year is one respondent, also where some of its rows
    leave those cells blank."""
    columns = [(by_role[role], role == "year") for role in ("forbund", "year") if role in by_role]

    memo: dict[tuple, object] = {}  # a column holds few distinct values

    def part(cells: list) -> tuple:
        values = []
        for index, is_year in columns:
            value = cell_at(cells, index)
            key = (is_year, type(value), value)
            if key not in memo:
                year = parse_year(value) if is_year and value is not None else None
                memo[key] = year if year is not None else header_text(value) or None
            values.append(memo[key])
        return tuple(values)

    if not columns:
        return set(), part
    seen: dict[str, set[tuple]] = {}
    for _, cells in body:
        rid = cell_at(cells, id_col)
        if rid is not None:
            seen.setdefault(header_text(rid), set()).add(part(cells))
    split = {rid for rid, parts in seen.items()
             if any(len({p[k] for p in parts if p[k] is not None}) > 1
                    for k in range(len(columns)))}
    return split, part
