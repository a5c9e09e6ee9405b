"""Finding the header and telling what each column holds.

Survey tools put the header in different places: title rows above it, two or
three header rows (a question title over a statement, as SurveyMonkey and
Qualtrics do), merged or blank cells, battery codes like `F1[SQ001]`, or
"Frågetext [påstående]". Each column gets a list of candidate texts, most
specific first, and the first that names a question or a background variable
wins.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice

from indikator.questionnaires import Question, Questionnaire
from indikator.reading import Cell
from indikator.reading.grid import widest
from indikator.text import fold, split_number, strip_invisible

BACKGROUND = {
    "ar": "year", "year": "year", "artal": "year", "undersokningsar": "year",
    "insats": "group", "verksamhet": "group",
    "kon": "gender", "gender": "gender",
    "enkat": "survey", "enkattyp": "survey",
    "forbund": "forbund", "samordningsforbund": "forbund",
}
ID_NAMES = {
    "id", "svars id", "svarsid", "respondent id", "respondentid", "respondent", "response id",
    "responseid", "svar id", "lopnummer", "lopnr", "record id", "submission id", "deltagar id",
    "respondent nr", "respondentnummer", "svarsnummer",
}
STATUS_NAMES = {
    "status", "svarsstatus", "finished", "slutford", "completed", "fullstandig", "submitdate",
    "complete", "avslutad", "response status",
}
METADATA_NAMES = {
    "startdatum", "slutdatum", "start date", "end date", "startdate", "enddate", "starttid",
    "sluttid", "start time", "end time", "completion time", "datestamp", "date stamp",
    "tidsstampel", "tidstampel", "timestamp", "datum", "e post", "epost", "email", "e mail",
    "e postadress",
    "email address", "namn", "name", "ip", "ip adress", "ip address", "ipaddress", "language",
    "sprak", "lastpage", "seed", "refurl", "progress", "duration", "duration in seconds",
    "recordeddate", "recorded date", "distributionchannel", "userlanguage", "token",
    "last modified time", "senast andrad", "senaste andringstid", "svarsdatum", "svarstid",
    "inlamnad", "inskickat", "ip nummer", "webblasare", "browser", "enhet", "device",
    "inskickad", "skickad", "source", "kalla",
    "externalreference", "locationlatitude", "locationlongitude", "recipientlastname",
    "recipientfirstname", "recipientemail", "collector id", "custom data 1",
    "date created", "date modified", "submitted at", "created at", "inlamningsdatum",
}
# metadata columns holding the time an answer was given: a sheet without an År column
# takes its year from them when every answer falls in one year
DATE_NAMES = {
    "startdatum", "slutdatum", "start date", "end date", "startdate", "enddate", "starttid",
    "sluttid", "start time", "end time", "completion time", "datestamp", "date stamp",
    "tidsstampel", "tidstampel", "timestamp", "recordeddate", "recorded date",
    "last modified time", "senast andrad", "senaste andringstid", "svarsdatum", "svarstid",
    "inlamnad", "inskickat", "inskickad", "skickad", "submitdate", "date created",
    "date modified", "datum", "submitted at", "created at", "inlamningsdatum",
}
LONG_QUESTION_NAMES = {"fraga", "question", "variabel", "variable", "item", "fragenummer",
                       "fraga nr", "fragenr", "question id"}
LONG_VALUE_NAMES = {"svar", "varde", "value", "answer", "svarsvarde", "response"}

FUZZY_CUTOFF = 0.9
MAX_HEADER_SCAN = 30  # rows searched for the header
MAX_HEADER_DEPTH = 3  # header rows that may stack on each other

# one character class per part, so a long text is matched in linear time (the earlier
# `[A-Za-z_]*\d*[A-Za-z_]*\d*` backtracked for minutes on a long run of letters)
_CODE = re.compile(r"^\s*(?P<code>[A-Za-z0-9_]*)\s*"
                   r"\[\s*(?P<sub>[A-Za-z_]*?0*(?P<n>\d+))\s*\]\s*$")
_BRACKET = re.compile(r"^(?P<outer>.*?)\s*\[(?P<inner>[^\[\]]+)\]\s*$")


def header_text(value: Cell) -> str:
    """A cell's text on one line: spaces (hard ones too) single, invisible characters gone."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else " ".join(strip_invisible(str(value)).split())


_HARD_SPACES = re.compile("[\u00a0\u2007\u202f]")


def _without_hard_spaces(value: Cell) -> Cell:
    """'K\u00a0ön' -> 'Kön': a hard space inside a word is read as a space, so a header
    where one slipped in is also tried without it."""
    return _HARD_SPACES.sub("", value) if isinstance(value, str) else value


