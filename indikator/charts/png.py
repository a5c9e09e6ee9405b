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
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from zlib_ng import zlib_ng

LEVEL = 3  # zlib-ng's level 3: within 5 % of level 9's size on a chart, at a tenth the time
DOC_LEVEL = 6  # the documents' small palette copies: the smallest file is worth a millisecond
NEAR = 8  # levels: an edge colour this close to a drawing's own colour is that colour
SAMPLE = 3  # the documents' palette is picked from one pixel in SAMPLE × SAMPLE


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
                      level: int = DOC_LEVEL, exact: Sequence[int] = ()) -> bytes:
    """A PNG of at most `colours` colours (8-bit palette): all a chart has (its fills,
    greys and their antialiased edges), a third of the size of full colour, which keeps
    the Word file and the slides small enough to e-mail.

    The palette: white and the `exact` colours (0xRRGGBB, the drawing's own: every fill,
    line and text keeps its colour, however thin), then what Pillow's octree picks from
    one pixel in `SAMPLE` × `SAMPLE` for the antialiased edges (running the octree over
    every pixel was most of the copy's time); every pixel takes the nearest colour.
    """
    from PIL import Image

    height, width, _ = rgba.shape
    fixed = np.array([((c >> 16) & 255, (c >> 8) & 255, c & 255)
                      for c in dict.fromkeys([0xFFFFFF, *exact])][:colours], dtype=np.uint8)
    sample = np.ascontiguousarray(rgba[::SAMPLE, ::SAMPLE])
    picked = Image.frombuffer("RGBA", (sample.shape[1], sample.shape[0]), sample, "raw",
                              "RGBA", 0, 1).quantize(colors=max(colours - len(fixed), 1),
                                                     method=Image.Quantize.FASTOCTREE)
    # only the colours the octree gave a pixel (Pillow pads its palette with black), and
    # none within NEAR levels of a fixed one: Pillow maps pixels through a cache of
    # 4 × 4 × 4-level cells, where a near colour could take a fixed one's cell (the paper
    # came out 254, not 255)
    found = np.array(picked.getpalette(), dtype=np.uint8).reshape(-1, 3)
    found = found[sorted(i for _, i in picked.getcolors())]
    gap = np.abs(found[:, None, :].astype(int) - fixed[None, :, :]).max(axis=2).min(axis=1)
    palette = np.concatenate([fixed, found[gap > NEAR]])[:colours]
    mapping = Image.new("P", (1, 1))
    mapping.putpalette(palette.tobytes())
    image = Image.frombuffer("RGBA", (width, height), rgba, "raw", "RGBA", 0, 1).convert("RGB")
    image = image.quantize(palette=mapping, dither=Image.Dither.NONE)
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
