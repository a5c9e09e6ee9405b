"""sammanfattning.md: every number in the text is a number of a table in the pack."""

import math
import re

import pandas as pd
import pytest

from indikator import words
from indikator.input.example import bundled_folder
from indikator.output.pack import PackOptions, build_pack

GOALS = """
[[goal]]
name = "Nytta"
survey = "deltagare_avslut"
questions = [1, 2]
at_least = 75

[[goal]]
name = "Medel"
survey = "deltagare_avslut"
questions = [5]
measure = "mean"
at_least = 3.0
"""


def whole(v):
    return math.floor(v + 0.5)


@pytest.fixture(scope="module")
def pack(tmp_path_factory, catalog):
    folder = tmp_path_factory.mktemp("text")
    goals = folder / "mal.toml"
    goals.write_text(GOALS, encoding="utf-8")
    rates = folder / "svarsfrekvens.csv"
    rates.write_text("Enkät;År;Insats;Tillfrågade;Tackat nej\nDeltagare pågående;2025;;90;"
                     "12\n", encoding="utf-8")
    return build_pack([bundled_folder()], folder / "p", catalog,
                      PackOptions(formats=(), goals=goals, response_rates=rates))


def table_numbers(out) -> set[str]:
    """Every number of every CSV, as the text may write it: whole, or with one decimal."""
    found = set()
    for path in out.glob("*.csv"):
        frame = pd.read_csv(path)
        for column in frame.columns:
            for value in frame[column].dropna():
                if isinstance(value, int | float) and not isinstance(value, bool):
                    found.add(str(whole(value)))
                    found.add(f"{value:.1f}".replace(".", ","))
                elif isinstance(value, str):
                    found |= set(re.findall(r"\d+(?:,\d+)?", value))
    return found


def test_every_number_in_the_text_is_in_a_table(pack):
    text = (pack.out / "sammanfattning.md").read_text(encoding="utf-8")
    numbers = set(re.findall(r"\d+(?:,\d+)?", text))
    assert len(numbers) > 30
    missing = numbers - table_numbers(pack.out)
    assert not missing, missing


def test_the_text_claims_no_more_than_the_tables(pack):
    text = (pack.out / "sammanfattning.md").read_text(encoding="utf-8")
    changes = pack.changes
    real = changes[changes["group"] == "Alla"]["verdict"].isin([words.IMPROVED, words.WORSENED])
    assert ("säker förbättring" in text or "säkra förbättringar" in text) == bool(real.any())
    assert "ingen säker förändring" in text
    goals = pd.read_csv(pack.out / "mal.csv")
    for row in goals.itertuples(index=False):
        assert f"”{row.name}” är {row.verdict}" in text
    assert "57 av 90 tillfrågade besvarade enkäten" in text and "svarsfrekvens på 63 %" in text
    assert "57 personer besvarade" not in text  # said once, with the number asked
    assert "svarade 93 % ja" in text and "positivt" not in text  # fråga 4 is ja/nej
    assert "ingen tackade nej" in text and "0 tackade nej" not in text  # Beredningsgrupp
    assert "högst på fråga 9" not in text  # two questions are named, not ranked
    assert "Exempeldata" in text or "xempeldata" not in str(pack.marker)
    assert "med 80 % sannolikhet först när den är omkring" in text
    assert "det svåraste utgångsläget" in text
    assert "slumpen" not in text


def test_trends_from_several_earlier_packs(tmp_path, catalog):
    """Last years' packs stand in for their raw answers: the same trends and changes."""
    from indikator.input.example import bundled_folder

    folder = bundled_folder()
    y23, y24 = folder / "indikatorer_2023.xlsx", folder / "indikatorer_2024.xlsx"
    y25 = sorted(folder.glob("*_2025.csv"))
    for year, path in ((2023, y23), (2024, y24)):
        build_pack([path], tmp_path / str(year), catalog, PackOptions(formats=()))
    earlier = (tmp_path / "2023" / "distributions.csv", tmp_path / "2024" / "distributions.csv")
    packed = build_pack(y25, tmp_path / "2025", catalog,
                        PackOptions(formats=(), compare=earlier))
    raw = build_pack([y23, y24, *y25], tmp_path / "raw", catalog, PackOptions(formats=()))
    assert set(packed.trends["year"]) == {2023, 2024, 2025}
    pd.testing.assert_frame_equal(packed.trends, raw.trends)
    pd.testing.assert_frame_equal(packed.changes.reset_index(drop=True),
                                  raw.changes.reset_index(drop=True))


def constructed(rows):
    """A pack holding only changes: (question, n, previous_n, detectable_change_pp)."""
    from types import SimpleNamespace

    frame = pd.DataFrame([{"survey": "s", "group": "Alla", "question": q, "n": n,
                           "previous_n": n0, "year": 2025, "previous_year": 2024,
                           "change_pp": 3.0, "verdict": words.NO_CLEAR_CHANGE,
                           "share_positive": 60.0, "previous_share_positive": 57.0,
                           "detectable_change_pp": d} for q, n, n0, d in rows])
    return SimpleNamespace(changes=frame)


