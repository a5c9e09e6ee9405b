"""indikatorer.pptx: the deck a förbund shows its board (python-pptx), 16:9.

The slides are report/deck.py's; this lays them out: a real title on every slide (so
PowerPoint's outline and a screen reader see it), tables as PowerPoint tables, each
chart as large as the slide allows at its own proportions, with its numbers as the
picture's description and its questions in the speaker's notes. No text under 14 pt.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

from indikator.report.deck import ChartSlide, Deck, TableSlide, TitleSlide, build_deck

WIDTH_IN, HEIGHT_IN = 13.333, 7.5
SLIDE_EMU = (12192000, 6858000)  # 13.333 × 7.5 in, PowerPoint's own 16:9
MARGIN_IN = 0.5
TITLE_TOP_IN, TITLE_HEIGHT_IN = 0.3, 1.0
BODY_TOP_IN = 1.45
FOOTER_IN = 0.45  # the marker of example data, at the foot of every slide
TITLE_PT, BODY_PT, NOTE_PT = 26, 20, 14
TABLE_PT = (16, 14)  # a table's text: the first size that keeps it on one slide
ROW_IN = 0.4  # a table row's least height; rows grow with their text
CELL_MARGIN_IN = 0.2  # a table cell's margins, left and right together
AVERAGE_EM, WIDE_EM = 0.46, 0.58  # a letter's width in ems (Calibri's, with some room)
MARKER_RGB = (0x8A, 0x5A, 0x00)  # the documents' colour for the example marker


def _inches(value: float):
    from pptx.util import Emu

    return Emu(round(value * 914400))


def _write(frame, lines, size: float, bold: bool = False, color=None,
           align=None) -> None:
    """Lines of text into a text frame, each a paragraph, Swedish for the spell checker."""
    from pptx.dml.color import RGBColor
    from pptx.enum.lang import MSO_LANGUAGE_ID
    from pptx.util import Pt

    frame.word_wrap = True
    frame.clear()
    for i, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        if align is not None:
            paragraph.alignment = align
        run = paragraph.add_run()
        run.text = line
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.language_id = MSO_LANGUAGE_ID.SWEDISH
        if color is not None:
            run.font.color.rgb = RGBColor(*color)


def _place(shape, left: float, top: float, width: float, height: float) -> None:
    shape.left, shape.top = _inches(left), _inches(top)
    shape.width, shape.height = _inches(width), _inches(height)


def _box(slide, left: float, top: float, width: float, height: float):
    return slide.shapes.add_textbox(_inches(left), _inches(top), _inches(width),
                                    _inches(height)).text_frame


def _title(slide, text: str) -> None:
    """The layout's title placeholder, moved to the 16:9 slide's top and left-aligned."""
    from pptx.enum.text import MSO_ANCHOR, PP_ALIGN

    shape = slide.shapes.title
    _place(shape, MARGIN_IN, TITLE_TOP_IN, WIDTH_IN - 2 * MARGIN_IN, TITLE_HEIGHT_IN)
    _write(shape.text_frame, [text], TITLE_PT, bold=True, align=PP_ALIGN.LEFT)
    shape.text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE


def _footer(slide, marker: str) -> None:
    if marker:
        frame = _box(slide, MARGIN_IN, HEIGHT_IN - FOOTER_IN, WIDTH_IN - 2 * MARGIN_IN,
                     FOOTER_IN - 0.05)
        _write(frame, [marker.upper()], NOTE_PT, bold=True, color=MARKER_RGB)


def _notes(slide, text: str) -> None:
    if text:
        slide.notes_slide.notes_text_frame.text = text


def _title_slide(prs, s: TitleSlide) -> None:
    from pptx.enum.text import PP_ALIGN

    slide = prs.slides.add_slide(prs.slide_layouts[0])
    title, subtitle = slide.shapes.title, slide.placeholders[1]
    width = WIDTH_IN - 2 * MARGIN_IN
    _place(title, MARGIN_IN, 1.6, width, 1.6)
    _write(title.text_frame, [s.title], 40, bold=True, align=PP_ALIGN.LEFT)
    _place(subtitle, MARGIN_IN, 3.3, width, 0.9)
    _write(subtitle.text_frame, [s.subtitle], BODY_PT + 8, align=PP_ALIGN.LEFT)
    frame = _box(slide, MARGIN_IN, 4.5, width, 1.6)
    _write(frame, s.lines[:1], BODY_PT)
    for line in s.lines[1:]:  # the marker of example data
        paragraph = frame.add_paragraph()
        run = paragraph.add_run()
        run.text = line
        _style(run, BODY_PT, bold=True, color=MARKER_RGB)


def _style(run, size: float, bold: bool = False, color=None) -> None:
    from pptx.dml.color import RGBColor
    from pptx.enum.lang import MSO_LANGUAGE_ID
    from pptx.util import Pt

    run.font.size, run.font.bold = Pt(size), bold
    run.font.language_id = MSO_LANGUAGE_ID.SWEDISH
    if color is not None:
        run.font.color.rgb = RGBColor(*color)


def _lines_needed(text: str, width_in: float, size: float) -> int:
    """How many lines a cell's text takes at this width: an estimate from the average
    width of a letter (AVERAGE_EM of the font size, a little more than Calibri's)."""
    per_line = max(1, int((width_in - CELL_MARGIN_IN) * 72 / (size * AVERAGE_EM)))
    return max(1, len(textwrap.wrap(text, per_line, break_long_words=False)))


def _least_width(texts, size: float) -> float:
    """The width a column needs so that no word of it is broken (a wide letter each)."""
    longest = max((len(word) for t in texts for word in t.split()), default=1)
    return longest * size * WIDE_EM / 72 + CELL_MARGIN_IN


def _widths(s: TableSlide, total: float, size: float) -> list[float]:
    """Column widths: the slide's shares, but never narrower than a column's longest word
    (the others give up what that takes, in proportion)."""
    least = [_least_width([s.header[c], *(r[c] for r in s.rows)], size)
             for c in range(len(s.header))]
    fixed: dict[int, float] = {}
    while True:
        free = [c for c in range(len(least)) if c not in fixed]
        room = total - sum(fixed.values())
        share = sum(s.widths[c] for c in free) or 1
        widths = {c: room * s.widths[c] / share for c in free}
        narrow = [c for c in free if widths[c] < least[c]]
        if not narrow or len(narrow) == len(free):
            return [fixed.get(c, widths.get(c, 0.0)) for c in range(len(least))]
        fixed.update({c: least[c] for c in narrow})


def _row_height(cells, widths: list[float], size: float) -> float:
    """The height a table row grows to: its tallest cell, with the cell's margins."""
    lines = max(_lines_needed(t, w, size) for t, w in zip(cells, widths, strict=True))
    return max(ROW_IN, lines * size * 1.2 / 72 + 0.12)


def _pages(s: TableSlide, widths: list[float], room: float, size: float) -> list[list[int]]:
    """The table's rows (indices) per slide, as many as fit under the header in `room`."""
    header = _row_height(s.header, widths, size)
    pages, page, used = [], [], header
    for i, row in enumerate(s.rows):
        height = _row_height(row, widths, size)
        if page and used + height > room:
            pages.append(page)
            page, used = [], header
        page.append(i)
        used += height
    return [*pages, page]


def _layout(s: TableSlide, width: float, room: float) -> tuple[float, list[float], list]:
    """(font size, column widths, rows per slide): the largest size that keeps the table
    on one slide, else the smallest, continued on the next slides."""
    for size in TABLE_PT:
        widths = _widths(s, width, size)
        pages = _pages(s, widths, room, size)
        if len(pages) == 1:
            break
    return size, widths, pages


def _table(slide, s: TableSlide, rows: list[int], widths: list[float], top: float,
           size: float) -> float:
    """The header and these rows as a PowerPoint table at `top`; returns its bottom."""
    from pptx.enum.text import PP_ALIGN

    cells = [s.header, *(s.rows[i] for i in rows)]
    heights = [_row_height(c, widths, size) for c in cells]
    shape = slide.shapes.add_table(len(cells), len(s.header), _inches(MARGIN_IN),
                                   _inches(top), _inches(sum(widths)), _inches(sum(heights)))
    table = shape.table
    for column, width in zip(table.columns, widths, strict=True):
        column.width = _inches(width)
    for row, height in zip(table.rows, heights, strict=True):
        row.height = _inches(height)
    for r, texts in enumerate(cells):
        for c, text in enumerate(texts):
            align = PP_ALIGN.RIGHT if s.numeric[c] else PP_ALIGN.LEFT
            _write(table.cell(r, c).text_frame, [text], size, bold=r == 0, align=align)
    return top + sum(heights)


def _table_slides(prs, s: TableSlide, marker: str) -> None:
    """Lines under the title, then the table (on as many slides as its rows need), then
    its note."""
    width = WIDTH_IN - 2 * MARGIN_IN
    lines_height = 0.45 * len(s.lines) + 0.25 if s.lines else 0
    note_height = 0.55 if s.notes else 0
    room = HEIGHT_IN - FOOTER_IN - BODY_TOP_IN - lines_height - note_height - 0.1
    size, widths, pages = _layout(s, width, room) if s.rows else (0, [], [[]])
    for n, rows in enumerate(pages):
        slide = prs.slides.add_slide(prs.slide_layouts[5])
        _title(slide, s.title if n == 0 else f"{s.title} (forts.)")
        top = BODY_TOP_IN
        if s.lines:
            _write(_box(slide, MARGIN_IN, top, width, lines_height - 0.15), s.lines, BODY_PT)
            top += lines_height
        if rows:
            top = _table(slide, s, rows, widths, top, size) + 0.15
        if s.notes:  # under the table as estimated (rows are estimated high), or higher
            top = min(top, HEIGHT_IN - FOOTER_IN - note_height)
            _write(_box(slide, MARGIN_IN, top, width, note_height), [s.notes], NOTE_PT)
        _footer(slide, marker)


def _chart_slide(prs, s: ChartSlide, marker: str) -> None:
    """The chart as large as fits under the title, at its own proportions, centred."""
    from PIL import Image

    slide = prs.slides.add_slide(prs.slide_layouts[5])
    _title(slide, s.title)
    room_w = WIDTH_IN - 2 * MARGIN_IN
    room_h = HEIGHT_IN - BODY_TOP_IN - FOOTER_IN - 0.05
    with Image.open(s.image) as image:
        w, h = image.size
    scale = min(room_w / w, room_h / h)
    width, height = w * scale, h * scale
    picture = slide.shapes.add_picture(str(s.image), _inches((WIDTH_IN - width) / 2),
                                       _inches(BODY_TOP_IN), _inches(width), _inches(height))
    picture._element.nvPicPr.cNvPr.set("descr", s.alt)  # alt text: every number
    picture.name = "Diagram"
    _notes(slide, s.notes)
    _footer(slide, marker)


def _fixed_properties(prs, title: str) -> None:
    """No time of writing in the file, so that the same report gives the same bytes."""
    fixed = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    props = prs.core_properties
    props.title, props.author, props.last_modified_by = title, "indikator", "indikator"
    props.language, props.revision = "sv-SE", 1
    props.created = props.modified = props.last_printed = fixed


def render(deck: Deck, path: Path) -> Path:
    """The deck's slides into a .pptx file at `path`."""
    from pptx import Presentation
    from pptx.util import Emu

    from indikator.output.files import fixed_zip_times

    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(SLIDE_EMU[0]), Emu(SLIDE_EMU[1])
    for s in deck.slides:
        if isinstance(s, TitleSlide):
            _title_slide(prs, s)
        elif isinstance(s, TableSlide):
            _table_slides(prs, s, deck.marker)
        elif isinstance(s, ChartSlide):
            _chart_slide(prs, s, deck.marker)
    _fixed_properties(prs, deck.title)
    prs.save(str(path))
    return fixed_zip_times(path)


def write_pptx(report, path: Path, images: Path) -> Path:
    """indikatorer.pptx of a report; `images`: the documents' copies of the charts."""
    return render(build_deck(report, images), path)


def write_deck(deck: Deck, path: Path, images: Path | None = None) -> Path:
    """indikatorer.pptx of a deck built already (its slides name their images), as the
    pack writes it: the pack reads the deck first, to draw the images its slides show."""
    return render(deck, path)
