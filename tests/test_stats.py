import numpy as np
import pandas as pd
import pytest
from conftest import write_xlsx

from indikator.analysis.stats import distributions, group_sizes
from indikator.importing import import_files
from indikator.words import ALL, HIDDEN


@pytest.fixture
def styrelse(tmp_path, catalog):
    """Seven board members; F1 answered by all, F2 by five, F3 by none."""
    rows = [["År", "Insats", "F1", "F2", "F3"],
            [2024, "A", 6, 4, None],
            [2024, "A", 6, None, None],
            [2024, "A", 5, 4, None],
            [2024, "A", 2, 1, None],
            [2024, "A", 6, None, None],
            [2024, "B", 5, 4, None],
            [2024, "B", 1, 6, None]]
    path = write_xlsx(tmp_path / "styrelse.xlsx", {"Blad1": rows})
    return import_files([path], catalog)


def table(dist, group, question):
    t = dist.table
    return t[(t["group"] == group) & (t["question"] == question)]


def test_counts_match_hand_count(styrelse, catalog):
    dist = distributions(styrelse.answers, styrelse.respondents, catalog, min_n=2)
    q1 = table(dist, ALL, 1)
    assert q1["code"].tolist() == [1, 2, 3, 4, 5, 6]
    assert q1["count"].tolist() == [1, 1, 0, 0, 2, 3]  # zeros included
    assert set(q1["n"]) == {7}
    np.testing.assert_allclose(q1["percent"], [100 / 7, 100 / 7, 0, 0, 200 / 7, 300 / 7])
    q2 = table(dist, ALL, 2)
    assert q2["count"].tolist() == [1, 0, 0, 3, 0, 1] and set(q2["n"]) == {5}
    np.testing.assert_allclose(q2["percent"], [20, 0, 0, 60, 0, 20])
    assert q1["label"].tolist() == ["Inte alls", "Till liten del", "Delvis", "Till stor del",
                                    "Till mycket stor del", "Helt och hållet"]


def test_question_nobody_answered(styrelse, catalog):
    dist = distributions(styrelse.answers, styrelse.respondents, catalog, min_n=2)
    assert table(dist, ALL, 3).empty  # no bar, and nothing in distributions.csv
    cell = dist.cells[(dist.cells["group"] == ALL) & (dist.cells["question"] == 3)]
    assert cell["n"].tolist() == [0] and not cell["shown"].any()


def test_groups_by_insats(styrelse, catalog):
    dist = distributions(styrelse.answers, styrelse.respondents, catalog, min_n=2)
    assert table(dist, "A", 1)["count"].tolist() == [0, 1, 0, 0, 1, 3]
    assert table(dist, "B", 1)["count"].tolist() == [1, 0, 0, 0, 1, 0]
    assert table(dist, "B", 2)["n"].iloc[0] == 2


def test_columns_are_the_contract(styrelse, catalog):
    dist = distributions(styrelse.answers, styrelse.respondents, catalog)
    assert list(dist.table.columns) == ["survey", "year", "group", "question", "question_text",
                                        "scale", "code", "label", "count", "n", "percent"]


def test_small_group_is_left_out(styrelse, catalog):
    dist = distributions(styrelse.answers, styrelse.respondents, catalog, min_n=5)
    groups = dist.groups.set_index("group")
    assert groups.loc["B", "shown"] == False  # noqa: E712 (numpy bool)
    # B (2) is hidden; A (5) must be hidden too, or B = Alla - A could be worked out;
    # both with the same reason, so the reasons cannot tell which one was the small one
    assert groups.loc["B", "reason"] == groups.loc["A", "reason"] == HIDDEN
    assert set(dist.table["group"]) == {ALL}


def test_group_sizes_secondary_suppression():
    def respondents(groups):
        return pd.DataFrame({"survey": "s", "year": 2024, "group": groups})

    sizes = group_sizes(respondents(["A"] * 10 + ["B"] * 6 + ["C"] * 2), min_n=5)
    shown = dict(zip(sizes["group"], sizes["shown"], strict=True))
    assert shown == {ALL: True, "A": True, "B": False, "C": False}
    # hidden respondents without an insats count too
    sizes = group_sizes(respondents(["A"] * 10 + ["B"] * 6 + [None] * 2), min_n=5)
    assert dict(zip(sizes["group"], sizes["shown"], strict=True)) == {
        ALL: True, "A": True, "B": False}
    # enough hidden already: nothing more to hide
    sizes = group_sizes(respondents(["A"] * 10 + ["B"] * 3 + ["C"] * 3), min_n=5)
    assert dict(zip(sizes["group"], sizes["shown"], strict=True)) == {
        ALL: True, "A": True, "B": False, "C": False}
    # too few in all: nothing shown
    sizes = group_sizes(respondents(["A"] * 3), min_n=5)
    assert not sizes["shown"].any()

