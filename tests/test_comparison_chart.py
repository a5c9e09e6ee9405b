"""Comparison charts: two years per question, the change beside each pair."""

import numpy as np
import pandas as pd
import pytest
from conftest import (
    assert_matches_baseline,
    assert_nothing_clipped,
    assert_texts_apart,
    drawn_bars,
    is_outside,
    labels_by_bar,
    middle,
    panel_boxes,
    percent_axis,
    tick_labels,
)

from indikator import words
from indikator.analysis.compare import compare
from indikator.charts import comparison_chart, comparison_specs
from indikator.charts.comparison import change_text
from indikator.numbers import interval

# styrelse, omfattning: question 1 shifts strongly up, 2 stays, 3 drops a little
COUNTS = {
    (2024, 1): [6, 5, 4, 2, 1, 0], (2025, 1): [0, 1, 2, 4, 6, 7],
    (2024, 2): [1, 2, 4, 5, 3, 2], (2025, 2): [1, 2, 4, 5, 3, 2],
    (2024, 3): [0, 1, 3, 6, 5, 3], (2025, 3): [1, 2, 4, 5, 3, 2],
}


def pair_table(catalog, counts_by: dict = COUNTS) -> pd.DataFrame:
    """The distribution rows of the board's questions in two years, from counts per code."""
    rows = []
    questionnaire = catalog.get("styrelse")
    for (year, number), counts in counts_by.items():
        q = questionnaire.question(number)
        n = sum(counts)
        for code, count in enumerate(counts, start=1):
            rows.append(("styrelse", year, "Alla", number, q.text, "omfattning", code,
                         q.scale.label(code), count, n, 100 * count / n))
    return pd.DataFrame(rows, columns=["survey", "year", "group", "question", "question_text",
                                       "scale", "code", "label", "count", "n", "percent"])


@pytest.fixture(scope="module")
def tables(catalog):
    table = pair_table(catalog)
    return table, compare(table, table, catalog)


@pytest.fixture(scope="module")
def spec(tables, catalog):
    (only,) = comparison_specs(*tables, catalog)
    return only


@pytest.fixture(scope="module")
def drawn(spec):
    plot = comparison_chart(spec)
    return plot, plot


def test_spec(spec, tables):
    _, changes = tables
    assert spec.file_stem == "styrelse_2024-2025_alla_fraga1-3"
    assert spec.title == "Styrelse – alla svarande: 2025 jämfört med 2024"
    assert changes["verdict"].tolist() == [words.IMPROVED, words.NO_CLEAR_CHANGE,
                                           words.NO_CLEAR_CHANGE]


def test_pairs_of_bars_top_down(drawn):
    _, fig = drawn
    ticks = sorted(tick_labels(fig, "y"), key=lambda t: t.y)  # top down
    labels = [t.text for t in ticks]
    assert [label for label in labels if label.strip()] == [
        "Fråga 1 · 2024 (n=18)", "Fråga 1 · 2025 (n=20)", "Fråga 2 · 2024 (n=17)",
        "Fråga 2 · 2025 (n=17)", "Fråga 3 · 2024 (n=18)", "Fråga 3 · 2025 (n=17)"]
    assert labels[2].strip() == "" and labels[5].strip() == ""  # a gap between the pairs
    bars = sorted(drawn_bars(fig)["y"].unique())
    named = [middle(t.box())[1] for t in ticks if t.text.strip()]
    assert bars == pytest.approx(named)  # each name beside its bar, the gaps empty


def test_each_bar_is_full_and_axis_stops_at_100(drawn):
    _, fig = drawn
    bars = drawn_bars(fig)
    zero, hundred = percent_axis(fig)
    assert bars["y"].nunique() == 6  # two years of three questions
    for _, bar in bars.groupby("y"):
        bar = bar.sort_values("left")
        assert bar["left"].min() == pytest.approx(zero)
        assert bar["right"].max() == pytest.approx(hundred)
        np.testing.assert_allclose(bar["left"].iloc[1:], bar["right"].iloc[:-1])  # no gaps
    assert [t.text for t in tick_labels(fig, "x")] == [
        f"{v} %" for v in range(0, 101, 10)]
    (panel,) = panel_boxes(fig)
    assert panel[2] == pytest.approx(hundred)  # the grid stops at 100 % too


