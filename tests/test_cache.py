"""Re-runs redraw exactly what changed, and the pack stays the bytes of a fresh one."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from conftest import seeded, write_csv

from indikator.output.cache import CACHE_FOLDER
from indikator.output.folder import MANIFEST
from indikator.output.pack import PackOptions, build_pack
from indikator.questionnaires import load_catalog

OPTIONS = PackOptions(formats=("png", "html"), jobs=1)


def export(folder: Path, catalog, shift: int = 0) -> Path:
    """Styrelse 2024 and 2025 and beredningsgrupp 2025: three surveys' worth of charts."""
    folder.mkdir(parents=True, exist_ok=True)
    s = [q.text for q in catalog.get("styrelse", 2025).questions]
    b = [q.text for q in catalog.get("beredningsgrupp", 2025).questions]
    labels = ["Inte alls", "Till liten del", "Delvis", "Till stor del", "Till mycket stor del",
              "Helt och hållet"]
    for year in (2024, 2025):
        rows = [["År", *s]] + [[year, *(labels[(i + j + year) % 6] for j in range(3))]
                               for i in range(8)]
        write_csv(folder / f"styrelse_{year}.csv", rows)
    rows = [["År", *b]] + [[2025, *(labels[(i * j + shift) % 6] for j in range(4))]
                           for i in range(7)]
    write_csv(folder / "beredningsgrupp_2025.csv", rows)
    return folder


def files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.name != "sammanfattning.txt"}


@pytest.fixture
def first(tmp_path, catalog):
    data = export(tmp_path / "svar", catalog)
    pack = build_pack([data], tmp_path / "paket", catalog, OPTIONS)
    return data, pack


def test_unchanged_rerun_draws_nothing_and_equals_a_fresh_pack(first, catalog, tmp_path):
    data, pack = first
    assert len(pack.drawn) == len(pack.figures) >= 4 and pack.reused == 0
    again = build_pack([data], tmp_path / "paket", catalog, OPTIONS)
    assert again.drawn == [] and again.reused == len(pack.figures)
    fresh = build_pack([data], tmp_path / "ny", catalog, OPTIONS)
    assert files(tmp_path / "paket") == files(tmp_path / "ny")  # the cache index included
    assert (tmp_path / "paket" / CACHE_FOLDER / "index.json").is_file()
    assert MANIFEST in files(tmp_path / "paket")
    assert len(fresh.drawn) == len(pack.figures)


def test_a_changed_answer_redraws_exactly_its_charts(first, catalog, tmp_path):
    data, _ = first
    export(data, catalog, shift=1)  # beredningsgrupp's answers move; styrelse stays
    again = build_pack([data], tmp_path / "paket", catalog, OPTIONS)
    expected = {f.stem for f in again.figures if f.survey == "beredningsgrupp"}
    assert set(again.drawn) == expected and expected
    assert again.reused == len(again.figures) - len(expected)
    build_pack([data], tmp_path / "ny", catalog, OPTIONS)
    assert files(tmp_path / "paket") == files(tmp_path / "ny")


def test_a_changed_option_questionnaire_or_version_redraws(first, catalog, tmp_path,
                                                           monkeypatch):
    data, pack = first
    sharper = PackOptions(formats=("png", "html"), jobs=1, dpi=150)
    assert len(build_pack([data], tmp_path / "paket", catalog, sharper).drawn) == len(
        pack.figures)  # every chart depends on the resolution
    own = tmp_path / "enkater"
    own.mkdir()
    text = (Path(__file__).resolve().parent.parent / "questionnaires"
            / "styrelse.2019.toml").read_text(encoding="utf-8")
    (own / "styrelse.2025.toml").write_text(
        text.replace('version = "2019"', 'version = "2025"').replace(
            "valid_from = 2019", "valid_from = 2025").replace(
            "Har ni strukturer för att initiera", "Finns det strukturer för att initiera"),
        encoding="utf-8")
    changed = load_catalog([own])
    again = build_pack([data], tmp_path / "paket", changed, sharper)
    # the 2025 board charts (new text), and the comparison and trend that show 2025's text
    assert set(again.drawn) == {f.stem for f in again.figures
                                if f.survey == "styrelse" and getattr(f.spec, "year", 2025)
                                == 2025}
    import indikator

    monkeypatch.setattr(indikator, "__version__", "99.0")
    assert len(build_pack([data], tmp_path / "paket", changed, sharper).drawn) == len(
        again.figures)


