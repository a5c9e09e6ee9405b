"""Who is one person: a svars-id inside one export, and an export given twice.

Every export tool numbers its respondents R001, R002 … in every export it makes, so a
svars-id names a person only inside one export, and only together with the förbund,
the survey and the year: (förbund, enkät, år, svars-id) within one sheet. The same key
twice in one sheet is one person listed twice (same answers: counted once, with a
warning) or a mistake (other answers: an error). Ids in two sheets or files are never
compared: two förbund, two insatser or two exports of one förbund may all have an R001.

What can be counted twice across sheets is an export itself: the same file under two
names, the same rows pasted into another workbook, a cumulative export (January to
December) beside an earlier one (January to June). Such rows are counted once, with a
`duplicate-export` warning that names both places by row numbers (never a cell):

* a file with exactly the same bytes as an earlier one (a blake2b digest) is a copy,
  always, whatever it holds;
* a run of consecutive respondents equal to a run of an earlier sheet, in the same
  order, is the same export when chance cannot explain it. Equal means everything a
  respondent is: svars-id (or none), answers, "vet ej" answers, insats, kön, year,
  survey and förbund.

Chance matters: on a survey of three questions most people answer alike, and two exports
that both number from R001 put equal ids side by side, so equal rows, even a few equal
rows in a row, happen between different people. A run is taken as the same export only
when the expected number of equally unlikely runs arising by chance is below SURE:

    n_a · n_b · Π p_i  <  SURE = 1e-6

n_a and n_b are the two sheets' numbers of respondents (every pair of starting points),
p_i the share of run row i's content (everything but the svars-id, which says nothing
across exports) among the respondents of both sheets. A row with the same content as the
row before it in the run adds nothing (p_i = 1): a block of alike answers (a group filling in paper
forms together, typed in one after another) never makes a run sure. If respondents are
independent of one another, the product is a martingale bound (Ville's inequality): the
chance that any of the n_a · n_b starting points gives a run that unlikely is at most
the expression. 1e-6 rather than, say, 1e-3 leaves room for what the model ignores
(shares estimated from small sheets; people answering alike in the order they answered):
dropping real people is the worse mistake, and a near miss is still warned about. In
numbers: 8 board members who answered 3 questions each their own way, pasted twice:
64 · (2/16)^8 ≈ 4e-6, warned; 9 of them: 81 · (2/18)^9 ≈ 2e-7, counted once.

Unsure cases are warned about as `same-rows` and counted: a run below UNSURE (0.05) but
not below SURE; or, with ids, many rows sharing id and answers in another order (an
export sorted anew), far more than equal answers under the same ids would give by
chance. Two different people with the same answers give neither.

Speed: rows are interned to integers; for each pair of sheets of one survey every
starting row gets the shortest run ("gram") that would reach UNSURE, hashed with a
polynomial hash over the rows (numpy, mod 2^64); equal grams of the two sheets are found
by sorting, grouped by diagonal into runs and checked cell for cell. No loop over pairs
of rows: linear in the rows, plus the runs found.
"""

from __future__ import annotations

import hashlib
import math
import os
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from indikator.errors import IndikatorError, Location, Problem
from indikator.importing.coding import Respondent
from indikator.importing.model import SheetReport
from indikator.importing.people import People
from indikator.text import forbund_key

SURE = 1e-6  # expected chance runs below which a run is the same export: counted once
UNSURE = 0.05  # ... below which (and not SURE) the run is warned about (same-rows)
SCALE = 1024  # information in 1/1024 nats, as integers: sums equal in both sheets
_B = 0x9E3779B97F4A7C15  # odd: invertible mod 2^64
_B_INVERSE = pow(_B, -1, 2**64)
_LENGTH_MIX = np.uint64(0xD6E8FEB86659FD93)


