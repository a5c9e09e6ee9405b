"""Trend charts: a panel per question, on one scale and the same years, readable with five."""

import numpy as np
import pandas as pd
import pytest
from conftest import (
    assert_matches_baseline,
    assert_nothing_clipped,
    assert_texts_apart,
    inside,
    overlaps,
    panel_boxes,
    tick_labels,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from indikator.charts.drawing import Circle, Line
from indikator.charts.kinds import TREND
from indikator.charts.theme import MIN_TEXT_PT
from indikator.charts.trend import TrendSpec, columns, trend_caption, trend_chart

MARKER = "Exempeldata – påhittat förbund"


def trend_spec(questions: int, years: list[int], hidden: frozenset = frozenset(),
               first: int = 1, marker: str = MARKER) -> TrendSpec:
    """Personal, Alla: made-up shares for questions first.. of `years`, without the
    (question, year) pairs in `hidden` (too few answers: a gap)."""
    rng = np.random.default_rng(questions * 100 + len(years))
    rows = []
    for q in range(first, first + questions):
        for year in years:
            if (q, year) in hidden:
                continue
            share = float(rng.uniform(0, 100))
            rows.append(("personal", "Alla", q, f"Frågetext {q}?", year, 20, share,
                         max(0.0, share - 20), min(100.0, share + 20)))
    data = pd.DataFrame(rows, columns=["survey", "group", "question", "question_text", "year",
                                       "n", "share_positive", "ci_low", "ci_high"])
    return TrendSpec("personal", "Personal", "Alla", data, marker, "alla")


def drawn(spec: TrendSpec):
    return trend_chart(spec)


def panel_titles(fig) -> list[str]:
    return [t.text for t in fig.texts("panel-title")]


def years_under(fig, panel) -> dict[int, float]:
    """The years named under a panel and where (points across)."""
    return {int(t.text): t.x for t in tick_labels(fig, "x")
            if panel[0] <= t.x <= panel[2] and 0 <= t.box()[1] - panel[3] < 20}


def scale(fig, panel):
    """Functions from a panel's points to (year, share) as its axes read: the years named
    under it, and its grid lines at 0, 20, … 100 %."""
    named = years_under(fig, panel)
    assert len(named) >= 2
    (y0, x0), (y1, x1) = min(named.items()), max(named.items())
    grid = sorted({item.points[0][1] for item in fig.find(Line, "grid")
                   if inside(item.box(), panel, 1)})
    assert len(grid) == 6
    np.testing.assert_allclose(np.diff(grid), grid[1] - grid[0])  # evenly: 100, 80, … 0 %
    top, bottom = grid[0], grid[-1]
    return (lambda x: y0 + (x - x0) / (x1 - x0) * (y1 - y0),
            lambda y: (bottom - y) / (bottom - top) * 100)


def in_panel(fig, panel, kind, gid):
    return [i for i in fig.find(kind, gid) if overlaps(i.box(), panel)]


def points(fig, panel) -> dict[int, float]:
    """The shares a panel marks, by year: its white-filled circles."""
    year, share = scale(fig, panel)
    marks = in_panel(fig, panel, Circle, "point")
    assert all(m.fill == "white" for m in marks)
    return {round(year(m.x)): share(m.y) for m in marks}


def joins(fig, panel) -> list[tuple[int, int]]:
    """The years a panel's line joins: its solid pieces (gid 'trend')."""
    year, _ = scale(fig, panel)
    return sorted((round(year(line.points[0][0])), round(year(line.points[-1][0])))
                  for line in in_panel(fig, panel, Line, "trend") if line.dash is None)


def assert_readable(fig) -> None:
    """Nothing clipped, no two texts overlapping, no text over a panel, no text under
    8 pt, 16 cm wide."""
    assert_nothing_clipped(fig)
    texts = [t for t in fig.texts() if t.text.strip()]
    assert_texts_apart(texts)
    panels = panel_boxes(fig)
    for text in texts:
        assert not any(overlaps(text.box(), panel) for panel in panels), text.text
    assert min(t.size for t in texts) >= MIN_TEXT_PT
    assert fig.width / 72 * 2.54 == pytest.approx(16.0)


@pytest.mark.parametrize("k", [1, 2, 3, 4, 5])
def test_a_panel_per_question_in_rows_of_up_to_three(k):
    years = [2023, 2024, 2025]
    spec = trend_spec(k, years, first=5)
    fig = drawn(spec)
    boxes = panel_boxes(fig)
    assert len(boxes) == k
    assert panel_titles(fig) == [f"Fråga {q}" for q in range(5, 5 + k)]  # row by row
    cols = columns(k)
    assert cols == {1: 1, 2: 2, 3: 3, 4: 2, 5: 3}[k]
    width, height = boxes[0][2] - boxes[0][0], boxes[0][3] - boxes[0][1]
    for i, box in enumerate(boxes):  # a grid: columns share their left, rows their top
        assert box[0] == pytest.approx(boxes[i % cols][0])
        assert box[2] - box[0] == pytest.approx(width)
        assert box[3] - box[1] == pytest.approx(height)
    tops = sorted({round(b[1], 6) for b in boxes})  # top down
    assert len(tops) == -(-k // cols)
    for i, box in enumerate(boxes):
        assert round(box[1], 6) == tops[i // cols]
    for title, box in zip(fig.texts("panel-title"), boxes, strict=True):  # over its panel
        assert title.box()[3] <= box[1] and box[0] < title.x < box[2]
    for box in boxes:  # the same years at the same place in every panel of a column
        assert {y: x - box[0] for y, x in years_under(fig, box).items()} == pytest.approx(
            {y: x - boxes[0][0] for y, x in years_under(fig, boxes[0]).items()})
    for q, box in zip(range(5, 5 + k), boxes, strict=True):
        mine = spec.data[spec.data["question"] == q]
        assert points(fig, box) == pytest.approx(dict(zip(mine["year"], mine["share_positive"],
                                                          strict=True)))
    shares = [t.text for t in tick_labels(fig, "y")]
    assert shares == [f"{v} %" for v in range(0, 101, 20)] * len(tops)  # once per row
    assert [t.text for t in tick_labels(fig, "x")] == ["2023", "2024", "2025"] * k
    assert_readable(fig)


def test_a_gap_year_shows_as_a_gap_in_its_panel_only():
    spec = trend_spec(3, [2022, 2023, 2024, 2025], hidden=frozenset({(2, 2023)}))
    fig = drawn(spec)
    first, second, third = panel_boxes(fig)
    assert sorted(points(fig, second)) == [2022, 2024, 2025]
    assert joins(fig, second) == [(2024, 2025)]  # 2022 is not joined to 2024 across the gap
    assert joins(fig, first) == [(2022, 2023), (2023, 2024), (2024, 2025)]
    assert joins(fig, third) == joins(fig, first)
    assert 2023 in years_under(fig, second)  # its year is named
    assert_readable(fig)


def test_many_years_name_every_few_and_always_the_last():
    years = list(range(2013, 2026))
    fig = drawn(trend_spec(5, years))
    named = [int(t.text) for t in tick_labels(fig, "x")]
    assert 2025 in named and len(set(named)) < len(years)
    assert sorted(points(fig, panel_boxes(fig)[0])) == years  # every year still has its point
    assert_readable(fig)


def test_caption_alt_text_and_names_are_kept():
    spec = trend_spec(2, [2023, 2024, 2025], first=9)
    assert spec.file_stem == "personal_trend_alla_fraga9-10"
    fig = drawn(spec)
    texts = [t.text for t in fig.texts()]
    assert spec.title in texts and trend_caption(spec) in texts
    assert [t.text for t in fig.texts("caption")] == [trend_caption(spec)]
    alt = TREND.alt_text(spec)
    for row in spec.data.itertuples(index=False):
        assert f"Fråga {row.question} {row.year}: " in alt
    assert not [i for i in fig.items if i.gid == "legend"]  # the panels' titles name them


@settings(max_examples=min(25, settings.default.max_examples))
@given(k=st.integers(1, 6), span=st.integers(2, 12),
       hidden=st.sets(st.tuples(st.integers(1, 6), st.integers(2014, 2026)), max_size=8))
def test_any_block_and_years_are_readable(k, span, hidden):
    years = list(range(2014, 2014 + span))
    spec = trend_spec(k, years, frozenset(hidden) - {(1, years[0]), (1, years[-1])},
                      marker="")
    fig = drawn(spec)
    shown = sorted(spec.data["question"].unique())  # one hidden in every year has no panel
    assert panel_titles(fig) == [f"Fråga {q}" for q in shown]
    assert len(panel_boxes(fig)) == len(shown)
    assert_readable(fig)


def test_matches_baseline_image(tmp_path):
    """Rendered at 100 dpi and compared with the committed baseline (small tolerance):
    four panels two by two, a gap year in the second."""
    spec = trend_spec(4, [2022, 2023, 2024, 2025], hidden=frozenset({(2, 2023)}))
    assert_matches_baseline(trend_chart(spec), "trend.png", tmp_path)
