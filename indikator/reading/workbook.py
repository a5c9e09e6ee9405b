"""Spreadsheets (.xlsx, .xlsm, .xls, .ods) -> sheets, with python-calamine."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

from indikator.errors import IndikatorError
from indikator.reading.cleaning import Repairs, tidy
from indikator.reading.guards import SheetFacts
from indikator.reading.model import MAX_CELLS, Cell, Sheet, unreadable


def read_workbook(path: Path, data: bytes, facts: dict[str, SheetFacts]) -> list[Sheet]:
    """Every sheet, hidden ones marked. A merged range holds its value in its first cell
    only, as the file stores it; the importer reads header merges as spanning headings
    and says so about merges among the answers (spreading them would invent answers)."""
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        from python_calamine import SheetVisibleEnum

        visible = {m.name: m.visible == SheetVisibleEnum.Visible for m in book.sheets_metadata}
        sheets = []
        for name in book.sheet_names:
            sheet = book.get_sheet_by_name(name)
            if sheet.end is not None:
                cells = (sheet.end[0] + 1) * (sheet.end[1] + 1)
                if cells > MAX_CELLS:
                    shown = f"{cells:,}".replace(",", "\u00a0")
                    raise unreadable(
                        path, f'bladet "{name}" sträcker sig till rad {sheet.end[0] + 1}, kolumn '
                              f"{sheet.end[1] + 1} ({shown} celler), långt mer än en "
                              "enkätexport. Ta bort celler långt ut i bladet.")
            repairs = Repairs()
            grid = _grid(sheet, repairs, lazily=True)
            if grid is None:  # its rows did not come as expected (another calamine release)
                repairs = Repairs()
                grid = _grid(sheet, repairs, lazily=False)
            merged = tuple((r0, c0, r1, c1)
                           for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or [])
            known = facts.get(name, SheetFacts())
            read = Sheet(path, name, grid, merged, hidden=not visible.get(name, True),
                         hidden_rows=frozenset(known.hidden_rows), formulas=tuple(known.formulas))
            if repairs.first is not None:
                read = replace(read, notes=repairs.problems(read.location(*repairs.first)))
            sheets.append(read)
    except IndikatorError:
        raise
    except Exception as exc:  # calamine raises several types for broken files
        kind = "kalkylbladsfil" if path.suffix.lower() != ".ods" else "OpenDocument-fil"
        raise unreadable(
            path, f"filen är skadad eller inte en giltig {kind} ({type(exc).__name__})."
        ) from exc
    return sheets


def _grid(sheet, repairs: Repairs, lazily: bool) -> list[list[Cell]] | None:
    """The sheet's cells from A1, as `to_python(skip_empty_area=False)` gives them.

    lazily: a row at a time (`iter_rows`), so that calamine's Python objects for the whole
    sheet never exist beside the grid made of them (a second grid of a float per cell, a
    third of an xlsx import's peak memory). Its rows start at row 1 and at the used area's
    first column, so they are padded on the left; None if they do not come so.
    """
    end = (-1, -1) if sheet.end is None else sheet.end
    if lazily:
        left = [""] * (sheet.start[1] if sheet.start is not None else 0)
        rows = (left + row if left else row for row in sheet.iter_rows())
    else:
        rows = sheet.to_python(skip_empty_area=False)
    # most cells are numbers, blanks ("") or ASCII text, kept or made None at once
    grid = [[SHARED.get(v, v) if type(v) is float else None if v == "" else v
             if type(v) in PLAIN and (type(v) is not str or v.isascii())
             else _shown(v, r, c, repairs) for c, v in enumerate(row)]
            for r, row in enumerate(rows, start=1)]
    if lazily and (len(grid) != end[0] + 1 or any(len(row) != end[1] + 1 for row in grid)):
        return None
    return grid


PLAIN = {str, int, float, bool}  # kept as they are, but for "" (a blank)

# The whole numbers an answer, a code or a year is: one float object each, shared by every
# cell that holds it (calamine makes a new float per cell, 24 bytes; an export of 100,000
# rows × 13 questions holds 1.3 million of them). Not 0.0, which -0.0 equals.
SHARED = {float(k): float(k) for k in (*range(-10, 0), *range(1, 256), *range(1900, 2101))}


def _shown(value: object, row: int, column: int, repairs: Repairs) -> Cell:
    """A cell as Excel shows it; text without invisible characters (cleaning.tidy)."""
    value = cell(value)
    if isinstance(value, str):
        value, repaired = tidy(value)
        if repaired:
            repairs.add(row, column)
        if not value.strip():
            return None
    return value


def cell(value: object) -> Cell:
    if value is None or value == "":
        return None
    if isinstance(value, str | int | float | bool):
        return value
    if hasattr(value, "year") and hasattr(value, "month"):  # a date: its ISO text
        return value.isoformat()[:10] if not hasattr(value, "hour") or (
            value.hour, value.minute, value.second) == (0, 0, 0) else value.isoformat()
    return str(value)  # times and the like: kept as text; they are never answers
