"""The trend chart: share positive per question across the years, with 95 % intervals.

One chart per survey, group and block of questions, drawn as small multiples: a panel
per question ("Fråga 1"), up to three in a row, all sharing the 0–100 % scale and the
years, so that five questions read as easily as one (five lines in one panel, told
apart by line type, did not). A year with too few answers leaves a gap in its line
(segments join only consecutive years that both have data).
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass
from itertools import pairwise
from typing import NamedTuple

import pandas as pd

from indikator.charts.bars import column
from indikator.charts.block import TITLE_WRAP, wrapped
from indikator.charts.drawing import Drawing, Panel
from indikator.charts.frame import (
    EDGE_IN,
    axis_labels,
    frame,
    grid,
    intervals,
    points,
    text_width_in,
)
from indikator.charts.stacked import group_slugs
from indikator.charts.theme import BASE_SIZE, CAPTION_WRAP, DARK_TEXT, MIN_TEXT_PT
from indikator.text import short_name
from indikator.words import ALL


@dataclass(frozen=True)
class TrendSpec:
    survey: str
    survey_name: str
    group: str
    data: pd.DataFrame  # trend rows (trends.TREND_COLUMNS) of this survey, group and block
    marker: str = ""
    slug: str = ""

    @property
    def span(self) -> str:
        first, last = int(self.data["question"].min()), int(self.data["question"].max())
        return f"{first}" if first == last else f"{first}-{last}"

    @property
    def file_stem(self) -> str:
        slug = self.slug or group_slugs([self.group])[self.group]
        return f"{self.survey}_trend_{slug}_fraga{self.span}"

    @property
    def years(self) -> list[int]:
        return sorted(self.data["year"].unique())

    @property
    def title(self) -> str:
        who = "alla svarande" if self.group == ALL else short_name(self.group)
        return "\n".join(wrapped(f"{self.survey_name} – {who}: andel positiva svar "
                                 f"{self.years[0]}–{self.years[-1]}", TITLE_WRAP))


def trend_specs(trends: pd.DataFrame, catalog, marker: str = "",
                groups: Collection[str] | None = None) -> list[TrendSpec]:
    """One chart per survey, group and block of questions (as the report's bar charts);
    `groups`: only these groups' (the aggregate draws Alla's of its many förbund)."""
    slugs = group_slugs(trends["group"])
    specs = []
    for (survey, group), part in trends.groupby(["survey", "group"], sort=False, observed=True):
        if (groups is not None and group not in groups) or part["year"].nunique() < 2:
            continue
        for block in catalog.get(survey).blocks():
            rows = part[part["question"].isin([q.number for q in block])]
            if rows.empty or rows["year"].nunique() < 2:
                continue
            specs.append(TrendSpec(survey, catalog.get(survey).name, group,
                                   rows.reset_index(drop=True), marker, slugs[group]))
    order = {sid: i for i, sid in enumerate(catalog.ids)}
    return sorted(specs, key=lambda s: (order[s.survey], s.group != ALL, s.group,
                                        int(s.data["question"].min())))


class Piece(NamedTuple):
    """A line between two consecutive years' shares of one question."""

    question: int
    x: int  # the year it starts at, and its share
    xend: int
    y: float
    yend: float


def segments(data: pd.DataFrame) -> list[Piece]:
    """Line pieces between consecutive years that both have a value (gaps stay gaps)."""
    points = sorted(zip(column(data, "question"), column(data, "year"),
                        column(data, "share_positive"), strict=True))
    return [Piece(question, year, then_year, share, then_share)
            for (question, year, share), (then_q, then_year, then_share) in pairwise(points)
            if then_q == question and then_year == year + 1]


def trend_caption(spec: TrendSpec) -> str:
    """Each question's text (that of its first row), in question order, then the note."""
    texts: dict = {}
    for question, text in zip(column(spec.data, "question"),
                              column(spec.data, "question_text"), strict=True):
        texts.setdefault(question, text)
    lines = []
    for question in sorted(texts):
        lines += wrapped(f"Fråga {question}: {texts[question]}", CAPTION_WRAP, "    ")
    note = ("Andel positiva svar (de tre översta svarsalternativen, Ja på ja/nej-frågor) med "
            "felmarginal. Ett år där frågan hade för få svar saknas, och linjen bryts där. "
            "”Vet ej” o.d. räknas inte. Om två års felmarginaler överlappar eller inte avgör inte "
            "om förändringen är säker; det gör jämförelsen med föregående år. Mer i avsnittet "
            "Så läses siffrorna.")
    if spec.marker:
        note = f"{spec.marker}. {note}"
    return "\n".join([*lines, "", *wrapped(note, CAPTION_WRAP + 10)])


