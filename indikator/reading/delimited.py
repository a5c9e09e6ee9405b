"""Text exports (.csv, .txt, .tsv) -> one sheet, with every record's line in the file known.

A quote that is never closed would swallow the rest of the file into one cell; a
field spanning more lines than any comment does is therefore an error that names
the line where it starts.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from itertools import zip_longest
from pathlib import Path

from indikator.errors import EXIT_INPUT, IndikatorError, Location, Problem
from indikator.reading.cleaning import Repairs, tidy
from indikator.reading.grid import CHUNK, ColumnGrid
from indikator.reading.model import MAX_CELLS, MAX_FIELD_LINES, Cell, Sheet, unreadable

BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"))

# one UTF-8 character of two to four bytes (what a Windows-1252 text almost never holds)
_UTF8_MULTI = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}")
_NON_ASCII = re.compile(rb"[\x80-\xff]")
UTF8, CP1252, UTF16 = "UTF-8", "Windows-1252 (ANSI)", "UTF-16 (Unicode-text)"


def decode(path: Path, data: bytes, kind: str = "CSV") -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode text"), or Windows-1252.

    A file in two encodings (two exports pasted together) is refused: read as one,
    half its å/ä/ö would be wrong ("VÃ¥rd" beside "Vård", two insatser).
    kind: what the file should be, for the message when it is no text at all.
    """
    for bom, encoding in BOMS:
        if data.startswith(bom):
            if encoding == "utf-16":
                return _decode_utf16(path, data)
            return _decode_8bit(path, data[len(bom):], bom=True)
    nul = data.find(b"\x00")
    if nul != -1 and _line_of(data, nul) == 1:
        raise unreadable(path, f"filen är inte en textfil ({kind}); är det ett kalkylblad?")
    return _decode_8bit(path, data, bom=False)


def _line_of(data: bytes, position: int) -> int:
    return data.count(b"\n", 0, position) + 1


def _decode_8bit(path: Path, data: bytes, bom: bool) -> str:
    """UTF-8 if every non-ASCII byte belongs to a UTF-8 character, Windows-1252 if none
    does; both in one file is an error naming the lines."""
    nul = data.find(b"\x00")
    if nul != -1:  # UTF-16 text after lines of 8-bit text
        first = _NON_ASCII.search(data, 0, nul)
        kind = (UTF8 if bom or (first and _UTF8_MULTI.match(data, first.start()))
                else CP1252 if first else "vanlig text (utan å, ä och ö)")
        raise _mixed(path, 1 if bom or first is None else _line_of(data, first.start()), kind,
                     _line_of(data, nul), UTF16)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        stray = exc.start  # the first byte that is no part of a UTF-8 character
    before = _NON_ASCII.search(data, 0, stray)
    if bom or before is not None:  # UTF-8 first, Windows-1252 from `stray`
        first = 0 if before is None else before.start()
        last = max((m.start() for m in _NON_ASCII.finditer(data, 0, stray)), default=first)
        raise _mixed(path, _line_of(data, first), UTF8, _line_of(data, stray), CP1252,
                     _line_of(data, last))
    later = _UTF8_MULTI.search(data, stray)
    if later is not None:  # Windows-1252 first, UTF-8 from `later`
        last = max((m.start() for m in _NON_ASCII.finditer(data, stray, later.start())),
                   default=stray)
        raise _mixed(path, _line_of(data, stray), CP1252, _line_of(data, later.start()), UTF8,
                     _line_of(data, last))
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise unreadable(path, "okänd teckenkodning (varken UTF-8 eller Windows-1252).") from None


# 8-bit text read as UTF-16 pairs its bytes into characters far from Latin ('ab' is
# U+6261, a line break inside one). A run of such characters whose bytes hold a line
# break and no other control byte, or are nearly all ASCII, is such text. (Chinese
# text in a UTF-16 file may rarely look so too, and is then refused, never garbled.)
_WIDE_RUN = re.compile("[\u0100-\u1fff\u2c00-\ufaff]{2,}")  # not punctuation, symbols
_CONTROL = frozenset(set(range(32)) - {9, 10, 13} | {127})
_ASCII = frozenset([9, 10, 13, *range(32, 127)])


