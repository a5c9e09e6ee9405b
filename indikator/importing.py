"""Raw grids + questionnaires -> a tidy table of answers, with every row accounted for.

Header matching, value coding and row accounting live here. Nothing is dropped
without a trace: each sheet gets a `SheetReport`, and each cell that cannot be
read becomes a `Problem` with its Excel position.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .errors import IndikatorError, Location, Problem
from .questionnaires import Catalog, Question, Questionnaire, Scale
from .reading import Cell, Sheet, read_file
from .text import fold, split_number

BACKGROUND = {
    "ar": "year", "year": "year", "artal": "year", "undersokningsar": "year",
    "insats": "group", "verksamhet": "group",
    "kon": "gender",
    "enkat": "survey", "enkattyp": "survey",
}
FUZZY_CUTOFF = 0.9

ANSWER_COLUMNS = ["survey", "version", "year", "respondent", "group", "gender", "question", "code"]
RESPONDENT_COLUMNS = ["survey", "version", "year", "respondent", "group", "gender", "file",
                      "sheet", "row"]


@dataclass(frozen=True)
class Column:
    """What one column of a sheet was taken to be."""

    index: int
    header: str
    role: str  # question | year | group | gender | survey | ignored
    question: int | None = None
    how: str = ""  # for questions: text, number or fuzzy

    @property
    def letter(self) -> str:
        return column_letter(self.index)


@dataclass
class SheetReport:
    """What was found in one sheet, for the summary and `indikator validate`."""

    file: str
    sheet: str | None
    survey: str | None = None
    survey_source: str = ""
    version: str | None = None
    years: list[int] = field(default_factory=list)
    header_row: int | None = None
    columns: list[Column] = field(default_factory=list)
    rows_read: int = 0
    respondents: int = 0
    rows_empty: int = 0
    answers: int = 0
    blanks: int = 0
    invalid: int = 0
    note: str = ""

    @property
    def ignored(self) -> list[Column]:
        return [c for c in self.columns if c.role == "ignored"]

    @property
    def label(self) -> str:
        return self.file if self.sheet is None else f'{self.file}, blad "{self.sheet}"'


@dataclass
class ImportResult:
    """Tidy answers and respondents, plus what was found and what went wrong.

    answers: one row per answered question: survey, version, year, respondent,
        group (Insats, or None), gender (Kön code, or None), question, code.
    respondents: one row per respondent used: the same background plus file,
        sheet and Excel row.
    """

    answers: pd.DataFrame
    respondents: pd.DataFrame
    reports: list[SheetReport]
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def skipped_invalid(self) -> list[Problem]:
        return [p for p in self.problems if p.code == "invalid-value" and p.severity != "error"]


def column_letter(index: int) -> str:
    """0 -> 'A', 27 -> 'AB': the column name Excel shows."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def import_files(
    paths: Sequence[Path],
    catalog: Catalog,
    *,
    survey: str | None = None,
    year: int | None = None,
    skip_invalid: bool = False,
) -> ImportResult:
    """Read and code every sheet of every file.

    Unreadable files raise at once (IndikatorError, exit code 2); problems in the
    content are collected in `problems` for the caller to report together.
    """
    if survey is not None and survey not in catalog.ids:
        raise IndikatorError(
            f"Okänd enkät '{survey}' (--survey). Kända: {', '.join(catalog.ids)}.", exit_code=2
        )
    seen: dict[Path, Path] = {}
    for path in paths:
        key = Path(path).resolve()
        if key in seen:
            raise IndikatorError(
                f"Filen {path} anges två gånger; svaren skulle räknas dubbelt.", exit_code=2)
        seen[key] = Path(path)
    sheets = [sheet for path in paths for sheet in read_file(Path(path))]
    answers: list[tuple] = []
    respondents: list[tuple] = []
    reports: list[SheetReport] = []
    problems: list[Problem] = []
    for sheet in sheets:
        report = _import_sheet(sheet, catalog, survey, year, skip_invalid, answers, respondents,
                               problems)
        reports.append(report)
    used = [r for r in reports if r.survey is not None]
    if sheets and not used and not any(p.severity == "error" for p in problems):
        problems.append(Problem("no-data", "Inga enkätsvar hittades i filerna.",
                                Location(", ".join(str(p) for p in paths))))
    answers_df = pd.DataFrame(answers, columns=ANSWER_COLUMNS)
    respondents_df = pd.DataFrame(respondents, columns=RESPONDENT_COLUMNS)
    for df in (answers_df, respondents_df):
        df["gender"] = df["gender"].astype("Int64")
        df["year"] = df["year"].astype("int64")
    respondents_df, answers_df = _unify_group_spelling(respondents_df, answers_df, problems)
    return ImportResult(answers_df, respondents_df, reports, problems)


