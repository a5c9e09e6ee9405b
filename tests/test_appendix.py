"""The short appendix and the depth beside it, and one vocabulary in front.

The appendix (indikatorer.pdf/.docx) holds this year's charts for all respondents, who
answered, the goals and a compact comparison; the depth document holds every other
chart and every table; --bilaga moves parts into the appendix. The verdicts are words
from words.VOCABULARY, explained once in the method section, and the statisticians'
terms (KI, konfidensintervall, Bonferroni) stand only there.
"""

from __future__ import annotations

import dataclasses
import re

import pandas as pd
import pytest

from indikator import words
from indikator.errors import IndikatorError
from indikator.options import APPENDIX_PARTS, DEFAULT_APPENDIX, PackOptions, parse_appendix
from indikator.report.document import (
    METHOD_HEADING,
    Bullets,
    Chart,
    Heading,
    Paragraph,
    Table,
    build_document,
)
from indikator.words import ALL


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


@pytest.fixture(scope="module")
def pack(example_pack):
    return example_pack[0]


@pytest.fixture(scope="module")
def folder(example_pack):
    return example_pack[1]


def stems(doc) -> list[str]:
    return [b.stem for b in doc.blocks if isinstance(b, Chart)]


def latest_year(pack, survey: str) -> int:
    groups = pack.distributions.groups
    return int(groups.loc[groups["survey"] == survey, "year"].max())


def test_the_appendix_holds_this_years_charts_for_all_and_the_depth_the_rest(
        pack, catalog, folder):
    appendix = build_document(pack, catalog, 5, folder / "diagram", part="appendix")
    depth = build_document(pack, catalog, 5, folder / "diagram", part="depth")
    figures = pack.figures
    alla_now = [f.stem for f in figures if f.kind == "fordelning" and f.spec.group == ALL
                and f.spec.year == latest_year(pack, f.survey)]
    assert stems(appendix) == alla_now  # in the report's order, nothing else
    earlier = {f.stem for f in figures if f.kind == "fordelning"
               and f.spec.year != latest_year(pack, f.survey)}
    rest = {f.stem for f in figures} - set(alla_now) - earlier
    assert set(stems(depth)) == rest and len(stems(depth)) == len(rest)
    kinds = {f.kind for f in figures if f.stem in rest}
    assert kinds == {"fordelning", "jamforelse", "trend"}
    # every survey's questions are listed in the appendix (its chart copies have no captions)
    lists = [b for b in appendix.blocks if isinstance(b, Bullets)]
    for survey in pack.distributions.groups["survey"].unique():
        for q in catalog.get(survey, latest_year(pack, survey)).questions:
            assert any(item.startswith(f"Fråga {q.number}: {q.text}")
                       for bullets in lists for item in bullets.items), (survey, q.number)
    # a compact table per survey compares all respondents with last year
    compact = [b for b in appendix.blocks if isinstance(b, Table)
               and b.caption.endswith("alla svarande") and "Bedömning" in b.header]
    compared = pack.changes[(pack.changes["group"] == ALL)]
    assert len(compact) == compared["survey"].nunique()
    assert sum(len(t.rows) for t in compact) == len(compared)


def test_the_example_appendix_is_about_a_dozen_pages(folder):
    from pypdf import PdfReader

    appendix = PdfReader(folder / "indikatorer.pdf")
    depth = PdfReader(folder / "indikatorer-fordjupning.pdf")
    assert 8 <= len(appendix.pages) <= 14
    assert len(depth.pages) > len(appendix.pages)


def with_appendix(pack, parts: tuple[str, ...]):
    options = dataclasses.replace(pack.options, appendix=parts)
    return dataclasses.replace(pack.report, options=options)


