"""Issue 23's first gate: is one chart of each kind ≥ 4× cheaper drawn from a display list
with Skia (PNG) and written as an SVG string, than today's matplotlib figure + PNG + SVG?

    .venv/bin/pip install skia-python zlib-ng isal
    .venv/bin/python scripts/skia_probe.py [--reps 21] [--out /tmp/skia_probe]

A probe, not the renderer. For one chart of each kind (stacked bars for Alla, the
comparison chart, the trend small multiples from the example pack `responses/`; the
förbund-side-by-side chart from a made-up nation of 10 förbund, as it exists only in an
aggregate) it builds today's matplotlib Figure once and walks it with a recording
renderer (a RendererAgg whose drawing calls record instead of draw) into a display list:
paths and rectangles in pixels (snapped as Agg snaps them) with fill, stroke, width,
dashes and clip; texts, one per line, with font file, size, anchor (start/middle/end at
the anchor x), baseline and colour.

Then, interleaved (the order swapped every repetition), per chart, CPU (process_time)
and wall (perf_counter), medians:
  (a) today: kind.build(spec) + output.files.write_figure's steps for PNG (300 dpi) and
      SVG (its own private functions, in its order); the documents' 64-colour copy and
      the same PNG by zlib-ng are timed apart, for the ratios beside the gate's;
  (b) floor: the layout stage a real renderer keeps (today's builders' data preparation
      without matplotlib: segments, outside labels, captions, wrapping, per-panel
      selections; plus building the display list's items again from numbers, with every
      text measured by Skia) + Skia drawing into a numpy array + the SVG as a string +
      the PNG, written four ways (PNG_WAYS): RGB by zlib level 3 exactly as today's
      writer, RGB by zlib-ng, RGBA by zlib-ng, RGBA by ISA-L; all written to disk.
The PNGs and SVGs of (b) are left beside today's in --out for looking at side by side.
Texts are drawn with Canvas.drawString (no shaping, so no kerning: see the note).
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import time
import types
import zlib
from dataclasses import replace
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import matplotlib
import numpy as np
import skia
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.font_manager import findfont
from matplotlib.path import Path as MPath

from indikator.charts.theme import DPI

# ---------------------------------------------------------------- the charts ----------


def example_figures() -> dict:
    """One report.Figure of each kind: the example pack's, and an aggregate's 'sida'."""
    from indikator.api import build_report, read_inputs

    report = build_report(read_inputs("responses"))
    picked = {}
    for f in report.figures:
        if f.kind not in picked and getattr(f.spec, "group", "Alla") == "Alla":
            picked[f.kind] = f
    picked.update(aggregate_side_figure())
    return picked


def aggregate_side_figure() -> dict:
    """The 'sida' kind exists only in an aggregate: 10 made-up förbund (make_nation.py)."""
    import subprocess
    import sys

    from indikator.analysis.forbund import aggregate
    from indikator.analysis.tally import tally
    from indikator.input.members import AGGREGATE_NAME, read_members
    from indikator.options import PackOptions
    from indikator.questionnaires import load_catalog
    from indikator.report.model import make_report

    where = Path("/tmp/skia_probe_nation")
    if not where.exists():
        subprocess.run([sys.executable, "scripts/make_nation.py", str(where), "--forbund", "10"],
                       check=True, capture_output=True)
    catalog, options = load_catalog(), PackOptions(per_forbund=True)
    members = read_members([where], catalog, options)
    dists = {m.name: tally(m.imported, catalog, replace(options, forbund=m.name,
                                                        per_forbund=False))
             for m in members.members}
    report = make_report(members.everyone(), catalog,
                         replace(options, forbund=AGGREGATE_NAME, goals=None, per_forbund=False),
                         members.aggregate_side, dist=aggregate(dists, options.min_n),
                         side_sort="namn")
    for f in report.figures:
        if f.kind == "sida" and f.spec.survey == "deltagare_pagaende" and f.spec.year == 2025:
            return {"sida": f}
    return {}


# ---------------------------------------------------- the display list, recorded once ---

MOVE, LINE, CURVE3, CURVE4, CLOSE = (MPath.MOVETO, MPath.LINETO, MPath.CURVE3, MPath.CURVE4,
                                     MPath.CLOSEPOLY)
ANCHOR = {"left": 0.0, "center": 0.5, "right": 1.0}
SVG_ANCHOR = {0.0: "start", 0.5: "middle", 1.0: "end"}


def _hex(rgba) -> str | None:
    if rgba is None or (len(rgba) > 3 and rgba[3] == 0):
        return None
    return "#" + "".join(f"{round(c * 255):02x}" for c in rgba[:3])


class Recorder(RendererAgg):
    """Records what matplotlib would draw, in pixels from the top left (y down)."""

    def __init__(self, width, height, dpi):
        super().__init__(width, height, dpi)
        self.items: list[tuple] = []

    def _update_methods(self):  # markers and collections through draw_path, as the base does
        super()._update_methods()
        self.draw_markers = types.MethodType(RendererBase.draw_markers, self)
        self.draw_path_collection = types.MethodType(RendererBase.draw_path_collection, self)

    def _clip(self, gc):
        box = gc.get_clip_rectangle()
        if box is None:
            return None
        x0, y0, x1, y1 = box.extents
        return (x0, self.height - y1, x1, self.height - y0)

    def draw_path(self, gc, path, transform, rgbFace=None):
        fill = _hex(rgbFace)
        lw = gc.get_linewidth() * self.dpi / 72
        stroke = _hex(gc.get_rgb()) if lw > 0 else None
        if fill is None and stroke is None:
            return
        segs = []
        for verts, code in path.iter_segments(transform, simplify=False, curves=True):
            pts = [(float(verts[i]), self.height - float(verts[i + 1]))
                   for i in range(0, len(verts), 2)]
            segs.append((int(code), pts))
        straight = all(c in (MOVE, LINE, CLOSE) for c, _ in segs)
        axis_aligned = straight and _axis_aligned(segs)
        if axis_aligned and gc.get_snap() is not False:  # as Agg snaps such paths to pixels
            sv = 0.5 if (round(lw) % 2 if stroke else 0) else 0.0
            segs = [(c, [(np.floor(x + 0.5) + sv, np.floor(y + 0.5) + sv) for x, y in pts])
                    for c, pts in segs]
        offset, dashes = gc.get_dashes()
        dash = None if not dashes else (offset * self.dpi / 72,
                                        [d * self.dpi / 72 for d in dashes])
        rect = _as_rect(segs) if axis_aligned else None
        look = (fill, stroke, lw if stroke else 0.0, dash, gc.get_capstyle(), gc.get_joinstyle(),
                self._clip(gc))
        if rect is not None:
            self.items.append(("rect", rect, *look))
        else:
            self.items.append(("path", segs, *look))

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        assert angle == 0, "the probe draws horizontal text only"
        w, _, _ = self.get_text_width_height_descent(s, prop, ismath)
        align = ANCHOR[mtext._get_multialignment()] if mtext is not None else 0.0
        # y: the baseline, already from the top (RendererBase.flipy is True for texts)
        self.items.append(("text", x + align * w, y, s, findfont(prop),
                           prop.get_size_in_points() * self.dpi / 72, align,
                           _hex(gc.get_rgb()), w))


def _axis_aligned(segs) -> bool:
    pts = [p for _, ps in segs for p in ps]
    return all(abs(a[0] - b[0]) < 1e-6 or abs(a[1] - b[1]) < 1e-6
               for a, b in itertools.pairwise(pts))


def _as_rect(segs):
    pts = [p for c, ps in segs if c != CLOSE for p in ps]
    if len(pts) == 5 and pts[0] == pts[-1]:
        pts = pts[:4]
    if len(pts) != 4 or segs[-1][0] != CLOSE:
        return None
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    if len(set(xs)) != 2 or len(set(ys)) != 2:
        return None
    return (min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))


def display_list(figure) -> tuple[int, int, list[tuple]]:
    FigureCanvasAgg(figure)
    figure.set_dpi(DPI)
    width, height = (int(v) for v in figure.bbox.size)  # as FigureCanvasAgg
    recorder = Recorder(width, height, DPI)
    figure.draw(recorder)
    return width, height, recorder.items


# --------------------------------------------------------------- the two writers -------

FONTS: dict = {}  # (file, px) -> skia.Font: a renderer keeps its few fonts


def skia_font(file: str, px: float) -> skia.Font:
    key = (file, px)
    if key not in FONTS:
        font = skia.Font(skia.Typeface.MakeFromFile(file), px)
        font.setEdging(skia.Font.Edging.kAntiAlias)
        font.setSubpixel(True)
        font.setHinting(skia.FontHinting.kSlight)
        FONTS[key] = font
    return FONTS[key]


CAPS = {"butt": skia.Paint.kButt_Cap, "round": skia.Paint.kRound_Cap,
        "projecting": skia.Paint.kSquare_Cap}
JOINS = {"miter": skia.Paint.kMiter_Join, "round": skia.Paint.kRound_Join,
         "bevel": skia.Paint.kBevel_Join}


def _colour(hexa: str) -> int:
    return 0xFF000000 | int(hexa[1:], 16)


def _stroke_paint(stroke, lw, dash, cap, join) -> skia.Paint:
    paint = skia.Paint(AntiAlias=True, Color=_colour(stroke), Style=skia.Paint.kStroke_Style,
                       StrokeWidth=lw)
    paint.setStrokeCap(CAPS[cap])
    paint.setStrokeJoin(JOINS[join])
    if dash is not None:
        paint.setPathEffect(skia.DashPathEffect.Make(dash[1], dash[0]))
    return paint


def draw_skia(width: int, height: int, items: list[tuple]) -> np.ndarray:
    """The display list drawn by Skia's raster canvas straight into a numpy RGBA array
    (no read-back copy); returns the array."""
    pixels = np.empty((height, width, 4), dtype=np.uint8)
    surface = skia.Surface(pixels, colorType=skia.ColorType.kRGBA_8888_ColorType)
    canvas = surface.getCanvas()
    canvas.clear(skia.ColorWHITE)
    for item in items:
        kind = item[0]
        if kind == "text":
            _, x, y, s, file, px, align, colour, _w = item
            font = skia_font(file, px)
            if align:
                x -= align * font.measureText(s)
            canvas.drawString(s, x, y, font, skia.Paint(AntiAlias=True, Color=_colour(colour)))
            continue
        _, geometry, fill, stroke, lw, dash, cap, join, clip = item
        if clip is not None:
            canvas.save()
            canvas.clipRect(skia.Rect.MakeLTRB(*clip))
        if kind == "rect":
            shape = skia.Rect.MakeXYWH(*geometry)
            if fill is not None:
                canvas.drawRect(shape, skia.Paint(AntiAlias=True, Color=_colour(fill)))
            if stroke is not None:
                canvas.drawRect(shape, _stroke_paint(stroke, lw, dash, cap, join))
        else:
            path = skia.Path()
            for code, pts in geometry:
                if code == MOVE:
                    path.moveTo(*pts[0])
                elif code == LINE:
                    path.lineTo(*pts[0])
                elif code == CURVE3:
                    path.quadTo(*pts[0], *pts[1])
                elif code == CURVE4:
                    path.cubicTo(*pts[0], *pts[1], *pts[2])
                elif code == CLOSE:
                    path.close()
            if fill is not None:
                canvas.drawPath(path, skia.Paint(AntiAlias=True, Color=_colour(fill)))
            if stroke is not None:
                canvas.drawPath(path, _stroke_paint(stroke, lw, dash, cap, join))
        if clip is not None:
            canvas.restore()
    del canvas, surface
    return pixels


def png_bytes(rgba: np.ndarray, channels: int = 3, deflate=zlib.compress,
              dpi: int = DPI) -> bytes:
    """As output.files._save_png: unfiltered rows, level 3, pHYs. channels 3: RGB, as
    today (numpy drops the alpha: a strided copy); 4: RGBA with opaque alpha (one
    contiguous copy). deflate: zlib's, or zlib-ng's (the same format, 3× as fast)."""
    import struct

    height, width, _ = rgba.shape
    raw = np.empty((height, width * channels + 1), dtype=np.uint8)
    raw[:, 0] = 0
    if channels == 3 and rgba.shape[2] == 3:
        raw[:, 1:] = rgba.reshape(height, width * 3)
    elif channels == 3:
        raw[:, 1:].reshape(height, width, 3)[:] = rgba[:, :, :3]
    else:
        raw[:, 1:] = rgba.reshape(height, width * 4)
    per_metre = round(dpi / 0.0254)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8,
                                         2 if channels == 3 else 6, 0, 0, 0))
            + chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1))
            + chunk(b"IDAT", deflate(raw, 3))
            + chunk(b"IEND", b""))


SVG_FONT = "'DejaVu Sans', Verdana, Arial, sans-serif"


def svg_string(width: int, height: int, items: list[tuple]) -> str:
    """The display list as SVG, texts as text (anchored as the layout anchored them)."""
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width * 72 / DPI:.2f}pt" '
           f'height="{height * 72 / DPI:.2f}pt" viewBox="0 0 {width} {height}">\n']
    clips: dict = {}
    for item in items:
        kind = item[0]
        if kind == "text":
            _, x, y, s, file, px, align, colour, _w = item
            weight = ' font-weight="bold"' if "Bold" in file else ""
            out.append(f'<text x="{x:.2f}" y="{y:.2f}" font-size="{px:.2f}"{weight} '
                       f'text-anchor="{SVG_ANCHOR[align]}" fill="{colour}" '
                       f'style="font-family: {SVG_FONT}; white-space: pre">{escape(s)}</text>\n')
            continue
        _, geometry, fill, stroke, lw, dash, cap, join, clip = item
        look = f' fill="{fill or "none"}"'
        if stroke is not None:
            look += f' stroke="{stroke}" stroke-width="{lw:.2f}"'
            if dash is not None:
                look += f' stroke-dasharray="{" ".join(f"{d:.2f}" for d in dash[1])}"'
            if cap != "butt":
                look += f' stroke-linecap="{"square" if cap == "projecting" else cap}"'
            if join != "miter":
                look += f' stroke-linejoin="{join}"'
        if clip is not None:
            if clip not in clips:
                clips[clip] = f"c{len(clips)}"
                x0, y0, x1, y1 = clip
                out.append(f'<clipPath id="{clips[clip]}"><rect x="{x0:.2f}" y="{y0:.2f}" '
                           f'width="{x1 - x0:.2f}" height="{y1 - y0:.2f}"/></clipPath>\n')
            look += f' clip-path="url(#{clips[clip]})"'
        if kind == "rect":
            x, y, w, h = geometry
            out.append(f'<rect x="{x:.2f}" y="{y:.2f}" width="{w:.2f}" height="{h:.2f}"{look}/>\n')
        else:
            d = []
            for code, pts in geometry:
                letter = {MOVE: "M", LINE: "L", CURVE3: "Q", CURVE4: "C", CLOSE: "Z"}[code]
                d.append(letter if code == CLOSE else
                         letter + " ".join(f"{x:.2f} {y:.2f}" for x, y in pts))
            out.append(f'<path d={quoteattr("".join(d))}{look}/>\n')
    out.append("</svg>\n")
    return "".join(out)


# ------------------------------------------------------- the layout a renderer keeps ---


def layout_stage(kind: str, spec) -> None:
    """Today's builders' work that is not matplotlib's: the data a renderer would still
    prepare before it places anything (the text sizes are measured in `rebuild_items`)."""
    if kind == "fordelning":
        from indikator.charts import bars, stacked

        data = stacked.plot_data(spec)
        names = list(data.names)
        bars.outside_labels(data, panel_in=stacked.panel_width_in(names))
        stacked.missing_marks(spec)
        stacked.question_caption(spec.questions, marker=spec.marker)
        _ = spec.title_lines, spec.subtitle, bars.bar_positions(data)
        bars.legend_rows(spec.scale)
        _draw_bars_data(data)
    elif kind == "jamforelse":
        from indikator.charts import bars, comparison, stacked

        data, marks = comparison.plot_data(spec)
        levels = list(data.names)
        bars.outside_labels(data, comparison.AXIS_MAX, stacked.panel_width_in(levels))
        comparison.comparison_caption(spec)
        _ = spec.title_lines, spec.subtitle, bars.bar_positions(data)
        list(marks)
        _draw_bars_data(data)
    elif kind == "trend":
        from indikator.charts import trend

        questions = sorted(spec.data["question"].unique())
        _ = spec.title, spec.years
        trend.trend_caption(spec)
        pieces = trend.segments(spec.data)
        for q in questions:
            rows = spec.data[spec.data["question"] == q]
            [p for p in pieces if p.question == q]
            trend.error_lengths(rows["share_positive"], rows["ci_low"], rows["ci_high"])
    elif kind == "sida":
        from indikator.charts import side
        from indikator.charts.block import caption
        from indikator.text import short_name

        names = side.forbund_order(spec)
        {f: short_name(side.strip_common_word(f, names), 40) for f in names}
        _ = spec.title, spec.subtitle
        caption(spec.questions, "x" * 300)
        for q in spec.questions:
            rows = spec.data[spec.data["question"] == q.number]
            side.error_lengths(rows["share_positive"], rows["ci_low"], rows["ci_high"])


def _draw_bars_data(df) -> None:
    """bars.draw_bars's arithmetic before it hands shapes to matplotlib."""
    from indikator.charts.bars import bar_positions

    y_of = bar_positions(df)
    for bar, parts in df.by_bar():
        values = np.array([s.value for s in parts])
        _ = y_of[bar], np.cumsum(values) - values


