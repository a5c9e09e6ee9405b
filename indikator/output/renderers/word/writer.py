"""indikatorer.docx: the appendix as a Word document to edit and paste from (python-docx).

Real headings (Rubrik 1/2, numbered as in the PDF, so Word's navigation pane and table
of contents see them), a table of contents already filled in, charts as pictures at the
text width with their numbers as alt text and their titles as captions (Beskrivning),
tables as Word tables whose columns fit their words, all proofed as Swedish.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from indikator.output.renderers.word import contents, styles
from indikator.output.renderers.word.body import Body, table_xml
from indikator.output.renderers.word.widths import FONT_PT, widths_twips
from indikator.report.document import Bullets, Chart, Document, Heading, Paragraph, Table
from indikator.text import keep_numbers

TEXT_WIDTH_CM = styles.TEXT_WIDTH_CM
SHORT_TABLE = 30  # rows; the PDF keeps a table this short on one page
TABLE_STYLE = "Light List Accent 1"


def _table(body: Body, t: Table) -> None:
    """The caption, kept with the table; the table at fixed column widths that fit its
    words (Word reads the cells' widths, LibreOffice the grid's), only the header row
    emphasised as in the PDF (the table style would also set the first column in bold,
    which the widths do not measure), no row split over two pages, the header row
    repeated on every page a table runs over, and a short table (as in the PDF: up to
    30 rows) kept on one page; then an empty paragraph."""
    caption = body.paragraph(t.caption, style="Caption")
    caption.paragraph_format.keep_with_next = True  # the caption stays with its table
    rows = [tuple(keep_numbers(v) for v in row) for row in (t.header, *t.rows)]
    body.table(table_xml(body.style_id(TABLE_STYLE, table=True), widths_twips(t), rows,
                         t.numeric, round(FONT_PT * 2),
                         len(t.rows) if len(t.rows) <= SHORT_TABLE else 0))
    body.paragraph()


def _picture(body: Body, c: Chart) -> None:
    from docx.shared import Cm

    paragraph, inline = body.picture(c.image, Cm(TEXT_WIDTH_CM))
    paragraph.paragraph_format.keep_with_next = True  # with its caption
    inline.docPr.set("descr", c.alt)  # alt text: every number of the chart
    inline.docPr.set("title", c.title)
    body.paragraph(c.title, style="Caption")


def _title_page(body: Body, doc: Document) -> None:
    from docx.enum.text import WD_BREAK
    from docx.shared import RGBColor

    body.paragraph(doc.title, style="Title")
    body.paragraph(doc.subtitle, style="Subtitle")
    body.paragraph(doc.lead)
    if doc.marker:
        run = body.paragraph().add_run(doc.marker.upper())
        run.bold = True
        run.font.color.rgb = RGBColor(0x8A, 0x5A, 0x00)
    body.paragraph().add_run().add_break(WD_BREAK.PAGE)


def _page_numbers(section) -> None:
    """A page number centred in the footer (a PAGE field), none on the title page: the
    numbers that the contents give once Word has updated it."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    section.different_first_page_header_footer = True
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    contents.page_field(paragraph)


def _page(document, doc: Document) -> None:
    from docx.shared import Cm, Pt

    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = section.bottom_margin = Cm(2.3)
    _page_numbers(section)
    document.styles["Normal"].font.name = "Calibri"
    document.styles["Normal"].font.size = Pt(10.5)
    styles.prepare(document)
    document.core_properties.title = doc.title
    document.core_properties.author = "indikator"
    document.core_properties.language = styles.LANGUAGE


def _blocks(body: Body, doc: Document, entries: dict[int, contents.Entry]) -> None:
    """The blocks in order: after the contents on a new page, the sections follow each
    other as in the PDF (a heading keeps with what follows it)."""
    from docx.enum.text import WD_BREAK

    first = True
    for block in doc.blocks:
        if isinstance(block, Heading):
            if block.level == 1 and first:
                body.paragraph().add_run().add_break(WD_BREAK.PAGE)
                first = False
            entry = entries[id(block)]
            heading = body.heading(entry.title, block.level)
            contents.bookmark(heading, entry)
        elif isinstance(block, Paragraph):
            if block.note:
                body.paragraph(keep_numbers(block.text), size_half_points=18,
                               colour=styles.GREY, run=True)  # 9 pt
            else:
                body.paragraph(keep_numbers(block.text), run=True)
        elif isinstance(block, Bullets):
            for item in block.items:
                body.paragraph(item, style="List Bullet")
        elif isinstance(block, Table):
            _table(body, block)
        elif isinstance(block, Chart):
            _picture(body, block)


def write_docx(doc: Document, path: Path, images: Path | None = None) -> Path:
    """The appendix as Word; the charts' images are the paths in `doc`."""
    import datetime as dt

    import docx

    from indikator.escaping import document as printable_document

    doc = printable_document(doc)  # XML holds no control characters; python-docx quotes <&>
    document = docx.Document()
    _page(document, doc)
    body = Body(document)
    _title_page(body, doc)
    body.paragraph("Innehåll", style="TOC Heading")
    headings = doc.headings()
    entries = contents.entries(headings)
    contents.contents(body, entries)
    _blocks(body, doc, {id(h): e for h, e in zip(headings, entries, strict=True)})
    fixed = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    document.core_properties.created = document.core_properties.modified = fixed
    document.core_properties.last_printed = fixed
    return _save(document, path)


_SAVING = threading.Lock()


def _saving_lock_in_child() -> None:
    """A forked child's own lock: one a thread of the parent held at the fork would never
    be let go in the child."""
    global _SAVING
    _SAVING = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_saving_lock_in_child)


def _save(document, path: Path) -> Path:
    """document.save into an OfficeZip: python-docx opens its zip by the name ZipFile of
    docx.opc.phys_pkg, which stands for OfficeZip while this saves (one save at a time)."""
    from docx.opc import phys_pkg

    from indikator.output.files import OfficeZip

    with _SAVING:
        plain, phys_pkg.ZipFile = phys_pkg.ZipFile, OfficeZip
        try:
            document.save(str(path))
        finally:
            phys_pkg.ZipFile = plain
    return path