def test_bilaga_moves_parts_into_the_appendix(pack, catalog, folder):
    everything = with_appendix(pack, tuple(APPENDIX_PARTS))
    appendix = build_document(everything, catalog, 5, folder, part="appendix")
    depth = build_document(everything, catalog, 5, folder, part="depth")
    latest = {f.stem for f in pack.figures if f.kind != "fordelning"
              or f.spec.year == latest_year(pack, f.survey)}
    assert set(stems(appendix)) == latest
    assert stems(depth) == []  # only the full tables are left for it
    assert any(isinstance(b, Table) for b in depth.blocks)
    trends_only = with_appendix(pack, ("trender",))
    appendix = build_document(trends_only, catalog, 5, folder, part="appendix")
    kinds = {f.kind for f in pack.figures if f.stem in set(stems(appendix))}
    assert kinds == {"fordelning", "trend"}
    assert not any(isinstance(b, Table) and b.caption.endswith("alla svarande")
                   for b in appendix.blocks)  # no compact comparison without jamforelse


@pytest.mark.parametrize("text, expected", [
    ("allt", tuple(APPENDIX_PARTS)), ("kort", DEFAULT_APPENDIX),
    (" Insatser , trender,insatser", ("insatser", "trender")),
    ("jämförelse", ("jamforelse",)),
])
def test_parse_appendix(text, expected):
    assert parse_appendix(text) == expected


@pytest.mark.parametrize("text, says", [
    ("", "en tom del"), ("insatser,,trender", "en tom del"), ("diagram", "okänd del 'diagram'"),
    ("allt,trender", "allt och kort står ensamma"), ("trender,kort", "står ensamma"),
])
def test_an_unknown_appendix_part_is_refused_in_swedish(text, says):
    with pytest.raises(IndikatorError, match="--bilaga") as error:
        parse_appendix(text)
    assert says in error.value.message
    assert "insatser" in error.value.message or "ensamma" in error.value.message
    with pytest.raises(IndikatorError, match="--bilaga"):
        PackOptions(appendix="insatser")  # a string, not a tuple of parts


# ---- one vocabulary ----

def test_every_verdict_is_a_word_of_the_vocabulary(pack):
    seen = set(pack.changes["verdict"]) | set(pack.goals["verdict"])
    assert seen <= set(words.VOCABULARY)
    assert {words.IMPROVED, words.NO_CLEAR_CHANGE, words.MET} <= seen
    from indikator.analysis import compare, forbund, goals

    for module in (compare, forbund, goals):  # the analysis prints the same words
        for name in ("IMPROVED", "WORSENED", "NO_CLEAR_CHANGE", "NOT_COMPARABLE", "HIGHER",
                     "LOWER", "NO_CLEAR_DIFFERENCE", "MET", "NOT_MET", "MET_UNSURE",
                     "NOT_MET_UNSURE", "NOT_MEASURED"):
            if hasattr(module, name):
                assert getattr(module, name) == getattr(words, name)


TECHNICAL = re.compile(r"\bKI\b|konfidensintervall|Bonferroni|Newcombe|\bp-värde")


def front_and_method(doc) -> tuple[str, str]:
    """The document's text before the method section, and the method section."""
    texts, method, inside = [], [], False
    for block in doc.blocks:
        if isinstance(block, Heading) and block.level == 1:
            inside = block.text == METHOD_HEADING
        if isinstance(block, Heading | Paragraph):
            part = [block.text]
        elif isinstance(block, Bullets):
            part = list(block.items)
        elif isinstance(block, Table):
            part = [block.caption, *block.header, *(c for r in block.rows for c in r)]
        else:
            part = [block.title, block.alt]
        (method if inside else texts).extend(part)
    return " ".join(texts), " ".join(method)