def test_cli_rerun_with_nothing_changed_is_left_alone(tmp_path, catalog):
    from indikator.cli.main import run

    data = export(tmp_path / "svar", catalog)
    out = tmp_path / "paket"
    assert run(["pack", str(data), "--out", str(out), "--format", "png"]) == 0
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    assert run(["pack", str(data), "--out", str(out), "--format", "png"]) == 0
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == before  # not rewritten
    (out / "diagram" / next(iter(sorted(p.name for p in (out / "diagram").iterdir())))
     ).write_bytes(b"changed")
    assert run(["pack", str(data), "--out", str(out), "--format", "png"]) == 2  # refused
    shutil.rmtree(out)
    assert run(["pack", str(data), "--out", str(out), "--format", "png",
                "--min-n", "6"]) == 0


# ---- a damaged cache is drawn again, never an error (issue 17, point 11) ----

def damage(out: Path, how: str) -> None:
    folder = out / CACHE_FOLDER
    # the documents' copies: PNG for Word, SVG where only the PDF or the web page shows one
    pngs = sorted(folder.glob("*.png")) or sorted(folder.glob("*.svg"))
    assert pngs
    if how == "doc copies deleted":
        for p in pngs:
            p.unlink()
    elif how == "a doc copy truncated":
        pngs[0].write_bytes(pngs[0].read_bytes()[:100])
    elif how == "a doc copy garbage":
        pngs[-1].write_bytes(b"not a png")
    elif how == "a doc copy a folder":
        pngs[0].unlink()
        pngs[0].mkdir()
    elif how == "index garbage":
        (folder / "index.json").write_text("{ not json")
    elif how == "index a list":
        (folder / "index.json").write_text("[1, 2]")
    elif how == "index entries odd":
        (folder / "index.json").write_text('{"x": 1, "y": {"files": ["../../etc/passwd"]}}')
    elif how == "index deleted":
        (folder / "index.json").unlink()
    elif how == "cache folder deleted":
        shutil.rmtree(folder)
    elif how == "a chart file deleted":
        next(iter(sorted((out / "diagram").glob("*.png")))).unlink()
    elif how == "a chart file changed":  # the user's change: refused, as before
        next(iter(sorted((out / "diagram").glob("*.png")))).write_bytes(b"x")


DOCS = PackOptions(formats=("docx", "html"), jobs=1)


WITH_FILES = PackOptions(formats=("png", "pdf"), jobs=1)


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    """A fresh pack of the same export per options: (export folder, pack, its files). Each
    damage below starts from a copy of it and must end as its bytes."""
    catalog = load_catalog()
    built = {}

    def get(options: PackOptions):
        if options not in built:
            folder = tmp_path_factory.mktemp("fresh")
            data = export(folder / "svar", catalog)
            pack = build_pack([data], folder / "paket", catalog, options)
            built[options] = data, pack, files(pack.out)
        return built[options]

    return get


@pytest.mark.parametrize(("how", "options"), [
    *((how, DOCS) for how in ("doc copies deleted", "a doc copy truncated",
                              "a doc copy garbage", "a doc copy a folder", "index garbage",
                              "index a list", "index entries odd", "index deleted",
                              "cache folder deleted")),
    ("a doc copy garbage", WITH_FILES), ("index entries odd", WITH_FILES)])
def test_a_damaged_cache_is_redrawn_never_fatal(tmp_path, catalog, how, options, fresh):
    import docx

    data, first, fresh_files = fresh(options)  # the first run, and a fresh pack's bytes
    out = seeded(first.out, tmp_path / "paket")
    assert files(out) == fresh_files
    damage(out, how)
    again = build_pack([data], out, catalog, options)  # raised an error before
    assert 0 < len(again.drawn) <= len(first.figures)
    assert len(again.drawn) + again.reused == len(first.figures)
    assert files(out) == fresh_files
    if "docx" in options.formats:  # the same bytes as a fresh pack's, and every chart in it
        assert len(docx.Document(str(out / "indikatorer.docx")).inline_shapes) > 0
    assert not (tmp_path / "etc").exists()
    # and the run after that reuses every chart again
    assert build_pack([data], out, catalog, options).drawn == []


