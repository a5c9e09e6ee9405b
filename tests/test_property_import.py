"""Property test: exports in many layouts, made from known answers, lose nothing.

Hypothesis draws the answers (codes, blanks, "vet ej", invalid cells), the file
format and dialect, the layout (wide or long), the header style (question text,
numbered text, F-numbers, battery codes, bracketed statements, two header rows,
lost diacritics), title rows, value style and ja/nej coding. The importer must
put every valid answer in the counts, report every invalid cell at its position,
count every "vet ej", account for every row, and never raise.
"""

from __future__ import annotations

import csv
import tempfile
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from indikator.importing import ImportOptions, import_files
from indikator.questionnaires import load_catalog

CATALOG = load_catalog()
SURVEYS = ["deltagare_pagaende", "deltagare_avslut", "styrelse"]
HEADER_STYLES = ["text", "numbered", "fnumber", "battery", "bracket", "two-rows", "ascii"]
VALUE_STYLES = ["codes", "labels", "shouted"]
YES_NO_STYLES = ["Ja/Nej", "J/N", "1/2", "1/0"]
INVALID = ["7", "9", "Kanske", "x?", "99"]
NO_ANSWER = ["Vet ej", "Ej aktuellt", "vill inte svara"]


@dataclass
class Cellspec:
    kind: str  # code | blank | vetej | invalid
    code: int | None = None
    text: str | None = None


def cell_strategy(scale_codes):
    return st.one_of(
        st.builds(lambda c: Cellspec("code", c), st.sampled_from(scale_codes)),
        st.just(Cellspec("blank")),
        st.builds(lambda t: Cellspec("vetej", text=t), st.sampled_from(NO_ANSWER)),
        st.builds(lambda t: Cellspec("invalid", text=t), st.sampled_from(INVALID)),
    )


@st.composite
def exports(draw):
    survey = draw(st.sampled_from(SURVEYS))
    questionnaire = CATALOG.get(survey)
    n = draw(st.integers(1, 8))
    answers = [
        {q.number: draw(cell_strategy(list(q.scale.codes))) for q in questionnaire.questions}
        for _ in range(n)
    ]
    return {
        "survey": survey,
        "answers": answers,
        "groups": [draw(st.sampled_from(["Team A", "Team B", None])) for _ in range(n)],
        "layout": draw(st.sampled_from(["wide", "wide", "long"])),
        "format": draw(st.sampled_from(["xlsx", "csv"])),
        "sep": draw(st.sampled_from([";", ",", "\t"])),
        "encoding": draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"])),
        "header": draw(st.sampled_from(HEADER_STYLES)),
        "values": draw(st.sampled_from(VALUE_STYLES)),
        "yes_no": draw(st.sampled_from(YES_NO_STYLES)),
        "titles": draw(st.integers(0, 2)),
        "blank_rows": draw(st.lists(st.integers(0, n), max_size=2)),
    }


