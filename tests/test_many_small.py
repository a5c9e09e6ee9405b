"""Many förbund where some, or all, are too small to show: every format is written, and
each hidden förbund is said to be hidden, in its own pack and in the aggregate's."""

from __future__ import annotations

import csv
import html.parser
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from indikator.input.members import AGGREGATE_FOLDER, folder_names
from indikator.options import FORMATS

SURVEYS = ("styrelse", "beredningsgrupp")
YEAR = 2025


def write_forbund(folder: Path, name: str, sizes: dict[str, int], catalog, seed: int,
                  redrawn: frozenset[str] = frozenset(), invalid: bool = False) -> None:
    """One förbund's files: `sizes[survey]` respondents per survey (0: no file), answers
    drawn from the scale with a seeded generator per survey, a blank now and then.
    redrawn: surveys whose answers are drawn anew (the same seed otherwise gives the
    same answers, whatever the other surveys hold).
    invalid: about every other row has a value off the scale (for --skip-invalid), so that
    a sheet's warnings grow with its rows."""
    for survey, size in sizes.items():
        if not size:
            continue
        rng = np.random.default_rng([seed, SURVEYS.index(survey), survey in redrawn])
        questionnaire = catalog.get(survey, YEAR)
        rows = [["År", *(q.text for q in questionnaire.questions)]]
        for _ in range(size):
            cells = [q.scale.label(int(rng.choice(q.scale.codes))) for q in
                     questionnaire.questions]
            if rng.random() < 0.2:
                cells[int(rng.integers(len(cells)))] = ""
            if not any(cells):
                cells[0] = questionnaire.questions[0].scale.label(1)
            if invalid and rng.random() < 0.5:
                cells[-1] = "99"
            rows.append([YEAR, *cells])
        (folder / name).mkdir(parents=True, exist_ok=True)
        with (folder / name / f"{survey}_{YEAR}.csv").open("w", encoding="utf-8-sig",
                                                          newline="") as f:
            csv.writer(f, delimiter=";").writerows(rows)


def write_county(folder: Path, members: dict[str, dict[str, int]], catalog,
                 seed: int = 1) -> Path:
    for i, (name, sizes) in enumerate(members.items()):
        write_forbund(folder, name, sizes, catalog, seed * 1000 + i)
    return folder


class _Text(html.parser.HTMLParser):
    """The text a browser shows: no tags, no style, no script, no embedded images."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs) -> None:
        self.skip += tag in ("style", "script")
        self.parts += [v for k, v in attrs if k in ("alt", "title") and v]

    def handle_endtag(self, tag) -> None:
        self.skip -= tag in ("style", "script")

    def handle_data(self, data) -> None:
        if not self.skip:
            self.parts.append(data)


def file_text(file: Path) -> str | None:
    """A published file as its reader shows it: the PDF's text, Word's paragraphs and
    tables, the deck's texts, notes and alt texts, every sheet's cells, the HTML page's
    text, an SVG's <text> elements, or the text file itself. None for a PNG."""
    suffix = file.suffix.lower()
    if suffix == ".png":
        return None
    if suffix == ".pdf":
        from pypdf import PdfReader

        return "\n".join(p.extract_text() for p in PdfReader(file).pages)
    if suffix == ".docx":
        import docx

        document = docx.Document(str(file))
        cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    if suffix == ".pptx":
        from test_slides import deck_text

        return deck_text(file)
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        book = load_workbook(file)
        return "\n".join("\t".join("" if c is None else str(c) for c in row)
                         for ws in book for row in ws.iter_rows(values_only=True))
    text = file.read_text(encoding="utf-8")
    if suffix == ".html":
        parser = _Text()
        parser.feed(text)
        return "\n".join(parser.parts)
    if suffix == ".svg":
        import html as entities

        return "\n".join(entities.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)<", text))
    return text


def pack_texts(folder: Path) -> dict[str, str]:
    """Every file of one pack as text, by its path in the pack."""
    return {p.relative_to(folder).as_posix(): text for p in sorted(folder.rglob("*"))
            if p.is_file() and (text := file_text(p)) is not None}


def squash(text: str) -> str:
    """Whitespace as one space (a PDF breaks lines where it likes)."""
    return re.sub(r"\s+", " ", text)


