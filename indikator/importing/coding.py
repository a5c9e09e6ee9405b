"""Records -> coded respondents: every cell read as code, "vet ej", blank or invalid.

The same checks for every layout: how ja/nej is coded per column, rows the
survey tool marked incomplete, Kön, conditional questions, and the counts that
make the row accounting add up.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from indikator.errors import Problem
from indikator.importing.answers import NO_LABELS, Answers
from indikator.importing.headers import header_text
from indikator.importing.model import (
    EXCLUDE,
    INCLUDE,
    Column,
    ImportOptions,
    SheetContext,
    SheetReport,
)
from indikator.importing.records import RawCell, Record
from indikator.importing.values import (
    code_and_label,
    code_value,
    is_no_answer,
    parse_status,
    parse_year,
    yes_no_coding,
)
from indikator.questionnaires import Questionnaire, Scale
from indikator.reading import Cell, Sheet
from indikator.text import fold

AMBIGUOUS: dict[int, int] = {-1: -1}  # marks a ja/nej column whose coding cannot be told


@dataclass(slots=True)
class Respondent:
    """A coded respondent, ready for the tidy tables."""

    survey: str
    version: str
    year: int
    prefix: str  # "file|sheet|", one string per sheet: the uid's start
    id: str | None
    group: str | None
    gender: int | None
    file: str
    sheet: str | None
    row: int
    rows: int
    answers: Mapping[int, int]  # an Answers (answers.py): a dict each was too large
    no_answers: Mapping[int, str]  # NO_LABELS when there are none
    blanks: int = 0
    source: int = -1  # index of its sheet's report in the import; set by import_files
    forbund: str | None = None  # from a Förbund column, when the export holds many

    @property
    def uid(self) -> str:
        """Its key in the tables ("file|sheet|first row"), made only when they are: a
        string per respondent held through the whole import was 10 % of its memory."""
        return f"{self.prefix}{self.row}"


NO_ANSWER, CODED = object(), object()  # what a cell value was judged to be (memo)


def code_records(ctx: SheetContext, records: list[Record], years: Mapping[int, int | None],
                 questionnaire: Questionnaire) -> list[Respondent]:
    """Code every record; count each data row once as empty, incomplete or in error.

    Rows of the returned respondents are counted as used by import_files, after
    duplicates are set aside (so nothing is counted and then taken back).
    """
    sheet, catalog, options = ctx.sheet, ctx.catalog, ctx.options
    report, problems = ctx.report, ctx.problems
    severity = "warning" if options.skip_invalid else "error"
    no_answer = {fold(x) for x in catalog.no_answer}
    scale_of = {q.number: q.scale for q in questionnaire.questions}
    mappings = yes_no_mappings(sheet, _record_columns(records, scale_of), scale_of,
                               options, report, problems)
    memo: dict[tuple, tuple] = {}
    excluded = _incomplete(sheet, records, options, problems)
    respondents: list[Respondent] = []
    prefix = uid_prefix(sheet)
    for record in records:
        if id(record) in excluded:
            report.rows_incomplete += len(record.rows)
            continue
        coded: dict[int, int] = {}
        unanswered: dict[int, str] = {}
        blanks = 0
        for number, cell in record.answers.items():
            if cell.value is None:
                blanks += 1
                continue
            # a column holds few distinct values: each is judged once (memo), then looked up
            key = (number, type(cell.value), cell.value)
            judged = memo.get(key)
            if judged is None:
                if is_no_answer(cell.value, no_answer):
                    judged = (NO_ANSWER, header_text(cell.value))
                elif mappings.get(number) is AMBIGUOUS:
                    judged = (AMBIGUOUS, None)
                else:
                    judged = (CODED, code_value(cell.value, scale_of[number],
                                                mappings.get(number)))
                memo[key] = judged
            kind, code = judged
            if kind is NO_ANSWER:
                unanswered[number] = code
                continue
            if kind is AMBIGUOUS:
                continue  # reported once for the column; the run stops
            if code is None:
                report.invalid += 1
                problems.append(invalid_problem(sheet, cell, scale_of[number], severity))
            else:
                coded[number] = code
        gender = _gender(sheet, record, catalog.gender, report, severity, problems, memo)
        if not coded and not unanswered:
            report.rows_empty += len(record.rows)
            continue
        year_cell = record.background.get("year")
        year = years.get(record.rows[0]) if year_cell is None else (
            parse_year(year_cell.value) if year_cell.value is not None else options.year)
        if year is None:
            if year_cell is not None and year_cell.value is None:
                problems.append(Problem(
                    "missing-year", "Året saknas på raden; fyll i År eller ange --year.",
                    year_cell.location(sheet)))
            report.rows_error += len(record.rows)  # a problem says why: invalid or missing year
            continue
        group_cell = record.background.get("group")
        group = header_text(group_cell.value) or None if group_cell else None
        _check_conditions(questionnaire, coded, record, sheet, problems)
        first = min(record.rows)
        forbund_cell = record.background.get("forbund")
        forbund = header_text(forbund_cell.value) or None if forbund_cell else None
        respondents.append(Respondent(
            questionnaire.id, questionnaire.version, year,
            prefix, record.id, group, gender,
            sheet.label, sheet.sheet, first, len(record.rows), Answers.of(coded),
            unanswered or NO_LABELS, blanks, forbund=forbund))
    return respondents


def uid_prefix(sheet: Sheet) -> str:
    """The start of the uid of a sheet's respondents: the file's path and the sheet."""
    return f"{sheet.file}|{sheet.sheet or ''}|"


def yes_no_mappings(sheet: Sheet, columns: dict[int, tuple[Iterable[Cell], int | None, str]],
                    scale_of: dict[int, Scale], options: ImportOptions, report: SheetReport,
                    problems: list[Problem]) -> dict[int, dict[int, int]]:
    """Per question: how the column codes Nej (detected, reported, or an error if unclear).

    columns: question -> (its cells' values, the column's index and header), for the
    questions that have at least one cell.
    """
    mappings: dict[int, dict[int, int]] = {}
    for number, scale in scale_of.items():
        if number not in columns or not scale.alternative_codes:
            continue
        values, index, name = columns[number]
        mapping, problem = yes_no_coding(values, scale, options.yes_no)
        where = sheet.location(report.header_row, index, name)
        if problem is not None:
            problems.append(Problem("ambiguous-yes-no", problem, where))
            mappings[number] = AMBIGUOUS
            continue
        if mapping:
            mappings[number] = mapping
            own = ", ".join(f"{alt} = {scale.label(code)}" for alt, code in mapping.items())
            problems.append(Problem(
                "yes-no-coding", f"Fråga {number} är kodad med {own}; läses så.",
                where, severity="warning"))
            alt_of = {code: alt for alt, code in mapping.items()}
            coding = "/".join(str(alt_of.get(c, c)) for c in scale.codes)  # "1/0"
            report.columns = [
                Column(c.index, c.header, c.role, c.question, c.how,
                       coding if c.question == number else c.coding) for c in report.columns]
    return mappings


def _record_columns(records: list[Record], scale_of: dict[int, Scale]
                    ) -> dict[int, tuple[list[Cell], int | None, str]]:
    """yes_no_mappings' columns of records: each question's values, where its first is."""
    columns = {}
    for number in (n for n, scale in scale_of.items() if scale.alternative_codes):
        cells = [r.answers[number] for r in records if number in r.answers]
        if cells:
            columns[number] = ([c.value for c in cells], cells[0].index, cells[0].column)
    return columns


def _incomplete(sheet: Sheet, records: list[Record], options: ImportOptions,
                problems: list[Problem]) -> set[int]:
    """Records the survey tool marked incomplete, to leave out (with --incomplete exclude)."""
    cells = [record.background.get("status") if record.answers else None
             for record in records]
    marked = incomplete_marks(sheet, cells, [r.rows[0] for r in records], options, problems)
    return {id(r) for r, out in zip(records, marked, strict=True) if out}


def incomplete_marks(sheet: Sheet, cells: Sequence[RawCell | None], first_rows: Sequence[int],
                     options: ImportOptions, problems: list[Problem]) -> list[bool]:
    """Which respondents to leave out as incomplete (only with --incomplete exclude).

    cells: each respondent's status cell (None: no status, or no answers); first_rows:
    the row each respondent starts on, for the message.
    """
    incomplete, unknown = [], {}
    for k, cell in enumerate(cells):
        if cell is None:
            continue
        status = parse_status(cell.value, cell.column)
        if status is False:
            incomplete.append(k)
        elif status is None and cell.value is not None:
            unknown.setdefault(header_text(cell.value), cell)
    marked = [False] * len(cells)
    if options.incomplete == INCLUDE:
        return marked
    for value, cell in unknown.items():
        problems.append(Problem(
            "unknown-status", "Statusvärdet känns inte igen, så det går inte att veta om svaret "
            "är fullständigt. Ange --incomplete include för att räkna alla rader.",
            cell.location(sheet), value=value))
    if incomplete and options.incomplete != EXCLUDE:
        rows = ", ".join(str(first_rows[k]) for k in incomplete[:10])
        more = " m.fl." if len(incomplete) > 10 else ""
        problems.append(Problem(
            "incomplete-rows",
            f"{len(incomplete)} svar är markerade som ofullständiga av enkätverktyget (rad "
            f"{rows}{more}). Välj --incomplete include för att räkna deras svar, eller "
            "--incomplete exclude för att utesluta dem.", sheet.location()))
    if options.incomplete == EXCLUDE:
        for k in incomplete:
            marked[k] = True
    return marked


def _gender(sheet: Sheet, record: Record, scale: Scale | None, report: SheetReport,
            severity: str, problems: list[Problem], memo: dict) -> int | None:
    cell = record.background.get("gender")
    if cell is None or cell.value is None or scale is None:
        return None
    key = ("gender", type(cell.value), cell.value)
    if key not in memo:
        memo[key] = code_value(cell.value, scale)
    code = memo[key]
    if code is None:
        report.invalid += 1
        problems.append(invalid_problem(sheet, cell, scale, severity, background=True))
    return code


def invalid_problem(sheet: Sheet, cell: RawCell, scale: Scale, severity: str,
             background: bool = False) -> Problem:
    value = cell.value
    shown = int(value) if isinstance(value, float) and value.is_integer() else value
    both = code_and_label(shown, scale)
    hint = (f" Koden {both[0]} och texten {scale.label(both[1])!r} anger olika svarsalternativ "
            f"(texten är kod {both[1]}); rätta den som är fel." if both is not None
            else nearest_label(str(shown), scale))
    if background:
        return Problem(
            "invalid-background", f"Värdet finns inte bland svarsalternativen för "
            f"{scale.name.lower()}. Det är en bakgrundskolumn, inte en fråga; rätta värdet eller "
            f"töm cellen.{hint}", cell.location(sheet), value=str(shown),
            expected=scale.describe(), severity=severity)
    return Problem(
        "invalid-value", f"Värdet finns inte på frågans skala.{hint}",
        cell.location(sheet), value=str(shown), expected=scale.describe(),
        severity=severity,
    )


def nearest_label(value: str, scale: Scale) -> str:
    """' Menade du Aldrig?' for a misspelt answer ('Alldrig'), else ''."""
    import difflib

    key = fold(value)
    if len(key) < 3:
        return ""
    names = {fold(text): c.label for c in scale.categories for text in (c.label, *c.aliases)}
    close = difflib.get_close_matches(key, list(names), n=1, cutoff=0.75)
    return f" Menade du {names[close[0]]}?" if close else ""


def _check_conditions(questionnaire: Questionnaire, coded: dict[int, int], record: Record,
                      sheet: Sheet, problems: list[Problem]) -> None:
    for number in coded:
        condition = questionnaire.question(number).asked_if
        if condition is None or condition.question not in coded:
            continue
        if coded[condition.question] not in condition.codes:
            cell = record.answers[number]
            problems.append(Problem(
                "answer-outside-condition",
                f"Fråga {number} har svar fast fråga {condition.question} inte besvarades med "
                "det som leder dit; svaret räknas ändå.", cell.location(sheet),
                severity="warning"))
