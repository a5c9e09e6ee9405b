"""Property test: the xlsx guard's quick counts (reading/guards.py) find the cells and
the largest column that counting each kind of cell tag, and listing every column, find."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from indikator.reading.guards import _NOT_CELL_TAG, _column_number, _largest_column

PIECES = [b"<c ", b"<c>", b"<c/>", b"<c\t", b"<c\n", b"<c\r", b"<col ", b"<cols>", b"<cfRule ",
          b"<c", b"x", b'r="A1"', b'r="O12"', b'r="Z3"', b'r="AA7"', b'r="XFD1"', b'r="B"',
          b'r="c1"', b"</c>", b"<row r=\"5\">", b'r="P100000"', b" "]


def columns_listed(text: bytes) -> int:
    """The largest column, every one-to-three-letter column listed (the guard's former way)."""
    for n in (3, 2, 1):
        found = re.findall(rb'r="([A-Z]{%d})[0-9]' % n, text)
        if found:
            return _column_number(max(found))
    return 0


@settings(max_examples=500)
@given(st.lists(st.sampled_from(PIECES), max_size=40), st.integers(0, 40))
def test_quick_counts_are_exact(pieces, current):
    text = b"".join(pieces)
    tags = sum(text.count(b"<c" + end) for end in (b" ", b"\t", b"\n", b"\r", b"/", b">"))
    assert text.count(b"<c") - len(_NOT_CELL_TAG.findall(text)) == tags
    assert _largest_column(text, current) == max(current, columns_listed(text))
