"""Encodings and invisible characters: a file is read as written, or refused, never garbled.

Two exports pasted together (UTF-8 and Windows-1252) must not turn "Vård" into "VÃ¥rd"
for half the file; headers, answers and insats names with zero-width spaces, BOMs,
direction marks, soft hyphens or hard spaces read as the same text without them.
"""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from conftest import PAGAENDE_TEXTS, write_csv
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from indikator.errors import CATALOGUE, IndikatorError
from indikator.importing import import_files
from indikator.questionnaires import load_catalog
from indikator.reading import read_file

CATALOG = load_catalog()

# Swedish text; every letter beyond ASCII is 0xC0 or above in Windows-1252, so no run of
# them is by chance also UTF-8 (a dash right after Ä would be: see the fixed examples)
SWEDISH = st.text(st.sampled_from(list("abcdeoprstvAKSV åäöÅÄÖéÉüÜæøÆØ")), min_size=1,
                  max_size=12).filter(lambda s: s.strip())
ENCODINGS = ["utf-8", "utf-8-sig", "cp1252", "utf-16"]


def csv_bytes(rows: list[list[str]], encoding: str) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


@st.composite
def pasted_exports(draw):
    """A header and parts of rows, each part written in its own encoding, pasted together."""
    width = draw(st.integers(1, 4))
    parts = draw(st.lists(st.tuples(
        st.lists(st.lists(SWEDISH, min_size=width, max_size=width), min_size=1, max_size=4),
        st.sampled_from(ENCODINGS)), min_size=1, max_size=3))
    header = [f"Kolumn {i}" for i in range(width)]
    return header, parts


def refused_for_encoding(exc: IndikatorError, path: Path) -> bool:
    (problem,) = exc.problems
    return (problem.code == "mixed-encoding" and str(path) in exc.message
            and f"rad {problem.location.row}" in problem.message
            and "UTF-8" in problem.message and "spara" in problem.message.lower())


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(pasted_exports())
def test_pasted_encodings_are_read_as_written_or_refused(example):
    header, parts = example
    data = csv_bytes([header], parts[0][1])
    data += b"".join(csv_bytes(rows, encoding) for rows, encoding in parts)
    expected = [header] + [row for rows, _ in parts for row in rows]
    same = len({enc.replace("-sig", "") for _, enc in parts}) == 1
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.csv"
        path.write_bytes(data)
        try:
            (sheet,) = read_file(path)
        except IndikatorError as exc:
            assert refused_for_encoding(exc, path), exc.message
            assert not same, exc.message  # one encoding throughout is always read
            return
    got = [[("" if v is None else v) for v in row] for row in sheet.rows]
    assert got == expected


def test_utf8_then_windows_1252_names_the_line_and_what_to_do(tmp_path):
    rows = [["År", "Insats", "F1"], ["2024", "Vård", "4"], ["2024", "Stöd", "5"]]
    data = csv_bytes(rows, "utf-8") + csv_bytes([["2024", "Vård", "3"], ["2024", "Öst", "2"]],
                                                "cp1252")
    path = tmp_path / "styrelse.csv"
    path.write_bytes(data)
    with pytest.raises(IndikatorError) as caught:
        import_files([path], CATALOG)
    message = caught.value.message
    assert "styrelse.csv" in message and "rad 4" in message and "rad 1–3 är UTF-8" in message
    assert "UTF-8" in message and "Windows-1252" in message and "Anteckningar" in message
    assert caught.value.problems[0].code == "mixed-encoding" in CATALOGUE


def test_windows_1252_then_utf8_is_refused_too(tmp_path):
    data = (csv_bytes([["År", "Insats", "F1"], ["2024", "Vård", "4"]], "cp1252")
            + csv_bytes([["2024", "Vård", "3"]], "utf-8-sig"))
    path = tmp_path / "styrelse.csv"
    path.write_bytes(data)
    with pytest.raises(IndikatorError, match=r"rad 1–2 är Windows-1252.*rad 3 är UTF-8"):
        read_file(path)


