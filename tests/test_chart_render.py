"""The renderer: one drawing gives the SVG and the PNG, its boxes are where the pixels are,
its fonts are the ones measured, and generated stacked charts keep their labels apart."""

import io
import math
import xml.etree.ElementTree as ET
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from conftest import (
    assert_nothing_clipped,
    assert_texts_apart,
    inside,
    is_outside,
    labels_by_bar,
    overlaps,
)
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from test_charts import COUNTS, answers_from_counts, assert_labels_clear, expected_label
from test_comparison_chart import pair_table
from test_trend_chart import trend_spec

from indikator.analysis.stats import distributions
from indikator.charts import chart_specs, comparison_chart, comparison_specs, stacked_chart
from indikator.charts.drawing import Line, Text
from indikator.charts.theme import MIN_TEXT_PT
from indikator.charts.trend import trend_chart

SVG = "{http://www.w3.org/2000/svg}"


def stacked(catalog):
    answers = answers_from_counts(COUNTS)
    dist = distributions(answers, answers.drop_duplicates("respondent"), catalog)
    return stacked_chart(chart_specs(dist, catalog)[0])


def comparison(catalog):
    from indikator.analysis.compare import compare

    table = pair_table(catalog)
    (spec,) = comparison_specs(table, compare(table, table, catalog), catalog)
    return comparison_chart(spec)


def trend(catalog):
    return trend_chart(trend_spec(4, [2022, 2023, 2024, 2025], frozenset({(2, 2023)})))


def side(catalog):
    from indikator.charts.side import SideSpec, side_chart

    questionnaire = catalog.get("styrelse", 2025)
    block = questionnaire.blocks()[0]
    rows = [("styrelse", 2025, name, q.number, q.text, 12, share, low, high)
            for name, share, low, high in [("Förbund Alfa", 80.0, 55.0, 93.0),
                                           ("Förbund Beta", 40.0, 19.0, 64.0),
                                           ("Förbund Gamma & Co <1>", 0.0, 0.0, 24.2)]
            for q in block]
    data = pd.DataFrame(rows, columns=["survey", "year", "forbund", "question",
                                       "question_text", "n", "share_positive", "ci_low",
                                       "ci_high"])
    return side_chart(SideSpec("styrelse", questionnaire.name, 2025, tuple(block), data,
                               {q.number: 50.0 for q in block}))


KINDS = {"stacked": stacked, "comparison": comparison, "trend": trend, "side": side}


@pytest.fixture(scope="module", params=list(KINDS))
def drawing(request, catalog):
    return KINDS[request.param](catalog)


# ---- 1. the SVG and the PNG come from the same drawing ----

def test_svg_has_every_text_line_as_text_and_parses(drawing):
    from xml.sax.saxutils import escape

    svg = drawing.svg()
    root = ET.fromstring(svg.encode("utf-8"))  # well-formed XML
    assert root.tag == f"{SVG}svg"
    view = [float(v) for v in root.get("viewBox").split()]
    assert view == pytest.approx([0, 0, drawing.width, drawing.height], abs=0.01)
    lines = [(line, item) for item in drawing.texts() for line in item.lines if line]
    assert len(lines) > 10
    for line, _ in lines:
        assert f">{escape(line)}</text>" in svg, line
    found = Counter(t.text for t in root.iter(f"{SVG}text"))
    assert found == Counter(line for line, _ in lines)  # each line once, nothing else
    # and where the drawing puts it: the same anchor point, first baselines included
    placed: dict[str, list[tuple[float, float, str]]] = {}
    for t in root.iter(f"{SVG}text"):
        placed.setdefault(t.text, []).append((float(t.get("x")), float(t.get("y")),
                                              t.get("text-anchor", "start")))
    for item in drawing.texts():
        for i, line in enumerate(item.lines):
            if line:
                assert any(abs(x - item.x) <= 0.006 and abs(y - item.y - i * item.step) <= 0.006
                           and anchor == item.anchor for x, y, anchor in placed[line]), line