def role_of(text: str) -> str | None:
    """A background, id, status or metadata role from a header text, if it names one.

    Besides the plain names, a short survey question about the background counts:
    "Vilken insats deltar du i?" is Insats, "Vilket kön har du?" is Kön.
    """
    key = fold(text)
    if key in BACKGROUND:
        return BACKGROUND[key]
    words = key.split()
    if len(words) <= 8 and ("insats" in words or "verksamhet" in words):
        return "group"
    if len(words) <= 6 and "kon" in words:
        return "gender"
    if key in ID_NAMES:
        return "id"
    if key in STATUS_NAMES:
        return "status"
    if key in METADATA_NAMES or key.startswith(("starttid", "sluttid", "tid for", "time ")):
        return "metadata"
    return None


def variants(text: str) -> list[str]:
    """The texts a header may name its question by, most specific first.

    'Hur ofta …? [Får du stöd …?]' -> the statement, then the question, then both;
    'Hur väl … - Får du stöd …' (Qualtrics) -> the part after the dash first.
    """
    out: list[str] = []
    match = _BRACKET.match(text)
    if match and not _CODE.match(text):
        out += [match["inner"], match["outer"]]
    if " - " in text:
        out.append(text.rsplit(" - ", 1)[1])
    out.append(text)
    return [v.strip() for v in dict.fromkeys(out) if v.strip()]


@dataclass(frozen=True)
class Header:
    """The header found in a sheet: its rows and, per column, the candidate texts."""

    first: int  # 0-based index of the first header row
    last: int  # 0-based index of the last header row
    candidates: list[list[str]]  # per column, most specific first
    display: list[str]  # per column, the text shown to the user

    @property
    def rows(self) -> tuple[int, int]:
        """Excel row numbers of the first and last header row."""
        return (self.first + 1, self.last + 1)


def build_header(rows: list[list[Cell]], first: int, depth: int, width: int) -> Header:
    """Combine `depth` stacked header rows; blank cells of upper rows take the value to their left
    (a title that spans several columns, merged or not). Headers holding hard spaces are
    also tried without them, after their own texts."""
    header = _build_header(rows, first, depth, width, lambda v: v)
    if not any(isinstance(v, str) and _HARD_SPACES.search(v)
               for row in rows[first:first + depth] for v in row):
        return header
    tight = _build_header(rows, first, depth, width, _without_hard_spaces)
    candidates = [list(dict.fromkeys(own + more))
                  for own, more in zip(header.candidates, tight.candidates, strict=True)]
    return Header(first, header.last, candidates, header.display)


def _build_header(rows: list[list[Cell]], first: int, depth: int, width: int,
                  text_of) -> Header:
    layers = []
    for k in range(depth):
        row = rows[first + k] if first + k < len(rows) else []
        texts = [header_text(text_of(row[c])) if c < len(row) else "" for c in range(width)]
        if k < depth - 1:  # upper rows: spanning titles
            for c in range(1, width):
                if not texts[c]:
                    texts[c] = texts[c - 1]
        layers.append(texts)
    candidates, display = [], []
    for c in range(width):
        parts = [layer[c] for layer in layers if layer[c]]
        parts = list(dict.fromkeys(parts))
        bottom = layers[-1][c]
        cands: list[str] = []
        if bottom:
            cands += variants(bottom)
        if len(parts) > 1:
            cands += variants(" ".join(parts))
        for part in reversed(parts[:-1] if bottom else parts):
            cands += variants(part)
        candidates.append(list(dict.fromkeys(cands)))
        display.append(" / ".join(parts))
    return Header(first, first + depth - 1, candidates, display)


def score_header(header: Header, known: set[str]) -> int:
    """How much a candidate header looks like one: question texts count most."""
    score = 0
    for cands in header.candidates:
        best = 0
        for text in cands:
            number, rest = split_number(text)
            named = number is not None and not rest and not text.isdigit()
            if rest and fold(rest) in known:
                best = max(best, 4)
            elif role_of(text) or _CODE.match(text) or named:
                best = max(best, 2)
            elif number is not None and not rest:
                best = max(best, 1)
        score += best
    return score


