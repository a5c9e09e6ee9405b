"""The board's goals (måluppfyllelse), written in a small TOML file and checked honestly.

A goal names a survey, one or more questions (their answers pooled), a group and a
measure: the share positive, the share of chosen answers, or the mean code. Its
verdict compares this year's value with the target, and says so when the target
lies inside the value's 95 % interval: with 20 answers a 72 % against a 70 % target
is "uppfyllt, men osäkert", not a goal met. Only published numbers are used, so a
goal on a hidden group or question is "för få svar".

Pooling several questions counts every answer once, as if they were independent;
the same person answers each question, so the interval is somewhat too narrow
when questions are pooled (the README says so).
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .compare import wilson
from .errors import EXIT_INPUT, IndikatorError, Location, Problem
from .questionnaires import Catalog
from .stats import ALL
from .text import fold, name_key

GOALS_FILE = "mal.toml"
GOAL_COLUMNS = ["name", "survey", "group", "questions", "measure", "target", "year", "value",
                "ci_low", "ci_high", "n", "previous_value", "verdict"]
MEASURES = ("share_positive", "share", "mean")
COMPARISONS = {"at_least": "≥", "more_than": ">", "at_most": "≤", "less_than": "<"}
KEYS = {"name", "survey", "questions", "group", "measure", "answers", "not_below_previous",
        *COMPARISONS}

MET, NOT_MET = "uppfyllt", "ej uppfyllt"
MET_UNSURE, NOT_MET_UNSURE = "uppfyllt, men osäkert", "ej uppfyllt, men osäkert"
TOO_FEW, NOT_MEASURED = "för få svar", "ej mätt"


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

    @property
    def target_text(self) -> str:
        sign = COMPARISONS[self.comparison]
        if self.target is None:
            return f"{sign} fjolårets värde"
        unit = "" if self.measure == "mean" else " %"
        return f"{sign} {self.target:g}{unit}".replace(".", ",")


def find_goals_file(paths: list[Path]) -> Path | None:
    """mal.toml beside the inputs (in a given folder, or beside a given file)."""
    for path in paths:
        folder = Path(path) if Path(path).is_dir() else Path(path).parent
        candidate = folder / GOALS_FILE
        if candidate.is_file():
            return candidate
    return None


def read_goals(path: Path, catalog: Catalog) -> list[Goal]:
    """Every goal of the file, checked; any problem stops the run, naming its line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
        raw = tomllib.loads(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise IndikatorError(f"Kan inte läsa målfilen {path}: {exc}.",
                             exit_code=EXIT_INPUT) from None
    except (tomllib.TOMLDecodeError, RecursionError) as exc:
        raise IndikatorError(f"Målfilen {path} är inte giltig TOML: {exc}.",
                             exit_code=EXIT_INPUT) from None
    lines = [i + 1 for i, line in enumerate(text.splitlines())
             if re.match(r"^\s*\[\[\s*goal\s*\]\]", line)]
    problems: list[Problem] = []
    if set(raw) - {"goal"}:
        problems.append(Problem("bad-goal", f"Okänd nyckel {sorted(set(raw) - {'goal'})[0]!r}; "
                                "målen skrivs som [[goal]].", Location(str(path))))
    goals = []
    for i, spec in enumerate(raw.get("goal", []) if isinstance(raw.get("goal"), list) else []):
        line = lines[i] if i < len(lines) else None
        goal = _parse(spec, i + 1, line, path, catalog, problems)
        if goal is not None:
            goals.append(goal)
    if problems:
        raise IndikatorError("Fel i målfilen.", problems, exit_code=EXIT_INPUT)
    return goals


def _parse(spec, number: int, line: int | None, path: Path, catalog: Catalog,
           problems: list[Problem]) -> Goal | None:
    where = Location(str(path), None, line)

    def bad(message: str) -> None:
        problems.append(Problem("bad-goal", f"Mål {number}: {message}", where))

    if not isinstance(spec, dict):
        bad("ska vara en tabell [[goal]].")
        return None
    unknown = sorted(set(spec) - KEYS)
    if unknown:
        bad(f"okänd nyckel '{unknown[0]}' (tillåtna: {', '.join(sorted(KEYS))}).")
        return None
    for key in ("name", "survey", "questions"):
        if key not in spec:
            bad(f"nyckeln '{key}' saknas.")
            return None
    name, survey_name = spec["name"], spec["survey"]
    if not isinstance(name, str) or not name.strip():
        bad("'name' ska vara en text.")
        return None
    survey = survey_name if survey_name in catalog.ids else (
        catalog.find(survey_name) if isinstance(survey_name, str) else None)
    if survey is None:
        bad(f"okänd enkät {survey_name!r} (kända: {', '.join(catalog.ids)}).")
        return None
    questions = spec["questions"]
    questions = [questions] if isinstance(questions, int) else questions
    known = catalog.get(survey)
    if (not isinstance(questions, list) or not questions
            or not all(isinstance(q, int) and not isinstance(q, bool) for q in questions)):
        bad("'questions' ska vara en lista med frågenummer.")
        return None
    missing = [q for q in questions if q not in known.numbers]
    if missing:
        bad(f"fråga {missing[0]} finns inte i {known.name} (frågor "
            f"{', '.join(map(str, known.numbers))}).")
        return None
    scales = {known.question(q).scale.id for q in questions}
    measure = spec.get("measure", "share_positive")
    if measure not in MEASURES:
        bad(f"'measure' ska vara {', '.join(MEASURES)} (fick {measure!r}).")
        return None
    if len(scales) > 1 and measure != "share_positive":
        bad("frågorna har olika svarsskalor; slå ihop dem bara med share_positive.")
        return None
    scale = known.question(questions[0]).scale
    if measure == "mean" and len(scale.codes) <= 2:
        bad("medelvärde går inte att räkna på en ja/nej-fråga.")
        return None
    answers = tuple(scale.positive)
    if measure == "share":
        chosen = spec.get("answers")
        if not isinstance(chosen, list) or not chosen:
            bad("med measure = \"share\" behövs answers = [...] (koder eller svarstexter).")
            return None
        codes = []
        for value in chosen:
            code = value if isinstance(value, int) and value in scale.codes else (
                scale.lookup.get(fold(value)) if isinstance(value, str) else None)
            if code is None:
                bad(f"svaret {value!r} finns inte på skalan ({scale.describe()}).")
                return None
            codes.append(code)
        answers = tuple(codes)
    elif "answers" in spec:
        bad("'answers' hör bara till measure = \"share\".")
        return None
    targets = [k for k in COMPARISONS if k in spec]
    below = spec.get("not_below_previous", False)
    if len(targets) + bool(below) != 1:
        bad("ange precis ett av at_least, more_than, at_most, less_than eller "
            "not_below_previous = true.")
        return None
    if below:
        comparison, target = "at_least", None
    else:
        comparison, target = targets[0], spec[targets[0]]
        if isinstance(target, bool) or not isinstance(target, int | float):
            bad(f"'{comparison}' ska vara ett tal.")
            return None
    group = spec.get("group", ALL)
    if not isinstance(group, str) or not group.strip():
        bad("'group' ska vara en text (en insats, eller Alla).")
        return None
    return Goal(name.strip(), survey, tuple(questions), group.strip(), measure, answers,
                comparison, None if target is None else float(target), line or 0)


def _measure(goal: Goal, rows: pd.DataFrame) -> tuple[float, float, float, int]:
    """(value, ci_low, ci_high, n) from published distribution rows of the goal's questions."""
    n = int(rows.drop_duplicates("question")["n"].sum())
    if goal.measure == "mean":
        codes, counts = rows["code"].to_numpy(float), rows["count"].to_numpy(float)
        mean = float((codes * counts).sum() / n)
        if n < 2:
            return mean, math.nan, math.nan, n
        var = float((counts * (codes - mean) ** 2).sum() / (n - 1))
        from scipy import stats  # on first use: `validate` reads goals without scipy

        half = stats.t.ppf(0.975, n - 1) * math.sqrt(var / n)
        return mean, mean - half, mean + half, n
    x = int(rows.loc[rows["code"].isin(goal.answers), "count"].sum())
    low, high = wilson(x, n)
    return 100 * x / n, 100 * low, 100 * high, n


def evaluate(goals: list[Goal], both: pd.DataFrame, groups: pd.DataFrame,
             cells: pd.DataFrame) -> pd.DataFrame:
    """GOAL_COLUMNS, one row per goal, for each survey's latest year in `both` (every year's
    published distribution rows; the year before is last year's value)."""
    out = []
    for goal in goals:
        years = sorted(both.loc[both["survey"] == goal.survey, "year"].unique())
        year = int(years[-1]) if years else None
        row = {"name": goal.name, "survey": goal.survey, "group": goal.group,
               "questions": ", ".join(map(str, goal.questions)), "measure": goal.measure,
               "target": goal.target_text, "year": year}
        if year is None:
            out.append({**row, "verdict": NOT_MEASURED})
            continue
        current = _rows(goal, both, year)
        previous_rows = _rows(goal, both, int(years[-2])) if len(years) > 1 else None
        previous_value = (_measure(goal, previous_rows)[0] if previous_rows is not None
                          else math.nan)
        if current is None:
            out.append({**row, "previous_value": previous_value,
                        "verdict": _why_missing(goal, year, groups, cells)})
            continue
        value, low, high, n = _measure(goal, current)
        target = goal.target if goal.target is not None else previous_value
        row.update(value=value, ci_low=low, ci_high=high, n=n, previous_value=previous_value)
        if math.isnan(target):
            row["verdict"] = NOT_MEASURED  # no last year to compare with
        else:
            row["verdict"] = verdict(goal.comparison, target, value, low, high)
        out.append(row)
    frame = pd.DataFrame(out, columns=GOAL_COLUMNS)
    frame["n"] = frame["n"].astype("Int64")
    frame["year"] = frame["year"].astype("Int64")
    return frame


def _rows(goal: Goal, table: pd.DataFrame, year: int) -> pd.DataFrame | None:
    """The goal's published rows in `year`, or None unless every question is there."""
    rows = table[(table["survey"] == goal.survey) & (table["year"] == year)
                 & (table["group"].map(name_key) == name_key(goal.group))
                 & table["question"].isin(goal.questions)]
    if set(rows["question"]) != set(goal.questions) or rows["n"].sum() == 0:
        return None
    return rows


def _why_missing(goal: Goal, year: int, groups: pd.DataFrame, cells: pd.DataFrame) -> str:
    """för få svar (hidden group or question) or ej mätt (not in the data)."""
    group = groups[(groups["survey"] == goal.survey) & (groups["year"] == year)
                   & (groups["group"].map(name_key) == name_key(goal.group))]
    if group.empty:
        return NOT_MEASURED
    if not bool(group["shown"].iloc[0]):
        return TOO_FEW
    mine = cells[(cells["survey"] == goal.survey) & (cells["year"] == year)
                 & (cells["group"] == group["group"].iloc[0])
                 & cells["question"].isin(goal.questions)]
    return TOO_FEW if (mine["n"] > 0).any() else NOT_MEASURED


def verdict(comparison: str, target: float, value: float, low: float, high: float) -> str:
    """Met or not, and whether the target lies inside the value's interval."""
    met = {"at_least": value >= target, "more_than": value > target,
           "at_most": value <= target, "less_than": value < target}[comparison]
    unsure = not math.isnan(low) and low <= target <= high
    if met:
        return MET_UNSURE if unsure else MET
    return NOT_MET_UNSURE if unsure else NOT_MET
