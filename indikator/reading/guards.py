"""Checks before a parser sees a file: the right kind of file, a sane size, and what the
spreadsheet parser does not tell (hidden rows, formulas without a computed value).

The parsers build whole grids in memory, and python-calamine aborts the process on some
extreme files, so worksheet XML is scanned in pieces first.
"""

from __future__ import annotations

import io
import os
import re
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from indikator.reading.model import (
    MAX_CELLS,
    MAX_FILE_BYTES,
    MAX_UNPACKED_BYTES,
    OLE_MAGIC,
    ZIP_MAGIC,
    ZIP_SUFFIXES,
    unreadable,
)


@dataclass
class SheetFacts:
    """What the worksheet XML says that the cell values do not."""

    hidden_rows: set[int] = field(default_factory=set)  # Excel row numbers
    formulas: list[tuple[int, int]] = field(default_factory=list)  # without a value, 0-based


def read_regular_file(path: Path, limit: int | None = None) -> bytes:
    """The bytes of a regular file of at most `limit` bytes (default MAX_FILE_BYTES);
    devices, FIFOs, folders and link loops refused (stat, not open: a FIFO is never
    opened, so nothing waits for a writer)."""
    limit = MAX_FILE_BYTES if limit is None else limit
    try:
        info = os.stat(path)  # follows links: a link to /dev/zero is a device
    except FileNotFoundError:
        raise unreadable(path, "filen finns inte.") from None
    except OSError as exc:
        raise unreadable(path, f"filen kan inte öppnas ({exc.strerror or exc}).") from None
    if stat.S_ISDIR(info.st_mode):
        raise unreadable(path, "det är en mapp, inte en fil.")
    if not stat.S_ISREG(info.st_mode):
        raise unreadable(path, "det är ingen vanlig fil (en enhet, en namngiven pipe eller "
                               "liknande); ange en exportfil.")
    if info.st_size > limit:
        raise unreadable(path, f"filen är för stor ({_size(info.st_size)}; gränsen är "
                               f"{_size(limit)}). Är det rätt fil?")
    try:
        with open(path, "rb") as f:
            # as much as stat saw, and the rest only if the file grew: a buffer of the
            # limit's size for every small file would be allocated for nothing
            data = f.read(min(info.st_size, limit) + 1)
            if len(data) > info.st_size:
                data += f.read(limit + 1 - len(data))
    except OSError as exc:
        raise unreadable(path, f"{exc.strerror or exc}.") from None
    if len(data) > limit:
        raise unreadable(path, "filen växer medan den läses; den läses inte.")
    return data


def _size(size: int) -> str:
    """'250 MB', or '3 kB' for what is smaller than a megabyte."""
    if size >= 1024**2:
        return f"{size / 1024**2:.0f} MB"
    return f"{max(1, round(size / 1024))} kB"


def looks_like_text(data: bytes) -> bool:
    head = data[:4096]
    return b"\x00" not in head and all(b >= 9 for b in head if b < 32)


def check_container(path: Path, data: bytes) -> dict[str, SheetFacts]:
    """Tell the common wrong files apart; return what each .xlsx sheet's XML says."""
    suffix = path.suffix.lower()
    if suffix in ZIP_SUFFIXES and data.startswith(OLE_MAGIC):
        raise unreadable(path, "filen är lösenordsskyddad (krypterad), eller en gammal .xls med "
                               "fel filändelse. Spara den utan lösenord som .xlsx.")
    if suffix in ZIP_SUFFIXES and not data.startswith(ZIP_MAGIC):
        if looks_like_text(data):
            raise unreadable(path, f"filen heter {suffix} men är en textfil (troligen CSV). "
                                   "Byt filändelsen till .csv.")
        raise unreadable(path, f"filen är skadad eller inte en giltig {suffix}-fil.")
    if suffix == ".xls" and not data.startswith(OLE_MAGIC):
        if data.startswith(ZIP_MAGIC):
            return {}  # an .xlsx saved as .xls: calamine reads it by content
        if looks_like_text(data):
            raise unreadable(path, "filen heter .xls men är en text- eller HTML-fil. Öppna den "
                                   "i Excel och spara som .xlsx, eller som .csv.")
        raise unreadable(path, "filen är skadad eller inte en giltig .xls-fil.")
    if not data.startswith(ZIP_MAGIC):
        return {}
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise unreadable(path, "filen är skadad (trasigt zip-arkiv).") from exc
    with archive:
        unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_UNPACKED_BYTES:
            raise unreadable(path, f"filen packas upp till {unpacked / 1024**2:.0f} MB, "
                                   "långt mer än en enkätexport; den läses inte.")
        if "content.xml" in archive.namelist() and suffix == ".ods":
            return check_ods(path, archive)
        return check_xlsx(path, archive)


