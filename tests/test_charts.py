"""The charts are drawn and checked: structure of the plot, nothing clipped, and a baseline."""

import itertools

import numpy as np
import pandas as pd
import pytest
from conftest import (
    assert_matches_baseline,
    assert_nothing_clipped,
    assert_texts_apart,
    drawn_bars,
    inside,
    is_outside,
    labels_by_bar,
    middle,
    overlaps,
    panel_boxes,
    percent_axis,
    tick_labels,
)
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from indikator.analysis.stats import distributions
from indikator.charts import chart_specs, stacked_chart
from indikator.charts.drawing import Line
from indikator.charts.stacked import plot_data, question_caption
from indikator.charts.theme import palette, percent_label, text_colour
from indikator.words import ALL

# counts per code for questions 1-3 of deltagare_pagaende (frekvens), hand-made
COUNTS = {1: [1, 2, 3, 4, 5, 9], 2: [0, 0, 2, 8, 6, 4], 3: [3, 0, 0, 0, 1, 0]}


def answers_from_counts(counts_by_question: dict[int, list[int]]) -> pd.DataFrame:
    """Tidy answers of deltagare pågående 2024, Team A: counts per code 1-6 per question
    (respondent r1 answers code 1 first, so questions share their first respondents)."""
    rows = []
    for question, counts in counts_by_question.items():
        respondent = 0
        for code, count in enumerate(counts, start=1):
            for _ in range(count):
                respondent += 1
                rows.append(("deltagare_pagaende", "2019", 2024, f"r{respondent}", "Team A",
                             None, question, code))
    return pd.DataFrame(rows, columns=["survey", "version", "year", "respondent", "group",
                                       "gender", "question", "code"])


@pytest.fixture(scope="module")
def dist(catalog):
    """A distribution with known counts: 24 respondents, Q3 answered by only 4."""
    answers = answers_from_counts(COUNTS)
    respondents = answers.drop_duplicates("respondent")
    return distributions(answers, respondents, catalog)


@pytest.fixture(scope="module")
def spec(dist, catalog):
    return chart_specs(dist, catalog)[0]


@pytest.fixture(scope="module")
def figure(spec):
    """The drawing (charts.drawing.Drawing) of the first chart."""
    return stacked_chart(spec)


def test_one_chart_per_block_and_group(dist, catalog):
    specs = chart_specs(dist, catalog)
    # only questions 1-3 have answers: blocks 4 and 5-7 (n = 0 throughout) get no chart
    assert [(s.group, s.span) for s in specs] == [(ALL, "1-3"), ("Team A", "1-3")]
    assert specs[0].file_stem == "deltagare_pagaende_2024_alla_fraga1-3"
    assert specs[1].file_stem == "deltagare_pagaende_2024_team-a_fraga1-3"
    assert specs[1].title == "Deltagare, pågående 2024 – Team A"


def test_bars_top_to_bottom_with_n(figure):
    names = sorted(tick_labels(figure, "y"), key=lambda t: t.box()[1])  # top down
    # Fråga 3 has 4 answers, under --min-n 5: its place is kept, with no bar and no numbers
    assert [t.text for t in names] == ["Fråga 1 (n=24)", "Fråga 2 (n=20)",
                                       "Fråga 3 (för få svar)"]
    bars = drawn_bars(figure)
    top = bars["y"].min()  # y grows downward: the top bar has the smallest
    first = names[0].box()
    assert first[1] < top < first[3]  # Fråga 1's name stands beside the top bar
    assert first[2] <= bars["left"].min()  # left of the bars
    second = names[1].box()
    assert second[1] < sorted(bars["y"].unique())[1] < second[3]


def test_percent_axis(figure):
    labels = tick_labels(figure, "x")
    assert [t.text for t in labels] == [f"{v} %" for v in range(0, 101, 10)]
    assert all(t.anchor == "middle" for t in labels)
    bars = drawn_bars(figure)
    zero, hundred = bars["left"].min(), bars["right"].max()
    np.testing.assert_allclose([t.x for t in labels],
                               zero + (hundred - zero) * np.arange(0, 101, 10) / 100)
    (panel,) = panel_boxes(figure)
    assert all(t.box()[1] >= panel[3] for t in labels)  # under the bars


