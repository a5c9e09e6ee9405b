"""What a reader returns: a sheet as a grid of cells, with the row numbers the user sees."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from indikator.errors import EXIT_INPUT, IndikatorError, Location, Problem

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
ZIP_SUFFIXES = {".xlsx", ".xlsm", ".ods"}
TEXT_SUFFIXES = {".csv", ".txt", ".tsv"}
SUFFIXES = EXCEL_SUFFIXES | TEXT_SUFFIXES

# Bounds that keep a hostile or broken file from using unbounded time or memory.
# A förbund's real exports are a few hundred rows; these are far above that.
MAX_FILE_BYTES = 100 * 1024**2
MAX_UNPACKED_BYTES = 256 * 1024**2  # what the parts of an .xlsx/.ods say they unpack to
MAX_CELLS = 5_000_000  # per sheet, counted from A1 to the last used cell
MAX_FIELD_LINES = 20  # a quoted CSV field spanning more lines has lost its closing quote

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and encrypted .xlsx

Cell = str | float | int | bool | None


@dataclass(frozen=True)
class Sheet:
    """One table of an export: a worksheet, or a whole CSV file (sheet is None).

    hidden: the worksheet is hidden in the workbook; hidden_rows: Excel rows hidden
    (or filtered away); formulas: (row, column) 0-based of formula cells the file
    holds no computed value for. The importer decides what to do with them.
    """

    file: Path
    sheet: str | None
    rows: list[list[Cell]]  # rows[0] is row 1
    merged: tuple[tuple[int, int, int, int], ...] = ()  # (row0, col0, row1, col1), 0-based
    hidden: bool = False
    hidden_rows: frozenset[int] = frozenset()  # Excel row numbers
    formulas: tuple[tuple[int, int], ...] = ()
    notes: tuple[Problem, ...] = ()  # what reading changed (repaired å/ä/ö), as warnings
    shown_as: str | None = None  # how messages name the file ('Norra/styrelse.xlsx')

    @property
    def label(self) -> str:
        """The file as messages and the pack name it: its name, or its place under the
        folder given (a folder per förbund holds files of the same name)."""
        return self.shown_as or self.file.name

    @property
    def name(self) -> str:
        """The name that may tell the survey: the sheet name, else the file name."""
        return self.sheet if self.sheet is not None else self.file.stem

    def noun(self) -> str:
        """What messages call it: 'Bladet' (a worksheet) or 'Filen' (a CSV file)."""
        return "Filen" if self.sheet is None else "Bladet"

    def location(self, row: int | None = None, index: int | None = None,
                 header: str | None = None) -> Location:
        """Where in this sheet: Excel row, and column by index (0 = A) with its header."""
        letter = column_letter(index) if index is not None else None
        return Location(self.label, self.sheet, row, header or None, letter)


def column_letter(index: int) -> str:
    """0 -> 'A', 27 -> 'AB': the column name Excel shows."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def unreadable(path: Path, why: str) -> IndikatorError:
    problem = Problem("unreadable-file", why, Location(str(path)))
    return IndikatorError(f"Kan inte läsa {path}: {why}", [problem], exit_code=EXIT_INPUT)
