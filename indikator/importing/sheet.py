"""One sheet -> coded respondents and a report, with every data row accounted for.

The steps: find the header (headers.py), tell the survey and the year, match the
columns to questions, turn the rows into records (records.py) and code them
(coding.py). Every layout gets the same checks.
"""

from __future__ import annotations

import re

import numpy as np

from indikator.errors import Problem
from indikator.importing.body import Body, RowYears
from indikator.importing.coding import code_records
from indikator.importing.columns import Judged, code_wide
from indikator.importing.headers import (
    DATE_NAMES,
    LONG_QUESTION_NAMES,
    LONG_VALUE_NAMES,
    Header,
    battery_codes,
    find_header,
    header_text,
    match_question,
    role_of,
)
from indikator.importing.model import (
    Column,
    ImportOptions,
    SheetContext,
    SheetReport,
    column_letter,
)
from indikator.importing.people import People
from indikator.importing.records import SINGLE_ROLES, long_records
from indikator.importing.values import (
    code_and_label,
    is_ascii_number,
    parse_year,
    year_of_date,
    year_of_timestamp,
)
from indikator.questionnaires import Catalog, Questionnaire
from indikator.reading import Sheet
from indikator.reading.grid import column_of
from indikator.text import fold, split_number


def import_sheet(sheet: Sheet, catalog: Catalog, options: ImportOptions,
                 problems: list[Problem], release: bool = False
                 ) -> tuple[SheetReport, People]:
    """Find header, survey, year and columns, build records and code them.

    The problems found are appended to `problems` in sheet order (by row).
    release: the caller has no more use for `sheet.rows`; a wide sheet's are emptied as
        soon as its cells are coded, so the grid is gone before its respondents are made.
    """
    start = len(problems)
    result = _import_sheet(sheet, catalog, options, problems, release)
    problems[start:] = sorted(problems[start:], key=lambda p: p.location.row or 0)
    return result


def _import_sheet(sheet: Sheet, catalog: Catalog, options: ImportOptions,
                  problems: list[Problem], release: bool) -> tuple[SheetReport, People]:
    """The sheet's data rows are counted once, here; each leaves as used, empty,
    incomplete, duplicate, in error, hidden, or unread because a sheet-level problem
    stopped it."""
    ctx = SheetContext(sheet, catalog, options, problems, SheetReport(sheet.label,
                                                                       sheet.sheet),
                       release=release)
    report = ctx.report
    respondents = _read_sheet(ctx)
    if respondents is None:  # a sheet-level problem (or no survey) says why
        report.rows_unread = report.rows_read - report.rows_hidden
        return report, People.of([])
    placed = (report.rows_empty + report.rows_incomplete + report.rows_error
              + report.rows_hidden + int(respondents.rows.sum()))
    report.rows_error += report.rows_read - placed  # rows no record held (an error names each)
    return report, respondents