def test_utf16_then_8bit_text_is_refused(tmp_path):
    for tail in ("a b c d\r\n", "2024;Vård;4\r\n", "2024;Vård;44\r\n"):
        path = tmp_path / "styrelse.csv"
        path.write_bytes(csv_bytes([["År", "Insats", "F1"], ["2024", "Öst", "4"]], "utf-16")
                         + tail.encode("utf-8"))
        with pytest.raises(IndikatorError, match="rad 3 är en annan kodning"):
            read_file(path)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
def test_one_encoding_reads_with_dashes_quotes_and_euro(tmp_path, encoding):
    rows = [["År", "Insats", "Kommentar"],
            ["2024", "Coachingteam – Öst", "”Bra” stöd, 100 € – Åsa’s team"],
            ["2024", "ÅÄÖ åäö éü", "Ä–Ö"]]
    path = write_csv(tmp_path / "a.csv", rows, encoding=encoding)
    if encoding == "cp1252":  # "Ä–" is also the UTF-8 letter Ė: refused, never misread
        with pytest.raises(IndikatorError, match="två teckenkodningar"):
            read_file(path)
        path = write_csv(tmp_path / "a.csv", rows[:2], encoding=encoding)
        rows = rows[:2]
    (sheet,) = read_file(path)
    assert sheet.rows == rows


def test_double_encoded_text_is_repaired_with_a_warning(tmp_path):
    rows = [["År", "Insats", "Kön", "F1"], [2024, "Vård", "Kvinna", 4],
            [2024, "VÃ¥rd", "Kvinna", 5], [2024, "Vård", "Man", 6]]
    path = write_csv(tmp_path / "styrelse.csv", rows, encoding="utf-8")
    result = import_files([path], CATALOG)
    assert set(result.respondents["group"]) == {"Vård"}
    (warning,) = [p for p in result.problems if p.code == "double-encoded-text"]
    assert warning.severity == "warning" and warning.location.row == 3
    assert warning.location.letter == "B"


# ---- invisible characters ----

INVISIBLE = ["\u200b", "\ufeff", "\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d",
             "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u00ad", "\u2060", "\u200c",
             "\u200d", "\u180e"]
HARD_SPACES = ["\u00a0", "\u202f"]


def sprinkle(draw, text: str, marks: list[str], most: int = 3) -> str:
    for _ in range(draw(st.integers(1, most))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(marks)) + text[at:]
    return text


def with_hard_spaces(draw, text: str) -> str:
    """Hard spaces for some spaces and around the text. (A hard space is a space on
    screen: inside a word it splits the word, as Excel shows it.)"""
    text = "".join(draw(st.sampled_from([" ", *HARD_SPACES])) if ch == " " else ch
                   for ch in text)
    if draw(st.booleans()):
        text = draw(st.sampled_from(HARD_SPACES)) + text + draw(st.sampled_from(HARD_SPACES))
    return text


QUESTION_HEADERS = {
    "text": lambda q: q.text, "numbered": lambda q: f"Fråga {q.number}. {q.text}",
    "number": lambda q: f"Fråga {q.number}", "fnumber": lambda q: f"F{q.number}",
    "battery": lambda q: f"F1[SQ{q.number:03d}]",
}
BACKGROUND = [["År", "Årtal"], ["Insats", "Verksamhet", "Vilken insats deltar du i?"],
              ["Kön", "Vilket kön har du?"], ["Svars-id", "Respondent ID", "Löpnummer"],
              ["Enkät"], ["Startdatum", "E-post"]]