def find_header(rows: list[list[Cell]], known_texts: Iterable[str]) -> Header | None:
    """The header: the rows (up to three stacked) that best name questions and background.

    Ties go to fewer header rows, then to the earlier row, so a row of bare
    numbers above data coded with numbers is taken as the header, not the data.
    """
    known = {fold(t) for t in known_texts}
    # the first filled rows only (a sheet of 100,000 rows is not scanned for them)
    filled = list(islice((i for i, r in enumerate(rows) if r.count(None) < len(r)),
                         MAX_HEADER_SCAN))
    if not filled:
        return None
    width = widest(rows)  # (a grid of columns: without making its rows)
    best: tuple[tuple[int, int, int], Header] | None = None
    for i in filled:
        for depth in range(1, MAX_HEADER_DEPTH + 1):
            if depth > 1 and (i + depth - 1 >= len(rows) or any(
                    _has_number(rows[k]) for k in range(i, i + depth))):
                break  # a stacked header has no numbers, and no rows past the sheet's end
            header = build_header(rows, i, depth, width)
            key = (score_header(header, known), -depth, -i)
            if best is None or key > best[0]:
                best = (key, header)
    assert best is not None  # filled is not empty
    if best[0][0] == 0:  # nothing recognisable: the first filled row, as it is
        return build_header(rows, filled[0], 1, width)
    return best[1]


def _has_number(row: list[Cell]) -> bool:
    return any((isinstance(v, int | float) and not isinstance(v, bool))
               or (isinstance(v, str) and v.strip().isascii() and v.strip().isdigit())
               for v in row)


def match_question(candidates: list[str], questionnaire: Questionnaire,
                   code_numbers: dict[str, int]
                   ) -> tuple[Question | None, str, tuple[str, str] | None]:
    """(question, how, issue) for one column's candidate texts.

    `how` is text, number, code or fuzzy; `issue` is (problem code, message) for a
    header that looks like a question but cannot be one (a wrong number, an
    unknown text).
    """
    by_text = {fold(q.text): q for q in questionnaire.questions}
    unknown_text: tuple[str, str] | None = None
    for text in candidates:
        if text in code_numbers:
            return _by_number(code_numbers[text], questionnaire, "code")
        number, rest = split_number(text)
        question, how = _match_text(rest, by_text)
        if question is not None:
            if number is not None and number != question.number:
                return None, "", ("header-number-mismatch",
                                  f"Rubriken anger fråga {number} men texten är fråga "
                                  f"{question.number}.")
            return question, how, None
        if number is not None and not rest:
            return _by_number(number, questionnaire, "number")
        if number is not None and rest and unknown_text is None:
            unknown_text = ("header-unknown-question",
                            f"Rubriken ser ut som en fråga men texten finns inte i "
                            f"{questionnaire.name} version {questionnaire.version}.")
    return None, "", unknown_text


def _by_number(number: int, questionnaire: Questionnaire,
               how: str) -> tuple[Question | None, str, tuple[str, str] | None]:
    if number in questionnaire.numbers:
        return questionnaire.question(number), how, None
    return None, "", ("header-unknown-question",
                      f"Fråga {number} finns inte i {questionnaire.name} (frågor "
                      f"{', '.join(map(str, questionnaire.numbers))}).")


MAX_MATCH_CHARS = 600


def _match_text(text: str, by_text: dict[str, Question]) -> tuple[Question | None, str]:
    key = fold(text)
    if not key or len(key) > MAX_MATCH_CHARS:  # no question is that long; fuzzy matching of
        return None, ""                        # very long texts would take minutes
    if key in by_text:
        return by_text[key], "text"
    if len(key) < 15:
        return None, ""
    ratios = sorted(
        ((difflib.SequenceMatcher(None, key, k).ratio(), k) for k in by_text), reverse=True
    )
    best_ratio, best_key = ratios[0]
    runner_up = ratios[1][0] if len(ratios) > 1 else 0.0
    if best_ratio >= FUZZY_CUTOFF and best_ratio - runner_up >= 0.1:
        return by_text[best_key], "fuzzy"
    return None, ""


def battery_codes(headers: Iterable[str]) -> dict[str, int]:
    """Question numbers of `F1[SQ001]`-style headers (LimeSurvey and the like).

    When several columns share a code (`F1[SQ001]`, `F1[SQ002]` …) the battery
    holds the questions and the subquestion number is the question number; a
    code with a single column (`F3[SQ001]`) is question 3.
    """
    parsed = {h: _CODE.match(h) for h in headers}
    parsed = {h: m for h, m in parsed.items() if m}
    by_code: dict[str, list[str]] = {}
    for h, m in parsed.items():
        by_code.setdefault(m["code"].lower(), []).append(h)
    numbers: dict[str, int] = {}
    for members in by_code.values():
        for h in members:
            m = parsed[h]
            own = split_number(m["code"])[0] if m["code"] else None
            numbers[h] = int(m["n"]) if len(members) > 1 or own is None else own
    return numbers
