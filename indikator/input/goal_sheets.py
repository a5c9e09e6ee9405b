"""The board's goals from a sheet named `Mål`, as a Swede types them in Excel.

The same goals as mal.toml, one row per goal, Swedish headings, a decimal comma read as a
decimal ("3,5"), a percent sign allowed ("70 %"), questions as "1, 2" or "1–3". Each row
becomes the TOML file's goal and is checked by the same code (goals._parse), so a sheet
and a file can never mean different things; a problem names the sheet, row and column.
"""

from __future__ import annotations

import dataclasses
import re

from indikator.errors import EXIT_INPUT, IndikatorError, Problem
from indikator.importing.headers import header_text
from indikator.input.goals import Goal, _parse
from indikator.input.response_rates import side_table
from indikator.questionnaires import Catalog
from indikator.reading.model import Sheet
from indikator.text import compact, fold

SHEET_NAME = "mal"  # compact("Mål")
HEADERS = {"mal": "name", "namn": "name", "enkat": "survey", "fragor": "questions",
           "fraga": "questions", "grupp": "group", "insats": "group", "matt": "measure",
           "jamforelse": "comparison", "niva": "target", "malniva": "target",
           "svar": "answers", "forbund": "forbund", "samordningsforbund": "forbund"}
MEASURES = {"andel positiva": "share_positive", "andel positiva svar": "share_positive",
            "andel": "share", "medelvarde": "mean", "share_positive": "share_positive",
            "share": "share", "mean": "mean"}
COMPARISON_WORDS = {"minst": "at_least", ">=": "at_least", "≥": "at_least",
                    "mer an": "more_than", "over": "more_than", ">": "more_than",
                    "hogst": "at_most", "<=": "at_most", "≤": "at_most",
                    "mindre an": "less_than", "under": "less_than", "<": "less_than",
                    "inte under fjolaret": "below", "inte lagre an i fjol": "below",
                    "inte samre an i fjol": "below"}
COLUMNS = ("Mål", "Enkät", "Frågor", "Grupp", "Mått", "Jämförelse", "Nivå", "Svar", "Förbund")


def is_goal_sheet(sheet: Sheet) -> bool:
    return compact(sheet.name) == SHEET_NAME


def number(value) -> float | None:
    """'3,5', '70 %', 70, '1 234,5' → a float; None if it is not a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    text = header_text(value).replace("\u00a0", " ").replace("%", "").strip()
    text = text.replace(" ", "").replace("\u2212", "-").replace(",", ".")
    try:
        return float(text) if re.fullmatch(r"[+-]?\d+(\.\d+)?", text) else None
    except ValueError:
        return None


def level(value, measure: str) -> float | None:
    """A goal's level as Excel shows it. A share typed "70 %" is kept by Excel as 0.7 in a
    percent-formatted cell (and "100 %" as 1): a number cell in (0, 1] is that percent. A
    share of 1 % or less is refused by the goal check, so no real goal is misread; a mean
    and a level typed as text are read as they are."""
    read = number(value)
    if (read is not None and measure != "mean" and isinstance(value, int | float)
            and not isinstance(value, bool) and 0 < read <= 1):
        return read * 100
    return read


def questions(value) -> list[int] | None:
    """'1, 2', '1–3', '4', 4.0 → the question numbers; None if not readable."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return [int(value)] if float(value).is_integer() else None
    text = header_text(value).replace("\u2013", "-").replace(" och ", ",")
    out: list[int] = []
    for part in (p.strip() for p in re.split(r"[;,]", text)):
        span = re.fullmatch(r"(\d+)\s*-\s*(\d+)", part)
        if span and int(span.group(1)) <= int(span.group(2)):
            out += range(int(span.group(1)), int(span.group(2)) + 1)
        elif part.isdigit():
            out.append(int(part))
        else:
            return None
    return out or None


def read_goal_sheets(sheets: list[Sheet], catalog: Catalog) -> list[Goal]:
    """Every goal of the Mål sheets, checked; any problem stops the run."""
    goals, problems = [], []
    for sheet in sheets:
        goals += _sheet_goals(sheet, catalog, problems)
    if problems:
        raise IndikatorError("Fel i bladet Mål.", problems, exit_code=EXIT_INPUT)
    return goals


