"""Where a problem is, what it is, and the one exception type that stops a run.

Problems are collected and reported together (as frictionless does); only what
makes further work pointless raises. Messages are Swedish: users read them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

# Exit codes of the command-line program.
EXIT_DATA = 1  # the files were read, but their content has problems
EXIT_INPUT = 2  # a file could not be read at all, or the command was misused
# what a stopped pack adds to its reason; validate, which writes nothing, leaves it out
NOT_WRITTEN = "; inget paket skrevs."


@dataclass(frozen=True)
class Location:
    """A place in an input file, as the user sees it: Excel row numbers, header = row 1.

    column: the column's header text; letter: the column as Excel names it (C, AB).
    Either may be missing (a CSV column without a header has only its letter).
    """

    file: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    letter: str | None = None

    def __str__(self) -> str:
        parts = [self.file]
        if self.sheet is not None:
            parts.append(f'blad "{self.sheet}"')
        if self.row is not None:
            parts.append(f"rad {self.row}")
        header = (self.column if self.column is None or len(self.column) <= 80
                  else self.column[:77] + "…")
        if self.letter is not None and header:
            parts.append(f'kolumn {self.letter} ("{header}")')
        elif self.letter is not None:
            parts.append(f"kolumn {self.letter}")
        elif header is not None:
            parts.append(f'kolumn "{header}"')
        return ", ".join(parts)

    def as_dict(self) -> dict:
        return {"file": self.file, "sheet": self.sheet, "row": self.row,
                "column": self.letter, "header": self.column}

    def published(self) -> str:
        """The position as a pack may publish it: file, sheet, row and the column's letter.
        A header is text from the file (a column nobody asked for may be any text), so it
        is left to `indikator validate`, as is every cell's content."""
        parts = [self.file]
        if self.sheet is not None:
            parts.append(f'blad "{self.sheet}"')
        if self.row is not None:
            parts.append(f"rad {self.row}")
        if self.letter is not None:
            parts.append(f"kolumn {self.letter}")
        return ", ".join(parts)


# Every problem's code and what it is, in a word or two: `validate --json` gives
# the code to other tools, and a test checks that every code used is listed here.
CATALOGUE: dict[str, str] = {
    "unreadable-file": "Filen kan inte läsas",
    "mixed-encoding": "Filen har två teckenkodningar",
    "double-encoded-text": "Felkodade å, ä och ö lästes rätt",
    "excel-lock-file": "Excels låsfil hoppades över",
    "no-data": "Inga enkätsvar i filerna",
    "empty-sheet": "Tomt blad",
    "duplicate-column": "Flera kolumner med samma roll",
    "sheet-without-questions": "Blad utan frågekolumner",
    "unknown-survey": "Okänd enkät",
    "several-surveys": "Flera enkäter på ett blad",
    "missing-year": "År saknas",
    "invalid-year": "Ogiltigt år",
    "year-from-date": "Året lästes ur ett datum",
    "year-from-name": "Året i blad- eller filnamnet och svarens datum",
    "year-conflict": "--year stämmer inte med filens år",
    "mixed-versions": "Olika enkätversioner på ett blad",
    "no-question-columns": "Inga frågekolumner",
    "header-number-mismatch": "Rubrikens nummer och text är olika frågor",
    "header-unknown-question": "Rubriken är ingen fråga i enkäten",
    "header-fuzzy": "Rubriken tolkades som en närliggande frågetext",
    "header-duplicate-question": "Samma fråga i flera kolumner",
    "column-without-header": "Kolumn utan rubrik",
    "extra-header-row": "Extra rubrikrad",
    "missing-question-columns": "Frågor saknas i filen",
    "merged-answer-cells": "Sammanslagna svarsceller",
    "long-without-id": "Svars-id saknas i en fil med en rad per svar",
    "missing-id": "Svars-id saknas på raden",
    "conflicting-background": "Olika bakgrundsvärden för samma svars-id",
    "unknown-question": "Okänd fråga",
    "duplicate-answer": "Två svar på samma fråga",
    "ambiguous-yes-no": "Ja/nej-kodningen går inte att avgöra",
    "yes-no-coding": "Ja/nej-kodningen upptäcktes",
    "unknown-status": "Okänt statusvärde",
    "incomplete-rows": "Ofullständiga svar",
    "invalid-value": "Värdet finns inte på frågans skala",
    "invalid-background": "Ogiltigt värde i en bakgrundskolumn",
    "answer-outside-condition": "Svar på en fråga som inte skulle ställas",
    "duplicate-respondent": "Samma svars-id två gånger med samma svar",
    "conflicting-respondent": "Samma svars-id två gånger med olika svar",
    "group-spelling": "Insatsen stavas på flera sätt",
    "forbund-spelling": "Förbundet stavas på flera sätt",
    "not-read": "Filen lästes inte",
    "same-file-two-forbund": "Samma fil hos två förbund",
    "side-file-forbund": "Mål eller svarsfrekvens utan förbund",
    "side-file-other-forbund": "Mål eller svarsfrekvens för andra förbund",
    "compare-missing-forbund": "Förbundet saknas i det tidigare paketet",
    "group-named-all": "En insats heter som summan (Alla)",
    "hidden-sheet": "Dolt blad hoppades över",
    "same-rows": "Samma svarsrader i två blad eller filer",
    "duplicate-export": "Samma export två gånger",
    "hidden-rows": "Dolda rader hoppades över",
    "formula-without-value": "Formel utan beräknat värde",
    "bad-questionnaire": "Fel i en enkätfil",
    "bad-previous-value": "Fel i ett tidigare pakets distributions.csv",
    "bad-response-rates": "Fel i svarsfrekvensen",
    "bad-goal": "Fel i målfilen",
    "side-file": "En fil bredvid svaren kan inte användas",
    "goal-syntax": "Målfilen är inte giltig TOML",
    "goals-found": "Målfil hittad",
    "response-rates-found": "Svarsfrekvens hittad",
    "response-rate-mismatch": "Svarsfrekvensen går inte ihop med svaren",
    "response-rate-impossible": "Fler svar än tillfrågade",
    "response-rate-duplicate": "Samma svarsfrekvens två gånger",
    "response-rate-hidden": "Svarsfrekvensen för en dold grupp visas inte",
}


