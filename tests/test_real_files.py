"""What an outside tester broke: real Excel habits and careless exports. Each case keeps
every answer, or stops with a message that names the place; none is silently changed."""

import codecs

import pytest
from conftest import PAGAENDE_TEXTS, write_csv, write_xlsx
from openpyxl import Workbook

from indikator.errors import IndikatorError
from indikator.importing import import_files

BOARD = ["År", "F1", "F2", "F3"]


def codes(result, question):
    df = result.answers
    return sorted(df.loc[df["question"] == question, "code"])


def test_unclosed_quote_names_its_line(tmp_path, catalog):
    lines = ["År;Insats;F1;Kommentar"] + [f"2024;A;{1 + i % 6};" for i in range(3)]
    lines += ['2024;A;4;"Bra stöd, tack'] + [f"2024;B;{1 + i % 6};" for i in range(15)]
    path = tmp_path / "styrelse.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(IndikatorError) as info:
        import_files([path], catalog)
    assert "rad 5" in info.value.message and "citattecken" in info.value.message


def test_a_comment_over_a_few_lines_is_fine(tmp_path, catalog):
    path = tmp_path / "styrelse.csv"
    path.write_text('År;F1;Kommentar\n2024;3;"rad ett\nrad två\nrad tre"\n2024;4;\n',
                    encoding="utf-8")
    assert codes(import_files([path], catalog), 1) == [3, 4]


def test_same_export_under_two_names_is_warned(tmp_path, catalog):
    rows = [BOARD, *[[2024, 1 + i % 6, 4, 5] for i in range(6)]]
    one = write_csv(tmp_path / "styrelse.csv", rows)
    two = write_csv(tmp_path / "styrelse (1).csv", rows)
    result = import_files([one, two], catalog)
    (warning,) = [p for p in result.problems if p.code == "duplicate-export"]
    assert "styrelse.csv" in warning.message and "styrelse (1).csv" in warning.message
    assert warning.severity == "warning" and len(result.respondents) == 6


