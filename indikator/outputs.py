"""Writers, one per format. Where and how a pack folder is switched in: packfolder.py."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A text that a spreadsheet would run as a formula ('=HYPERLINK(…)', '=cmd|…', '@SUM')
    gets a leading apostrophe, as OWASP advises; other values are left as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def write_csv(df: pd.DataFrame, path: Path) -> Path:
    """UTF-8 CSV with a header, no index: opens in any tool (and in Excel via Data > From text).

    Text cells (names of insatser, question texts, file names) never start a formula.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    safe = df.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise)
    safe.columns = [neutralise(c) for c in safe.columns]
    safe.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
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
