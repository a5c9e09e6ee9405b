"""indikatorer.docx as Word users expect it, read back with python-docx and its XML:
Swedish proofing, table columns that fit their words, a table of contents already
filled in, captions in Word's Caption style, headings numbered as in the PDF; and the
file as LibreOffice lays it out (skipped without `soffice`)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from indikator.report.document import Chart, Table, build_document

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TEXT_WIDTH_TWIPS = round(16 / 2.54 * 72 * 20)
CELL_MARGINS_TWIPS = 2 * 108  # Light List Accent 1: 108 twips left and right


@pytest.fixture(scope="module")
def folder(example_pack) -> Path:
    return example_pack[1]


@pytest.fixture(scope="module")
def document(folder):
    import docx

    return docx.Document(str(folder / "indikatorer.docx"))


@pytest.fixture(scope="module")
def model(example_pack, catalog, folder):
    return build_document(example_pack[0], catalog, 5, folder)


def _pdf_titles(outline) -> list[str]:
    out = []
    for item in outline:
        out += _pdf_titles(item) if isinstance(item, list) else [item.title]
    return out


# ---- Swedish proofing ----

def test_the_text_is_proofed_as_swedish(document):
    """sv-SE in the document defaults and in every style that names a language (the
    template said en-US), so Word does not mark the Swedish as misspelled."""
    styles = document.styles.element
    default = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert default.get(f"{W}val") == "sv-SE" and default.get(f"{W}eastAsia") == "sv-SE"
    languages = list(styles.iter(f"{W}lang"))
    assert languages and {lang.get(f"{W}val") for lang in languages} == {"sv-SE"}
    body = document.element.body
    assert all(lang.get(f"{W}val") == "sv-SE" for lang in body.iter(f"{W}lang"))
    theme = document.settings.element.find(f"{W}themeFontLang")
    assert theme.get(f"{W}val") == "sv-SE"
    assert document.core_properties.language == "sv-SE"


# ---- tables ----

@pytest.fixture(scope="module")
def measure():
    """A word's width in points, DejaVu Sans (matplotlib's; wider than Calibri, and
    LibreOffice's fallback for it), measured by matplotlib, not by the writer's code."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    paths = TextToPath()

    def width(word: str, bold: bool, size: float) -> float:
        font = FontProperties(family="DejaVu Sans", weight="bold" if bold else "normal",
                              size=size)
        return paths.get_text_width_height_descent(word, font, ismath=False)[0]

    return width


def _twips(element, tag: str) -> int:
    return int(element.find(tag).get(f"{W}w"))


def _right(cell) -> bool:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    return cell.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT


def _unbroken(text: str, number: bool) -> list[str]:
    """What must stay on one line: a number ("50 %") whole, else each word between
    spaces (a no-break space joins: "92\u00a0%")."""
    return [text] if number else [w for w in re.split(r"[ \t\n]+", text) if w]


def test_every_word_of_a_table_fits_its_column(document, measure):
    """Fixed layout, the grid and every cell the same widths, the 16 cm text width in
    all; each cell's longest word, at its size (header row bold), plus the cell margins
    fits its column, and a number (a right-aligned cell) whole: measured without any slack
    (the writer adds 5 % and 1.5 pt)."""
    assert document.tables
    for table in document.tables:
        tbl = table._tbl
        assert tbl.tblPr.find(f"{W}tblLayout").get(f"{W}type") == "fixed"
        assert tbl.tblPr.find(f"{W}tblLook").get(f"{W}firstColumn") == "0"
        grid = [int(c.get(f"{W}w")) for c in tbl.find(f"{W}tblGrid")]
        assert sum(grid) == TEXT_WIDTH_TWIPS
        for r, row in enumerate(table.rows):
            for cell, width in zip(row.cells, grid, strict=True):
                assert _twips(cell._tc.tcPr, f"{W}tcW") == width
                for run in cell.paragraphs[0].runs:
                    size = run.font.size.pt
                    for word in _unbroken(run.text, r > 0 and _right(cell)):
                        needed = measure(word, r == 0, size) * 20 + CELL_MARGINS_TWIPS
                        assert needed <= width, (word, needed, width)


def test_tables_break_over_pages_as_word_users_expect(document):
    """The header row repeats on each page, no row is split, a short table (the PDF's
    30 rows) keeps to one page: every row but the last keeps with the next."""
    for table in document.tables:
        rows = table.rows
        assert rows[0]._tr.trPr.find(f"{W}tblHeader") is not None
        assert all(r._tr.trPr.find(f"{W}cantSplit") is not None for r in rows)
        kept = [all(c.paragraphs[0].paragraph_format.keep_with_next for c in r.cells)
                for r in rows]
        if len(rows) <= 31:
            assert kept == [True] * (len(rows) - 1) + [False]


# ---- headings and contents ----