def rebuild_items(items: list[tuple]) -> list[tuple]:
    """The display list made again from numbers, as a layout would emit it: every item a new
    tuple, every coordinate computed (scale and offset), every text measured by Skia (the
    layout's text sizes: the label column, the caption's height, the anchors)."""
    scale, dx, dy = 1.0, 0.0, 0.0
    made = []
    for item in items:
        if item[0] == "text":
            _, x, y, s, file, px, align, colour, _w = item
            w = skia_font(file, px).measureText(s)
            made.append(("text", x * scale + dx, y * scale + dy, s, file, px, align, colour, w))
        elif item[0] == "rect":
            _, (x, y, w, h), *look = item
            made.append(("rect", (x * scale + dx, y * scale + dy, w * scale, h * scale), *look))
        else:
            _, segs, *look = item
            made.append(("path", [(c, [(x * scale + dx, y * scale + dy) for x, y in pts])
                                  for c, pts in segs], *look))
    return made


# --------------------------------------------------------------------- timing ----------


def clock():
    return time.process_time(), time.perf_counter()


def today(figure, out: Path) -> dict:
    """kind.build + output.files.write_figure's steps for png and svg (its own private
    functions, in its order), and the documents' 64-colour copy timed apart."""
    from indikator.output import files

    stem = out / f"today_{figure.kind}"
    t = [clock()]
    built = figure.build(figure.spec)
    t.append(clock())
    canvas = FigureCanvasAgg(built)
    built.set_dpi(DPI)
    canvas.draw()
    pixels = np.asarray(canvas.buffer_rgba())[:, :, :3].copy()
    caption_top = files._caption_top(built, canvas.get_renderer())
    t.append(clock())
    files._save_png(pixels, stem.with_suffix(".png"), DPI)
    t.append(clock())
    files._save_svg(built, stem.with_suffix(".svg"))
    t.append(clock())
    files._document_png(pixels, caption_top, out / f"today_{figure.kind}_doc.png", DPI, 200)
    t.append(clock())
    # the same pixels by zlib-ng: what today's path would cost with the faster deflate
    (out / f"today_{figure.kind}_zlib-ng.png").write_bytes(png_bytes(pixels, 3, _zlib_ng))
    t.append(clock())
    cpu = [c for c, _ in t]
    wall = [w for _, w in t]
    return {"cpu": cpu[4] - cpu[0], "wall": wall[4] - wall[0], "build": cpu[1] - cpu[0],
            "draw": cpu[2] - cpu[1], "png": cpu[3] - cpu[2], "svg": cpu[4] - cpu[3],
            "doc": cpu[5] - cpu[4], "doc_wall": wall[5] - wall[4], "png_ng": cpu[6] - cpu[5]}


