"""index.html: one self-contained page to browse the pack (images and styles inline).

Opens from a folder, a USB stick or an e-mail with no network: every chart is a
data: URL, every table is an HTML table, and each chart's alt text carries its
numbers for a screen reader.
"""

from __future__ import annotations

import base64
from html import escape
from pathlib import Path

from indikator.report.document import Bullets, Chart, Document, Heading, Paragraph, Table
from indikator.text import slug

STYLE = """
body{font-family:"DejaVu Sans",Verdana,Arial,sans-serif;max-width:60rem;margin:0 auto;
padding:1rem 1.5rem;color:#1a1a1a;line-height:1.45}
h1{font-size:1.7rem;margin-top:2.5rem;border-bottom:2px solid #44337a}
h2{font-size:1.25rem;margin-top:1.8rem}
header h1{border:none;margin-top:1rem}
.marker{background:#fff3cd;border:1px solid #d4a72c;padding:.4rem .8rem;font-weight:bold}
nav ol{columns:2}
table{border-collapse:collapse;margin:1rem 0;font-size:.92rem}
caption{text-align:left;font-weight:bold;padding:.3rem 0}
th,td{border-bottom:1px solid #d9d9d9;padding:.25rem .6rem;text-align:left;vertical-align:top}
th{background:#ededed}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
figure{margin:1.5rem 0}
figure img{width:100%;max-width:16cm;height:auto;display:block}
figcaption{font-size:.9rem;color:#404040;margin-top:.3rem}
.note{font-size:.9rem;color:#404040}
"""


def anchor(text: str, seen: set[str]) -> str:
    base = slug(text) or "avsnitt"
    name, i = base, 2
    while name in seen:
        name, i = f"{base}-{i}", i + 1
    seen.add(name)
    return name


def table_html(t: Table) -> str:
    head = "".join(f'<th scope="col"{" class=num" if n else ""}>{escape(h)}</th>'
                   for h, n in zip(t.header, t.numeric, strict=True))
    body = "".join(
        "<tr>" + "".join(f'<td{" class=num" if n else ""}>{escape(v)}</td>'
                         for v, n in zip(row, t.numeric, strict=True)) + "</tr>"
        for row in t.rows)
    return (f"<table><caption>{escape(t.caption)}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table>")


def image_html(c: Chart) -> str:
    data = base64.b64encode(Path(c.image).with_suffix(".svg").read_bytes()).decode("ascii")
    return (f'<figure id="{escape(c.stem)}"><img src="data:image/svg+xml;base64,{data}" '
            f'alt="{escape(c.alt)}"><figcaption>{escape(c.title)} '
            f"(diagram/{escape(c.stem)}.png)</figcaption></figure>")


def write_html(doc: Document, path: Path, images: Path | None = None) -> Path:
    """The page (every year's charts); `images` is not read: the page links diagram/."""
    from indikator.escaping import document as printable_document

    doc = printable_document(doc)  # then every text through html.escape
    seen: set[str] = set()
    ids = {id(h): anchor(h.text, seen) for h in doc.headings()}
    toc = "".join(f'<li><a href="#{ids[id(h)]}">{escape(h.text)}</a></li>'
                  for h in doc.headings() if h.level == 1)
    parts = []
    for block in doc.blocks:
        if isinstance(block, Heading):
            tag = "h1" if block.level == 1 else "h2"
            parts.append(f'<{tag} id="{ids[id(block)]}">{escape(block.text)}</{tag}>')
        elif isinstance(block, Paragraph):
            cls = ' class="note"' if block.note else ""
            parts.append(f"<p{cls}>{escape(block.text)}</p>")
        elif isinstance(block, Bullets):
            parts.append("<ul>" + "".join(f"<li>{escape(i)}</li>" for i in block.items)
                         + "</ul>")
        elif isinstance(block, Table):
            parts.append(table_html(block))
        elif isinstance(block, Chart):
            parts.append(image_html(block))
    marker = f'<p class="marker">{escape(doc.marker)}</p>' if doc.marker else ""
    page = (
        '<!DOCTYPE html>\n<html lang="sv"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(doc.title)} – {escape(doc.subtitle)}</title>"
        f"<style>{STYLE}</style></head><body><header><h1>{escape(doc.title)}</h1>"
        f"<p>{escape(doc.subtitle)}</p>{marker}</header>"
        f'<nav aria-label="Innehåll"><h2>Innehåll</h2><ol>{toc}</ol></nav><main>'
        + "\n".join(parts) + "</main></body></html>\n")
    path.write_text(page, encoding="utf-8")
    return path
