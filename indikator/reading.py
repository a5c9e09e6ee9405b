"""Any export file -> raw grids of cells with the row numbers the user sees.

Nothing here knows about questionnaires: a grid is a list of rows, row 1 first,
exactly as Excel (or a text editor, for CSV) numbers them.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from .errors import EXIT_INPUT, IndikatorError, Location, Problem

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
TEXT_SUFFIXES = {".csv", ".txt", ".tsv"}
SUFFIXES = EXCEL_SUFFIXES | TEXT_SUFFIXES

Cell = str | float | int | bool | None


@dataclass(frozen=True)
class Sheet:
    """One table of an export: a worksheet, or a whole CSV file (sheet is None)."""

    file: Path
    sheet: str | None
    rows: list[list[Cell]]  # rows[0] is row 1

    @property
    def name(self) -> str:
        """The name that may tell the survey: the sheet name, else the file name."""
        return self.sheet if self.sheet is not None else self.file.stem

    def location(self, row: int | None = None, column: str | None = None) -> Location:
        return Location(self.file.name, self.sheet, row, column)


def _unreadable(path: Path, why: str) -> IndikatorError:
    problem = Problem("unreadable-file", why, Location(str(path)))
    return IndikatorError(f"Kan inte läsa {path}: {why}", [problem], exit_code=EXIT_INPUT)


def read_file(path: Path) -> list[Sheet]:
    """Read every sheet of an export; an unreadable file raises with the reason."""
    path = Path(path)
    if not path.exists():
        raise _unreadable(path, "filen finns inte.")
    if path.is_dir():
        raise _unreadable(path, "det är en mapp, inte en fil.")
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise _unreadable(
            path,
            f"okänd filtyp '{path.suffix}'. Läser {', '.join(sorted(SUFFIXES))}.",
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _unreadable(path, f"{exc.strerror or exc}.") from exc
    if not data.strip():
        raise _unreadable(path, "filen är tom.")
    if suffix in EXCEL_SUFFIXES:
        return _read_workbook(path, data)
    return [Sheet(path, None, _read_csv(path, data))]


def _read_workbook(path: Path, data: bytes) -> list[Sheet]:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = []
        for name in book.sheet_names:
            grid = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            sheets.append(Sheet(path, name, [[_cell(v) for v in row] for row in grid]))
    except Exception as exc:  # calamine raises several types for broken files
        kind = "kalkylbladsfil" if path.suffix.lower() != ".ods" else "OpenDocument-fil"
        raise _unreadable(
            path, f"filen är skadad eller inte en giltig {kind} ({type(exc).__name__})."
        ) from exc
    return sheets


def _cell(value: object) -> Cell:
    if value is None or value == "":
        return None
    if isinstance(value, str | int | float | bool):
        return value
    return str(value)  # dates, times: kept as text; they are never answers


def _decode(path: Path, data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise _unreadable(path, "filen är inte en textfil (CSV); är det ett kalkylblad?")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _unreadable(path, "okänd teckenkodning (varken UTF-8 eller Windows-1252).")


def _read_csv(path: Path, data: bytes) -> list[list[Cell]]:
    text = _decode(path, data)
    first_line, _, rest = text.partition("\n")
    delimiter = None
    if first_line.strip().lower().startswith("sep=") and len(first_line.strip()) == 5:
        delimiter = first_line.strip()[4]
        text = rest  # Excel hides the sep= line; the header is row 1
        first_line = rest.partition("\n")[0]
    if delimiter is None:
        counts = {d: first_line.count(d) for d in (";", "\t", ",")}
        delimiter = max(counts, key=lambda d: counts[d])
        if counts[delimiter] == 0:
            delimiter = ";"
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise _unreadable(path, f"CSV-filen kan inte tolkas ({exc}).") from exc
    return [[(v if v.strip() != "" else None) for v in row] for row in rows]