def test_a_chart_file_deleted_is_redrawn(tmp_path, catalog):
    data = export(tmp_path / "svar", catalog)
    out = tmp_path / "paket"
    build_pack([data], out, catalog, OPTIONS)
    damage(out, "a chart file deleted")
    again = build_pack([data], out, catalog, OPTIONS)
    assert len(again.drawn) == 1


def test_cli_with_the_documents_copies_deleted(tmp_path, catalog):
    """Issue 17, point 11: every later run failed (exit 2) until the cache was deleted."""
    from indikator.cli.main import run

    data = export(tmp_path / "svar", catalog)
    out = tmp_path / "paket"
    assert run(["pack", str(data), "--out", str(out), "--format", "pdf,docx,html"]) == 0
    for p in (out / CACHE_FOLDER).glob("*.png"):
        p.unlink()
    assert run(["pack", str(data), "--out", str(out), "--format", "pdf,docx,html"]) == 0
    assert run(["pack", str(data), "--out", str(out), "--format", "pdf,docx,html",
                "--min-n", "6"]) == 0


def test_a_many_forbund_rerun_draws_nothing_and_equals_a_fresh_run(tmp_path, catalog):
    """Each förbund's charts (and the aggregate's) are taken from the run before, whose
    manifest is the whole run's, one folder up; the result is the same as a fresh run."""
    from indikator.input.members import read_members
    from indikator.output.many import build_many

    for name in ("Samordningsförbundet Ett", "Samordningsförbundet Två"):
        export(tmp_path / "svar" / name, catalog)
    members = read_members([tmp_path / "svar"], catalog, OPTIONS)
    first = build_many(members, tmp_path / "riket", catalog, OPTIONS)
    assert all(len(p.drawn) == len(p.figures) >= 4 for p in first.values())
    again = build_many(members, tmp_path / "riket", catalog, OPTIONS)
    assert all(p.drawn == [] and p.reused == len(p.figures) for p in again.values())
    build_many(members, tmp_path / "ny", catalog, OPTIONS)
    assert files(tmp_path / "riket") == files(tmp_path / "ny")
    # a chart file gone from a förbund's folder is drawn again
    next((tmp_path / "riket").glob("*/diagram/*.png")).unlink()
    mended = build_many(members, tmp_path / "riket", catalog, OPTIONS)
    assert sum(len(p.drawn) for p in mended.values()) == 1
    assert files(tmp_path / "riket") == files(tmp_path / "ny")


def test_a_spec_key_sees_every_value_and_the_pixel_libraries(monkeypatch):
    """Two specs that differ anywhere get two keys: deep in a long list of categories, or
    in one element of a long array in a cell (whose reprs shorten both with '…'), or in
    the type of a number; and another Pillow, Skia or ISA-L is another drawing code."""
    import numpy as np
    import pandas as pd

    from indikator.output import cache

    def key(frame: pd.DataFrame) -> str:
        digest = hashlib.sha256()
        cache._feed(digest, frame)
        return digest.hexdigest()

    names = [f"k{i}" for i in range(300)]
    swapped = names.copy()
    swapped[150], swapped[151] = names[151], names[150]
    assert (key(pd.DataFrame({"x": pd.Categorical(["k0"], categories=names)}))
            != key(pd.DataFrame({"x": pd.Categorical(["k0"], categories=swapped)})))
    long, other = np.arange(5000), np.arange(5000)
    other[2500] = -1
    assert key(pd.DataFrame({"v": [long]})) != key(pd.DataFrame({"v": [other]}))
    assert key(pd.DataFrame({"n": [1]})) != key(pd.DataFrame({"n": [1.0]}))
    assert key(pd.DataFrame({"n": [1]})) == key(pd.DataFrame({"n": [1]}))

    before = cache.code_hash()
    real = cache._library_versions()
    monkeypatch.setattr(cache, "_library_versions", lambda: real.replace("isal==", "isal==0"))
    assert cache.code_hash() != before


