"""Today's outputs, pinned: the example pack and a many-förbund pack must stay the same
while the code under them is rebuilt (issue 20), and change only on purpose.

Pinned is what does not depend on the versions of the drawing and typesetting libraries:
every CSV and summary byte for byte (a decimal of seven digits or more at nine
significant digits), every workbook cell with its number format, the
Word document's paragraphs, styles and tables, the HTML page's text and markup (images
left out), the deck's texts, notes and alt texts, and the names of every chart and
document file. After an intended change,
rewrite the pins with

    INDIKATOR_PIN=write .venv/bin/python -m pytest tests/test_pinned_outputs.py

and say in the commit why they changed.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PINS = Path(__file__).parent / "data" / "pinned_outputs.json"
TEXT = (".csv", ".md", ".txt")


NUMBER = re.compile(rb"-?\d+\.\d{6,}(?:e[-+]?\d+)?")


def _sha(data: str | bytes) -> str:
    """A digest of the content, with every long decimal at 9 significant digits: the last
    digits of a computed interval differ between numpy/scipy releases and platforms
    (measured: the 11th digit of a goal's interval at the dependencies' floors), and no
    published figure is read that far."""
    data = data.encode() if isinstance(data, str) else data
    data = NUMBER.sub(lambda m: format(float(m.group()), ".9g").encode(), data)
    return hashlib.sha256(data).hexdigest()[:20]


def _workbook(path: Path) -> str:
    from openpyxl import load_workbook

    book = load_workbook(path)
    cells = [[sheet.title, *[(c.coordinate, repr(c.value), c.number_format)
                             for row in sheet.iter_rows() for c in row if c.value is not None]]
             for sheet in book.worksheets]
    return json.dumps(cells, ensure_ascii=False)


def _word(path: Path) -> str:
    from docx import Document

    doc = Document(str(path))
    parts = [(p.style.name, p.text) for p in doc.paragraphs]
    parts += [[[cell.text for cell in row.cells] for row in table.rows] for table in doc.tables]
    return json.dumps(parts, ensure_ascii=False)


def _html(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    return re.sub(r"data:[a-z/+]+;base64,[A-Za-z0-9+/=]+", "data:…", text)


def digest(folder: Path) -> dict[str, str]:
    """Each file of a pack (relative path) → a digest of what is pinned of it."""
    out = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.relative_to(folder).as_posix()
        if name.startswith(".") or "/." in name:
            continue  # the chart cache
        if path.suffix in TEXT:  # the summary names the folder it was written to
            out[name] = _sha(path.read_bytes().replace(str(folder).encode(), b"<paket>"))
        elif path.suffix == ".xlsx":
            out[name] = _sha(_workbook(path))
        elif path.suffix == ".docx":
            out[name] = _sha(_word(path))
        elif path.suffix == ".html":
            out[name] = _sha(_html(path))
        elif path.suffix == ".pptx":
            from test_slides import deck_text

            out[name] = _sha(deck_text(path))
        else:
            out[name] = "file"  # charts and the PDF: only that they are there
    return out


@pytest.fixture(scope="module")
def nation(tmp_path_factory):
    """Three generated förbund packed together, with the workbook."""
    from indikator.cli.main import run

    spec = importlib.util.spec_from_file_location("make_nation",
                                                  ROOT / "scripts" / "make_nation.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    folder = tmp_path_factory.mktemp("pin") / "svar"
    module.make(folder, 3, [2024, 2025], seed=20)
    out = folder.parent / "paket"
    assert run(["pack", str(folder), "--per-forbund", "--format", "xlsx", "--out",
                str(out)]) == 0
    return out


def _check(name: str, folder: Path) -> None:
    got = digest(folder)
    pins = json.loads(PINS.read_text(encoding="utf-8")) if PINS.exists() else {}
    if os.environ.get("INDIKATOR_PIN") == "write":
        pins[name] = got
        PINS.write_text(json.dumps(pins, indent=1, ensure_ascii=False, sort_keys=True) + "\n",
                        encoding="utf-8")
        return
    want = pins[name]
    assert sorted(got) == sorted(want), set(got) ^ set(want)
    changed = [f for f in want if got[f] != want[f]]
    assert not changed, f"changed: {changed}"


def test_the_example_pack_is_as_pinned(default_pack):
    code, _, out = default_pack
    assert code == 0
    _check("example", out)


def test_a_many_forbund_pack_is_as_pinned(nation):
    _check("nation", nation)
