"""Whatever a user types (a goal's name, --forbund, --reference-label, an insats, a text
of their own questionnaire) comes out of every writer as typed: never an internal error,
never markup, never a control character in a file."""

from __future__ import annotations

import copy
import html
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from conftest import write_csv
from hypothesis import given, settings
from hypothesis import strategies as st

from indikator.cli.main import run as run_cli
from indikator.escaping import cell, markdown
from indikator.output.pack import PackOptions, build_pack
from indikator.text import one_line, printable

# what a user may type: any character, control characters and lone surrogates included
# (a command-line argument the system could not decode arrives as a lone surrogate)
TYPED = st.text(st.characters(codec=None, exclude_categories=()), min_size=1, max_size=40)
NASTY = ["M\x01 **fet** <script>alert(1)</script> [a](b) `kod` $x$ #set @ref <lab> _k_",
         "\x1b[31mröd\x1b[0m", "a\x0bb\x0cc\x00d", "\ud800\udcff", "\ufffe\uffff",
         '"] #panic("x") [', "\\", "=HYPERLINK(\"x\")", "rad1\nrad2\r\nrad3\ttab",
         "# Rubrik", "&amp; &lt;", "\u202eomvänd\u200b"]


def export(folder: Path, catalog, group: str = "B") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    texts = [q.text for q in catalog.get("styrelse", 2025).questions]
    labels = ["Inte alls", "Till liten del", "Delvis", "Till stor del", "Till mycket stor del",
              "Helt och hållet"]
    rows = [["År", "Insats", *texts]] + [
        [2025, "A" if i < 6 else group, *(labels[(i + j) % 6] for j in range(3))]
        for i in range(12)]
    write_csv(folder / "styrelse_2025.csv", rows)
    return folder


def toml_string(text: str) -> str:
    """`text` as a TOML basic string (every character escaped as \\uXXXX or \\UXXXXXXXX)."""
    return '"' + "".join(f"\\U{ord(c):08x}" for c in text) + '"'


GOAL = "[[goal]]\nname = {name}\nsurvey = \"styrelse\"\nquestions = [1]\nat_least = 50\n"


@pytest.fixture(scope="module")
def pack(tmp_path_factory, catalog):
    """A pack with a goal and a reference, tables only; the examples replace its names."""
    folder = tmp_path_factory.mktemp("esc")
    data = export(folder / "svar", catalog)
    (data / "mal.toml").write_text(GOAL.format(name='"Mål"'), encoding="utf-8")
    first = build_pack([data], folder / "ref", catalog, PackOptions(formats=()))
    assert first.goals is not None
    return build_pack([data], folder / "paket", catalog,
                      PackOptions(formats=(), reference=folder / "ref" / "distributions.csv",
                                  reference_name="Riket"))


def named(pack, text: str):
    """The pack with `text` as the goal's name, the förbund and the reference's name."""
    p = copy.copy(pack)
    p.goals = pack.goals.assign(name=text)
    p.reference = pack.reference.assign(compared_with=text, reference=text)
    p.forbund = text
    p.figures = []  # no chart images: the texts are what is tested
    return p


def document_of(pack, catalog, tmp: Path):
    from indikator.report.document import build_document

    return build_document(pack, catalog, 5, tmp)


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: set[str] = set()
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)

    def handle_data(self, data):
        self.text.append(data)


def docx_texts(path: Path) -> list[str]:
    import docx

    document = docx.Document(str(path))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        texts += [c.text for row in table.rows for c in row.cells]
    return texts