PANEL_GAP_IN = 0.28  # between the panels of a row
STRIP_IN = 0.24  # above a row of panels: their titles, "Fråga 1"
AXIS_IN = 0.26  # under a row of panels: the years
ROW_GAP_IN = AXIS_IN + STRIP_IN + 0.08  # between two rows: years, air, the next titles
ONE_ROW_IN = 2.4  # a panel's height when the chart has one row of them
TWO_ROWS_IN = 1.9  # and when it has two or more: the chart stays within a page
TITLE_PAD_PT = 3  # between a panel and its title
LINE = DARK_TEXT
INTERVAL = "#6b6b6b"


def columns(k: int) -> int:
    """Panels per row: all of up to three side by side, four as two by two (not three and
    one), more in rows of three."""
    return k if k <= 3 else 2 if k == 4 else 3


def year_step(years: list[int], panel_in: float) -> int:
    """Every how many years a panel names one: as many as fit under it without touching
    (a narrow panel over many years names every second or third)."""
    room = panel_in / (len(years) - 1 + 0.8)  # inches from one year to the next
    need = text_width_in([str(years[-1])], BASE_SIZE) + 0.1
    return max(1, math.ceil(need / room))


class Shares(NamedTuple):
    """One question's years with their share positive and its interval, in row order."""

    year: list
    share: list
    low: list
    high: list


def shares_by_question(data: pd.DataFrame) -> dict[int, Shares]:
    """Each question's rows (as data[data['question'] == q] would give them), read from
    the DataFrame once: selecting rows of a small frame per panel cost more than the
    drawing."""
    found: dict[int, Shares] = {}
    for q, *row in zip(*(column(data, c) for c in
                         ("question", "year", "share_positive", "ci_low", "ci_high")),
                       strict=True):
        shares = found.setdefault(q, Shares([], [], [], []))
        for values, value in zip(shares, row, strict=True):
            values.append(value)
    return found


def draw_question(ax: Panel, rows: Shares, pieces: list[Piece]) -> None:
    """One question's shares: a line between consecutive years that both have one, each
    year's point with its 95 % interval."""
    for piece in pieces:
        ax.drawing.line(((ax.x(piece.x), ax.y(piece.y)), (ax.x(piece.xend), ax.y(piece.yend))),
                        LINE, 1.5, gid="trend")
    intervals(ax, rows.year, rows.share, rows.low, rows.high, "y", INTERVAL, 0.9, 3)
    points(ax, rows.year, rows.share, 5, "white", LINE, 1.3)


def panel_axes(ax: Panel, question: int, years: list[int], step: int, first: bool) -> Panel:
    """The panel's frame: its title, the years under it, and the shares' grid, named
    left of the first panel of a row only (the rows share the y axis). Returns the panel
    with its data limits."""
    ax = ax.limits((years[0] - 0.4, years[-1] + 0.4), (-1, 101))
    ticks = list(range(0, 101, 20))
    grid(ax, ticks, "y")
    named = [y for y in years if (years[-1] - y) % step == 0]
    axis_labels(ax, named, [str(y) for y in named], "x", BASE_SIZE, DARK_TEXT)
    if first:
        axis_labels(ax, ticks, [f"{v} %" for v in ticks], "y")
    ax.drawing.text(ax.left + ax.width / 2, ax.top - TITLE_PAD_PT, f"Fråga {question}",
                    BASE_SIZE, DARK_TEXT, ha="center", va="bottom", weight="bold",
                    gid="panel-title")
    return ax


def trend_chart(spec: TrendSpec) -> Drawing:
    """Small multiples: a panel per question of the block, each with its own line, all
    on the same 0–100 % scale and the same years, so that they read side by side."""
    by_question = shares_by_question(spec.data)
    questions = sorted(by_question)
    cols = columns(len(questions))
    rows = -(-len(questions) // cols)
    years = list(range(spec.years[0], spec.years[-1] + 1))  # a year without data shows as a gap
    left = EDGE_IN + text_width_in(["100 %"], MIN_TEXT_PT) + 0.1
    height = (ONE_ROW_IN if rows == 1 else TWO_ROWS_IN) * rows + ROW_GAP_IN * (rows - 1)
    laid = frame(spec.title, (spec.marker.upper() + "\n" if spec.marker else "")
                 + "Andel positiva svar per år", trend_caption(spec), height, left,
                 strip_in=STRIP_IN)
    panels = laid.panel_grid(len(questions), cols, PANEL_GAP_IN, ROW_GAP_IN)
    step = year_step(years, (laid.width - PANEL_GAP_IN * (cols - 1)) / cols)
    pieces = segments(spec.data)
    for i, (panel, question) in enumerate(zip(panels, questions, strict=True)):
        ax = panel_axes(panel, question, years, step, i % cols == 0)
        draw_question(ax, by_question[question], [p for p in pieces if p.question == question])
    return laid.drawing
