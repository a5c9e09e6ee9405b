"""PNG files from RGBA pixels: unfiltered rows, deflated by zlib-ng, with the resolution.

A chart is flat colour, which PNG's row filters do not help; zlib-ng gives the same
format as zlib in a third of the time, and keeping the (opaque) alpha channel costs less
than dropping it (a strided copy of every pixel) and compresses as small. Written here,
not by Pillow, whose filters and zlib took four times as long. No metadata, so the same
pixels always give the same bytes.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np
from zlib_ng import zlib_ng

LEVEL = 3  # zlib-ng's level 3: within 5 % of level 9's size on a chart, at a tenth the time
DOC_LEVEL = 6  # the documents' small palette copies: the smallest file is worth a millisecond


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def png_bytes(rgba: np.ndarray, dpi: float, level: int = LEVEL) -> bytes:
    """A PNG (8-bit RGBA) of `rgba` (height × width × 4) that says it is `dpi` per inch,
    so Word and Typst place it at its printed size."""
    height, width, channels = rgba.shape
    if channels != 4:
        raise ValueError("RGBA pixels expected")
    raw = np.empty((height, width * 4 + 1), dtype=np.uint8)
    raw[:, 0] = 0  # filter type None on every row
    raw[:, 1:] = rgba.reshape(height, width * 4)
    per_metre = round(dpi / 0.0254)
    return (b"\x89PNG\r\n\x1a\n"
            + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0))
            + _chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1))
            + _chunk(b"IDAT", zlib_ng.compress(raw, level))
            + _chunk(b"IEND", b""))


def write_png(rgba: np.ndarray, path: Path, dpi: float, level: int = LEVEL) -> Path:
    path.write_bytes(png_bytes(rgba, dpi, level))
    return path


def palette_png_bytes(rgba: np.ndarray, dpi: float, colours: int = 64,
                      level: int = DOC_LEVEL) -> bytes:
    """A PNG of at most `colours` colours (8-bit palette): all a chart has (its fills,
    greys and their antialiased edges), a third of the size of full colour, which keeps
    the Word file and the slides small enough to e-mail. Pillow's octree picks the
    palette; its lightest colour is made pure white (the octree averages the paper with
    near-white antialiasing into a grey that shows as a box on paper)."""
    from PIL import Image

    height, width, _ = rgba.shape
    image = Image.frombuffer("RGBA", (width, height), rgba, "raw", "RGBA", 0, 1)
    # the octree takes RGBA as it is (the alpha is opaque): no RGB copy to make first
    image = image.quantize(colors=colours, method=Image.Quantize.FASTOCTREE)
    palette = np.array(image.getpalette()[:3 * colours], dtype=np.uint8).reshape(-1, 3)
    palette[int(np.argmax(palette.astype(int).sum(axis=1)))] = 255
    indices = np.asarray(image)
    raw = np.empty((height, width + 1), dtype=np.uint8)
    raw[:, 0] = 0
    raw[:, 1:] = indices
    per_metre = round(dpi / 0.0254)
    return (b"\x89PNG\r\n\x1a\n"
            + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0))
            + _chunk(b"PLTE", palette.tobytes())
            + _chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1))
            + _chunk(b"IDAT", zlib_ng.compress(raw, level))
            + _chunk(b"IEND", b""))
