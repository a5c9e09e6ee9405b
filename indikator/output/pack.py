"""Writing a report into a folder, and the one function that builds a pack from files.

    inputs → report (report.build_report) → files: tables, charts, documents, texts
    (staged, moved in when all is written)
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from indikator import options as options_module
from indikator.input.files import read_inputs
from indikator.options import PackOptions
from indikator.output.files import write_csv, write_drawing, write_text
from indikator.output.folder import check_path_length, staged
from indikator.output.processes import in_workers, travels
from indikator.questionnaires import Catalog
from indikator.report import contents
from indikator.report.contents import present_tables
from indikator.report.model import Report, build_report
from indikator.report.paragraphs import report_text

TEXT_FILE = contents.TEXT_FILE
SUMMARY_FILE = contents.SUMMARY_FILE
CHART_FOLDER = contents.CHART_FOLDER
DOC_DPI = 200  # the chart images inside Word and PowerPoint


@dataclass
class Pack:
    """A written pack: where it is, its report, and the files written (relative paths).

    The report's tables and charts read as the pack's own (pack.distributions,
    pack.goals, …): the pack is the report put in a folder.
    """

    out: Path
    report: Report
    files: list[str] = field(default_factory=list)
    summary: str = ""  # the text saved as sammanfattning.txt
    drawn: list[str] = field(default_factory=list)  # the charts drawn in this run (stems)
    reused: int = 0  # charts whose files were taken from the pack already in `out`

    def __getattr__(self, name: str):
        if name.startswith("__") or name == "report":
            raise AttributeError(name)
        return getattr(self.report, name)


@travels
def _render(job) -> list[Path]:
    """Draw one chart and write its files (runs in a worker process).

    `doc`: where the documents' copy goes, without the question texts under the
    chart (the documents print them as text) and cropped to what is drawn, in the
    formats `copies` (those some document shows).
    """
    build, spec, stem, formats, dpi, doc, copies = job
    return write_drawing(build(spec), stem, formats, dpi, doc=doc, doc_dpi=DOC_DPI,
                         doc_formats=copies)


def render_all(jobs: list, workers: int = 0,
               progress: Callable[[int], None] | None = None,
               meanwhile: Callable[[], None] | None = None) -> list[Path]:
    """Draw every chart, in parallel processes when there are cores and charts for it;
    `meanwhile` runs in this process while they draw (or after, when drawing here).

    Laying out a chart and writing its files is mostly Python, so processes, not
    threads; `workers=1` draws in this process.
    """
    workers = workers or os.cpu_count() or 1
    if workers == 1 or len(jobs) < 4:
        written: list[Path] = []
        for i, job in enumerate(jobs, start=1):
            written += _render(job)
            if progress is not None:
                progress(i)
        if meanwhile is not None:
            meanwhile()
        return written
    drawn = in_workers(_render, jobs, min(workers, len(jobs)), progress, meanwhile)
    return [path for paths in drawn for path in paths]


def pack_names(report: Report, files: tuple[str, ...]) -> list[str]:
    """The pack's files by their names in it: tables, documents and every chart file."""
    names = [t.file for t in contents.TABLES] + [f.file for f in options_module.OUTPUT_FORMATS
                                        if f.file is not None]
    names += [f"{CHART_FOLDER}/{f.stem}.{fmt}" for f in report.figures for fmt in files]
    return names


def chart_formats(options: PackOptions) -> tuple[tuple[str, ...], bool]:
    """(the chart files asked for, whether the documents need their copy of each chart)."""
    files = tuple(f for f in options.formats if f in options_module.CHART_FORMATS)
    documents = any(f.needs_charts and f.name in options.formats
                    for f in options_module.OUTPUT_FORMATS)
    return files, documents


def build_pack(paths: Sequence[Path], out: Path, catalog: Catalog,
               options: PackOptions | None = None,
               progress: Callable[[int, int], None] | None = None,
               summary: Callable[[Pack], str] | None = None) -> Pack:
    """Build the whole pack in `out`; on any error nothing in `out` changes."""
    inputs = read_inputs(paths, catalog, options or PackOptions())
    return write_pack(build_report(inputs), out, progress, summary)


