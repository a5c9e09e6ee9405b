"""What a questionnaire is: scales, questions, versions, and the catalog of them all."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from indikator.text import compact, fold


@dataclass(frozen=True)
class Category:
    code: int
    label: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Scale:
    """A response scale; categories in the order they are charted."""

    id: str
    name: str
    categories: tuple[Category, ...]
    positive: tuple[int, ...] = ()
    # codes some tools use instead of ours, detected per column: ((0, 2),) = "0 may mean Nej"
    alternative_codes: tuple[tuple[int, int], ...] = ()

    @cached_property
    def codes(self) -> tuple[int, ...]:
        return tuple(c.code for c in self.categories)

    def label(self, code: int) -> str:
        return next(c.label for c in self.categories if c.code == code)

    @cached_property
    def lookup(self) -> dict[str, int]:
        """Folded code and label texts -> code, for reading answers."""
        table: dict[str, int] = {}
        for c in self.categories:
            table[str(c.code)] = c.code
            for text in (c.label, *c.aliases):
                table[fold(text)] = c.code
        return table

    def describe(self) -> str:
        """What a valid answer looks like, for error messages."""
        codes = f"{self.codes[0]}–{self.codes[-1]}" if len(self.codes) > 2 else "/".join(
            str(c) for c in self.codes
        )
        return f"{codes} eller " + ", ".join(c.label for c in self.categories)


@dataclass(frozen=True)
class Condition:
    """A question asked only after one of `codes` on question `question`."""

    question: int
    codes: tuple[int, ...]
    labels: tuple[str, ...] = ()

    def describe(self) -> str:
        """'svaret Ja på fråga 8'."""
        return f"svaret {' eller '.join(self.labels)} på fråga {self.question}"


@dataclass(frozen=True)
class Question:
    number: int
    text: str
    scale: Scale
    asked_if: Condition | None = None


@dataclass(frozen=True)
class Questionnaire:
    id: str
    name: str
    version: str
    valid_from: int
    questions: tuple[Question, ...]
    aliases: tuple[str, ...] = ()
    source: str = ""
    order: int = 100  # where the survey comes in a pack

    def question(self, number: int) -> Question:
        return self._by_number[number]

    @cached_property
    def _by_number(self) -> dict[int, Question]:
        return {q.number: q for q in self.questions}

    @property
    def numbers(self) -> tuple[int, ...]:
        return tuple(q.number for q in self.questions)

    def names(self) -> tuple[str, ...]:
        """Compacted id, name and aliases, for recognising the survey in sheet and file names."""
        return tuple(dict.fromkeys(compact(n) for n in (self.id, self.name, *self.aliases)))

    def blocks(self) -> list[tuple[Question, ...]]:
        """Runs of consecutive questions on the same scale: one chart each, as in the reports."""
        runs: list[list[Question]] = []
        for q in self.questions:
            if runs and runs[-1][-1].scale.id == q.scale.id and runs[-1][-1].number == q.number - 1:
                runs[-1].append(q)
            else:
                runs.append([q])
        return [tuple(r) for r in runs]


@dataclass(frozen=True)
class Catalog:
    """All questionnaire versions and scales that a run knows."""

    questionnaires: tuple[Questionnaire, ...]
    scales: dict[str, Scale] = field(default_factory=dict)
    no_answer: tuple[str, ...] = ()  # "Vet ej" and the like: counted, not in distributions

    @property
    def ids(self) -> list[str]:
        """Survey ids in pack order (the files' `order`, then alphabetical)."""
        order = {q.id: (q.order, q.id) for q in self.questionnaires}
        return sorted(order, key=order.__getitem__)

    def versions(self, survey: str) -> list[Questionnaire]:
        return sorted(
            (q for q in self.questionnaires if q.id == survey), key=lambda q: q.valid_from
        )

    def get(self, survey: str, year: int | None = None) -> Questionnaire:
        """The version of `survey` in force in `year` (the newest when year is None)."""
        versions = self.versions(survey)
        if not versions:
            raise KeyError(survey)
        if year is None:
            return versions[-1]
        in_force = [q for q in versions if q.valid_from <= year]
        return in_force[-1] if in_force else versions[0]

    def find(self, name: str) -> str | None:
        """The survey id that a free name (sheet, file, Enkät value) names, if exactly one."""
        key = compact(name)
        if not key:
            return None
        hits = set()
        for q in self.questionnaires:
            for n in q.names():
                if n == key or (len(n) >= 6 and n in key):
                    hits.add((q.id, len(n)))
        if not hits:
            return None
        # Prefer the longest name found: "deltagareavslut" over a bare "avslut" alias.
        best = max(length for _, length in hits)
        ids = {i for i, length in hits if length == best}
        return ids.pop() if len(ids) == 1 else None

    def all_scales(self) -> dict[str, Scale]:
        """Shared scales and those defined inside questionnaire files."""
        scales = dict(self.scales)
        for q in self.questionnaires:
            scales.update({question.scale.id: question.scale for question in q.questions})
        return scales

    def scale(self, scale_id: str) -> Scale:
        return self.all_scales()[scale_id]

    @property
    def gender(self) -> Scale | None:
        return self.scales.get("kon")