def board_book(rows: list[list]) -> tuple[Workbook, object]:
    """A workbook with a Styrelse sheet of BOARD and `rows`, to edit before saving."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Styrelse"
    for row in [BOARD, *rows]:
        sheet.append(row)
    return book, sheet


def test_formulas_without_values_stop_with_positions(tmp_path, catalog):
    # openpyxl stores formulas with no computed values
    book, _ = board_book([[2024, "=2+2" if i < 2 else 4, 5, 6] for i in range(6)])
    path = tmp_path / "styrelse.xlsx"
    book.save(path)
    result = import_files([path], catalog)
    found = [p for p in result.errors if p.code == "formula-without-value"]
    assert [(p.location.row, p.location.letter) for p in found] == [(2, "B"), (3, "B")]


def test_merged_answer_cells_count_once(tmp_path, catalog):
    book, sheet = board_book([[2024, 4, 5, 6]] * 12)
    sheet.merge_cells("B2:D2")  # one answer in B2, C2 and D2 are empty in the file
    path = tmp_path / "styrelse.xlsx"
    book.save(path)
    result = import_files([path], catalog)
    assert [len(codes(result, q)) for q in (1, 2, 3)] == [12, 11, 11]
    assert any(p.code == "merged-answer-cells" for p in result.problems)


def test_hidden_sheet_and_rows_are_skipped_with_a_word(tmp_path, catalog):
    book, visible = board_book([[2024, 4, 5, 6]] * 12)
    copy = book.copy_worksheet(visible)
    copy.title = "Styrelse test"
    copy.sheet_state = "hidden"
    visible.row_dimensions[3].hidden = True
    path = tmp_path / "styrelse.xlsx"
    book.save(path)
    result = import_files([path], catalog)
    assert len(result.respondents) == 11
    codes_found = {p.code for p in result.problems}
    assert {"hidden-sheet", "hidden-rows"} <= codes_found
    assert all(r.accounted for r in result.reports)
    assert result.reports[0].rows_hidden == 1


def test_excel_unicode_text_export(tmp_path, catalog):
    text = "\t".join(["År", *PAGAENDE_TEXTS[:2]]) + "\r\n2024\tAlltid\tOfta\r\n"
    path = tmp_path / "deltagare_pagaende.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    result = import_files([path], catalog)
    assert not result.errors and codes(result, 1) == [6]


def test_very_long_insats_names(tmp_path):
    from test_cli import run

    long, huge = "Arbetsträning " * 22, "x" * 30_000  # an Excel cell holds 32 767 characters
    rows = [["År", "Insats", "F1", "F2", "F3"]]
    rows += [[2024, long, 4, 5, 6]] * 5 + [[2024, huge, 3, 4, 5]] * 5 + [[2024, "B", 1, 2, 3]] * 5
    path = write_xlsx(tmp_path / "styrelse.xlsx", {"Styrelse": rows})
    result = run("pack", path, "--out", tmp_path / "p", "--jobs", 1)
    assert result.exit_code == 0, result.output[:2000]
    charts = sorted(p.name for p in (tmp_path / "p" / "diagram").glob("*.png"))
    assert len(charts) == 4 and max(len(c) for c in charts) < 100
    assert len(result.stdout) < 5_000  # the long name is cut where it is printed


def test_megabyte_field_in_a_csv(tmp_path):
    from test_cli import run

    path = tmp_path / "styrelse.csv"
    path.write_text("År;Insats;F1\n2024;A;4\n2024;" + "x" * 1_000_000 + ";4\n", encoding="utf-8")
    result = run("validate", path)
    assert result.exit_code == 2 and "rad 3" in result.stderr and "längre än" in result.stderr


@pytest.mark.parametrize("mark", ["\u200b", "\u00a0", "\u200e", "NFD"])
def test_invisible_marks_in_headers(tmp_path, catalog, mark):
    import unicodedata

    text = PAGAENDE_TEXTS[0]
    header = (unicodedata.normalize("NFD", text) if mark == "NFD"
              else text.replace(" ", mark + " ", 1) if mark != "\u00a0"
              else text.replace(" ", mark))
    path = write_csv(tmp_path / "deltagare_pagaende.csv", [["År", header], [2024, "Alltid"]])
    assert codes(import_files([path], catalog), 1) == [6]


def test_note_far_right_and_trailing_separators(tmp_path, catalog):
    rows = [[*BOARD, *[None] * 20, "Exporterad 2025-03-01"], *[[2024, 4, 5, 6]] * 6]
    path = write_xlsx(tmp_path / "styrelse.xlsx", {"Styrelse": rows})
    assert codes(import_files([path], catalog), 1) == [4] * 6
    csv_path = tmp_path / "styrelse.csv"
    csv_path.write_text("År;F1;F2;F3;;;\n" + "2024;4;5;6;;;\n" * 6, encoding="utf-8")
    assert codes(import_files([csv_path], catalog), 2) == [5] * 6


def test_years_written_as_dates(tmp_path, catalog):
    import datetime

    rows = [BOARD, *[[datetime.datetime(2025, 1, 1), 4, 5, 6]] * 3, ["2025,0", 4, 5, 6]]
    path = write_xlsx(tmp_path / "styrelse.xlsx", {"Styrelse": rows})
    result = import_files([path], catalog)
    assert not result.errors and set(result.respondents["year"]) == {2025}
    assert any(p.code == "year-from-date" for p in result.problems)


def test_superscript_digits_are_invalid_not_codes(tmp_path, catalog):
    path = write_csv(tmp_path / "styrelse.csv", [["År", "Kön", "F1"], [2024, "²", 4],
                                                 [2024, 1, "²"]])
    result = import_files([path], catalog)
    assert sorted(p.code for p in result.errors) == ["invalid-background", "invalid-value"]
