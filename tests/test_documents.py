"""The documents of a pack, read back as a reader's tools read them.

tabeller.xlsx with openpyxl (numbers against distributions.csv), indikatorer.pdf with
pypdf (every question and response rate findable as text, fonts embedded),
indikatorer.docx with python-docx (headings, pictures, tables) and index.html in a
real headless Chromium (no console errors, every image decoded, no network).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from indikator.numbers import whole
from indikator.report.contents import TABLES
from indikator.report.document import Chart, Table, build_document
from indikator.text import short_name
from indikator.words import ALL


def flat(text: str) -> str:
    """Whitespace as one space (PDF text breaks lines where the page does)."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


@pytest.fixture(scope="module")
def folder(example_pack) -> Path:
    return example_pack[1]


@pytest.fixture(scope="module")
def pack(example_pack):
    return example_pack[0]


# ---- the pack's model ----

def test_the_library_pack_equals_the_cli_pack(pack, folder):
    """A user calling build_pack gets the CLI's tables, byte for byte."""
    for table in TABLES:
        mine, theirs = pack.out / table.file, folder / table.file
        assert mine.is_file() == theirs.is_file(), table.file
        if mine.is_file():
            assert mine.read_bytes() == theirs.read_bytes(), table.file
    assert (pack.out / "sammanfattning.md").read_bytes() == (
        folder / "sammanfattning.md").read_bytes()


def test_every_table_of_the_model_is_written_and_listed(pack, folder):
    written = {t.file for t in TABLES if (folder / t.file).is_file()}
    assert {"distributions.csv", "grupper.csv", "changes.csv", "svarsfrekvens.csv",
            "mal.csv", "trender.csv", "vet_ej.csv"} <= written
    for table in TABLES:
        if table.file in written:
            header = (folder / table.file).read_text(encoding="utf-8").split("\n")[0]
            assert header.split(",") == list(table.columns), table.file
    listed = (folder / "sammanfattning.txt").read_text(encoding="utf-8")
    for name in ("indikatorer.pdf", "indikatorer.docx", "tabeller.xlsx", "index.html",
                 "indikatorer.pptx", *written):
        assert (folder / name).is_file() and name in listed, name
    assert not list(folder.glob("*.typ"))  # Typst's source stays out of the pack


def test_the_library_pack_is_marked_and_has_goals_as_the_cli(pack):
    assert pack.marker.startswith("Exempeldata")  # found, as the command line finds it
    assert pack.goals is not None and not pack.goals.empty  # mal.toml beside the files


# ---- tabeller.xlsx ----

@pytest.fixture(scope="module")
def workbook(folder):
    from openpyxl import load_workbook

    return load_workbook(folder / "tabeller.xlsx")


def sheet_frame(ws) -> pd.DataFrame:
    rows = list(ws.iter_rows(values_only=True))
    return pd.DataFrame(rows[1:], columns=rows[0])


def test_workbook_sheets_and_layout(workbook):
    assert workbook.sheetnames == ["Fördelning", "Förändring", "Svarsfrekvens", "Mål",
                                   "Kön", "Trender", "Datakvalitet"]
    from indikator.output.renderers.workbook import VIEWS

    for table in TABLES:  # every table is on its own sheet or on Datakvalitet
        assert (table.file in VIEWS) == (table.sheet != "Datakvalitet"), table.file
    for name in workbook.sheetnames[:-1]:
        ws = workbook[name]
        assert ws.freeze_panes == "A2", name
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), name
        assert all(not (isinstance(c.value, str) and c.value.startswith("="))
                   for row in ws.iter_rows() for c in row)  # no formulas
        assert ws.column_dimensions["A"].width >= 8


def test_workbook_distribution_equals_distributions_csv(workbook, folder, catalog):
    csv = pd.read_csv(folder / "distributions.csv")
    ws = workbook["Fördelning"]
    sheet = sheet_frame(ws)
    names = {catalog.get(s).name: s for s in csv["survey"].unique()}
    assert len(sheet) == len(csv.drop_duplicates(["survey", "year", "group", "question"]))
    keyed = csv.set_index(["survey", "year", "group", "question", "label"])
    checked = 0
    labels = [c for c in sheet.columns if c not in ("Enkät", "År", "Grupp", "Fråga", "n",
                                                    "Skala", "Frågetext")]
    groups = {("Alla" if g == ALL else short_name(g, 200)): g for g in csv["group"].unique()}
    for _, row in sheet.iterrows():
        survey, group = names[row["Enkät"]], groups[row["Grupp"]]
        for label in labels:
            value = row[label]
            key = (survey, row["År"], group, row["Fråga"], label)
            if pd.isna(value):
                assert key not in keyed.index or pd.isna(keyed.loc[key, "percent"])
                continue
            expected = keyed.loc[key]
            assert value * 100 == pytest.approx(expected["percent"], abs=1e-9)
            assert row["n"] == expected["n"]
            checked += 1
    assert checked == csv["percent"].notna().sum()
    # shares are numbers shown as whole percent, not text
    cell = ws.cell(row=2, column=sheet.columns.get_loc(labels[0]) + 1)
    assert cell.data_type == "n" and cell.number_format == "0 %"