# The problems whose message a pack may publish (sammanfattning.txt, the workbook): it is
# made only of positions, counts of rows, the questionnaire's own texts, the yes/no codes
# found and names of insatser (which the pack publishes anyway). Every other problem is
# published as its position and title only: its message or value may quote a cell (free
# text with a name or a personnummer, a svars-id). `validate` shows them all.
PUBLIC_MESSAGES = frozenset({
    "excel-lock-file", "hidden-sheet", "hidden-rows", "sheet-without-questions",
    "extra-header-row", "column-without-header", "header-fuzzy", "missing-question-columns",
    "merged-answer-cells", "yes-no-coding", "incomplete-rows", "answer-outside-condition",
    "same-rows", "duplicate-export", "group-spelling", "group-named-all", "goals-found",
    "response-rates-found",
    "year-from-name",  # years, and the name of a known date column (DATE_NAMES)
    "forbund-spelling", "not-read", "side-file-other-forbund", "compare-missing-forbund",
    "same-file-two-forbund",
})


@dataclass(frozen=True)
class Problem:
    """One problem found in the input, with a stable kebab-case code from CATALOGUE."""

    code: str
    message: str
    location: Location
    value: str | None = None
    expected: str | None = None
    severity: str = "error"  # "error" stops a run; "warning" and "info" are reported only

    def __post_init__(self) -> None:
        if self.code not in CATALOGUE:
            raise ValueError(f"problem code {self.code!r} is not in errors.CATALOGUE")

    @property
    def title(self) -> str:
        return CATALOGUE[self.code]

    def as_dict(self) -> dict:
        """For `validate --json`: code, title, severity, position, message, value, expected."""
        return {"code": self.code, "title": self.title, "severity": self.severity,
                **self.location.as_dict(), "message": self.message, "value": self.value,
                "expected": self.expected}

    @property
    def public_message(self) -> str:
        """What a published file says the problem is: the message where it quotes no cell
        (PUBLIC_MESSAGES), else the title. Never the value."""
        return self.message if self.code in PUBLIC_MESSAGES else f"{self.title}."

    def published(self) -> str:
        """The problem as a published file (anything in the pack folder) tells it: where
        (Location.published) and what (public_message); `validate` has the rest."""
        return f"{self.location.published()}: {self.public_message}"

    def __str__(self) -> str:
        where = str(self.location)
        text = f"{where}: {self.message}" if where else self.message
        if self.value is not None:
            text += f" Värde: {self.value!r}."
        if self.expected is not None:
            text += f" Förväntat: {self.expected}."
        return text


@dataclass
class IndikatorError(Exception):
    """A run cannot go on; `problems` lists every reason found, not just the first."""

    message: str
    problems: list[Problem] = field(default_factory=list)
    exit_code: int = EXIT_DATA
    where: str = ""  # the file it is about, when the message is shown in a list

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


def errors(problems: Iterable[Problem]) -> list[Problem]:
    """The problems that stop a run."""
    return [p for p in problems if p.severity == "error"]
