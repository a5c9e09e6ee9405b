"""A sheet's cells kept as columns, read as the list of rows it stands for.

A list per row costs 250 bytes and more beside its cells (100,000 rows in a big CSV
export: most of an import's memory). Columns hold the same cells at 8 bytes each, and
the importer takes a column whole (`column_of`); every other reader still sees rows.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Sequence
from itertools import zip_longest

import numpy as np

from indikator.reading.model import Cell

CHUNK = 4096  # rows turned into columns at a time (a chunk's lists are let go at once)


class ColumnGrid(Sequence[list[Cell]]):
    """Rows of cells as columns; row i reads as the list it was, as long as it was (a
    CSV line may be shorter than the header: the cells past its end are None here).

    The cells are one block, a column after another, made once for the rows the reader
    expects: columns grown list by list left the memory between them in pieces too
    small for the tables made later (20 MB more at 330,000 rows)."""

    def __init__(self, rows: int = 0, width: int = 0) -> None:
        """rows, width: what the block is made for at first (it grows when needed)."""
        self.block = np.full((width, rows), None, dtype=object)
        self.widths = array("i")

    def extend(self, rows: list[list[Cell]]) -> None:
        """Append rows, column by column."""
        self.extend_columns(list(zip_longest(*rows)), list(map(len, rows)))

    def extend_columns(self, columns: Sequence[Sequence[Cell]], widths: list[int]) -> None:
        """Append rows given as their columns (each as long as `widths`, the rows'
        lengths; cells past a row's end None)."""
        filled, m = len(self.widths), len(widths)
        self._reserve(filled + m, len(columns))
        self.widths.extend(widths)
        for k, cells in enumerate(columns):
            self.block[k, filled:filled + m] = cells

    def _reserve(self, rows: int, width: int) -> None:
        """Room for `rows` rows `width` wide: a larger block, the cells copied over."""
        have_width, have_rows = self.block.shape
        if rows <= have_rows and width <= have_width:
            return
        grown = np.full((max(width, have_width), max(rows, 2 * have_rows)), None, dtype=object)
        grown[:have_width, :len(self.widths)] = self.block[:, :len(self.widths)]
        self.block = grown

    @property
    def width(self) -> int:
        """max(map(len, rows)), without making the rows."""
        return max(self.widths, default=0)

    def column(self, index: int, start: int = 0, stop: int | None = None) -> list[Cell]:
        """Cells start … stop - 1 of one column (None past a row's end)."""
        span = range(len(self))[start:stop]
        if index >= self.block.shape[0]:
            return [None] * len(span)
        return self.block[index, span.start:span.stop].tolist()

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
        return self.block[:self.widths[index], index].tolist()

    def __iter__(self) -> Iterator[list[Cell]]:
        return self.rows(0, len(self))

    def rows(self, start: int, stop: int) -> Iterator[list[Cell]]:
        """Rows start … stop - 1, made CHUNK at a time as they are reached."""
        for at in range(start, stop, CHUNK):
            end = min(at + CHUNK, stop)
            cells = self.block[:, at:end].T.tolist()
            for width, row in zip(self.widths[at:end], cells, strict=True):
                del row[width:]
                yield row

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ColumnGrid | list | tuple):
            return len(self) == len(other) and all(
                a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # as a list's

    def clear(self) -> None:
        self.block = np.full((0, 0), None, dtype=object)
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
