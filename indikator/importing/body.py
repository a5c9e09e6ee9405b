"""A sheet's data rows as (Excel row, cells), made from the grid only when they are read.

A list of them held the whole sheet a second time (a tuple and a row number per row);
this reads the grid's rows as they are reached, and a column whole (`column`) straight
from a grid kept as columns (reading/grid.py), so a wide sheet is coded without a row
ever being made.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from indikator.reading import Cell
from indikator.reading.grid import ColumnGrid, column_of


class Body(Sequence[tuple[int, list[Cell]]]):
    """Rows `indices` (0-based, in order) of a grid, read as (Excel row, cells) pairs."""

    def __init__(self, grid: Sequence[list[Cell]], indices: range | list[int]) -> None:
        self.grid = grid
        self.indices = indices

    @property
    def numbers(self) -> list[int]:
        """The Excel row of each row."""
        return [i + 1 for i in self.indices]

    def column(self, index: int) -> list[Cell]:
        """One column's cells, a cell per row (None past a row's end)."""
        indices = self.indices
        if isinstance(indices, range) and indices.step == 1:
            return column_of(self.grid, index, indices.start, indices.stop)
        cells = column_of(self.grid, index)
        return [cells[i] for i in indices]

    def __len__(self) -> int:
        return len(self.indices)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return Body(self.grid, self.indices[index])
        i = self.indices[index]
        return i + 1, self.grid[i]

    def __iter__(self) -> Iterator[tuple[int, list[Cell]]]:
        indices, grid = self.indices, self.grid
        if isinstance(grid, ColumnGrid) and isinstance(indices, range) and indices.step == 1:
            return zip(range(indices.start + 1, indices.stop + 1),
                       grid.rows(indices.start, indices.stop), strict=True)
        return ((i + 1, grid[i]) for i in indices)

    def clear(self) -> None:
        self.indices = range(0)
