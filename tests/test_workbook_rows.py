"""A worksheet read a row at a time (calamine's iter_rows, reading/workbook.py) gives the
grid that reading it whole (to_python from A1) gives: the same cells in the same places,
the same repaired text and the same first repaired cell, wherever the used area starts,
and with blank rows and columns inside it."""

from __future__ import annotations

import datetime
import io

import openpyxl
from hypothesis import given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from indikator.reading.cleaning import Repairs
from indikator.reading.workbook import _grid

VALUES = st.sampled_from([1, 2, 3.0, 2.5, 0, -0.0, 2025, 1e300, True, False, "x", " ", "Kön",
                          "VÃ¥rd", "Kö\u200bn", "R1", datetime.date(2024, 5, 1),
                          datetime.datetime(2024, 5, 1, 12, 30)])


def sheet_of(cells: dict[tuple[int, int], object]):
    book = openpyxl.Workbook()
    for (row, column), value in cells.items():
        book.active.cell(row, column, value)
    data = io.BytesIO()
    book.save(data)
    return CalamineWorkbook.from_filelike(io.BytesIO(data.getvalue())).get_sheet_by_index(0)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.tuples(st.integers(1, 9), st.integers(1, 7)), VALUES, max_size=12))
def test_rows_one_at_a_time_as_the_whole_sheet(cells):
    sheet = sheet_of(cells)
    lazy, whole = Repairs(), Repairs()
    grid = _grid(sheet, lazy, lazily=True)
    assert grid is not None  # the rows came as expected: read lazily
    assert grid == _grid(sheet, whole, lazily=False)
    assert [[type(v) for v in row] for row in grid] == [
        [type(v) for v in row] for row in _grid(sheet, Repairs(), lazily=False)]
    assert (lazy.count, lazy.first) == (whole.count, whole.first)