def _read_sheet(ctx: SheetContext) -> People | None:
    """Respondents of a sheet that could be read; None when a sheet-level problem stops it."""
    sheet, catalog, problems, report = ctx.sheet, ctx.catalog, ctx.problems, ctx.report
    known = {fold(q.text) for v in catalog.questionnaires for q in v.questions}
    header = ctx.header = find_header(sheet.rows, known)
    if header is None:
        report.note = "tomt blad"
        return None
    report.header_rows = header.rows
    width = len(header.display)
    roles = ctx.roles = _roles(header, known)
    long_cols = ctx.long_cols = _long_columns(header)
    ctx.body = _absorb_header_rows(sheet, header, report, _body(sheet, header), catalog,
                                   problems)
    report.rows_read = len(ctx.body)  # the one place rows are counted
    ctx.body = _skip_hidden_rows(ctx)
    if _formulas_without_values(ctx):
        return None
    for role in SINGLE_ROLES:
        cols = [i for i, r in roles.items() if r == role]
        if len(cols) > 1:
            problems.append(Problem(
                "duplicate-column", "Flera kolumner har samma roll ("
                + ", ".join(f'{column_letter(i)} "{header.display[i]}"' for i in cols)
                + "); behåll en av dem.", sheet.location(header.rows[1])))
            return None

    survey, source = _decide_survey(ctx)
    if survey is None:
        if source == "no-questions":
            report.note = "inga frågekolumner; bladet lästes inte"
            if any(header.display):
                problems.append(Problem(
                    "sheet-without-questions",
                    f"{sheet.noun()} har inga kolumner som känns igen som frågor och lästes inte.",
                    sheet.location(), severity="warning"))
        return None
    report.survey, report.survey_source = survey, source

    years = _sheet_years(ctx)
    if years is None:
        return None
    distinct = sorted(set(years.in_order()) - {None})
    versions = {catalog.get(survey, y).version for y in distinct} or {catalog.get(survey).version}
    if len(versions) > 1:
        problems.append(Problem(
            "mixed-versions",
            f"{sheet.noun()} innehåller år ({', '.join(map(str, distinct))}) som hör till olika "
            "versioner av enkäten; dela upp svaren per version.", sheet.location()))
        return None
    questionnaire = catalog.get(survey, distinct[-1] if distinct else None)
    report.version, report.years = questionnaire.version, distinct

    before = len(problems)
    if long_cols is not None:
        report.layout = "long"
        report.columns = [Column(i, header.display[i], roles.get(i, "ignored")) for i in
                          range(width) if i not in long_cols]
        report.columns += [Column(long_cols[0], header.display[long_cols[0]], "question-name"),
                           Column(long_cols[1], header.display[long_cols[1]], "value")]
        report.columns.sort(key=lambda c: c.index)
        records = long_records(ctx, questionnaire)
        if any(p.severity == "error" for p in problems[before:]):
            return None
        _warn_missing_questions(ctx, questionnaire, {n for r in records for n in r.answers})
        _warn_merged_answers(ctx)
        return People.of(code_records(ctx, records, years, questionnaire))
    report.columns = _match_columns(ctx, questionnaire)
    if any(p.severity == "error" for p in problems[before:]):
        return None
    if not any(c.role == "question" for c in report.columns):
        problems.append(Problem(
            "no-question-columns",
            f"Inga kolumner känns igen som frågor i enkäten {questionnaire.name}.",
            sheet.location(header.rows[1])))
        return None
    _warn_missing_questions(ctx, questionnaire,
                            {c.question for c in report.columns if c.role == "question"})
    _warn_merged_answers(ctx)
    coded = code_wide(ctx, report.columns, years, questionnaire)
    return coded if isinstance(coded, People) else People.of(coded)  # (a test's row coder)


def _skip_hidden_rows(ctx: SheetContext) -> Body:
    """Rows hidden or filtered away in Excel are not read, and the user is told which."""
    sheet, body, report, problems = ctx.sheet, ctx.body, ctx.report, ctx.problems
    if not sheet.hidden_rows:
        return body
    hidden = [row for row in body.numbers if row in sheet.hidden_rows]
    if not hidden:
        return body
    report.rows_hidden = len(hidden)
    shown = ", ".join(map(str, hidden[:10])) + (" m.fl." if len(hidden) > 10 else "")
    problems.append(Problem(
        "hidden-rows", (f"1 rad är dold eller bortfiltrerad i Excel (rad {shown}) och lästes inte."
                        if len(hidden) == 1 else f"{len(hidden)} rader är dolda eller "
                        f"bortfiltrerade i Excel (rad {shown}) och lästes inte.")
        + " Visa dem och läs filen igen om de ska räknas.", sheet.location(),
        severity="warning"))
    return Body(body.grid, [i for i in body.indices if i + 1 not in sheet.hidden_rows])


