"""Appending to a Word document's body in constant time, with the XML python-docx writes.

python-docx, on every paragraph, table or picture it adds, looks for the section
properties among all of the body's children, resolves a style by its name through all
the styles (and the default style with them), finds the next picture id by searching the
whole document and compares the new image's SHA-1 with that of every image already in
it. Each of these is cheap once and quadratic over a document of a few hundred charts
and tables: seconds per document. This writes the same elements with the lookups made
once, and builds a table's XML in one piece (as python-docx itself makes a new table).
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _parser():
    """python-docx's element classes, but whitespace kept as written (a cell's text may be
    a space; the XML here has none between its tags)."""
    from docx.oxml.parser import element_class_lookup

    parser = etree.XMLParser(resolve_entities=False)
    parser.set_element_class_lookup(element_class_lookup)
    return parser


STYLE_IDS: dict[tuple[str, bool], str | None] = {}  # (name, table) -> id: Body.style_id


class Body:
    """The end of a python-docx document's body, where the writer adds its blocks."""

    def __init__(self, document) -> None:
        self.document = document
        self.container = document._body  # the parent python-docx gives a body paragraph
        self.element = document.element.body
        self._images: dict[str, object] = {}  # SHA-1 → image part: one part per image
        self._next_id: int | None = None
        self._used: set[int] | None = None  # the image parts' numbers
        self._lowest = 1
        self._parser = _parser()

    def style_id(self, name: str, table: bool = False) -> str | None:
        """The id of a paragraph (or table) style named as in Word's English UI
        ("Heading 1" → "Heading1"); None for the default style.

        Looked up once a process (python-docx walks every style for each name): every
        document starts from python-docx's template, changed by styles.prepare the same
        way, so a name has the same id in each."""
        from docx.enum.style import WD_STYLE_TYPE

        key = (name, table)
        if key not in STYLE_IDS:
            kind = WD_STYLE_TYPE.TABLE if table else WD_STYLE_TYPE.PARAGRAPH
            STYLE_IDS[key] = self.document.part.get_style_id(name, kind)
        return STYLE_IDS[key]

    def _insert(self, element) -> None:
        """As CT_Body does: before the section properties, the body's last child."""
        end = self.element.sectPr
        if end is None:
            self.element.append(element)
        else:
            end.addprevious(element)

    def paragraph(self, text: str = "", style: str | None = None,
                  size_half_points: int | None = None,
                  colour: tuple[int, int, int] | None = None, run: bool = False):
        """As Document.add_paragraph(text, style), or with `run` as add_paragraph(style=
        style).add_run(text) (a run even for no text), and the run's font size and colour
        set; its XML written in one piece (run_xml), not a character at a time as
        python-docx's run.text does."""
        from docx.text.paragraph import Paragraph

        style_id = self.style_id(style) if style is not None else None
        properties = ("" if style is None else "<w:pPr/>" if style_id is None  # Normal
                      else f'<w:pPr><w:pStyle w:val="{escape(style_id)}"/></w:pPr>')
        with_run = run or size_half_points is not None or colour is not None
        runs = run_xml(text, size_half_points, colour) if text or with_run else ""
        p = etree.fromstring(f'<w:p xmlns:w="{W}">{properties}{runs}</w:p>', self._parser)
        self._insert(p)
        return Paragraph(p, self.container)

    def heading(self, text: str, level: int):
        """As Document.add_heading(text, level) for a level of 1 to 9."""
        return self.paragraph(text, f"Heading {level}")

    def picture(self, path: Path, width: int):
        """A paragraph holding the picture at `width` (EMU), as Document.add_picture:
        (the paragraph, the picture's wp:inline)."""
        from docx.image.image import Image
        from docx.opc.constants import RELATIONSHIP_TYPE as RT
        from docx.oxml.shape import CT_Inline
        from docx.parts.image import ImagePart

        part = self.document.part
        image = Image.from_file(str(path))
        image_part = self._images.get(image.sha1)
        if image_part is None:
            image_part = ImagePart.from_image(image, self._image_name(image.ext))
            part.package.image_parts.append(image_part)
            self._images[image.sha1] = image_part
        rid = part.relate_to(image_part, RT.IMAGE)
        image = image_part.image
        cx, cy = image.scaled_dimensions(width, None)
        if self._next_id is None:  # the largest id in the document, once
            self._next_id = part.next_id
        inline = CT_Inline.new_pic_inline(self._next_id, rid, image.filename, cx, cy)
        self._next_id += 1
        paragraph = self.paragraph()
        paragraph.add_run()._r.add_drawing(inline)
        return paragraph, inline

    def _image_name(self, ext: str):
        """/word/media/imageN.ext with N the lowest number no image part has, as
        python-docx names them (it lists every part's number for each new one)."""
        from docx.opc.packuri import PackURI

        if self._used is None:
            self._used = {p.partname.idx for p in self.document.part.package.image_parts}
        while self._lowest in self._used:
            self._lowest += 1
        self._used.add(self._lowest)
        return PackURI(f"/word/media/image{self._lowest}.{ext}")

    def table(self, xml: str):
        """A table from its XML (`table_xml`), as Document.add_table places one."""
        tbl = etree.fromstring(xml, self._parser)
        self._insert(tbl)
        return tbl