def test_segments_in_scale_order_and_full_width(figure):
    drawn = drawn_bars(figure)
    zero, hundred = percent_axis(figure)
    colours = list(palette(6))
    for _, bar in drawn.groupby("y"):
        bar = bar.sort_values("left")
        assert bar["fill"].tolist() == colours  # Aldrig on the left ... Alltid on the right
        assert bar["left"].iloc[0] == pytest.approx(zero)
        assert bar["right"].iloc[-1] == pytest.approx(hundred)
        np.testing.assert_allclose(bar["left"].iloc[1:], bar["right"].iloc[:-1])  # no gaps
    names = {t.text: middle(t.box())[1] for t in tick_labels(figure, "y")}
    ys = sorted(drawn["y"].unique())  # top down
    assert ys == pytest.approx([names["Fråga 1 (n=24)"], names["Fråga 2 (n=20)"]])
    # no segments for the hidden Fråga 3
    hidden = names["Fråga 3 (för få svar)"]
    assert not ((drawn["top"] <= hidden) & (hidden <= drawn["bottom"])).any()
    q1 = drawn[drawn["y"] == ys[0]].sort_values("left")  # the top bar, Fråga 1
    np.testing.assert_allclose((q1["right"] - q1["left"]) / (hundred - zero) * 100,
                               np.array(COUNTS[1]) / 24 * 100)


def test_segment_labels(figure):
    texts = sorted(t.text for t in figure.texts("label") + figure.texts("missing"))
    expected = ["visas inte: för få svar för att skydda de svarandes anonymitet"]
    for question in (1, 2):  # Fråga 3 (n=4) is hidden
        counts = COUNTS[question]
        n = sum(counts)
        expected += [percent_label(100 * c / n) for c in counts if c]  # no 0 % label
    assert texts == sorted(expected)
    inside = {t.text for t in figure.texts("label") if not is_outside(figure, t)}
    assert "4\u00a0%" not in inside  # 1 of 24 = 4.2 %: too narrow, printed above the bar
    assert "21\u00a0%" in inside
    assert "75\u00a0%" not in texts  # 3 of Fråga 3's 4: never drawn
    assert percent_label(12.5) == "13\u00a0%" and percent_label(0.4999) == "0\u00a0%"


def test_legend_in_scale_order(figure):
    from indikator.charts.drawing import Rect

    labels = ["Aldrig", "Sällan", "Ibland", "Ofta", "För det mesta", "Alltid"]
    found = {t.text: t for t in figure.texts("legend")}
    assert list(found) == labels
    xs = [found[label].box()[0] for label in labels]
    assert xs == sorted(xs)  # one row, left to right in scale order
    rows = {round(found[label].y, 3) for label in labels}
    assert len(rows) == 1
    swatches = figure.find(Rect, "legend")
    assert [s.fill for s in swatches] == list(palette(6))  # each label beside its colour
    for swatch, label in zip(swatches, labels, strict=True):
        box = found[label].box()
        assert swatch.box()[2] <= box[0] and box[0] - swatch.box()[2] < 10
    (panel,) = panel_boxes(figure)
    axis_bottom = max(t.box()[3] for t in tick_labels(figure, "x"))
    assert all(found[label].box()[1] > max(panel[3], axis_bottom) for label in labels)


def test_titles_and_question_texts(figure, spec):
    texts = [t.text for t in figure.texts()]
    assert [t.text for t in figure.texts("title")] == [
        "Deltagare, pågående 2024 – alla svarande"]
    assert [t.text for t in figure.texts("caption")] == [question_caption(spec.questions)]
    assert "Deltagare, pågående 2024 – alla svarande" in texts
    assert any("Frågorna 1–3" in t and "24 svarande" in t for t in texts)
    caption = question_caption(spec.questions)
    assert caption in texts
    for q in spec.questions:
        assert q.text.split()[0] in caption
    assert "Fråga 1: Får du stöd på ett sätt som är till stor nytta för dig?" in caption


