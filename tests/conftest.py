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


def assert_matches_baseline(figure, name: str, folder: Path, tol: float = 5) -> None:
    """Save `figure` at 100 dpi and compare it with tests/baseline/NAME (RMS tolerance).

    INDIKATOR_UPDATE_BASELINES=1 writes the baseline and skips: look at the new
    image before committing it. A missing baseline fails (it would pass silently).
    """
    import matplotlib.pyplot as plt
    from matplotlib.testing.compare import compare_images

    actual = folder / name
    figure.savefig(actual, dpi=100)
    plt.close(figure)
    expected = BASELINE / name
    if os.environ.get("INDIKATOR_UPDATE_BASELINES"):
        expected.write_bytes(actual.read_bytes())
        pytest.skip(f"baseline {name} written")
    if not expected.exists():
        pytest.fail(f"no baseline {expected}; make it with INDIKATOR_UPDATE_BASELINES=1 "
                    "and look at it")
    assert compare_images(str(expected), str(actual), tol=tol) is None


def drawn_bars(ax):
    """The bar segments drawn on `ax`: y (the bar's centre), left, right, fill colour."""
    import pandas as pd
    from matplotlib.colors import to_hex

    (bars,) = [c for c in ax.collections if c.get_gid() == "bars"]
    rows = []
    for path, fill in zip(bars.get_paths(), bars.get_facecolors(), strict=True):
        (x0, y0), (x1, y1) = path.vertices.min(axis=0), path.vertices.max(axis=0)
        rows.append({"y": (y0 + y1) / 2, "left": x0, "right": x1, "fill": to_hex(fill)})
    return pd.DataFrame(rows, columns=["y", "left", "right", "fill"])


def labels_by_bar(figure) -> dict[int, list[str]]:
    """The percent labels of a bar chart's panel per bar (its y position), sorted: inside
    labels stand on the bar's centre line, outside ones half a band above it."""
    import numpy as np

    found: dict[int, list[str]] = {}
    for text in figure.axes[0].texts:
        if text.get_text().endswith("%"):
            bar = int(np.floor(text.get_position()[1] + 0.1))
            found.setdefault(bar, []).append(text.get_text())
    return {bar: sorted(texts) for bar, texts in found.items()}


def assert_texts_apart(figure, texts: list) -> None:
    """No two of `texts` (drawn) overlap: each label can be read on its own."""
    import itertools

    renderer = figure.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in texts]
    for (i, a), (j, b) in itertools.combinations(enumerate(boxes), 2):
        assert not a.overlaps(b), (texts[i].get_text(), texts[j].get_text())


def tick_labels(figure, axis: str) -> list:
    """The axis labels a chart drew along `axis` ('x' or 'y'), in drawing order."""
    return [t for t in figure.texts if t.get_gid() == f"{axis}tick"]


def assert_nothing_clipped(figure) -> None:
    """Every visible text of a drawn figure lies inside the figure (1 px of slack)."""
    import matplotlib.text as mtext
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(figure).draw()
    renderer = figure.canvas.get_renderer()
    box = figure.bbox
    for text in figure.findobj(mtext.Text):
        if text.get_text() and text.get_visible():
            extent = text.get_window_extent(renderer)
            assert box.x0 - 1 <= extent.x0 and extent.x1 <= box.x1 + 1, text.get_text()
            assert box.y0 - 1 <= extent.y0 and extent.y1 <= box.y1 + 1, text.get_text()


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