def run_xml(text: str, size_half_points: int | None = None,
            colour: tuple[int, int, int] | None = None) -> str:
    """A w:r as python-docx writes `paragraph.add_run(text)` (then font.size, then
    font.color.rgb): a tab is a w:tab, a line break a w:br, the rest w:t, keeping its
    spaces where it starts or ends with one."""
    looks = ("" if colour is None else '<w:color w:val="{:02X}{:02X}{:02X}"/>'.format(*colour)) + (
        "" if size_half_points is None else f'<w:sz w:val="{size_half_points}"/>')
    properties = f"<w:rPr>{looks}</w:rPr>" if looks else ""
    out, buffer = [], []

    def flush() -> None:
        if buffer:
            t = "".join(buffer)
            space = ' xml:space="preserve"' if len(t.strip()) < len(t) else ""
            out.append(f"<w:t{space}>{escape(t, quote=False)}</w:t>")
            buffer.clear()

    for char in text:
        if char == "\t":
            flush()
            out.append("<w:tab/>")
        elif char in "\r\n":
            flush()
            out.append("<w:br/>")
        else:
            buffer.append(char)
    flush()
    return f"<w:r>{properties}{''.join(out)}</w:r>"


def table_xml(style_id: str | None, twips: list[int], rows: list[tuple[str, ...]],
              right: tuple[bool, ...], size_half_points: int, keep_rows: int) -> str:
    """A table as the writer made it through python-docx: the style, fixed widths (the
    grid's and every cell's), only the header row emphasised (tblLook 0420), rows never
    split, the first one repeated on every page, and the paragraphs of the first
    `keep_rows` rows kept with the next; each cell's text one run of the size given,
    right-aligned where `right` says."""
    style = f'<w:tblStyle w:val="{escape(style_id)}"/>' if style_id is not None else ""
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in twips)
    out = [f'<w:tbl xmlns:w="{W}"><w:tblPr>{style}'
           f'<w:tblW w:type="dxa" w:w="{sum(twips)}"/><w:tblLayout w:type="fixed"/>'
           '<w:tblLook w:firstColumn="0" w:firstRow="1" w:lastColumn="0" w:lastRow="0" '
           'w:noHBand="0" w:noVBand="1" w:val="0420"/></w:tblPr>'
           f"<w:tblGrid>{grid}</w:tblGrid>"]
    cells = [f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{w}"/></w:tcPr><w:p>' for w in twips]
    for i, row in enumerate(rows):
        header = '<w:tblHeader w:val="true"/>' if i == 0 else ""
        out.append(f'<w:tr><w:trPr><w:cantSplit w:val="true"/>{header}</w:trPr>')
        keep = "<w:keepNext/>" if i < keep_rows else ""
        for cell, text, align in zip(cells, row, right, strict=True):
            jc = '<w:jc w:val="right"/>' if align else ""
            properties = f"<w:pPr>{keep}{jc}</w:pPr>" if keep or jc else ""
            out.append(f"{cell}{properties}{run_xml(text, size_half_points)}</w:p></w:tc>")
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)