def _formulas_without_values(ctx: SheetContext) -> bool:
    """Formula cells the file holds no computed value for (saved by a script or a tool that
    does not calculate) would read as empty: each is an error, and the sheet is not read."""
    sheet, header, problems = ctx.sheet, ctx.header, ctx.problems
    cells = sorted(sheet.formulas)
    for row, col in cells[:20]:
        name = header.display[col] if col < len(header.display) else None
        problems.append(Problem(
            "formula-without-value", "Cellen har en formel men inget beräknat värde, så svaret "
            "kan inte läsas. Öppna filen i Excel och spara den igen (då beräknas formlerna), "
            "eller ersätt formlerna med värden.", sheet.location(row + 1, col, name)))
    if len(cells) > 20:
        problems.append(Problem(
            "formula-without-value", f"… och {len(cells) - 20} celler till med formler utan "
            "värde.", sheet.location()))
    return bool(cells)


def _roles(header: Header, known: set[str]) -> dict[int, str]:
    """Background, id, status and metadata columns; a column naming a question is none of them."""
    roles = {}
    for i, cands in enumerate(header.candidates):
        if any(fold(split_number(text)[1]) in known for text in cands):
            continue
        for text in cands:
            role = role_of(text)
            if role:
                roles[i] = role
                break
    return roles


def _long_columns(header: Header) -> tuple[int, int] | None:
    """(question column, value column) of a long export: a row per answer."""
    names = [fold(d) for d in header.display]
    q = next((i for i, n in enumerate(names) if n in LONG_QUESTION_NAMES), None)
    v = next((i for i, n in enumerate(names) if n in LONG_VALUE_NAMES), None)
    return (q, v) if q is not None and v is not None else None


def _body(sheet: Sheet, header: Header) -> Body:
    """Data rows after the header up to the last filled row, with their Excel numbers."""
    end = len(sheet.rows)
    while end > header.last + 1 and not any(v is not None for v in sheet.rows[end - 1]):
        end -= 1
    return Body(sheet.rows, range(header.last + 1, end))


def _decide_survey(ctx: SheetContext) -> tuple[str | None, str]:
    """Enkät column, else --survey, else the sheet or file name, else the question headers."""
    sheet, header, roles, body = ctx.sheet, ctx.header, ctx.roles, ctx.body
    long_cols, catalog, options, problems = ctx.long_cols, ctx.catalog, ctx.options, ctx.problems
    survey_col = next((i for i, r in roles.items() if r == "survey"), None)
    if survey_col is not None:
        values: dict[str, int] = {}
        for row_number, value in zip(body.numbers, body.column(survey_col), strict=True):
            if value is not None:
                values.setdefault(header_text(value), row_number)
        found = {v: catalog.find(v) for v in values}
        for v, sid in found.items():
            if sid is None:
                problems.append(Problem(
                    "unknown-survey", "Enkätnamnet känns inte igen.",
                    sheet.location(values[v], survey_col, header.display[survey_col]), value=v,
                    expected=", ".join(catalog.ids)))
        ids = {sid for sid in found.values() if sid}
        if len(ids) > 1:
            problems.append(Problem(
                "several-surveys", f"{sheet.noun()} blandar svar från flera enkäter "
                f"({', '.join(sorted(ids))}); lägg varje enkät på ett eget blad.",
                sheet.location(None, survey_col, header.display[survey_col])))
            return None, "error"
        if None in found.values():
            return None, "error"
        if ids:
            return ids.pop(), "kolumnen Enkät"
    if options.survey is not None:
        return options.survey, "--survey"
    for name, source in ((sheet.sheet, "bladnamnet"), (sheet.file.stem, "filnamnet")):
        if name is not None and (sid := catalog.find(name)):
            return sid, source
    texts = [t for cands in header.candidates for t in cands]
    if long_cols is not None:
        texts = sorted(set(map(header_text, body.column(long_cols[0]))))
    scores = {}
    for sid in catalog.ids:
        known = {fold(q.text) for v in catalog.versions(sid) for q in v.questions}
        scores[sid] = len({fold(split_number(t)[1]) for t in texts} & known)
    best = max(scores.values(), default=0)
    leaders = [sid for sid, s in scores.items() if s == best]
    if best > 0 and len(leaders) == 1:
        return leaders[0], "frågetexterna"
    has_numbers = any(split_number(t)[0] is not None for t in texts) or bool(
        battery_codes(texts))
    if best == 0 and not has_numbers and long_cols is None:
        return None, "no-questions"
    why = (f"rubrikerna passar lika bra på {', '.join(leaders)}" if best > 0
           else "rubrikerna anger bara frågenummer")
    problems.append(Problem(
        "unknown-survey",
        f"Kan inte avgöra vilken enkät bladet hör till ({why}). Lägg till en kolumn Enkät, "
        "döp bladet eller filen efter enkäten, eller ange --survey "
        f"({', '.join(catalog.ids)}).", sheet.location()))
    return None, "error"


