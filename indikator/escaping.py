"""What a user typed, made safe for each kind of output: one function per kind.

Names of insatser and goals (mal.toml), --forbund, --reference-label, the texts of a
user's own questionnaire file, file and sheet names: any of them may hold control
characters (an escape sequence, Excel's vertical tab), a lone surrogate (an argument or
file name the system could not decode) or a markup language's special characters. Each
writer passes its texts through its kind's function where it takes them in, so no writer
has to remember which of its texts a user typed:

    terminal, sammanfattning.txt      text.printable
    CSV and workbook cells            cell: printable, and never a formula
    PDF, Word, HTML, the deck         document: every text of the model printable; then
                                      each renderer's own quoting (a Typst string literal,
                                      html.escape, python-docx's and python-pptx's XML
                                      escaping)
    sammanfattning.md                 markdown: printable, one line, markup characters
                                      escaped
"""

from __future__ import annotations

import dataclasses
import re

from indikator.text import one_line, printable

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value):
    """A spreadsheet cell's text (CSV or workbook): printable, and a text that a
    spreadsheet would run as a formula ('=HYPERLINK(…)', '=cmd|…', '@SUM') gets a leading
    apostrophe, as OWASP advises. Other values are left as they are."""
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_START):
        value = "'" + value
    return printable(value)


def document(doc):
    """The document model with every text in it printable (its blocks are frozen
    dataclasses: each is rebuilt with its texts replaced)."""
    return _clean(doc)


def _clean(value):
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, tuple):
        return tuple(_clean(v) for v in value)
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _clean(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return dataclasses.replace(value, **changes)
    return value


# CommonMark lets a backslash escape any ASCII punctuation; these are the ones that can
# start markup inside a line (emphasis, links, images, HTML, code, tables, math, entities)
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#|~!&$+^=])")


def markdown(text: str) -> str:
    """A user's text inside sammanfattning.md: shown as typed, never as markup
    ('**x**', '<script>', '[a](b)' stay those characters), and on one line."""
    return _MARKDOWN.sub(r"\\\1", printable(one_line(text)))
