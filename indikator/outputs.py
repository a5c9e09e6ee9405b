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


def write_figure(figure, stem: Path, formats: tuple[str, ...], dpi: int,
                 doc: Path | None = None, doc_dpi: int = 200) -> list[Path]:
    """Save one matplotlib figure in each format, then free it.

    `doc`: also a PNG for the documents, without the caption (the question texts,
    which the documents print as searchable text) and cropped to what is drawn.
    """
    import matplotlib.pyplot as plt

    paths = []
    try:
        # a fixed salt makes the SVG's element ids, and so the file, the same every run
        with plt.rc_context({"svg.hashsalt": "indikator"}):
            for fmt in formats:
                stem.parent.mkdir(parents=True, exist_ok=True)
                path = stem.with_suffix(f".{fmt}")
                figure.savefig(path, dpi=dpi, format=fmt, metadata=_metadata(fmt))
                paths.append(path)
            if doc is not None:
                doc.parent.mkdir(parents=True, exist_ok=True)
                _drop_caption(figure)
                _document_png(figure, doc, doc_dpi)
                paths.append(doc)
    finally:
        plt.close(figure)
    return paths


def fixed_zip_times(path: Path) -> Path:
    """Rewrite a zip container (.docx, .xlsx) with every entry dated 1980-01-01, so the
    same data gives the same bytes (the writers stamp the time of writing)."""
    import zipfile

    with zipfile.ZipFile(path) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    temporary = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in entries:
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            target.writestr(fixed, data)
    temporary.replace(path)
    return path


def _drop_caption(figure) -> None:
    """Hide the question texts under the chart and take their height off the figure;
    plotnine lays the rest out again at the next save."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    renderer = FigureCanvasAgg(figure).get_renderer()
    for text in figure.texts:  # the caption is a figure text (plotnine)
        if text.get_visible() and text.get_text().startswith("Fråga ") and "\n" in (
                text.get_text()):
            height = text.get_window_extent(renderer).height / figure.dpi
            text.set_visible(False)
            figure.set_figheight(figure.get_figheight() - height - 0.05)


def _document_png(figure, path: Path, dpi: int) -> None:
    """The chart as drawn, cropped to its ink (a margin of 0.04 in), in 64 colours: all a
    chart has (six fills, greys, antialiasing), a third of the size of a full-colour PNG,
    which keeps the PDF, Word file and HTML page small enough to e-mail."""
    import io

    from PIL import Image, ImageOps

    buffer = io.BytesIO()
    figure.savefig(buffer, dpi=dpi, format="png", metadata=_metadata("png"))
    with Image.open(buffer) as drawn:
        rgba = drawn.convert("RGBA")
    image = Image.alpha_composite(Image.new("RGBA", rgba.size, "white"), rgba).convert("RGB")
    left, top, right, bottom = ImageOps.invert(image).getbbox() or (0, 0, *image.size)
    pad = round(0.04 * dpi)
    image = image.crop((max(left - pad, 0), max(top - pad, 0), min(right + pad, image.width),
                        min(bottom + pad, image.height)))
    # median cut keeps white white (fast octree makes it 254, a grey box on the page)
    image.quantize(colors=64, method=Image.Quantize.MEDIANCUT).save(path, format="PNG")


def _metadata(fmt: str) -> dict:
    """No creation dates in the files, so that the same data gives the same files."""
    if fmt == "png":
        return {"Software": None}
    if fmt == "svg":
        return {"Date": None}
    if fmt == "pdf":
        return {"CreationDate": None}
    return {}
