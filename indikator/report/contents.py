"""What a pack contains, in one place: every table and every document, in report order.

The pack writes what is listed here; the summary, docs/tabeller.md's list of files (a
test checks it) and each renderer (CSV, workbook, PDF, Word, HTML) read the same
list. A table is a name, what it holds, its columns and the function that takes
it from a built pack (None when this pack has no such table).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from indikator.analysis.compare import CHANGE_COLUMNS
from indikator.analysis.forbund import REFERENCE_COLUMNS, SIDE_COLUMNS
from indikator.analysis.goals import GOAL_COLUMNS
from indikator.analysis.trends import TREND_COLUMNS
from indikator.columns import DISTRIBUTION_COLUMNS, GENDER_COLUMNS, GROUP_COLUMNS
from indikator.columns import NO_ANSWER_COUNT_COLUMNS as NO_ANSWER_COLUMNS
from indikator.input.response_rates import RATE_COLUMNS
from indikator.options import (
    DEPTH_DOCX_FILE,
    DEPTH_PDF_FILE,
    DOCX_FILE,
    HTML_FILE,
    PDF_FILE,
    PPTX_FILE,
    XLSX_FILE,
)

# What a column's numbers are. The CSV keeps them unrounded; tabeller.xlsx takes each
# column's number format (and whether a percent is divided by 100) from its unit.
UNITS = {
    "text": "text: names, labels, verdicts",
    "id": "a year, question number or code, shown as it is",
    "count": "a number of people or answers",
    "percent": "a share in percent, 0–100 (62.5 is 62.5 %)",
    "level": "a confidence level in percent, 0–100, shown with a decimal (99.3 %)",
    "points": "a difference in percentage points",
    "p": "a p-value, 0–1",
    "mean": "a mean of the answer codes (1–6)",
    "effect": "an effect size, 0–1",
    "measure": "a goal's value: percent for shares, mean for a mean (the row's measure)",
}

# the unit of each column name, where it means the same in every table
COLUMN_UNITS = {
    **dict.fromkeys(("survey", "group", "question_text", "scale", "label", "verdict", "reason",
                     "shown", "forbund", "reference", "compared_with", "distribution_test",
                     "name", "measure", "target", "questions", "file", "sheet", "column",
                     "expected"), "text"),
    **dict.fromkeys(("year", "previous_year", "question", "code", "gender", "row"), "id"),
    **dict.fromkeys(("count", "n", "previous_n", "respondents", "answers", "asked",
                     "declined", "family_size", "reference_n", "other_n"), "count"),
    **dict.fromkeys(("percent", "share_positive", "previous_share_positive", "response_rate",
                     "reference_share_positive", "other_share_positive", "ci_low",
                     "ci_high"), "percent"),
    "ci_level": "level",
    **dict.fromkeys(("change_pp", "ci_low_pp", "ci_high_pp", "difference_pp",
                     "detectable_change_pp"), "points"),
    **dict.fromkeys(("p_value", "p_adjusted", "distribution_p", "distribution_p_holm"), "p"),
    **dict.fromkeys(("mean", "previous_mean"), "mean"),
    "distribution_effect": "effect",
}


@dataclass(frozen=True)
class Table:
    file: str  # the machine contract: UTF-8 CSV, comma, unrounded
    sheet: str  # the sheet of tabeller.xlsx that shows it
    what: str  # one line in Swedish: what a row is
    columns: tuple[str, ...]  # the CSV's columns, in order
    take: Callable[[object], pd.DataFrame | None]  # from a Pack
    units: Mapping[str, str] = field(default_factory=dict)  # where COLUMN_UNITS differ

    def unit(self, column: str) -> str:
        """What the column's numbers are (a key of UNITS)."""
        return self.units.get(column) or COLUMN_UNITS[column]


def _invalid(pack) -> pd.DataFrame | None:
    """Where --skip-invalid counted a cell as no answer: its place, never its text."""
    skipped = pack.imported.skipped_invalid
    if not skipped:
        return None
    table = pd.DataFrame(
        [(p.location.file, p.location.sheet or "", p.location.row, p.location.column,
          p.expected) for p in skipped], columns=list(INVALID_COLUMNS))
    table["row"] = table["row"].astype("Int64")
    return table


def _gender(pack) -> pd.DataFrame | None:
    gender = pack.distributions.gender
    return None if gender.empty else gender


INVALID_COLUMNS = ("file", "sheet", "row", "column", "expected")

