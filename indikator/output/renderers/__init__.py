"""Renderers of a report: each writes one document, found through options.OUTPUT_FORMATS.

    report (tables, figures) → document.Document (blocks) → PDF, Word, HTML
    report (tables)          → tabeller.xlsx
    report (tables, figures) → deck.Deck (slides)         → indikatorer.pptx
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, partial
from importlib import import_module
from pathlib import Path

from indikator.options import OUTPUT_FORMATS
from indikator.questionnaires import Catalog


@dataclass(frozen=True)
class Writer:
    """A document --format asks for, with its model built."""

    file: str  # its file name in the pack
    write: Callable[[], None]  # writes it into the stage
    charts: dict[str, str]  # chart stem -> the copy it shows ("svg" or "png"); {}: none

    @property
    def needs_charts(self) -> bool:
        return bool(self.charts)


def document_writers(report, catalog: Catalog, options, stage: Path,
                     images: Path) -> list[Writer]:
    """For each document --format asks for: its file name, a function that writes it
    into `stage`, and which charts it shows in which copy (the workbook shows none), so
    that only the copies some document shows are drawn.

    The document models are built here, once each, from the report alone. Those that
    need no charts come first.
    """
    from indikator.report.deck import ChartSlide, Deck, build_deck
    from indikator.report.document import Chart, build_document

    @cache
    def model(source: str):
        if source == "deck":
            return build_deck(report, images)
        return build_document(report, catalog, options.min_n, images, part=source)

    def shown(source, kind: str) -> dict[str, str]:
        """The charts a document model shows: its Chart blocks, or a deck's chart slides."""
        if not kind:
            return {}
        items = source.slides if isinstance(source, Deck) else source.blocks
        return {Path(b.image).stem: kind for b in items if isinstance(b, Chart | ChartSlide)}

    asked = [f for f in OUTPUT_FORMATS if f.name in options.formats and f.file is not None]
    asked.sort(key=lambda f: (f.needs_charts, f.source in ("appendix", "depth")))
    writers = []
    for fmt in asked:
        module, name = fmt.writer.split(":")
        write = getattr(import_module(module), name)
        source = model(fmt.source) if fmt.source else report
        writers.append(Writer(fmt.file, partial(write, source, stage / fmt.file, images),
                              shown(source, fmt.charts)))
    return writers


def copies_shown(writers: list[Writer]) -> dict[str, tuple[str, ...]]:
    """Chart stem -> the documents' copies of it that some document shows, in the order
    the pack writes them (svg, png)."""
    kinds: dict[str, set[str]] = {}
    for w in writers:
        for stem, kind in w.charts.items():
            kinds.setdefault(stem, set()).add(kind)
    return {stem: tuple(k for k in ("svg", "png") if k in found)
            for stem, found in kinds.items()}
