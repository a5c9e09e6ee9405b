"""indikatorer.docx: the appendix as a Word document to edit and paste from (python-docx).

Real headings (Rubrik 1/2, numbered as in the PDF, so Word's navigation pane and table
of contents see them), a table of contents already filled in, charts as pictures at the
text width with their numbers as alt text and their titles as captions (Beskrivning),
tables as Word tables whose columns fit their words, all proofed as Swedish.
"""

from __future__ import annotations

from pathlib import Path

from indikator.output.renderers.word import contents, styles
from indikator.output.renderers.word.widths import FONT_PT, widths_twips
from indikator.report.document import Bullets, Chart, Document, Heading, Paragraph, Table
from indikator.text import keep_numbers

TEXT_WIDTH_CM = styles.TEXT_WIDTH_CM
SHORT_TABLE = 30  # rows; the PDF keeps a table this short on one page


def _fixed_widths(table, twips: list[int]) -> None:
    """Fixed layout with the grid's and every cell's width set: Word reads the cells',
    LibreOffice the grid's."""
    from docx.oxml.ns import qn
    from docx.shared import Twips

    table.autofit = False
    table_width = table._tbl.tblPr.find(qn("w:tblW"))
    table_width.set(qn("w:type"), "dxa")
    table_width.set(qn("w:w"), str(sum(twips)))
    for column, width in zip(table.columns, twips, strict=True):
        column.width = Twips(width)
    for row in table.rows:
        for cell, width in zip(row.cells, twips, strict=True):
            cell.width = Twips(width)


def _header_only(table) -> None:
    """Only the header row is emphasised, as in the PDF: the table style would also set
    the first column in bold, which the column widths do not measure."""
    from docx.oxml.ns import qn

    look = table._tbl.tblPr.find(qn("w:tblLook"))
    look.set(qn("w:firstColumn"), "0")
    look.set(qn("w:val"), "0420")  # first row, no vertical banding


def _row_property(row, tag: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement(tag)
    element.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(element)


def _paginate(table, short: bool) -> None:
    """No row is split over two pages, the header row is repeated on every page a table
    runs over, and a short table (as in the PDF: up to 30 rows) keeps to one page."""
    for i, row in enumerate(table.rows):
        _row_property(row, "w:cantSplit")
        if i == 0:
            _row_property(row, "w:tblHeader")
        if short and i < len(table.rows) - 1:
            for cell in row.cells:
                cell.paragraphs[0].paragraph_format.keep_with_next = True


def _fill(row, texts: tuple[str, ...], numeric: tuple[bool, ...]) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    for cell, text, right in zip(row.cells, texts, numeric, strict=True):
        paragraph = cell.paragraphs[0]
        paragraph.add_run(keep_numbers(text)).font.size = Pt(FONT_PT)
        if right:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _table(document, t: Table) -> None:
    caption = document.add_paragraph(t.caption, style="Caption")
    caption.paragraph_format.keep_with_next = True  # the caption stays with its table
    table = document.add_table(rows=1, cols=len(t.header))
    table.style = "Light List Accent 1"
    _header_only(table)
    _fill(table.rows[0], t.header, t.numeric)
    for row in t.rows:
        _fill(table.add_row(), row, t.numeric)
    _fixed_widths(table, widths_twips(t))
    _paginate(table, short=len(t.rows) <= SHORT_TABLE)
    document.add_paragraph()


def _picture(document, c: Chart) -> None:
    from docx.shared import Cm

    document.add_picture(str(c.image), width=Cm(TEXT_WIDTH_CM))
    document.paragraphs[-1].paragraph_format.keep_with_next = True  # with its caption
    inline = document.inline_shapes[-1]._inline
    inline.docPr.set("descr", c.alt)  # alt text: every number of the chart
    inline.docPr.set("title", c.title)
    document.add_paragraph(c.title, style="Caption")


def _title_page(document, doc: Document) -> None:
    from docx.enum.text import WD_BREAK
    from docx.shared import RGBColor

    document.add_paragraph(doc.title, style="Title")
    document.add_paragraph(doc.subtitle, style="Subtitle")
    document.add_paragraph(doc.lead)
    if doc.marker:
        run = document.add_paragraph().add_run(doc.marker.upper())
        run.bold = True
        run.font.color.rgb = RGBColor(0x8A, 0x5A, 0x00)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


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


def _blocks(document, doc: Document, entries: dict[int, contents.Entry]) -> None:
    """The blocks in order: after the contents on a new page, the sections follow each
    other as in the PDF (a heading keeps with what follows it)."""
    from docx.enum.text import WD_BREAK
    from docx.shared import Pt, RGBColor

    first = True
    for block in doc.blocks:
        if isinstance(block, Heading):
            if block.level == 1 and first:
                document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
                first = False
            entry = entries[id(block)]
            heading = document.add_heading(entry.title, level=block.level)
            contents.bookmark(heading, entry)
        elif isinstance(block, Paragraph):
            run = document.add_paragraph().add_run(keep_numbers(block.text))
            if block.note:
                run.font.size = Pt(9)
                run.font.color.rgb = RGBColor(*styles.GREY)
        elif isinstance(block, Bullets):
            for item in block.items:
                document.add_paragraph(item, style="List Bullet")
        elif isinstance(block, Table):
            _table(document, block)
        elif isinstance(block, Chart):
            _picture(document, block)


def write_docx(doc: Document, path: Path, images: Path | None = None) -> Path:
    """The appendix as Word; the charts' images are the paths in `doc`."""
    import datetime as dt

    import docx

    from indikator.escaping import document as printable_document
    from indikator.output.files import fixed_zip_times

    doc = printable_document(doc)  # XML holds no control characters; python-docx quotes <&>
    document = docx.Document()
    _page(document, doc)
    _title_page(document, doc)
    document.add_paragraph("Innehåll", style="TOC Heading")
    headings = doc.headings()
    entries = contents.entries(headings)
    contents.contents(document, entries)
    _blocks(document, doc, {id(h): e for h, e in zip(headings, entries, strict=True)})
    fixed = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    document.core_properties.created = document.core_properties.modified = fixed
    document.core_properties.last_printed = fixed
    document.save(str(path))
    return fixed_zip_times(path)
