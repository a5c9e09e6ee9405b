"""What a pack contains, and the one function that builds it from export files.

    import → check → distributions → charts → files (staged, moved in when all is written)
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from . import contents
from .charts import chart_specs, comparison_chart, comparison_specs, stacked_chart
from .charts.trend import trend_chart, trend_specs
from .compare import compare
from .contents import present_tables
from .errors import EXIT_INPUT, IndikatorError
from .goals import evaluate
from .importing import ImportResult
from .inputs import Side, one_forbund, read_answers, read_side
from .options import BY_CHOICES as BY_CHOICES
from .options import PackOptions, tally
from .options import by_gender as by_gender
from .outputs import write_csv, write_figure, write_text
from .packfolder import staged
from .processes import die_with_parent
from .questionnaires import Catalog
from .report_text import report_text
from .response_rates import checked_rates
from .stats import (
    ALL,
    Distributions,
    hidden_places,
)
from .trends import trend_table

TEXT_FILE = contents.TEXT_FILE
SUMMARY_FILE = contents.SUMMARY_FILE
CHART_FOLDER = contents.CHART_FOLDER
GROUPS_FILE = "grupper.csv"
FORMATS = contents.FORMATS
DOC_DPI = 200  # chart images inside the PDF, Word and HTML documents


@dataclass(frozen=True)
class Figure:
    """One chart of the pack, in report order: what kind, its spec and its builder."""

    kind: str  # "fordelning", "jamforelse", "trend" or "sida" (förbund side by side)
    spec: object
    build: Callable

    @property
    def stem(self) -> str:
        return self.spec.file_stem

    @property
    def survey(self) -> str:
        return self.spec.survey


@dataclass
class Pack:
    """A built pack: where it is, what went into it, and the files written (relative)."""

    out: Path
    imported: ImportResult
    distributions: Distributions
    changes: pd.DataFrame | None = None
    files: list[str] = field(default_factory=list)
    charts: int = 0
    comparison_charts: int = 0
    trend_charts: int = 0
    summary: str = ""  # the text saved as sammanfattning.txt
    rates: pd.DataFrame | None = None  # svarsfrekvens.csv
    goals: pd.DataFrame | None = None  # mal.csv
    trends: pd.DataFrame | None = None  # trender.csv
    notes: list = field(default_factory=list)  # warnings found while packing (not importing)
    marker: str = ""  # e.g. "Exempeldata – påhittat förbund"
    figures: list[Figure] = field(default_factory=list)  # every chart, in report order
    forbund: str = ""
    reference: pd.DataFrame | None = None  # referens.csv: the förbund against the reference
    drawn: list[str] = field(default_factory=list)  # the charts drawn in this run (stems)
    reused: int = 0  # charts whose files were taken from the pack already in `out`
    side: pd.DataFrame | None = None  # forbund.csv: förbund × question (the aggregate)
    accounting: str = ""  # the row accounting to publish, when not the import's own
    private: set = field(default_factory=set)  # (file, sheet) published without positions


def published_problems(problems: list, private: set) -> list:
    """The problems as the pack publishes them: none from a sheet whose answers it hides,
    since a row number, the number of lines alike, or that there is a problem at all
    tells something of fewer than --min-n people (summary.PRIVATE_PROBLEMS says so)."""
    return [p for p in problems if (p.location.file, p.location.sheet) not in private]


def _without_extra_columns(report):
    """A hidden sheet's report as published: the columns it did not read are its own."""
    return replace(report, columns=[c for c in report.columns
                                    if c.role not in ("ignored", "metadata")])


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


def _render(job) -> list[Path]:
    """Draw one chart and write its files (runs in a worker process).

    `doc`: where the documents' copy goes, without the question texts under the
    chart (the documents print them as text) and cropped to what is drawn.
    """
    build, spec, stem, formats, dpi, doc = job
    return write_figure(build(spec), stem, formats, dpi, doc=doc, doc_dpi=DOC_DPI)


def render_all(jobs: list, workers: int = 0,
               progress: Callable[[int], None] | None = None,
               meanwhile: Callable[[], None] | None = None) -> list[Path]:
    """Draw every chart, in parallel processes when there are cores and charts for it;
    `meanwhile` runs in this process while they draw (or after, when drawing here).

    Drawing is matplotlib's work, much of it pure Python, so processes, not
    threads; `workers=1` draws in this process.
    """
    workers = workers or os.cpu_count() or 1
    written: list[Path] = []
    if workers == 1 or len(jobs) < 4:
        for i, job in enumerate(jobs, start=1):
            written += _render(job)
            if progress is not None:
                progress(i)
        if meanwhile is not None:
            meanwhile()
        return written
    from concurrent.futures import ProcessPoolExecutor, as_completed

    with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), initializer=die_with_parent,
                             initargs=(os.getpid(),)) as pool:
        futures = [pool.submit(_render, job) for job in jobs]
        try:
            if meanwhile is not None:
                meanwhile()
            for i, future in enumerate(as_completed(futures), start=1):
                written += future.result()
                if progress is not None:
                    progress(i)
        except BaseException:
            for future in futures:
                future.cancel()
            raise
    return written