_NOT_CELL_TAG = re.compile(rb"<c(?![ \t\n\r/>])")  # a cell is <c r=…>, <c> or <c/>
_CELL = re.compile(rb'<c\b([^>]*?)(/>|>(.*?)</c>)', re.DOTALL)
_ROW = re.compile(rb"<row\b([^>]*)>")
_ATTR_R = re.compile(rb'\sr="([A-Z]{0,3})([0-9]{1,7})"')
_HIDDEN = re.compile(rb'\shidden="(?:1|true)"')
_VALUE = re.compile(rb"<v>[^<]+</v>|<is>", re.DOTALL)


def check_xlsx(path: Path, archive: zipfile.ZipFile) -> dict[str, SheetFacts]:
    """Refuse a worksheet whose cells reach far out, before the reader builds a grid for it
    (one stray cell at XFD1048576 would ask for billions of cells); note hidden rows and
    formula cells without a value, per sheet name."""
    names = _sheet_names(archive)
    facts: dict[str, SheetFacts] = {}
    for info in archive.infolist():
        if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
            continue
        found = facts.setdefault(names.get(info.filename, info.filename), SheetFacts())
        max_row = max_col = tags = 0
        tail = b""
        with archive.open(info) as member:
            while chunk := member.read(1 << 20):
                text = tail + chunk
                max_row = max(max_row, _largest(_CELL_ROWS, text, int))
                max_col = _largest_column(text, max_col)
                # cell tags: every "<c" but those of other tags (<col>, <cfRule> …)
                tags += chunk.count(b"<c") - len(_NOT_CELL_TAG.findall(chunk))
                end = _scan_cells(text, found)
                tail = text[end:][-(1 << 20):]
        if max_row * max_col > MAX_CELLS or tags > MAX_CELLS:
            cells = f"{max_row * max_col:,}".replace(",", "\u00a0")
            raise unreadable(
                path, f"ett blad sträcker sig till rad {max_row}, kolumn {max_col} "
                      f"({cells} celler), långt mer än en enkätexport. Ta bort celler långt "
                      "ut i bladet.")
    return facts


def _largest(patterns: tuple[re.Pattern, ...], text: bytes, value) -> int:
    """The largest number or column in `text`: `patterns` find them by length, longest
    first, and within one length the bytes order is the number order (max() in C, not a
    Python loop over a million cells)."""
    for pattern in patterns:
        found = pattern.findall(text)
        if found:
            return value(max(found))
    return 0


def _largest_column(text: bytes, current: int) -> int:
    """The largest column in `text`, or `current` if none is beyond it. One-letter
    columns are looked for only beyond `current`: nearly every cell has one, and a list
    of them all took a third of the check's time."""
    for pattern in _CELL_COLUMNS:  # three letters, then two: all beyond Z
        found = pattern.findall(text)
        if found:
            return max(current, _column_number(max(found)))
    if current >= 26:
        return current
    found = re.findall(rb'r="([%c-Z])[0-9]' % (65 + current), text)
    return max(current, _column_number(max(found))) if found else current


# a cell's r="AB12" (a row's r="12" has no letters), found from the literal r=" (fast;
# whatever whitespace comes before it, and any other attribute so named only adds to max)
_CELL_ROWS = tuple(re.compile(rb'r="[A-Z]{1,3}([0-9]{%d})"' % n) for n in range(7, 0, -1))
_CELL_COLUMNS = tuple(re.compile(rb'r="([A-Z]{%d})[0-9]' % n) for n in (3, 2))