def test_headings_are_numbered_as_in_the_pdf(document, folder, model):
    """The PDF's bookmarks ("3.1 Svaren 2025") are the Word headings, in order."""
    import pypdf

    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    pdf = _pdf_titles(pypdf.PdfReader(str(folder / "indikatorer.pdf")).outline)
    assert headings == pdf
    assert len(headings) == len(model.headings())
    assert headings[0] == "1 Om indikatorerna"


def test_the_contents_shows_every_heading_before_word_updates_it(document):
    """The TOC field's result holds an entry per heading of level 1 and 2, each a link
    to a bookmark on its heading; Word refreshes it (page numbers) on opening."""
    body = document.element.body
    instructions = [i.text for i in body.iter(f"{W}instrText")]
    assert any(i.strip().startswith("TOC ") for i in instructions)
    entries = [p for p in document.paragraphs if p.style.name in ("toc 1", "toc 2")]
    headings = [p for p in document.paragraphs if p.style.name in ("Heading 1", "Heading 2")]
    assert [p.text for p in entries] == [p.text for p in headings]
    assert [e.style.name[-1] for e in entries] == [h.style.name[-1] for h in headings]
    marks = {m.get(f"{W}name"): "".join(t.text for t in m.getparent().iter(f"{W}t"))
             for m in body.iter(f"{W}bookmarkStart")}
    for entry in entries:
        anchor = entry._p.find(f"{W}hyperlink").get(f"{W}anchor")
        assert marks[anchor] == entry.text
    kinds = [c.get(f"{W}fldCharType") for p in entries for c in p._p.iter(f"{W}fldChar")]
    assert kinds == ["begin", "separate", "end"]  # the entries are the field's result
    update = document.settings.element.find(f"{W}updateFields")
    assert update.get(f"{W}val") == "true"
    assert "Högerklicka" not in "".join(p.text for p in document.paragraphs)


# ---- captions ----

def test_chart_titles_and_table_captions_are_captions(document, model):
    """Each picture is followed, and each table preceded, by its title in Caption."""
    paragraphs = document.paragraphs
    pictures = [i for i, p in enumerate(paragraphs) if p._p.findall(f".//{W}drawing")]
    charts = [b for b in model.blocks if isinstance(b, Chart)]
    assert len(pictures) == len(charts)
    for i, chart in zip(pictures, charts, strict=True):
        assert (paragraphs[i + 1].style.name, paragraphs[i + 1].text) == ("Caption", chart.title)
    tables = [b for b in model.blocks if isinstance(b, Table)]
    for table, block in zip(document.tables, tables, strict=True):
        before = table._tbl.getprevious()
        assert before.tag == f"{W}p"
        assert before.style == "Caption"
        assert "".join(t.text for t in before.iter(f"{W}t")) == block.caption
    style = document.styles["Caption"]
    assert style.font.size.pt == 9 and not style.font.bold


# ---- as LibreOffice lays it out ----