def set_aside_duplicates(people: People, reports: list[SheetReport], files: list[Path],
                         problems: list[Problem]
                         ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Which of `people` are kept, duplicates counted once, and conflicting ones (errors),
    as three boolean masks.

    files: each report's file (by report index, as People.source). Respondent objects
    are made only for the sheets compared with another and for the svars-ids a sheet
    holds more than once.
    """
    source = people.source
    starts = np.flatnonzero(np.r_[True, source[1:] != source[:-1]]).tolist() \
        if len(source) else []
    spans = {int(source[k]): (k, stop) for k, stop in
             zip(starts, [*starts[1:], len(source)][:len(starts)], strict=True)}  # by sheet
    repeated = np.zeros(len(people), dtype=bool)
    copies = _copied_files(files, problems)
    for s in copies:
        if s in spans:
            repeated[slice(*spans[s])] = True
    compared = _compared(people, spans, copies)
    if compared:
        by_source = {s: people.respondents(range(*spans[s])) for s in compared}
        marks = {s: repeated[slice(*spans[s])] for s in by_source}  # views: marked in place
        _same_exports(by_source, reports, copies, marks, problems)
        del by_source
    first = ~repeated
    listed_twice, conflicting = _drop_duplicate_ids(people, first, problems)
    return first & ~listed_twice & ~conflicting, repeated | listed_twice, conflicting


def _compared(people: People, spans: dict[int, tuple[int, int]], skip: set[int]
              ) -> list[int]:
    """The sheets that share a survey with another one (not a copied file's): only their
    runs of respondents can repeat another sheet's."""
    surveys = {s: set(people.survey[start:stop]) for s, (start, stop) in spans.items()
               if s not in skip}
    return [s for s in sorted(surveys)
            if any(t != s and surveys[s] & surveys[t] for t in surveys)]


def _drop_duplicate_ids(people: People, first: np.ndarray, problems: list[Problem]
                        ) -> tuple[np.ndarray, np.ndarray]:
    """The same (förbund, survey, year, svars-id) twice in one sheet: once if identical,
    else an error. Ids of other sheets and files are other people's. Only respondents
    whose key is not alone among `first` are looked at, in order.

    Returns (duplicates set aside, conflicting ones: errors) as masks.
    """
    n = len(people)
    twice, conflicting = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    ids = np.array(people.id, dtype=object)
    with_id = first & np.array([i is not None for i in people.id], dtype=bool)
    if not with_id.any():
        return twice, conflicting
    forbunds = np.array(people.forbund, dtype=object)
    keys = np.zeros(n, dtype=np.int64)
    for column in (_factorized(people.source), _factorized(forbunds, _forbund), _factorized(
            np.array(people.survey, dtype=object)), _factorized(people.year), _factorized(ids)):
        keys = pd.factorize(keys * (int(column.max(initial=0)) + 2) + column + 1)[0]
    keys = keys[with_id]
    counts = np.bincount(keys)
    picks = np.flatnonzero(with_id)[counts[keys] > 1].tolist()
    earliest: dict[tuple, Respondent] = {}
    for k, r in zip(picks, people.respondents(picks), strict=True):
        key = (r.source, _forbund(r.forbund), r.survey, r.year, r.id)
        if key not in earliest:
            earliest[key] = r
            continue
        earlier = earliest[key]
        where = f"{earlier.file}{', blad ' + repr(earlier.sheet) if earlier.sheet else ''}, " \
                f"rad {earlier.row}"
        location = Location(r.file, r.sheet, r.row)
        if (earlier.answers, earlier.no_answers, earlier.group, earlier.gender) == (
                r.answers, r.no_answers, r.group, r.gender):
            problems.append(Problem(
                "duplicate-respondent", f"Svars-id {r.id} finns redan ({where}) med samma svar; "
                "räknas en gång.", location, severity="warning"))
            twice[k] = True
        else:
            problems.append(Problem(
                "conflicting-respondent", f"Svars-id {r.id} finns redan ({where}) med andra svar; "
                "ta bort den felaktiga raden.", location))
            conflicting[k] = True  # the run stops on the error
    return twice, conflicting


def _factorized(values: np.ndarray, key=None) -> np.ndarray:
    """Each value's number among the distinct values (None: -1), keyed by key(value)."""
    numbers, distinct = pd.factorize(values)
    if key is None or not len(distinct):
        return numbers
    keyed = pd.factorize(np.array([key(v) for v in distinct], dtype=object))[0]
    return np.where(numbers < 0, -1, keyed[numbers])


# ---- the same file twice ----

def _copied_files(files: list[Path], problems: list[Problem]) -> set[int]:
    """Report indices of the sheets of files byte for byte equal to an earlier file.

    Only files of equal size are read again (a digest of each); a file that cannot be
    read again is left alone (its reading already succeeded or failed with a reason)."""
    sheets_of: dict[Path, list[int]] = {}
    for index, path in enumerate(files):
        sheets_of.setdefault(Path(path), []).append(index)
    if len(sheets_of) < 2:
        return set()
    sizes: dict[int, int] = {}
    size_of: dict[Path, int] = {}
    for path in sheets_of:
        try:
            size_of[path] = os.stat(path).st_size
        except OSError:
            continue
        sizes[size_of[path]] = sizes.get(size_of[path], 0) + 1
    original_of: dict[bytes, Path] = {}
    copies: set[int] = set()
    for path in sheets_of:
        if sizes.get(size_of.get(path, -1), 0) < 2:
            continue
        digest = _digest(path)
        if digest is None:
            continue
        original = original_of.setdefault(digest, path)
        if original is path:
            continue
        copies.update(sheets_of[path])
        names = (f"{path.parent.name}/{path.name}", f"{original.parent.name}/{original.name}")
        problems.append(Problem(
            "duplicate-export", f"{names[0]} har exakt samma innehåll som {names[1]} (samma "
            f"fil två gånger); svaren i {names[0]} räknas inte en gång till.",
            Location(path.name), severity="warning"))
    return copies


def _digest(path: Path) -> bytes | None:
    from indikator.reading.guards import read_regular_file

    try:
        return hashlib.blake2b(read_regular_file(path)).digest()
    except (IndikatorError, OSError):
        return None


# ---- the same rows again ----

@dataclass
class _Rows:
    """A sheet's respondents as integers, for comparing with another sheet."""

    people: list[Respondent]
    rows: np.ndarray | None  # svars-id and content as one number
    contents: np.ndarray  # content (all but the svars-id), interned
    persons: np.ndarray | None  # svars-id, interned; -1 without


@dataclass
class _Run:
    i: int  # first respondent of the run in the earlier sheet (0-based position)
    j: int  # ... in the later sheet
    length: int
    expected: float  # n_a · n_b · Π p_i


def _same_exports(by_source: dict[int, list[Respondent]], reports: list[SheetReport],
                  skip: set[int], repeated: dict[int, np.ndarray],
                  problems: list[Problem]) -> None:
    """Mark the respondents of a later sheet that repeat a run of an earlier one."""
    sources = [s for s in sorted(by_source) if s not in skip]
    surveys = {s: {r.survey for r in by_source[s]} for s in sources}
    pairs = [(a, b) for k, b in enumerate(sources) for a in sources[:k]
             if surveys[a] & surveys[b]]
    if not pairs:
        return
    rows = _intern({s: by_source[s] for s in sorted({s for pair in pairs for s in pair})},
                   reports)
    for a, b in pairs:
        runs = _equal_runs(rows[a], rows[b])
        sure, count = [], 0  # runs that set rows aside not set aside before; how many
        for run in runs:
            if run.expected < SURE and (new := run.length - int(
                    repeated[b][run.j:run.j + run.length].sum())):
                repeated[b][run.j:run.j + run.length] = True
                sure.append(run)
                count += new
        if sure:
            problems.append(_repeated_problem(reports[a], reports[b], rows[a], rows[b], sure,
                                              count))
        if any(run.expected < SURE for run in runs):
            continue  # the same export (here, or already through an earlier sheet)
        if unsure := [run for run in runs if run.expected < UNSURE]:
            run = max(unsure, key=lambda r: r.length)
            problems.append(Problem(
                "same-rows", f"{reports[b].label} har {run.length} svarande i följd "
                f"({_rows(rows[b].people, run.j, run.length)}) med samma svar i samma "
                f"ordning som {reports[a].label} ({_rows(rows[a].people, run.i, run.length)}). "
                "Är det samma export två gånger? Då räknas svaren dubbelt; ta bort den ena. "
                "(För få rader för att vara säker: olika personer kan svara lika, så de "
                "räknas båda.)", Location(reports[b].file, reports[b].sheet,
                                           rows[b].people[run.j].row), severity="warning"))
        elif shared := _reordered(rows[a], rows[b]):
            problems.append(Problem(
                "same-rows", f"{reports[a].label} och {reports[b].label} har {shared} rader "
                "med samma svars-id och samma svar, i en annan ordning. Är det samma export "
                "två gånger, sorterad på olika sätt? Då räknas svaren dubbelt; ta bort den "
                "ena.", Location(reports[b].file, reports[b].sheet), severity="warning"))


def _repeated_problem(a: SheetReport, b: SheetReport, rows_a: _Rows, rows_b: _Rows,
                      runs: list[_Run], count: int) -> Problem:
    runs = sorted(runs, key=lambda r: r.j)
    more = f" och {len(runs) - 3} följder till" if len(runs) > 3 else ""
    here = ", ".join(_rows(rows_b.people, run.j, run.length) for run in runs[:3]) + more
    there = ", ".join(_rows(rows_a.people, run.i, run.length) for run in runs[:3]) + more
    return Problem(
        "duplicate-export", f"{count} svarande i {b.label} ({here}) finns redan i {a.label} "
        f"({there}), i samma ordning och med samma svar: samma export två gånger. De räknas "
        "en gång.", Location(b.file, b.sheet, rows_b.people[runs[0].j].row),
        severity="warning")


def _rows(people: list[Respondent], start: int, length: int) -> str:
    """'rad 5–104': the Excel rows of respondents start … start + length - 1."""
    first, last = people[start].row, people[start + length - 1].row
    return f"rad {first}" if first == last else f"rad {first}–{last}"


def _intern(groups: dict[int, list[Respondent]], reports: list[SheetReport]
            ) -> dict[int, _Rows]:
    contents: dict[tuple, int] = {}
    out = {}
    for source, people in groups.items():
        # a wide sheet whose question columns run 1, 2, 3 … codes answers in that order;
        # other sheets' answers are sorted, so that column order does not matter
        numbers = [c.question for c in reports[source].columns if c.role == "question"]
        ordered = reports[source].layout == "wide" and numbers == sorted(numbers)
        keys = [(_forbund(r.forbund), r.survey, r.year, r.group, r.gender, tuple(r.answers),
                 tuple(r.answers.values()), tuple(r.no_answers.items()) if r.no_answers
                 else ()) for r in (people if ordered else map(_sorted, people))]
        number = contents.setdefault
        cids = [number(key, len(contents)) for key in keys]
        out[source] = _Rows(people, None, np.array(cids, dtype=np.int64), None)
    # svars-id as numbers (-1: none), the same number for the same id in every sheet
    persons = pd.factorize(np.array([r.id for people in groups.values() for r in people],
                                    dtype=object))[0].astype(np.int64)
    start = 0
    for rows in out.values():
        rows.persons = persons[start:start + len(rows.people)]
        start += len(rows.people)
        rows.rows = (rows.persons + 1) * len(contents) + rows.contents  # id and content
    return out


def _sorted(r: Respondent) -> Respondent:
    """A stand-in for r with its answers in the order of the questions."""
    return replace(r, answers=dict(sorted(r.answers.items())),
                   no_answers=dict(sorted(r.no_answers.items())))


def _equal_runs(a: _Rows, b: _Rows) -> list[_Run]:
    """Every maximal run of b equal to a run of a whose chance expectation is below
    UNSURE, with that expectation."""
    na, nb = len(a.rows), len(b.rows)
    both = np.concatenate([a.contents, b.contents])
    counts = np.bincount(both)  # contents are numbered 0, 1, 2 … across all sheets
    with np.errstate(divide="ignore"):  # contents of neither sheet: never looked up
        info = np.floor(-np.log(counts / (na + nb)) * SCALE)[both].astype(np.int64)
    need = math.ceil(math.log(na * nb / UNSURE) * SCALE)
    grams_a, _, _, hashes_a = _grams(a, info[:na], need)
    grams_b, prefix_b, ends_b, hashes_b = _grams(b, info[na:], need)
    if not len(grams_a) or not len(grams_b):
        return []
    is_, js = _nearest_equal_grams(grams_a, hashes_a, grams_b, hashes_b)
    total = len(js)
    if not total:
        return []
    diagonals = js - is_  # already sorted by j; a run is a stretch of one diagonal
    breaks = np.flatnonzero((np.diff(diagonals) != 0) | (np.diff(js) != 1)) + 1
    runs: list[_Run] = []
    info_b = info[na:]
    for start, stop in zip(np.r_[0, breaks], np.r_[breaks, total], strict=True):
        d = int(diagonals[start])
        j0, j1 = int(js[start]), int(js[stop - 1])
        end = int(ends_b[j1])
        if runs and runs[-1].j - runs[-1].i == d and runs[-1].j + runs[-1].length >= j0:
            continue  # inside the run before, already extended over it
        if runs and runs[-1].j + runs[-1].length >= end:
            continue  # a run on another diagonal covers it (a sheet that repeats itself)
        for j, length in _checked(a.rows, b.rows, j0 - d, j0, end - j0):
            length += _extend(a.rows, b.rows, j - d + length, j + length)
            gained = int(info_b[j]) + int(prefix_b[j + length] - prefix_b[j + 1])
            expected = na * nb * math.exp(-gained / SCALE)
            if expected < UNSURE:
                runs.append(_Run(j - d, j, length, expected))
    return runs


def _grams(rows: _Rows, info: np.ndarray, need: int
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """For every row j: the end e of the shortest run j … e-1 whose information reaches
    `need`, and a hash of that run. Returns (rows that have one, prefix sums of the
    information after the first row, every row's end, the hashes)."""
    n = len(info)
    later = info.copy()
    later[1:][rows.contents[1:] == rows.contents[:-1]] = 0  # a repeated content adds nothing
    prefix = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(later, out=prefix[1:])
    # information of j … e-1 = info[j] + prefix[e] - prefix[j + 1]
    ends = np.searchsorted(prefix, need - info + prefix[1:], "left")
    ends = np.maximum(ends, np.arange(1, n + 1))
    starts = np.flatnonzero(ends <= n)
    values = _row_hashes(rows.rows)
    powers, inverse = _powers(n + 1)
    sums = np.zeros(n + 1, dtype=np.uint64)
    np.cumsum(values * powers[:n], out=sums[1:])
    stop = ends[starts]
    hashes = ((sums[stop] - sums[starts]) * inverse[starts]
              + (stop - starts).astype(np.uint64) * _LENGTH_MIX)
    return starts, prefix, ends, hashes


def _nearest_equal_grams(grams_a: np.ndarray, hashes_a: np.ndarray, grams_b: np.ndarray,
                         hashes_b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each gram of b that a holds too: the start of that gram in a nearest to b's
    (the lower one on a tie), and b's start; one pair per row of b, so a sheet that
    repeats itself (a block pasted 100 times over) gives no more pairs than rows, and
    consecutive rows of b keep to one diagonal."""
    groups, rank_a = np.unique(hashes_a, return_inverse=True)
    rank_a = rank_a.ravel()
    rank_b = np.minimum(np.searchsorted(groups, hashes_b), len(groups) - 1)
    present = groups[rank_b] == hashes_b
    js, rank_b = grams_b[present], rank_b[present]
    width = int(max(grams_a.max(initial=0), js.max(initial=0))) + 1
    keys = np.sort(rank_a * width + grams_a)  # by gram, then start in a
    wanted = rank_b * width + js
    after = np.searchsorted(keys, wanted)  # the first start in a at or after j
    below = np.maximum(after - 1, 0)
    above = np.minimum(after, len(keys) - 1)
    below_ok = (after > 0) & (keys[below] // width == rank_b)
    above_ok = (after < len(keys)) & (keys[above] // width == rank_b)
    low, high = keys[below] % width, keys[above] % width
    take_high = above_ok & (~below_ok | (high - js < js - low))
    return np.where(take_high, high, low), js


def _row_hashes(rows: np.ndarray) -> np.ndarray:
    """A fixed pseudo-random 64-bit value per interned row (splitmix64 of its number)."""
    with np.errstate(over="ignore"):
        z = rows.astype(np.uint64) + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """B^t and B^-t mod 2^64 for t < n."""
    powers = np.full(n, _B, dtype=np.uint64)
    powers[0] = 1
    inverse = np.full(n, _B_INVERSE, dtype=np.uint64)
    inverse[0] = 1
    return np.cumprod(powers), np.cumprod(inverse)


def _checked(a: np.ndarray, b: np.ndarray, i: int, j: int, length: int
             ) -> list[tuple[int, int]]:
    """The stretches (start in b, length) where a[i:] and b[j:] really are equal (a hash
    may collide)."""
    equal = a[i:i + length] == b[j:j + length]
    if equal.all():
        return [(j, length)]
    edges = np.flatnonzero(np.diff(np.r_[0, equal.astype(np.int8), 0]))
    return [(j + int(s), int(e - s)) for s, e in zip(edges[::2], edges[1::2], strict=True)]


def _extend(a: np.ndarray, b: np.ndarray, i: int, j: int) -> int:
    """How many rows a[i:] and b[j:] go on being equal (a run's end reaches past its last
    gram only where the sheets end before a gram would)."""
    step, done = 16, 0
    while i + done < len(a) and j + done < len(b):
        stop = min(step, len(a) - i - done, len(b) - j - done)
        differ = np.flatnonzero(a[i + done:i + done + stop] != b[j + done:j + done + stop])
        if len(differ):
            return done + int(differ[0])
        done += stop
        step *= 2
    return done


def _reordered(a: _Rows, b: _Rows) -> int:
    """With svars-id: how many rows of b a holds too (same id, same content) in another
    order, when that is at least half of the smaller sheet and far above what equal
    answers under equal ids give by chance; else 0."""
    with_id_a, with_id_b = a.persons >= 0, b.persons >= 0
    rows_b = b.rows[with_id_b]
    smaller = min(len(a.rows), len(b.rows))
    if len(rows_b) < 3 or not with_id_a.any():
        return 0
    shared = int(np.isin(rows_b, a.rows[with_id_a]).sum())
    if shared < 3 or 2 * shared < smaller:
        return 0
    common = int(np.isin(np.unique(b.persons[with_id_b]), a.persons[with_id_a]).sum())
    counts = np.bincount(np.concatenate([a.contents, b.contents]))
    chance = common * float(((counts / counts.sum()) ** 2).sum())
    return shared if shared > chance + 3 * math.sqrt(chance) + 3 else 0


def _forbund(name: str | None) -> str | None:
    """The förbund a Förbund cell names, as matched ('NORRA' and 'Norra' are one)."""
    return None if name is None else forbund_key(name)