@st.composite
def exports(draw):
    survey = draw(st.sampled_from(["deltagare_pagaende", "styrelse", "personal"]))
    questionnaire = CATALOG.get(survey)
    style = draw(st.sampled_from(sorted(QUESTION_HEADERS)))
    background = [draw(st.sampled_from(names)) for names in BACKGROUND]
    header = background + [QUESTION_HEADERS[style](q) for q in questionnaire.questions]
    rows = []
    for i in range(draw(st.integers(1, 6))):
        answers = [draw(st.sampled_from([None, *q.scale.codes, q.scale.label(q.scale.codes[0])]))
                   for q in questionnaire.questions]
        answers[0] = answers[0] or 1  # somebody answered
        rows.append([2024, draw(st.sampled_from(["Vård", "Team Öst", "Stöd & Co"])),
                     draw(st.sampled_from(["Kvinna", "Man", None])), f"R{i}",
                     questionnaire.name, "2024-03-01", *answers])
    marked = [with_hard_spaces(draw, h) if draw(st.booleans()) else h for h in header]
    marked = [sprinkle(draw, h, INVISIBLE) for h in marked]
    return {"header": header, "marked": marked, "rows": rows,
            "format": draw(st.sampled_from(["xlsx", "utf-8", "utf-8-sig", "utf-16"])),
            "sep": draw(st.sampled_from([";", ",", "\t"]))}


def write(example, header, folder: Path) -> Path:
    grid = [header, *example["rows"]]
    if example["format"] == "xlsx":
        book = Workbook()
        for row in grid:
            book.active.append(row)
        path = folder / "export.xlsx"
        book.save(path)
        return path
    return write_csv(folder / "export.csv", grid, sep=example["sep"],
                     encoding=example["format"])


FOLDER = Path(tempfile.mkdtemp(prefix="indikator-enc-"))  # one path: respondent keys hold it


def imported(example, header):
    path = write(example, header, FOLDER)
    try:
        return import_files([path], CATALOG)
    finally:
        path.unlink()


@settings(suppress_health_check=[HealthCheck.too_slow], max_examples=40)
@given(exports())
def test_invisible_characters_in_headers_change_nothing(example):
    clean = imported(example, example["header"])
    marked = imported(example, example["marked"])
    assert not clean.errors, clean.errors
    assert [p.code for p in marked.errors] == [], marked.errors
    pd.testing.assert_frame_equal(marked.answers, clean.answers)
    pd.testing.assert_frame_equal(marked.respondents, clean.respondents)
    roles = [[c.role for c in r.columns] for r in clean.reports]
    assert [[c.role for c in r.columns] for r in marked.reports] == roles
    assert "ignored" not in {c.role for r in marked.reports for c in r.columns}


@st.composite
def marked_values(draw):
    example = draw(exports())
    rows = []
    for row in example["rows"]:
        rows.append([sprinkle(draw, str(v), INVISIBLE, 2)
                     if v is not None and draw(st.booleans()) else v for v in row])
    return example, {**example, "rows": rows}


@settings(suppress_health_check=[HealthCheck.too_slow], max_examples=30)
@given(marked_values())
def test_invisible_characters_in_values_and_names_change_nothing(examples):
    example, marked = examples
    clean = imported(example, example["header"])
    dirty = imported(marked, example["header"])
    assert not dirty.errors, dirty.errors
    pd.testing.assert_frame_equal(dirty.answers, clean.answers)
    pd.testing.assert_frame_equal(dirty.respondents, clean.respondents)


@pytest.mark.parametrize("mark", [*INVISIBLE, *HARD_SPACES])
def test_each_mark_in_each_kind_of_header(tmp_path, mark):
    header = [f"Å{mark}r", f"{mark}Insats", f"Kö{mark}n", f"Svars{mark}-id",
              f"{mark}{PAGAENDE_TEXTS[0][:3]}{mark}{PAGAENDE_TEXTS[0][3:]}",
              f"Frå{mark}ga 2", f"F{mark}3"]
    path = write_csv(tmp_path / "deltagare_pagaende.csv", [header, [2024, "A", 1, "x", 6, 5, 4]],
                     encoding="utf-8")
    result = import_files([path], CATALOG)
    roles = [c.role for c in result.reports[0].columns]
    assert roles == ["year", "group", "gender", "id", "question", "question", "question"]
    assert sorted(result.answers["code"]) == [4, 5, 6]
