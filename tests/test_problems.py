"""Problems have a catalogue, positions with both column letter and header, and every row
of every sheet is accounted for — also when a sheet-level problem stops the sheet."""

import json
import re
from pathlib import Path

import pytest
from conftest import PAGAENDE_TEXTS, write_csv, write_xlsx
from test_cli import run

from indikator.errors import CATALOGUE, Location, Problem
from indikator.importing import import_files

SOURCE = Path(__file__).resolve().parent.parent / "indikator"


def test_every_code_used_is_in_the_catalogue():
    used = set()
    for path in SOURCE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r'Problem\(\s*"([a-z][a-z-]+)"', text))
        used |= set(re.findall(r'\(\s*"((?:header|invalid)-[a-z-]+)",', text))
    assert len(used) > 30
    assert used <= set(CATALOGUE), used - set(CATALOGUE)
    with pytest.raises(ValueError):
        Problem("no-such-code", "x", Location("f"))


def test_unrecognised_header_rows_are_accounted(tmp_path, catalog):
    path = write_csv(tmp_path / "okand.csv", [["Namn", "Hej", "Svar"], ["a", 1, 2], ["b", 2, 3],
                                              ["c", 3, 4]])
    result = import_files([path], catalog)
    (report,) = result.reports
    assert report.rows_read == 3 and report.rows_unread == 3 and report.accounted
    out = run("validate", path)
    assert out.exit_code == 1
    assert "Rader lästa: 3 = 0 svarande" in out.stdout and "3 i blad som inte lästes" in out.stdout


def test_sheet_stopped_by_a_sheet_level_error_is_accounted(tmp_path, catalog):
    # two År columns: the sheet cannot be read; its 4 rows are accounted as unread
    rows = [["År", "År", "F1"], *[[2024, 2024, 3]] * 4]
    path = write_xlsx(tmp_path / "styrelse.xlsx", {"Blad1": rows})
    result = import_files([path], catalog)
    (report,) = result.reports
    assert (report.rows_read, report.rows_unread) == (4, 4) and report.accounted
    (problem,) = [p for p in result.problems if p.code == "duplicate-column"]
    assert 'A "År"' in problem.message and 'B "År"' in problem.message


def test_duplicates_are_recounted_not_subtracted(tmp_path, catalog):
    # the first 20 rows of an export of 30, pasted into a second workbook
    rows = [["Svars-ID", "År", "F1", "F2"],
            *[[f"a{i}", 2024, 1 + i % 6, 1 + i // 6] for i in range(30)]]
    one = write_xlsx(tmp_path / "styrelse_1.xlsx", {"Styrelse": rows})
    two = write_xlsx(tmp_path / "styrelse_2.xlsx", {"Styrelse": rows[:21]})
    result = import_files([one, two], catalog)
    first, second = result.reports
    assert (first.rows_used, first.respondents, first.answers) == (30, 30, 60)
    assert (second.rows_used, second.rows_duplicate, second.respondents, second.answers) == (
        0, 20, 0, 0)
    assert first.accounted and second.accounted and len(result.respondents) == 30


def test_validate_json_has_codes_and_positions(tmp_path):
    header = ["År", "Kön", *PAGAENDE_TEXTS[:3]]
    rows = [header, [2024, 1, 3, 4, 5], [2024, "Kvinan", "Alldrig", 4, 5]]
    path = write_xlsx(tmp_path / "deltagare_pagaende.xlsx", {"Svar": rows})
    result = run("validate", path, "--json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    by_code = {p["code"]: p for p in document["problems"]}
    invalid = by_code["invalid-value"]
    assert (invalid["row"], invalid["column"], invalid["header"]) == (3, "C", PAGAENDE_TEXTS[0])
    assert invalid["title"] == CATALOGUE["invalid-value"]
    assert "Menade du Aldrig?" in invalid["message"]
    gender = by_code["invalid-background"]
    assert gender["column"] == "B" and "bakgrundskolumn, inte en fråga" in gender["message"]
    assert "Menade du Kvinna?" in gender["message"]
    assert document["errors"] == 2 and document["sheets"][0]["accounted"] is True


def test_a_problem_on_many_rows_is_summed_up_not_repeated():
    from indikator.errors import Location, Problem
    from indikator.report.summary import problem_lines

    many = [Problem("invalid-value", "Värdet finns inte på skalan.",
                    Location("svar.csv", None, row, "Fråga 1", "D"), value=str(row))
            for row in range(2, 40)]
    other = Problem("invalid-value", "Värdet finns inte på skalan.",
                    Location("svar.csv", None, 7, "Fråga 2", "E"))
    lines = problem_lines([*many, other])
    assert len(lines) == 3 + 1 + 1
    assert lines[0].startswith("  FEL: svar.csv, rad 2, kolumn D")
    assert "samma sak på 35 rader till i svar.csv, kolumn D" in lines[3]
    assert "rad 5, 6, 7" in lines[3] and "…" in lines[3]
    assert "kolumn E" in lines[4]  # another column is its own problem
    assert problem_lines(many[:10]) == [f"  FEL: {p}" for p in many[:10]]