HIDDEN_SENTENCE = "hade för få svar för att resultaten ska redovisas"
SHOWN = {"styrelse": 9, "beredningsgrupp": 11}
CASES = {
    "en liten": {"Samordningsförbundet Norra": SHOWN,
                 "Samordningsförbundet Södra": {"styrelse": 12, "beredningsgrupp": 6},
                 "Samordningsförbundet Pytte": {"styrelse": 3, "beredningsgrupp": 2}},
    "två små": {"Samordningsförbundet Norra": SHOWN,
                "Samordningsförbundet Pytte": {"styrelse": 4, "beredningsgrupp": 1},
                "Samordningsförbundet Mini": {"styrelse": 2, "beredningsgrupp": 0}},
    "alla små": {"Samordningsförbundet Pytte": {"styrelse": 3, "beredningsgrupp": 4},
                 "Samordningsförbundet Mini": {"styrelse": 4, "beredningsgrupp": 2}},
}


@pytest.mark.parametrize("case", list(CASES))
def test_small_forbund_in_every_format(tmp_path, catalog, case):
    """`pack --per-forbund` with every --format, once per case: a förbund under --min-n is
    a hidden förbund in its own pack and in alla/, never a crash (it was: object columns
    of an empty table reached the charts' cumsum)."""
    from test_cli import run

    members = CASES[case]
    folder = write_county(tmp_path / "svar", members, catalog)
    result = run("pack", folder, "--per-forbund", "--out", tmp_path / "ut", "--jobs", 1,
                 "--format", ",".join(FORMATS))
    assert result.exit_code == 0, result.output
    out = tmp_path / "ut"
    slugs = folder_names(list(members))
    small = {n for n, sizes in members.items() if max(sizes.values()) < 5}
    documents = ("indikatorer.pdf", "indikatorer.docx", "index.html", "sammanfattning.md")
    for name, slug in slugs.items():
        texts = pack_texts(out / slug)
        assert {"indikatorer.pdf", "indikatorer.docx", "tabeller.xlsx", "index.html",
                "sammanfattning.md", "sammanfattning.txt"} <= set(texts), (name, texts.keys())
        if name not in small:
            assert any(f.endswith(".svg") for f in texts)  # the charts were drawn
            assert list((out / slug / "diagram").glob("*.png"))
            continue
        assert pd.read_csv(out / slug / "distributions.csv").empty
        assert not (out / slug / "diagram").exists()
        for document in documents:  # every survey it has is said to have too few answers
            for survey in (s for s in SURVEYS if members[name][s]):
                title = f"{catalog.get(survey).name} {YEAR}"
                assert f"{title} {HIDDEN_SENTENCE}" in squash(texts[document]), (name,
                                                                                  document)
        summary = texts["sammanfattning.txt"]
        assert summary.count("för få svar (visas inte)") == sum(map(bool,
                                                                   members[name].values()))
        assert "Grupper som inte visas (för få svar)" in texts["tabeller.xlsx"]
        for text in texts.values():  # no size of the förbund, nor any n, anywhere
            assert not re.search(r"\d+ (personer|svarande)\b|n\s?=\s?\d|Rader lästa: \d",
                                 text), name
    alla = pack_texts(out / AGGREGATE_FOLDER)
    groups = pd.read_csv(out / AGGREGATE_FOLDER / "grupper.csv")
    side = pd.read_csv(out / AGGREGATE_FOLDER / "forbund.csv") if (
        out / AGGREGATE_FOLDER / "forbund.csv").exists() else pd.DataFrame(columns=["forbund"])
    for name in small:  # named as hidden in alla/, in every document, never with numbers
        assert not groups.loc[groups["group"] == name, "shown"].any()
        assert groups.loc[groups["group"] == name, "respondents"].isna().all()
        assert name not in set(side["forbund"])
        hidden_lines = alla["sammanfattning.txt"].split("Visas inte (för få svar")[1]
        assert name in hidden_lines.split("\n\n")[0]
        for document in ("indikatorer.pdf", "indikatorer.docx", "index.html"):
            pattern = r"\s+".join(map(re.escape, name.split())) + r"\s+dold"
            assert re.search(pattern, alla[document]), (name, document)
        for file, text in alla.items():
            if file.endswith(".svg"):
                assert name.split()[-1] not in text, file  # not in a side-by-side chart
    if len(small) == len(members):  # nothing shown anywhere: alla/ is hidden as well
        assert pd.read_csv(out / AGGREGATE_FOLDER / "distributions.csv").empty
        assert not (out / AGGREGATE_FOLDER / "diagram").exists()
        assert not groups["shown"].any()
        for survey in SURVEYS:
            title = f"{catalog.get(survey).name} {YEAR}"
            assert f"{title} {HIDDEN_SENTENCE}" in squash(alla["indikatorer.pdf"])
            assert f"{title} {HIDDEN_SENTENCE}" in squash(alla["sammanfattning.md"])
    else:
        assert list((out / AGGREGATE_FOLDER / "diagram").glob("*_alla_*.svg"))