def _header_text(value: Cell) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else " ".join(str(value).split())


def _find_header_row(rows: list[list[Cell]]) -> int | None:
    for i, row in enumerate(rows):
        if any(v is not None for v in row):
            return i
    return None


def _import_sheet(sheet: Sheet, catalog: Catalog, survey_opt: str | None, year_opt: int | None,
                  skip_invalid: bool, answers: list[tuple], respondents: list[tuple],
                  problems: list[Problem]) -> SheetReport:
    report = SheetReport(sheet.file.name, sheet.sheet)
    header_index = _find_header_row(sheet.rows)
    if header_index is None:
        report.note = "tomt blad"
        return report
    report.header_row = header_index + 1
    headers = [_header_text(v) for v in sheet.rows[header_index]]
    width = max(len(r) for r in sheet.rows)
    headers += [""] * (width - len(headers))
    roles = {i: BACKGROUND.get(fold(h)) for i, h in enumerate(headers) if fold(h) in BACKGROUND}
    for role in set(roles.values()):
        cols = [i for i, r in roles.items() if r == role]
        if len(cols) > 1:
            problems.append(Problem(
                "duplicate-column", "Flera kolumner har samma roll; behåll en av dem.",
                sheet.location(report.header_row, ", ".join(headers[i] for i in cols))))
            return report
    body_end = len(sheet.rows)
    while body_end > header_index + 1 and not any(v is not None for v in sheet.rows[body_end - 1]):
        body_end -= 1
    body = [(i + 1, sheet.rows[i]) for i in range(header_index + 1, body_end)]

    survey, source = _decide_survey(sheet, headers, roles, body, catalog, survey_opt, problems)
    if survey is None:
        if source == "no-questions":
            report.note = "inga frågekolumner; bladet lästes inte"
            if any(h for h in headers):
                problems.append(Problem(
                    "sheet-without-questions",
                    "Bladet har inga kolumner som känns igen som frågor och lästes inte.",
                    sheet.location(), severity="warning"))
        return report
    report.survey, report.survey_source = survey, source

    year_col = next((i for i, r in roles.items() if r == "year"), None)
    row_years = _row_years(sheet, body, year_col, headers, year_opt, problems)
    if row_years is None:
        return report
    years = sorted({y for y in row_years.values() if y is not None})
    versions = {catalog.get(survey, y).version for y in years} or {catalog.get(survey).version}
    if len(versions) > 1:
        problems.append(Problem(
            "mixed-versions",
            f"Bladet innehåller år ({', '.join(map(str, years))}) som hör till olika versioner "
            "av enkäten; dela upp svaren per version.", sheet.location()))
        return report
    questionnaire = catalog.get(survey, years[-1] if years else None)
    report.version, report.years = questionnaire.version, years

    before = len(problems)
    columns = _match_columns(sheet, headers, roles, questionnaire, report.header_row, problems)
    report.columns = columns
    header_errors = any(p.severity == "error" for p in problems[before:])
    question_cols = [c for c in columns if c.role == "question"]
    if header_errors:
        return report
    if not question_cols:
        problems.append(Problem(
            "no-question-columns",
            f"Inga kolumner känns igen som frågor i enkäten {questionnaire.name}.",
            sheet.location(report.header_row)))
        return report
    missing = sorted(set(questionnaire.numbers) - {c.question for c in question_cols})
    if missing:
        problems.append(Problem(
            "missing-question-columns",
            f"Kolumner saknas för fråga {', '.join(map(str, missing))} i {questionnaire.name}; "
            "de redovisas med n = 0.", sheet.location(report.header_row), severity="warning"))

    group_col = next((i for i, r in roles.items() if r == "group"), None)
    gender_col = next((i for i, r in roles.items() if r == "gender"), None)
    severity = "warning" if skip_invalid else "error"
    for row_number, cells in body:
        report.rows_read += 1
        coded: dict[int, int] = {}
        blanks = 0
        for col in question_cols:
            value = cells[col.index] if col.index < len(cells) else None
            if value is None:
                blanks += 1
                continue
            question = questionnaire.question(col.question)
            code = code_value(value, question.scale)
            if code is None:
                report.invalid += 1
                problems.append(_invalid(sheet, row_number, col.header, value, question.scale,
                                         severity))
            else:
                coded[col.question] = code
        gender = None
        if gender_col is not None and gender_col < len(cells) and cells[gender_col] is not None:
            gender = code_value(cells[gender_col], catalog.gender) if catalog.gender else None
            if gender is None and catalog.gender is not None:
                report.invalid += 1
                problems.append(_invalid(sheet, row_number, headers[gender_col],
                                         cells[gender_col], catalog.gender, severity))
        if not coded:
            report.rows_empty += 1
            continue
        row_year = row_years.get(row_number)
        if row_year is None:
            continue  # a problem has been recorded for the missing year
        group = None
        if group_col is not None and group_col < len(cells) and cells[group_col] is not None:
            group = _header_text(cells[group_col]) or None
        respondent = f"{sheet.file.name}|{sheet.sheet or ''}|{row_number}"
        _check_conditions(questionnaire, coded, sheet, row_number, headers, question_cols,
                          problems)
        report.respondents += 1
        report.answers += len(coded)
        report.blanks += blanks
        respondents.append((survey, questionnaire.version, row_year, respondent, group, gender,
                            sheet.file.name, sheet.sheet, row_number))
        answers.extend((survey, questionnaire.version, row_year, respondent, group, gender, q, c)
                       for q, c in coded.items())
    return report