def _sheet_years(ctx: SheetContext) -> RowYears | None:
    """The year of each data row: the År column; else the year in the sheet's or file's
    name, else the one year all its answer dates fall in, else --year. None if it cannot
    be known. Where the year came from is kept in the report."""
    sheet, header, roles, body = ctx.sheet, ctx.header, ctx.roles, ctx.body
    options, problems, report = ctx.options, ctx.problems, ctx.report
    year_col = next((i for i, r in roles.items() if r == "year"), None)
    if year_col is None:
        found = _year_without_column(ctx)
        if found is None:
            return None
        year, source = found
        report.year_source = source
        return RowYears(body.numbers, [year] * len(body))
    report.year_source = "kolumnen År" + (" (tomma celler: --year)" if options.year else "")
    values = body.column(year_col)
    column = Judged(values)  # a year column holds few values: each is read once
    dated = {year_of_date(value) for value in column.distinct} - {None}
    if dated:
        where = sheet.location(None, year_col, header.display[year_col])
        if len(dated) > 1:
            problems.append(Problem(
                "year-from-date", "År-kolumnen innehåller datum från olika år "
                f"({', '.join(map(str, sorted(dated)))}); skriv enkätens år i stället för datum.",
                where))
            return None
        problems.append(Problem(
            "year-from-date", f"År-kolumnen innehåller datum; året {dated.pop()} används.",
            where, severity="warning"))
    read = [options.year if value is None else parse_year(value) for value in column.distinct]
    rows = body.numbers
    years = RowYears(rows, np.array(read, dtype=object)[column.index].tolist())
    if any(year is None and value is not None
           for value, year in zip(column.distinct, read, strict=True)):
        for row, value, year in zip(rows, values, years.in_order(), strict=True):
            if value is None or year is not None:
                continue
            text = header_text(value)
            outside = is_ascii_number(text) and len(text) == 4  # a year, but not a survey's
            problems.append(Problem(
                "invalid-year", ("Året ligger utanför de år som enkäterna kan gälla "
                                 "(1990–2100); är det ett skrivfel?") if outside
                else "Året kan inte tolkas.",
                sheet.location(row, year_col, header.display[year_col]), value=str(value),
                expected="ett årtal som 2024"))
    return years


