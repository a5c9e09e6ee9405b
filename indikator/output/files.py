"""Writers, one per format. Where and how a pack folder is switched in: packfolder.py."""

from __future__ import annotations

import zipfile
from pathlib import Path

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


def document_box(drawing, dpi: float) -> tuple[float, float, float, float]:
    """The documents' copy of a chart, in points: what is drawn above the question texts
    (the documents print them as text), with a margin of 0.04 in (at least a pixel)."""
    above = drawing.caption_top - 0.02 * 72 if drawing.caption_top is not None else None
    left, top, right, bottom = drawing.ink(above)
    pad = max(0.04 * 72, 72 / dpi)
    return (max(left - pad, 0.0), max(top - pad, 0.0), min(right + pad, drawing.width),
            min(bottom + pad, above if above is not None else drawing.height))


def write_drawing(drawing, stem: Path, formats: tuple[str, ...], dpi: int,
                  doc: Path | None = None, doc_dpi: int = 200,
                  doc_formats: tuple[str, ...] = ("svg", "png")) -> list[Path]:
    """Write one chart (charts.drawing.Drawing) in each format: PNG pixels drawn by Skia
    at `dpi`, and SVG with its texts as text.

    `doc`: where the documents' copy goes (its suffix is replaced), in `doc_formats`: an
    SVG for the PDF and the web page (vectors, sharp at any zoom) and a PNG at `doc_dpi`
    for Word and PowerPoint, both cut above the question texts and cropped to what is
    drawn. The PNG is in full colour, as Skia drew it: a 64-colour copy was a third of
    the size but its palette (Pillow's octree over every pixel) cost three times the
    drawing and the deflate together.
    """
    from indikator.charts.pixels import rasterise
    from indikator.charts.png import write_png
    from indikator.charts.svg import elements, svg_text

    doc_formats = doc_formats if doc is not None else ()
    written = elements(drawing) if "svg" in formats or "svg" in doc_formats else None
    paths = []
    if formats:  # no empty diagram/ for a pack of documents only
        stem.parent.mkdir(parents=True, exist_ok=True)
    for fmt in formats:
        path = stem.with_suffix(f".{fmt}")
        if fmt == "png":
            write_png(rasterise(drawing, dpi, kept=True), path, dpi)
        elif fmt == "svg":
            path.write_text(svg_text(drawing, written=written), encoding="utf-8")
        else:
            raise ValueError(f"unknown chart format {fmt}")
        paths.append(path)
    if doc_formats:
        doc.parent.mkdir(parents=True, exist_ok=True)
        box = document_box(drawing, doc_dpi)
    if "svg" in doc_formats:
        svg = doc.with_suffix(".svg")
        svg.write_text(svg_text(drawing, box, written), encoding="utf-8")
        paths.append(svg)
    if "png" in doc_formats:
        paths.append(write_png(rasterise(drawing, doc_dpi, box, kept=True),
                               doc.with_suffix(".png"), doc_dpi))
    return paths


IMAGES = (".png", ".jpg", ".jpeg", ".gif")  # compressed already: deflated fast, by ISA-L
DOS_NEW_YEAR_1980 = (1980, 1, 1, 0, 0, 0)


class OfficeZip(zipfile.ZipFile):
    """The zip a .docx is written into (python-docx writes each part by its name): every
    part deflated and dated 1980-01-01, so that the same data gives the same bytes.

    Images are deflated by ISA-L instead of zlib: a PNG is deflated already, and zlib's
    level 6 took most of Word's time for the fifth it takes off a chart; ISA-L takes the
    same fifth in a ninth of the time. (It is set as the entry's compressor, a private
    attribute of zipfile's writer since Python 3.6; without it zlib deflates the image.)
    """

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        if not isinstance(zinfo_or_arcname, str):
            return super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)
        info = zipfile.ZipInfo(zinfo_or_arcname, date_time=DOS_NEW_YEAR_1980)
        info.external_attr = 0o600 << 16  # as zipfile gives a part written by name
        info.compress_type = zipfile.ZIP_DEFLATED
        if not zinfo_or_arcname.lower().endswith(IMAGES):
            return super().writestr(info, data)
        from isal import isal_zlib

        info.file_size = len(data)
        with self.open(info, "w") as entry:
            if hasattr(entry, "_compressor"):
                entry._compressor = isal_zlib.compressobj(2, isal_zlib.DEFLATED, -15)
            entry.write(data)
        return None


LOCAL_HEADER, CENTRAL_HEADER, END_OF_CENTRAL = b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06"
NEW_YEAR_1980 = (0, (1 << 5) | 1)  # MS-DOS time and date of 1980-01-01 00:00:00


def fixed_zip_times(path: Path) -> Path:
    """Date every entry of a zip container (.pptx) 1980-01-01, so the same data
    gives the same bytes (python-docx and python-pptx stamp the time of writing).

    The dates are patched where they stand, in each entry's local header and in the
    central directory, and nothing is inflated or deflated again: a rewrite through
    zipfile deflated every chart a second time, a third of the time Word took.
    """
    import struct

    data = bytearray(path.read_bytes())
    end = data.rfind(END_OF_CENTRAL, 0, len(data) - 18)  # the one whose comment ends the file
    while end >= 0 and end + 22 + struct.unpack_from("<H", data, end + 20)[0] != len(data):
        end = data.rfind(END_OF_CENTRAL, 0, end)
    if end < 0:
        raise ValueError(f"{path.name} is not a zip file")
    count, _, directory = struct.unpack_from("<HII", data, end + 10)
    at = directory
    for _ in range(count):
        if data[at:at + 4] != CENTRAL_HEADER:
            raise ValueError(f"{path.name}: a broken central directory")
        names, extra, comment = struct.unpack_from("<HHH", data, at + 28)
        local = struct.unpack_from("<I", data, at + 42)[0]
        if data[local:local + 4] != LOCAL_HEADER:
            raise ValueError(f"{path.name}: a broken local header")
        struct.pack_into("<HH", data, at + 12, *NEW_YEAR_1980)
        struct.pack_into("<HH", data, local + 10, *NEW_YEAR_1980)
        at += 46 + names + extra + comment
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_bytes(data)
    temporary.replace(path)
    return path