def test_nothing_is_clipped(figure):
    assert_nothing_clipped(figure)


def test_long_question_texts_wrap():
    from indikator.questionnaires import load_catalog

    questions = load_catalog().get("beredningsgrupp").questions
    lines = question_caption(questions).splitlines()
    assert max(len(line) for line in lines) <= 120
    assert any(line.startswith("    ") for line in lines)  # hanging indent of a wrapped text


def test_palette_reads_in_grey():
    """Lightness falls steadily from the lowest to the highest category; Ja is the dark one."""
    from matplotlib import colors

    def grey(k):
        return [np.dot(colors.to_rgb(c), [0.299, 0.587, 0.114]) for c in palette(k)]

    six = grey(6)
    assert all(a > b + 0.1 for a, b in itertools.pairwise(six)), six
    ja, nej = grey(2)
    assert nej > ja + 0.3
    assert text_colour(palette(6)[0]) != "white" and text_colour(palette(6)[-1]) == "white"


def test_plot_data_text_colour_contrast(spec, figure):
    from indikator.charts.drawing import Rect

    dark = [s for s in plot_data(spec).segments if s.category == "Alltid"]
    assert dark and {s.text_colour for s in dark} == {"white"}
    # as drawn: each label on a segment in the colour that reads on that segment's fill
    segments = figure.find(Rect, "bars")
    colours = set()
    for label in figure.texts("label"):
        under = [r for r in segments if inside(label.box(), r.box())]
        if under:
            assert label.colour == text_colour(under[0].fill), label.text
            colours.add(label.colour)
        else:
            assert label.colour != "white", label.text  # above the bar: on white paper
    assert colours == {"white", text_colour(palette(6)[0])}


def test_matches_baseline_image(spec, tmp_path):
    """Rendered at 100 dpi and compared with the committed baseline (small tolerance)."""
    assert_matches_baseline(stacked_chart(spec), "stacked.png", tmp_path)


def test_long_insats_name_wraps_and_is_not_clipped(dist, catalog):
    from dataclasses import replace

    spec = replace(chart_specs(dist, catalog)[1],
                   group="Arbetsmarknadsinriktad rehabilitering för unga vuxna i Norra distriktet")
    assert spec.extra_title_lines == 1
    fig = stacked_chart(spec)
    (title,) = fig.texts("title")
    assert len(title.lines) == 2 and "Norra distriktet" in title.text
    assert_nothing_clipped(fig)
    (subtitle,) = fig.texts("subtitle")
    assert not overlaps(title.box(), subtitle.box())


def test_subtitle_names_the_answers_not_the_scale(spec):
    assert "svarsskala" not in spec.subtitle and "frekvens" not in spec.subtitle
    assert "svarsalternativ från Aldrig till Alltid" in spec.subtitle


def test_caption_says_vet_ej_is_not_in_n(spec):
    caption = question_caption(spec.questions)
    assert '”vet ej” o.d. räknas inte i n' in " ".join(caption.split())


def test_example_marker_on_the_chart(spec):
    from dataclasses import replace

    marked = replace(spec, marker="Exempeldata – påhittat förbund")
    assert marked.subtitle.startswith("EXEMPELDATA – PÅHITTAT FÖRBUND")
    assert "Exempeldata – påhittat förbund." in question_caption(marked.questions,
                                                                 marker=marked.marker)


def test_missing_baseline_fails(spec, tmp_path, monkeypatch):
    from indikator.charts.drawing import Drawing

    monkeypatch.delenv("INDIKATOR_UPDATE_BASELINES", raising=False)
    with pytest.raises(pytest.fail.Exception, match="no baseline"):
        assert_matches_baseline(Drawing(72, 72), "no-such-baseline.png", tmp_path)
    assert not (tmp_path.parent / "baseline" / "no-such-baseline.png").exists()


