"""Re-runs redraw only what changed: each chart's files are kept under a key of what drew it.

The key of a chart is a SHA-256 of everything its files depend on: the chart's data
and fields (its spec, DataFrames value by value), its file name, the formats and resolutions
asked for, and the drawing code itself (the package version and the source of the
modules that draw). The index of keys lives in the pack (`.indikator-cache/`, listed
in the manifest like every other file), so a fresh pack and a re-run are the same
bytes; the documents' copies of the charts are kept beside it.

A second, coarser key covers a whole run (`fingerprint`): every input file's bytes,
the options and the code. When it matches the pack already in `--out` and the pack
is intact, there is nothing to do.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

CACHE_FOLDER = ".indikator-cache"
INDEX = "index.json"
RUN_KEY = "run.txt"
CODE = ("charts", "output/files.py", "numbers.py", "text.py", "words.py")  # of the package


def code_hash(root: Path | None = None) -> str:
    """The package version and the source of the modules that draw and save a chart.

    Where the sources are absent (a program bundled without them) their compiled code is
    hashed instead; the bundle's spec collects the sources, so that its chart keys, and
    with them its pack, are the installed program's bytes.
    """
    from indikator import __version__

    root = root or Path(__file__).parent.parent  # indikator/
    digest = hashlib.sha256(__version__.encode())
    digest.update(_library_versions().encode())
    for name in CODE:
        for label, data in _drawing_code(root, name):
            digest.update(label.encode())
            digest.update(data)
    return digest.hexdigest()


PIXEL_LIBRARIES = ("skia-python", "isal")  # they make a chart's PNG bytes


def _library_versions() -> str:
    """The versions of the libraries that draw, write and deflate the pixels: another
    Skia may antialias an edge otherwise, so a chart drawn by the old one is not reused.
    A bundle without their metadata counts as one version (it is rebuilt whole)."""
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for name in PIXEL_LIBRARIES:
        try:
            found.append(f"{name}=={version(name)}")
        except PackageNotFoundError:
            found.append(f"{name}==?")
    return ";".join(found)


def _drawing_code(root: Path, name: str) -> list[tuple[str, bytes]]:
    """(file name, source) of one entry of CODE; (module, compiled code) without sources."""
    import importlib.util
    import marshal
    import pkgutil

    path = root / name
    files = sorted(path.rglob("*.py")) if path.is_dir() else [path] if path.is_file() else []
    if files:
        return [(file.name, file.read_bytes()) for file in files]
    module = "indikator." + name.removesuffix(".py").replace("/", ".")
    spec = importlib.util.find_spec(module)
    names = [module]
    if spec is not None and spec.submodule_search_locations is not None:
        names += sorted(m.name for m in pkgutil.walk_packages(spec.submodule_search_locations,
                                                              module + "."))
    found = []
    for each in names:
        spec = importlib.util.find_spec(each)
        code = spec.loader.get_code(each) if spec is not None and spec.loader else None
        found.append((each, marshal.dumps(code) if code is not None else b"<saknas>"))
    return found


def _feed(digest, value) -> None:
    """Everything a spec holds, in a stable text form: a DataFrame exactly (_frame_text),
    a questionnaire's question once per run (_question_text), a dataclass field by
    field, the rest by repr."""
    import pandas as pd

    from indikator.questionnaires.model import Question

    _Feeder(digest.update, pd.DataFrame, Question).feed(value)


@dataclasses.dataclass(frozen=True)
class _Feeder:
    """_feed's walk, with the types it tells apart looked up once per key, not per value
    (a spec has hundreds of values)."""

    update: Callable[[bytes], object]
    frame_type: type
    question_type: type

    def feed(self, value) -> None:
        update = self.update
        if isinstance(value, self.frame_type):
            update(_frame_text(value))
        elif isinstance(value, self.question_type):
            update(_question_text(value, self))
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            self.fields(value)
        elif isinstance(value, tuple | list):
            update(b"[")
            for item in value:
                self.feed(item)
            update(b"]")
        elif isinstance(value, dict):
            for k in sorted(value, key=repr):
                update(repr(k).encode())
                self.feed(value[k])
        else:
            update(repr(value).encode())
        update(b"|")

    def fields(self, value) -> None:
        """A dataclass: its type's name, then each field's name and value."""
        self.update(type(value).__name__.encode())
        for f in dataclasses.fields(value):
            self.update(f.name.encode())
            self.feed(getattr(value, f.name))


def _frame_text(frame) -> bytes:
    """A DataFrame exactly, cheaper than as CSV: its column names, its columns' dtypes, and
    its values row by row as Python's repr writes them (1, 1.0 and '1' differ; a float
    to its last bit). The index is left out: a chart reads its rows in order."""
    import sys

    import numpy as np
    import pandas as pd

    rows = frame.to_numpy(dtype=object).tolist()  # each column's own Python values
    # the exact dtype: a categorical's repr shortens a long list of categories with "…"
    dtypes = [repr((t.categories.tolist(), t.ordered)) if isinstance(t, pd.CategoricalDtype)
              else repr(t) for t in frame.dtypes]
    with np.printoptions(threshold=sys.maxsize):  # an array in a cell, whole, not "…"
        return repr((frame.columns.tolist(), dtypes, rows)).encode()


_QUESTIONS: dict[int, tuple[object, bytes]] = {}  # id -> (the question, its text)
QUESTIONS_KEPT = 4096


def _question_text(question, feeder: _Feeder) -> bytes:
    """The bytes _feed gives a question (its number, text, scale and condition), worked
    out once: every chart of its block, group and year holds the same question object.
    Kept by identity with the object itself, so the id cannot be reused while it is
    kept; a question is a frozen dataclass of frozen parts, so its bytes never change."""
    kept = _QUESTIONS.get(id(question))
    if kept is not None and kept[0] is question:
        return kept[1]
    parts: list[bytes] = []
    _Feeder(parts.append, feeder.frame_type, feeder.question_type).fields(question)
    text = b"".join(parts)
    if len(_QUESTIONS) >= QUESTIONS_KEPT:
        _QUESTIONS.clear()
    _QUESTIONS[id(question)] = (question, text)
    return text


def chart_key(figure, formats: tuple[str, ...], dpi: int,
              doc: tuple[int, tuple[str, ...]] | None, code: str) -> str:
    """The key of a chart's files: its spec, the formats, and `doc`, the documents' copies
    made of it (their resolution and formats) or None."""
    digest = hashlib.sha256(code.encode())
    _feed(digest, (figure.kind, figure.stem, figure.build.__name__, formats, dpi, doc))
    _feed(digest, figure.spec)
    return digest.hexdigest()


@dataclasses.dataclass(frozen=True)
class OldCharts:
    """The charts of the pack already in `--out`: its index, and its manifest's checksums,
    which say whether a file is still as that run wrote it."""

    out: Path
    entries: dict[str, dict]
    checksums: dict[str, str | None]

    def has(self, key: str) -> bool:
        return key in self.entries


def read_index(out: Path) -> OldCharts:
    """The chart index of the pack now in `out` (empty when there is none, or it is
    unreadable or not what indikator writes: then every chart is drawn)."""
    from indikator.output.folder import read_manifest

    out = Path(out)
    try:
        entries = json.loads((out / CACHE_FOLDER / INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        entries = {}
    if not isinstance(entries, dict):
        entries = {}
    return OldCharts(out, entries, read_manifest(out) or _enclosing_checksums(out))


def _enclosing_checksums(out: Path) -> dict[str, str | None]:
    """A förbund's pack inside a many-förbund pack has no manifest of its own: the run's
    manifest, one folder up, holds its files' checksums (as `<folder>/<file>`). Without
    this, every chart of a nation was drawn again on every re-run."""
    from indikator.output.folder import read_manifest

    prefix = out.name + "/"
    return {name[len(prefix):]: digest
            for name, digest in (read_manifest(out.parent) or {}).items()
            if name.startswith(prefix)}


DOCUMENT_COPIES = (".png", ".svg")  # a chart's copies for Word and PowerPoint, and for the PDF
# (of these, a chart has those some document shows: the key says which)


def reuse(old: OldCharts, key: str, files: list[str], stage: Path,
          doc: Path | None, copies: tuple[str, ...] = ("svg", "png")) -> list[Path] | None:
    """Copy a chart's files (`files`, relative to the pack) and the documents' copies of it
    (`copies`: svg, png) from the pack in `old.out` into `stage` and `doc`. None, and
    nothing copied, when the chart is not in the index or any of its files is missing, a
    link, or not as the pack wrote it (its checksum): the chart is then drawn again. A
    damaged cache is never an error."""
    from indikator.output.folder import sha256

    if not old.has(key):
        return None
    wanted = [(rel, stage / rel) for rel in files]
    if doc is not None:
        wanted += [(f"{CACHE_FOLDER}/{key}.{fmt}", doc.with_suffix(f".{fmt}"))
                   for fmt in copies]
    for rel, _ in wanted:
        source = old.out / rel
        try:
            if (source.is_symlink() or not source.is_file()
                    or old.checksums.get(rel) is None or sha256(source) != old.checksums[rel]):
                return None
        except OSError:
            return None
    copied = []
    for rel, target in wanted:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(old.out / rel, target)
        if target.is_relative_to(stage):
            copied.append(target)
    return copied


def write_index(stage: Path, entries: dict[str, dict], docs: dict[str, Path]) -> list[Path]:
    """The new pack's index, and its copies of the documents' chart images."""
    folder = stage / CACHE_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for key, doc in sorted(docs.items()):
        for suffix in DOCUMENT_COPIES:
            if doc.with_suffix(suffix).is_file():
                target = folder / f"{key}{suffix}"
                linked_or_copied(doc.with_suffix(suffix), target)
                written.append(target)
    index = folder / INDEX
    index.write_text(json.dumps(entries, sort_keys=True, indent=1) + "\n", encoding="utf-8")
    return [*written, index]


def linked_or_copied(source: Path, target: Path) -> None:
    """`target` as a second name of `source` (a hard link: no bytes copied), or a copy where
    the two are on different drives or the file system has no links."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def run_fingerprint(paths: list[Path], options, out: Path,
                    questionnaires: list[Path] | None = None) -> str:
    """A `pack` run's fingerprint, from light imports only (no charts, no scipy): the
    input files, the files beside them that a pack reads (mal.toml beside each input,
    --mal, --svarsfrekvens, --compare and --reference with their grupper.csv), the
    questionnaires, the options (PackOptions.settings) and where the pack goes."""
    from indikator.reading import expand_paths

    found = expand_paths([p for p in paths if Path(p).exists()])[0]
    inputs = [Path(p).absolute() for p in found]
    for path in paths:
        folder = Path(path) if Path(path).is_dir() else Path(path).parent
        inputs.append((folder / "mal.toml").absolute())
    compared = options.compare if isinstance(options.compare, tuple) else (
        (options.compare,) if options.compare is not None else ())
    for path in (*compared, options.response_rates, options.goals, options.reference):
        if path is not None:
            inputs += [Path(path).absolute(), Path(path).absolute().with_name("grupper.csv")]
    for place in questionnaires or []:  # --questionnaires may be given several times
        place = Path(place)
        if place.is_dir():
            inputs += sorted(p.absolute() for p in place.rglob("*") if p.is_file())
        else:
            inputs.append(place.absolute())
    return fingerprint(inputs, options.settings() + str(Path(out).absolute()))