def _zlib_ng(data, level):
    from zlib_ng import zlib_ng

    return zlib_ng.compress(data, level)


def _isal_1(data, level):
    from isal import isal_zlib

    return isal_zlib.compress(data, 1)  # ISA-L's levels are 0-3; its 3 is slow, 1 is fast


# the PNG writers tried: (channels, deflate). zlib: output/files.py's; zlib-ng, isal: the
# same zlib stream format from faster libraries (pip install zlib-ng isal)
PNG_WAYS = {"zlib": (3, zlib.compress), "zlib-ng": (3, _zlib_ng), "zlib-ng rgba": (4, _zlib_ng),
            "isal rgba": (4, _isal_1)}


def floor(figure, size, items, out: Path) -> dict:
    """The layout a renderer keeps + Skia + PNG (each way of PNG_WAYS, timed apart) + SVG."""
    width, height = size
    t = [clock()]
    layout_stage(figure.kind, figure.spec)
    made = rebuild_items(items)
    t.append(clock())
    pixels = draw_skia(width, height, made)
    t.append(clock())
    (out / f"skia_{figure.kind}.svg").write_text(svg_string(width, height, made),
                                                 encoding="utf-8")
    t.append(clock())
    row = {"layout": t[1][0] - t[0][0], "draw": t[2][0] - t[1][0], "svg": t[3][0] - t[2][0],
           "wall0": t[3][1] - t[0][1]}
    for way, (channels, deflate) in PNG_WAYS.items():
        c0, w0 = clock()
        name = f"skia_{figure.kind}{'' if way == 'zlib' else '_' + way.replace(' ', '_')}.png"
        (out / name).write_bytes(png_bytes(pixels, channels, deflate))
        c1, w1 = clock()
        row[way] = c1 - c0
        row[way + " wall"] = w1 - w0
    return row


