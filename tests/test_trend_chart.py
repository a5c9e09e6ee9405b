"""Trend charts: a panel per question, on one scale and the same years, readable with five."""

import matplotlib.pyplot as plt
import matplotlib.text as mtext
import numpy as np
import pandas as pd
import pytest
from conftest import assert_nothing_clipped, assert_texts_apart, tick_labels
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.backends.backend_agg import FigureCanvasAgg

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
    fig = trend_chart(spec)
    FigureCanvasAgg(fig).draw()
    return fig


def panel_titles(fig) -> list[str]:
    return [t.get_text() for ax in fig.axes for t in ax.texts if t.get_gid() == "panel-title"]


def points(ax) -> dict[int, float]:
    """The shares a panel marks, by year: its line of white-filled circles."""
    (marks,) = [line for line in ax.lines if line.get_marker() == "o"]
    return dict(zip(np.round(marks.get_xdata()).astype(int), marks.get_ydata(), strict=True))


def joins(ax) -> list[tuple[int, int]]:
    """The years a panel's line joins: its plain solid pieces (not marks, not caps)."""
    return sorted((int(line.get_xdata()[0]), int(line.get_xdata()[-1])) for line in ax.lines
                  if line.get_linestyle() == "-" and line.get_marker() in ("None", "", None))


def assert_readable(fig) -> None:
    """Nothing clipped, no two texts overlapping, no text over a panel, no text under
    8 pt, 16 cm wide."""
    assert_nothing_clipped(fig)
    texts = [t for t in fig.findobj(mtext.Text) if t.get_text() and t.get_visible()]
    assert_texts_apart(fig, texts)
    renderer = fig.canvas.get_renderer()
    for text in texts:
        box = text.get_window_extent(renderer)
        assert not any(box.overlaps(ax.bbox) for ax in fig.axes), text.get_text()
    assert min(t.get_fontsize() for t in texts) >= MIN_TEXT_PT
    assert fig.get_figwidth() * 2.54 == pytest.approx(16.0)


@pytest.mark.parametrize("k", [1, 2, 3, 4, 5])
def test_a_panel_per_question_in_rows_of_up_to_three(k):
    years = [2023, 2024, 2025]
    spec = trend_spec(k, years, first=5)
    fig = drawn(spec)
    assert len(fig.axes) == k
    assert panel_titles(fig) == [f"Fråga {q}" for q in range(5, 5 + k)]  # row by row
    boxes = [ax.get_position() for ax in fig.axes]
    cols = columns(k)
    assert cols == {1: 1, 2: 2, 3: 3, 4: 2, 5: 3}[k]
    for i, box in enumerate(boxes):  # a grid: columns share their left, rows their top
        assert box.x0 == pytest.approx(boxes[i % cols].x0)
        assert box.width == pytest.approx(boxes[0].width)
        assert box.height == pytest.approx(boxes[0].height)
    tops = sorted({round(b.y1, 6) for b in boxes}, reverse=True)
    assert len(tops) == -(-k // cols)
    for i, box in enumerate(boxes):
        assert round(box.y1, 6) == tops[i // cols]
    for ax in fig.axes:  # one scale and the same years everywhere
        assert ax.get_ylim() == (-1, 101) and ax.get_xlim() == fig.axes[0].get_xlim()
    for q, ax in zip(range(5, 5 + k), fig.axes, strict=True):
        mine = spec.data[spec.data["question"] == q]
        assert points(ax) == pytest.approx(dict(zip(mine["year"], mine["share_positive"],
                                                    strict=True)))
    shares = [t.get_text() for t in tick_labels(fig, "y")]
    assert shares == [f"{v} %" for v in range(0, 101, 20)] * len(tops)  # once per row
    assert [t.get_text() for t in tick_labels(fig, "x")] == ["2023", "2024", "2025"] * k
    assert_readable(fig)
    plt.close(fig)


def test_a_gap_year_shows_as_a_gap_in_its_panel_only():
    spec = trend_spec(3, [2022, 2023, 2024, 2025], hidden=frozenset({(2, 2023)}))
    fig = drawn(spec)
    first, second, _ = fig.axes
    assert sorted(points(second)) == [2022, 2024, 2025]
    assert joins(second) == [(2024, 2025)]  # 2022 is not joined to 2024 across the gap
    assert joins(first) == [(2022, 2023), (2023, 2024), (2024, 2025)]
    assert "2023" in [t.get_text() for t in tick_labels(fig, "x")]  # its year is named
    assert_readable(fig)
    plt.close(fig)


def test_many_years_name_every_few_and_always_the_last():
    years = list(range(2013, 2026))
    fig = drawn(trend_spec(5, years))
    named = [int(t.get_text()) for t in tick_labels(fig, "x")]
    assert 2025 in named and len(set(named)) < len(years)
    assert sorted(points(fig.axes[0])) == years  # every year still has its point
    assert_readable(fig)
    plt.close(fig)


def test_caption_alt_text_and_names_are_kept():
    spec = trend_spec(2, [2023, 2024, 2025], first=9)
    assert spec.file_stem == "personal_trend_alla_fraga9-10"
    fig = drawn(spec)
    texts = [t.get_text() for t in fig.findobj(mtext.Text)]
    assert spec.title in texts and trend_caption(spec) in texts
    alt = TREND.alt_text(spec)
    for row in spec.data.itertuples(index=False):
        assert f"Fråga {row.question} {row.year}: " in alt
    assert not fig.legends  # the panels' titles name the questions
    plt.close(fig)


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
    assert_readable(fig)
    plt.close(fig)
