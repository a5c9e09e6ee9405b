"""indikatorer.docx, the appendix as Word: the writer, its styles, the widths of its
tables' columns and its numbered headings with their table of contents."""

from indikator.output.renderers.word.writer import write_docx

__all__ = ["write_docx"]
