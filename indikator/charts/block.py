"""What every chart of a block of questions shares: its scale, its span, its caption."""

from __future__ import annotations

import functools
import textwrap

from indikator.charts.theme import CAPTION_WRAP
from indikator.questionnaires import Question, Scale
from indikator.text import short_name
from indikator.words import ALL

ALL_LABEL = "alla svarande"
TITLE_WRAP = 54  # characters of the bold title on one line of a 16 cm chart


class QuestionBlock:
    """Mixin for chart specs with `questions`: a run of consecutive questions on one scale."""

    questions: tuple[Question, ...]
    group: str
    title: str
    subtitle: str

    @property
    def group_label(self) -> str:
        """The group as a title names it: an insats, or 'alla svarande'."""
        return ALL_LABEL if self.group == ALL else short_name(self.group)

    @property
    def scale(self) -> Scale:
        return self.questions[0].scale

    @property
    def title_lines(self) -> str:
        """The title, wrapped so that a long insats name is never cut off."""
        return "\n".join(wrapped(self.title, TITLE_WRAP))  # as textwrap.fill

    @property
    def extra_title_lines(self) -> int:
        """Lines of title and subtitle beyond one each, for the chart's height."""
        return self.title_lines.count("\n") + self.subtitle.count("\n")

    @property
    def span(self) -> str:
        """'1-3' (for file names), or '4' for a single question."""
        first, last = self.questions[0].number, self.questions[-1].number
        return f"{first}" if first == last else f"{first}-{last}"

    @property
    def span_label(self) -> str:
        """'Frågorna 1–3' or 'Fråga 4', for titles."""
        if len(self.questions) == 1:
            return f"Fråga {self.span}"
        return f"Frågorna {self.span.replace('-', '–')}"


def caption(questions: tuple[Question, ...], note: str, width: int = CAPTION_WRAP) -> str:
    """'Fråga 1: …' lines wrapped with a hanging indent, a blank line, then `note`.

    A conditional question says when it is asked, so a smaller n is not a surprise.
    """
    lines = []
    for q in questions:
        text = f"Fråga {q.number}: {q.text}"
        if q.asked_if is not None:
            text += f" (ställs bara vid {q.asked_if.describe()})"
        lines.extend(wrapped(text, width, "    "))
    lines.append("")
    lines.extend(wrapped(note, width + 10))
    return "\n".join(lines)


@functools.lru_cache(maxsize=4096)
def wrapped(text: str, width: int, indent: str = "") -> tuple[str, ...]:
    """textwrap.wrap's lines (`indent` before all but the first), remembered: a question's
    text and a note are wrapped alike on every chart that has them (each group's, each
    year's), and wrapping was a sixth of a chart's layout."""
    return tuple(textwrap.wrap(text, width=width, subsequent_indent=indent))