def test_the_detectable_change_sentence_is_the_typical_question():
    from indikator.report.paragraphs import change_sentences

    pack = constructed([(1, 55, 48, 34.0), (2, 60, 58, 31.5), (3, 40, 30, 40.0),
                        (4, 12, 9, math.nan)])
    text = " ".join(change_sentences("s", pack))
    assert ("Med 55 och 48 svar upptäcks en förändring från 50 % (det svåraste utgångsläget) "
            "med 80 % sannolikhet först när den är omkring 34 procentenheter; mindre "
            "förändringar kan finnas utan att synas.") in text
    assert "slumpen" not in text and "syns bara" not in text


def test_the_sentence_when_nothing_can_be_detected():
    from indikator.report.paragraphs import change_sentences

    pack = constructed([(1, 20, 20, 47.0), (2, 6, 6, math.nan), (3, 5, 4, math.nan)])
    text = " ".join(change_sentences("s", pack))
    assert ("Med 6 svar båda åren är chansen under 80 % att upptäcka ens en förändring från "
            "50 % till 100 %; bara mycket stora förändringar syns, och andra kan finnas utan "
            "att synas.") in text


# ---- the wording through the cases: none, one, two, many; ja/nej; equal shares ----

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from indikator.report.paragraphs import block_sentence, group_rates_sentence  # noqa: E402


@given(size=st.integers(0, 7), yes_no=st.booleans(),
       values=st.lists(st.floats(0, 100), min_size=7, max_size=7), first=st.integers(1, 5))
def test_a_block_is_said_as_its_size_and_scale_allow(size, yes_no, values, first):
    numbers = list(range(first, first + max(size, 1)))
    shares = dict(zip(numbers[:size], values, strict=False))
    text = block_sentence(numbers, shares, yes_no)
    printed = {q: whole(v) for q, v in shares.items()}
    if size == 0:
        assert text == ""
        return
    assert ("positiva" in text) == (not yes_no)  # a ja/nej question is said as ja
    said = {int(x) for x in re.findall(r"(\d+) %", text)}
    assert said <= set(printed.values())  # every share said is one as printed
    if size <= 2:
        assert "högst" not in text and "lägst" not in text
        assert all(f"fråga {q} " in text for q in shares)
        if yes_no:
            assert f"svarade {printed[numbers[0]]} % ja" in text
        return
    assert f"{numbers[0]}–{numbers[size - 1]}" in text
    if len(set(printed.values())) == 1:
        assert text.endswith(f"{printed[numbers[0]]} % på var och en av dem.")
        assert "högst" not in text
        return
    high = re.search(r"högst på fråga (\d+) \((\d+) %\)", text)
    low = re.search(r"lägst på fråga (\d+) \((\d+) %\)", text)
    assert high and low and high.group(1) != low.group(1)
    assert int(high.group(2)) == max(printed.values()) == printed[int(high.group(1))]
    assert int(low.group(2)) == min(printed.values()) == printed[int(low.group(1))]


@pytest.mark.parametrize("groups, expected", [
    ([], None),
    (["Lots"], "Per insats svarade 6 av 9 i Lots (67 %)."),
    (["Lots", "IRMA"], "Per insats svarade 6 av 9 i Lots (67 %) och 8 av 10 i IRMA (80 %)."),
    (["Lots", "IRMA", "Coachingteam"],
     "Per insats svarade 6 av 9 i Lots (67 %), 8 av 10 i IRMA (80 %) och 27 av 39 i "
     "Coachingteam (69 %)."),
])
def test_the_rate_per_insats_is_said_for_none_one_two_and_many(groups, expected):
    known = {"Lots": (6, 9), "IRMA": (8, 10), "Coachingteam": (27, 39)}
    rows = [("personal", 2025, words.ALL, 41, 58)] + [
        ("personal", 2025, g, *known[g]) for g in groups]
    rates = pd.DataFrame(rows, columns=["survey", "year", "group", "answers", "asked"])
    rates["response_rate"] = 100 * rates["answers"] / rates["asked"]
    said = group_rates_sentence(rates, "personal", 2025)
    assert said == ([] if expected is None else [expected])


def test_a_goal_against_a_hidden_last_year_is_not_called_unmeasured(tmp_path, catalog):
    """Mellan had 4 answers last year (hidden) and 7 this year: its not-below-last-year goal
    is measured this year but cannot be judged, and the text says why; never 'inte mätt'."""
    rows = ["Enkät;År;Insats;F1"]
    for year, groups in ((2024, {"Stor": [6] * 30, "Mellan": [6] * 4}),
                         (2025, {"Stor": [5] * 26, "Mellan": [6] * 7})):
        rows += [f"deltagare_pagaende;{year};{g};{c}" for g, codes in groups.items()
                 for c in codes]
    export = tmp_path / "svar.csv"
    export.write_text("\n".join(rows) + "\n", encoding="utf-8")
    goals = tmp_path / "mal.toml"
    goals.write_text('[[goal]]\nname = "Inte sämre"\nsurvey = "deltagare_pagaende"\n'
                     'group = "Mellan"\nquestions = [1]\nnot_below_previous = true\n',
                     encoding="utf-8")
    pack = build_pack([export], tmp_path / "p", catalog, PackOptions(formats=(), goals=goals))
    row = pack.goals.iloc[0]
    assert row["verdict"] == words.TOO_FEW and pd.isna(row["previous_value"])
    text = (pack.out / "sammanfattning.md").read_text(encoding="utf-8")
    assert "”Inte sämre” (100\u00a0% i år) kan inte bedömas mot förra året: fjolårets" in text
    assert words.NOT_MEASURED not in text