def fingerprint(inputs: list[Path], settings: str) -> str:
    """A whole run: every input file's bytes, the settings, the package's code and data."""
    digest = hashlib.sha256(settings.encode())
    for label, data in _package_files():
        digest.update(label.encode())
        digest.update(data)
    for path in inputs:
        digest.update(str(path).encode())
        if path.is_file():  # a regular file (a FIFO or device is not): hashed in pieces, so a
            with path.open("rb") as f:  # huge side file costs no memory before it is refused
                while chunk := f.read(1 << 20):
                    digest.update(chunk)
        else:
            digest.update(b"<saknas>")
    return digest.hexdigest()


def _package_files(root: Path | None = None) -> list[tuple[str, bytes]]:
    """The code and data a run depends on, named the same wherever the package lives: its
    .py and .toml files, and the bundled questionnaires (beside the package in a checkout,
    in indikator/_data/ in a wheel and in the bundled program; the example answers there
    are inputs, hashed as such). A program bundled without its sources hashes itself."""
    import sys

    root = root or Path(__file__).parent.parent  # indikator/
    found = []
    for file in sorted(root.rglob("*")):
        rel = file.relative_to(root)
        if (file.is_file() and file.suffix in (".py", ".toml") and "__pycache__" not in rel.parts
                and rel.parts[0] != "_data"):
            found.append((rel.as_posix(), file.read_bytes()))
    if not found and getattr(sys, "frozen", False):
        found.append(("program", Path(sys.executable).read_bytes()))
    from indikator.errors import IndikatorError
    from indikator.questionnaires.loading import default_folder

    try:
        questionnaires = default_folder()
    except IndikatorError:  # the run stops on it when it loads them
        return found
    for file in sorted(questionnaires.rglob("*")):
        if file.is_file() and file.suffix == ".toml":
            found.append((f"questionnaires/{file.relative_to(questionnaires).as_posix()}",
                          file.read_bytes()))
    return found


def unchanged(out: Path, key: str) -> str | None:
    """The summary of the pack in `out` when it was built from exactly this run (same
    fingerprint) and every file is as written (the manifest's checksums); else None."""
    from indikator.output.folder import read_manifest, sha256

    out = Path(out)
    try:
        if (out / CACHE_FOLDER / RUN_KEY).read_text(encoding="utf-8").strip() != key:
            return None
        manifest = read_manifest(out)
        if not manifest:
            return None
        for rel, digest in manifest.items():
            if digest is None or not (out / rel).is_file() or sha256(out / rel) != digest:
                return None
        return (out / "sammanfattning.txt").read_text(encoding="utf-8")
    except OSError:
        return None
