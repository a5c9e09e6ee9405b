"""The shape of a questionnaire file and of skalor.toml, declared once and checked first.

Each TOML file is checked against these declarations before anything is built from
it, so a wrong type (`aliases = 5`, `positive = [[1]]`) is a message that names the
key, never a crash deeper down. What the declarations cannot say (unique codes, a
condition pointing at an earlier question) is checked afterwards, on well-typed data.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Str:
    nonempty: bool = True

    def check(self, value, where: str) -> list[str]:
        if not isinstance(value, str) or (self.nonempty and not value.strip()):
            return [f"{where} ska vara en text."]
        return []


@dataclass(frozen=True)
class Int:
    minimum: int | None = None

    def check(self, value, where: str) -> list[str]:
        if not isinstance(value, int) or isinstance(value, bool):
            return [f"{where} ska vara ett heltal."]
        if self.minimum is not None and value < self.minimum:
            return [f"{where} ska vara minst {self.minimum}."]
        return []


@dataclass(frozen=True)
class TextOrInt:
    def check(self, value, where: str) -> list[str]:
        if isinstance(value, bool) or not isinstance(value, str | int):
            return [f"{where} ska vara en text eller ett heltal."]
        return []


@dataclass(frozen=True)
class ListOf:
    item: object
    min_items: int = 0

    def check(self, value, where: str) -> list[str]:
        if not isinstance(value, list):
            return [f"{where} ska vara en lista."]
        if len(value) < self.min_items:
            return [f"{where} ska ha minst {self.min_items} element."]
        problems = []
        for i, item in enumerate(value, start=1):
            problems += self.item.check(item, f"{where}[{i}]")
            if len(problems) > 20:
                break
        return problems


@dataclass(frozen=True)
class Table:
    """A TOML table with known keys (others are an error)."""

    fields: dict[str, object]
    required: frozenset[str] = field(default_factory=frozenset)

    def check(self, value, where: str) -> list[str]:
        if not isinstance(value, dict):
            return [f"{where} ska vara en tabell."]
        problems = [f"{where}: okänd nyckel '{k}' (tillåtna: {', '.join(sorted(self.fields))})."
                    for k in sorted(set(value) - set(self.fields))]
        problems += [f"{where}: nyckeln '{k}' saknas." for k in sorted(self.required - set(value))]
        for key, kind in self.fields.items():
            if key in value:
                problems += kind.check(value[key], f"{where}.{key}" if where else key)
        return problems


@dataclass(frozen=True)
class TableOf:
    """A TOML table whose keys are names (scale ids, codes) and whose values share a shape."""

    value: object
    key_is_int: bool = False

    def check(self, value, where: str) -> list[str]:
        if not isinstance(value, dict):
            return [f"{where} ska vara en tabell."]
        problems = []
        for key, item in value.items():
            if (self.key_is_int and not str(key).lstrip("-").isascii()) or (
                    self.key_is_int and not str(key).lstrip("-").isdigit()):
                problems.append(f"{where}: nyckeln '{key}' ska vara ett heltal.")
            problems += self.value.check(item, f"{where}.{key}")
        return problems


CATEGORY = Table({"code": Int(), "label": Str(), "aliases": ListOf(Str())},
                 frozenset({"code", "label"}))
SCALE = Table({"name": Str(), "categories": ListOf(CATEGORY, min_items=2),
               "positive": ListOf(Int()), "alternative_codes": TableOf(Int(), key_is_int=True)},
              frozenset({"name", "categories"}))
SCALES_FILE_SCHEMA = Table({"scales": TableOf(SCALE),
                            "no_answer": Table({"labels": ListOf(Str())})})
CONDITION = Table({"question": Int(minimum=1), "codes": ListOf(Int(), min_items=1)},
                  frozenset({"question", "codes"}))
QUESTION = Table({"number": Int(minimum=1), "text": Str(), "scale": Str(),
                  "asked_if": CONDITION}, frozenset({"number", "text", "scale"}))
QUESTIONNAIRE = Table({"id": Str(), "name": Str(), "version": TextOrInt(), "valid_from": Int(),
                       "order": Int(), "aliases": ListOf(Str()),
                       "questions": ListOf(QUESTION, min_items=1), "scales": TableOf(SCALE)},
                      frozenset({"id", "name", "version", "questions"}))


def check(schema: Table, raw: dict) -> list[str]:
    """Every way `raw` departs from `schema`, as messages naming the key."""
    return schema.check(raw, "")