def _year_without_column(ctx: SheetContext) -> tuple[int, str] | None:
    """A sheet with no År column (Forms and Google exports have none): the year from the
    sheet's or the file's name, or from the dates the answers were given; --year only
    where none of them says, and never against them."""
    sheet, header, body = ctx.sheet, ctx.header, ctx.body
    options, problems = ctx.options, ctx.problems
    named = None
    for name, what in ((sheet.sheet, "bladnamnet"), (sheet.file.stem, "filnamnet")):
        years = years_in_name(name or "")
        if len(years) > 1:
            problems.append(Problem(
                "year-from-name", f"{what.capitalize()} nämner flera år "
                f"({', '.join(map(str, years))}), så året tas inte därifrån.",
                sheet.location(), severity="warning"))
        elif years and named is None:
            named = (years[0], what)
    dated = _answer_dates(sheet, header, body)
    if named is not None:
        year, what = named
        if options.year is not None and options.year != year:
            problems.append(Problem(
                "year-conflict", f"--year {options.year} stämmer inte med året {year} i "
                f"{what}. Ta bort --year, eller byt namn på filen om året i namnet är fel.",
                sheet.location()))
            return None
        if dated is not None and dated[0] != {year}:
            problems.append(Problem(
                "year-from-name", f"Året {year} tas från {what}, men svaren är daterade "
                f"{_years_text(dated[0])} (kolumnen {dated[1]!r}). Kontrollera att filen hör "
                "till rätt år.", sheet.location(), severity="warning"))
        return year, what
    if dated is not None and len(dated[0]) == 1:
        year = next(iter(dated[0]))
        if options.year is not None and options.year != year:
            problems.append(Problem(
                "year-conflict", f"--year {options.year} stämmer inte med svarens datum "
                f"(alla från {year}, kolumnen {dated[1]!r}). Ta bort --year; hör svaren till "
                "ett annat år än de gavs, skriv det året i filnamnet (t.ex. "
                f"\"{sheet.file.stem} {options.year}{sheet.file.suffix}\") eller i en kolumn "
                "År.", sheet.location()))
            return None
        return year, f"datumen i kolumnen {dated[1]!r}"
    if options.year is not None:
        return options.year, "--year"
    why = (f"svaren är daterade {_years_text(dated[0])}" if dated is not None
           else "varken blad- eller filnamnet eller svarens datum anger ett år")
    problems.append(Problem(
        "missing-year", f"{sheet.noun()} har ingen kolumn År, och {why}. Lägg till en kolumn År, "
        "skriv året i filnamnet (t.ex. Styrelse 2025.xlsx) eller ange det med --year.",
        sheet.location()))
    return None


def _years_text(years: set[int]) -> str:
    ordered = sorted(years)
    return str(ordered[0]) if len(ordered) == 1 else (
        ", ".join(map(str, ordered[:-1])) + f" och {ordered[-1]}")


_NAME_YEAR = re.compile(r"(?<![0-9])(20[0-9]{2})(?:(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01]))?"
                        r"(?![0-9])")


def years_in_name(name: str) -> list[int]:
    """The years 2000–2099 a sheet or file name mentions: 'Styrelseenkät 2024',
    'personal_2025-03-01', 'export20250301'; not a longer number like 120245."""
    return sorted({int(m[1]) for m in _NAME_YEAR.finditer(name)})


def _answer_dates(sheet, header, body) -> tuple[set[int], str] | None:
    """The years in a start/end-time column (Forms' Start time, Google's Tidstämpel,
    LimeSurvey's submitdate) when every filled cell of it is a date; else None."""
    for i, cands in enumerate(header.candidates):
        if not any(fold(text) in DATE_NAMES or fold(text).startswith(("starttid", "sluttid"))
                   for text in cands):
            continue
        years = set()
        for value in body.column(i):
            if value is None:
                continue
            year = year_of_timestamp(value)
            if year is None:
                years = set()
                break
            years.add(year)
        if years:
            return years, header.display[i]
    return None


