"""Any export file -> raw grids of cells with the row numbers the user sees.

Nothing here knows about questionnaires: a grid is a list of rows, row 1 first,
exactly as Excel (or a text editor, for CSV) numbers them.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .errors import EXIT_INPUT, IndikatorError, Location, Problem

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
ZIP_SUFFIXES = {".xlsx", ".xlsm", ".ods"}
TEXT_SUFFIXES = {".csv", ".txt", ".tsv"}
SUFFIXES = EXCEL_SUFFIXES | TEXT_SUFFIXES

# Bounds that keep a hostile or broken file from using unbounded time or memory.
# A förbund's real exports are a few hundred rows; these are far above that.
MAX_FILE_BYTES = 100 * 1024**2
MAX_UNPACKED_BYTES = 256 * 1024**2  # what the parts of an .xlsx/.ods say they unpack to
MAX_CELLS = 5_000_000  # per sheet, counted from A1 to the last used cell

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and encrypted .xlsx

Cell = str | float | int | bool | None


@dataclass(frozen=True)
class Sheet:
    """One table of an export: a worksheet, or a whole CSV file (sheet is None)."""

    file: Path
    sheet: str | None
    rows: list[list[Cell]]  # rows[0] is row 1
    merged: tuple[tuple[int, int, int, int], ...] = ()  # (row0, col0, row1, col1), 0-based

    @property
    def name(self) -> str:
        """The name that may tell the survey: the sheet name, else the file name."""
        return self.sheet if self.sheet is not None else self.file.stem

    def location(self, row: int | None = None, index: int | None = None,
                 header: str | None = None) -> Location:
        """Where in this sheet: Excel row, and column by index (0 = A) with its header."""
        from .importing.model import column_letter

        letter = column_letter(index) if index is not None else None
        return Location(self.file.name, self.sheet, row, header or None, letter)


def expand_paths(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """The export files to read: folders give their spreadsheet and CSV files (sorted).

    Returns (files, skipped); skipped are Excel's lock files (~$name.xlsx), which
    exist while a workbook is open and are not exports.
    """
    files: list[Path] = []
    skipped: list[Path] = []
    for path in map(Path, paths):
        found = (sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES)
                 if path.is_dir() else [path])
        for f in found:
            (skipped if f.name.startswith("~$") else files).append(f)
    return files, skipped


def _nearest_file(path: Path) -> str:
    """' Menade du svar_2025.xlsx?' for a misspelt name beside existing files, else ''."""
    import difflib

    folder = path.parent if str(path.parent) else Path(".")
    try:
        names = [p.name for p in folder.iterdir() if p.is_file()] if folder.is_dir() else []
    except OSError:
        return ""
    close = difflib.get_close_matches(path.name, names, n=1, cutoff=0.6)
    return f" Menade du {folder / close[0] if str(path.parent) != '.' else close[0]}?" \
        if close else ""


def _unreadable(path: Path, why: str) -> IndikatorError:
    problem = Problem("unreadable-file", why, Location(str(path)))
    return IndikatorError(f"Kan inte läsa {path}: {why}", [problem], exit_code=EXIT_INPUT)


def read_file(path: Path) -> list[Sheet]:
    """Read every sheet of an export; an unreadable file raises with the reason."""
    path = Path(path)
    if not path.exists():
        raise _unreadable(path, "filen finns inte." + _nearest_file(path))
    if path.is_dir():
        raise _unreadable(path, "det är en mapp, inte en fil.")
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise _unreadable(
            path,
            f"okänd filtyp '{path.suffix}'. Läser {', '.join(sorted(SUFFIXES))}.",
        )
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _unreadable(path, f"filen är för stor ({size / 1024**2:.0f} MB; gränsen är "
                                    f"{MAX_FILE_BYTES // 1024**2} MB). Är det rätt fil?")
        data = path.read_bytes()
    except OSError as exc:
        raise _unreadable(path, f"{exc.strerror or exc}.") from exc
    if not data.strip():
        raise _unreadable(path, "filen är tom.")
    if suffix in EXCEL_SUFFIXES:
        _check_container(path, data)
        return _read_workbook(path, data)
    return [Sheet(path, None, _read_csv(path, data))]


def _check_container(path: Path, data: bytes) -> None:
    """Tell the common wrong files apart before the parser sees them."""
    suffix = path.suffix.lower()
    if suffix in ZIP_SUFFIXES and data.startswith(OLE_MAGIC):
        raise _unreadable(path, "filen är lösenordsskyddad (krypterad), eller en gammal .xls med "
                                "fel filändelse. Spara den utan lösenord som .xlsx.")
    if suffix in ZIP_SUFFIXES and not data.startswith(ZIP_MAGIC):
        if _looks_like_text(data):
            raise _unreadable(path, f"filen heter {suffix} men är en textfil (troligen CSV). "
                                    "Byt filändelsen till .csv.")
        raise _unreadable(path, f"filen är skadad eller inte en giltig {suffix}-fil.")
    if suffix == ".xls" and not data.startswith(OLE_MAGIC):
        if data.startswith(ZIP_MAGIC):
            return  # an .xlsx saved as .xls: calamine reads it by content
        if _looks_like_text(data):
            raise _unreadable(path, "filen heter .xls men är en text- eller HTML-fil. Öppna den "
                                    "i Excel och spara som .xlsx, eller som .csv.")
        raise _unreadable(path, "filen är skadad eller inte en giltig .xls-fil.")
    if data.startswith(ZIP_MAGIC):
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise _unreadable(path, "filen är skadad (trasigt zip-arkiv).") from exc
        with archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            if unpacked > MAX_UNPACKED_BYTES:
                raise _unreadable(path, f"filen packas upp till {unpacked / 1024**2:.0f} MB, "
                                        "långt mer än en enkätexport; den läses inte.")
            if suffix in {".xlsx", ".xlsm"}:
                _check_sheet_extent(path, archive)
            elif suffix == ".ods":
                _check_ods_extent(path, archive)


_CELL_REF = re.compile(rb'<c\b[^>]*?\sr="([A-Z]{1,3})([0-9]{1,7})"')
_CELL_TAG = re.compile(rb"<c[\s/>]")


def _check_sheet_extent(path: Path, archive: zipfile.ZipFile) -> None:
    """Refuse a worksheet whose cells reach far out before the reader builds a grid for it.

    The reader holds a sheet as a grid from A1 to its last cell, so one stray cell
    at XFD1048576 would ask for billions of cells. The worksheet XML is scanned in
    pieces for its largest cell reference and its number of cells.
    """
    for info in archive.infolist():
        if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
            continue
        max_row = max_col = tags = 0
        tail = b""
        with archive.open(info) as member:
            while chunk := member.read(1 << 20):
                text = tail + chunk
                for col, row in _CELL_REF.findall(text):
                    max_row = max(max_row, int(row))
                    max_col = max(max_col, _column_number(col))
                tags += len(_CELL_TAG.findall(chunk))
                tail = text[-200:]
        if max_row * max_col > MAX_CELLS or tags > MAX_CELLS:
            cells = f"{max_row * max_col:,}".replace(",", "\u00a0")
            raise _unreadable(
                path, f"ett blad sträcker sig till rad {max_row}, kolumn {max_col} "
                      f"({cells} celler), långt mer än en enkätexport. Ta bort celler långt "
                      "ut i bladet.")


_ODS_TAG = re.compile(rb"<(/?)table:(table|table-row|table-cell|covered-table-cell)(?=[\s/>])"
                      rb"([^>]*)>")
_ROWS_REPEATED = re.compile(rb'table:number-rows-repeated="([0-9]+)"')
_COLS_REPEATED = re.compile(rb'table:number-columns-repeated="([0-9]+)"')


def _check_ods_extent(path: Path, archive: zipfile.ZipFile) -> None:
    """The .ods twin of _check_sheet_extent: repeated rows and cells count as what they repeat.

    Only cells with a value count, as the reader builds its grid up to the last
    value; the empty rows and columns LibreOffice writes at the end are harmless.
    """
    if "content.xml" not in archive.namelist():
        return
    with archive.open("content.xml") as member:
        row = 0  # rows before the current one, repeats counted
        col = 0  # columns before the current cell in this row
        row_repeat = 1
        row_last_value = 0
        last_row = last_col = 0
        tail = b""
        while chunk := member.read(1 << 20):
            text = tail + chunk
            end = 0
            for match in _ODS_TAG.finditer(text):
                end = match.end()
                closing, name, attrs = match.group(1), match.group(2), match.group(3)
                if name == b"table" and not closing:
                    row = col = 0
                elif name == b"table-row" and not closing:
                    found = _ROWS_REPEATED.search(attrs)
                    row_repeat = int(found.group(1)) if found else 1
                    col = row_last_value = 0
                    if attrs.endswith(b"/"):  # an empty row written as one tag
                        row += row_repeat
                elif name == b"table-row":
                    if row_last_value:
                        last_row = max(last_row, row + row_repeat)
                        last_col = max(last_col, row_last_value)
                    row += row_repeat
                elif not closing:
                    found = _COLS_REPEATED.search(attrs)
                    repeat = int(found.group(1)) if found else 1
                    col += repeat
                    if b"office:value-type" in attrs:
                        row_last_value = col
                if last_row * last_col > MAX_CELLS:
                    cells = f"{last_row * last_col:,}".replace(",", "\u00a0")
                    raise _unreadable(
                        path, f"ett blad har värden ut till rad {last_row}, kolumn "
                              f"{last_col} ({cells} celler), långt mer än en enkätexport.")
            tail = text[end:][-4096:]


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ch - 64
    return number


def _looks_like_text(data: bytes) -> bool:
    head = data[:4096]
    return b"\x00" not in head and all(b >= 9 for b in head if b < 32)


def _read_workbook(path: Path, data: bytes) -> list[Sheet]:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = []
        for name in book.sheet_names:
            sheet = book.get_sheet_by_name(name)
            if sheet.end is not None:
                cells = (sheet.end[0] + 1) * (sheet.end[1] + 1)
                if cells > MAX_CELLS:
                    shown = f"{cells:,}".replace(",", "\u00a0")
                    raise _unreadable(
                        path, f'bladet "{name}" sträcker sig till rad {sheet.end[0] + 1}, kolumn '
                              f"{sheet.end[1] + 1} ({shown} celler), långt mer än en "
                              "enkätexport. Ta bort celler långt ut i bladet.")
            grid = [[_cell(v) for v in row] for row in sheet.to_python(skip_empty_area=False)]
            merged = tuple((r0, c0, r1, c1)
                           for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or [])
            _fill_merged(grid, merged)
            sheets.append(Sheet(path, name, grid, merged))
    except IndikatorError:
        raise
    except Exception as exc:  # calamine raises several types for broken files
        kind = "kalkylbladsfil" if path.suffix.lower() != ".ods" else "OpenDocument-fil"
        raise _unreadable(
            path, f"filen är skadad eller inte en giltig {kind} ({type(exc).__name__})."
        ) from exc
    return sheets


def _fill_merged(grid: list[list[Cell]], ranges: tuple[tuple[int, int, int, int], ...]) -> None:
    """Give every cell of a merged range the value of its top-left cell, as Excel shows it."""
    for r0, c0, r1, c1 in ranges:
        if r0 >= len(grid) or (r1 - r0 + 1) * (c1 - c0 + 1) > 10_000:
            continue
        value = grid[r0][c0] if c0 < len(grid[r0]) else None
        for r in range(r0, r1 + 1):
            while len(grid) <= r:
                grid.append([])
            row = grid[r]
            if len(row) <= c1:
                row.extend([None] * (c1 + 1 - len(row)))
            for c in range(c0, c1 + 1):
                row[c] = value


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


def _sniff_delimiter(text: str) -> str:
    """The separator that splits the first lines into the most rows of one width.

    Title lines above the header have no separators, and commas occur inside
    Swedish answers, so the first line alone cannot tell. Ties go to ';' (Swedish
    Excel), then tab, then ','.
    """
    sample = "\n".join(text.splitlines()[:50])
    best, best_key = ";", (0, 0)
    for delimiter in (";", "\t", ","):
        try:
            rows = list(csv.reader(io.StringIO(sample), delimiter=delimiter))
        except csv.Error:
            continue
        widths = Counter(len(r) for r in rows if len(r) > 1)
        if widths:
            width, freq = widths.most_common(1)[0]
            if (freq, width) > best_key:
                best, best_key = delimiter, (freq, width)
    return best


def _read_csv(path: Path, data: bytes) -> list[list[Cell]]:
    text = _decode(path, data)
    first_line, _, rest = text.partition("\n")
    delimiter = None
    if first_line.strip().lower().startswith("sep=") and len(first_line.strip()) == 5:
        delimiter = first_line.strip()[4]
        text = rest  # Excel hides the sep= line; the header is row 1
    if delimiter is None:
        delimiter = _sniff_delimiter(text)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise _unreadable(path, f"CSV-filen kan inte tolkas ({exc}).") from exc
    return [[(v if v.strip() != "" else None) for v in row] for row in rows]