def test_no_chart_of_the_marked_example_is_clipped(catalog, tmp_path):
    """Every chart the README's first command draws, marked as example data, fits."""
    from indikator.charts import comparison_chart, comparison_specs
    from indikator.input.example import MARKER, bundled_folder
    from indikator.output.pack import PackOptions, build_pack

    pack = build_pack([bundled_folder()], tmp_path / "p", catalog,
                      PackOptions(formats=(), marker=MARKER))
    drawn = [(stacked_chart, s) for s in chart_specs(pack.distributions, catalog, MARKER)]
    drawn += [(comparison_chart, s) for s in comparison_specs(
        pack.distributions.table, pack.changes, catalog, MARKER)]
    assert len(drawn) > 80
    for build, spec in drawn[::3]:  # a third of them, every kind of block and group
        assert_nothing_clipped(build(spec))


def test_trend_table_and_chart_with_a_gap(catalog):
    """Three years; in 2023 team B has too few answers: a gap, not a zero."""
    from indikator.analysis.trends import trend_table
    from indikator.charts.drawing import Circle, Line
    from indikator.charts.trend import segments, trend_chart, trend_specs

    rows, person = [], 0
    counts = {2022: [2, 2, 2, 2, 2, 2], 2023: [1, 0, 0, 1, 1, 0], 2024: [0, 1, 1, 3, 3, 4]}
    for year, per_code in counts.items():
        for code, k in enumerate(per_code, start=1):
            for _ in range(k):
                person += 1
                rows.append(("styrelse", "2019", year, f"r{person}", "B", None, 1, code))
    answers = pd.DataFrame(rows, columns=["survey", "version", "year", "respondent", "group",
                                          "gender", "question", "code"])
    dist = distributions(answers, answers.drop_duplicates("respondent"), catalog, min_n=5)
    trends = trend_table(dist.table, catalog, {"styrelse": {2022, 2023, 2024}})
    b = trends[(trends["group"] == "B") & (trends["question"] == 1)]
    assert b["year"].tolist() == [2022, 2024]  # 2023 (3 answers) is hidden, not zero
    assert b["share_positive"].tolist() == pytest.approx([50.0, 10 / 12 * 100])
    assert b["n"].tolist() == [12, 12]
    (spec,) = [s for s in trend_specs(trends, catalog) if s.group == "B"]
    assert segments(spec.data) == []  # 2022 and 2024 are not joined across the gap
    fig = trend_chart(spec)
    assert "2023" in [t.text for t in tick_labels(fig, "x")]
    assert fig.find(Line, "trend") == []  # no line across the gap
    assert len(fig.find(Circle, "point")) == 2
    assert_nothing_clipped(fig)


# ---- fitting the page: 16 cm wide, no text under 8 pt, every percent readable ----

CROWDED = {1: [0, 0, 1, 0, 0, 30], 2: [1, 1, 1, 1, 1, 20], 3: [2, 0, 1, 0, 3, 0]}


@pytest.fixture(scope="module")
def crowded(catalog):
    """Bars with 0 % and 3-4 % segments side by side, at both ends and in the middle."""
    answers = answers_from_counts(CROWDED)
    dist = distributions(answers, answers.drop_duplicates("respondent"), catalog, min_n=5)
    spec = chart_specs(dist, catalog)[0]
    return spec, stacked_chart(spec)


def test_every_percent_is_printed_but_no_zero(crowded):
    _, fig = crowded
    texts = [t.text for t in fig.texts("label")]
    expected = []
    for counts in CROWDED.values():
        n = sum(counts)
        expected += [percent_label(100 * c / n) for c in counts if c]
    assert sorted(texts) == sorted(expected)  # one label per category with answers
    assert "0\u00a0%" not in texts  # an empty segment: no label, no tick (the table has 0)
    assert len(fig.find(Line, "tick")) == sum(is_outside(fig, t) for t in fig.texts("label"))