@pytest.fixture(scope="module")
def office_pdf(folder, tmp_path_factory):
    """The example docx converted by LibreOffice (once: it takes 10–20 s)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.skip("LibreOffice (soffice) is not installed: the Word file's layout is "
                    "not checked (apt-get install libreoffice-writer-nogui)")
    import pypdf

    out = tmp_path_factory.mktemp("office")
    shutil.copy(folder / "indikatorer.docx", out / "indikatorer.docx")
    subprocess.run([soffice, f"-env:UserInstallation={(out / 'profile').as_uri()}",
                    "--headless", "--convert-to", "pdf", "--outdir", str(out),
                    str(out / "indikatorer.docx")], check=True, capture_output=True,
                   timeout=300)
    return pypdf.PdfReader(str(out / "indikatorer.pdf"))


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def test_libreoffice_shows_the_contents_on_page_two(office_pdf, document):
    page = _flat(office_pdf.pages[1].extract_text())
    assert page.startswith("Innehåll")
    for paragraph in document.paragraphs:
        if paragraph.style.name in ("toc 1", "toc 2"):
            assert paragraph.text in page


def test_libreoffice_breaks_no_word_of_a_table(office_pdf, document):
    """Every long word of a table occurs whole in LibreOffice's PDF as often as in the
    document: a word broken over two lines ("Beredningsgru pp") would be missing."""
    joiner = "\u2060"  # between the numbers of a range; PDF text leaves it out
    words = {w.replace(joiner, "") for table in document.tables for row in table.rows
             for cell in row.cells for w in cell.text.split() if len(w) >= 8}
    assert {"Beredningsgrupp", "Svarsfrekvens", "Tillfrågade"} <= words
    texts = [p.text.replace(joiner, "") for p in document.paragraphs] + [
        c.text.replace(joiner, "") for t in document.tables for row in t.rows for c in row.cells]
    pdf = "\n".join(_flat(page.extract_text()).replace(joiner, "")
                     for page in office_pdf.pages)
    for word in words:
        assert pdf.count(word) >= sum(t.count(word) for t in texts), word


def test_pages_are_numbered_but_the_title_page(document):
    section = document.sections[0]
    assert section.different_first_page_header_footer
    footer = section.footer.paragraphs[0]._p
    assert [i.text.strip() for i in footer.iter(f"{W}instrText")] == ["PAGE"]
    assert not "".join(p.text for p in section.first_page_footer.paragraphs)


# ---- the parts, without a pack ----

def test_numbers_count_as_typst_does():
    from indikator.output.renderers.word.contents import numbers
    from indikator.report.document import Heading

    levels = [1, 2, 2, 1, 1, 2]
    assert numbers([Heading("x", lv) for lv in levels]) == ["1", "1.1", "1.2", "2", "3",
                                                            "3.1"]


def test_widths_fill_the_text_width_and_give_the_rest_to_text():
    from indikator.output.renderers.word.widths import TEXT_WIDTH_PT, text_pt, widths_pt

    short = Table("t", ("Enkät", "Svar"), (("Beredningsgrupp", "7"),), (False, True))
    widths = widths_pt(short)
    assert sum(widths) == pytest.approx(TEXT_WIDTH_PT)
    assert widths[1] < 40 < text_pt("Beredningsgrupp") < widths[0]
    long = Table("t", ("Mål", "Svarsfrekvens"),
                 (("ord " * 200, "63 %"), ("Beredningsgrupp", "100 %")), (False, True))
    widths = widths_pt(long)
    assert sum(widths) == pytest.approx(TEXT_WIDTH_PT)
    assert widths[1] > text_pt("Svarsfrekvens", bold=True)  # the header unbroken
    assert widths[0] > text_pt("Beredningsgrupp")


AWKWARD = [" lead", "trail ", " ", "", "a\tb", "line\nbreak", "cr\rx", "<&>\"'", "92\u00a0%",
           "\u00a0x\u00a0", "ä – —", "  two  "]


def test_body_writes_the_xml_python_docx_writes():
    """The writer's own table and paragraph XML (word.body, built for speed) is
    byte for byte what python-docx's API makes, awkward texts included."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor, Twips
    from lxml import etree

    from indikator.output.renderers.word.body import Body, table_xml

    rows = [("Kod", "Text", "Tal"), *((t, t[::-1], str(i)) for i, t in enumerate(AWKWARD))]
    twips = [2000, 5000, 2071]
    right = (False, False, True)
    for keep_rows in (len(rows) - 1, 0):
        api = docx.Document()
        table = api.add_table(rows=1, cols=3)
        table.style = "Light List Accent 1"
        look = table._tbl.tblPr.find(qn("w:tblLook"))
        look.set(qn("w:firstColumn"), "0")
        look.set(qn("w:val"), "0420")
        for n, texts in enumerate(rows):
            row = table.rows[0] if n == 0 else table.add_row()
            for cell, text, r in zip(row.cells, texts, right, strict=True):
                cell.paragraphs[0].add_run(text).font.size = Pt(9)
                if r:
                    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        table.autofit = False
        width = table._tbl.tblPr.find(qn("w:tblW"))
        width.set(qn("w:type"), "dxa")
        width.set(qn("w:w"), str(sum(twips)))
        for column, w in zip(table.columns, twips, strict=True):
            column.width = Twips(w)
        for n, row in enumerate(table.rows):
            for cell, w in zip(row.cells, twips, strict=True):
                cell.width = Twips(w)
            for tag in ("w:cantSplit", "w:tblHeader")[:2 if n == 0 else 1]:
                element = OxmlElement(tag)
                element.set(qn("w:val"), "true")
                row._tr.get_or_add_trPr().append(element)
            if n < keep_rows:
                for cell in row.cells:
                    cell.paragraphs[0].paragraph_format.keep_with_next = True
        for text in AWKWARD:
            api.add_paragraph(text, style="Caption")
        api.add_heading("Rubrik", 2)
        for text in AWKWARD:  # a note: 9 pt, grey
            run = api.add_paragraph().add_run(text)
            run.font.size = Pt(9)
            run.font.color.rgb = RGBColor(0x40, 0x40, 0x40)
        api.add_paragraph(AWKWARD[0])
        api.add_paragraph()
        api.add_paragraph().add_run("")  # a run even without text (the writer's text)
        api.add_paragraph(AWKWARD[0], style="Normal")

        fast = docx.Document()
        body = Body(fast)
        body.table(table_xml(body.style_id("Light List Accent 1", table=True), twips, rows,
                             right, 18, keep_rows))
        for text in AWKWARD:
            body.paragraph(text, style="Caption")
        body.heading("Rubrik", 2)
        for text in AWKWARD:
            body.paragraph(text, size_half_points=18, colour=(0x40, 0x40, 0x40))
        body.paragraph(AWKWARD[0])
        body.paragraph()
        body.paragraph("", run=True)
        body.paragraph(AWKWARD[0], style="Normal")
        assert (etree.tostring(fast.element.body, encoding="UTF-8")
                == etree.tostring(api.element.body, encoding="UTF-8"))
