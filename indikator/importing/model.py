"""The importer's data: options, what each column was taken to be, per-sheet reports, results."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from indikator.errors import Problem
from indikator.importing.body import Body
from indikator.reading.model import column_letter as column_letter

if TYPE_CHECKING:
    from indikator.importing.headers import Header
    from indikator.questionnaires import Catalog
    from indikator.reading import Sheet

ANSWER_COLUMNS = ["survey", "version", "year", "respondent", "group", "gender", "question", "code"]
RESPONDENT_COLUMNS = ["survey", "version", "year", "respondent", "group", "gender", "forbund",
                      "file", "sheet", "row"]
NO_ANSWER_COLUMNS = ["survey", "version", "year", "respondent", "group", "gender", "question",
                     "label"]
# the texts the import keeps as pandas categories in its tables of answers (ImportResult)
TEXT_COLUMNS = ("survey", "version", "respondent", "group")

INCLUDE, EXCLUDE = "include", "exclude"
YES_NO_AUTO, YES_NO_12, YES_NO_10 = "auto", "1/2", "1/0"
INCOMPLETE_CHOICES = (INCLUDE, EXCLUDE)
YES_NO_CHOICES = (YES_NO_AUTO, YES_NO_12, YES_NO_10)


@dataclass(frozen=True)
class ImportOptions:
    """What the user told the importer; everything else it works out and reports."""

    survey: str | None = None
    year: int | None = None
    skip_invalid: bool = False
    incomplete: str | None = None  # None: stop if the tool marked rows incomplete
    yes_no: str = YES_NO_AUTO  # how Nej is coded in ja/nej columns: auto, 1/2 or 1/0


@dataclass(frozen=True)
class Column:
    """What one column of a sheet was taken to be."""

    index: int
    header: str
    role: str  # question | year | group | gender | survey | id | status | metadata | ignored
    question: int | None = None
    how: str = ""  # for questions: text, number, code, fuzzy
    coding: str = ""  # for ja/nej questions: the detected coding, e.g. "1/0"

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
    year_source: str = ""  # where the year came from: the År column, a name, dates, --year
    layout: str = "wide"  # wide: a row per respondent; long: a row per answer
    header_rows: tuple[int, int] | None = None  # first and last Excel row of the header
    columns: list[Column] = field(default_factory=list)
    rows_read: int = 0
    rows_used: int = 0  # rows that carry a respondent's answers
    rows_empty: int = 0
    rows_incomplete: int = 0  # excluded with --incomplete exclude
    rows_duplicate: int = 0  # counted once: an export given twice (importing.duplicates),
    # or a svars-id listed twice in the sheet with the same answers
    rows_error: int = 0  # rows an error stopped (no year, no id): listed as errors
    rows_unread: int = 0  # rows of a sheet that was not read (a sheet-level problem says why)
    rows_hidden: int = 0  # rows hidden or filtered away in Excel: skipped, with a warning
    respondents: int = 0
    answers: int = 0
    blanks: int = 0
    no_answer: int = 0  # "vet ej" and the like
    invalid: int = 0
    note: str = ""

    @property
    def header_row(self) -> int | None:
        return None if self.header_rows is None else self.header_rows[1]

    @property
    def ignored(self) -> list[Column]:
        return [c for c in self.columns if c.role in ("ignored", "metadata")]

    @property
    def label(self) -> str:
        return self.file if self.sheet is None else f'{self.file}, blad "{self.sheet}"'

    @property
    def accounted(self) -> bool:
        return self.rows_read == (self.rows_used + self.rows_empty + self.rows_incomplete
                                  + self.rows_duplicate + self.rows_error + self.rows_unread
                                  + self.rows_hidden)


@dataclass
class SheetContext:
    """What the import of one sheet knows so far, handed to each step instead of a long
    list of parameters; the steps fill in header, roles, body and long_cols in turn."""

    sheet: Sheet
    catalog: Catalog
    options: ImportOptions
    problems: list[Problem]
    report: SheetReport
    header: Header | None = None
    roles: dict[int, str] = field(default_factory=dict)
    body: Body = field(default_factory=lambda: Body([], range(0)))  # (Excel row, cells)
    long_cols: tuple[int, int] | None = None  # (question, value) columns of a long export
    # the caller has no more use for the sheet's grid: it is emptied once the cells are
    # coded, before the respondents are made (import_files; a grid and its respondents
    # side by side were most of an import's memory)
    release: bool = False


@dataclass
class ImportResult:
    """Tidy answers and respondents, plus what was found and what went wrong.

    answers: ANSWER_COLUMNS, one row per answered question (group = Insats or
        None; gender = Kön code or None); year, question and code as int16, a quarter
        of int64 in the largest table (int64 where a number does not fit).
    respondents: RESPONDENT_COLUMNS, one row per respondent used, with the file,
        sheet and (first) Excel row it came from.
    no_answers: NO_ANSWER_COLUMNS, one row per "vet ej"-type answer, kept out of
        the distributions but counted.
    In answers and no_answers the texts (TEXT_COLUMNS) are pandas categories and
    gender is Int8: a code per answer instead of an object pointer, half of the
    import's memory. `documented` gives them as the API documents them (texts, int64,
    Int64), as respondents already is.
    """

    answers: pd.DataFrame
    respondents: pd.DataFrame
    no_answers: pd.DataFrame
    reports: list[SheetReport]
    problems: list[Problem]
    side_sheets: list = field(default_factory=list)  # Svarsfrekvens sheets, read elsewhere

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def skipped_invalid(self) -> list[Problem]:
        return [p for p in self.problems if p.code == "invalid-value" and p.severity != "error"]



def documented(table: pd.DataFrame) -> pd.DataFrame:
    """The table with the column types the API documents: texts as text (a missing one
    None, as the columns were built from lists), whole numbers as int64 and Int64. The
    import keeps texts as categories and numbers narrow; a notebook's `year * 100` on
    int16 would wrap around without a word."""
    out = table.copy(deep=False)
    for name in table.columns:
        column = table[name]
        if isinstance(column.dtype, pd.CategoricalDtype):
            names = np.array([*column.cat.categories.tolist(), None], dtype=object)
            out[name] = names[column.cat.codes.to_numpy()]  # code -1 (missing): None
        elif isinstance(column.dtype, pd.api.extensions.ExtensionDtype):
            if column.dtype.kind == "i" and column.dtype != "Int64":
                out[name] = column.astype("Int64")
        elif column.dtype.kind == "i" and column.dtype.itemsize < 8:
            out[name] = column.astype(np.int64)
    return out


def own_categories(rows: pd.DataFrame) -> pd.DataFrame:
    """Some rows of a table of answers, numbered from 0, each categorical column with only
    the categories these rows use: a förbund's part of a county's import would otherwise
    carry every respondent's uid of the county, copied to each worker that packs it."""
    out = rows.reset_index(drop=True)
    for name in rows.columns:
        if isinstance(rows[name].dtype, pd.CategoricalDtype):
            out[name] = out[name].cat.remove_unused_categories()
    return out


def joined(tables: list[pd.DataFrame]) -> pd.DataFrame:
    """Tables of answers one after another, numbered from 0; a categorical column stays
    categorical over the union of the parts' categories (sorted). pd.concat would make
    it text, and pandas 2.3 warns when a part is empty (a förbund without "vet ej")."""
    from pandas.api.types import union_categoricals

    if not tables:
        return pd.DataFrame()
    first = tables[0]
    texts = [c for c in first.columns if all(
        isinstance(t[c].dtype, pd.CategoricalDtype) for t in tables)]
    out = pd.concat([t.drop(columns=texts) for t in tables], ignore_index=True)
    for name in texts:
        out[name] = union_categoricals([t[name] for t in tables], sort_categories=True,
                                       ignore_order=True)
    return out[list(first.columns)]
