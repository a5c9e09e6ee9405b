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


@dataclass(frozen=True)
class Location:
    """A place in an input file, as the user sees it: Excel row numbers, header = row 1."""

    file: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        parts = [self.file]
        if self.sheet is not None:
            parts.append(f'blad "{self.sheet}"')
        if self.row is not None:
            parts.append(f"rad {self.row}")
        if self.column is not None:
            parts.append(f'kolumn "{self.column}"')
        return ", ".join(parts)


@dataclass(frozen=True)
class Problem:
    """One problem found in the input, with a stable kebab-case code."""

    code: str
    message: str
    location: Location
    value: str | None = None
    expected: str | None = None
    severity: str = "error"  # "error" stops a run; "warning" is reported only

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}"
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

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


def errors(problems: Iterable[Problem]) -> list[Problem]:
    """The problems that stop a run."""
    return [p for p in problems if p.severity == "error"]