def test_workbook_changes_rates_and_trends_equal_their_csv(workbook, folder):
    changes = pd.read_csv(folder / "changes.csv")
    sheet = sheet_frame(workbook["Förändring"])
    assert len(sheet) == len(changes)
    both = sheet["Förändring (p.e.)"].notna()
    assert (sheet.loc[both, "Förändring (p.e.)"].to_numpy()
            == pytest.approx(changes.loc[both.to_numpy(), "change_pp"].to_numpy()))
    assert sheet["Bedömning"].tolist() == changes["verdict"].tolist()
    rates = pd.read_csv(folder / "svarsfrekvens.csv")
    sheet = sheet_frame(workbook["Svarsfrekvens"])
    assert (sheet["Svarsfrekvens"] * 100).to_numpy() == pytest.approx(
        rates["response_rate"].to_numpy())
    assert sheet["Svar"].tolist() == rates["answers"].tolist()
    trends = pd.read_csv(folder / "trender.csv")
    sheet = sheet_frame(workbook["Trender"])
    assert (sheet["Andel positiva"] * 100).to_numpy() == pytest.approx(
        trends["share_positive"].to_numpy())


def test_workbook_data_quality_sheet(workbook, pack):
    ws = workbook["Datakvalitet"]
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "Radbokföring" in texts and "Grupper som inte visas (för få svar)" in texts
    assert any(t.startswith("Rader lästa:") for t in texts)
    hidden = pack.distributions.groups[~pack.distributions.groups["shown"]]
    reason = hidden["reason"].iloc[0]
    assert sum(t == reason for t in texts) == len(hidden)


# ---- indikatorer.pdf ----

@pytest.fixture(scope="module")
def pdf(folder):
    from pypdf import PdfReader

    return PdfReader(folder / "indikatorer.pdf")


@pytest.fixture(scope="module")
def pdf_text(pdf) -> str:
    return flat(" ".join(page.extract_text() for page in pdf.pages))


def test_pdf_has_every_question_text_of_every_survey(pdf_text, pack, catalog):
    for survey in pack.distributions.groups["survey"].unique():
        year = int(pack.distributions.groups.loc[
            pack.distributions.groups["survey"] == survey, "year"].max())
        for q in catalog.get(survey, year).questions:
            assert flat(f"Fråga {q.number}: {q.text}") in pdf_text, (survey, q.number)


def test_pdf_has_every_response_rate(pdf_text, depth_text, pack, catalog):
    """This year's rate of every group in the appendix, every year's in the depth."""
    groups = pack.distributions.groups
    latest = groups.groupby("survey")["year"].max()
    for r in pack.rates.itertuples(index=False):
        group = "Alla" if r.group == ALL else r.group
        declined = "" if pd.isna(r.declined) else f" {int(r.declined)}"
        row = (f"{catalog.get(r.survey).name} {r.year} {group} {int(r.answers)} {int(r.asked)}"
               f"{declined} {whole(r.response_rate)} %")
        assert row in depth_text, row
        if r.year == latest[r.survey]:
            short = (f"{group} {int(r.answers)} {int(r.asked)}{declined} "
                     f"{whole(r.response_rate)} %")
            assert short in pdf_text, short


@pytest.fixture(scope="module")
def depth_text(folder) -> str:
    from pypdf import PdfReader

    return flat(" ".join(p.extract_text() for p in PdfReader(
        folder / "indikatorer-fordjupning.pdf").pages))