def _eight_bit(raw: bytes) -> bool:
    """Do these bytes, read as UTF-16, look like UTF-8 or Windows-1252 text?"""
    if b"\n" in raw and not _CONTROL.intersection(raw):
        return True
    return sum(b in _ASCII for b in raw) >= 0.9 * len(raw)


def _decode_utf16(path: Path, data: bytes) -> str:
    """UTF-16 with BOM; 8-bit text after it (a second export pasted on) is refused."""
    other = "en annan kodning (UTF-8 eller Windows-1252)"
    try:
        text = data.decode("utf-16")
    except UnicodeDecodeError as exc:
        good = data[: exc.start - exc.start % 2].decode("utf-16", errors="replace")
        raise _mixed(path, 1, UTF16, good.count("\n") + 1, other) from None
    for run in _WIDE_RUN.finditer(text):
        if _eight_bit(run.group().encode("utf-16-le")):
            raise _mixed(path, 1, UTF16, text.count("\n", 0, run.start()) + 1, other)
    return text


def _mixed(path: Path, first_line: int, first: str, line: int, other: str,
           last_line: int | None = None) -> IndikatorError:
    where = (f"rad {first_line}" if last_line in (None, first_line)
             else f"rad {first_line}–{last_line}")
    why = (f"filen har två teckenkodningar: {where} är {first} men rad {line} är {other}, "
           "troligen två exporter som klistrats ihop. Läst som en kodning skulle å, ä och ö "
           f"bli fel i den ena delen (\"VÃ¥rd\" i stället för \"Vård\"). Dela filen vid rad "
           f"{line} i två filer (indikator läser flera filer och slår ihop dem), eller öppna "
           f"den i Anteckningar (Notepad), rätta å, ä och ö som blivit fel från rad {line}, "
           "och spara den med kodningen UTF-8 (i Excel: Spara som \"CSV UTF-8\").")
    problem = Problem("mixed-encoding", why, Location(str(path), row=line))
    return IndikatorError(f"Kan inte läsa {path}: {why}", [problem], exit_code=EXIT_INPUT)


def first_lines(text: str, n: int) -> list[str]:
    """text.splitlines()[:n], splitting only as much of the text as holds them (not a
    string for each of 100,000 lines, to keep a few)."""
    size = 1 << 16
    while True:
        lines = text[:size].splitlines()
        if len(lines) > n or size >= len(text):  # line n ended where line n + 1 began
            return lines[:n]
        size *= 4


def sniff_delimiter(text: str) -> str:
    """The separator that splits the first lines into the most rows of one width.

    Title lines above the header have no separators, and commas occur inside
    Swedish answers, so the first line alone cannot tell. Ties go to ';' (Swedish
    Excel), then tab, then ','.
    """
    sample = "\n".join(first_lines(text, 50))
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


def _swallows_rows(row: list[str], delimiter: str, width: int) -> bool:
    """A multi-line field holding lines shaped like records (as many separators as the
    header has columns less one) is a quote that was never closed, not a comment."""
    if width < 3:
        return False
    return any(line.count(delimiter) >= width - 1
               for field in row if "\n" in field for line in field.split("\n")[1:])