def test_png_has_the_drawings_size_and_reads_back(drawing):
    from PIL import Image

    for dpi in (100, 300):
        data = drawing.png(dpi)
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            assert image.size == (math.floor(drawing.width * dpi / 72),
                                  math.floor(drawing.height * dpi / 72))
            assert image.mode == "RGBA"
            assert image.info["dpi"] == pytest.approx((dpi, dpi), abs=0.01)
            assert image.getpixel((0, 0)) == (255, 255, 255, 255)  # white paper, opaque


def test_the_writers_write_the_same_drawing(drawing, tmp_path):
    from indikator.output.files import write_drawing

    paths = write_drawing(drawing, tmp_path / "c", ("png", "svg"), 100)
    assert [p.name for p in paths] == ["c.png", "c.svg"]
    assert (tmp_path / "c.png").read_bytes() == drawing.png(100)
    assert (tmp_path / "c.svg").read_text(encoding="utf-8") == drawing.svg()


def test_a_chart_and_its_documents_copy_written_together_are_as_written_alone(drawing,
                                                                              tmp_path):
    """write_drawing writes a chart's SVG elements once for its file and its documents'
    copy: both are the SVGs svg_text writes of the drawing and of the box alone."""
    from indikator.charts.svg import svg_text
    from indikator.output.files import document_box, write_drawing

    write_drawing(drawing, tmp_path / "c", ("svg",), 100, doc=tmp_path / "doc" / "c")
    assert (tmp_path / "c.svg").read_text(encoding="utf-8") == svg_text(drawing)
    box = document_box(drawing, 200)
    alone = svg_text(drawing, box)
    assert (tmp_path / "doc" / "c.svg").read_text(encoding="utf-8") == alone
    assert alone.count("<text") < svg_text(drawing).count("<text")  # the questions are cut


def test_documents_copy_is_the_drawing_as_skia_drew_it(drawing):
    assert_documents_copy(drawing)


def assert_documents_copy(drawing) -> None:
    """The Word/PowerPoint copy that write_drawing writes: a PNG at 200 dpi of exactly the
    pixels Skia draws of the documents' box (the chart above its question texts), in full
    colour: no colour of a bar, a swatch or an antialiased edge is rounded away."""
    import tempfile
    from pathlib import Path

    from PIL import Image

    from indikator.charts.pixels import rasterise
    from indikator.output.files import document_box, write_drawing

    with tempfile.TemporaryDirectory() as tmp:
        doc = Path(tmp) / "doc" / "c"
        write_drawing(drawing, Path(tmp) / "c", (), 300, doc=doc, doc_dpi=200)
        with Image.open(doc.with_suffix(".png")) as image:
            image.load()
            assert image.info["dpi"] == pytest.approx((200, 200), abs=0.01)
            pixels = np.asarray(image.convert("RGBA"))
        assert "<svg " in doc.with_suffix(".svg").read_text(encoding="utf-8")
    assert np.array_equal(pixels, rasterise(drawing, 200, document_box(drawing, 200)))
    assert (pixels[..., 3] == 255).all() and tuple(pixels[0, 0]) == (255, 255, 255, 255)


def test_kept_pixels_are_the_same_pixels_in_a_buffer_used_again(drawing):
    """rasterise(kept=True), as write_drawing draws a chart to write its PNG at once: the
    same pixels as a fresh array, in one buffer per thread that the next chart draws over
    (so nothing a caller keeps is drawn over: only `kept` calls share it)."""
    import threading

    from indikator.charts.pixels import rasterise
    from indikator.charts.png import png_bytes

    fresh_300, fresh_100 = rasterise(drawing, 300), rasterise(drawing, 100)
    kept = rasterise(drawing, 300, kept=True)
    assert np.array_equal(kept, fresh_300)
    assert png_bytes(kept, 300) == png_bytes(fresh_300, 300)
    smaller = rasterise(drawing, 100, kept=True)  # a smaller chart, in the same buffer
    assert np.array_equal(smaller, fresh_100) and np.shares_memory(kept, smaller)
    assert png_bytes(fresh_100, 100) == png_bytes(smaller, 100)
    assert np.array_equal(rasterise(drawing, 300), fresh_300)  # not kept: its own array
    other = []
    thread = threading.Thread(target=lambda: other.append(rasterise(drawing, 100, kept=True)))
    thread.start()
    thread.join()
    assert not np.shares_memory(other[0], smaller) and np.array_equal(other[0], fresh_100)


