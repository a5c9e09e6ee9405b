"""A sheet's data rows as (Excel row, cells), made from the grid only when they are read.

A list of them held the whole sheet a second time (a tuple and a row number per row);
this reads the grid's rows as they are reached, and a column whole (`column`) straight
from a grid kept as columns (reading/grid.py), so a wide sheet is coded without a row
ever being made.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from indikator.reading import Cell
from indikator.reading.grid import ColumnGrid, column_of


class Body(Sequence[tuple[int, list[Cell]]]):
    """Rows `indices` (0-based, in order) of a grid, read as (Excel row, cells) pairs."""

    def __init__(self, grid: Sequence[list[Cell]], indices: range | list[int]) -> None:
        self.grid = grid
        self.indices = indices

    @property
    def numbers(self) -> range | list[int]:
        """The Excel row of each row (a range where the rows follow each other)."""
        indices = self.indices
        if isinstance(indices, range):
            return range(indices.start + 1, indices.stop + 1, indices.step)
        return [i + 1 for i in indices]

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


class RowYears(Mapping[int, int | None]):
    """Each data row's year by its Excel row, kept as a list in the rows' order (a dict
    of 100,000 rows, with a number object for each, took 8 MB)."""

    def __init__(self, numbers: range | list[int], years: list[int | None]) -> None:
        self.numbers = numbers
        self.years = years
        self._position: dict[int, int] | None = None

    def in_order(self) -> list[int | None]:
        """The years in the order of the rows (Body.numbers)."""
        return self.years

    def __getitem__(self, row: int) -> int | None:
        numbers = self.numbers
        if isinstance(numbers, range):
            if row not in numbers:
                raise KeyError(row)
            return self.years[numbers.index(row)]
        if self._position is None:
            self._position = {number: k for k, number in enumerate(numbers)}
        return self.years[self._position[row]]

    def __iter__(self) -> Iterator[int]:
        return iter(self.numbers)

    def __len__(self) -> int:
        return len(self.numbers)
