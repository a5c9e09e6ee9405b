"""Writers, one per format. Where and how a pack folder is switched in: packfolder.py."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd


def write_csv(df: pd.DataFrame, path: Path) -> Path:
    """UTF-8 CSV with a header, no index: opens in any tool (and in Excel via Data > From text).

    Text cells (names of insatser, question texts, file names) are printable and never
    start a formula (escaping.cell).
    """
    from indikator.escaping import cell

    path.parent.mkdir(parents=True, exist_ok=True)
    safe = df.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(cell)
    safe.columns = [cell(c) for c in safe.columns]
    safe.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    return path


def write_text(text: str, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def write_figure(figure, stem: Path, formats: tuple[str, ...], dpi: int,
                 doc: Path | None = None, doc_dpi: int = 200) -> list[Path]:
    """Save one matplotlib figure in each format.

    The figure is laid out and rasterised once: the PNG and the documents' copy come
    from the same pixels (the copy is cut above the caption – the question texts,
    which the documents print as searchable text – cropped to the ink and scaled to
    `doc_dpi`). Only the SVG is drawn again, as vectors with its texts as text.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    paths = []
    stem.parent.mkdir(parents=True, exist_ok=True)
    pixels = caption_top = None
    if "png" in formats or doc is not None:
        canvas = FigureCanvasAgg(figure)
        figure.set_dpi(dpi)
        canvas.draw()
        pixels = np.asarray(canvas.buffer_rgba())[:, :, :3].copy()  # opaque: white paper
        caption_top = _caption_top(figure, canvas.get_renderer())
    for fmt in formats:
        path = stem.with_suffix(f".{fmt}")
        if fmt == "png":
            _save_png(pixels, path, dpi)
        elif fmt == "svg":
            _save_svg(figure, path)
        else:
            figure.savefig(path, dpi=dpi, format=fmt, metadata=_metadata(fmt))
        paths.append(path)
    if doc is not None:
        doc.parent.mkdir(parents=True, exist_ok=True)
        _document_png(pixels, caption_top, doc, dpi, doc_dpi)
        paths.append(doc)
    return paths


SVG_FONTS = "font-family: 'DejaVu Sans', Verdana, Arial, sans-serif"


def _save_svg(figure, path: Path) -> None:
    """Vectors, with every text as text (searchable, editable, a fifth of the size of
    glyph outlines) in DejaVu Sans – the font it was laid out in – or, where a viewer
    lacks it, Verdana, which has DejaVu's widths. Texts keep their anchor (start,
    middle, end), so a label stays centred whatever font shows it."""
    import io

    import matplotlib

    buffer = io.StringIO()
    # a fixed salt makes the element ids, and so the file, the same every run
    with matplotlib.rc_context({"svg.hashsalt": "indikator", "svg.fonttype": "none"}):
        figure.savefig(buffer, format="svg", metadata=_metadata("svg"))
    text = buffer.getvalue().replace("font-family: 'DejaVu Sans'", SVG_FONTS)
    path.write_text(text, encoding="utf-8")


def _save_png(pixels, path: Path, dpi: int) -> None:
    """RGB pixels as a PNG with its resolution (so Word places it at 16 cm), no metadata.

    Written here rather than by Pillow: rows unfiltered and zlib at level 3 take 25 ms
    for a chart at 300 dpi against Pillow's 62 ms, and the file is smaller (a chart is
    flat colour, which filters do not help). tests/test_outputs.py reads it back.
    """
    import struct
    import zlib

    height, width, _ = pixels.shape
    raw = np.empty((height, width * 3 + 1), dtype=np.uint8)
    raw[:, 0] = 0  # filter type None on every row
    raw[:, 1:] = pixels.reshape(height, width * 3)
    per_metre = round(dpi / 0.0254)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    path.write_bytes(b"\x89PNG\r\n\x1a\n"
                     + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
                     + chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1))
                     + chunk(b"IDAT", zlib.compress(raw.tobytes(), 3))
                     + chunk(b"IEND", b""))


def _caption_top(figure, renderer) -> int | None:
    """The pixel row (from the top) where the question texts under the chart begin."""
    for text in figure.texts:
        if text.get_gid() == "caption" and text.get_visible():
            box = text.get_window_extent(renderer)
            return int(figure.bbox.height - box.y1)
    return None


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


def _document_png(pixels, caption_top: int | None, path: Path, dpi: int,
                  doc_dpi: int) -> None:
    """The chart above its caption, cropped to its ink (a margin of 0.04 in), scaled to
    `doc_dpi` by area averaging (a third of Lanczos's time, as sharp at 1.5×), in 64
    colours: all a chart has (six fills, greys, antialiasing), a third of the size of a
    full-colour PNG, which keeps the PDF, Word file and HTML page small enough to e-mail."""
    from PIL import Image, ImageOps

    image = Image.fromarray(pixels, "RGB")
    if caption_top is not None:
        image = image.crop((0, 0, image.width, max(1, caption_top - round(0.02 * dpi))))
    left, top, right, bottom = ImageOps.invert(image).getbbox() or (0, 0, *image.size)
    pad = round(0.04 * dpi)
    image = image.crop((max(left - pad, 0), max(top - pad, 0), min(right + pad, image.width),
                        min(bottom + pad, image.height)))
    if doc_dpi != dpi:
        image = image.resize((round(image.width * doc_dpi / dpi),
                              round(image.height * doc_dpi / dpi)), Image.Resampling.BOX)
    image = image.quantize(colors=64, method=Image.Quantize.FASTOCTREE)
    image.putpalette(_white_paper(image.getpalette()))
    image.save(path, format="PNG")


def _white_paper(palette: list[int]) -> list[int]:
    """The palette with its lightest colour made pure white: the octree averages the page's
    white with near-white antialiasing into 254, which shows as a grey box on paper."""
    colours = [palette[i:i + 3] for i in range(0, len(palette), 3)]
    lightest = max(range(len(colours)), key=lambda i: sum(colours[i]))
    colours[lightest] = [255, 255, 255]
    return [c for colour in colours for c in colour]


def _metadata(fmt: str) -> dict:
    """No creation dates in the files, so that the same data gives the same files."""
    if fmt == "png":
        return {"Software": None}
    if fmt == "svg":
        return {"Date": None}
    if fmt == "pdf":
        return {"CreationDate": None}
    return {}
