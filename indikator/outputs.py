"""Writers, one per format, and the staging that keeps a failed run from leaving half a pack.

A pack is written into a hidden staging folder beside its destination and moved
into place only when everything has been written. Files of an earlier pack in
the same folder (listed in its manifest) are replaced; other files are never
touched, and a folder holding files that are not a pack is refused.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from .errors import EXIT_INPUT, IndikatorError

MANIFEST = ".indikator-pack"


def write_csv(df: pd.DataFrame, path: Path) -> Path:
    """UTF-8 CSV with a header, no index: opens in any tool (and in Excel via Data > From text)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    return path


def write_text(text: str, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def write_figure(figure, stem: Path, formats: tuple[str, ...], dpi: int) -> list[Path]:
    """Save one matplotlib figure in each format, then free it."""
    import matplotlib.pyplot as plt

    stem.parent.mkdir(parents=True, exist_ok=True)
    paths = []
    try:
        # a fixed salt makes the SVG's element ids, and so the file, the same every run
        with plt.rc_context({"svg.hashsalt": "indikator"}):
            for fmt in formats:
                path = stem.with_suffix(f".{fmt}")
                figure.savefig(path, dpi=dpi, format=fmt, metadata=_metadata(fmt))
                paths.append(path)
    finally:
        plt.close(figure)
    return paths


def _metadata(fmt: str) -> dict:
    """No creation dates in the files, so that the same data gives the same files."""
    if fmt == "png":
        return {"Software": None}
    if fmt == "svg":
        return {"Date": None}
    if fmt == "pdf":
        return {"CreationDate": None}
    return {}


def _check_destination(out: Path) -> list[str]:
    """The files of the earlier pack in `out`, or refuse a folder that is not a pack."""
    for parent in [out, *out.parents]:
        if parent.exists() and not parent.is_dir():
            raise IndikatorError(
                f"Paketet kan inte skrivas till {out}: {parent} är en fil, inte en mapp. "
                "Ange en mapp med --out.", exit_code=EXIT_INPUT)
    if not out.exists():
        return []
    if not out.is_dir():
        raise IndikatorError(f"{out} finns redan och är inte en mapp.", exit_code=EXIT_INPUT)
    manifest = out / MANIFEST
    if manifest.is_file():
        return [line for line in manifest.read_text(encoding="utf-8").splitlines() if line]
    visible = [p for p in out.iterdir() if not p.name.startswith(".")]
    if visible:
        raise IndikatorError(
            f"Mappen {out} innehåller redan filer som inte hör till ett paket från indikator. "
            "Välj en annan mapp med --out, eller töm mappen.", exit_code=EXIT_INPUT)
    return []


@contextmanager
def staged(out: Path) -> Iterator[Path]:
    """Yield a staging folder; on success move its files into `out`, on failure delete it."""
    out = Path(out)
    old_files = _check_destination(out)
    out.mkdir(parents=True, exist_ok=True)
    stage = out / f".indikator-staging-{os.getpid()}"
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir()
    try:
        yield stage
        new_files = sorted(p.relative_to(stage).as_posix() for p in stage.rglob("*")
                           if p.is_file())
        for rel in old_files:
            (out / rel).unlink(missing_ok=True)
        for rel in new_files:
            target = out / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(stage / rel, target)
        for rel in old_files:
            _remove_empty_parents(out / rel, out)
        (out / MANIFEST).write_text("\n".join(new_files) + "\n", encoding="utf-8")
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _remove_empty_parents(path: Path, root: Path) -> None:
    parent = path.parent
    while parent != root and parent.is_dir() and not any(parent.iterdir()):
        parent.rmdir()
        parent = parent.parent
