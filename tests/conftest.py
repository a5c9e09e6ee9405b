"""Shared fixtures: the bundled catalog and small exports written by the tests themselves."""

from __future__ import annotations

import csv
import os
import warnings
from pathlib import Path

import matplotlib
import pytest
from hypothesis import HealthCheck, settings
from openpyxl import Workbook

from indikator.questionnaires import Catalog, load_catalog

matplotlib.use("Agg")

# CI runs a moderate number of property examples; INDIKATOR_HYPOTHESIS=thorough runs many.
settings.register_profile("ci", max_examples=80, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=1500, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("INDIKATOR_HYPOTHESIS", "ci"))


@pytest.fixture(autouse=True)
def _plot_warnings_are_errors():
    """A matplotlib warning to its user (a glyph missing from the font, a text that does
    not fit) means a chart is wrong: fail the test. Deprecations inside matplotlib
    (3.10.1's errorbar, 3.10.3's pyparsing) are its own business, not the chart's."""
    with warnings.catch_warnings():
        warnings.filterwarnings("error", category=UserWarning, module=r"matplotlib\..*")
        yield


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


def write_xlsx(path: Path, sheets: dict[str, list[list]]) -> Path:
    """A workbook with one sheet per entry; rows are written from A1."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def write_csv(path: Path, rows: list[list], sep: str = ";", encoding: str = "utf-8-sig",
              prefix: str = "") -> Path:
    with path.open("w", encoding=encoding, newline="") as f:
        f.write(prefix)
        csv.writer(f, delimiter=sep).writerows(rows)
    return path


PAGAENDE_TEXTS = [
    "Får du stöd på ett sätt som är till stor nytta för dig?",
    "Är du med och bestämmer vilket stöd du skall få?",
    "Får stödet ta den tid du behöver?",
    "Har du en person eller ett team som du kan vända dig till med dina frågor och behov?",
    "Har det stöd du fått hjälpt dig att utveckla sätt att hantera din situation?",
    "Känner du dig mer redo att kunna arbeta eller studera?",
    "Upplever du att personalen tar tillvara dina erfarenheter, kunskaper och synpunkter?",
]


BASELINE = Path(__file__).parent / "baseline"


def assert_matches_baseline(drawing, name: str, folder: Path, tol: float = 5) -> None:
    """Rasterise `drawing` (charts.drawing.Drawing) with Skia at 100 dpi and compare it with
    tests/baseline/NAME (RMS tolerance).

    INDIKATOR_UPDATE_BASELINES=1 writes the baseline and skips: look at the new
    image before committing it. A missing baseline fails (it would pass silently).
    """
    from matplotlib.testing.compare import compare_images

    actual = folder / name
    drawing.save(actual, dpi=100)
    expected = BASELINE / name
    if os.environ.get("INDIKATOR_UPDATE_BASELINES"):
        expected.write_bytes(actual.read_bytes())
        pytest.skip(f"baseline {name} written")
    if not expected.exists():
        pytest.fail(f"no baseline {expected}; make it with INDIKATOR_UPDATE_BASELINES=1 "
                    "and look at it")
    assert compare_images(str(expected), str(actual), tol=tol) is None


Box = tuple[float, float, float, float]


def overlaps(a: Box, b: Box) -> bool:
    """Two boxes (left, top, right, bottom) share an area (touching edges do not count)."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def inside(inner: Box, outer: Box, slack: float = 1e-6) -> bool:
    return (outer[0] - slack <= inner[0] and inner[2] <= outer[2] + slack
            and outer[1] - slack <= inner[1] and inner[3] <= outer[3] + slack)


def middle(box: Box) -> tuple[float, float]:
    return (box[0] + box[2]) / 2, (box[1] + box[3]) / 2


def drawn_bars(drawing):
    """The bar segments drawn (gid 'bars'), in points: y (the bar's centre), top, bottom,
    left, right, fill colour."""
    import pandas as pd
    from matplotlib.colors import to_hex

    from indikator.charts.drawing import Rect

    rows = [{"y": round(r.y + r.h / 2, 6), "top": r.y, "bottom": r.y + r.h, "left": r.x,
             "right": r.x + r.w, "fill": to_hex(r.fill)} for r in drawing.find(Rect, "bars")]
    return pd.DataFrame(rows, columns=["y", "top", "bottom", "left", "right", "fill"])


def percent_axis(drawing) -> tuple[float, float]:
    """Where the percent axis puts 0 % and 100 % (points): its labels' anchors."""
    ticks = {t.text: t.x for t in tick_labels(drawing, "x")}
    return ticks["0 %"], ticks["100 %"]


def bar_of(drawing, text) -> str:
    """The bar a percent label belongs to, by its name on the axis: the bar it stands on,
    or (above a bar) the nearest bar under it."""
    names = [(middle(t.box())[1], t.text) for t in tick_labels(drawing, "y") if t.text.strip()]
    y = middle(text.box())[1]
    under = [(centre - y, name) for centre, name in names if centre >= y - 1]
    return min(under)[1]


def is_outside(drawing, text) -> bool:
    """A label that stands on no bar segment (above its bar)."""
    y = middle(text.box())[1]
    bars = drawn_bars(drawing)
    return not ((bars["top"] <= y) & (y <= bars["bottom"])).any()