# ---- 2. layout and pixels agree ----

def to_px(box, dpi: float) -> tuple[int, int, int, int]:
    k = dpi / 72
    return (math.floor(box[0] * k), math.floor(box[1] * k), math.ceil(box[2] * k),
            math.ceil(box[3] * k))


def rgb(colour: str) -> np.ndarray:
    from matplotlib.colors import to_rgb

    return np.array(to_rgb(colour)) * 255


def test_texts_are_drawn_where_their_boxes_say(drawing):
    from indikator.charts.pixels import rasterise

    dpi = 100
    pixels = rasterise(drawing, dpi)[:, :, :3].astype(int)
    height, width, _ = pixels.shape
    for text in drawing.texts():
        if not text.text.strip():
            continue
        x0, y0, x1, y1 = to_px(text.box(), dpi)
        region = pixels[max(y0, 0):y1, max(x0, 0):x1]
        # the text's own colour is in its box (the cores of its strokes)
        near = np.abs(region - rgb(text.colour)).max(axis=2) < 90
        assert near.sum() >= 3 * len(text.text.replace(" ", "")) ** 0.5, text.text
        if text.colour != "white":  # and it is ink: darker than the paper
            assert region.sum(axis=2).min() < 3 * 160, text.text
    # nothing is drawn outside the items' boxes (2 px of antialiasing around them)
    covered = np.zeros((height, width), bool)
    for item in drawing.items:
        x0, y0, x1, y1 = to_px(item.box(), dpi)
        covered[max(y0 - 2, 0):y1 + 2, max(x0 - 2, 0):x1 + 2] = True
    assert covered.mean() < 0.9  # the check below sees paper
    assert (pixels[~covered] == 255).all()


def test_a_text_moved_off_its_box_would_be_seen(catalog):
    """The check above is not blind: a label drawn 20 pt off where its box says leaves ink
    outside every box."""
    from dataclasses import replace

    from indikator.charts.pixels import rasterise

    drawing = stacked(catalog)
    (title,) = drawing.texts("title")
    moved = replace(title, x=title.x + 20)
    pixels = rasterise(drawing, 100)
    drawing.items[drawing.items.index(title)] = moved
    shifted = rasterise(drawing, 100)
    right = to_px(title.box(), 100)[2] + 3
    band = slice(*to_px(title.box(), 100)[1:4:2])
    assert (pixels[band, right:right + 20, :3] == 255).all()
    assert (shifted[band, right:right + 20, :3] < 128).any()


# ---- 3. fonts ----

def test_every_text_is_dejavu_sans_at_8_pt_or_more(drawing):
    from indikator.charts.fonts import skia_font

    texts = [t for t in drawing.texts() if t.text.strip()]
    assert {t.weight for t in texts} <= {"normal", "bold"}
    assert min(t.size for t in texts) >= MIN_TEXT_PT
    for weight in {t.weight for t in texts}:
        face = skia_font(MIN_TEXT_PT, weight).getTypeface()
        assert face.getFamilyName() == "DejaVu Sans"
        assert (face.fontStyle().weight() >= 700) == (weight == "bold")
    assert "bold" in {t.weight for t in drawing.texts("title")}


def test_the_svg_names_dejavu_sans_with_its_fallbacks(drawing):
    from indikator.charts.svg import FONTS

    root = ET.fromstring(drawing.svg().encode("utf-8"))
    families = [f.strip().strip("'") for f in root.get("font-family").split(",")]
    assert families[0] == "DejaVu Sans" and families[-1] == "sans-serif"
    assert "Verdana" in families  # DejaVu's widths, where a viewer lacks DejaVu
    assert root.get("font-family") == FONTS
    bold = Counter(line for t in drawing.texts() if t.weight == "bold" for line in t.lines
                   if line)
    assert Counter(t.text for t in root.iter(f"{SVG}text")
                   if t.get("font-weight") == "bold") == bold
    for element in root.iter(f"{SVG}text"):
        assert float(element.get("font-size")) >= MIN_TEXT_PT
        assert element.get("font-family") is None  # the chart's font list holds everywhere


