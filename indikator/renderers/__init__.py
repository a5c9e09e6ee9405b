"""Renderers of a built pack: each writes one document from the pack and its document model.

    pack (tables, figures) → document.Document (blocks) → PDF, Word, HTML
    pack (tables)          → tabeller.xlsx
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from ..contents import DOCUMENT_FORMATS
from ..questionnaires import Catalog


def document_writers(pack, catalog: Catalog, options, stage: Path,
                     images: Path) -> list[tuple[str, Callable[[], None], bool]]:
    """For each document --format asks for: its file name, a function that writes it
    into `stage`, and whether it needs the charts' images (the workbook does not).

    The document models are built here, from the pack alone, so this can run while
    the charts are being drawn.
    """
    from ..document import build_document

    asked = [f for f in options.formats if f in DOCUMENT_FORMATS]
    writers = []
    document = None
    for fmt in ("xlsx", "html", "pdf", "docx"):
        if fmt not in asked:
            continue
        path = stage / DOCUMENT_FORMATS[fmt]
        if fmt == "xlsx":
            from .workbook import write_workbook

            writers.append((path.name, partial(write_workbook, pack, catalog, path), False))
        elif fmt == "html":
            from .html import write_html

            every = build_document(pack, catalog, options.min_n, images, every_year=True)
            writers.append((path.name, partial(write_html, every, path), True))
        else:
            if document is None:
                document = build_document(pack, catalog, options.min_n, images)
            if fmt == "pdf":
                from .pdf import write_pdf

                writers.append((path.name, partial(write_pdf, document, path, images), True))
            else:
                from .word import write_docx

                writers.append((path.name, partial(write_docx, document, path), True))
    return writers
