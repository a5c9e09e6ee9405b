"""A respondent's coded answers (question -> code) in one small bytes object.

A dict per respondent was the largest part of an import's memory (350 bytes for 10
answers); the same answers as pairs of 16-bit integers take 110 with the object around
them. They read as a mapping, in the order they were given, and compare as dicts do
(order aside), so the rest of the importer sees no difference.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType

import numpy as np

NO_LABELS: Mapping[int, str] = MappingProxyType({})  # the "vet ej" answers of most people

_INT16 = (-(2**15), 2**15 - 1)


class Answers(Mapping[int, int]):
    """question -> code, as (question, code) pairs of native 16-bit integers in `pairs`."""

    __slots__ = ("pairs",)
    TYPECODE, SIZE = "h", 2  # the struct/memoryview type of each number, its bytes

    def __init__(self, pairs: bytes = b"") -> None:
        self.pairs = pairs

    @staticmethod
    def of(answers: Mapping[int, int]) -> Answers:
        """The answers of a dict, in its order (numbers beyond 16 bits in 64)."""
        flat = [x for pair in answers.items() for x in pair]
        kind = Answers if fits_16_bits(flat) else WideAnswers
        return kind(np.array(flat, dtype=kind.dtype()).tobytes())

    @classmethod
    def dtype(cls) -> np.dtype:
        return np.dtype(cls.TYPECODE)

    def _numbers(self) -> memoryview:
        return memoryview(self.pairs).cast(self.TYPECODE)

    def __len__(self) -> int:
        return len(self.pairs) // (2 * self.SIZE)

    def __iter__(self) -> Iterator[int]:
        return iter(self._numbers()[0::2].tolist())

    def __getitem__(self, question: int) -> int:
        numbers = self._numbers().tolist()
        for k in range(0, len(numbers), 2):
            if numbers[k] == question:
                return numbers[k + 1]
        raise KeyError(question)

    def __contains__(self, question: object) -> bool:
        return question in self._numbers()[0::2].tolist()

    def keys(self) -> tuple[int, ...]:  # type: ignore[override]
        return tuple(self)

    def values(self) -> tuple[int, ...]:  # type: ignore[override]
        return tuple(self._numbers()[1::2].tolist())

    def items(self) -> tuple[tuple[int, int], ...]:  # type: ignore[override]
        numbers = self._numbers().tolist()
        return tuple(zip(numbers[0::2], numbers[1::2], strict=True))

    def __eq__(self, other: object) -> bool:
        if type(other) is type(self) and other.pairs == self.pairs:
            return True
        if not isinstance(other, Mapping):
            return NotImplemented
        return dict(self.items()) == dict(other.items())

    __hash__ = None  # type: ignore[assignment]  # as a dict's

    def __repr__(self) -> str:
        return repr(dict(self.items()))


class WideAnswers(Answers):
    """Answers with a question number or code beyond 16 bits (a questionnaire may number
    its questions freely), as 64-bit pairs (the tables' own width)."""

    __slots__ = ()
    TYPECODE, SIZE = "q", 8


def fits_16_bits(numbers: Iterable[int]) -> bool:
    """Every number fits a signed 16-bit integer (the answers' and the tables' width)."""
    return all(_INT16[0] <= x <= _INT16[1] for x in numbers)