def assert_labels_clear(fig, bars: int) -> int:
    """No two labels of the panel overlap each other or a tick; an inside label stays in
    its own segment, and a label above a bar touches no bar and stays over the axis.
    Returns how many labels stand above their bar."""
    from indikator.charts.drawing import Rect

    texts = fig.texts("label")
    assert_texts_apart(texts)
    segments = [r.box() for r in fig.find(Rect, "bars")]
    assert len({round(middle(b)[1], 6) for b in segments}) == bars
    (panel,) = panel_boxes(fig)
    ticks = [line.box() for line in fig.find(Line, "tick")]
    outside = [t for t in texts if is_outside(fig, t)]
    for text in texts:
        box = text.box()
        for tick in ticks:  # a tick under a label stops below its baseline (digits, %)
            assert not overlaps(box, tick) or tick[1] >= text.y, text.text
        if text in outside:
            assert not any(overlaps(box, bar) for bar in segments), text.text
            assert inside(box, panel), text.text  # over the axis, not beside it
        else:  # on one segment, inside it, on no other
            own = [bar for bar in segments if overlaps(box, bar)]
            assert len(own) == 1 and inside(box, own[0]), text.text
    return len(outside)


def test_labels_never_overlap_each_other_or_a_bar(crowded):
    _, fig = crowded
    # 1 + 5 + 0 segments too narrow for their label; the seven empty ones have none
    assert assert_labels_clear(fig, 3) == 6


def test_outside_labels_stay_over_the_axis_and_in_scale_order(crowded):
    from indikator.charts.bars import outside_labels
    from indikator.charts.stacked import plot_data

    spec, _ = crowded
    marks = outside_labels(plot_data(spec))
    assert marks
    for _, part in itertools.groupby(marks, key=lambda m: m.bar):
        part = list(part)
        at = [m.at for m in part]
        assert all(a < b for a, b in itertools.pairwise(at))  # left to right as the categories
        assert min(at) > 0 and max(at) < 100
        assert all(a.centre <= b.centre for a, b in itertools.pairwise(part))


def test_chart_is_16_cm_wide_and_no_text_is_under_8_pt(crowded):
    from indikator.charts.theme import MIN_TEXT_PT

    _, fig = crowded
    assert fig.width / 72 * 2.54 == pytest.approx(16.0)
    sizes = [t.size for t in fig.texts() if t.text.strip()]
    assert min(sizes) >= MIN_TEXT_PT
    assert fig.png(100)[16:24] == (int(fig.width * 100 / 72)).to_bytes(4, "big") + int(
        fig.height * 100 / 72).to_bytes(4, "big")  # the pixels are as wide: 16 cm at 100 dpi


def test_documents_copy_has_no_caption_white_paper_and_the_chart_width(spec, tmp_path):
    """The PDF/Word/HTML copy: the question texts are printed as text beside it, so the
    image stops at the legend; white stays white (a grey box would show on the page)."""
    from PIL import Image

    from indikator.charts.theme import WIDTH_IN
    from indikator.output.files import write_drawing

    plot = stacked_chart(spec)
    write_drawing(plot, tmp_path / "full", ("png",), 100)
    write_drawing(plot, tmp_path / "none", (), 100, doc=tmp_path / "doc.png", doc_dpi=100)
    assert not (tmp_path / "none.png").exists()
    svg = (tmp_path / "doc.svg").read_text(encoding="utf-8")
    (caption,) = plot.texts("caption")
    assert caption.lines[0] not in svg and "Aldrig" in svg  # the vector copy: cut alike
    with Image.open(tmp_path / "full.png") as full, Image.open(tmp_path / "doc.png") as doc:
        assert doc.height < full.height - 60  # the caption's lines are gone
        assert doc.width >= 0.95 * WIDTH_IN * 100  # cropped to the ink, not shrunk
        rgb = doc.convert("RGB")
        assert rgb.getpixel((0, 0)) == rgb.getpixel((doc.width - 1, doc.height - 1)) == (
            255, 255, 255)
        assert doc.mode == "RGBA" and doc.info["dpi"] == pytest.approx((100, 100), abs=0.01)


