"""Who is one person: a svars-id names a respondent only within one export, together
with förbund, survey and year; what is counted once across files is an export given
twice (the same bytes, or the same rows in the same order, too many for chance)."""

import random
import shutil

import pytest
from conftest import PAGAENDE_TEXTS, write_csv, write_xlsx

from indikator.errors import PUBLIC_MESSAGES
from indikator.importing import import_files

BOARD = ["År", "F1", "F2", "F3"]  # styrelse: three questions of six answers
SAME = {"duplicate-respondent", "conflicting-respondent", "duplicate-export", "same-rows"}


def answers(n: int, seed: int) -> list[list[int]]:
    rnd = random.Random(seed)
    return [[rnd.randint(1, 6) for _ in range(3)] for _ in range(n)]


def flagged(result) -> list:
    """Problems about the same person or export twice."""
    return [p for p in result.problems if p.code in SAME]


def kept(result) -> list[tuple]:
    """Each kept respondent as (file, Excel row): who it is, whatever its svars-id."""
    people = result.respondents
    return sorted(zip(people["file"], people["row"], strict=True))


def assert_accounted(result) -> None:
    for r in result.reports:
        assert r.rows_read == (r.rows_used + r.rows_empty + r.rows_incomplete
                               + r.rows_duplicate + r.rows_error + r.rows_unread
                               + r.rows_hidden), r
    assert sum(r.respondents for r in result.reports) == len(result.respondents)


def second(kind: str, first: list[list[int]]) -> list[list[int]]:
    """Another förbund's answers: the same, all different, or every other one the same."""
    if kind == "identical":
        return [list(a) for a in first]
    other = [[1 + (x + 2) % 6 for x in a] for a in first]
    if kind == "different":
        return other
    return [a if i % 2 else o for i, (a, o) in enumerate(zip(first, other, strict=True))]


@pytest.mark.parametrize("kind", ["identical", "different", "partly"])
def test_ids_reused_across_forbund_in_one_file(tmp_path, catalog, kind):
    first = answers(40, 1)
    rows = [["Förbund", "Svars-ID", *BOARD]]
    rows += [["Förbund A", f"R{i + 1:03d}", 2024, *a] for i, a in enumerate(first)]
    rows += [["Förbund B", f"R{i + 1:03d}", 2024, *a]
             for i, a in enumerate(second(kind, first))]
    result = import_files([write_csv(tmp_path / "styrelse.csv", rows)], catalog)
    assert not result.errors and not flagged(result)
    assert kept(result) == [("styrelse.csv", row) for row in range(2, 82)]
    assert sorted(result.respondents["forbund"].value_counts().items()) == [
        ("Förbund A", 40), ("Förbund B", 40)]
    assert_accounted(result)


@pytest.mark.parametrize("kind", ["identical", "different", "partly"])
def test_ids_reused_across_forbund_in_two_files(tmp_path, catalog, kind):
    first = answers(40, 2)
    a = write_csv(tmp_path / "styrelse_a.csv", [["Förbund", "Svars-ID", *BOARD]] + [
        ["Förbund A", f"R{i + 1:03d}", 2024, *x] for i, x in enumerate(first)])
    b = write_xlsx(tmp_path / "styrelse_b.xlsx", {"Styrelse": [["Förbund", "Svars-ID", *BOARD]] + [
        ["Förbund B", f"R{i + 1:03d}", 2024, *x] for i, x in enumerate(second(kind, first))]})
    result = import_files([a, b], catalog)
    assert not result.errors and not flagged(result)
    assert kept(result) == [("styrelse_a.csv", row) for row in range(2, 42)] + [
        ("styrelse_b.xlsx", row) for row in range(2, 42)]
    assert_accounted(result)


def test_ids_reused_across_forbund_in_a_long_file(tmp_path, catalog):
    rows = [["Förbund", "Svars-ID", "År", "Fråga", "Svar"]]
    for forbund, base in (("A", 1), ("B", 4)):
        for rid in ("R1", "R2"):
            rows += [[forbund, rid, 2024, f"F{q}", base + q % 3] for q in (1, 2, 3)]
    result = import_files([write_xlsx(tmp_path / "styrelse.xlsx", {"Svar": rows})], catalog)
    assert not result.errors, result.errors
    assert sorted(result.respondents["forbund"]) == ["A", "A", "B", "B"]
    assert sorted(result.answers["code"]) == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6]
    assert_accounted(result)


