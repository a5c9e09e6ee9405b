"""Renderers of a report: each writes one document, found through options.OUTPUT_FORMATS.

    report (tables, figures) → document.Document (blocks) → PDF, Word, HTML
    report (tables)          → tabeller.xlsx
    report (tables, figures) → deck.Deck (slides)         → indikatorer.pptx
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, partial
from importlib import import_module
from pathlib import Path

from indikator.options import OUTPUT_FORMATS
from indikator.questionnaires import Catalog


def document_writers(report, catalog: Catalog, options, stage: Path,
                     images: Path) -> list[tuple[str, Callable[[], None], bool]]:
    """For each document --format asks for: its file name, a function that writes it
    into `stage`, and whether it needs the charts' images (the workbook does not).

    The document models are built here, once each, from the report alone, so this can
    run while the charts are being drawn. Those that need no charts come first.
    """
    from indikator.report.document import build_document

    @cache
    def model(source: str):
        return build_document(report, catalog, options.min_n, images, part=source)

    asked = [f for f in OUTPUT_FORMATS if f.name in options.formats and f.file is not None]
    asked.sort(key=lambda f: (f.needs_charts, f.source in ("appendix", "depth")))
    writers = []
    for fmt in asked:
        module, name = fmt.writer.split(":")
        write = getattr(import_module(module), name)
        source = model(fmt.source) if fmt.source else report
        writers.append((fmt.file, partial(write, source, stage / fmt.file, images),
                        fmt.needs_charts))
    return writers