TABLES: tuple[Table, ...] = (
    Table("distributions.csv", "Fördelning",
          "antal och andel per svarsalternativ för varje enkät, år, grupp och fråga",
          tuple(DISTRIBUTION_COLUMNS), lambda p: p.distributions.table),
    Table("grupper.csv", "Datakvalitet",
          "svarande per enkät, år och grupp, och vilka som inte visas",
          GROUP_COLUMNS, lambda p: p.distributions.groups),
    Table("changes.csv", "Förändring",
          "förändringen i andel positiva från föregående år, med intervall och bedömning",
          tuple(CHANGE_COLUMNS), lambda p: p.changes),
    Table("svarsfrekvens.csv", "Svarsfrekvens", "svar, tillfrågade och tackat nej per grupp",
          RATE_COLUMNS, lambda p: p.rates),
    Table("mal.csv", "Mål", "styrelsens mål: värde, intervall och bedömning", GOAL_COLUMNS,
          lambda p: p.goals, dict.fromkeys(("value", "ci_low", "ci_high", "previous_value"),
                                           "measure")),
    Table("kon.csv", "Kön", "svarande per kön för varje enkät och år", GENDER_COLUMNS, _gender),
    Table("trender.csv", "Trender", "andel positiva per år, med intervall, för tre år eller fler",
          TREND_COLUMNS, lambda p: p.trends),
    Table("referens.csv", "Referens",
          "förbundet jämfört med referensen (riket, länet eller alla förbund i körningen): "
          "skillnad i andel positiva, intervall och bedömning", tuple(REFERENCE_COLUMNS),
          lambda p: p.reference),
    Table("forbund.csv", "Förbund",
          "andel positiva per förbund och fråga, med intervall (paketet för alla förbund)",
          tuple(SIDE_COLUMNS), lambda p: p.side),
    Table("vet_ej.csv", "Datakvalitet", "antal ”vet ej” o.d. per visad grupp och fråga",
          NO_ANSWER_COLUMNS, lambda p: p.distributions.no_answer),
    Table("ogiltiga_varden.csv", "Datakvalitet",
          "var varje cell som --skip-invalid räknade som ej besvarad finns", INVALID_COLUMNS,
          _invalid),
)

TEXT_FILE = "sammanfattning.md"
SUMMARY_FILE = "sammanfattning.txt"
CHART_FOLDER = "diagram"





def present_tables(pack) -> list[tuple[Table, pd.DataFrame]]:
    """The tables this pack has, in the order above, each with its frame: the declared
    columns only, in their order (a table may carry more for the texts' own use)."""
    found = []
    for table in TABLES:
        df = table.take(pack)
        if df is not None:
            found.append((table, df[list(table.columns)]))
    return found


def table_named(file: str) -> Table:
    return next(t for t in TABLES if t.file == file)


DOCUMENTS = (
    (PDF_FILE, "bilagan på A4, kort som de bilagor förbunden bifogar (13 sidor för "
               "exemplet): titelsida med innehåll, om indikatorerna, svarande och "
               "svarsfrekvens per insats, kön, per enkät en text, frågorna, årets diagram "
               "för alla svarande, en tabell mot i fjol och målen; Så läses siffrorna"),
    (DOCX_FILE, "samma bilaga i Word, med riktiga rubriker, diagrammen i textbredd och "
                "tabellerna som Word-tabeller"),
    (DEPTH_PDF_FILE, "fördjupningen: det bilagan inte tar med (--bilaga), dvs. varje "
                     "insats diagram, jämförelsediagram, trender och alla tabeller"),
    (DEPTH_DOCX_FILE, "samma fördjupning i Word"),
    (XLSX_FILE, "tabellerna för svenska Excel: ett blad per tabell, svenska rubriker, "
                "procent som tal, och bladet Datakvalitet"),
    (HTML_FILE, "en fristående sida att bläddra i med allt, alla år (bilder och stil i "
                "filen, inget nät)"),
    (PPTX_FILE, "bilder för styrelsemötet (16:9): titel, vilka som svarade, årets diagram för "
                "alla svarande med frågorna i anteckningarna, målen och de säkra förändringarna"),
    (TEXT_FILE, "ett stycke per enkät att klistra in i årsredovisningen"),
    (SUMMARY_FILE, "det som skrevs ut när paketet byggdes"),
)


def vocabulary_table() -> str:
    """docs/statistik.md's list of the verdicts and what each means (words.VOCABULARY)."""
    from indikator.words import VOCABULARY

    lines = ["| Ord | Betyder |", "|---|---|"]
    lines += [f"| {word} | {meaning} |" for word, meaning in VOCABULARY.items()]
    return "\n".join(lines)


def readme_table() -> str:
    """docs/tabeller.md's list of the pack's files, made from the lists above (a test checks it)."""
    lines = ["| Fil | Innehåll | Kolumner |", "|---|---|---|"]
    lines += [f"| `{name}` | {what} | |" for name, what in DOCUMENTS]
    lines += [f"| `{t.file}` | {t.what} (i {XLSX_FILE}: bladet {t.sheet}) | "
              f"`{', '.join(t.columns)}` |" for t in TABLES]
    return "\n".join(lines)