def test_two_exports_of_one_forbund_each_from_r001(tmp_path, catalog):
    # one export per insats, no Insats column: the file tells them apart, not the id;
    # some R-numbers carry the same answers in both, by chance
    header = ["Svars-ID", "År", *PAGAENDE_TEXTS]
    rnd = random.Random(7)

    def export(n):
        return [header] + [[f"R{i + 1:03d}", 2024, *[rnd.choice([4, 5, 6]) for _ in range(3)],
                            "Ja", *[rnd.choice([5, 6]) for _ in range(3)]] for i in range(n)]

    one, two = export(120), export(90)
    for i in range(0, 90, 3):
        two[1 + i] = list(one[1 + i])  # R001, R004 …: equal rows, other people
    paths = [write_csv(tmp_path / "deltagare_pagaende coachingteam.csv", one),
             write_csv(tmp_path / "deltagare_pagaende irma.csv", two)]
    result = import_files(paths, catalog)
    assert not result.errors and not flagged(result)
    assert len(result.respondents) == 210
    assert kept(result) == sorted([(paths[0].name, r) for r in range(2, 122)]
                                  + [(paths[1].name, r) for r in range(2, 92)])
    assert_accounted(result)


@pytest.mark.parametrize("ids", [True, False])
def test_different_people_with_the_same_answers_are_kept(tmp_path, catalog, ids):
    # a three-question survey where nearly everyone answers 6, 6, 6: equal rows, even
    # long runs of equal rows, are different people
    def export(n, seed):
        rnd = random.Random(seed)
        body = [[2024, *([6, 6, 6] if rnd.random() < 0.8 else [5, 6, 6])] for _ in range(n)]
        return [(["Svars-ID"] if ids else []) + BOARD] + [
            ([f"R{i + 1}"] if ids else []) + row for i, row in enumerate(body)]

    paths = [write_csv(tmp_path / "styrelse_a.csv", export(30, 1)),
             write_xlsx(tmp_path / "styrelse_b.xlsx", {"Styrelse": export(30, 2)}),
             write_xlsx(tmp_path / "styrelse_c.xlsx", {"Styrelse": [
                 BOARD if not ids else ["Svars-ID", *BOARD]] + [
                 ([f"R{i + 1}"] if ids else []) + [2024, 6, 6, 6] for i in range(30)]})]
    result = import_files(paths, catalog)
    assert not result.errors and not flagged(result)
    assert len(result.respondents) == 90
    assert_accounted(result)


def no_private_cells(problem, rows) -> None:
    """The message names files, sheets and rows; never a svars-id or an answer cell."""
    assert problem.code in PUBLIC_MESSAGES
    for row in rows[1:]:
        if isinstance(row[0], str) and row[0].startswith("R"):
            assert row[0] not in problem.message


def test_a_byte_copy_under_another_name_is_counted_once(tmp_path, catalog):
    rows = [["Svars-ID", *BOARD]] + [[f"R{i + 1}", 2024, *a] for i, a in enumerate(answers(3, 3))]
    one = write_csv(tmp_path / "styrelse.csv", rows)
    copy = tmp_path / "kopia av styrelse.csv"
    shutil.copyfile(one, copy)
    result = import_files([one, copy], catalog)
    (warning,) = flagged(result)
    assert (warning.code, warning.severity) == ("duplicate-export", "warning")
    assert "styrelse.csv" in warning.message and "kopia av styrelse.csv" in warning.message
    no_private_cells(warning, rows)
    assert kept(result) == [("styrelse.csv", 2), ("styrelse.csv", 3), ("styrelse.csv", 4)]
    assert [(r.rows_read, r.rows_used, r.rows_duplicate) for r in result.reports] == [
        (3, 3, 0), (3, 0, 3)]
    assert_accounted(result)


@pytest.mark.parametrize("ids", [True, False])
def test_the_same_rows_in_a_second_workbook_are_counted_once(tmp_path, catalog, ids):
    rows = [(["Svars-ID"] if ids else []) + BOARD] + [
        ([f"R{i + 1}"] if ids else []) + [2024, *a] for i, a in enumerate(answers(25, 4))]
    one = write_csv(tmp_path / "styrelse.csv", rows)
    # pasted below a title row, with a blank row on top: other row numbers
    two = write_xlsx(tmp_path / "styrelse klistrad.xlsx",
                     {"Blad1": [["Styrelseenkät 2024"], [None], *rows]})
    result = import_files([one, two], catalog)
    (warning,) = flagged(result)
    assert (warning.code, warning.severity) == ("duplicate-export", "warning")
    assert "styrelse.csv (rad 2–26)" in warning.message
    assert 'styrelse klistrad.xlsx, blad "Blad1" (rad 4–28)' in warning.message
    no_private_cells(warning, rows)
    assert kept(result) == [("styrelse.csv", row) for row in range(2, 27)]
    report = result.reports[1]
    assert (report.rows_read, report.rows_used, report.rows_duplicate) == (25, 0, 25)
    assert_accounted(result)


