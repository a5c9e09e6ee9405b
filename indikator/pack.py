"""What a pack contains, and the one function that builds it from export files.

    import → check → distributions → charts → files (staged, moved in when all is written)
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .charts import chart_specs, comparison_chart, comparison_specs, stacked_chart
from .charts.trend import trend_chart, trend_specs
from .compare import compare
from .errors import EXIT_DATA, EXIT_INPUT, IndikatorError
from .goals import evaluate, read_goals
from .importing import ImportOptions, ImportResult, import_files
from .outputs import write_csv, write_figure, write_text
from .packfolder import staged
from .previous import read_previous
from .questionnaires import Catalog
from .report_text import report_text
from .response_rates import read_rate_file, read_rate_sheets, response_rates
from .stats import (
    DEFAULT_MIN_N,
    Distributions,
    distributions,
    pool_small_groups,
)
from .theme import DPI
from .trends import trend_table

DISTRIBUTIONS_FILE = "distributions.csv"
RATES_FILE = "svarsfrekvens.csv"
GOALS_FILE = "mal.csv"
GENDER_FILE = "kon.csv"
TRENDS_FILE = "trender.csv"
TEXT_FILE = "sammanfattning.md"
CHANGES_FILE = "changes.csv"
GROUPS_FILE = "grupper.csv"
INVALID_FILE = "ogiltiga_varden.csv"
NO_ANSWER_FILE = "vet_ej.csv"
SUMMARY_FILE = "sammanfattning.txt"
CHART_FOLDER = "diagram"
FORMATS = ("png", "svg")


@dataclass(frozen=True)
class PackOptions:
    importing: ImportOptions = field(default_factory=ImportOptions)
    min_n: int = DEFAULT_MIN_N
    compare: Path | tuple[Path, ...] | None = None  # earlier packs' distributions.csv
    formats: tuple[str, ...] = FORMATS  # () writes the tables and no charts
    dpi: int = DPI
    jobs: int = 0  # processes drawing charts; 0 = one per core
    pool_small: bool = False  # merge insatser under min_n into "Övriga insatser"
    response_rates: Path | None = None  # --svarsfrekvens: asked and declined per group
    goals: Path | None = None  # --mal, or mal.toml found beside the inputs
    by: str = "insats"  # the groups beside Alla: insats, or kon (kön instead of insats)
    marker: str = ""  # printed on every chart and in the summary, e.g. for example data


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


def read_and_check(paths: Sequence[Path], catalog: Catalog, options: PackOptions) -> ImportResult:
    """Import the files; stop with every problem listed if any of them is an error."""
    imported = import_files(paths, catalog, options.importing)
    if imported.errors:
        invalid = sum(1 for p in imported.errors if p.code == "invalid-value")
        hint = (" Rätta värdena, eller kör med --skip-invalid för att räkna dem som ej besvarade."
                if invalid else "")
        raise IndikatorError(
            f"Filerna har {len(imported.errors)} fel; inget paket skrevs.{hint}",
            imported.problems, exit_code=EXIT_DATA)
    return imported


def invalid_table(imported: ImportResult) -> pd.DataFrame:
    """The cells --skip-invalid counted as no answer: where they are, never what they held.

    The pack is published; a cell's text (free text typed in an answer column
    included) stays in the export, where the row and column point to it.
    """
    return pd.DataFrame(
        [(p.location.file, p.location.sheet or "", p.location.row, p.location.column,
          p.expected) for p in imported.skipped_invalid],
        columns=["file", "sheet", "row", "column", "expected"])


def public_groups(dist: Distributions) -> pd.DataFrame:
    """The group list as published: hidden groups keep their name and reason, not their size."""
    groups = dist.groups.copy()
    groups["respondents"] = groups["respondents"].astype("Int64").where(groups["shown"])
    return groups


BY_CHOICES = ("insats", "kon")


def by_gender(df: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """Groups by kön instead of insats (--by kon): one partition of Alla, as insatser are,
    so the same suppression rule protects it. Both at once would be two overlapping
    partitions whose intersections the rule does not protect."""
    labels = {c.code: c.label for c in catalog.gender.categories} if catalog.gender else {}
    df = df.copy()
    df["group"] = [labels.get(int(g)) if not pd.isna(g) else None for g in df["gender"]]
    return df


def tally(imported: ImportResult, catalog: Catalog, options: PackOptions) -> Distributions:
    """Distributions of the imported answers, small insatser pooled first if asked."""
    answers, respondents, no_answers = (imported.answers, imported.respondents,
                                        imported.no_answers)
    if options.by == "kon":
        answers, respondents, no_answers = (by_gender(df, catalog)
                                            for df in (answers, respondents, no_answers))
    if options.pool_small:
        answers, respondents, no_answers = pool_small_groups(answers, respondents, no_answers,
                                                             options.min_n)
    return distributions(answers, respondents, catalog, options.min_n, no_answers)


def previous_year(dist: Distributions, catalog: Catalog,
                  options: PackOptions) -> tuple[pd.DataFrame, pd.DataFrame]:
    """What this run is compared with: (distribution table, group table).

    The run's own earlier years, or an earlier pack's distributions.csv (and its
    grupper.csv, when it lies beside it) given with --compare.
    """
    previous = dist.table
    hidden = dist.groups
    files = ([] if options.compare is None else [options.compare]
             if isinstance(options.compare, str | Path) else list(options.compare))
    tables = []
    seen = set(zip(dist.table["survey"], dist.table["year"], strict=True))
    for path in files:
        table = read_previous(path, catalog)
        found = set(zip(table["survey"], table["year"], strict=True))
        if overlap := found & seen:
            survey, year = sorted(overlap)[0]
            raise IndikatorError(
                f"Året {year} för {survey} finns både i filerna (eller ett annat paket) och i "
                f"{path}; jämförelsen vet inte vilket som gäller.", exit_code=EXIT_INPUT)
        seen |= found
        tables.append(table)
        groups_file = Path(path).with_name(GROUPS_FILE)
        if groups_file.is_file():
            earlier = pd.read_csv(groups_file, encoding="utf-8")
            if {"survey", "year", "group", "shown"} <= set(earlier.columns):
                hidden = pd.concat([hidden, earlier[["survey", "year", "group", "shown"]]],
                                   ignore_index=True)
    if tables:
        previous = pd.concat(tables, ignore_index=True)
    return previous, hidden


def _render(job) -> list[Path]:
    """Draw one chart and write its files (runs in a worker process)."""
    build, spec, stem, formats, dpi = job
    return write_figure(build(spec).draw(), stem, formats, dpi)


def die_with_parent(parent: int) -> None:
    """In a chart worker: end when the run that started it ends, even by kill -9.

    Linux is told to kill the worker with its parent (PR_SET_PDEATHSIG); elsewhere a
    thread notices that the parent is gone.
    """
    import signal
    import sys
    import threading
    import time

    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(1)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def render_all(jobs: list, workers: int = 0,
               progress: Callable[[int, int], None] | None = None) -> list[Path]:
    """Draw every chart, in parallel processes when there are cores and charts for it.

    Drawing is plotnine's and matplotlib's pure-Python work, so processes, not
    threads; `workers=1` draws in this process.
    """
    workers = workers or os.cpu_count() or 1
    written: list[Path] = []
    if workers == 1 or len(jobs) < 4:
        for i, job in enumerate(jobs, start=1):
            written += _render(job)
            if progress is not None:
                progress(i, len(jobs))
        return written
    from concurrent.futures import ProcessPoolExecutor, as_completed

    with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), initializer=die_with_parent,
                             initargs=(os.getpid(),)) as pool:
        futures = [pool.submit(_render, job) for job in jobs]
        try:
            for i, future in enumerate(as_completed(futures), start=1):
                written += future.result()
                if progress is not None:
                    progress(i, len(jobs))
        except BaseException:
            for future in futures:
                future.cancel()
            raise
    return written


def build_pack(paths: Sequence[Path], out: Path, catalog: Catalog,
               options: PackOptions = PackOptions(),
               progress: Callable[[int, int], None] | None = None,
               summary: Callable[[Pack], str] | None = None) -> Pack:
    """Build the whole pack in `out`; on any error nothing in `out` changes."""
    goals = read_goals(options.goals, catalog) if options.goals is not None else []
    imported = read_and_check(paths, catalog, options)
    dist = tally(imported, catalog, options)
    previous, hidden = previous_year(dist, catalog, options)
    # this run's years and those of earlier packs (which never share a year with this run)
    every_year = dist.table if previous is dist.table else pd.concat(
        [dist.table, previous], ignore_index=True)
    changes = compare(dist.table, previous, catalog, options.min_n, hidden=hidden)
    specs = chart_specs(dist, catalog, options.marker)
    drawn = [(stacked_chart, spec) for spec in specs]
    if not changes.empty:
        compared = comparison_specs(every_year, changes, catalog, options.marker)
        drawn += [(comparison_chart, spec) for spec in compared]
    pack = Pack(Path(out), imported, dist, changes if not changes.empty else None,
                marker=options.marker)
    rate_rows = read_rate_sheets(imported.side_sheets, catalog)
    if options.response_rates is not None:
        rate_rows += read_rate_file(options.response_rates, catalog)
    if rate_rows:
        pack.rates, found = response_rates(rate_rows, dist.groups)
        pack.notes += found
    if goals:
        pack.goals = evaluate(goals, every_year, dist.groups, dist.cells)
    years = pd.concat([dist.groups[["survey", "year"]], every_year[["survey", "year"]]])
    input_years = years.groupby("survey")["year"].agg(lambda ys: set(map(int, ys))).to_dict()
    trends = trend_table(every_year, catalog, input_years)
    if not trends.empty:
        pack.trends = trends
        drawn += [(trend_chart, spec) for spec in trend_specs(trends, catalog, options.marker)]
    with staged(Path(out)) as stage:
        written = [write_csv(dist.table, stage / DISTRIBUTIONS_FILE),
                   write_csv(public_groups(dist), stage / GROUPS_FILE)]
        if pack.changes is not None:
            written.append(write_csv(changes, stage / CHANGES_FILE))
        if imported.skipped_invalid:
            written.append(write_csv(invalid_table(imported), stage / INVALID_FILE))
        if pack.rates is not None:
            written.append(write_csv(pack.rates, stage / RATES_FILE))
        if pack.goals is not None:
            written.append(write_csv(pack.goals, stage / GOALS_FILE))
        if not dist.gender.empty:
            written.append(write_csv(dist.gender, stage / GENDER_FILE))
        if pack.trends is not None:
            written.append(write_csv(pack.trends, stage / TRENDS_FILE))
        written.append(write_csv(dist.no_answer, stage / NO_ANSWER_FILE))
        stems = [spec.file_stem for _, spec in drawn]
        if len(set(stems)) != len(stems):  # unique by construction; never overwrite a chart
            raise RuntimeError(f"two charts share a file name: {sorted(stems)}")
        jobs = [(build, spec, stage / CHART_FOLDER / spec.file_stem, options.formats, options.dpi)
                for build, spec in drawn] if options.formats else []  # no formats: tables only
        written += render_all(jobs, options.jobs, progress)
        pack.charts = len(specs)
        pack.trend_charts = sum(1 for build, _ in drawn if build is trend_chart)
        pack.comparison_charts = len(drawn) - len(specs) - pack.trend_charts
        pack.files = [p.relative_to(stage).as_posix() for p in written]
        write_text(report_text(pack, catalog), stage / TEXT_FILE)
        pack.files.append(TEXT_FILE)
        if summary is not None:
            pack.files.append(SUMMARY_FILE)
            pack.summary = summary(pack)
            write_text(pack.summary, stage / SUMMARY_FILE)
    return pack