def write_pack(report: Report, out: Path | str,
               progress: Callable[[int, int], None] | None = None,
               summary: Callable[[Pack], str] | None = None,
               into: Path | None = None) -> Pack:
    """Write the report into `out`: tables, charts (drawn in parallel, or taken from the
    pack already there when nothing of them changed), documents and texts; all staged and
    switched in at the end, so that on any error nothing in `out` changes.

    into: write into this folder of an enclosing staged pack (many förbund in one
        switch) instead of staging `out` itself.
    summary: the text of sammanfattning.txt, from the written pack.
    """
    from indikator.output.renderers.pdf import TYPST

    # one process compiles the pack's PDFs, and ends with the pack: kept longer, a forked
    # helper holds on to a copy of each page of this process's memory that changed since
    # the fork (measured: 570 MB after four förbund of a nation)
    with TYPST.kept():
        return _write_pack(report, out, progress, summary, into)


def _write_pack(report: Report, out: Path | str,
                progress: Callable[[int, int], None] | None,
                summary: Callable[[Pack], str] | None, into: Path | None) -> Pack:
    """write_pack's work."""
    import tempfile
    from contextlib import nullcontext

    catalog, options = report.catalog, report.options
    pack = Pack(Path(out), report)
    files, documents = chart_formats(options)
    place = nullcontext(into) if into is not None else staged(Path(out))
    with place as stage, tempfile.TemporaryDirectory(prefix="indikator-") as tmp:
        stage.mkdir(parents=True, exist_ok=True)
        check_path_length(stage, Path(os.path.abspath(out)), pack_names(report, files))
        images = Path(tmp)
        written = [write_csv(df, stage / table.file) for table, df in present_tables(report)]
        from indikator.output import cache
        from indikator.output.renderers import copies_shown, document_writers

        # the document models first: they say which copies of which charts they show,
        # and only those are drawn (Word shows some 60 of a förbund's 80 charts)
        writers = document_writers(report, catalog, options, stage, images)
        shown = copies_shown(writers)
        code = cache.code_hash()
        old = cache.read_index(Path(out))
        entries, docs, jobs, reused = {}, {}, [], 0
        for f in pack.figures if files or documents else []:
            copies = shown.get(f.stem, ())
            if not files and not copies:
                continue  # no file asked for and in no document: nothing to draw
            doc = images / f"{f.stem}.png" if copies else None
            key = cache.chart_key(f, files, options.dpi, (DOC_DPI, copies) if copies else None,
                                  code)
            entries[key] = {"stem": f.stem, "files": [
                f"{CHART_FOLDER}/{f.stem}.{fmt}" for fmt in files]}
            if doc is not None:
                docs[key] = doc
            copied = cache.reuse(old, key, entries[key]["files"], stage, doc, copies)
            if copied is not None:
                written += copied
                reused += 1
            else:
                jobs.append((f.build, f.spec, stage / CHART_FOLDER / f.stem, files,
                             options.dpi, doc, copies))
        pack.drawn, pack.reused = [job[2].name for job in jobs], reused
        steps = len(jobs) + sum(f.file is not None and f.name in options.formats
                                for f in options_module.OUTPUT_FORMATS)
        step = progress and (lambda i: progress(i, steps))

        def meanwhile() -> None:
            """The documents that show no charts (the workbook), while they are drawn."""
            for w in writers:
                if not w.needs_charts:
                    w.write()

        written += [p for p in render_all(jobs, options.jobs, step, meanwhile)
                    if p.is_relative_to(stage)]
        if entries:
            written += cache.write_index(stage, entries, docs)
        if options.fingerprint:
            (stage / cache.CACHE_FOLDER).mkdir(exist_ok=True)
            write_text(options.fingerprint + "\n", stage / cache.CACHE_FOLDER / cache.RUN_KEY)
        pack.files = [p.relative_to(stage).as_posix() for p in written
                      if cache.CACHE_FOLDER not in p.parts]
        write_text(report_text(report, catalog), stage / TEXT_FILE)
        pack.files.append(TEXT_FILE)
        for i, w in enumerate(writers, start=len(jobs) + 1):
            if w.needs_charts:
                w.write()
            pack.files.append(w.file)
            if step:
                step(i)
        summarised(pack, stage, summary)
    return pack


def summarised(pack: Pack, folder: Path, summary: Callable[[Pack], str] | None) -> Pack:
    """The pack with its sammanfattning.txt in `folder` (none without `summary`); made in
    the main process also for packs written in workers, so any callable will do."""
    if summary is not None:
        pack.summary = summary(pack)
        write_text(pack.summary, folder / SUMMARY_FILE)
        pack.files.append(SUMMARY_FILE)
    return pack
