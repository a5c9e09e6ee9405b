"""indikatorer.docx: the appendix as a Word document to edit and paste from (python-docx).

Real headings (Rubrik 1/2, so Word's navigation pane and table of contents see
them), charts as pictures at the text width with their numbers as alt text, and
tables as Word tables.
"""

from __future__ import annotations

from pathlib import Path

from indikator.report.document import Bullets, Chart, Document, Heading, Paragraph, Table

TEXT_WIDTH_CM = 16.0


def _toc(document) -> None:
    """A table-of-contents field; Word fills it in (F9, or on opening with updateFields)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph = document.add_paragraph()
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, 'TOC \\o "1-2" \\h \\z \\u'), ("separate", None),
                       ("text", "Högerklicka och välj Uppdatera fält för innehållsförteckningen."),
                       ("end", None)):
        if kind in ("begin", "separate", "end"):
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
            run._r.append(element)
        elif kind == "text":
            t = OxmlElement("w:t")
            t.text = text
            run._r.append(t)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
    settings = document.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)


def _table(document, t: Table) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    caption = document.add_paragraph()
    caption.add_run(t.caption).bold = True
    table = document.add_table(rows=1, cols=len(t.header))
    table.style = "Light List Accent 1"
    for cell, text, numeric in zip(table.rows[0].cells, t.header, t.numeric, strict=True):
        cell.text = text
        if numeric:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for row in t.rows:
        cells = table.add_row().cells
        for cell, text, numeric in zip(cells, row, t.numeric, strict=True):
            cell.text = text
            paragraph = cell.paragraphs[0]
            if numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            for run in paragraph.runs:
                run.font.size = Pt(9)
    document.add_paragraph()


def _picture(document, c: Chart) -> None:
    from docx.shared import Cm, Pt, RGBColor

    document.add_picture(str(c.image), width=Cm(TEXT_WIDTH_CM))
    inline = document.inline_shapes[-1]._inline
    inline.docPr.set("descr", c.alt)  # alt text: every number of the chart
    inline.docPr.set("title", c.title)
    caption = document.add_paragraph()
    run = caption.add_run(c.title)
    run.font.size = Pt(9)
    run.font.color.rgb = RGBColor(0x40, 0x40, 0x40)


def write_docx(doc: Document, path: Path, images: Path | None = None) -> Path:
    """The appendix as Word; the charts' images are the paths in `doc`."""
    import docx

    from indikator.escaping import document as printable_document

    doc = printable_document(doc)  # XML holds no control characters; python-docx quotes <&>
    from docx.enum.text import WD_BREAK
    from docx.shared import Cm, Pt, RGBColor

    document = docx.Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = section.bottom_margin = Cm(2.3)
    styles = document.styles
    styles["Normal"].font.name = "Calibri"
    styles["Normal"].font.size = Pt(10.5)
    document.core_properties.title = doc.title
    document.core_properties.author = "indikator"
    document.core_properties.language = "sv-SE"

    document.add_paragraph(doc.title, style="Title")
    document.add_paragraph(doc.subtitle, style="Subtitle")
    document.add_paragraph(doc.lead or "Bilaga till årsredovisningen: resultat av NNS "
                           "indikatorenkäter")
    if doc.marker:
        run = document.add_paragraph().add_run(doc.marker.upper())
        run.bold = True
        run.font.color.rgb = RGBColor(0x8A, 0x5A, 0x00)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    contents = document.add_paragraph()
    contents.add_run("Innehåll").bold = True
    _toc(document)
    first = False  # every section starts on a new page, the first after the contents
    for block in doc.blocks:
        if isinstance(block, Heading):
            if block.level == 1:
                if not first:
                    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
                first = False
            document.add_heading(block.text, level=block.level)
        elif isinstance(block, Paragraph):
            paragraph = document.add_paragraph()
            run = paragraph.add_run(block.text)
            if block.note:
                run.font.size = Pt(9)
                run.font.color.rgb = RGBColor(0x40, 0x40, 0x40)
        elif isinstance(block, Bullets):
            for item in block.items:
                document.add_paragraph(item, style="List Bullet")
        elif isinstance(block, Table):
            _table(document, block)
        elif isinstance(block, Chart):
            _picture(document, block)
    import datetime as dt

    from indikator.output.files import fixed_zip_times

    fixed = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    document.core_properties.created = document.core_properties.modified = fixed
    document.core_properties.last_printed = fixed
    document.save(str(path))
    return fixed_zip_times(path)