# ---- 4. generated stacked charts: a label per segment, apart, nothing clipped ----

INSATSER = st.sampled_from([
    "Team A", "Coachingteam Norr",
    "Arbetsmarknadsinriktad rehabilitering för unga vuxna i Norra distriktet",
    "Samverkansprojektet Steg för steg mot arbete och studier – Östra Göinge, Hässleholm",
])
SHARE = st.one_of(st.just(0), st.integers(1, 3), st.integers(4, 60), st.integers(200, 600))


@st.composite
def answer_counts(draw):
    """Counts per code 1-6 of questions 1..k (k 1-7): zeros, single answers among many
    (0.2-0.5 %) and everything between."""
    k = draw(st.integers(1, 7))
    counts = {}
    for question in range(1, k + 1):
        per_code = draw(st.lists(SHARE, min_size=6, max_size=6))
        assume(sum(per_code) >= 5)
        counts[question] = per_code
    return counts


@settings(max_examples=min(40, settings.default.max_examples), deadline=None)
@given(counts=answer_counts(), insats=INSATSER, with_reference=st.booleans(),
       reference_counts=st.lists(SHARE, min_size=6, max_size=6).filter(lambda c: sum(c) >= 5))
def test_generated_stacked_charts_label_every_segment_apart(catalog, counts, insats,
                                                           with_reference, reference_counts):
    from dataclasses import replace

    answers = answers_from_counts(counts)
    dist = distributions(answers, answers.drop_duplicates("respondent"), catalog, min_n=5)
    reference = reference_name = None
    if with_reference:
        theirs = answers_from_counts({q: reference_counts for q in counts})
        theirs["group"] = "Riket"
        ref = distributions(theirs, theirs.drop_duplicates("respondent"), catalog, min_n=5)
        reference, reference_name = ref.table[ref.table["group"] == "Alla"], "Riket"
    specs = [s for s in chart_specs(dist, catalog, reference=reference,
                                    reference_name=reference_name or "") if s.group == "Team A"]
    assume(specs)
    spec = replace(specs[0], group=insats)
    fig = stacked_chart(spec)
    expected: dict[str, list[str]] = {}
    for rows, name in [(spec.data, None), (spec.reference, spec.reference_name)]:
        if rows is None:
            continue
        for row in rows.itertuples(index=False):
            label = expected_label(int(row.count), int(row.n))
            if label:
                bar = (f"Fråga {row.question} (n={int(row.n)})" if name is None
                       else f"{name} (n={int(row.n)})")
                expected.setdefault(bar, []).append(label)
    found: dict[str, list[str]] = {}
    for bar, texts in labels_by_bar(fig).items():  # reference bars share one name
        found.setdefault(bar, []).extend(texts)
    assert {b: sorted(t) for b, t in found.items()} == {b: sorted(t)
                                                        for b, t in expected.items()}
    bars = len(spec.data["question"].unique()) + (
        0 if spec.reference is None else len(spec.reference["question"].unique()))
    outside = assert_labels_clear(fig, bars)  # apart, off the bars, over the axis
    assert len(fig.find(Line, "tick")) == outside
    assert_texts_apart([t for t in fig.texts() if t.text.strip()])  # no text on another
    assert_nothing_clipped(fig)
    for label in fig.texts("label"):  # a label is on a bar or in the gap above one
        assert is_outside(fig, label) or any(
            overlaps(label.box(), r.box()) for r in fig.items if r.gid == "bars")
        assert inside(label.box(), (0, 0, fig.width, fig.height))
        assert isinstance(label, Text)
    assert_documents_copy(fig)  # Word's copy is the drawing, pixel for pixel


# --- hostile texts: every SVG stays XML (the PDF's Typst and the HTML page read them) ---

REVIEW_LABELS = ["Inte alls", "Till liten del", "Delvis", "Till stor del",
                 "Till mycket stor del", "Helt och hållet"]


