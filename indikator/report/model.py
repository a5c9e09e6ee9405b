"""The report: every publishable number of a pack, and its charts, before any file exists.

    answers and side files (inputs.Inputs) → build_report → Report → pack.write_pack

make_report is pure (no files read or written) and reads top to bottom as its stages:
tally, what to compare with, comparisons, response rates, goals, trends, reference,
förbund side by side, the charts of every kind (charts.kinds), the privacy gate. What it
returns holds only what may be published (publishable), so no renderer re-decides.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property

import pandas as pd

from indikator.analysis.compare import compare
from indikator.analysis.goals import evaluate
from indikator.analysis.stats import Distributions, hidden_places
from indikator.analysis.tally import by_gender, tally
from indikator.analysis.trends import trend_table
from indikator.charts.kinds import COMPARISON, DISTRIBUTION, KINDS, TREND, Sources
from indikator.importing import ImportResult
from indikator.input.files import Inputs, Side
from indikator.input.response_rates import checked_rates
from indikator.options import PackOptions
from indikator.questionnaires import Catalog


@dataclass(frozen=True)
class Figure:
    """One chart of the pack, in report order: what kind, its spec and its builder."""

    kind: str  # the name of a charts.kinds.ChartKind
    spec: object
    build: Callable

    @property
    def stem(self) -> str:
        return self.spec.file_stem

    @property
    def survey(self) -> str:
        return self.spec.survey

    @cached_property
    def alt_text(self) -> str:
        """Every number the chart shows, in words (charts.kinds), worked out once: the
        appendix, the depth document and the deck describe the same charts."""
        return KINDS[self.kind].alt_text(self.spec)


@dataclass(frozen=True)
class Report:
    """A pack's content: tables (None when the pack has no such table), charts and notes.

    imported: the import as published (publishable: no individual answers, and no
        problems or extra columns of hidden sheets).
    distributions: as published (publishable: no size of a hidden group or question).
    rates, goals, trends, reference, side: svarsfrekvens.csv, mal.csv, trender.csv,
        referens.csv and forbund.csv (the aggregate's förbund × question).
    accounting: the row accounting the texts print (the import's, or the aggregate's).
    private: the (file, sheet) whose answers are hidden, published without positions.
    """

    imported: ImportResult
    distributions: Distributions
    catalog: Catalog
    options: PackOptions
    changes: pd.DataFrame | None = None
    rates: pd.DataFrame | None = None
    goals: pd.DataFrame | None = None
    trends: pd.DataFrame | None = None
    reference: pd.DataFrame | None = None
    side: pd.DataFrame | None = None
    notes: tuple = ()
    figures: tuple[Figure, ...] = ()
    accounting: str = ""
    private: frozenset = field(default_factory=frozenset)
    withheld: bool = False  # problems the import found are not published (PRIVATE_PROBLEMS)

    @property
    def min_n(self) -> int:
        return self.options.min_n

    @property
    def marker(self) -> str:
        """e.g. "Exempeldata – påhittat förbund", on every page and chart."""
        return self.options.marker

    @property
    def forbund(self) -> str:
        return self.options.forbund

    @cached_property
    def worked_out(self) -> dict:
        """Texts the documents of this report share, by what they are of (document.once):
        the appendix, the depth document and the page each ask for a survey's notes. A
        report is not changed once made, so neither are they."""
        return {}

    def count(self, *kinds: str) -> int:
        """How many charts of these kinds the report has."""
        return sum(1 for f in self.figures if f.kind in kinds)

    @property
    def charts(self) -> int:
        return self.count(DISTRIBUTION.name)

    @property
    def comparison_charts(self) -> int:
        return self.count(COMPARISON.name)

    @property
    def trend_charts(self) -> int:
        return self.count(TREND.name)


def published_problems(problems: list, private: set | frozenset,
                       hidden_rows: frozenset = frozenset()) -> list:
    """The problems as the pack publishes them: none from a sheet whose answers it hides,
    nor on the row of a person in a hidden group, since a row number, the number of lines
    alike, or that there is a problem at all tells something of fewer than --min-n people
    (summary.PRIVATE_PROBLEMS says so); and never what a cell holds."""
    return [replace(p, value=None) for p in problems
            if (p.location.file, p.location.sheet) not in private
            and (p.location.file, p.location.sheet, p.location.row) not in hidden_rows]


def tallied_groups(respondents: pd.DataFrame, catalog: Catalog, options: PackOptions
                   ) -> pd.DataFrame:
    """The respondents grouped as the tally groups them (by kön with --by kon)."""
    return by_gender(respondents, catalog) if options.by == "kon" else respondents


def hidden_rows(respondents: pd.DataFrame, groups: pd.DataFrame) -> frozenset:
    """(file, sheet, row) of every person in a group the pack hides; `respondents` grouped
    as the tally groups them."""
    hidden = groups[~groups["shown"].astype(bool)][["survey", "year", "group"]]
    if respondents.empty or hidden.empty:
        return frozenset()
    people = respondents.merge(hidden, on=["survey", "year", "group"])
    return frozenset((f, s if isinstance(s, str) else None, int(r)) for f, s, r in
                     zip(people["file"], people["sheet"], people["row"], strict=True))


def _without_extra_columns(report):
    """A hidden sheet's report as published: the columns it did not read are its own."""
    return replace(report, columns=[c for c in report.columns
                                    if c.role not in ("ignored", "metadata")])


def publishable(dist: Distributions, imported: ImportResult, private: frozenset,
                rows: frozenset = frozenset()) -> tuple[Distributions, ImportResult]:
    """The privacy gate every table of the report passes, the aggregate's too: no size of
    a hidden group, no count of a hidden question (`answered` says only that someone
    answered it), no individual answers, and nothing the import found in a hidden sheet
    or on the row of a person in a hidden group (`rows`, see hidden_rows): its problems,
    or the columns it did not read; no problem says what a cell holds. The distributions'
    `table`, `gender` and `no_answer` are published as they are: stats leaves hidden groups
    out of them."""
    groups = dist.groups.copy()
    groups["respondents"] = groups["respondents"].astype("Int64").where(groups["shown"])
    cells = dist.cells.copy()
    for column in ("n", "no_answer"):
        cells[column] = cells[column].astype("Int64").where(cells["shown"])
    published = replace(
        imported, answers=imported.answers.iloc[0:0], respondents=imported.respondents.iloc[0:0],
        no_answers=imported.no_answers.iloc[0:0],
        problems=published_problems(imported.problems, private, rows),
        reports=[_without_extra_columns(r) if (r.file, r.sheet) in private else r
                 for r in imported.reports])
    return replace(dist, groups=groups, cells=cells), published


def _without_counts(report):
    """A hidden sheet's report in the Report: what it is, not how many rows and answers it
    has (its own counts could be a hidden group's; the accounting printed is made first)."""
    return replace(report, rows_read=0, rows_used=0, rows_empty=0, rows_incomplete=0,
                   rows_duplicate=0, rows_error=0, rows_unread=0, rows_hidden=0,
                   respondents=0, answers=0, blanks=0, no_answer=0, invalid=0)


def previous_year(dist: Distributions, side: Side) -> tuple[pd.DataFrame, pd.DataFrame]:
    """What this run is compared with: (distribution table, group table).

    The run's own earlier years, or earlier packs' distributions.csv (and their
    grupper.csv) given with --compare, read and checked by inputs.read_side.
    """
    if not side.previous:
        return dist.table, dist.groups
    hidden = pd.concat([dist.groups, *side.previous_groups], ignore_index=True) \
        if side.previous_groups else dist.groups
    return pd.concat(side.previous, ignore_index=True), hidden


def report_order(figures: Sequence[Figure], catalog: Catalog) -> list[Figure]:
    """Per survey: the latest year's charts, the comparisons, the trends, then earlier years."""
    latest = {}
    for f in figures:
        if f.kind == DISTRIBUTION.name:
            latest[f.survey] = max(latest.get(f.survey, f.spec.year), f.spec.year)

    def key(item: tuple[int, Figure]):
        i, f = item
        if f.kind == DISTRIBUTION.name:
            part = 0 if f.spec.year == latest[f.survey] else max(
                k.order for k in KINDS.values()) + 1
            year = -f.spec.year
        else:
            part, year = KINDS[f.kind].order, 0
        return (catalog.ids.index(f.survey), part, year, i)

    return [f for _, f in sorted(enumerate(figures), key=key)]


def build_report(inputs: Inputs) -> Report:
    """The report of a run's inputs (inputs.read_inputs), with --reference beside it."""
    return make_report(inputs.imported, inputs.catalog, inputs.options, inputs.side,
                       reference=inputs.side.reference)


def private_places(imported: ImportResult, dist: Distributions) -> frozenset:
    """The (file, sheet) of a report whose answers are hidden (stats.hidden_places); the
    aggregate of many förbund hides every förbund's own (output.many)."""
    return frozenset(hidden_places(imported.respondents, dist.groups, imported.reports))


def own_rates(side: Side, dist: Distributions) -> tuple[pd.DataFrame | None, list]:
    """The response rates a report publishes from the rows beside its answers, and the
    warnings about them (none and none when there are no rows)."""
    if not side.rate_rows:
        return None, []
    return checked_rates(side.rate_rows, dist.groups)


def make_report(imported: ImportResult, catalog: Catalog, options: PackOptions,
                side: Side | None = None, *, reference=None,
                dist: Distributions | None = None,
                side_sort: str | None = None, rates: pd.DataFrame | None = None,
                accounting: str = "", private: set | frozenset | None = None,
                rows: frozenset | None = None) -> Report:
    """The report of answers already imported and checked, with the files beside them.

    side: the goals, response rates and earlier packs (inputs.read_side); none when not
        given.
    reference: a forbund.Reference (side.reference, or the aggregate beside each förbund);
        its bar stands under each question of every chart, and referens.csv compares the
        förbund with it.
    dist: the distributions to publish, when they are not tallied from `imported`
        (the aggregate of many förbund is the sum of what each förbund publishes).
    side_sort: this is the aggregate of many förbund: its charts are Alla's, plus the
        förbund side by side, sorted "namn" or "andel".
    rates: the response rates to publish as they are, instead of side's rate rows (the
        aggregate's: the förbund's published rates, response_rates.forbund_rates).
    accounting: the row accounting to publish instead of the import's (the aggregate's).
    private: the (file, sheet) whose positions are not published (stats.hidden_places);
        the aggregate's are its förbund's.
    rows: the (file, sheet, row) of people in hidden groups (hidden_rows); the
        aggregate's are its förbund's.
    """
    # tally
    dist = dist if dist is not None else tally(imported, catalog, options)
    side = side if side is not None else Side()  # nothing beside the answers
    # what to compare with: this run's years and those of earlier packs (which never
    # share a year with this run)
    previous, hidden = previous_year(dist, side)
    every_year = dist.table if previous is dist.table else pd.concat(
        [dist.table, previous], ignore_index=True)
    changes = compare(dist.table, previous, catalog, options.min_n, hidden=hidden)
    # the sheets whose answers are hidden: nothing about their rows is published
    private = private_places(imported, dist) if private is None else frozenset(private)
    # response rates
    notes: list = []
    if rates is None:
        rates, found = own_rates(side, dist)
        notes += found
    # goals
    goals = (evaluate(side.goals, every_year, dist.groups, dist.cells, imported.answers,
                      changes) if side.goals else None)
    # trends over every year
    years = pd.concat([dist.groups[["survey", "year"]], every_year[["survey", "year"]]])
    input_years = years.groupby("survey", observed=True)["year"].agg(
        lambda ys: set(map(int, ys))).to_dict()
    trends = trend_table(every_year, catalog, input_years)
    # the förbund against the reference
    against = None
    if reference is not None:
        from indikator.analysis.forbund import compare_with_reference

        against = compare_with_reference(dist, reference, catalog, options.min_n)
    # the aggregate: förbund side by side
    beside = overall = None
    if side_sort is not None:
        from indikator.analysis.forbund import side_by_side

        beside = side_by_side(dist, catalog)
        overall = side_by_side(dist, catalog, alla=True)
    # the charts of every kind, in report order
    sources = Sources(dist, every_year, changes, trends, catalog, options.marker, reference,
                      beside, overall, side_sort or "namn")
    figures = [Figure(kind.name, spec, kind.build)
               for kind in KINDS.values() for spec in kind.specs(sources)]
    ordered = report_order(figures, catalog)
    stems = [f.stem for f in ordered]
    if len(set(stems)) != len(stems):  # unique by construction; never overwrite a chart
        raise RuntimeError(f"two charts share a file name: {sorted(stems)}")
    # the privacy gate: what the report holds may be published
    grouped = tallied_groups(imported.respondents, catalog, options)
    rows = hidden_rows(grouped, dist.groups) if rows is None else rows
    dist_public, published = publishable(dist, imported, private, rows)
    # the row accounting as the texts print it, before a hidden sheet's counts are blanked
    from indikator.report.summary import published_accounting

    accounting = accounting or published_accounting(published, dist_public)
    published = replace(published, reports=[
        _without_counts(r) if (r.file, r.sheet) in private else r for r in published.reports])
    return Report(published, dist_public, catalog, options,
                  changes=changes if not changes.empty else None, rates=rates, goals=goals,
                  trends=trends if not trends.empty else None, reference=against,
                  side=beside, notes=tuple(notes), figures=tuple(ordered),
                  accounting=accounting, private=private,
                  withheld=bool(private) or len(published.problems) < len(imported.problems))
