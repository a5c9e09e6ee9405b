"""indikatorer.pdf: the appendix on A4, typeset by Typst (the `typst` package).

Typst compiles in-process from the Python wheel, with no system fonts or TeX: the
document is written as Typst markup (every text as a string literal, so nothing a
user typed can act as markup), fonts are DejaVu Sans from matplotlib (the charts'
font, embedded in the PDF), and text stays selectable and searchable. The page's
text width is 16 cm, the width the charts are drawn for.
"""

from __future__ import annotations

from pathlib import Path

from indikator.output.processes import Helper
from indikator.report.document import Bullets, Chart, Document, Heading, Paragraph, Table
from indikator.text import keep_numbers


def lit(text: str) -> str:
    """A Typst string literal."""
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
               .replace("\r", ""))
    return f'"{escaped}"'


PREAMBLE = """#set document(title: {title}, author: "indikator", date: none)
#set text(font: "DejaVu Sans", size: 9.5pt, lang: "sv")
#set par(justify: false, leading: 0.6em, spacing: 0.9em)
#set page(paper: "a4", margin: (x: 2.5cm, top: 2.3cm, bottom: 2.3cm))
#set heading(numbering: "1.1")
#show heading.where(level: 1): it => {{ v(1.2em, weak: true); text(size: 16pt, it) }}
#show heading.where(level: 2): it => {{ v(0.6em); text(size: 12pt, it); v(0.2em) }}
#show outline.entry.where(level: 1): set text(weight: "bold")
#set table(stroke: (x, y) => (bottom: 0.4pt + luma(200), top: if y == 0 {{ 0.6pt }}),
           inset: (x: 5pt, y: 3.5pt), fill: (x, y) => if y == 0 {{ luma(235) }})
#show table: set text(size: 8.5pt)
"""

TITLE_PAGE = """#set page(numbering: "1", number-align: center)
#v(2cm)
#text(size: 24pt, weight: "bold", {title})
#v(0.6cm)
#text(size: 16pt, {subtitle})
#v(0.4cm)
#text(size: 11pt, fill: luma(60), {lead})
{marker}
#v(1.2cm)
#text(size: 13pt, weight: "bold", "Innehåll")
#outline(title: none, depth: 2)
#pagebreak(weak: true)
"""




def table_typst(t: Table) -> str:
    aligns = ", ".join("right" if n else "left" for n in t.numeric)
    header = ", ".join(f"[*#{lit(h)}*]" for h in t.header)
    cells = ",\n  ".join(", ".join(lit(keep_numbers(v)) for v in row) for row in t.rows)
    breakable = "true" if len(t.rows) > 30 else "false"  # a short table stays on one page
    return (f"#block(breakable: {breakable})[#text(weight: \"bold\", {lit(t.caption)})\n"
            f"#table(columns: {len(t.header)}, align: ({aligns},),\n"
            f"  table.header({header}),\n  {cells})]\n")


def chart_typst(c: Chart, folder: Path) -> str:
    """The chart as vectors (its SVG copy): sharp at any zoom, its texts searchable."""
    name = Path(c.image).with_suffix(".svg").name
    return (f"#block(breakable: false, above: 1.2em, below: 1.2em)[\n"
            f"#image({lit(name)}, width: 100%, alt: {lit(c.alt)})\n"
            f"#text(size: 8.5pt, fill: luma(60), {lit(c.title)})]\n")


def typst_source(doc: Document, folder: Path) -> str:
    """The document as Typst markup: every text printable (escaping.document), then a
    string literal (`lit`), so that no character a user typed (#, *, _, $, @, <, `, ], a
    quote or a backslash) is read as markup or code."""
    from indikator.escaping import document as printable_document

    doc = printable_document(doc)
    marker = (f'#v(1cm)\n#text(size: 12pt, weight: "bold", fill: rgb("#8a5a00"), '
              f"{lit(doc.marker.upper())})" if doc.marker else "")
    out = [PREAMBLE.format(title=lit(doc.title)),
           TITLE_PAGE.format(title=lit(doc.title), subtitle=lit(doc.subtitle), marker=marker,
                             lead=lit(doc.lead))]
    for block in doc.blocks:
        if isinstance(block, Heading):
            out.append(f"#heading(level: {block.level}, {lit(block.text)})\n")
        elif isinstance(block, Paragraph):
            size = ", size: 8.5pt, fill: luma(60)" if block.note else ""
            out.append(f"#par(text({lit(keep_numbers(block.text))}{size}))\n")
        elif isinstance(block, Bullets):
            out.append("#list(" + ", ".join(lit(keep_numbers(i)) for i in block.items) + ")\n")
        elif isinstance(block, Table):
            out.append(table_typst(block))
        elif isinstance(block, Chart):
            out.append(chart_typst(block, folder))
    return "\n".join(out)


def font_folder() -> str:
    import matplotlib

    return str(Path(matplotlib.get_data_path()) / "fonts" / "ttf")


PDFS_PER_PROCESS = 8  # Typst's cache grows by some 25 MB a PDF (90 MB for the aggregate's)

# a PDF on its own in a process of its own; a pack's PDFs (the appendix and the depth
# document) in one (pack.write_pack keeps it while it writes)

TYPST = Helper(tasks=PDFS_PER_PROCESS)


def write_pdf(doc: Document, path: Path, folder: Path) -> Path:
    """Compile the document with `folder` (the chart images' folder) as Typst's root."""
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "indikatorer.typ"
    source.write_text(typst_source(doc, folder), encoding="utf-8")
    path.write_bytes(TYPST.run(compile_typst, str(source), str(folder)))
    return path


def compile_typst(source: str, root: str) -> bytes:
    """Typst keeps all it compiled in a process-wide cache that its Python binding never
    empties: a national run (a PDF per förbund) grew to 4 GB. So it compiles in a helper
    process (TYPST), whose memory is freed when it ends: it serves one pack (and at most
    PDFS_PER_PROCESS PDFs), which saves starting a process for each PDF."""
    import typst

    return typst.compile(source, root=root, font_paths=[font_folder()],
                         ignore_system_fonts=True)