def _board_export(folder, catalog, group: str):
    from conftest import write_csv

    folder.mkdir(parents=True, exist_ok=True)
    texts = [q.text for q in catalog.get("styrelse", 2025).questions]
    rows = [["År", "Insats", *texts]] + [
        [2025, "A" if i < 6 else group, *(REVIEW_LABELS[(i + j) % 6] for j in range(3))]
        for i in range(12)]
    write_csv(folder / "styrelse_2025.csv", rows)
    return folder


@pytest.mark.parametrize("name", ["Insats\x0bB \x1b[31m", "Ins\u202eats & <b>"])
def test_a_hostile_insats_name_gives_well_formed_svg(tmp_path, catalog, name):
    from xml.dom import minidom

    from indikator.cli.main import run as run_cli

    data = _board_export(tmp_path / "svar", catalog, name)
    assert run_cli(["pack", str(data), "--out", str(tmp_path / "ut"), "--format",
                    "svg,png,html", "--bilaga", "insatser", "--jobs", "1"]) == 0
    svgs = sorted((tmp_path / "ut").rglob("*.svg"))
    assert svgs
    for svg in svgs:
        minidom.parseString(svg.read_bytes())


def test_a_control_character_in_a_questionnaire_name_gives_well_formed_svg(tmp_path, catalog):
    """A user's questionnaire named with a control character (as a text pasted from Excel
    may carry): the chart's SVG <title> is escaped as its visible title is, so the SVGs are
    XML and the PDF (Typst reads them) is written. Found by a review: it failed with
    'Internt fel' before."""
    from pathlib import Path
    from xml.dom import minidom

    from indikator.cli.main import run as run_cli

    own = tmp_path / "enkater"
    own.mkdir()
    toml = (Path(__file__).parents[1] / "questionnaires" / "styrelse.2019.toml").read_text(
        encoding="utf-8")
    toml = toml.replace('id = "styrelse"', 'id = "egen"').replace(
        'name = "Styrelse"', 'name = "Egen\\u0001enkät"').replace(
        'aliases = ["Styrelsen"]', 'aliases = []')
    (own / "egen.2019.toml").write_text(toml, encoding="utf-8")
    data = _board_export(tmp_path / "svar", catalog, "B")
    (data / "styrelse_2025.csv").rename(data / "egen_2025.csv")
    assert run_cli(["pack", str(data), "--out", str(tmp_path / "ut"), "--questionnaires",
                    str(own), "--survey", "egen", "--format", "svg,pdf", "--jobs", "1"]) == 0
    svgs = sorted((tmp_path / "ut").rglob("*.svg"))
    assert svgs
    for svg in svgs:
        minidom.parseString(svg.read_bytes())


@settings(max_examples=200, deadline=None)
@given(st.text(), st.text())
def test_any_text_and_title_give_well_formed_svg(title, text):
    """Whatever the texts (control characters, lone surrogates, markup), the SVG is XML,
    encodes as UTF-8, and shows each text as typed (escaped, never as markup)."""
    from xml.etree import ElementTree

    from indikator.charts.drawing import Drawing
    from indikator.charts.svg import svg_text
    from indikator.text import printable

    drawing = Drawing(100, 100, title=title)
    drawing.text(10, 20, text, 9, "#1a1a1a")
    root = ElementTree.fromstring(svg_text(drawing).encode("utf-8"))
    shown = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert shown == [line for line in printable(text).split("\n") if line]


def test_an_error_that_cannot_travel_comes_back_as_a_runtime_error():
    """A worker's exception with an unusual constructor cannot be pickled back, which
    broke the pool ('BrokenProcessPool', as if a process had crashed); it comes back with
    its type and message instead (output/processes.travels)."""
    import pickle

    from indikator.output.processes import travels

    class Odd(Exception):
        def __init__(self, a, b):
            super().__init__(f"{a}{b}")

    def fails():
        raise Odd("bo", "om")

    with pytest.raises(RuntimeError, match="Odd: boom") as caught:
        travels(fails)()
    pickle.loads(pickle.dumps(caught.value))
    with pytest.raises(ValueError, match="plain"):  # a picklable one travels as itself
        travels(lambda: (_ for _ in ()).throw(ValueError("plain")))()
