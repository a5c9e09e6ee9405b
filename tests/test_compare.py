"""Year-over-year statistics checked against scipy, statsmodels and a textbook value."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import confint_proportions_2indep

from indikator.compare import (
    FISHER,
    IMPROVED,
    MWU,
    NO_CLEAR_CHANGE,
    NOT_COMPARABLE,
    TOO_FEW,
    WORSENED,
    compare,
    holm,
    newcombe_interval,
    wilson,
)
from indikator.importing import import_files
from indikator.stats import distributions

EXAMPLE = Path(__file__).resolve().parent.parent / "responses"


@pytest.fixture(scope="module")
def example(catalog):
    imported = import_files(sorted(EXAMPLE.iterdir()), catalog)
    dist = distributions(imported.answers, imported.respondents, catalog)
    return imported, dist, compare(dist.table, dist.table, catalog, hidden=dist.groups)


def test_newcombe_textbook_value():
    # Newcombe (1998), Stat Med 17:873, example (a): 56/70 - 48/80, method 10
    low, high = newcombe_interval(56, 70, 48, 80)
    assert (round(low, 4), round(high, 4)) == (0.0524, 0.3339)


@pytest.mark.parametrize(("x1", "n1", "x2", "n2"),
                         [(5, 12, 9, 11), (0, 7, 3, 9), (10, 10, 4, 8), (13, 24, 13, 24)])
def test_newcombe_matches_statsmodels(x1, n1, x2, n2):
    expected = confint_proportions_2indep(x1, n1, x2, n2, method="newcomb", compare="diff")
    np.testing.assert_allclose(newcombe_interval(x1, n1, x2, n2), expected, atol=1e-12)


def test_wilson_matches_statsmodels():
    from statsmodels.stats.proportion import proportion_confint

    for x, n in [(0, 5), (3, 17), (17, 17)]:
        np.testing.assert_allclose(wilson(x, n), proportion_confint(x, n, method="wilson"))


def raw(imported, survey, year, group, question):
    df = imported.answers
    df = df[(df["survey"] == survey) & (df["year"] == year) & (df["question"] == question)]
    if group != "Alla":
        df = df[df["group"] == group]
    return df["code"].to_numpy()


def test_tests_from_counts_equal_scipy_on_raw_rows(example, catalog):
    imported, _, changes = example
    tested = changes[changes["p_value"].notna()]
    assert {MWU, FISHER} == set(tested["test"])
    for row in tested.itertuples(index=False):
        now = raw(imported, row.survey, row.year, row.group, row.question)
        before = raw(imported, row.survey, row.previous_year, row.group, row.question)
        assert (len(now), len(before)) == (row.n, row.previous_n)
        if row.test == MWU:
            result = stats.mannwhitneyu(now, before, alternative="two-sided")
            rbc = 2 * result.statistic / (len(now) * len(before)) - 1
            assert row.p_value == pytest.approx(result.pvalue, rel=1e-9)
            assert row.effect_size == pytest.approx(rbc, rel=1e-9)
            assert row.mean == pytest.approx(now.mean())
            assert row.previous_mean == pytest.approx(before.mean())
        else:  # ja/nej: code 1 = Ja
            table = [[(now == 1).sum(), (now == 2).sum()],
                     [(before == 1).sum(), (before == 2).sum()]]
            assert row.p_value == pytest.approx(stats.fisher_exact(table).pvalue, rel=1e-9)
            assert row.effect_size == pytest.approx((now == 1).mean() - (before == 1).mean())
            assert np.isnan(row.mean)
        positive = [4, 5, 6] if row.scale != "ja_nej" else [1]
        assert row.share_positive == pytest.approx(100 * np.isin(now, positive).mean())
        assert row.change_pp == pytest.approx(
            100 * (np.isin(now, positive).mean() - np.isin(before, positive).mean()))


def test_holm_within_each_survey_and_year_pair(example):
    _, _, changes = example
    for _, part in changes.groupby(["survey", "year", "previous_year"]):
        tested = part[part["p_value"].notna()]
        expected = multipletests(tested["p_value"], method="holm")[1]
        np.testing.assert_allclose(tested["p_adjusted"], expected)
    assert holm(pd.Series([0.01, np.nan, 0.04])).isna().tolist() == [False, True, False]


def counts_table(survey_counts):
    """A distribution table from {(year, group, question): counts per code}."""
    rows = []
    texts = {1: "Har ni strukturer för att initiera, upprätthålla och underhålla relationer "
                "mellan inblandade aktörer?"}
    for (year, group, question), counts in survey_counts.items():
        n = sum(counts)
        for code, count in enumerate(counts, start=1):
            text = texts.get(question, f"Fråga {question}")
            percent = 100 * count / n if n else np.nan
            rows.append(("styrelse", year, group, question, text, "omfattning", code, f"k{code}",
                         count, n, percent))
    return pd.DataFrame(rows, columns=["survey", "year", "group", "question", "question_text",
                                       "scale", "code", "label", "count", "n", "percent"])


def test_strong_shift_is_found_both_ways(catalog):
    low, high = [8, 6, 4, 1, 1, 0], [0, 1, 1, 4, 6, 8]
    up = compare(counts_table({(2025, "Alla", 1): high, (2024, "Alla", 1): low}),
                 counts_table({}), catalog)
    (row,) = up.itertuples(index=False)
    assert row.verdict == IMPROVED and row.p_adjusted < 0.001 and row.effect_size > 0.7
    assert (row.year, row.previous_year) == (2025, 2024)
    down = compare(counts_table({(2025, "Alla", 1): low, (2024, "Alla", 1): high}),
                   counts_table({}), catalog)
    assert down["verdict"].tolist() == [WORSENED]


def test_identical_distributions_are_not_flagged(catalog):
    same = [2, 3, 4, 5, 3, 3]
    table = counts_table({(2025, "Alla", 1): same, (2024, "Alla", 1): same})
    (row,) = compare(table, table, catalog).itertuples(index=False)
    assert row.verdict == NO_CLEAR_CHANGE
    assert row.p_value == pytest.approx(1.0) and row.change_pp == 0 and row.effect_size == 0


def test_everyone_same_answer_both_years(catalog):
    table = counts_table({(2025, "Alla", 1): [0, 0, 0, 0, 0, 6],
                          (2024, "Alla", 1): [0, 0, 0, 0, 0, 7]})
    (row,) = compare(table, table, catalog).itertuples(index=False)
    assert row.verdict == NO_CLEAR_CHANGE and row.p_value == 1.0


def test_tiny_groups_give_too_few(catalog):
    table = counts_table({(2025, "Alla", 1): [0, 0, 0, 0, 1, 3],
                          (2024, "Alla", 1): [3, 1, 0, 0, 0, 0]})
    (row,) = compare(table, table, catalog, min_n=5).itertuples(index=False)
    assert row.verdict == TOO_FEW and np.isnan(row.p_value)
    assert row.change_pp == pytest.approx(100)  # the shares are still reported


def test_hidden_group_is_too_few(example):
    _, _, changes = example
    lots = changes[(changes["survey"] == "deltagare_pagaende") & (changes["group"] == "Lots")]
    assert len(lots) == 7 and set(lots["verdict"]) == {TOO_FEW}
    assert lots["n"].isna().all()  # the hidden year's size is not given away


def test_changed_text_is_not_comparable(catalog):
    now = counts_table({(2025, "Alla", 1): [1, 1, 1, 1, 1, 1]})
    before = counts_table({(2024, "Alla", 1): [1, 1, 1, 1, 1, 1]})
    before["question_text"] = "Har ni en helt annan fråga?"
    (row,) = compare(now, before, catalog).itertuples(index=False)
    assert row.verdict == NOT_COMPARABLE and np.isnan(row.p_value)


def test_latest_year_against_the_one_before(catalog):
    c = [1, 1, 1, 1, 1, 1]
    table = counts_table({(2023, "Alla", 1): c, (2024, "Alla", 1): c, (2025, "Alla", 1): c})
    (row,) = compare(table, table, catalog).itertuples(index=False)
    assert (row.year, row.previous_year) == (2025, 2024)


def test_columns_are_the_contract(example):
    assert list(example[2].columns) == [
        "survey", "group", "question", "question_text", "scale", "year", "previous_year", "n",
        "previous_n", "share_positive", "previous_share_positive", "change_pp", "ci_low_pp",
        "ci_high_pp", "mean", "previous_mean", "test", "p_value", "p_adjusted", "effect_size",
        "verdict"]


def test_example_has_the_planted_improvement(example):
    _, _, changes = example
    coaching = changes[(changes["survey"] == "deltagare_pagaende")
                       & (changes["group"] == "Coachingteam")]
    assert (coaching["verdict"] == IMPROVED).sum() >= 3
    styrelse = changes[changes["survey"] == "styrelse"]
    assert set(styrelse["verdict"]) == {NO_CLEAR_CHANGE}