def report_order(figures: list[Figure], catalog: Catalog) -> list[Figure]:
    """Per survey: the latest year's charts, the comparisons, the trends, then earlier years."""
    latest = {}
    for f in figures:
        if f.kind == "fordelning":
            latest[f.survey] = max(latest.get(f.survey, f.spec.year), f.spec.year)

    def key(item: tuple[int, Figure]):
        i, f = item
        if f.kind == "fordelning":
            part = 0 if f.spec.year == latest[f.survey] else 3
            year = -f.spec.year
        else:
            part, year = {"jamforelse": 1, "sida": 1, "trend": 2}[f.kind], 0
        return (catalog.ids.index(f.survey), part, year, i)

    return [f for _, f in sorted(enumerate(figures), key=key)]


def chart_formats(options: PackOptions) -> tuple[tuple[str, ...], bool]:
    """(the chart files asked for, whether the documents need their copy of each chart)."""
    files = tuple(f for f in options.formats if f in contents.CHART_FORMATS)
    documents = any(f in ("pdf", "docx", "html") for f in options.formats)
    return files, documents


def build_pack(paths: Sequence[Path], out: Path, catalog: Catalog,
               options: PackOptions | None = None,
               progress: Callable[[int, int], None] | None = None,
               summary: Callable[[Pack], str] | None = None) -> Pack:
    """Build the whole pack in `out`; on any error nothing in `out` changes."""
    options = options or PackOptions()

    unknown = [f for f in options.formats if f not in FORMATS]
    if unknown:
        raise IndikatorError(f"Okänt format: {', '.join(unknown)}. Välj bland "
                             f"{','.join(FORMATS)}.", exit_code=EXIT_INPUT)
    options = mark_example(paths, options)
    imported = read_answers(paths, catalog, options)
    named = one_forbund(imported)
    if named and not options.forbund:
        options = replace(options, forbund=named)
    side = read_side(paths, imported, catalog, options)
    return pack_imported(imported, out, catalog, options, side.goals, progress, summary,
                         reference=side.reference, side=side)


def mark_example(paths: Sequence[Path], options: PackOptions) -> PackOptions:
    """The bundled example's pack says on every page that its data are made up."""
    from .example import MARKER, is_example

    if not options.marker and is_example(paths):
        options = replace(options, marker=MARKER)
    return options