def _sheet_goals(sheet: Sheet, catalog: Catalog, problems: list[Problem]) -> list[Goal]:
    table = side_table(sheet, HEADERS)
    if table is None:
        return []
    filled, head_index, head, columns = table
    missing = [r for r in ("name", "survey", "questions", "comparison") if r not in columns]
    if missing or ("target" not in columns):
        problems.append(Problem(
            "bad-goal", "Bladet Mål behöver kolumnerna Mål, Enkät, Frågor, Jämförelse och Nivå "
            "(och kan ha Grupp, Mått, Svar, Förbund).", sheet.location(head_index + 1)))
        return []
    out = []
    for number_, (i, row) in enumerate(filled[1:], start=1):
        def cell(role, row=row):
            c = columns.get(role)
            return row[c] if c is not None and c < len(row) else None

        def bad(role: str, message: str, expected: str, i=i, number_=number_) -> None:
            c = columns[role]
            problems.append(Problem("bad-goal", f"Mål {number_}: {message}",
                                    sheet.location(i + 1, c, header_text(head[c])),
                                    value=header_text(cell(role)) or None, expected=expected))

        spec: dict = {"name": header_text(cell("name")), "survey": header_text(cell("survey"))}
        asked = questions(cell("questions"))
        if asked is None:
            bad("questions", "frågorna kan inte läsas.", "t.ex. 1, 2 eller 1–3")
            continue
        spec["questions"] = asked
        for role in ("group", "forbund"):
            if header_text(cell(role)):
                spec[role] = header_text(cell(role))
        measure = header_text(cell("measure"))
        if measure:
            if fold(measure) not in MEASURES:
                bad("measure", "måttet känns inte igen.", "andel positiva, andel eller "
                    "medelvärde")
                continue
            spec["measure"] = MEASURES[fold(measure)]
        if header_text(cell("answers")):
            spec["answers"] = [int(a) if a.isdigit() else a for a in
                               (p.strip() for p in header_text(cell("answers")).split(","))
                               if a]
        comparison = COMPARISON_WORDS.get(fold(header_text(cell("comparison"))))
        if comparison is None:
            bad("comparison", "jämförelsen känns inte igen.", "minst, mer än, högst, mindre "
                "än eller inte under fjolåret")
            continue
        if comparison == "below":
            spec["not_below_previous"] = True
        else:
            target = level(cell("target"), spec.get("measure", "share_positive"))
            if target is None:
                bad("target", "nivån är inget tal.", "ett tal, t.ex. 70 eller 3,5 (decimalkomma "
                    "går bra)")
                continue
            spec[comparison] = target
        found: list[Problem] = []
        goal = _parse(spec, number_, {"": i + 1}, sheet.label, catalog, found)
        problems.extend(_as_sheet_problem(p, sheet, i, head, columns) for p in found)
        if goal is not None:
            out.append(goal)
    return out


# the TOML keys a shared check names, as the sheet's columns and words say them
SHEET_WORDS = {"'at_least'": "'minst'", "'more_than'": "'mer än'", "'at_most'": "'högst'",
               "'less_than'": "'mindre än'", "'questions'": "Frågor", "'measure'": "Mått",
               "'group'": "Grupp", "'answers'": "Svar", "'name'": "Mål", "'survey'": "Enkät",
               "'forbund'": "Förbund",
               'med measure = "share" behövs answers = [...]':
               "måttet andel behöver svaren i kolumnen Svar"}
# which column a message is about, tried in order on the message without what the user
# typed (a survey called "Nyckelfråga" is no question)
ROLE_OF = (("'minst'", "target"), ("'mer än'", "target"), ("'högst'", "target"),
           ("'mindre än'", "target"), ("målvärdet", "target"), ("medelvärde", "measure"),
           ("Mått", "measure"), ("kolumnen Svar", "answers"), ("svaret", "answers"),
           ("Svar", "answers"), ("enkät", "survey"), ("fråga", "questions"),
           ("Frågor", "questions"), ("Grupp", "group"), ("Förbund", "forbund"),
           ("Mål ska", "name"))


def _as_sheet_problem(problem: Problem, sheet: Sheet, index: int, head: list,
                      columns: dict) -> Problem:
    """A problem the shared goal check found, told in the sheet's words at its cell."""
    message = problem.message
    for key, word in SHEET_WORDS.items():
        message = message.replace(key, word)
    told = message.split(":", 1)[-1]  # not the "Mål 2:" it starts with
    for word in ("'minst'", "'mer än'", "'högst'", "'mindre än'"):
        told = told.replace(word, word.strip("'"))
    told = re.sub(r"'[^']*'|\([^)]*\)", "", told)  # what the user typed, the lists of names
    role = next((r for text, r in ROLE_OF if text.strip("'") in told and r in columns), None)
    where = (sheet.location(index + 1, columns[role], header_text(head[columns[role]]))
             if role is not None else sheet.location(index + 1))
    return dataclasses.replace(problem, message=message, location=where)
