"""Numbered headings and a table of contents that is filled in before Word opens it.

The PDF numbers every heading (Typst's "1.1": "2", "2.1"); Word gets the same numbers as
text in front of the heading, so they survive copying and any template. The contents is
a TOC field whose result is written here, one hyperlinked entry per heading of level 1
and 2, so that the entries show at once (also in LibreOffice and in a viewer); page
numbers are left to Word, which updates the field when the file is opened (updateFields).
"""

from __future__ import annotations

from dataclasses import dataclass

from indikator.report.document import Heading

DEPTH = 2  # the levels in the contents, as the PDF's outline


@dataclass(frozen=True)
class Entry:
    number: str  # "2.1"
    text: str
    level: int
    index: int  # the heading's place among the headings, from 1

    @property
    def bookmark(self) -> str:
        """The heading's bookmark, the entry's link target (hidden: it starts with _)."""
        return f"_Toc{self.index:08d}"

    @property
    def title(self) -> str:
        return f"{self.number} {self.text}"


def numbers(headings: list[Heading]) -> list[str]:
    """"1", "2", "2.1", …: each heading's number as the PDF shows it."""
    counters: list[int] = []
    out = []
    for h in headings:
        counters = (counters + [0] * h.level)[:h.level]
        counters[-1] += 1
        out.append(".".join(str(c) for c in counters))
    return out


def entries(headings: list[Heading]) -> list[Entry]:
    return [Entry(n, h.text, h.level, i)
            for i, (n, h) in enumerate(zip(numbers(headings), headings, strict=True), 1)]


def _element(tag: str, text: str | None = None, **attributes: str):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement(tag)
    for key, value in attributes.items():
        element.set(qn(key.replace("_", ":", 1)), value)
    if text is not None:
        element.text = text
    return element


def _run(*children):
    run = _element("w:r")
    for child in children:
        run.append(child)
    return run


def _field_char(kind: str):
    return _run(_element("w:fldChar", w_fldCharType=kind))


def page_field(paragraph) -> None:
    """A PAGE field, its result "1" until Word or LibreOffice lays the page out."""
    instruction = _element("w:instrText", " PAGE ", xml_space="preserve")
    for element in (_field_char("begin"), _run(instruction), _field_char("separate"),
                    _run(_element("w:t", "1")), _field_char("end")):
        paragraph._p.append(element)


def bookmark(paragraph, entry: Entry) -> None:
    """A bookmark around the heading's text, the target of its contents entry."""
    p = paragraph._p
    p.insert(1 if p.pPr is not None else 0,
             _element("w:bookmarkStart", w_id=str(entry.index), w_name=entry.bookmark))
    p.append(_element("w:bookmarkEnd", w_id=str(entry.index)))


def _entry(body, entry: Entry):
    """One entry's paragraph: the heading's number and text, linked to its bookmark."""
    paragraph = body.paragraph(style=f"toc {entry.level}")
    link = _element("w:hyperlink", w_anchor=entry.bookmark, w_history="1")
    link.append(_run(_element("w:t", entry.title, xml_space="preserve")))
    paragraph._p.append(link)
    return paragraph


def contents(body, items: list[Entry]) -> None:
    """The TOC field: its instruction and, as its result, an entry per heading; Word
    replaces the result (adding page numbers) when it updates fields on opening."""
    shown = [e for e in items if e.level <= DEPTH]
    paragraphs = ([_entry(body, e) for e in shown] if shown
                  else [body.paragraph(style="toc 1")])
    first, last = paragraphs[0]._p, paragraphs[-1]._p
    instruction = _element("w:instrText", f' TOC \\o "1-{DEPTH}" \\h \\z \\u ',
                           xml_space="preserve")
    at = 1 if first.pPr is not None else 0
    for offset, element in enumerate((_field_char("begin"), _run(instruction),
                                      _field_char("separate"))):
        first.insert(at + offset, element)
    last.append(_field_char("end"))
    body.document.settings.element.append(_element("w:updateFields", w_val="true"))