def _match_columns(ctx: SheetContext, questionnaire: Questionnaire) -> list[Column]:
    sheet, header, roles, problems = ctx.sheet, ctx.header, ctx.roles, ctx.problems
    header_row = header.rows[1]
    codes = battery_codes(c for cands in header.candidates for c in cands)
    columns: list[Column] = []
    for i, cands in enumerate(header.candidates):
        display = header.display[i]
        if i in roles:
            columns.append(Column(i, display, roles[i]))
            continue
        if not cands:
            filled = sum(v is not None for v in column_of(sheet.rows, i, header.last + 1))
            if filled:
                columns.append(Column(i, f"(utan rubrik, kolumn {column_letter(i)})", "ignored"))
                problems.append(Problem(
                    "column-without-header",
                    f"Kolumnen saknar rubrik men har {filled} ifyllda celler; den lästes inte.",
                    sheet.location(header_row, i), severity="warning"))
            continue
        question, how, issue = match_question(cands, questionnaire, codes)
        location = sheet.location(header_row, i, display)
        if issue is not None:
            problems.append(Problem(*issue, location))
            continue
        if question is None:
            columns.append(Column(i, display, "ignored"))
            continue
        if how == "fuzzy":
            problems.append(Problem(
                "header-fuzzy", f"Rubriken tolkades som fråga {question.number} "
                f"(«{question.text}»).", location, severity="warning"))
        columns.append(Column(i, display, "question", question.number, how))
    taken: dict[int, list[Column]] = {}
    for c in columns:
        if c.role == "question":
            taken.setdefault(c.question, []).append(c)
    for number, cols in taken.items():
        if len(cols) > 1:
            problems.append(Problem(
                "header-duplicate-question",
                f"Fråga {number} finns i flera kolumner: "
                + ", ".join(f'"{c.header}" ({c.letter})' for c in cols) + ".",
                sheet.location(header_row)))
    return columns


def _absorb_header_rows(sheet: Sheet, header: Header, report: SheetReport, body: Body,
                        catalog: Catalog, problems: list[Problem]) -> Body:
    """Rows right under the header that hold only text no scale knows are header rows too
    (Qualtrics' ImportId row, a row of descriptions); each one is reported."""
    known = {fold(x) for x in catalog.no_answer}
    scales = list(catalog.all_scales().values())
    for scale in scales:
        known |= set(scale.lookup)
    width = sum(1 for cands in header.candidates if cands)
    absorbed = 0
    while body and absorbed < 2:
        row_number, cells = body[0]
        filled = [v for v in cells if v is not None]
        if len(filled) < 2 or len(filled) * 2 < width:
            break
        if any(not isinstance(v, str) or is_ascii_number(v.strip().lstrip("-")) or fold(v) in known
               or parse_year(v) is not None
               or any(code_and_label(v, scale) for scale in scales) for v in filled):
            break
        problems.append(Problem(
            "extra-header-row", "Raden har bara text och inga svar; den räknas som en rubrikrad "
            "till.", sheet.location(row_number), severity="warning"))
        body = body[1:]
        absorbed += 1
        report.header_rows = (header.rows[0], row_number)
    return body


def _warn_missing_questions(ctx: SheetContext, questionnaire: Questionnaire,
                            present: set[int]) -> None:
    """present: the questions the sheet has a column for (wide) or an answer to (long)."""
    sheet, header, problems = ctx.sheet, ctx.header, ctx.problems
    missing = sorted(set(questionnaire.numbers) - present)
    if missing:
        problems.append(Problem(
            "missing-question-columns",
            f"Svar saknas helt för fråga {', '.join(map(str, missing))} i {questionnaire.name}; "
            "de redovisas med n = 0.", sheet.location(header.rows[1]), severity="warning"))


def _warn_merged_answers(ctx: SheetContext) -> None:
    sheet, header, report, problems = ctx.sheet, ctx.header, ctx.report, ctx.problems
    question_cols = {c.index: c for c in report.columns if c.role == "question"}
    for r0, c0, r1, c1 in sheet.merged:
        if r1 > header.last and any(c in question_cols for c in range(c0, c1 + 1)):
            column = question_cols[next(c for c in range(c0, c1 + 1) if c in question_cols)]
            problems.append(Problem(
                "merged-answer-cells",
                f"Svarsceller är sammanslagna ({sheet.location(r0 + 1, c0).letter}{r0 + 1}:"
                f"{sheet.location(r1 + 1, c1).letter}{r1 + 1}); värdet finns bara i den första "
                "cellen och räknas bara där. Kontrollera att det stämmer.",
                sheet.location(r0 + 1, column.index, column.header), severity="warning"))