@settings(max_examples=60)
@given(text=st.one_of(TYPED, st.sampled_from(NASTY)))
def test_every_writer_shows_what_was_typed(pack, catalog, tmp_path_factory, text):
    from indikator.output.renderers.html import write_html
    from indikator.output.renderers.word import write_docx
    from indikator.output.renderers.workbook import write_workbook
    from indikator.report.paragraphs import report_text

    tmp = tmp_path_factory.mktemp("w")
    p = named(pack, text)
    doc = document_of(p, catalog, tmp)
    shown = printable(text)

    write_docx(doc, tmp / "a.docx")  # the XML writer refused control characters (exit 3)
    texts = docx_texts(tmp / "a.docx")
    assert shown in texts  # the subtitle: the förbund's name as typed, escapes visible
    assert any(shown in t for t in texts)

    page = write_html(doc, tmp / "a.html").read_text(encoding="utf-8")
    parser = Tags()
    parser.feed(page)
    assert parser.tags <= {"html", "head", "meta", "title", "style", "body", "header", "h1",
                           "h2", "p", "nav", "ol", "li", "a", "main", "table", "caption",
                           "thead", "tbody", "tr", "th", "td", "ul"}
    assert html.escape(shown) in page

    write_workbook(p, tmp / "a.xlsx")
    from openpyxl import load_workbook

    book = load_workbook(tmp / "a.xlsx")
    goals = [row[0] for row in book["Mål"].iter_rows(min_row=2, values_only=True)]
    assert goals == [cell(text)]
    with zipfile.ZipFile(tmp / "a.xlsx") as z:  # every part is XML a reader accepts
        for name in z.namelist():
            z.read(name).decode("utf-8")

    from indikator.output.files import write_csv as write_table

    write_table(p.goals, tmp / "mal.csv")
    back = pd.read_csv(tmp / "mal.csv", dtype=str, keep_default_na=False)
    assert back["name"].tolist() == [cell(text)]

    md = report_text(p, catalog)
    markdown_it = pytest.importorskip("markdown_it")
    rendered = markdown_it.MarkdownIt("commonmark").render(md)
    parser = Tags()
    parser.feed(rendered)
    assert parser.tags <= {"h1", "h2", "p", "em"}  # nothing the user typed became markup
    assert printable(one_line(text)) in html.unescape(rendered)
    assert markdown(text) in md


@settings(max_examples=8)
@given(text=st.one_of(TYPED, st.sampled_from(NASTY)))
def test_pdf_shows_what_was_typed(pack, catalog, tmp_path_factory, text):
    from indikator.output.renderers.pdf import typst_source, write_pdf

    tmp = tmp_path_factory.mktemp("p")
    doc = document_of(named(pack, text), catalog, tmp)
    source = typst_source(doc, tmp)
    source.encode("utf-8")  # no lone surrogate left in the source
    write_pdf(doc, tmp / "a.pdf", tmp)  # compiles: nothing typed broke the markup
    assert (tmp / "a.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("text", ["#set page(fill: red) *fet* _k_ $x$ @ref <lab> `raw`",
                                  '"] #panic("inskjutet") ['])
def test_typst_markup_in_a_name_is_text(pack, catalog, tmp_path, text):
    from pypdf import PdfReader

    from indikator.output.renderers.pdf import write_pdf

    doc = document_of(named(pack, text), catalog, tmp_path)
    write_pdf(doc, tmp_path / "a.pdf", tmp_path)
    pages = "".join(page.extract_text() for page in PdfReader(tmp_path / "a.pdf").pages)
    assert " ".join(text.split()) in " ".join(pages.split())


def run(*args: str) -> tuple[int, str]:
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run_cli([str(a) for a in args])
    return code, out.getvalue() + err.getvalue()


@pytest.mark.parametrize("bad", ["\x01", "\x1b[2J", "\x0b", "\ufffe", "$\\frac$"])
def test_control_characters_in_names_through_the_whole_program(tmp_path, catalog, bad):
    """Issue 17, point 9: a control character in a goal's name, --forbund or
    --reference-label ended in the Word writer's 'All strings must be XML compatible'."""
    data = export(tmp_path / "svar", catalog, group=f"B{bad}")
    (data / "mal.toml").write_text(GOAL.format(name=toml_string(f"Mål {bad} **x**")),
                                   encoding="utf-8")
    code, output = run("pack", data, "--out", tmp_path / "ref", "--format", "xlsx")
    assert code == 0, output
    code, output = run("pack", data, "--out", tmp_path / "paket", "--format",
                       "pdf,docx,html,xlsx,pptx,png,svg", "--forbund", f"Förbund {bad} x",
                       "--reference", tmp_path / "ref" / "distributions.csv",
                       "--reference-label", f"Riket {bad} x", "--jobs", "1")
    assert code == 0, output
    assert "Traceback" not in output and "Internt fel" not in output
    assert "\x1b" not in output and "\x01" not in output
    out = tmp_path / "paket"
    texts = docx_texts(out / "indikatorer.docx")
    assert any(printable(f"Förbund {bad} x") in t for t in texts)
    from test_slides import deck_text

    assert printable(f"Förbund {bad} x") in deck_text(out / "indikatorer.pptx")
    for file in out.rglob("*"):
        if file.is_file() and file.suffix in (".txt", ".md", ".csv", ".html", ".svg"):
            content = file.read_text(encoding="utf-8")
            assert not any(c in content for c in "\x01\x1b\x0b\ufffe"), file.name
