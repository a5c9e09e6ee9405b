"""The report chart: 100 % stacked horizontal bars, one per question, Fråga 1 on top."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
import pandas as pd

from indikator.analysis.stats import Distributions
from indikator.charts.bars import (
    TOP_ROOM,
    Bars,
    Rows,
    bar_positions,
    draw_bars,
    outside_labels,
    scale_legend,
    segments,
)
from indikator.charts.block import QuestionBlock, caption, wrapped
from indikator.charts.drawing import Drawing
from indikator.charts.frame import (
    EDGE_IN,
    RIGHT_IN,
    frame,
    panel_width,
    text_width_in,
)
from indikator.charts.theme import BASE_SIZE, CAPTION_WRAP, LABEL_PT, PANEL_IN, WIDTH_IN
from indikator.questionnaires import Catalog, Question, Scale
from indikator.text import unique_slugs
from indikator.words import ALL, TOO_FEW

ROUNDING_NOTE = ("Andel av dem som svarat på frågan; n = antal svar på frågan. Svar som "
                 "”vet ej” o.d. räknas inte i n eller i procenten. Procenten är avrundade var "
                 "för sig, så summan kan bli 99\u00a0% eller 101\u00a0%.")


@dataclass(frozen=True)
class ChartSpec(QuestionBlock):
    """One chart: a run of consecutive questions on one scale, for one group and year."""

    survey: str
    survey_name: str
    year: int
    group: str
    respondents: int
    questions: tuple[Question, ...]
    data: pd.DataFrame  # the distribution rows of these questions
    missing: tuple[tuple[int, str], ...] = ()  # (question, why it has no bar) of hidden ones
    marker: str = ""  # e.g. "Exempeldata – påhittat förbund", shown on the chart
    slug: str = ""  # the group in file names, unique in the pack (text.unique_slugs)
    reference: pd.DataFrame | None = None  # the reference's rows of these questions
    reference_name: str = ""  # "Riket 2025": the label of its bars

    def __post_init__(self) -> None:
        if not self.slug:
            object.__setattr__(self, "slug", group_slugs([self.group])[self.group])

    @property
    def file_stem(self) -> str:
        """Predictable: deltagare_pagaende_2025_coachingteam_fraga1-3."""
        return f"{self.survey}_{self.year}_{self.slug}_fraga{self.span}"

    @property
    def title(self) -> str:
        return f"{self.survey_name} {self.year} – {self.group_label}"

    @property
    def subtitle(self) -> str:
        parts = [self.span_label, self.scale, f"{self.respondents} svarande"]
        if self.reference is not None:
            parts.append(f"under varje fråga: {self.reference_name}")
        return subtitle(self.marker, *parts)


SUBTITLE_WRAP = 88  # characters of the subtitle on one line of a 16 cm chart


def subtitle(marker: str, *parts) -> str:
    """'Frågorna 1–3 · svarsalternativ från Aldrig till Alltid · 24 svarande', wrapped;
    a marker (example data) stands on a line of its own above it."""
    texts = [str(p) if not isinstance(p, Scale) else scale_words(p) for p in parts]
    lines = list(wrapped(" · ".join(texts), SUBTITLE_WRAP))
    return "\n".join([marker.upper()] * bool(marker) + lines)


def scale_words(scale: Scale) -> str:
    """The answer options as a reader knows them, not the scale's internal name."""
    labels = [c.label for c in scale.categories]
    if len(labels) <= 2:
        return "svar " + " eller ".join(labels)
    return f"svarsalternativ från {labels[0]} till {labels[-1]}"


def missing_reason(answered: bool) -> str:
    """Why a question of a shown group has no bar."""
    return TOO_FEW if answered else "inga svar"


def group_slugs(groups) -> dict[str, str]:
    """File-name parts for the groups of a pack: 'alla' for the total, unique for the rest."""
    return unique_slugs(groups, reserved={ALL: "alla"})


