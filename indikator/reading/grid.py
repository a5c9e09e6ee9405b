"""A sheet's cells kept as columns, read as the list of rows it stands for.

A list per row costs 250 bytes and more beside its cells (100,000 rows in a big CSV
export: most of an import's memory). Columns hold the same cells at 8 bytes each, and
the importer takes a column whole (`column_of`); every other reader still sees rows.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Sequence
from itertools import islice, repeat, zip_longest

from indikator.reading.model import Cell

CHUNK = 4096  # rows turned into columns at a time (a chunk's lists are let go at once)


class ColumnGrid(Sequence[list[Cell]]):
    """Rows of cells as columns; row i reads as the list it was, as long as it was (a
    CSV line may be shorter than the header: the cells past its end are None here)."""

    def __init__(self) -> None:
        self.columns: list[list[Cell]] = []
        self.widths = array("i")

    def extend(self, rows: list[list[Cell]]) -> None:
        """Append rows (as the reader made them), column by column."""
        filled = len(self.widths)
        self.widths.extend(map(len, rows))
        for k, cells in enumerate(zip_longest(*rows)):
            if k == len(self.columns):
                self.columns.append([None] * filled)
            self.columns[k].extend(cells)
        for column in self.columns[max(map(len, rows), default=0):]:
            column.extend(repeat(None, len(rows)))

    @property
    def width(self) -> int:
        """max(map(len, rows)), without making the rows."""
        return max(self.widths, default=0)

    def column(self, index: int, start: int = 0, stop: int | None = None) -> list[Cell]:
        """Cells start … stop - 1 of one column (None past a row's end)."""
        if index >= len(self.columns):
            return [None] * len(range(len(self))[start:stop])
        return self.columns[index][start:stop]

    def __len__(self) -> int:
        return len(self.widths)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self._row(i) for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("row index out of range")
        return self._row(index)

    def _row(self, index: int) -> list[Cell]:
        return [column[index] for column in islice(self.columns, self.widths[index])]

    def __iter__(self) -> Iterator[list[Cell]]:
        return self.rows(0, len(self))

    def rows(self, start: int, stop: int) -> Iterator[list[Cell]]:
        """Rows start … stop - 1, each made as it is reached."""
        cells = (zip(*(islice(column, start, stop) for column in self.columns), strict=True)
                 if self.columns else repeat((), max(stop - start, 0)))
        for width, row in zip(islice(self.widths, start, stop), cells, strict=True):
            yield list(row[:width])

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ColumnGrid | list | tuple):
            return len(self) == len(other) and all(
                a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # as a list's

    def clear(self) -> None:
        self.columns.clear()
        del self.widths[:]

    def __repr__(self) -> str:
        return f"ColumnGrid({list(self)!r})"


def column_of(rows: Sequence[list[Cell]], index: int, start: int = 0,
              stop: int | None = None) -> list[Cell]:
    """Cells start … stop - 1 of column `index` of a grid (None past a row's end)."""
    if isinstance(rows, ColumnGrid):
        return rows.column(index, start, stop)
    return [row[index] if index < len(row) else None for row in rows[start:stop]]


def widest(rows: Sequence[list[Cell]]) -> int:
    """The widest row's length."""
    if isinstance(rows, ColumnGrid):
        return rows.width
    return max(map(len, rows), default=0)
