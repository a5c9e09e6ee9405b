"""Renderers of a built pack: each writes one document from the pack and its document model.

    pack (tables, figures) → document.Document (blocks) → PDF, Word, HTML
    pack (tables)          → tabeller.xlsx
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..contents import DOCUMENT_FORMATS
from ..questionnaires import Catalog


def render_documents(pack, catalog: Catalog, options, stage: Path,
                     images: Path) -> Iterator[str]:
    """Write each document --format asks for into `stage`; yield its name when written."""
    from ..document import build_document

    asked = [f for f in options.formats if f in DOCUMENT_FORMATS]
    document = None
    for fmt in ("xlsx", "html", "pdf", "docx"):
        if fmt not in asked:
            continue
        path = stage / DOCUMENT_FORMATS[fmt]
        if fmt == "xlsx":
            from .workbook import write_workbook

            write_workbook(pack, catalog, path)
        elif fmt == "html":
            from .html import write_html

            write_html(build_document(pack, catalog, options.min_n, images, every_year=True),
                       path)
        else:
            if document is None:
                document = build_document(pack, catalog, options.min_n, images)
            if fmt == "pdf":
                from .pdf import write_pdf

                write_pdf(document, path, images)
            else:
                from .word import write_docx

                write_docx(document, path)
        yield path.name