def test_change_beside_each_pair(drawn, tables):
    _, fig = drawn
    marks = {t.text: t for t in fig.texts("change")}
    assert all("p.e." in text for text in marks)
    _, changes = tables
    expected = [change_text(r) for r in changes.itertuples(index=False)]
    assert sorted(marks) == sorted(expected)
    up = expected[0]
    assert up.startswith("▲ +") and marks[up].weight == "bold"
    assert expected[1] == "±0 p.e." and marks[expected[1]].weight == "normal"
    intervals = [t.text for t in fig.texts("interval")]
    assert sorted(intervals) == sorted(f"({interval(r.ci_low_pp, r.ci_high_pp)})"
                                       for r in changes.itertuples(index=False))
    assert expected[2].startswith("−")  # a true minus sign
    _, hundred = percent_axis(fig)
    bars = drawn_bars(fig)
    tops = sorted(bars["top"].unique())  # each pair: this year's bar under last year's
    for i, text in enumerate(expected):  # top down, beside its pair
        mark = marks[text].box()
        assert hundred < mark[0] and mark[2] <= fig.width  # right of the bars, on the page
        assert tops[2 * i] < middle(mark)[1] < bars["bottom"].max()
    assert_texts_apart(fig.texts("change") + fig.texts("interval"))


def test_no_label_for_an_empty_segment(drawn, spec):
    """Both years' bars label every segment with answers and none without (a 0 % with
    its tick above the bar would only crowd the chart)."""
    from indikator.charts.comparison import plot_data
    from indikator.charts.drawing import Line
    from indikator.charts.theme import percent_label

    _, fig = drawn
    bars, _ = plot_data(spec)
    expected: dict[str, list[str]] = {}
    for row in bars.segments:
        if row.count:
            expected.setdefault(row.bar, []).append(percent_label(100 * row.count / row.n))
    assert labels_by_bar(fig) == {bar: sorted(texts) for bar, texts in expected.items()}
    assert sum(s.count == 0 for s in bars.segments) == 3  # the fixture has empty segments
    above = [t for t in fig.texts("label") if is_outside(fig, t)]
    assert len(fig.find(Line, "tick")) == len(above)  # no tick for 0 %


def test_nothing_is_clipped(drawn):
    assert_nothing_clipped(drawn[1])


def test_caption_explains_the_marks(drawn):
    _, fig = drawn
    (caption,) = fig.texts("caption")
    texts = caption.text
    assert "Andel positiva = Till stor del, Till mycket stor del eller Helt och hållet" in texts
    assert "hela felmarginalen ligger över eller under 0" in " ".join(texts.split())
    assert "konfidensintervall" not in texts and "felmarginal" in texts


@pytest.mark.parametrize(
    ("verdict", "change", "text"),
    [(words.WORSENED, -12.6, "▼ −13 p.e."), (words.IMPROVED, 12.5, "▲ +13 p.e."),
     (words.NO_CLEAR_CHANGE, -0.4, "−0,4 p.e."), (words.NO_CLEAR_CHANGE, 3.2, "+3 p.e."),
     (words.NO_CLEAR_CHANGE, 0.0, "±0 p.e."),
     ("för få svar", np.nan, "för få svar"),
     (words.NOT_COMPARABLE, np.nan, words.NOT_COMPARABLE)],
)
def test_change_text(verdict, change, text):
    (row,) = pd.DataFrame({"verdict": [verdict], "change_pp": [change]}).itertuples(index=False)
    assert change_text(row) == text


def test_matches_baseline_image(spec, tmp_path):
    """Rendered at 100 dpi and compared with the committed baseline (small tolerance)."""
    assert_matches_baseline(comparison_chart(spec), "comparison.png", tmp_path)