def test_an_all_hidden_forbund_keeps_the_aggregate_numeric(tmp_path, catalog):
    """The cause of the crash: a förbund with nothing shown has empty tables, whose
    columns pandas makes `object`; summed into the aggregate they made its counts and
    percents objects, which the reference bars of every other förbund could not stack."""
    from indikator.analysis.forbund import aggregate
    from indikator.analysis.stats import NUMBER_TYPES
    from indikator.analysis.tally import tally
    from indikator.importing import import_files
    from indikator.options import PackOptions

    folder = write_county(tmp_path, CASES["en liten"], catalog)
    dists = {name: tally(import_files([folder / name], catalog), catalog, PackOptions())
             for name in CASES["en liten"]}
    assert dists["Samordningsförbundet Pytte"].table.empty
    total = aggregate(dists, 5)
    for table in (dists["Samordningsförbundet Pytte"].table, dists[
            "Samordningsförbundet Pytte"].cells, total.table, total.cells, total.no_answer):
        for column, kind in NUMBER_TYPES.items():
            if column in table:
                assert table[column].dtype == kind, column


def test_reference_labels_match_as_answers_do(tmp_path, catalog):
    """--reference with another pack's distributions.csv whose answer texts differ in case,
    spacing or Unicode form ('INTE ALLS', 'Till  liten del', a decomposed 'ä') is read as
    the same answers, as the importer reads them; charts and referens.csv are those of the
    file as written. A text on no answer of the scale stops the run (exit 2), naming the
    file, the row and the text."""
    import unicodedata

    from test_cli import run

    members = {"Samordningsförbundet Norra": {"styrelse": 14, "beredningsgrupp": 12},
               "Samordningsförbundet Södra": SHOWN}
    folder = write_county(tmp_path / "svar", members, catalog, seed=7)
    result = run("pack", folder / "Samordningsförbundet Norra", "--out", tmp_path / "ref",
                 "--format", "xlsx")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader((tmp_path / "ref" / "distributions.csv").open(encoding="utf-8")))
    label = rows[0].index("label")
    changed = [rows[0]]
    for i, row in enumerate(rows[1:]):
        text = row[label]
        text = [text.upper(), text.replace(" ", "  "), unicodedata.normalize("NFD", text),
                f" {text.lower()} "][i % 4]
        changed.append([*row[:label], text, *row[label + 1:]])
    assert any(r[label] != o[label] for r, o in zip(changed, rows, strict=True))
    shouting = tmp_path / "edited" / "distributions.csv"
    shouting.parent.mkdir()
    with shouting.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(changed)
    south = folder / "Samordningsförbundet Södra"
    packs = {}
    for name, reference in (("plain", tmp_path / "ref" / "distributions.csv"),
                            ("shouting", shouting)):
        result = run("pack", south, "--out", tmp_path / name, "--format", "svg", "--jobs", 1,
                     "--reference", reference, "--reference-label", "Länet")
        assert result.exit_code == 0, result.output
        packs[name] = tmp_path / name
    for file in ("referens.csv", "distributions.csv"):
        assert (packs["plain"] / file).read_bytes() == (packs["shouting"] / file).read_bytes()
    charts = sorted((packs["shouting"] / "diagram").glob("*.svg"))
    assert charts and all("Länet 2025 (n=" in file_text(c) for c in charts)
    # a text that is no answer of the scale: refused, with file, row and text
    changed[5][label] = "Inte allt"
    with shouting.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(changed)
    result = run("pack", south, "--out", tmp_path / "bad", "--format", "xlsx",
                 "--reference", shouting)
    assert result.exit_code == 2, result.output
    assert str(shouting) in result.stderr and "rad 6" in result.stderr
    assert "'Inte allt'" in result.stderr and "finns inte på skalan" in result.stderr
    assert not (tmp_path / "bad").exists()
