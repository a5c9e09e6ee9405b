import pytest

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