def chart_specs(dist: Distributions, catalog: Catalog, marker: str = "",
                reference: pd.DataFrame | None = None,
                reference_name: str = "", groups: Collection[str] | None = None
                ) -> list[ChartSpec]:
    """Every chart of a pack, in report order: survey, year, group (Alla first), block.

    A question hidden within a shown group keeps its place with no bar ("för få
    svar"); a block where no question has a bar gets no chart. `reference`: the
    reference's distribution rows (group Alla); each question it has for the same
    survey and year gets its bar under the question's, labelled `reference_name`.
    `groups`: only these groups' charts (the aggregate draws Alla's of its many förbund).
    """
    specs = []
    shown = dist.groups[dist.groups["shown"]]
    slugs = group_slugs(dist.groups["group"])
    keys = ["survey", "year", "group"]
    # split once, not per group
    tables = dict(list(dist.table.groupby(keys, sort=False, observed=True)))
    all_cells = dict(list(dist.cells.groupby(keys, sort=False, observed=True)))
    # the reference split once by survey and year: a mask over the whole reference per
    # block was most of the time (a nation's aggregate has every förbund's rows)
    references = ({} if reference is None else
                  dict(list(reference.groupby(["survey", "year"], sort=False, observed=True))))
    for row in shown.itertuples(index=False):
        if groups is not None and row.group not in groups:
            continue
        questionnaire = catalog.get(row.survey, int(row.year))
        key = (row.survey, row.year, row.group)
        data = tables.get(key, dist.table.iloc[:0])
        cells = all_cells.get(key, dist.cells.iloc[:0]).set_index("question")
        questions = data["question"].to_numpy()
        ours = references.get((row.survey, row.year))
        their_questions = None if ours is None else ours["question"].to_numpy()
        for block in questionnaire.blocks():
            numbers = [q.number for q in block]
            rows = rows_where(data, np.isin(questions, numbers))
            if rows["n"].sum() == 0:
                continue  # no question of the block has a bar: no chart to draw
            barred = set(rows["question"])
            missing = tuple((q, missing_reason(bool(cells.loc[q, "answered"])))
                            for q in numbers if q not in barred)
            theirs = None
            if reference is not None:
                theirs = (rows_where(ours, np.isin(their_questions, numbers))
                          if ours is not None else reference.iloc[:0])
                theirs = theirs.reset_index(drop=True) if not theirs.empty else None
            specs.append(ChartSpec(
                row.survey, questionnaire.name, int(row.year), row.group, int(row.respondents),
                block, rows.reset_index(drop=True), missing, marker, slugs[row.group],
                theirs, f"{reference_name} {int(row.year)}" if theirs is not None else "",
            ))
    order = {g: (g != ALL, g) for g in shown["group"]}
    return sorted(specs, key=lambda s: (catalog.ids.index(s.survey), s.year, order[s.group],
                                        s.questions[0].number))


def rows_where(frame: pd.DataFrame, mask: np.ndarray) -> pd.DataFrame:
    """frame[mask]: a slice when the rows are consecutive (a block's questions are), which
    copies nothing; copying every chart's rows out of its group's table was most of the
    time of the specs."""
    where = np.flatnonzero(mask)
    if len(where) and where[-1] - where[0] + 1 == len(where):
        return frame.iloc[where[0]:where[-1] + 1]
    return frame.iloc[where]


def bar_label(number: int, n: int | str) -> str:
    """'Fråga 1 (n=24)', or 'Fråga 3 (för få svar)' for a question without a bar."""
    return f"Fråga {number} ({n if isinstance(n, str) else f'n={n}'})"


def question_caption(questions: tuple[Question, ...], width: int = CAPTION_WRAP,
                     marker: str = "") -> str:
    """The question texts under the chart, then the rounding note (and the marker)."""
    return caption(questions, f"{marker}. {ROUNDING_NOTE}" if marker else ROUNDING_NOTE, width)


def reference_label(spec: ChartSpec, question: int, n: int) -> str:
    """'  Riket 2025 (n=3970)', made unique per question by trailing spaces (not shown)."""
    index = [q.number for q in spec.questions].index(question)
    return f"{spec.reference_name} (n={n})" + " " * (index + 1)