@pytest.mark.parametrize("link_fails", [False, True])
def test_document_copies_are_linked_or_else_copied(tmp_path, monkeypatch, link_fails):
    """The documents' copies go into the cache folder as hard links, and as copies where
    the system refuses a link (another drive, a file system without links)."""
    import os

    from indikator.output import cache

    if link_fails:
        def refuse(source, target):
            raise OSError(18, "Invalid cross-device link")

        monkeypatch.setattr(os, "link", refuse)
    images = tmp_path / "images"
    images.mkdir()
    (images / "a.png").write_bytes(b"\x89PNG pixels")
    (images / "a.svg").write_text("<svg/>", encoding="utf-8")
    stage = tmp_path / "stage"
    written = cache.write_index(stage, {"k": {"stem": "a"}}, {"k": images / "a.png"})
    folder = stage / CACHE_FOLDER
    assert sorted(p.name for p in written) == ["index.json", "k.png", "k.svg"]
    assert (folder / "k.png").read_bytes() == b"\x89PNG pixels"
    assert (folder / "k.svg").read_text(encoding="utf-8") == "<svg/>"
    assert os.path.samefile(folder / "k.png", images / "a.png") is not link_fails
    shutil.rmtree(images)  # the temporary folder goes; the pack's copies stay
    assert (folder / "k.png").read_bytes() == b"\x89PNG pixels"


def test_manifest_checksums_in_threads_are_each_files_own(tmp_path):
    """folder.checksums hashes in threads, and each digest stands beside its own file."""
    import random

    from indikator.output.folder import checksums

    rng = random.Random(5)
    names = [f"d{i % 3}/f{i}.bin" for i in range(41)]
    for name in names:
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_bytes(rng.randbytes(rng.choice([0, 7, 5000, 3_000_000])))
    assert checksums(tmp_path, names) == [
        hashlib.sha256((tmp_path / n).read_bytes()).hexdigest() for n in names]
    assert checksums(tmp_path, []) == []


def test_only_the_copies_a_document_shows_are_drawn(tmp_path, catalog):
    """A chart's copy for Word and PowerPoint (PNG) is drawn only if a Word document or the
    slides show it, and its copy for the PDF and the web page (SVG) only if one of those
    does: a PDF-only pack has no PNG copies; adding Word redraws exactly the charts Word
    shows, whose images in the .docx files are those copies, and the pack equals a fresh
    one with the same formats."""
    import json
    import zipfile

    from indikator.report.document import Chart, build_document

    data = export(tmp_path / "svar", catalog)
    out = tmp_path / "paket"
    pdf = PackOptions(formats=("pdf",), jobs=1)
    pack = build_pack([data], out, catalog, pdf)

    def stems(part: str) -> set[str]:
        doc = build_document(pack.report, catalog, pdf.min_n, tmp_path, part=part)
        return {b.stem for b in doc.blocks if isinstance(b, Chart)}

    def copies(suffix: str) -> set[str]:
        index = json.loads((out / CACHE_FOLDER / "index.json").read_text(encoding="utf-8"))
        return {index[p.stem]["stem"] for p in (out / CACHE_FOLDER).glob(f"*{suffix}")}

    shown = stems("appendix") | stems("depth")
    assert copies(".svg") == shown and copies(".png") == set()
    assert shown < {f.stem for f in pack.figures}  # an earlier year's chart: in no document
    in_word = shown  # Word shows what the PDFs show
    both = PackOptions(formats=("pdf", "docx"), jobs=1)
    again = build_pack([data], out, catalog, both)
    # a chart in no document and no file is not drawn at all (nor listed as reused)
    assert set(pack.drawn) == shown and pack.reused == 0
    assert set(again.drawn) == in_word and again.reused == len(shown) - len(in_word)
    assert not (out / "diagram").exists()  # no chart files asked for: no empty folder
    assert copies(".png") == in_word and copies(".svg") == shown
    cached = {p.read_bytes() for p in (out / CACHE_FOLDER).glob("*.png")}
    images = [z.read(n) for name in ("indikatorer.docx", "indikatorer-fordjupning.docx")
              for z in [zipfile.ZipFile(out / name)] for n in z.namelist()
              if n.endswith(".png")]
    assert set(images) == cached and len(images) == len(in_word)
    build_pack([data], tmp_path / "ny", catalog, both)
    assert files(out) == files(tmp_path / "ny")
    # slides only: a PNG copy of the charts the slides show, no SVG copy
    slides = PackOptions(formats=("pptx",), jobs=1)
    deck_pack = build_pack([data], tmp_path / "bildspel", catalog, slides)
    from indikator.report.deck import ChartSlide, build_deck

    deck = build_deck(deck_pack.report, tmp_path)
    on_slides = {s.image.stem for s in deck.slides if isinstance(s, ChartSlide)}
    out = tmp_path / "bildspel"
    assert copies(".png") == on_slides and on_slides and copies(".svg") == set()
