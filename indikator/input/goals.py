"""The board's goals (måluppfyllelse) as written in a small TOML file (mal.toml): read,
and every mistake refused in Swedish with line and column.

A goal names a survey, one or more questions (their answers pooled), a group, a
measure (the share positive, the share of chosen answers, or the mean code) and a
target, or "not below last year". analysis.goals judges them.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from indikator.errors import EXIT_INPUT, IndikatorError, Location, Problem
from indikator.questionnaires import Catalog
from indikator.text import fold
from indikator.words import ALL

GOALS_FILE = "mal.toml"
MEASURES = ("share_positive", "share", "mean")
COMPARISONS = {"at_least": "≥", "more_than": ">", "at_most": "≤", "less_than": "<"}
KEYS = {"name", "survey", "questions", "group", "measure", "answers", "not_below_previous",
        "forbund", *COMPARISONS}



@dataclass(frozen=True)
class Goal:
    name: str
    survey: str
    questions: tuple[int, ...]
    group: str
    measure: str
    answers: tuple[int, ...]  # the codes counted by `share`, or the positive ones
    comparison: str  # at_least | more_than | at_most | less_than
    target: float | None  # None: not below last year's value
    line: int
    forbund: str | None = None  # whose goal, when one file holds many förbund's goals

    @property
    def target_text(self) -> str:
        sign = COMPARISONS[self.comparison]
        if self.target is None:
            return f"{sign} fjolårets värde"
        unit = "" if self.measure == "mean" else " %"
        return f"{sign} {self.target:g}{unit}".replace(".", ",")


def find_goals_file(paths: list[Path]) -> Path | None:
    """mal.toml beside the inputs (in a given folder, or beside a given file). Anything of
    that name counts, so that a link to a device or a pipe is refused by read_goals
    rather than silently skipped."""
    for path in paths:
        folder = Path(path) if Path(path).is_dir() else Path(path).parent
        candidate = folder / GOALS_FILE
        if candidate.exists() or candidate.is_symlink():
            return candidate
    return None


SHEET_SUFFIXES = (".xlsx", ".xls", ".ods", ".csv")
MAX_GOALS_BYTES = 1024**2  # a goals file is a few kilobytes; this is far above any


def read_goals(path: Path, catalog: Catalog) -> list[Goal]:
    """Every goal of the file, checked; any problem stops the run, naming its line.

    The file is read through the same guards as the answers (a regular file, of a
    sane size); a TOML syntax error is told in Swedish with its line and column.
    """
    from indikator.reading.delimited import decode
    from indikator.reading.guards import read_regular_file

    path = Path(path)
    if path.suffix.lower() in SHEET_SUFFIXES:  # goals typed in Excel: its Mål sheet
        from indikator.input.goal_sheets import is_goal_sheet, read_goal_sheets
        from indikator.reading import read_file

        sheets = read_file(path)
        return read_goal_sheets([s for s in sheets if is_goal_sheet(s)] or sheets[:1],
                                catalog)
    text = decode(path, read_regular_file(path, MAX_GOALS_BYTES), "TOML").lstrip("\ufeff")
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _goals_error(syntax_problem(path, text, str(exc))) from None
    except RecursionError:
        raise _goals_error(Problem("goal-syntax", "Filen är för djupt nästlad för en målfil "
                                   "(hakparenteser i hakparenteser).",
                                   Location(str(path)))) from None
    except ValueError as exc:  # an integer longer than Python converts (4,300 digits)
        line = next((i for i, t in enumerate(text.splitlines(), 1)
                     if re.search(r"\d{100}", t)), None)
        raise _goals_error(Problem("goal-syntax", "Ett tal har alldeles för många siffror "
                                   "(fler än 4 300).", Location(str(path), None, line))) from exc
    blocks = goal_key_lines(text)
    problems: list[Problem] = []
    extra = sorted(set(raw) - {"goal"})
    if extra:
        problems.append(Problem("bad-goal", f"Okänd nyckel {extra[0]!r}; målen skrivs som "
                                "[[goal]].", Location(str(path), None, _key_line(text, extra[0]))))
    specs = raw.get("goal", [])
    if isinstance(specs, dict):
        problems.append(Problem("bad-goal", "Skriv [[goal]] (dubbla hakparenteser) före varje "
                                "mål, inte [goal].", Location(str(path), None,
                                                              _key_line(text, "goal"))))
        specs = []
    elif not isinstance(specs, list):
        problems.append(Problem("bad-goal", "'goal' ska vara mål skrivna som [[goal]].",
                                Location(str(path), None, _key_line(text, "goal"))))
        specs = []
    goals = []
    for i, spec in enumerate(specs):
        lines = blocks[i] if i < len(blocks) else {}
        goal = _parse(spec, i + 1, lines, path, catalog, problems)
        if goal is not None:
            goals.append(goal)
    if problems:
        raise IndikatorError("Fel i målfilen.", problems, exit_code=EXIT_INPUT)
    return goals


def _goals_error(problem: Problem) -> IndikatorError:
    return IndikatorError(f"Målfilen {problem.location.file} kan inte läsas.", [problem],
                          exit_code=EXIT_INPUT)


# tomllib's messages (Python 3.11-3.13), in Swedish; {0} is the part the message quotes
TOML_MESSAGES = [
    (r"Expected newline or end of document after a statement",
     "Något står efter värdet på raden; varje nyckel = värde skrivs på en egen rad."),
    (r"Invalid statement", "Raden är varken nyckel = värde eller [[goal]]."),
    (r"Expected '=' after a key in a key/value pair", "Likhetstecken (=) saknas efter nyckeln."),
    (r"Invalid initial character for a key part",
     "En nyckel börjar med ett tecken som inte är tillåtet (nycklar skrivs som at_least)."),
    (r"Invalid value",
     "Värdet går inte att tolka. Text skrivs inom raka citattecken (name = \"Mitt mål\"), "
     "tal med decimalpunkt (3.5), listor inom hakparenteser ([1, 2])."),
    (r"Cannot declare (.*) twice", "Tabellen {0} finns två gånger."),
    (r"Cannot overwrite a value|Duplicate inline table key (.*)",
     "Samma nyckel finns två gånger i samma mål."),
    (r"Cannot mutate immutable namespace (.*)|Cannot redefine namespace (.*)|"
     r"There is no nest behind this key|An object other than list found behind this key",
     "Samma namn används både för en tabell och ett värde."),
    (r"Expected '\]' at the end of a table declaration",
     "Hakparentesen (]) som avslutar tabellnamnet saknas."),
    (r"Expected '\]\]' at the end of an array declaration",
     "Skriv [[goal]] med två hakparenteser på varje sida."),
    (r"Unclosed array", "En lista stängs aldrig: ] saknas."),
    (r"Unclosed inline table", "En tabell inom { } stängs aldrig: } saknas."),
    (r"Unterminated string", "En text stängs aldrig: citattecknet i slutet saknas."),
    (r"Illegal character '\\n'",
     "En text stängs aldrig: citattecknet i slutet av raden saknas."),
    (r"Illegal character (.*)", "Otillåtet tecken i en text ({0})."),
    (r"Unescaped '\\\\' in a string",
     "Ett omvänt snedstreck (\\) i en text: skriv \\\\, eller använd enkla citattecken."),
    (r"Invalid hex value|Escaped character is not a Unicode scalar value",
     "En \\u-kod i en text är ogiltig."),
    (r"Invalid date or datetime", "Ett datum är ogiltigt."),
    (r"Found invalid character (.*)", "Ogiltigt tecken ({0})."),
    (r"Expected (.*)", "Här väntades {0}."),
]
_AT = re.compile(r"^(.*) \(at (?:line (\d+), column (\d+)|end of document)\)$", re.DOTALL)
_DECIMAL_COMMA = re.compile(r"^[^=\[]+=\s*([+-]?\d+),(\d+)\s*$")
_PERCENT = re.compile(r"=\s*[+-]?\d+(?:[.,]\d+)?\s*%")


def syntax_problem(path: Path, text: str, message: str) -> Problem:
    """A TOML syntax error as a Swedish problem at its line (and column, in the message)."""
    found = _AT.match(message)
    english, line, column = (found.group(1), found.group(2), found.group(3)) if found else (
        message, None, None)
    swedish = "Filen kan inte tolkas som TOML."
    for pattern, words in TOML_MESSAGES:
        hit = re.fullmatch(pattern, english)
        if hit:
            quoted = next((g for g in hit.groups() if g is not None), "")
            swedish = words.replace("{0}", quoted)
            break
    lines = text.splitlines()
    where = ""
    if line is None:  # "at end of document": the last line that says anything
        if re.match(r"Cannot overwrite a value|Duplicate", english):
            line = _duplicate_key_line(text)
        if line is None:
            line = next((i for i in range(len(lines), 0, -1) if lines[i - 1].strip()), None)
            where = " (i slutet av filen)"
    else:
        line = int(line)
        where = f" vid tecken {column}"
    hint = ""
    source = lines[line - 1] if line is not None and 0 < line <= len(lines) else ""
    comma = _DECIMAL_COMMA.search(source.split("#", 1)[0])
    if comma:
        hint = (f" Skriv decimaltal med punkt: {comma.group(1)}.{comma.group(2)}, inte "
                f"{comma.group(1)},{comma.group(2)}.")
    elif _PERCENT.search(source):
        hint = " Skriv bara talet, utan procenttecken (at_least = 75 betyder 75 %)."
    elif re.search(r"[\u201c\u201d\u2018\u2019\u00ab\u00bb]", source):
        hint = " Raden har typografiska citattecken (”); skriv raka citattecken (\")."
    return Problem("goal-syntax", f"Ogiltig TOML{where}: {swedish}{hint}",
                   Location(str(path), None, line), value=source.strip()[:80] or None)


_GOAL_HEADER = re.compile(r"^\s*\[\[\s*goal\s*\]\]")
_KEY = re.compile(r"""^\s*["']?([A-Za-z0-9_-]+)["']?\s*=""")


def goal_key_lines(text: str) -> list[dict[str, int]]:
    """Per [[goal]], in order: the line of its header ("") and of each key's first use."""
    blocks: list[dict[str, int]] = []
    inside = False  # keys below another table's header are not a goal's
    for number, line in enumerate(text.splitlines(), start=1):
        if _GOAL_HEADER.match(line):
            blocks.append({"": number})
            inside = True
        elif re.match(r"^\s*\[", line):
            inside = False
        elif inside and (key := _KEY.match(line)):
            blocks[-1].setdefault(key.group(1), number)
    return blocks


def _key_line(text: str, key: str) -> int | None:
    """The first line that sets `key` (or starts table `key`)."""
    for number, line in enumerate(text.splitlines(), start=1):
        found = _KEY.match(line) or re.match(r"^\s*\[+\s*([A-Za-z0-9_-]+)", line)
        if found and found.group(1) == key:
            return number
    return None


def _duplicate_key_line(text: str) -> int | None:
    """The line where a key is set a second time within one table (tomllib says only
    "at end of document" for some of these)."""
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(r"^\s*\[", line):
            seen = set()
        elif key := _KEY.match(line):
            if key.group(1) in seen:
                return number
            seen.add(key.group(1))
    return None


def _parse(spec, number: int, lines: dict[str, int], path: Path, catalog: Catalog,
           problems: list[Problem]) -> Goal | None:
    header = lines.get("")

    def bad(message: str, key: str | None = None, value=None, expected: str | None = None
            ) -> None:
        # the goal's [[goal]] line is the position; the key's own line is told too
        line = lines.get(key) if key is not None else None
        if line is not None and line != header:
            message = message.rstrip(".") + f" (rad {line})."
        problems.append(Problem("bad-goal", f"Mål {number}: {message}",
                                Location(str(path), None, header),
                                value=None if value is None else _shown(value),
                                expected=expected))

    if not isinstance(spec, dict):
        bad("ska vara en tabell [[goal]].")
        return None
    unknown = sorted(set(spec) - KEYS)
    if unknown:
        bad(f"okänd nyckel '{unknown[0]}' (tillåtna: {', '.join(sorted(KEYS))}).", unknown[0])
        return None
    for key in ("name", "survey", "questions"):
        if key not in spec:
            bad(f"nyckeln '{key}' saknas.")
            return None
    name, survey_name = spec["name"], spec["survey"]
    if not isinstance(name, str) or not name.strip():
        bad("'name' ska vara en text.", "name", name)
        return None
    survey = (survey_name if isinstance(survey_name, str) and survey_name in catalog.ids
              else catalog.find(survey_name) if isinstance(survey_name, str) else None)
    if survey is None:
        known_names = ", ".join(f"{catalog.get(i).name} ({i})" for i in catalog.ids)
        bad(f"okänd enkät {_shown(survey_name)} (kända: {known_names}).", "survey")
        return None
    questions = spec["questions"]
    questions = [questions] if isinstance(questions, int) else questions
    known = catalog.get(survey)
    if (not isinstance(questions, list) or not questions
            or not all(isinstance(q, int) and not isinstance(q, bool) for q in questions)):
        bad("'questions' ska vara en lista med frågenummer.", "questions", spec["questions"],
            "t.ex. questions = [1, 2]")
        return None
    missing = [q for q in questions if q not in known.numbers]
    if missing:
        bad(f"fråga {missing[0]} finns inte i {known.name} (frågor "
            f"{', '.join(map(str, known.numbers))}).", "questions")
        return None
    if len(set(questions)) != len(questions):
        twice = next(q for q in questions if questions.count(q) > 1)
        bad(f"fråga {twice} står två gånger i 'questions'.", "questions")
        return None
    scales = {known.question(q).scale.id for q in questions}
    measure = spec.get("measure", "share_positive")
    if not isinstance(measure, str) or measure not in MEASURES:
        bad(f"'measure' ska vara {', '.join(MEASURES)}.", "measure", measure)
        return None
    if len(scales) > 1 and measure != "share_positive":
        bad("frågorna har olika svarsskalor; slå ihop dem bara med share_positive.", "measure")
        return None
    scale = known.question(questions[0]).scale
    if measure == "mean" and len(scale.codes) <= 2:
        bad("medelvärde går inte att räkna på en ja/nej-fråga.", "measure")
        return None
    answers = tuple(scale.positive)
    if measure == "share":
        chosen = spec.get("answers")
        if not isinstance(chosen, list) or not chosen:
            bad("med measure = \"share\" behövs answers = [...] (koder eller svarstexter).",
                "answers" if "answers" in spec else "measure")
            return None
        codes = []
        for value in chosen:
            code = (value if isinstance(value, int) and not isinstance(value, bool)
                    and value in scale.codes
                    else scale.lookup.get(fold(value)) if isinstance(value, str) else None)
            if code is None:
                bad(f"svaret {_shown(value)} finns inte på skalan ({scale.describe()}).",
                    "answers")
                return None
            if code in codes:
                bad(f"svaret {_shown(value)} står två gånger i 'answers'.", "answers")
                return None
            codes.append(code)
        answers = tuple(codes)
    elif "answers" in spec:
        bad("'answers' hör bara till measure = \"share\".", "answers")
        return None
    targets = [k for k in COMPARISONS if k in spec]
    below = spec.get("not_below_previous", False)
    if not isinstance(below, bool):
        bad("'not_below_previous' ska vara true eller false.", "not_below_previous", below)
        return None
    if len(targets) + below != 1:
        bad("ange precis ett av at_least, more_than, at_most, less_than eller "
            "not_below_previous = true.", targets[1] if len(targets) > 1 else None)
        return None
    if below:
        comparison, target = "at_least", None
    else:
        comparison, target = targets[0], spec[targets[0]]
        if isinstance(target, str):  # "3,5" or "70 %": a decimal comma is a decimal here too
            from indikator.input.goal_sheets import number

            target = number(target) if number(target) is not None else target
        low, high = ((min(scale.codes), max(scale.codes)) if measure == "mean" else (0, 100))
        expected = (f"ett medelvärde mellan {low} och {high} (skalans koder)"
                    if measure == "mean" else "en andel i procent, 0–100")
        if isinstance(target, bool) or not isinstance(target, int | float):
            bad(f"'{comparison}' ska vara ett tal.", comparison, target, expected)
            return None
        if not math.isfinite(target) or not low <= target <= high:
            what = ("inget ändligt tal" if not math.isfinite(target)
                    else "utanför skalan")
            bad(f"målvärdet för '{comparison}' är {what}.", comparison, target, expected)
            return None
        if measure != "mean" and 0 < target <= 1:  # 0.7 meant as 70 %, never a real goal
            bad(f"målvärdet för '{comparison}' är 1 % eller lägre, vilket ingen svarsgrupp kan "
                "mätas mot; skriv andelen i procent (70 för 70 %).", comparison, target,
                expected)
            return None
    group = spec.get("group", ALL)
    if not isinstance(group, str) or not group.strip():
        bad("'group' ska vara en text (en insats, eller Alla).", "group", group)
        return None
    forbund = spec.get("forbund")
    if forbund is not None and (not isinstance(forbund, str) or not forbund.strip()):
        bad("'forbund' ska vara förbundets namn.", "forbund", forbund)
        return None
    return Goal(name.strip(), survey, tuple(questions), group.strip(), measure, answers,
                comparison, None if target is None else float(target), header or 0,
                forbund.strip() if forbund else None)


def _shown(value) -> str:
    """A TOML value as the user wrote it, near enough, for a message."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return {math.inf: "inf", -math.inf: "-inf"}.get(value, "nan" if math.isnan(value)
                                                      else f"{value:g}")
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"