def first_n(rows: Rows | None) -> dict[int, int]:
    """Each question's n: that of its first row with one (as groupby(...).first() reads)."""
    found: dict[int, int] = {}
    for q, n in zip(rows.question, rows.n, strict=True) if rows is not None else ():
        if q not in found and n == n:  # n == n: not a missing (NaN) n
            found[q] = n
    return found


def bar_names(spec: ChartSpec, data: Rows, reference: Rows | None) -> list[str]:
    """The bars' labels, top to bottom: each question's, and the reference's under it.
    `data` and `reference`: the spec's rows and its reference's (Rows.of)."""
    n_by_q = first_n(data)
    ref_n = first_n(reference)
    why = dict(spec.missing)
    bars = []
    for q in spec.questions:
        bars.append(bar_label(q.number, why[q.number] if q.number in why
                              else int(n_by_q[q.number])))
        if q.number in ref_n:
            bars.append(reference_label(spec, q.number, int(ref_n[q.number])))
    return bars


def label_column_in(names: list[str]) -> float:
    """Room left of the bars for their labels: at least the usual 1.45 in less the margin
    right of the bars, wider for long labels (a reference's name)."""
    return max(WIDTH_IN - PANEL_IN - RIGHT_IN, EDGE_IN + text_width_in(names, BASE_SIZE) + 0.08)


def panel_width_in(names: list[str]) -> float:
    """The bars' width beside these bar names."""
    return panel_width(label_column_in(names))


def plot_data(spec: ChartSpec) -> Bars:
    """The bars drawn, bottom first, and their segments, each in scale order with its label
    text and colour.

    With a reference, each question's bar has the reference's bar under it.
    """
    data = Rows.of(spec.data)
    reference = Rows.of(spec.reference) if spec.reference is not None else None
    bars = bar_names(spec, data, reference)
    panel_in = panel_width_in(bars)
    names = [bar_label(q, int(n)) for q, n in zip(data.question, data.n, strict=True)]
    drawn = [(False, s) for s in segments(data, spec.scale, names, panel_in=panel_in)]
    if reference is not None:
        names = [reference_label(spec, int(q), int(n))
                 for q, n in zip(reference.question, reference.n, strict=True)]
        drawn += [(True, s) for s in segments(reference, spec.scale, names,
                                               panel_in=panel_in)]
    drawn.sort(key=lambda pair: (pair[1].question, pair[0], pair[1].rank))  # stable
    return Bars(tuple(bars[::-1]), tuple(s for _, s in drawn))


BAND_IN = 0.5  # height per question: the bar and the room above it for outside labels


def missing_marks(spec: ChartSpec) -> list[tuple[str, str]]:
    """(bar, note): a grey note in the empty place of each question without a bar."""
    return [(bar_label(q, reason), MISSING_TEXT[reason]) for q, reason in spec.missing]


MISSING_TEXT = {TOO_FEW: "visas inte: för få svar för att skydda de svarandes anonymitet",
                "inga svar": "ingen har svarat på frågan"}


def stacked_chart(spec: ChartSpec) -> Drawing:
    """The report's stacked-bar chart for one ChartSpec."""
    data = plot_data(spec)
    names = list(data.names)
    bands = len(names) + 0.1 + TOP_ROOM
    laid = frame(spec.title_lines, spec.subtitle,
                 question_caption(spec.questions, marker=spec.marker), BAND_IN * bands,
                 label_column_in(names), scale_legend(spec.scale))
    (panel,) = laid.panels()
    ax = draw_bars(panel, data, outside_labels(data, panel_in=laid.width), spec.scale)
    y_of = bar_positions(data)
    for bar, note in missing_marks(spec):
        laid.drawing.text(ax.x(1), ax.y(y_of[bar]), note, LABEL_PT, "#6b6b6b",
                          va="center", gid="missing")
    return laid.drawing