def read_delimited(path: Path, data: bytes) -> list[Sheet]:
    text = decode(path, data)
    first_line, _, rest = text.partition("\n")
    delimiter = None
    offset = 0  # lines before the header that Excel does not show (sep=)
    if first_line.strip().lower().startswith("sep=") and len(first_line.strip()) == 5:
        delimiter = first_line.strip()[4]
        text, offset = rest, 1
    if delimiter is None:
        delimiter = sniff_delimiter(text)
    lines = text.count("\n") + 1
    widest = max((line.count(delimiter) + 1 for line in first_lines(text, 200)), default=1)
    if lines * widest > MAX_CELLS:
        cells = f"{lines * widest:,}".replace(",", "\u00a0")
        raise unreadable(path, f"filen har {lines} rader och omkring {cells} celler, långt mer "
                               "än en enkätexport; den läses inte.")
    grid = ColumnGrid(lines, widest)  # columns, not a list per row (grid.py)
    rows: list[list[str]] = []  # the rows not yet in the grid, as read
    texts = _Texts()
    repairs = Repairs()
    reader = csv.reader(text_lines(text), delimiter=delimiter)
    ended = width = 0
    plain = text.isascii()  # no cell to tidy (cleaning.tidy), whole file at once
    try:
        for row in reader:
            started = ended + 1
            ended = reader.line_num
            width = width or len(row)
            if ended > started and (ended - started >= MAX_FIELD_LINES
                                    or _swallows_rows(row, delimiter, width)):
                raise unreadable(
                    path, f"ett citattecken på rad {started + offset} i filen stängs aldrig: "
                          f"fältet sträcker sig över {ended - started + 1} rader och sväljer "
                          "raderna under det. Rätta citattecknet (eller ta bort det) och läs "
                          "filen igen.")
            if not (plain or delimiter.join(row).isascii()):  # invisible characters, å/ä/ö
                index = len(grid) + len(rows)
                row = [_tidied(v, index, c, repairs) for c, v in enumerate(row)]
            rows.append(row)
            if len(rows) == CHUNK:
                texts.add(grid, rows)
                rows = []
    except csv.Error as exc:
        line = reader.line_num + offset
        if "field larger than field limit" in str(exc):
            raise unreadable(path, f"ett fält på rad {line} i filen är längre än "
                                   f"{csv.field_size_limit():,} tecken".replace(",", "\u00a0")
                             + "; det är inget enkätsvar.") from None
        raise unreadable(path, f"CSV-filen kan inte tolkas på rad {line} ({exc}).") from exc
    texts.add(grid, rows)
    sheet = Sheet(path, None, grid)
    if repairs.first is None:
        return [sheet]
    return [replace(sheet, notes=repairs.problems(sheet.location(*repairs.first)))]


def text_lines(text: str, size: int = 1 << 20) -> Iterator[str]:
    """The lines io.StringIO(text, newline="") gives, a megabyte of text at a time: a
    StringIO holds four bytes a character (16 MB for a 4 MB export, beside the text).
    Each piece ends just after a '\\n', so no line (nor a '\\r\\n') is cut in two."""
    start = 0
    while start < len(text):
        end = text.find("\n", start + size) + 1 or len(text)
        yield from io.StringIO(text[start:end], newline="")
        start = end


def _cell(value: str, index: int, column: int, repairs: Repairs) -> Cell:
    """A field as Excel shows it: blank as None, invisible characters removed."""
    value = _tidied(value, index, column, repairs)
    return value if value.strip() != "" else None


def _tidied(value: str, index: int, column: int, repairs: Repairs) -> str:
    """A field's text as Excel shows it: invisible characters removed, å/ä/ö repaired
    (index: the row's, 0-based)."""
    if not value.isascii():
        value, repaired = tidy(value)
        if repaired:
            repairs.add(index + 1, column)
    return value


class _Texts:
    """Rows of fields -> the grid's cells (blank as None), with one string per distinct
    text of a column: the csv module makes a new string for every field, and a year, an
    insats or an answer's label repeats on every row (100 bytes a row and more). A column
    whose texts are mostly distinct (svars-ids) is not shared: its dict would only hold
    each of them once more (330,000 of them in a big export)."""

    def __init__(self) -> None:
        self.seen: list[dict[str, str] | None] = []

    def add(self, grid: ColumnGrid, rows: list[list[str]]) -> None:
        """Append rows to the grid, a column at a time."""
        columns = [self._cells(k, texts)
                   for k, texts in enumerate(zip_longest(*rows, fillvalue=""))]
        grid.extend_columns(columns, list(map(len, rows)))

    def _cells(self, k: int, texts: tuple[str, ...]) -> list[Cell]:
        if k == len(self.seen):
            self.seen.append({})
        seen = self.seen[k]
        if seen is None:
            return [v if v.strip() else None for v in texts]
        share = seen.setdefault
        cells = [share(v, v) if v.strip() else None for v in texts]
        if len(seen) > CHUNK // 2:  # mostly distinct, as an id per row
            self.seen[k] = None
        return cells