def code_value(value: Cell, scale: Scale) -> int | None:
    """The code of an answer given as code or label text, or None if it is not on the scale."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        if not value.is_integer():
            return None
        value = int(value)
    key = str(value) if isinstance(value, int) else fold(value)
    return scale.lookup.get(key)


def _invalid(sheet: Sheet, row: int, header: str, value: Cell, scale: Scale,
             severity: str) -> Problem:
    shown = int(value) if isinstance(value, float) and value.is_integer() else value
    return Problem(
        "invalid-value", "Värdet finns inte på frågans skala.",
        sheet.location(row, header), value=str(shown), expected=scale.describe(),
        severity=severity,
    )


def _decide_survey(sheet: Sheet, headers: list[str], roles: dict[int, str],
                   body: list[tuple[int, list[Cell]]], catalog: Catalog,
                   survey_opt: str | None, problems: list[Problem]) -> tuple[str | None, str]:
    """Enkät column, else --survey, else the sheet or file name, else the question headers."""
    survey_col = next((i for i, r in roles.items() if r == "survey"), None)
    if survey_col is not None:
        values = {}
        for row_number, cells in body:
            if survey_col < len(cells) and cells[survey_col] is not None:
                values.setdefault(_header_text(cells[survey_col]), row_number)
        found = {v: catalog.find(v) for v in values}
        unknown = [v for v, sid in found.items() if sid is None]
        for v in unknown:
            problems.append(Problem(
                "unknown-survey", "Enkätnamnet känns inte igen.",
                sheet.location(values[v], headers[survey_col]), value=v,
                expected=", ".join(catalog.ids)))
        ids = {sid for sid in found.values() if sid}
        if len(ids) > 1:
            problems.append(Problem(
                "several-surveys", "Bladet blandar svar från flera enkäter "
                f"({', '.join(sorted(ids))}); lägg varje enkät på ett eget blad.",
                sheet.location(column=headers[survey_col])))
            return None, "error"
        if unknown:
            return None, "error"
        if ids:
            return ids.pop(), "kolumnen Enkät"
    if survey_opt is not None:
        return survey_opt, "--survey"
    for name, source in ((sheet.sheet, "bladnamnet"), (sheet.file.stem, "filnamnet")):
        if name is not None and (sid := catalog.find(name)):
            return sid, source
    scores: dict[str, int] = {}
    for sid in catalog.ids:
        texts = {fold(q.text) for v in catalog.versions(sid) for q in v.questions}
        scores[sid] = sum(1 for h in headers if fold(split_number(h)[1]) in texts)
    best = max(scores.values(), default=0)
    leaders = [sid for sid, s in scores.items() if s == best]
    if best > 0 and len(leaders) == 1:
        return leaders[0], "frågetexterna"
    has_number_headers = any(split_number(h)[0] is not None for h in headers)
    if best == 0 and not has_number_headers:
        return None, "no-questions"
    why = (f"rubrikerna passar lika bra på {', '.join(leaders)}" if best > 0
           else "rubrikerna anger bara frågenummer")
    problems.append(Problem(
        "unknown-survey",
        f"Kan inte avgöra vilken enkät bladet hör till ({why}). Lägg till en kolumn Enkät, "
        "döp bladet eller filen efter enkäten, eller ange --survey "
        f"({', '.join(catalog.ids)}).", sheet.location()))
    return None, "error"


def _row_years(sheet: Sheet, body: list[tuple[int, list[Cell]]], year_col: int | None,
               headers: list[str], year_opt: int | None,
               problems: list[Problem]) -> dict[int, int | None] | None:
    """The year of each data row: the År column, else --year."""
    if year_col is None:
        if year_opt is None:
            problems.append(Problem(
                "missing-year", "Bladet har ingen kolumn År; ange året med --year.",
                sheet.location()))
            return None
        return {row: year_opt for row, _ in body}
    years: dict[int, int | None] = {}
    for row, cells in body:
        value = cells[year_col] if year_col < len(cells) else None
        if value is None:
            years[row] = year_opt
            if year_opt is None and any(v is not None for i, v in enumerate(cells)
                                        if i != year_col):
                problems.append(Problem(
                    "missing-year", "Året saknas på raden; fyll i År eller ange --year.",
                    sheet.location(row, headers[year_col])))
            continue
        years[row] = parse_year(value)
        if years[row] is None:
            problems.append(Problem(
                "invalid-year", "Året kan inte tolkas.", sheet.location(row, headers[year_col]),
                value=str(value), expected="ett årtal som 2024"))
    return years


def parse_year(value: Cell) -> int | None:
    try:
        number = float(str(value).strip().replace(",", "."))
    except ValueError:
        return None
    if not number.is_integer() or not 1990 <= number <= 2100:
        return None
    return int(number)


def _match_columns(sheet: Sheet, headers: list[str], roles: dict[int, str],
                   questionnaire: Questionnaire, header_row: int,
                   problems: list[Problem]) -> list[Column]:
    by_text = {fold(q.text): q for q in questionnaire.questions}
    columns: list[Column] = []
    for i, header in enumerate(headers):
        if i in roles:
            columns.append(Column(i, header, roles[i]))
            continue
        if not header:
            filled = sum(1 for r in sheet.rows[header_row:] if i < len(r) and r[i] is not None)
            if filled:
                columns.append(Column(i, f"(utan rubrik, kolumn {column_letter(i)})", "ignored"))
                problems.append(Problem(
                    "column-without-header",
                    f"Kolumnen saknar rubrik men har {filled} ifyllda celler; den lästes inte.",
                    sheet.location(header_row, column_letter(i)), severity="warning"))
            continue
        number, rest = split_number(header)
        location = sheet.location(header_row, header)
        question, how = _match_question(rest, by_text)
        if question is None and rest and number is not None:
            problems.append(Problem(
                "header-unknown-question",
                f"Rubriken ser ut som en fråga men texten finns inte i {questionnaire.name} "
                f"version {questionnaire.version}.", location))
            continue
        if question is not None and number is not None and number != question.number:
            problems.append(Problem(
                "header-number-mismatch",
                f"Rubriken anger fråga {number} men texten är fråga {question.number}.",
                location))
            continue
        if question is None and number is not None:
            if number not in questionnaire.numbers:
                problems.append(Problem(
                    "header-unknown-question",
                    f"Fråga {number} finns inte i {questionnaire.name} (frågor "
                    f"{', '.join(map(str, questionnaire.numbers))}).", location))
                continue
            question, how = questionnaire.question(number), "number"
        if question is None:
            columns.append(Column(i, header, "ignored"))
            continue
        if how == "fuzzy":
            problems.append(Problem(
                "header-fuzzy", f"Rubriken tolkades som fråga {question.number} "
                f"(«{question.text}»).", location, severity="warning"))
        columns.append(Column(i, header, "question", question.number, how))
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


def _match_question(text: str, by_text: dict[str, Question]) -> tuple[Question | None, str]:
    key = fold(text)
    if not key:
        return None, ""
    if key in by_text:
        return by_text[key], "text"
    if len(key) < 15:
        return None, ""
    ratios = sorted(
        ((difflib.SequenceMatcher(None, key, k).ratio(), k) for k in by_text), reverse=True
    )
    best_ratio, best_key = ratios[0]
    runner_up = ratios[1][0] if len(ratios) > 1 else 0.0
    if best_ratio >= FUZZY_CUTOFF and best_ratio - runner_up >= 0.1:
        return by_text[best_key], "fuzzy"
    return None, ""


def _check_conditions(questionnaire: Questionnaire, coded: dict[int, int], sheet: Sheet,
                      row: int, headers: list[str], question_cols: list[Column],
                      problems: list[Problem]) -> None:
    for number in coded:
        condition = questionnaire.question(number).asked_if
        if condition is None or condition.question not in coded:
            continue
        if coded[condition.question] not in condition.codes:
            header = next(c.header for c in question_cols if c.question == number)
            problems.append(Problem(
                "answer-outside-condition",
                f"Fråga {number} har svar fast fråga {condition.question} inte besvarades med "
                "det som leder dit; svaret räknas ändå.", sheet.location(row, header),
                severity="warning"))


def _unify_group_spelling(respondents: pd.DataFrame, answers: pd.DataFrame,
                          problems: list[Problem]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Treat 'Coachingteam' and 'coachingteam ' as one group, under the commonest spelling."""
    if respondents.empty or respondents["group"].isna().all():
        return respondents, answers
    spellings = respondents.dropna(subset=["group"]).groupby(
        [respondents["survey"], respondents["group"].map(fold, na_action="ignore")]
    )["group"].agg(lambda s: s.value_counts().index.tolist())
    mapping: dict[tuple[str, str], str] = {}
    for (survey, _), names in spellings.items():
        for name in names:
            mapping[(survey, name)] = names[0]
        if len(names) > 1:
            problems.append(Problem(
                "group-spelling",
                f"Insatsen skrivs på flera sätt ({', '.join(names)}); alla räknas som "
                f"{names[0]}.", Location(survey), severity="warning"))

    def unify(df: pd.DataFrame) -> pd.DataFrame:
        df = df.copy()
        df["group"] = [mapping.get((s, g), g) if g is not None and g == g else None
                       for s, g in zip(df["survey"], df["group"], strict=True)]
        return df

    return unify(respondents), unify(answers)