def strip_diacritics(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def header_for(question, style) -> list[str]:
    """One or two header cells (upper, lower) for a question column."""
    text = question.text
    if style == "numbered":
        return [f"Fråga {question.number}. {text}"]
    if style == "fnumber":
        return [f"F{question.number}"]
    if style == "battery":
        return [f"F1[SQ{question.number:03d}]"]
    if style == "bracket":
        return [f"Hur upplever du stödet? [{text}]"]
    if style == "two-rows":
        return ["Om stödet", text]
    if style == "ascii":
        return [strip_diacritics(text).upper()]
    return [text]


def value_for(spec: Cellspec, question, style, yes_no):
    if spec.kind == "blank":
        return None
    if spec.kind in ("vetej", "invalid"):
        return spec.text
    if question.scale.id == "ja_nej" and yes_no != "Ja/Nej":
        return {"J/N": {1: "J", 2: "N"}, "1/2": {1: 1, 2: 2}, "1/0": {1: 1, 2: 0}}[yes_no][
            spec.code]
    if style == "codes":
        return spec.code
    label = question.scale.label(spec.code)
    return f"  {label.upper()} " if style == "shouted" else label


def build(example, folder: Path):
    """Write the export; return its path and the expected invalid cells as (row, header)."""
    questionnaire = CATALOG.get(example["survey"])
    questions = questionnaire.questions
    grid: list[list] = [[f"Indikatorenkät {example['survey']} (export)"]] * example["titles"]
    invalid: set[tuple[int, str]] = set()
    if example["layout"] == "wide":
        style = example["header"]
        cells = [header_for(q, style) for q in questions]
        two = style == "two-rows"
        if two:
            grid.append([None, None, *[c[0] for c in cells]])
        shown = [c[-1] for c in cells]
        grid.append(["År", "Insats", *shown])
        body = []
        for answers, group in zip(example["answers"], example["groups"], strict=True):
            body.append([2024, group, *[value_for(answers[q.number], q, example["values"],
                                                  example["yes_no"]) for q in questions]])
        for position in sorted(example["blank_rows"], reverse=True):
            body.insert(position, [None] * (2 + len(questions)))
        start = len(grid) + 1
        for offset, row in enumerate(body):
            for header, value in zip(shown, row[2:], strict=True):
                if value in INVALID:
                    invalid.add((start + offset, header))
        grid += body
    else:
        grid.append(["Svars-ID", "År", "Insats", "Fråga", "Svar"])
        for i, (answers, group) in enumerate(zip(example["answers"], example["groups"],
                                                 strict=True)):
            for q in questions:
                value = value_for(answers[q.number], q, example["values"], example["yes_no"])
                grid.append([f"R{i}", 2024, group, f"F{q.number}", value])
                if value in INVALID:
                    invalid.add((len(grid), "Svar"))
    name = example["survey"]
    if example["format"] == "xlsx":
        book = Workbook()
        sheet = book.active
        sheet.title = "Svar"
        for row in grid:
            sheet.append(row)
        path = folder / f"{name}.xlsx"
        book.save(path)
    else:
        path = folder / f"{name}.csv"
        encoding = example["encoding"]
        with path.open("w", encoding=encoding, newline="", errors="replace") as f:
            writer = csv.writer(f, delimiter=example["sep"])
            for row in grid:
                writer.writerow(["" if v is None else v for v in row])
    return path, invalid


def expected_counts(example) -> Counter:
    counts = Counter()
    for answers in example["answers"]:
        for number, spec in answers.items():
            if spec.kind == "code":
                counts[(number, spec.code)] += 1
    return counts


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(exports())
def test_every_answer_lands_and_every_invalid_cell_is_reported(example):
    with tempfile.TemporaryDirectory() as tmp:
        path, invalid = build(example, Path(tmp))
        result = import_files([path], CATALOG)  # must not raise
        skipped = import_files([path], CATALOG, ImportOptions(skip_invalid=True))

    # somebody answered something (a code or "vet ej"); else "no data" is the right error
    people = sum(any(s.kind in ("code", "vetej") for s in a.values())
                 for a in example["answers"])
    allowed = set() if people else {"no-data"}
    reported = {(p.location.row, p.location.column) for p in result.errors
                if p.code == "invalid-value"}
    assert reported == invalid
    assert {p.code for p in result.errors} - {"invalid-value"} <= allowed, result.errors
    assert {(p.location.row, p.location.column) for p in skipped.skipped_invalid} == invalid
    assert {p.code for p in skipped.errors} <= allowed, skipped.errors

    got = Counter(zip(skipped.answers["question"], skipped.answers["code"], strict=True))
    assert got == expected_counts(example)
    vetej = sum(spec.kind == "vetej" for a in example["answers"] for spec in a.values())
    assert len(skipped.no_answers) == vetej
    for report in skipped.reports:
        assert report.accounted
    if example["layout"] == "wide":
        report = skipped.reports[0]
        n = len(example["answers"])
        # blank rows after the last respondent are not data rows: the sheet ends there
        data_rows = n + sum(1 for position in example["blank_rows"] if position < n)
        assert report.rows_read == data_rows
        assert report.respondents == people


# names of insatser from all of Unicode, and pairs that an ASCII fold would make one
COLLIDING = [("Команда А", "Команда Б"), ("a:b", "a*b", "a?b"), ("🚀", "🎯"), ("X", "–"),
             (".", ".."), ("Team A", "Team-A", "Team_A"), ("Ålands team", "Alands team"),
             ("東京", "大阪")]
NAME = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1,
               max_size=14).filter(lambda s: s.strip() and not s.lstrip().startswith("="))


@st.composite
def insats_exports(draw):
    pool = draw(st.one_of(st.lists(NAME, min_size=1, max_size=4),
                          st.sampled_from(COLLIDING).map(list)))
    # spelling variants of a name that must be merged: case, spaces, invisible marks
    variants = [v for name in pool for v in (name, f"  {name.upper()} ", f"{name}\u200b")]
    people = draw(st.lists(st.sampled_from(variants), min_size=1, max_size=25))
    return {"names": people, "format": draw(st.sampled_from(["xlsx", "csv"]))}


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", "."))
    except ValueError:
        return False
    return True


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(insats_exports())
def test_insats_names_are_never_merged_or_lost(example):
    from indikator.text import name_key

    names = [n for n in example["names"] if not _is_number(n.strip())
             and name_key(n) not in ("alla", "")]  # only invisible characters: a blank cell
    if not names:
        return
    rows = [["År", "Insats", "F1"], *[[2024, name, 4] for name in names]]
    with tempfile.TemporaryDirectory() as tmp:
        if example["format"] == "xlsx":
            book = Workbook()
            for row in rows:
                book.active.append(row)
            path = Path(tmp) / "styrelse.xlsx"
            book.save(path)
        else:
            path = Path(tmp) / "styrelse.csv"
            with path.open("w", encoding="utf-8", newline="") as f:
                csv.writer(f, delimiter=";").writerows(rows)
        result = import_files([path], CATALOG)
    assert not result.errors, result.errors
    got = Counter(result.respondents["group"])
    expected = Counter(name_key(n) for n in names)
    # one group per spelling key, never two keys in one group, none lost
    assert sorted(Counter(name_key(g) for g in result.respondents["group"]).items()) == sorted(
        expected.items())
    assert len(got) == len(expected)