def pack_imported(imported: ImportResult, out: Path, catalog: Catalog, options: PackOptions,
                  goals: Sequence = (), progress: Callable[[int, int], None] | None = None,
                  summary: Callable[[Pack], str] | None = None,
                  dist: Distributions | None = None, reference=None,
                  side_sort: str | None = None, into: Path | None = None,
                  side: Side | None = None, rates: pd.DataFrame | None = None,
                  accounting: str = "", private: set | None = None) -> Pack:
    """The pack of answers already imported and checked.

    dist: the distributions to publish, when they are not tallied from `imported`
        (the aggregate of many förbund is the sum of what each förbund publishes).
    reference: a forbund.Reference; its bar stands under each question of every
        chart, and referens.csv compares the förbund with it.
    side_sort: this is the aggregate of many förbund: its charts are Alla's, plus the
        förbund side by side, sorted "namn" or "andel".
    into: write into this folder of an enclosing staged pack (many förbund in one
        switch) instead of staging `out` itself.
    side: the files beside the answers, read (inputs.read_side); read here when not given.
    rates: the response rates to publish as they are, instead of side's rate rows (the
        aggregate's: the förbund's published rates, response_rates.forbund_rates).
    accounting: the row accounting to publish instead of the import's (the aggregate's:
        summary.many_accounting).
    private: the (file, sheet) whose positions are not published (stats.hidden_places);
        the aggregate's are its förbund's.
    """
    import tempfile
    from contextlib import nullcontext

    dist = dist if dist is not None else tally(imported, catalog, options)
    if side is None:
        side = read_side([], imported, catalog, replace(options, goals=None, reference=None))
    previous, hidden = previous_year(dist, side)
    # this run's years and those of earlier packs (which never share a year with this run)
    every_year = dist.table if previous is dist.table else pd.concat(
        [dist.table, previous], ignore_index=True)
    changes = compare(dist.table, previous, catalog, options.min_n, hidden=hidden)
    specs = chart_specs(dist, catalog, options.marker,
                        None if reference is None else reference.table,
                        "" if reference is None else reference.name)
    if side_sort is not None:
        specs = [s for s in specs if s.group == ALL]
    figures = [Figure("fordelning", spec, stacked_chart) for spec in specs]
    if not changes.empty:
        compared = comparison_specs(every_year, changes, catalog, options.marker)
        figures += [Figure("jamforelse", spec, comparison_chart) for spec in compared]
    private = (hidden_places(imported.respondents, dist.groups, imported.reports)
               if private is None else private)
    published = replace(imported, problems=published_problems(imported.problems, private),
                        reports=[_without_extra_columns(r) if (r.file, r.sheet) in private
                                 else r for r in imported.reports])
    pack = Pack(Path(out), published, dist, changes if not changes.empty else None,
                marker=options.marker, forbund=options.forbund, accounting=accounting,
                private=private)
    if rates is not None:
        pack.rates = rates
    elif side.rate_rows:
        pack.rates, found = checked_rates(side.rate_rows, dist.groups)
        pack.notes += found
    if goals:
        pack.goals = evaluate(goals, every_year, dist.groups, dist.cells, imported.answers,
                              changes)
    years = pd.concat([dist.groups[["survey", "year"]], every_year[["survey", "year"]]])
    input_years = years.groupby("survey")["year"].agg(lambda ys: set(map(int, ys))).to_dict()
    trends = trend_table(every_year, catalog, input_years)
    if not trends.empty:
        pack.trends = trends
        figures += [Figure("trend", spec, trend_chart)
                     for spec in trend_specs(trends, catalog, options.marker)]
    if reference is not None:
        from .forbund import compare_with_reference

        pack.reference = compare_with_reference(dist, reference, catalog, options.min_n)
    if side_sort is not None:
        from .charts.side import side_chart, side_specs
        from .forbund import side_by_side

        figures = [f for f in figures if f.spec.group == ALL]
        pack.side = side_by_side(dist, catalog)
        overall = side_by_side(dist, catalog, alla=True)
        figures += [Figure("sida", spec, side_chart)
                    for spec in side_specs(pack.side, overall, catalog, side_sort,
                                           options.marker)]
    pack.figures = report_order(figures, catalog)
    pack.charts = len(specs)
    pack.trend_charts = sum(1 for f in figures if f.kind == "trend")
    pack.comparison_charts = sum(1 for f in figures if f.kind == "jamforelse")
    stems = [f.stem for f in pack.figures]
    if len(set(stems)) != len(stems):  # unique by construction; never overwrite a chart
        raise RuntimeError(f"two charts share a file name: {sorted(stems)}")
    files, documents = chart_formats(options)
    place = nullcontext(into) if into is not None else staged(Path(out))
    with place as stage, tempfile.TemporaryDirectory(prefix="indikator-") as tmp:
        stage.mkdir(parents=True, exist_ok=True)
        images = Path(tmp)
        written = [write_csv(df, stage / table.file) for table, df in present_tables(pack)]
        from . import cache

        code = cache.code_hash()
        old = cache.read_index(Path(out))
        entries, docs, jobs, reused = {}, {}, [], 0
        for f in pack.figures if files or documents else []:
            doc = images / f"{f.stem}.png" if documents else None
            key = cache.chart_key(f, files, options.dpi, DOC_DPI if documents else None, code)
            entries[key] = {"stem": f.stem, "files": [
                f"{CHART_FOLDER}/{f.stem}.{fmt}" for fmt in files]}
            if doc is not None:
                docs[key] = doc
            copied = cache.reuse(old, key, entries[key]["files"], stage, doc)
            if copied is not None:
                written += copied
                reused += 1
            else:
                jobs.append((f.build, f.spec, stage / CHART_FOLDER / f.stem, files,
                             options.dpi, doc))
        pack.drawn, pack.reused = [job[0 + 2].name for job in jobs], reused
        steps = len(jobs) + sum(f in contents.DOCUMENT_FORMATS for f in options.formats)
        step = progress and (lambda i: progress(i, steps))
        from .renderers import document_writers

        writers = []

        def meanwhile() -> None:
            """The document models, and the workbook, while the charts are drawn."""
            writers.extend(document_writers(pack, catalog, options, stage, images))
            for _, write, needs_charts in writers:
                if not needs_charts:
                    write()

        written += [p for p in render_all(jobs, options.jobs, step, meanwhile)
                    if p.is_relative_to(stage)]
        if entries:
            written += cache.write_index(stage, entries, docs)
        if options.fingerprint:
            (stage / cache.CACHE_FOLDER).mkdir(exist_ok=True)
            write_text(options.fingerprint + "\n", stage / cache.CACHE_FOLDER / cache.RUN_KEY)
        pack.files = [p.relative_to(stage).as_posix() for p in written
                      if cache.CACHE_FOLDER not in p.parts]
        write_text(report_text(pack, catalog), stage / TEXT_FILE)
        pack.files.append(TEXT_FILE)
        for i, (name, write, needs_charts) in enumerate(writers, start=len(jobs) + 1):
            if needs_charts:
                write()
            pack.files.append(name)
            if step:
                step(i)
        if summary is not None:
            pack.files.append(SUMMARY_FILE)
            pack.summary = summary(pack)
            write_text(pack.summary, stage / SUMMARY_FILE)
    return pack
