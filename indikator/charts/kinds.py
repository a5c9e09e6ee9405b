"""The kinds of chart a pack draws, registered in one place.

A kind is: which specs it makes from the report's tables, the function that draws one,
its place in the report, the documents' heading and note above its charts, and the words
that stand for a chart where it cannot be seen (alt text). A new kind is a module with
its spec and builder, and one `register(...)` line below.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import groupby

import pandas as pd

from indikator.analysis.stats import Distributions
from indikator.charts.comparison import comparison_chart, comparison_specs
from indikator.charts.side import side_chart, side_specs
from indikator.charts.stacked import chart_specs, stacked_chart
from indikator.charts.trend import trend_chart, trend_specs
from indikator.columns import values
from indikator.numbers import interval, pp, whole
from indikator.questionnaires import Catalog
from indikator.words import ALL


@dataclass(frozen=True)
class Sources:
    """What the kinds draw from, as report.make_report has computed it.

    every_year: the distribution rows of this run's years and of earlier packs;
    reference: a forbund.Reference or None; side, overall: the aggregate's förbund × question
    (None outside the aggregate, where `aggregate` is False).
    """

    dist: Distributions
    every_year: pd.DataFrame
    changes: pd.DataFrame
    trends: pd.DataFrame
    catalog: Catalog
    marker: str
    reference: object | None = None
    side: pd.DataFrame | None = None
    overall: pd.DataFrame | None = None
    sort: str = "namn"

    @property
    def aggregate(self) -> bool:
        return self.side is not None


@dataclass(frozen=True)
class ChartKind:
    """name: in file names' place and the cache; order: place in the report's order within
    a survey (after the latest year's bars); section: place in the documents; heading: the
    documents' heading ({year}: the latest); latest_only: the documents show only the
    latest year's (the HTML page adds earlier years); note: printed under the heading."""

    name: str
    order: float
    section: int
    heading: str
    latest_only: bool
    specs: Callable[[Sources], list]
    build: Callable
    describe: Callable[[object], list[str]]  # every number of a chart, in words
    note: str = ""

    def alt_text(self, spec) -> str:
        """The chart in words, title first: 'Fråga 1 (n=54): Aldrig 0 %, Sällan 9 %, …'."""
        return f"{spec.title.replace(chr(10), ' ')}. " + "; ".join(self.describe(spec)) + "."



KINDS: dict[str, ChartKind] = {}


def register(kind: ChartKind) -> ChartKind:
    KINDS[kind.name] = kind
    return kind


def in_sections() -> list[ChartKind]:
    """The kinds in the order the documents show them."""
    return sorted(KINDS.values(), key=lambda k: k.section)


def _only_alla(specs: list, sources: Sources) -> list:
    """The aggregate's charts are Alla's; its förbund stand side by side instead."""
    return [s for s in specs if s.group == ALL] if sources.aggregate else specs


def _drawn_groups(sources: Sources) -> list[str] | None:
    """The groups whose charts are made: Alla's alone in the aggregate (_only_alla), whose
    tables have every förbund's rows; making their specs only to drop them took longer."""
    return [ALL] if sources.aggregate else None


def _bars(sources: Sources) -> list:
    ref = sources.reference
    return _only_alla(chart_specs(sources.dist, sources.catalog, sources.marker,
                                  None if ref is None else ref.table,
                                  "" if ref is None else ref.name, _drawn_groups(sources)),
                      sources)


def _comparisons(sources: Sources) -> list:
    if sources.changes.empty:
        return []
    return _only_alla(comparison_specs(sources.every_year, sources.changes, sources.catalog,
                                       sources.marker, _drawn_groups(sources)), sources)


def _trends(sources: Sources) -> list:
    if sources.trends.empty:
        return []
    return _only_alla(trend_specs(sources.trends, sources.catalog, sources.marker,
                                  _drawn_groups(sources)), sources)


def _beside(sources: Sources) -> list:
    if not sources.aggregate:
        return []
    return side_specs(sources.side, sources.overall, sources.catalog, sources.sort,
                      sources.marker)


def _shares(spec, keys: list[str]) -> list[str]:
    """'Fråga 1 (n=54): Aldrig 0 %, Sällan 9 %, …' for each bar of a chart.

    Read from the data's columns as lists, not row by row through pandas: a chart's
    text costs microseconds instead of milliseconds (a nation has thousands). The rows
    are taken in the order of question, year and code (the distribution's integer
    columns; Python's sort is stable, as pandas' sort on several columns is), and each
    bar's rows follow each other in that order.
    """
    data = spec.data
    order = [c for c in ("question", "year", "code") if c in data]
    columns = {c: data[c].tolist() for c in {*order, *keys, "label", "percent", "n"}}
    rows = sorted(range(len(data)), key=lambda i: tuple(columns[c][i] for c in order))
    parts = []
    for key, bar in groupby(rows, key=lambda i: tuple(columns[c][i] for c in keys)):
        bar = list(bar)
        name = f"Fråga {key[0]}" + (f" {key[1]}" if len(key) > 1 else "")
        shares = ", ".join(f"{columns['label'][i]} {whole(columns['percent'][i])} %"
                           for i in bar)
        parts.append(f"{name} (n={int(columns['n'][bar[0]])}): {shares}")
    parts += [f"Fråga {q}: {why}" for q, why in getattr(spec, "missing", ())]
    return parts


def _describe_bars(spec) -> list[str]:
    return _shares(spec, ["question"])


def _describe_comparison(spec) -> list[str]:
    parts = _shares(spec, ["question", "year"])
    for question, change, low, high, verdict in values(
            spec.changes, "question", "change_pp", "ci_low_pp", "ci_high_pp", "verdict"):
        if not pd.isna(change):
            parts.append(f"Fråga {question} förändring {pp(change)} procentenheter "
                         f"(felmarginal {interval(low, high)}), {verdict}")
    return parts


def _describe_beside(spec) -> list[str]:
    return [f"{forbund} fråga {question}: {whole(share)} % positiva (n={int(n)})"
            for forbund, question, share, n in values(
                spec.data, "forbund", "question", "share_positive", "n")]


def _describe_trend(spec) -> list[str]:
    """Each question's and year's first row (as groupby's first), by question and year."""
    first: dict[tuple, tuple] = {}
    for question, year, share, n in values(spec.data, "question", "year", "share_positive",
                                             "n"):
        first.setdefault((question, year), (share, n))
    return [f"Fråga {q} {year}: {whole(share)} % positiva (n={int(n)})"
            for (q, year), (share, n) in sorted(first.items())]


DISTRIBUTION = register(ChartKind(
    "fordelning", 0, 0, "Svaren {year}", True, _bars, stacked_chart, _describe_bars))
COMPARISON = register(ChartKind(
    "jamforelse", 1, 2, "Jämförelsediagram", False, _comparisons, comparison_chart,
    _describe_comparison))
BESIDE = register(ChartKind(
    "sida", 1.5, 1, "Förbunden sida vid sida", True, _beside, side_chart, _describe_beside))
TREND = register(ChartKind(
    "trend", 2, 3, "Utveckling över tid", False, _trends, trend_chart, _describe_trend,
    note="Andel positiva svar per år med felmarginal (de lodräta strecken). Ett år där "
         "frågan hade för få svar saknas, och linjen bryts där. Om två års felmarginaler "
         "överlappar eller inte avgör inte om förändringen är säker; det gör jämförelsen "
         "med föregående år."))