# ---- who is one person: ids reused across förbund and exports, an export given twice ----

@st.composite
def populations(draw):
    """Several förbund, each with one or more exports that number their respondents
    their own way (R001 …, 1, 2 …, or no id), in one file with a Förbund column, a file
    per export with one, or files without; answers drawn from a seeded generator, many
    alike (`skew`: the share answering 6, 6, 6); sometimes a byte copy of one file."""
    layout = draw(st.sampled_from(["one file", "file per export", "no column"]))
    exports = []
    for f in range(draw(st.integers(1, 3))):
        for _ in range(1 if layout == "one file" else draw(st.integers(1, 3))):
            exports.append({"forbund": f"Förbund {'ABC'[f]}", "size": draw(st.integers(1, 40)),
                            "ids": draw(st.sampled_from(["R", "number", "none"])),
                            "year": draw(st.sampled_from([2023, 2024])),
                            "insats": draw(st.sampled_from([None, "Team A", "Team B"])),
                            "format": draw(st.sampled_from(["csv", "xlsx"]))})
    return {"layout": layout, "exports": exports, "skew": draw(st.floats(0, 1)),
            "seed": draw(st.integers(0, 2**32 - 1)),
            "copy": draw(st.none() | st.integers(0, 8))}


def write_population(example, folder: Path) -> list[tuple[Path, int]]:
    """The files, each with its number of people (on rows 2, 3 …)."""
    import random
    import shutil

    rnd = random.Random(example["seed"])
    column = example["layout"] != "no column"
    header = [*(["Förbund"] if column else []), "Svars-ID", "År", "Insats", "F1", "F2", "F3"]

    def rows(export):
        out = []
        for i in range(export["size"]):
            rid = {"R": f"R{i + 1:03d}", "number": i + 1, "none": None}[export["ids"]]
            answers = ([6, 6, 6] if rnd.random() < example["skew"]
                       else [rnd.randint(1, 6) for _ in range(3)])
            out.append([*([export["forbund"]] if column else []), rid, export["year"],
                        export["insats"], *answers])
        return out

    def write(name, fmt, body):
        if fmt == "xlsx":
            book = Workbook()
            for row in [header, *body]:
                book.active.append(row)
            path = folder / f"{name}.xlsx"
            book.save(path)
            return path
        path = folder / f"{name}.csv"
        with path.open("w", encoding="utf-8", newline="") as f:
            csv.writer(f, delimiter=";").writerows(
                [["" if v is None else v for v in row] for row in [header, *body]])
        return path

    exports = example["exports"]
    if example["layout"] == "one file":
        body = [row for export in exports for row in rows(export)]
        files = [(write("styrelse alla", exports[0]["format"], body), len(body))]
    else:
        files = [(write(f"styrelse {k}", export["format"], rows(export)), export["size"])
                 for k, export in enumerate(exports)]
    if example["copy"] is not None:
        original, size = files[example["copy"] % len(files)]
        copy = folder / f"kopia av {original.name}"
        shutil.copyfile(original, copy)
        files.append((copy, size))
    return files


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(populations())
def test_every_person_is_kept_once_whatever_their_ids(example):
    """Every generated person is kept, once, as the file and row that hold them; a file
    with exactly the bytes of an earlier one (a copy, or two tiny exports that happen to
    be alike) is counted once, as documented."""
    with tempfile.TemporaryDirectory() as tmp:
        files = write_population(example, Path(tmp))
        contents: set[bytes] = set()
        expected = []
        for path, size in files:
            if (data := path.read_bytes()) not in contents:
                expected += [(path.name, row) for row in range(2, 2 + size)]
            contents.add(data)
        result = import_files([path for path, _ in files], CATALOG)
    assert not result.errors, result.errors
    assert not [p for p in result.problems if p.code in (
        "duplicate-respondent", "conflicting-respondent")]
    people = result.respondents
    assert sorted(zip(people["file"], people["row"], strict=True)) == sorted(expected)
    for report in result.reports:
        assert report.accounted, report

