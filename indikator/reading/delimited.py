"""Text exports (.csv, .txt, .tsv) -> one sheet, with every record's line in the file known.

A quote that is never closed would swallow the rest of the file into one cell; a
field spanning more lines than any comment does is therefore an error that names
the line where it starts.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections import Counter
from pathlib import Path

from .model import MAX_CELLS, MAX_FIELD_LINES, Cell, Sheet, unreadable

BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"))


def decode(path: Path, data: bytes, kind: str = "CSV") -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode text"), or Windows-1252.

    kind: what the file should be, for the message when it is no text at all.
    """
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise unreadable(path, f"filen säger att den är {encoding.upper()} men går "
                                       "inte att läsa så.") from None
    if b"\x00" in data[:4096]:
        raise unreadable(path, f"filen är inte en textfil ({kind}); är det ett kalkylblad?")
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise unreadable(path, "okänd teckenkodning (varken UTF-8 eller Windows-1252).")


def sniff_delimiter(text: str) -> str:
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
    widest = max((line.count(delimiter) + 1 for line in text.splitlines()[:200]), default=1)
    if lines * widest > MAX_CELLS:
        cells = f"{lines * widest:,}".replace(",", "\u00a0")
        raise unreadable(path, f"filen har {lines} rader och omkring {cells} celler, långt mer "
                               "än en enkätexport; den läses inte.")
    rows: list[list[Cell]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    ended = width = 0
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
            rows.append([(v if v.strip() != "" else None) for v in row])
    except csv.Error as exc:
        line = reader.line_num + offset
        if "field larger than field limit" in str(exc):
            raise unreadable(path, f"ett fält på rad {line} i filen är längre än "
                                   f"{csv.field_size_limit():,} tecken".replace(",", "\u00a0")
                             + "; det är inget enkätsvar.") from None
        raise unreadable(path, f"CSV-filen kan inte tolkas på rad {line} ({exc}).") from exc
    return [Sheet(path, None, rows)]