def labels_by_bar(drawing) -> dict[str, list[str]]:
    """The percent labels (gid 'label') per bar, by the bar's name on the axis, sorted."""
    found: dict[str, list[str]] = {}
    for text in drawing.texts("label"):
        found.setdefault(bar_of(drawing, text), []).append(text.text)
    return {bar: sorted(texts) for bar, texts in found.items()}


def assert_texts_apart(texts: list) -> None:
    """No two of `texts` (charts.drawing.Text) overlap: each can be read on its own."""
    import itertools

    for a, b in itertools.combinations(texts, 2):
        assert not overlaps(a.box(), b.box()), (a.text, b.text)


def tick_labels(drawing, axis: str) -> list:
    """The axis labels a chart drew along `axis` ('x' or 'y'), in drawing order."""
    return drawing.texts(f"{axis}tick")


def panel_boxes(drawing) -> list[Box]:
    """The panels' boxes (points), in drawing order: each panel's grid is drawn as one run
    of lines across it, before what stands in it."""
    boxes: list[Box] = []
    previous = None
    for item in drawing.items:
        if item.gid == "grid":
            xs = [p[0] for p in item.points]
            ys = [p[1] for p in item.points]
            box = (min(xs), min(ys), max(xs), max(ys))
            if previous == "grid":
                last = boxes[-1]
                box = (min(last[0], box[0]), min(last[1], box[1]), max(last[2], box[2]),
                       max(last[3], box[3]))
                boxes[-1] = box
            else:
                boxes.append(box)
        previous = item.gid
    return boxes


def assert_nothing_clipped(drawing) -> None:
    """Every item drawn (text, bar, line, mark) lies inside the drawing's page."""
    page = (0.0, 0.0, drawing.width, drawing.height)
    for item in drawing.items:
        assert inside(item.box(), page), (type(item).__name__, item.gid,
                                          getattr(item, "text", ""), item.box(), page)


def shared(tmp_path_factory, name: str, build) -> Path:
    """A folder that `build(folder)` fills, built once per test run: under pytest-xdist
    the first worker to ask builds it in the run's common temporary folder and the others
    wait for it and read it (session fixtures are otherwise built once per worker)."""
    import time

    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        folder = tmp_path_factory.mktemp(name)
        build(folder)
        return folder
    root = tmp_path_factory.getbasetemp().parent  # one per run, shared by its workers
    folder, done = root / f"shared-{name}", root / f"shared-{name}.done"
    try:
        os.close(os.open(root / f"shared-{name}.lock", os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:  # another worker builds it
        deadline = time.monotonic() + 1800
        while not done.exists():
            if time.monotonic() > deadline:
                pytest.fail(f"{name}: another test worker never finished building it")
            time.sleep(0.2)
        if done.read_text(encoding="utf-8") != "ok":
            pytest.fail(f"{name}: building it failed in another test worker (see there)")
        return folder
    try:
        folder.mkdir()
        build(folder)
    except BaseException:
        done.write_text("failed", encoding="utf-8")
        raise
    done.write_text("ok", encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def default_pack(tmp_path_factory):
    """`indikator pack` with no arguments, as the README's first command runs it, in a
    folder holding the bundled example as responses/: (exit code, stdout, output folder).
    Built once; the CLI, README and document tests read it (and must not change it)."""

    def build(folder: Path) -> None:
        import contextlib
        import io
        import shutil

        from indikator.cli.main import run as run_cli
        from indikator.input.example import bundled_folder

        shutil.copytree(bundled_folder(), folder / "responses")
        before = os.getcwd()
        out, err = io.StringIO(), io.StringIO()
        try:
            os.chdir(folder)
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = run_cli(["pack"])
        finally:
            os.chdir(before)
        (folder / "exit-code.txt").write_text(str(code), encoding="utf-8")
        (folder / "stdout.txt").write_text(out.getvalue(), encoding="utf-8")

    folder = shared(tmp_path_factory, "readme", build)
    code = int((folder / "exit-code.txt").read_text(encoding="utf-8"))
    return code, (folder / "stdout.txt").read_text(encoding="utf-8"), folder / "output"


@pytest.fixture(scope="session")
def example_pack(default_pack, tmp_path_factory, catalog):
    """The bundled example through the library function, as a user of the package calls
    it (tables only; its documents are those of `default_pack`): (pack, CLI output folder)."""
    from indikator.input.example import bundled_folder
    from indikator.output.pack import PackOptions, build_pack

    out = tmp_path_factory.mktemp("library") / "paket"
    pack = build_pack([bundled_folder()], out, catalog, PackOptions(formats=()))
    return pack, default_pack[2]


@pytest.fixture(scope="session")
def example_png(tmp_path_factory) -> Path:
    """The bundled example's pack with its charts as PNG, drawn in this one process
    (jobs=1), through the library function: its folder. Built once; a test that writes
    into it copies it first (`seeded`)."""

    def build(folder: Path) -> None:
        from indikator.input.example import bundled_folder
        from indikator.output.pack import PackOptions, build_pack

        build_pack([bundled_folder()], folder / "paket", load_catalog(),
                   PackOptions(formats=("png",), jobs=1))

    return shared(tmp_path_factory, "png", build) / "paket"


def seeded(pack_folder: Path, out: Path) -> Path:
    """A copy of a built pack at `out`, so that a run into `out` takes the charts whose
    key is unchanged from it (output/cache.py) instead of drawing them again."""
    import shutil

    shutil.copytree(pack_folder, out)
    return out
