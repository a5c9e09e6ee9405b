"""An earlier pack's distributions.csv (and the grupper.csv beside it), read back for
--compare and --reference, and checked as strictly as the answers.

Analysts often keep last year's tables but not the raw answers; the counts in
distributions.csv are enough for every statistic of the comparison, provided
the file is what indikator wrote. The files go through the answers' guards (a
regular file of a sane size); every count must be a whole number that adds up
to n, every code and label must be the questionnaire's, and a percent is never
taken from the file: it is recomputed from the counts (one that disagrees with
them is refused, as a sign of a hand-edited file). Anything else is refused
with the file, row (header = row 1) and column.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from indikator.columns import DISTRIBUTION_COLUMNS
from indikator.errors import EXIT_INPUT, IndikatorError, Location, Problem
from indikator.questionnaires import Catalog
from indikator.reading.model import column_letter
from indikator.text import fold
from indikator.words import ALL

GROUPS_FILE = "grupper.csv"
GROUPS_NEEDED = ["survey", "year", "group", "shown"]  # of stats.GROUP_COLUMNS
# of DISTRIBUTION_COLUMNS, the ones a --compare or --reference file must have (by name,
# in any order, other columns aside); percent is recomputed from count and n
NEEDED = [c for c in DISTRIBUTION_COLUMNS if c != "percent"]
MAX_COUNT = 10_000_000  # answers to one question: far above any survey (the nation: ~4,000)
YEARS = (1990, 2100)  # as the importer accepts them
PERCENT_SLACK = 0.5  # a percent rounded to whole numbers (an edit in Excel) still agrees
MAX_PROBLEMS = 50  # per file: enough to see what is wrong, not a wall of text
TRUE = {"true", "sant", "ja", "1"}  # Excel in Swedish writes SANT/FALSKT
FALSE = {"false", "falskt", "nej", "0"}
_FORMULA_GUARD = re.compile(r"^'[=+\-@\t\r]")  # outputs.neutralise's apostrophe


@dataclass(frozen=True)
class PreviousPack:
    """What an earlier pack's files say, checked.

    table: DISTRIBUTION_COLUMNS, percent recomputed from count and n.
    groups: survey, year, group, shown from the grupper.csv beside it (None without one).
    """

    path: Path
    table: pd.DataFrame
    groups: pd.DataFrame | None = None


def run_years(table: pd.DataFrame) -> dict[str, set[int]]:
    """{survey: its years} of a table with survey and year columns (the answers, or
    the distributions' group table): what a --compare or --reference file is held to."""
    years: dict[str, set[int]] = {}
    pairs = table[["survey", "year"]].dropna(subset=["year"]).drop_duplicates()  # not per row
    for survey, year in zip(pairs["survey"], pairs["year"], strict=True):
        years.setdefault(str(survey), set()).add(int(year))
    return years


def read_previous(path: Path, catalog: Catalog,
                  years: Mapping[str, Collection[int]] | None = None, *,
                  reference: bool = False) -> PreviousPack:
    """Read and check an earlier pack's distributions.csv, and its grupper.csv if beside it.

    years: the run's own years per survey (run_years); with them a --compare file must
        hold only earlier years of each survey the run has, and a --reference file must
        share a year with the run for each survey both have (it is compared with the
        same year only). None: the file alone is checked.
    reference: the file is for --reference (it must have Alla rows), not --compare.
    Raises IndikatorError (EXIT_INPUT) naming file, row and column of every problem.
    """
    path = Path(path)
    option = "--reference" if reference else "--compare"
    sheet = _read_table(path, option)
    rows = sheet.rows
    header = [_text(v) for v in rows[0]] if rows else []
    missing = [c for c in NEEDED if c not in header]
    if missing:
        raise IndikatorError(
            f"{path} har inte kolumnerna i en distributions.csv från indikator "
            f"({', '.join(DISTRIBUTION_COLUMNS)}); {', '.join(missing)} saknas. Ange {option} "
            "med distributions.csv från ett tidigare paket.",
            [Problem("bad-previous-value", "Rubrikraden är inte den i en distributions.csv.",
                     Location(str(path), None, 1), value=", ".join(map(str, header))[:80],
                     expected=", ".join(DISTRIBUTION_COLUMNS))],
            exit_code=EXIT_INPUT)
    # by name: a pack from another version may order its columns otherwise or have more
    places = {c: header.index(c) for c in DISTRIBUTION_COLUMNS if c in header}
    problems: list[Problem] = []
    records = _distribution_rows(path, rows, catalog, problems, places)
    if not problems:
        _check_questions(path, records, catalog, problems, places)
    if not problems and years is not None:
        _check_years(path, records, years, reference, problems, places["year"])
    if not problems and reference and not any(r["group"] == ALL for r in records):
        problems.append(Problem("bad-previous-value", "Filen har inga rader för gruppen Alla; "
                                "en referens jämförs med sin grupp Alla.",
                                Location(str(path), None, None, "group",
                                         column_letter(places["group"]))))
    _stop(path, problems)
    table = pd.DataFrame(records, columns=[*DISTRIBUTION_COLUMNS, "_row"])
    table = table[DISTRIBUTION_COLUMNS].astype(
        {"year": int, "question": int, "code": int, "count": int, "n": int})
    table["percent"] = [100 * c / n if n else math.nan
                        for c, n in zip(table["count"], table["n"], strict=True)]
    groups = read_previous_groups(path.with_name(GROUPS_FILE), catalog, table,
                                  None if reference else years)
    return PreviousPack(path, table.reset_index(drop=True), groups)


def read_previous_packs(paths: Iterable[Path], catalog: Catalog,
                        years: Mapping[str, Collection[int]] | None = None
                        ) -> list[PreviousPack]:
    """Every --compare file, read_previous'd; no survey's year may be in two of them."""
    packs: list[PreviousPack] = []
    seen: dict[tuple[str, int], Path] = {}
    for path in paths:
        pack = read_previous(path, catalog, years)
        found = set(zip(pack.table["survey"], pack.table["year"], strict=True))
        for survey, year in sorted(found):
            if (survey, year) in seen:
                raise IndikatorError(
                    f"Året {year} för {survey} finns både i {seen[survey, year]} och i "
                    f"{path}; jämförelsen vet inte vilket som gäller.",
                    [Problem("bad-previous-value", f"Året {year} för {survey} finns redan i "
                             f"{seen[survey, year]}.", Location(str(path)))],
                    exit_code=EXIT_INPUT)
        seen.update(dict.fromkeys(found, Path(path)))
        packs.append(pack)
    return packs


def read_previous_groups(path: Path, catalog: Catalog, table: pd.DataFrame,
                         years: Mapping[str, Collection[int]] | None = None
                         ) -> pd.DataFrame | None:
    """grupper.csv beside a distributions.csv (None when there is none): survey, year,
    group, shown; checked like it, and against it (a group with numbers is shown).

    years: as read_previous's for --compare (only earlier years); None: not checked.
    """
    path = Path(path)
    if not (path.exists() or path.is_symlink()):
        return None
    sheet = _read_table(path, "--compare")
    rows = sheet.rows
    header = [_text(v) for v in rows[0]] if rows else []
    missing = [c for c in GROUPS_NEEDED if c not in header]
    if missing:
        raise IndikatorError(
            f"{path} ligger bredvid distributions.csv men är ingen grupper.csv från indikator "
            f"(kolumnerna {', '.join(missing)} saknas). Ta bort eller byt namn på filen.",
            [Problem("bad-previous-value", f"Kolumnerna {', '.join(missing)} saknas.",
                     Location(str(path), None, 1), expected=", ".join(GROUPS_NEEDED))],
            exit_code=EXIT_INPUT)
    index = {c: header.index(c) for c in (*GROUPS_NEEDED, "respondents") if c in header}
    problems: list[Problem] = []
    records: list[dict] = []
    first: dict[tuple, int] = {}
    shown_with_numbers = set(zip(table["survey"], table["year"], table["group"], strict=True))
    for number, row in enumerate(rows[1:], start=2):
        if all(v is None for v in row):
            continue

        def bad(column: str, message: str, value=None, expected=None, number=number) -> None:
            problems.append(Problem("bad-previous-value", message, Location(
                str(path), None, number, column, column_letter(index[column])),
                value=value, expected=expected))

        cells = {c: (_text(row[i]) if i < len(row) else None) for c, i in index.items()}
        survey, group = cells["survey"], _unguard(cells["group"])
        ok = True
        if survey not in catalog.ids:
            bad("survey", "Okänd enkät.", survey, ", ".join(catalog.ids))
            ok = False
        year = _whole(cells["year"], *YEARS)
        if year is None:
            bad("year", "Ett år väntas.", cells["year"], f"ett heltal {YEARS[0]}–{YEARS[1]}")
            ok = False
        if not group:
            bad("group", "Gruppens namn saknas.")
            ok = False
        shown = (cells["shown"] or "").strip().lower()
        if shown not in TRUE | FALSE:
            bad("shown", "True eller False väntas.", cells["shown"], "True eller False")
            ok = False
        if "respondents" in cells and cells["respondents"] is not None and _whole(
                cells["respondents"], 0, MAX_COUNT) is None:
            bad("respondents", "Ett antal väntas.", cells["respondents"],
                f"ett heltal 0–{MAX_COUNT:,}".replace(",", "\u00a0"))
        if not ok:
            continue
        key = (survey, year, group)
        if key in first:
            bad("group", f"Gruppen {group} för {survey} {year} står redan på rad "
                f"{first[key]}.", group, "en rad per enkät, år och grupp")
            continue
        first[key] = number
        if shown in FALSE and key in shown_with_numbers:
            bad("shown", f"Gruppen {group} ({survey} {year}) är dold här men har siffror i "
                "distributions.csv; filerna hör inte ihop, eller en av dem är ändrad.",
                cells["shown"], "True")
            continue
        if years is not None and survey in years and year >= min(years[survey]):
            bad("year", f"{survey} {year} är inte ett tidigare år än svarens "
                f"({', '.join(map(str, sorted(years[survey])))}).", str(year))
            continue
        records.append({"survey": survey, "year": year, "group": group,
                        "shown": shown in TRUE})
        if len(problems) >= MAX_PROBLEMS:
            break
    _stop(path, problems)
    return pd.DataFrame(records, columns=GROUPS_NEEDED)


def _read_table(path: Path, option: str):
    """The file's one sheet, read through the answers' guards (reading.read_file)."""
    from indikator.reading import TEXT_SUFFIXES, read_file
    from indikator.reading.model import unreadable

    if path.suffix.lower() not in TEXT_SUFFIXES:
        raise unreadable(path, f"{option} läser en CSV-fil (distributions.csv från ett "
                               f"tidigare paket), inte en {path.suffix or 'fil utan ändelse'}.")
    return read_file(path)[0]


def _distribution_rows(path: Path, rows: list[list], catalog: Catalog,
                       problems: list[Problem], places: dict[str, int]) -> list[dict]:
    """Each data row as a dict of checked values (and its row number as `_row`); places:
    each known column's index in the header (percent may be missing)."""
    scales = catalog.all_scales()
    records = []
    for number, row in enumerate(rows[1:], start=2):
        if all(v is None for v in row):
            continue
        if len(problems) >= MAX_PROBLEMS:
            break

        def bad(column: str, message: str, value=None, expected=None, number=number) -> None:
            problems.append(Problem("bad-previous-value", message, Location(
                str(path), None, number, column, column_letter(places[column])),
                value=value, expected=expected))

        if len(row) != len(rows[0]):
            problems.append(Problem(
                "bad-previous-value", f"Raden har {len(row)} fält men rubriken "
                f"{len(rows[0])}.", Location(str(path), None, number)))
            continue
        cell = {c: None for c in DISTRIBUTION_COLUMNS}
        cell.update({c: _text(row[i]) for c, i in places.items()})
        before = len(problems)
        if cell["survey"] not in catalog.ids:
            bad("survey", "Okänd enkät.", cell["survey"], ", ".join(catalog.ids))
        year = _whole(cell["year"], *YEARS)
        if year is None:
            bad("year", "Ett år väntas.", cell["year"], f"ett heltal {YEARS[0]}–{YEARS[1]}")
        group = _unguard(cell["group"])
        if not group:
            bad("group", "Gruppens namn saknas.")
        question = _whole(cell["question"], 1, 999)
        if question is None:
            bad("question", "Ett frågenummer väntas.", cell["question"], "ett heltal")
        text = _unguard(cell["question_text"])
        if not text:
            bad("question_text", "Frågans text saknas.")
        scale = scales.get(cell["scale"] or "")
        if scale is None:
            bad("scale", "Okänd svarsskala.", cell["scale"], ", ".join(sorted(scales)))
        code = _whole(cell["code"], -999, 999)
        if code is None:
            bad("code", "En svarskod (ett heltal) väntas.", cell["code"])
        elif scale is not None and code not in scale.codes:
            bad("code", f"Koden finns inte på skalan {scale.id}.", cell["code"],
                scale.describe())
        elif scale is not None and label_code(scale, cell["label"]) != code:
            meant = label_code(scale, cell["label"])
            if meant is None:
                bad("label", f"Svarstexten {cell['label'] or ''!r} för kod {code} finns inte på "
                    f"skalan {scale.id} ({', '.join(c.label for c in scale.categories)}).",
                    cell["label"], f'"{scale.label(code)}"')
            else:
                bad("label", f"Svarstexten för kod {code} på skalan {scale.id} är en annan "
                    f"({cell['label']!r} är kod {meant}).", cell["label"],
                    f'"{scale.label(code)}"')
        count = _whole(cell["count"], 0, MAX_COUNT)
        n = _whole(cell["n"], 0, MAX_COUNT)
        limit = f"ett heltal 0–{MAX_COUNT:,}".replace(",", "\u00a0")
        if count is None:
            bad("count", "Ett antal svar (ett heltal, 0 eller mer) väntas.", cell["count"], limit)
        if n is None:
            bad("n", "Ett antal svar (ett heltal, 0 eller mer) väntas.", cell["n"], limit)
        percent = _number(cell["percent"])
        if cell["percent"] is not None and percent is None:
            bad("percent", "En procentsats väntas.", cell["percent"])
        if len(problems) == before:
            records.append({**cell, "year": year, "group": group, "question": question,
                            "question_text": text, "code": code, "count": count, "n": n,
                            "label": scale.label(code),  # as the charts and tables name it
                            "_percent": percent, "_row": number})
    return records


def label_code(scale, label: str | None) -> int | None:
    """The code whose answer text `label` is, matched as the importer matches answers
    (text.fold: case, spaces, Unicode form, accents and punctuation aside; 'INTE ALLS' is
    'Inte alls'); None when it is no text of the scale."""
    if label is None:
        return None
    key = fold(_unguard(label) or "")
    return next((c.code for c in scale.categories
                 if key in {fold(t) for t in (c.label, *c.aliases)}), None)


def _check_questions(path: Path, records: list[dict], catalog: Catalog,
                     problems: list[Problem], places: dict[str, int]) -> None:
    """Per survey, year, group and question: the question is in the questionnaire with
    this scale, one row per code of the scale, the same n on each, counts adding to n."""
    def bad(row: int, column: str, message: str, value=None, expected=None) -> None:
        problems.append(Problem("bad-previous-value", message, Location(
            str(path), None, row, column, column_letter(places[column])),
            value=value, expected=expected))

    by_question: dict[tuple, list[dict]] = {}
    for r in records:
        by_question.setdefault((r["survey"], r["year"], r["group"], r["question"]), []).append(r)
    for (survey, year, group, question), rows in by_question.items():
        if len(problems) >= MAX_PROBLEMS:
            return
        first = rows[0]
        where = f"{survey} {year}, {group}, fråga {question}"
        known = catalog.get(survey, year)
        if question not in known.numbers:
            bad(first["_row"], "question", f"Fråga {question} finns inte i {known.name} "
                f"({year}).", str(question), ", ".join(map(str, known.numbers)))
            continue
        scale = known.question(question).scale
        if first["scale"] != scale.id:
            bad(first["_row"], "scale", f"{where} har skalan {scale.id} i enkätfilerna.",
                first["scale"], scale.id)
            continue
        codes: dict[int, int] = {}
        for r in rows:
            if r["scale"] != first["scale"]:
                bad(r["_row"], "scale", f"{where} har en annan skala på rad {first['_row']}.",
                    r["scale"], first["scale"])
            elif r["code"] in codes:
                bad(r["_row"], "code", f"Koden {r['code']} för {where} står redan på rad "
                    f"{codes[r['code']]}.", str(r["code"]), "en rad per kod")
            elif r["n"] != first["n"]:
                bad(r["_row"], "n", f"n för {where} är {first['n']} på rad {first['_row']}.",
                    str(r["n"]), str(first["n"]))
            codes.setdefault(r["code"], r["_row"])
        missing = [c for c in scale.codes if c not in codes]
        if missing:
            bad(rows[-1]["_row"], "code", f"{where} saknar raden för kod {missing[0]} "
                f"({scale.label(missing[0])}); indikator skriver en rad per kod, också 0.",
                expected=", ".join(map(str, scale.codes)))
            continue
        total = sum(r["count"] for r in rows)
        if total != first["n"]:
            bad(rows[-1]["_row"], "count", f"Antalen för {where} (rad {first['_row']}–"
                f"{rows[-1]['_row']}) summerar till {total}, inte till n = {first['n']}; "
                "filen verkar ändrad för hand (summerar inte till n).", str(total),
                str(first["n"]))
            continue
        for r in rows:  # an empty percent is harmless: every percent is recomputed
            if r["_percent"] is None or math.isnan(r["_percent"]):
                continue
            expected = 100 * r["count"] / r["n"] if r["n"] else None
            if expected is None or abs(r["_percent"] - expected) > PERCENT_SLACK:
                bad(r["_row"], "percent", "Andelen stämmer inte med antal / n; filen verkar "
                    "ändrad för hand (andelar räknas alltid om från antalen).", r["percent"],
                    f"{r['count']} av {r['n']} = {expected:.1f} %".replace(".", ",")
                    if expected is not None else "tom, eftersom n är 0")


def _check_years(path: Path, records: list[dict], years: Mapping[str, Collection[int]],
                 reference: bool, problems: list[Problem], year_column: int = 1) -> None:
    """--compare: only years before the run's own, per survey (else the earlier pack would
    stand for this year: in the goals, the trends, the comparison). --reference: a year in
    common with the run for each survey both have (it is compared with the same year)."""
    found: dict[str, dict[int, int]] = {}  # survey -> year -> first row
    for r in records:
        found.setdefault(r["survey"], {}).setdefault(r["year"], r["_row"])
    for survey, in_file in found.items():
        mine = sorted(years.get(survey, ()))
        if not mine:
            continue
        listed = ", ".join(map(str, mine))
        if reference:
            if not set(in_file) & set(mine):
                row = min(in_file.values())
                problems.append(Problem(
                    "bad-previous-value", f"Referensen har {survey} för "
                    f"{', '.join(map(str, sorted(in_file)))}, svaren för {listed}; en referens "
                    "jämförs bara med samma år. Ange referensen för samma år som svaren.",
                    Location(str(path), None, row, "year", column_letter(year_column)),
                    value=str(min(in_file)), expected=listed))
            continue
        for year, row in sorted(in_file.items()):
            if year in mine:
                problems.append(Problem(
                    "bad-previous-value", f"Året {year} för {survey} finns både i filerna "
                    f"(eller ett annat paket) och i {path}; jämförelsen vet inte vilket som "
                    "gäller.", Location(str(path), None, row, "year", column_letter(year_column)),
                    value=str(year), expected=f"ett år före {mine[0]}"))
            elif year > mine[0]:
                problems.append(Problem(
                    "bad-previous-value", f"Året {year} för {survey} är senare än svarens "
                    f"första år ({listed}); --compare jämför med tidigare år. Är det rätt "
                    "fil, och rätt år i svaren?",
                    Location(str(path), None, row, "year", column_letter(year_column)),
                    value=str(year), expected=f"ett år före {mine[0]}"))


def _stop(path: Path, problems: list[Problem]) -> None:
    if problems:
        first = problems[0]
        row = f" (rad {first.location.row})" if first.location.row is not None else ""
        raise IndikatorError(
            f"{path} kan inte användas{row}: {first.message}"
            + (f" (och {len(problems) - 1} fel till)" if len(problems) > 1 else ""),
            problems, exit_code=EXIT_INPUT)


def _text(value) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _unguard(text: str | None) -> str | None:
    """Text as it was before outputs.neutralise put an apostrophe before a leading = + - @."""
    return text[1:] if text is not None and _FORMULA_GUARD.match(text) else text


def _whole(text: str | None, low: int, high: int) -> int | None:
    """A whole number within [low, high] ('12', '12.0', '12,0'), else None."""
    if text is None:
        return None
    found = re.fullmatch(r"([+-]?\d{1,12})(?:[.,]0*)?", text.strip())
    if not found:
        return None
    number = int(found.group(1))
    return number if low <= number <= high else None


def _number(text: str | None) -> float | None:
    """A decimal number ('12.5', '12,5'); None for an empty cell or what is no number."""
    if text is None:
        return None
    if not re.fullmatch(r"[+-]?(\d{1,12}([.,]\d*)?|[.,]\d+)([eE][+-]?\d{1,3})?|nan|NaN",
                        text.strip()):
        return None
    return float(text.strip().replace(",", "."))


@dataclass(frozen=True)
class Reference:
    """What each chart of a förbund is set beside: another pack's Alla distribution.

    name: "Riket", "Länet" or "Alla förbund" (the year is added on the charts).
    includes_self: the reference counts this förbund's answers too (the run's own
        aggregate): then the förbund is compared with the rest, reference minus itself.
    """

    name: str
    table: pd.DataFrame  # DISTRIBUTION_COLUMNS, group Alla
    includes_self: bool = False
