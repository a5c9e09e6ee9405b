"""Coded respondents as columns: a list or an array per field, not an object per person.

A `Respondent` with its `Answers` took 280 bytes; 100,000 of them beside the tables
made of them were most of an import's peak memory. The wide coder (columns.py) fills
these columns straight from its arrays, duplicates are looked for and the tidy tables
made from them (duplicates.py, __init__.py), and a `Respondent` is made only where one
is looked at: a possible duplicate, a message's place, a test.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from itertools import chain, repeat
from operator import attrgetter, methodcaller

import numpy as np

from indikator.importing.answers import Answers, WideAnswers, fits_16_bits
from indikator.importing.coding import Respondent


@dataclass
class People(Sequence[Respondent]):
    """Respondents in import order; field k of each list or array is respondent k's
    (Respondent's fields, with its answers as `counts` answers each in the flat
    `questions` and `codes`, in the order they were given)."""

    survey: list[str]
    version: list[str]
    year: np.ndarray  # int64
    prefix: list[str]
    id: list[str | None]
    group: list[str | None]
    gender: list[int | None]
    file: list[str]
    sheet: list[str | None]
    row: np.ndarray  # int64: the first Excel row
    rows: np.ndarray  # int64: rows it was read from
    counts: np.ndarray  # int64: answers each
    questions: np.ndarray  # int16 where all numbers fit, else int64
    codes: np.ndarray
    no_answers: list[Mapping[int, str]]
    blanks: np.ndarray  # int64
    source: np.ndarray  # int64: its sheet's report (import_files)
    forbund: list[str | None]

    @staticmethod
    def of(respondents: Sequence[Respondent]) -> People:
        """The columns of Respondent objects (the row-by-row coder's)."""
        people = list(respondents)
        n = len(people)

        def ints(name: str) -> np.ndarray:
            return np.fromiter((getattr(r, name) for r in people), dtype=np.int64, count=n)

        answers = [r.answers for r in people]
        counts = lengths(answers)
        questions, codes = coded_pairs(answers, int(counts.sum()))
        return People(
            [r.survey for r in people], [r.version for r in people], ints("year"),
            [r.prefix for r in people], [r.id for r in people], [r.group for r in people],
            [r.gender for r in people], [r.file for r in people], [r.sheet for r in people],
            ints("row"), ints("rows"), counts, questions, codes,
            [r.no_answers for r in people], ints("blanks"), ints("source"),
            [r.forbund for r in people])

    @staticmethod
    def concat(parts: Sequence[People]) -> People:
        """One People of several, in order (the parts' lists are emptied as they go)."""
        if len(parts) == 1:
            return parts[0]
        columns = {}
        for f in fields(People):
            values = [getattr(p, f.name) for p in parts]
            columns[f.name] = (np.concatenate(values) if isinstance(values[0], np.ndarray)
                               else list(chain.from_iterable(values)))
            for p in parts:
                setattr(p, f.name, None)
        return People(**columns)

    def taken(self, chosen: np.ndarray) -> People:
        """The respondents where `chosen` (a boolean mask) is True, in order."""
        if chosen.all():
            return self
        picks = np.flatnonzero(chosen).tolist()
        given = np.repeat(chosen, self.counts)
        columns = {}
        for f in fields(People):
            values = getattr(self, f.name)
            if f.name in ("questions", "codes"):
                columns[f.name] = values[given]
            elif isinstance(values, np.ndarray):
                columns[f.name] = values[chosen]
            else:
                columns[f.name] = [values[k] for k in picks]
        return People(**columns)

    def __len__(self) -> int:
        return len(self.row)

    def __getitem__(self, k):
        if isinstance(k, slice):
            return [self[i] for i in range(*k.indices(len(self)))]
        return self.respondent(k)

    def __iter__(self) -> Iterator[Respondent]:
        start = 0
        for k in range(len(self)):
            yield self._respondent(k, start)
            start += int(self.counts[k])

    def respondent(self, k: int) -> Respondent:
        """Respondent k as the object the row-by-row coder makes."""
        return self.respondents([k])[0]

    def respondents(self, picks: Sequence[int]) -> list[Respondent]:
        """Respondents `picks` (in increasing order), made in one pass."""
        ends = np.cumsum(self.counts)
        return [self._respondent(k, int(ends[k] - self.counts[k])) for k in picks]

    def _respondent(self, k: int, start: int) -> Respondent:
        stop = start + int(self.counts[k])
        answers = dict(zip(self.questions[start:stop].tolist(),
                           self.codes[start:stop].tolist(), strict=True))
        return Respondent(
            self.survey[k], self.version[k], int(self.year[k]), self.prefix[k], self.id[k],
            self.group[k], self.gender[k], self.file[k], self.sheet[k], int(self.row[k]),
            int(self.rows[k]), Answers.of(answers), self.no_answers[k], int(self.blanks[k]),
            int(self.source[k]), self.forbund[k])

    def __eq__(self, other: object) -> bool:
        if isinstance(other, People | list | tuple):
            return len(self) == len(other) and all(
                a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]


def lengths(items: Sequence[Mapping]) -> np.ndarray:
    """len() of each item, as int64 (answers or "vet ej" answers per respondent)."""
    return np.fromiter(map(len, items), dtype=np.int64, count=len(items))


def coded_pairs(items: list[Mapping[int, int]], total: int) -> tuple[np.ndarray, np.ndarray]:
    """Questions and codes of all answers (int16 where all fit, else int64), read straight
    from the Answers' bytes where all are 16-bit."""
    if all(type(a) is Answers for a in items):
        pairs = np.frombuffer(b"".join(map(attrgetter("pairs"), items)),
                              dtype=Answers.dtype())
        return pairs[0::2].copy(), pairs[1::2].copy()  # writable, each its own
    pairs = np.fromiter(chain.from_iterable(map(methodcaller("items"), items)),
                        dtype=np.dtype((np.int64, 2)), count=total)
    return pairs[:, 0].copy(), pairs[:, 1].copy()


def narrowed(questions: np.ndarray, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Questions and codes as int16 when every one fits (as Answers keeps them), else
    both as int64 (WideAnswers')."""
    ends = [int(x) for a in (questions, codes) if len(a) for x in (a.min(), a.max())]
    kind = Answers if fits_16_bits(ends) else WideAnswers
    return questions.astype(kind.dtype(), copy=False), codes.astype(kind.dtype(), copy=False)


def sheet_people(survey: str, version: str, prefix: str, file: str, sheet: str | None,
                 year: list[int], ids: list[str | None], groups: list[str | None],
                 genders: list[int | None], row: list[int], counts: np.ndarray,
                 questions: np.ndarray, codes: np.ndarray, no_answers: list[Mapping[int, str]],
                 blanks: list[int], forbunds: list[str | None]) -> People:
    """The People of one sheet: what all its respondents share once, the rest as given."""
    m = len(row)

    def same(value: object) -> list:
        return list(repeat(value, m))

    return People(same(survey), same(version), np.array(year, dtype=np.int64), same(prefix),
                  ids, groups, genders, same(file), same(sheet), np.array(row, dtype=np.int64),
                  np.ones(m, dtype=np.int64), counts.astype(np.int64),
                  *narrowed(questions, codes), no_answers, np.array(blanks, dtype=np.int64),
                  np.full(m, -1, dtype=np.int64), forbunds)