def test_pdf_title_contents_page_numbers_and_fonts(pdf, pdf_text):
    first = flat(pdf.pages[0].extract_text())
    assert "Indikatorer för finansiell samordning 2025" in first
    assert "Samordningsförbundet" in first and "EXEMPELDATA" in first
    assert "Innehåll" in first and "Så läses siffrorna" in first
    assert "Resultat deltagare, pågående" in pdf_text
    for index in (0, 2, 5, len(pdf.pages) - 1):  # page numbers from the title page
        assert flat(pdf.pages[index].extract_text()).endswith(str(index + 1)), index
    for page in pdf.pages[:3]:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font)[
                "/FontDescriptor"].get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def test_pdf_pages_are_a4(pdf):
    box = pdf.pages[3].mediabox
    assert float(box.width) / 72 * 25.4 == pytest.approx(210, abs=0.5)
    assert float(box.height) / 72 * 25.4 == pytest.approx(297, abs=0.5)


# ---- indikatorer.docx ----

def test_docx_headings_pictures_and_tables(folder, pack, catalog):
    import docx
    from docx.shared import Cm

    from indikator.output.renderers.word.contents import numbers

    document = docx.Document(folder / "indikatorer.docx")
    model = build_document(pack, catalog, 5, folder)
    headings = [(p.style.name, p.text) for p in document.paragraphs
                if p.style.name.startswith("Heading")]
    mine = model.headings()
    expected = [(f"Heading {h.level}", f"{n} {h.text}")
                for n, h in zip(numbers(mine), mine, strict=True)]  # numbered as in the PDF
    assert headings == expected
    charts = [b for b in model.blocks if isinstance(b, Chart)]
    shapes = document.inline_shapes
    assert len(shapes) == len(charts) > 10
    for shape, chart in zip(shapes, charts, strict=True):
        assert shape.width == Cm(16)
        assert shape._inline.docPr.get("descr") == chart.alt
    tables = [b for b in model.blocks if isinstance(b, Table)]
    assert len(document.tables) == len(tables)
    rates = next(t for t in document.tables if t.rows[0].cells[-1].text == "Svarsfrekvens")
    first = pack.rates[(pack.rates["survey"] == "deltagare_pagaende")
                       & (pack.rates["group"] == ALL)].iloc[-1]
    assert flat(rates.rows[1].cells[-1].text) == f"{whole(first['response_rate'])} %"
    depth = docx.Document(folder / "indikatorer-fordjupning.docx")
    model = build_document(pack, catalog, 5, folder, part="depth")
    assert len(depth.inline_shapes) == sum(isinstance(b, Chart) for b in model.blocks) > 20
    assert len(depth.tables) == sum(isinstance(b, Table) for b in model.blocks)


# ---- index.html in a real browser ----

EDGE = Path("C:/Program Files (x86)/Microsoft/Edge/Application/msedge.exe")


def chromium() -> str:
    """The system's Chromium (Linux; scripts/browser.sh installs it), Chrome or Edge."""
    for name in ("chromium", "chromium-browser", "google-chrome", "microsoft-edge", "msedge"):
        if found := shutil.which(name):
            return found
    if EDGE.is_file():
        return str(EDGE)
    pytest.fail("No Chromium, Chrome or Edge: scripts/browser.sh (run by .ci/run) installs "
                "Debian's chromium.")


BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync"]


def test_html_page_in_a_real_browser(folder, pack, catalog, tmp_path):
    from playwright.sync_api import sync_playwright

    model = build_document(pack, catalog, 5, folder, part="page")
    charts = [b for b in model.blocks if isinstance(b, Chart)]
    errors, requests = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), headless=True,
                                    args=BROWSER_ARGS)
        page = browser.new_page(viewport={"width": 1100, "height": 1400})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: requests.append(r.url)
                if not r.url.startswith(("file:", "data:")) else None)
        page.goto((folder / "index.html").as_uri(), wait_until="load")
        images = page.evaluate("""() => Array.from(document.images).map(i => ({
            ok: i.complete && i.naturalWidth > 0, alt: i.alt}))""")
        links = page.evaluate("""() => Array.from(document.querySelectorAll('nav a'))
            .every(a => document.getElementById(a.hash.slice(1)) !== null)""")
        tables = page.evaluate("() => document.querySelectorAll('table').length")
        page.screenshot(path=str(tmp_path / "index.png"))
        shutil.copy(tmp_path / "index.png", folder.parent / "index-screenshot.png")
        browser.close()
    assert errors == [] and requests == []
    assert len(images) == len(charts) == len(pack.figures)  # every chart of the pack
    assert len(images) == len(list((folder / "diagram").glob("*.png")))
    assert all(i["ok"] for i in images)
    assert all("%" in i["alt"] and "Fråga" in i["alt"] for i in images)
    assert links and tables >= 5
    assert (tmp_path / "index.png").stat().st_size > 10_000