def _scan_cells(text: bytes, facts: SheetFacts) -> int:
    """Hidden rows and value-less formulas in a piece of XML; returns where it stopped."""
    if b"<f" not in text and b"hidden" not in text:
        # nothing to note; the last element may be cut off: keep it for the next piece
        return max(text.rfind(b"<c"), text.rfind(b"<row"), 0)
    end = 0
    for match in _ROW.finditer(text):
        attrs = match.group(1)
        number = _ATTR_R.search(attrs)
        if number and _HIDDEN.search(attrs):
            facts.hidden_rows.add(int(number.group(2)))
        end = max(end, match.end())
    for match in _CELL.finditer(text):
        inner = match.group(3) or b""
        if b"<f" in inner and not _VALUE.search(inner):
            ref = _ATTR_R.search(match.group(1))
            if ref:
                facts.formulas.append((int(ref.group(2)) - 1, _column_number(ref.group(1)) - 1))
        end = max(end, match.end())
    return end


_SHEET = re.compile(rb'<sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]*)"')
_REL = re.compile(rb'<Relationship\b[^>]*?\bId="([^"]*)"[^>]*?\bTarget="([^"]*)"')
_REL_REVERSED = re.compile(rb'<Relationship\b[^>]*?\bTarget="([^"]*)"[^>]*?\bId="([^"]*)"')


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet XML part -> the sheet's name, from workbook.xml and its relationships."""
    import html

    try:
        workbook = archive.read("xl/workbook.xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
    targets = {rid: target for rid, target in _REL.findall(rels)}
    targets.update({rid: target for target, rid in _REL_REVERSED.findall(rels)})
    names = {}
    for name, rid in _SHEET.findall(workbook):
        target = targets.get(rid)
        if target is None:
            continue
        target = target.decode("utf-8", "replace")
        part = target.lstrip("/") if target.startswith("/") else str(
            PurePosixPath("xl") / target)
        names[part] = html.unescape(name.decode("utf-8", "replace"))
    return names


_ODS_TAG = re.compile(rb"<(/?)table:(table|table-row|table-cell|covered-table-cell)(?=[\s/>])"
                      rb"([^>]*)>")
_ROWS_REPEATED = re.compile(rb'table:number-rows-repeated="([0-9]+)"')
_COLS_REPEATED = re.compile(rb'table:number-columns-repeated="([0-9]+)"')
_ODS_NAME = re.compile(rb'table:name="([^"]*)"')
_ODS_HIDDEN = re.compile(rb'table:visibility="(?:collapse|filter)"')


def check_ods(path: Path, archive: zipfile.ZipFile) -> dict[str, SheetFacts]:
    """The .ods twin of check_xlsx: repeated rows and cells count as what they repeat.

    Only cells with a value count, as the reader builds its grid up to the last
    value; the empty rows and columns LibreOffice writes at the end are harmless.
    """
    import html

    facts: dict[str, SheetFacts] = {}
    current = SheetFacts()
    with archive.open("content.xml") as member:
        row = col = 0  # rows before the current one (repeats counted); cells before this one
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
                    found = _ODS_NAME.search(attrs)
                    title = html.unescape(found.group(1).decode("utf-8", "replace")) if found \
                        else str(len(facts))
                    current = facts.setdefault(title, SheetFacts())
                elif name == b"table-row" and not closing:
                    found = _ROWS_REPEATED.search(attrs)
                    row_repeat = int(found.group(1)) if found else 1
                    col = row_last_value = 0
                    if _ODS_HIDDEN.search(attrs) and row_repeat < 10_000:
                        current.hidden_rows.update(range(row + 1, row + row_repeat + 1))
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
                    raise unreadable(
                        path, f"ett blad har värden ut till rad {last_row}, kolumn "
                              f"{last_col} ({cells} celler), långt mer än en enkätexport.")
            tail = text[end:][-4096:]
    return facts


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ch - 64
    return number