def skia_encoder_ms(width, height, items, reps=5) -> float:
    """Skia's own PNG encoder (libpng defaults) on the same pixels, for the note."""
    image = skia.Image.fromarray(draw_skia(width, height, items),
                                 colorType=skia.ColorType.kRGBA_8888_ColorType)
    times = []
    for _ in range(reps):
        c0 = time.process_time()
        image.encodeToData(skia.EncodedImageFormat.kPNG, 100)
        times.append(time.process_time() - c0)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reps", type=int, default=21)
    parser.add_argument("--out", type=Path, default=Path("/tmp/skia_probe"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    matplotlib.use("agg")

    figures = example_figures()
    recorded = {}
    for kind, figure in figures.items():
        width, height, items = display_list(figure.build(figure.spec))
        recorded[kind] = ((width, height), items)
        counts = {k: sum(1 for i in items if i[0] == k) for k in ("rect", "path", "text")}
        print(f"{kind:11s} {figure.stem}: {width}×{height} px, {counts}")
    for kind, figure in figures.items():  # warm-up: caches, imports, fonts
        today(figure, args.out)
        floor(figure, *recorded[kind], args.out)

    results = {k: {"today": [], "floor": []} for k in figures}
    for rep in range(args.reps):
        for kind, figure in figures.items():
            pair = [("today", lambda f=figure: today(f, args.out)),
                    ("floor", lambda f=figure, k=kind: floor(f, *recorded[k], args.out))]
            for name, run in pair if rep % 2 == 0 else pair[::-1]:
                results[kind][name].append(run())

    def med(values):
        return statistics.median(values) * 1000

    print(f"\nmedians of {args.reps} interleaved repetitions, ms per chart, CPU "
          f"(process_time) and wall; ratio = today's median / the floor's median")
    for kind, r in results.items():
        t, f = r["today"], r["floor"]
        today_cpu, today_wall = med([x["cpu"] for x in t]), med([x["wall"] for x in t])
        doc_cpu = med([x["cpu"] + x["doc"] for x in t])
        ng_cpu = med([x["cpu"] - x["png"] + x["png_ng"] for x in t])
        parts = {k: med([x[k] for x in t]) for k in ("build", "draw", "png", "svg", "doc")}
        print(f"\n{kind}: today PNG+SVG {today_cpu:.1f} CPU ({today_wall:.1f} wall) = "
              + " + ".join(f"{k} {v:.1f}" for k, v in parts.items() if k != "doc")
              + f"; with the documents' 64-colour copy {doc_cpu:.1f} (copy {parts['doc']:.1f})"
              + f"; with its PNG by zlib-ng {ng_cpu:.1f}")
        fparts = {k: med([x[k] for x in f]) for k in ("layout", "draw", "svg")}
        print("  floor parts: " + " + ".join(f"{k} {v:.1f}" for k, v in fparts.items())
              + " + png (" + ", ".join(f"{w} {med([x[w] for x in f]):.1f}" for w in PNG_WAYS)
              + ")")
        for way in PNG_WAYS:
            cpu = med([x["layout"] + x["draw"] + x["svg"] + x[way] for x in f])
            wall = med([x["wall0"] + x[way + " wall"] for x in f])
            bare = med([x["draw"] + x["svg"] + x[way] for x in f])
            print(f"  floor, PNG by {way:13s} {cpu:5.1f} CPU ({wall:5.1f} wall): "
                  f"today/floor {today_cpu / cpu:4.1f}× CPU, {today_wall / wall:4.1f}× wall; "
                  f"with today's copy {doc_cpu / cpu:4.1f}×; today by zlib-ng "
                  f"{ng_cpu / cpu:4.1f}×; without the layout stage {today_cpu / bare:4.1f}×")
    kind = next(iter(recorded))
    print(f"\nPNG: unfiltered rows at level 3 as output/files.py, from Skia's pixels "
          f"(drawn into a numpy array); Skia's own encodeToData(kPNG) on the {kind} "
          f"chart's pixels takes "
          f"{skia_encoder_ms(*recorded[kind][0], recorded[kind][1]):.1f} ms CPU")
    print(f"pictures in {args.out}: today_<kind>.png beside skia_<kind>.png")


if __name__ == "__main__":
    main()