def test_example_charts_summary_and_table_agree(catalog, tmp_path):
    """Every verdict mark on every comparison chart of the example, every summary line and
    every changes.csv row say the same thing, and follow from the printed interval."""
    from indikator.analysis.compare import IMPROVED, REAL_CHANGES, WORSENED
    from indikator.charts.comparison import plot_data
    from indikator.input.example import bundled_folder
    from indikator.numbers import pp
    from indikator.output.pack import PackOptions, build_pack
    from indikator.report.summary import pack_summary

    pack = build_pack([bundled_folder()], tmp_path / "p", catalog,
                      PackOptions(formats=()), summary=lambda p: pack_summary(p, catalog))
    changes = pack.changes
    assert ((changes["verdict"] == IMPROVED) == (changes["ci_low_pp"] > 0)).all()
    assert ((changes["verdict"] == WORSENED) == (changes["ci_high_pp"] < 0)).all()
    specs = comparison_specs(pack.distributions.table, changes, catalog)
    seen = 0
    for spec in specs:
        _, marks = plot_data(spec)
        for mark, row in zip(marks, spec.changes.itertuples(index=False), strict=True):
            real = row.verdict in REAL_CHANGES
            assert mark.label.startswith(("▲", "▼")) == real
            if pd.isna(row.change_pp):
                assert mark.label in ("för få svar", words.NOT_COMPARABLE) and mark.interval == ""
                continue
            low, high = (float(x.replace("−", "-").replace(",", "."))
                         for x in mark.interval.strip("()").split(" till "))
            assert real == (low > 0 or high < 0)  # as a reader sees it, rounded
            seen += 1
    assert seen > 50
    real = changes[changes["verdict"].isin(REAL_CHANGES)]
    lines = [x for x in pack.summary.splitlines()
             if f": {words.IMPROVED};" in x or f": {words.WORSENED};" in x]
    assert len(lines) == len(real) > 0
    for line, row in zip(lines, real.itertuples(index=False), strict=True):
        assert f"fråga {row.question} (" in line  # the question is named with its text
        assert f"({pp(row.change_pp)} p.e.," in line
        assert f"felmarginal {interval(row.ci_low_pp, row.ci_high_pp)})" in line
    assert "frågor jämförda, varav" in pack.summary and "som inte jämförs" in pack.summary


def test_too_few_gets_no_change_figure(catalog):
    counts = {(2024, 1): [6, 5, 4, 2, 1, 0], (2025, 1): [0, 1, 2, 4, 6, 7],
              (2024, 2): [0, 0, 1, 1, 2, 0], (2025, 2): [1, 2, 4, 5, 3, 2]}
    rows = []
    questionnaire = catalog.get("styrelse")
    for (year, number), c in counts.items():
        q = questionnaire.question(number)
        for code, count in enumerate(c, start=1):
            rows.append(("styrelse", year, "Alla", number, q.text, "omfattning", code,
                         q.scale.label(code), count, sum(c), 100 * count / sum(c)))
    table = pd.DataFrame(rows, columns=["survey", "year", "group", "question", "question_text",
                                        "scale", "code", "label", "count", "n", "percent"])
    changes = compare(table, table, catalog, min_n=5)
    (spec,) = comparison_specs(table, changes, catalog)
    from indikator.charts.comparison import plot_data

    _, marks = plot_data(spec)
    labels = [m.label for m in marks]
    assert labels[1] == "för få svar"  # n = 4 in 2024: no "+35 p.e."
    assert not any("p.e." in x for x in labels[1:])
    assert pd.isna(changes.iloc[1]["family_size"])  # not tested, not in the family


def test_marked_chart_is_not_clipped(spec):
    from dataclasses import replace

    marked = replace(spec, marker="Exempeldata – påhittat förbund")
    assert marked.subtitle.splitlines()[0] == "EXEMPELDATA – PÅHITTAT FÖRBUND"
    fig = comparison_chart(marked)
    assert fig.texts("subtitle")[0].lines[0] == "EXEMPELDATA – PÅHITTAT FÖRBUND"
    assert_nothing_clipped(fig)