@pytest.mark.parametrize("part", ["appendix", "depth", "page"])
def test_the_method_is_said_once_and_the_front_is_plain(pack, catalog, folder, part):
    doc = build_document(pack, catalog, 5, folder, part=part)
    front, method = front_and_method(doc)
    assert not TECHNICAL.findall(front), TECHNICAL.findall(front)[:5]
    assert "Bonferroni" in method and "Newcombe" in method
    headings = [b.text for b in doc.blocks if isinstance(b, Heading)]
    assert headings.count(METHOD_HEADING) == 1
    # every verdict the document prints is explained there
    printed = {c for b in doc.blocks if isinstance(b, Table) and "Bedömning" in b.header
               for c in (r[b.header.index("Bedömning")] for r in b.rows)}
    assert printed and all(f"{verdict}: " in method for verdict in printed)


def test_the_texts_charts_and_workbook_use_the_plain_words(pack, folder):
    summary = (folder / "sammanfattning.txt").read_text(encoding="utf-8")
    text = (folder / "sammanfattning.md").read_text(encoding="utf-8")
    for content in (summary, text):
        assert not TECHNICAL.findall(content), TECHNICAL.findall(content)[:5]
    svg = " ".join(p.read_text(encoding="utf-8")
                   for p in (folder / "diagram").glob("*_2024-2025_*.svg"))
    assert "felmarginal" in svg and not TECHNICAL.findall(svg)
    from openpyxl import load_workbook

    book = load_workbook(folder / "tabeller.xlsx", read_only=True)
    headers = [c for ws in book.worksheets for row in ws.iter_rows(max_row=1, values_only=True)
               for c in row if isinstance(c, str)]
    assert "Felmarginal från (p.e.)" in headers
    assert not [h for h in headers if re.search(r"\bKI\b", h)]


def test_the_compact_table_says_what_the_change_table_says(pack, catalog, folder):
    from indikator.numbers import interval, pp

    appendix = build_document(pack, catalog, 5, folder, part="appendix")
    compact = [b for b in appendix.blocks if isinstance(b, Table)
               and b.caption.endswith("alla svarande") and "Bedömning" in b.header]
    alla = pack.changes[pack.changes["group"] == ALL]
    surveys = [s for s in catalog.ids if s in set(alla["survey"])]
    assert len(compact) == len(surveys)
    for table, survey in zip(compact, surveys, strict=True):
        mine = alla[alla["survey"] == survey]
        assert [r[0] for r in table.rows] == [str(q) for q in mine["question"]]
        for row, r in zip(table.rows, mine.itertuples(index=False), strict=True):
            assert row[-1] == r.verdict
            if pd.notna(r.change_pp):
                assert row[3] == pp(r.change_pp)
                assert row[4] == interval(r.ci_low_pp, r.ci_high_pp)


def test_pdf_docx_and_html_print_the_same_comparison_and_goals(pack, catalog, folder):
    """The compact tables and the goals, row by row, in the three documents as their own
    readers read them (the deck is compared with the CSVs in test_slides)."""
    import html as html_module

    import docx
    from pypdf import PdfReader

    joiner = "\u2060"
    appendix = build_document(pack, catalog, 5, folder, part="appendix")
    tables = [b for b in appendix.blocks if isinstance(b, Table)
              and ("Bedömning" in b.header)]
    assert len(tables) >= 6
    pdf = flat(" ".join(p.extract_text() for p in PdfReader(
        folder / "indikatorer.pdf").pages)).replace(joiner, "")
    word = docx.Document(folder / "indikatorer.docx")
    word_rows = {tuple(flat(c.text).replace(joiner, "") for c in row.cells)
                 for t in word.tables for row in t.rows}
    page = (folder / "index.html").read_text(encoding="utf-8")
    cells = [flat(html_module.unescape(re.sub(r"<[^>]+>", " ", c))) for c in
             re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", page, flags=re.S)]
    html_text = " | ".join(cells)
    for table in tables:
        for row in table.rows:
            row = tuple(flat(c) for c in row)
            assert row in word_rows, row
            assert " | ".join(row) in html_text, row
            if table.caption.endswith("alla svarande"):  # short cells: one line each
                assert " ".join(c for c in row if c) in pdf, row
