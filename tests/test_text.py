import pytest

from indikator import words
from indikator.text import compact, fold, slug, split_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Får du stöd på ett sätt som är till stor nytta för dig?",
         "far du stod pa ett satt som ar till stor nytta for dig"),
        ("  FÅR   du STÖD?? ", "far du stod"),
        ("FÃ¥r du stÃ¶d", "far du stod"),  # UTF-8 read as Windows-1252
        ("näringsliv/civilsamhälle", "naringsliv civilsamhalle"),
    ],
)
def test_fold(text, expected):
    assert fold(text) == expected


def test_compact_and_slug():
    assert compact("Deltagare, pågående") == "deltagarepagaende"
    assert slug("Personal Coachingteam") == "personal-coachingteam"
    assert slug("Öppen förskola/Råd") == "oppen-forskola-rad"


@pytest.mark.parametrize(
    ("header", "number", "rest"),
    [
        ("Fråga 3. Får stödet ta den tid du behöver?", 3, "Får stödet ta den tid du behöver?"),
        ("Fråga 3", 3, ""),
        ("Fraga 3:", 3, ""),
        ("fråga3", 3, ""),
        ("F3", 3, ""),
        ("F3: Får stödet", 3, "Får stödet"),
        ("Q3", 3, ""),
        ("3", 3, ""),
        ("3. Får stödet", 3, "Får stödet"),
        ("10) Kommer det", 10, "Kommer det"),
        ("Kön", None, "Kön"),
        ("Får stödet ta den tid", None, "Får stödet ta den tid"),
        ("2024", None, "2024"),  # four digits are not a question number
        ("Frekvens", None, "Frekvens"),
    ],
)
def test_split_number(header, number, rest):
    assert split_number(header) == (number, rest)


def test_summary_rounds_shares_half_up_as_the_charts_do(catalog):
    import pandas as pd

    from indikator.report.summary import change_lines

    row = {"survey": "styrelse", "group": "Alla", "question": 1, "question_text": "Fråga",
           "year": 2025, "previous_year": 2024, "previous_share_positive": 12.5,
           "share_positive": 62.5, "change_pp": 50.0, "ci_low_pp": 10.0, "ci_high_pp": 80.0,
           "ci_level": 95.0, "verdict": words.IMPROVED}
    (line,) = [x for x in change_lines(pd.DataFrame([row]), catalog) if "fråga 1" in x]
    assert "13 % → 63 %" in line  # Python's format would round half to even: 12 and 62


@pytest.mark.parametrize("text, expected", [
    ("4,2–4,8", "4,2–\u20604,8"), ("+1 till +50", "+1 till +50"), ("−24–+61", "−24–\u2060+61"),
    ("Fråga 1–3", "Fråga 1–\u20603"), ("a – b", "a – b"), ("2024-2025", "2024-\u20602025"),
])
def test_a_range_of_numbers_is_kept_on_one_line(text, expected):
    from indikator.text import unbroken_ranges

    assert unbroken_ranges(text) == expected


def test_a_percent_stays_with_its_number():
    from indikator.text import keep_numbers

    assert keep_numbers("högst på fråga 3 (73 %) och 4,2–4,8") == (
        "högst på fråga 3 (73\u00a0%) och 4,2–\u20604,8")
    assert keep_numbers("Fråga 1 %x") == "Fråga 1\u00a0%x" and keep_numbers("a %") == "a %"
