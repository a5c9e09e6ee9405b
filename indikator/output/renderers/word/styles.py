"""The Word document's styles: Swedish proofing, captions and table-of-contents entries.

python-docx starts from a template made for English: its document defaults and some
styles say en-US, so Word would mark every Swedish word as misspelled; its Caption is
bold and blue; it has no "toc 1"/"toc 2" styles for the contents' entries.
"""

from __future__ import annotations

LANGUAGE = "sv-SE"
GREY = (0x40, 0x40, 0x40)
TEXT_WIDTH_CM = 16.0


def swedish(document) -> None:
    """sv-SE on the document defaults, on every style that names a language, and as the
    theme's font language, so that Word proofs the text as Swedish. Right-to-left script
    (w:bidi) keeps the template's language: no text here is in one."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    r_pr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    if r_pr.find(qn("w:lang")) is None:
        r_pr.append(OxmlElement("w:lang"))
    for lang in styles.iter(qn("w:lang")):
        lang.set(qn("w:val"), LANGUAGE)
        lang.set(qn("w:eastAsia"), LANGUAGE)
    settings = document.settings.element
    theme = settings.find(qn("w:themeFontLang"))
    if theme is None:
        theme = OxmlElement("w:themeFontLang")
        settings.append(theme)
    theme.set(qn("w:val"), LANGUAGE)


def caption(document) -> None:
    """Word's Caption ("Beskrivning" in Swedish Word) as the documents show a chart's
    title: 9 pt, grey, not bold; added if the template lacks it."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt, RGBColor

    styles = document.styles
    if "Caption" in styles:  # by the name in the XML: naming each style took longer
        style = styles["Caption"]
    else:
        style = styles.add_style("Caption", WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles["Normal"]
    style.font.bold = False
    style.font.size = Pt(9)
    style.font.color.rgb = RGBColor(*GREY)
    style.paragraph_format.space_after = Pt(6)


def contents_entries(document) -> None:
    """"toc 1" and "toc 2" (Word's built-in names, ids TOC1/TOC2): the entries of the
    table of contents, level 2 indented, page number (after Word updates) at the right
    margin behind dots."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
    from docx.shared import Cm, Pt

    styles = document.styles
    for level in (1, 2):
        name = f"toc {level}"
        if name in styles:
            continue
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.style_id = f"TOC{level}"
        style.base_style = styles["Normal"]
        style.next_paragraph_style = styles["Normal"]
        style.font.bold = level == 1
        form = style.paragraph_format
        form.left_indent = Cm(0.6 * (level - 1))
        form.space_before = Pt(6 if level == 1 else 0)
        form.space_after = Pt(2)
        form.tab_stops.add_tab_stop(Cm(TEXT_WIDTH_CM), WD_TAB_ALIGNMENT.RIGHT,
                                    WD_TAB_LEADER.DOTS)


def prepare(document) -> None:
    """Every style change the writer needs, before anything is written."""
    swedish(document)
    caption(document)
    contents_entries(document)