def test_an_interval_a_rounding_error_inside_its_share_still_draws(catalog):
    """A Wilson interval of a share of 100 % can end at 99.99999999: the error bar is
    then 0 long, not a crash (it stopped the national pack once)."""
    from indikator.charts.frame import error_lengths
    from indikator.charts.side import side_chart

    below, above = error_lengths([100.0, 0.0, 50.0], [80.0, 1e-12, 40.0],
                                 [100 - 1e-9, 20.0, 60.0])
    assert below.tolist() == [20.0, 0.0, 10.0] and above.tolist() == [0.0, 20.0, 10.0]
    spec = side_spec(catalog, [("Förbund A", 100.0, 75.8, 100 - 1e-9),
                               ("Förbund B", 0.0, 1e-12, 24.2)])
    fig = side_chart(spec)
    assert_nothing_clipped(fig)
    names = {t.text: t.box()[1] for t in tick_labels(fig, "y")}
    assert names["A"] < names["B"]  # the common word dropped; in name order, top down


def side_spec(catalog, forbund):
    """Styrelse 2025, its first block, förbund side by side: (name, share, low, high) each,
    the same for every question; the aggregate at 50 %."""
    from indikator.charts.side import SideSpec

    questionnaire = catalog.get("styrelse", 2025)
    block = questionnaire.blocks()[0]
    rows = [("styrelse", 2025, name, q.number, q.text, 12, share, low, high)
            for name, share, low, high in forbund for q in block]
    data = pd.DataFrame(rows, columns=["survey", "year", "forbund", "question",
                                       "question_text", "n", "share_positive", "ci_low",
                                       "ci_high"])
    return SideSpec("styrelse", questionnaire.name, 2025, tuple(block), data,
                    {q.number: 50.0 for q in block})


def test_side_chart_matches_baseline_image(catalog, tmp_path):
    from indikator.charts.side import side_chart

    spec = side_spec(catalog, [("Förbund Alfa", 80.0, 55.0, 93.0),
                               ("Förbund Beta", 40.0, 19.0, 64.0),
                               ("Förbund Gamma", 0.0, 0.0, 24.2)])
    drawing = side_chart(spec)
    assert_nothing_clipped(drawing)
    assert_matches_baseline(drawing, "side.png", tmp_path)


# ---- an empty segment has no label; every other segment has its own ----

def expected_label(count: int, n: int) -> str:
    """What a segment of `count` of `n` answers says, written out independently of the
    chart code: nothing for 0, '<1 %' for a share that rounds to 0, else whole percent."""
    if count == 0:
        return ""
    return "<1\u00a0%" if 100 * count / n < 0.5 else percent_label(100 * count / n)


COUNT = st.one_of(st.just(0), st.integers(1, 4), st.integers(5, 400))


@settings(max_examples=min(40, settings.default.max_examples))
@given(st.lists(st.lists(COUNT, min_size=6, max_size=6).filter(lambda c: sum(c) >= 5),
                min_size=1, max_size=3))
def test_zero_segments_have_no_label_and_the_others_have_theirs(catalog, counts):
    answers = answers_from_counts(dict(enumerate(counts, start=1)))
    dist = distributions(answers, answers.drop_duplicates("respondent"), catalog, min_n=5)
    specs = chart_specs(dist, catalog)
    assume(specs)
    spec = specs[0]
    fig = stacked_chart(spec)
    expected: dict[str, list[str]] = {}
    for row in spec.data.itertuples(index=False):
        label = expected_label(int(row.count), int(row.n))
        if label:
            expected.setdefault(f"Fråga {row.question} (n={int(row.n)})", []).append(label)
    assert labels_by_bar(fig) == {bar: sorted(texts) for bar, texts in expected.items()}
    outside = assert_labels_clear(fig, len(spec.data["question"].unique()))
    assert len(fig.find(Line, "tick")) == outside  # a tick for each, none for 0
    assert_nothing_clipped(fig)


def test_a_share_that_rounds_to_zero_says_under_one_percent():
    from indikator.charts.theme import segment_label

    assert segment_label(0) == ""
    assert segment_label(100 / 300) == "<1\u00a0%"  # 1 of 300 has answers: not "0 %"
    assert segment_label(0.5) == "1\u00a0%" and segment_label(99.6) == "100\u00a0%"
