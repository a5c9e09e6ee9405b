"""A respondent's answers as bytes (importing/answers.py) read as the dict they replace:
the same questions in the same order, the same codes as plain ints, equal to the dict
(order aside, as dicts compare), and made alike one by one and a sheet at a time."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from indikator.importing.answers import NO_LABELS, Answers, WideAnswers

NUMBERS = st.one_of(st.integers(1, 40), st.integers(1, 2**62))
CODES = st.one_of(st.integers(0, 10), st.integers(-(2**62), 2**62))


@given(st.dictionaries(NUMBERS, CODES, max_size=15))
def test_answers_read_as_their_dict(given_answers):
    answers = Answers.of(given_answers)
    assert list(answers) == list(given_answers)
    assert list(answers.items()) == list(given_answers.items())
    assert list(answers.values()) == list(given_answers.values())
    assert len(answers) == len(given_answers)
    assert answers == given_answers and given_answers == answers
    assert answers == Answers.of(dict(reversed(given_answers.items())))  # order aside
    assert repr(answers) == repr(given_answers)
    for number, code in given_answers.items():
        assert number in answers and answers[number] == code
        assert type(answers[number]) is int
    assert 0 not in answers
    assert bool(answers) == bool(given_answers)
    small = all(-(2**15) <= x < 2**15 for pair in given_answers.items() for x in pair)
    assert type(answers) is (Answers if small else WideAnswers)


def test_answers_differ_as_dicts_do():
    assert Answers.of({1: 2, 3: 4}) != Answers.of({1: 2, 3: 5})
    assert Answers.of({1: 2}) != {1: 2, 3: 4}
    assert Answers.of({}) == {} == NO_LABELS


def test_a_row_per_answer_in_16_bits_where_every_number_fits(tmp_path):
    """The answers table's year, question and code are int16 (a quarter of int64), and
    int64 where a number does not fit: no answer is ever cut to 16 bits."""
    from indikator.importing import _narrow, import_files
    from indikator.importing.people import coded_pairs as _coded
    from indikator.questionnaires import load_catalog

    path = tmp_path / "deltagare_avslut.csv"
    catalog = load_catalog()
    first = catalog.get("deltagare_avslut", 2025).questions[0]
    path.write_text(f"{first.text}\n1\n2\n", encoding="utf-8")
    for year, kind in ((2025, np.int16), (40_000, np.int64)):
        answers = import_files([path], catalog, year=year).answers
        assert answers["year"].dtype == kind and set(answers["year"]) == {year}
        assert answers["question"].dtype == np.int16 and answers["code"].dtype == np.int16
        assert answers["code"].tolist() == [1, 2]
    assert _narrow(np.array([1, 2**15], dtype=np.int64)).dtype == np.int64
    assert _narrow(np.array([-(2**15), 2**15 - 1], dtype=np.int64)).dtype == np.int16
    questions, codes = _coded([Answers.of({1: 2}), Answers.of({40_000: 3, 2: 70_000})], 3)
    assert (questions.dtype, codes.dtype) == (np.int64, np.int64)
    assert (questions.tolist(), codes.tolist()) == ([1, 40_000, 2], [2, 3, 70_000])
    questions, codes = _coded([Answers.of({1: 2}), Answers.of({3: 4, 5: 6})], 3)
    assert (questions.tolist(), codes.tolist()) == ([1, 3, 5], [2, 4, 6])
    assert questions.flags.writeable and codes.flags.writeable