@pytest.mark.parametrize("order", ["earlier first", "cumulative first"])
def test_a_cumulative_export_holding_an_earlier_one(tmp_path, catalog, order):
    header = ["Svars-ID", "År", "Insats", *BOARD[1:]]
    year = [header] + [[f"R{i + 1:03d}", 2024, "AB"[i % 2], *a]
                       for i, a in enumerate(answers(60, 5))]
    half = write_csv(tmp_path / "styrelse jan-jun.csv", year[:31])
    whole = write_csv(tmp_path / "styrelse jan-dec.csv", year)
    paths = [half, whole] if order == "earlier first" else [whole, half]
    result = import_files(paths, catalog)
    (warning,) = flagged(result)
    assert warning.code == "duplicate-export" and warning.location.file == paths[1].name
    if order == "earlier first":
        assert kept(result) == [(whole.name, row) for row in range(32, 62)] + [
            (half.name, row) for row in range(2, 32)]
    else:
        assert kept(result) == [(whole.name, row) for row in range(2, 62)]
    duplicate = result.reports[1]
    assert duplicate.rows_duplicate == 30
    assert sum(r.rows_used for r in result.reports) == 60
    assert_accounted(result)


def test_a_short_equal_run_is_warned_not_dropped(tmp_path, catalog):
    # 8 board members pasted twice: too few rows to be sure it is not 16 people
    rows = [BOARD] + [[2024, *a] for a in answers(8, 6)]
    one = write_csv(tmp_path / "styrelse.csv", rows)
    two = write_xlsx(tmp_path / "styrelse.xlsx", {"Styrelse": rows})
    result = import_files([one, two], catalog)
    (warning,) = flagged(result)
    assert (warning.code, warning.severity) == ("same-rows", "warning")
    assert "styrelse.csv" in warning.message and "styrelse.xlsx" in warning.message
    assert len(result.respondents) == 16
    assert_accounted(result)


def test_an_export_sorted_anew_is_warned(tmp_path, catalog):
    rows = [["Svars-ID", *BOARD]] + [[f"R{i + 1}", 2024, *a]
                                     for i, a in enumerate(answers(40, 8))]
    one = write_csv(tmp_path / "styrelse.csv", rows)
    two = write_csv(tmp_path / "styrelse sorterad.csv",
                    [rows[0], *sorted(rows[1:], key=lambda r: (r[2], r[3], r[4], r[0]))])
    result = import_files([one, two], catalog)
    (warning,) = flagged(result)
    assert warning.code == "same-rows" and "40 rader" in warning.message
    no_private_cells(warning, rows)
    assert len(result.respondents) == 80


def test_an_export_three_times_is_counted_once_and_warned_twice(tmp_path, catalog):
    rows = [BOARD] + [[2024, *a] for a in answers(30, 9)]
    paths = [write_csv(tmp_path / "styrelse.csv", rows),
             write_xlsx(tmp_path / "styrelse 2.xlsx", {"Styrelse": rows}),
             write_xlsx(tmp_path / "styrelse 3.xlsx", {"Blad1": [["Styrelsen"], *rows]})]
    result = import_files(paths, catalog)
    assert [(p.code, p.location.file) for p in flagged(result)] == [
        ("duplicate-export", "styrelse 2.xlsx"), ("duplicate-export", "styrelse 3.xlsx")]
    assert kept(result) == [("styrelse.csv", row) for row in range(2, 32)]
    assert [r.rows_duplicate for r in result.reports] == [0, 30, 30]
    assert_accounted(result)


def test_a_copy_with_the_same_name_in_another_folder(tmp_path, catalog):
    rows = [BOARD, [2024, 1, 2, 3]]
    (tmp_path / "mars").mkdir()
    (tmp_path / "april").mkdir()
    one = write_csv(tmp_path / "mars" / "styrelse.csv", rows)
    two = write_csv(tmp_path / "april" / "styrelse.csv", rows)
    result = import_files([one, two], catalog)
    (warning,) = flagged(result)
    assert warning.message.startswith("april/styrelse.csv har exakt samma innehåll som "
                                      "mars/styrelse.csv")
    assert str(tmp_path) not in warning.message  # no private folders in a published message
    assert len(result.respondents) == 1


def test_an_export_that_repeats_itself_pasted_again(tmp_path, catalog):
    # a block of 20 rows 40 times over (every gram found 40 times in the first sheet):
    # the second copy, one row inserted in the middle, is one export again, counted once
    rows = [BOARD] + [[2024, *a] for a in answers(20, 11)] * 40
    one = write_csv(tmp_path / "styrelse.csv", rows)
    two = write_xlsx(tmp_path / "styrelse.xlsx",
                     {"Styrelse": [*rows[:401], [2024, 6, 5, 4], *rows[401:]]})
    result = import_files([one, two], catalog)
    (warning,) = flagged(result)
    assert warning.message.startswith('800 svarande i styrelse.xlsx, blad "Styrelse" '
                                      "(rad 2–401, rad 403–802)")
    assert kept(result) == [("styrelse.csv", row) for row in range(2, 802)] + [
        ("styrelse.xlsx", 402)]
    assert_accounted(result)
