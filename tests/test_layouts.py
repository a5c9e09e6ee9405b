"""Exports as survey tools and hand editing really make them (issue: real-world layouts)."""

import pandas as pd
import pytest
from conftest import PAGAENDE_TEXTS, write_csv, write_xlsx
from openpyxl import Workbook

from indikator.importing import ImportOptions, import_files

Q1, Q2, Q3, Q4 = PAGAENDE_TEXTS[:4]


def counts(result, question):
    df = result.answers[result.answers["question"] == question]
    return df["code"].value_counts().sort_index().to_dict()


def codes(result, question):
    df = result.answers[result.answers["question"] == question]
    rows = result.respondents.set_index("respondent").loc[df["respondent"], "row"].to_numpy()
    return [c for _, c in sorted(zip(rows, df["code"], strict=True))]


def by_code(result, code):
    return [p for p in result.problems if p.code == code]


def test_title_rows_above_the_header(tmp_path, catalog):
    rows = [["Indikatorenkät 2024"], ["Exporterad 2024-11-02"], [None],
            ["År", Q1, Q2], [2024, 3, 4], [2024, 5, 6]]
    path = write_xlsx(tmp_path / "deltagare_pagaende.xlsx", {"Blad1": rows})
    result = import_files([path], catalog)
    assert not result.errors
    assert result.reports[0].header_rows == (4, 4)
    assert codes(result, 1) == [3, 5] and codes(result, 2) == [4, 6]
    assert result.respondents["row"].tolist() == [5, 6]  # Excel rows kept


def test_two_header_rows_with_merged_title(tmp_path, catalog):
    """SurveyMonkey: a question title merged over its statements, statements below."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Deltagare pågående"
    sheet.append(["År", "Om stödet", None, None])
    sheet.append([None, Q1, Q2, Q3])
    sheet.append([2024, "Ofta", "Alltid", "Aldrig"])
    sheet.append([2024, "Ibland", None, "Ofta"])
    sheet.merge_cells("B1:D1")
    sheet.merge_cells("A1:A2")
    path = tmp_path / "export.xlsx"
    book.save(path)
    result = import_files([path], catalog)
    assert not result.errors, result.errors
    report = result.reports[0]
    assert report.header_rows[1] == 2  # the merged title row above is not a data row
    assert [c.question for c in report.columns if c.role == "question"] == [1, 2, 3]
    assert codes(result, 1) == [4, 3] and codes(result, 3) == [1, 4]


def test_two_header_rows_in_csv_with_blank_spanning_cells(tmp_path, catalog):
    rows = [["År", "Hur upplever du stödet?", "", ""], ["", Q1, Q2, Q3],
            ["2024", "Ofta", "Alltid", "Aldrig"]]
    path = write_csv(tmp_path / "deltagare_pagaende.csv", rows, sep=",")
    result = import_files([path], catalog)
    assert not result.errors, result.errors
    assert codes(result, 2) == [6]


def test_qualtrics_three_header_rows(tmp_path, catalog):
    rows = [["StartDate", "Finished", "År", "Q1", "Q2"],
            ["Start Date", "Finished", "År", f"Om stödet - {Q1}", f"Om stödet - {Q2}"],
            ['{"ImportId":"startDate"}', '{"ImportId":"finished"}', '{"ImportId":"QID9"}',
             '{"ImportId":"QID1_1"}', '{"ImportId":"QID1_2"}'],
            ["2024-03-01 10:00", "True", "2024", "3", "4"],
            ["2024-03-02 11:00", "True", "2024", "6", "1"]]
    path = write_csv(tmp_path / "deltagare_pagaende.csv", rows, sep=",")
    result = import_files([path], catalog)
    assert not result.errors, result.errors
    report = result.reports[0]
    assert report.header_rows == (2, 3)
    assert [c.role for c in report.columns] == ["metadata", "status", "year", "question",
                                                "question"]
    assert codes(result, 1) == [3, 6]
    assert by_code(result, "extra-header-row")  # the ImportId row is reported, not hidden


def test_battery_codes_limesurvey(tmp_path, catalog):
    header = ["id", "submitdate", "lastpage", "År"] + [f"F1[SQ00{i}]" for i in range(1, 4)]
    rows = [header, [1, "2024-05-01", 3, 2024, "A4", 5, 6], [2, "2024-05-02", 3, 2024, 2, 3, 4]]
    rows[1][4] = 4
    path = write_xlsx(tmp_path / "deltagare_pagaende.xlsx", {"results": rows})
    result = import_files([path], catalog)
    assert not result.errors, result.errors
    cols = [c for c in result.reports[0].columns if c.role == "question"]
    assert [(c.header, c.question, c.how) for c in cols] == [
        ("F1[SQ001]", 1, "code"), ("F1[SQ002]", 2, "code"), ("F1[SQ003]", 3, "code")]
    assert codes(result, 3) == [6, 4]
    single = [["År", "F3[SQ001]", "F5[SQ001]"], [2024, 2, 3]]
    path = write_xlsx(tmp_path / "deltagare_pagaende2.xlsx", {"Blad1": single})
    result = import_files([path], catalog)
    assert [c.question for c in result.reports[0].columns if c.role == "question"] == [3, 5]


def test_matrix_question_with_statement_in_brackets(tmp_path, catalog):
    """Google Forms grid: 'Question title [row statement]'."""
    rows = [["Tidstämpel", "År", f"Hur ofta gäller följande? [{Q1}]",
             f"Hur ofta gäller följande? [{Q2}]", f"Fråga 3 [{Q3}]"],
            ["2024-01-02 10:11:12", 2024, "Alltid", "Sällan", "Ibland"]]
    path = write_xlsx(tmp_path / "pagaende.xlsx", {"Deltagare pågående": rows})
    result = import_files([path], catalog)
    assert not result.errors, result.errors
    assert codes(result, 1) == [6] and codes(result, 2) == [2] and codes(result, 3) == [3]
    assert result.reports[0].columns[0].role == "metadata"


@pytest.mark.parametrize(
    ("values", "expected"),
    [(["Ja", "Nej", "ja"], [1, 2, 1]), (["J", "N", "J"], [1, 2, 1]),
     (["Y", "N", "yes"], [1, 2, 1]), ([1, 2, 1], [1, 2, 1]), ([1, 0, 1], [1, 2, 1]),
     (["1", "0", "0"], [1, 2, 2])],
)
def test_yes_no_codings(tmp_path, catalog, values, expected):
    rows = [["År", Q4]] + [[2024, v] for v in values]
    path = write_xlsx(tmp_path / "deltagare_pagaende.xlsx", {"Blad1": rows})
    result = import_files([path], catalog)
    assert not result.errors, result.errors
    assert codes(result, 4) == expected
    if 0 in values or "0" in values:
        (note,) = by_code(result, "yes-no-coding")
        assert "0 = Nej" in note.message


def test_ambiguous_yes_no_column_is_an_error_that_says_how(tmp_path, catalog):
    rows = [["År", Q4], [2024, 1], [2024, 0], [2024, 2]]
    path = write_xlsx(tmp_path / "deltagare_pagaende.xlsx", {"Blad1": rows})
    (error,) = import_files([path], catalog).errors
    assert error.code == "ambiguous-yes-no" and "--ja-nej" in error.message
    assert error.location.column == Q4
    as_10 = import_files([path], catalog, ImportOptions(yes_no="1/0", skip_invalid=True))
    assert codes(as_10, 4) == [1, 2]  # 2 is then invalid, skipped and recorded
    assert [p.value for p in as_10.skipped_invalid] == ["2"]
    as_12 = import_files([path], catalog, ImportOptions(yes_no="1/2", skip_invalid=True))
    assert codes(as_12, 4) == [1, 2] and [p.value for p in as_12.skipped_invalid] == ["0"]


def test_vet_ej_is_counted_apart_not_invalid(tmp_path, catalog):
    rows = [["År", Q1, Q2], [2024, "Vet ej", 3], [2024, 4, "Ej aktuellt"],
            [2024, "vill inte svara", "Vet ej"], [2024, "Kanske", 2]]
    path = write_xlsx(tmp_path / "deltagare_pagaende.xlsx", {"Blad1": rows})
    result = import_files([path], catalog)
    assert [p.value for p in result.errors] == ["Kanske"]
    report = result.reports[0]
    assert report.no_answer == 4 and report.respondents == 4  # row 4 answered only "vet ej"
    assert codes(result, 1) == [4] and codes(result, 2) == [3, 2]
    assert sorted(result.no_answers["label"]) == ["Ej aktuellt", "Vet ej", "Vet ej",
                                                   "vill inte svara"]


def test_xls_and_ods(tmp_path, catalog):
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("Styrelse")
    for r, row in enumerate([["År", "F1", "F2"], [2024, 3, 4], [2024, 5, None]]):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    book.save(tmp_path / "svar.xls")
    pd.DataFrame({"År": [2024, 2024], "F1": ["Delvis", "Helt och hållet"]}).to_excel(
        tmp_path / "svar.ods", engine="odf", sheet_name="Styrelse", index=False)
    xls = import_files([tmp_path / "svar.xls"], catalog)
    assert not xls.errors and codes(xls, 1) == [3, 5] and codes(xls, 2) == [4]
    ods = import_files([tmp_path / "svar.ods"], catalog)
    assert not ods.errors and codes(ods, 1) == [3, 6]


def test_windows_1252_csv_with_sep_line(tmp_path, catalog):
    rows = [["År", "Kön", Q1], ["2024", "Kvinna", "Sällan"], ["2024", "Man", "För det mesta"]]
    path = write_csv(tmp_path / "deltagare_pagaende.csv", rows, sep=";", encoding="cp1252",
                     prefix="sep=;\n")
    result = import_files([path], catalog)
    assert not result.errors and codes(result, 1) == [2, 5]
    assert result.respondents["gender"].tolist() == [1, 2]


def test_long_format(tmp_path, catalog):
    rows = [["Respondent", "År", "Insats", "Fråga", "Svar"],
            ["R1", 2024, "Team A", "F1", 3], ["R1", 2024, "Team A", "F2", "Alltid"],
            ["R2", 2024, "Team B", Q1, 5], ["R2", 2024, "Team B", "F4", "Ja"],
            [None, None, None, None, None],
            ["R3", 2024, "Team B", "F1", None]]
    path = write_xlsx(tmp_path / "deltagare_pagaende.xlsx", {"Svar": rows})
    result = import_files([path], catalog)
    assert not result.errors, result.errors
    report = result.reports[0]
    assert report.layout == "long"
    assert (report.rows_read, report.rows_used, report.rows_empty, report.respondents) == (
        6, 4, 2, 2)
    assert counts(result, 1) == {3: 1, 5: 1}
    assert codes(result, 4) == [1]
    assert sorted(result.respondents["group"]) == ["Team A", "Team B"]


def test_long_format_problems(tmp_path, catalog):
    rows = [["Respondent", "År", "Insats", "Fråga", "Svar"], ["R1", 2024, "A", "F1", 3],
            ["R1", 2024, "A", "F1", 4], ["R1", 2024, "B", "F2", 4], ["R2", 2024, "A", "F99", 4],
            [None, 2024, "A", "F2", 1]]
    path = write_xlsx(tmp_path / "deltagare_pagaende.xlsx", {"Svar": rows})
    found = {(p.code, p.location.row) for p in import_files([path], catalog).errors}
    assert found == {("duplicate-answer", 3), ("conflicting-background", 4),
                     ("unknown-question", 5), ("missing-id", 6)}


def test_long_sheet_with_one_id_in_two_years_has_two_respondents(tmp_path, catalog):
    # a long export of 2024 and 2025 whose tool numbered each year from R1
    rows = [["Respondent", "År", "Fråga", "Svar"], ["R1", 2024, "F1", 3], ["R1", "2025", "F1", 5],
            ["R1", 2024.0, "F2", 4], ["R2", 2025, "F1", 1]]
    path = write_xlsx(tmp_path / "deltagare_pagaende.xlsx", {"Svar": rows})
    result = import_files([path], catalog)
    assert not result.errors, result.errors
    people = result.respondents.sort_values("row")
    assert list(zip(people["year"], people["row"], strict=True)) == [
        (2024, 2), (2025, 3), (2025, 5)]
    answers = result.answers
    assert sorted(zip(answers["year"], answers["question"], answers["code"], strict=True)) == [
        (2024, 1, 3), (2024, 2, 4), (2025, 1, 1), (2025, 1, 5)]


def test_several_files_combined_ids_belong_to_their_export(tmp_path, catalog):
    # every export numbers from its own S1: ids in two files are two people's
    a = write_xlsx(tmp_path / "styrelse_a.xlsx",
                   {"Blad1": [["Svars-ID", "År", "F1"], ["S1", 2024, 3], ["S2", 2024, 4]]})
    b = write_csv(tmp_path / "styrelse_b.csv",
                  [["Svars-ID", "År", "F1"], ["S3", "2024", "5"], ["S1", "2024", "3"],
                   ["S2", "2024", "6"]])
    result = import_files([a, b], catalog)
    assert not result.errors
    assert {p.code for p in result.problems} == {"missing-question-columns"}  # F2, F3
    assert counts(result, 1) == {3: 2, 4: 1, 5: 1, 6: 1}
    assert [(r.rows_read, r.rows_used, r.respondents) for r in result.reports] == [
        (2, 2, 2), (3, 3, 3)]


def test_the_same_id_twice_in_one_sheet(tmp_path, catalog):
    rows = [["Svars-ID", "År", "F1"], ["S1", "2024", "3"], ["S2", "2024", "4"],
            ["S1", "2024", "3"], ["S3", "2025", "5"], ["S3", "2024", "5"]]
    result = import_files([write_csv(tmp_path / "styrelse.csv", rows)], catalog)
    assert not result.errors
    assert counts(result, 1) == {3: 1, 4: 1, 5: 2}  # S1 once; S3 of 2025 and of 2024: two
    (warning,) = by_code(result, "duplicate-respondent")
    assert warning.location.file == "styrelse.csv" and warning.location.row == 4
    assert "rad 2" in warning.message
    (report,) = result.reports
    assert (report.rows_read, report.rows_used, report.rows_duplicate) == (5, 4, 1)
    assert report.accounted
    rows.append(["S2", "2024", "6"])
    (error,) = import_files([write_csv(tmp_path / "styrelse.csv", rows)], catalog).errors
    assert error.code == "conflicting-respondent" and "S2" in error.message
    assert error.location.row == 7


def test_metadata_columns_and_incomplete_rows(tmp_path, catalog):
    rows = [["Svars-ID", "Startdatum", "Slutdatum", "E-post", "Status", "År", "F1", "F2"],
            ["1", "2024-01-01", "2024-01-01", "a@b.se", "Komplett", 2024, 3, 4],
            ["2", "2024-01-02", None, "c@d.se", "Ofullständig", 2024, 5, None],
            ["3", "2024-01-03", "2024-01-03", None, "Komplett", 2024, 6, 6]]
    path = write_xlsx(tmp_path / "styrelse.xlsx", {"Blad1": rows})
    (error,) = import_files([path], catalog).errors
    assert error.code == "incomplete-rows" and "rad 3" in error.message
    assert "--incomplete" in error.message
    assert "c@d.se" not in str(error)  # never print what the metadata holds
    kept = import_files([path], catalog, ImportOptions(incomplete="include"))
    assert counts(kept, 1) == {3: 1, 5: 1, 6: 1}
    left = import_files([path], catalog, ImportOptions(incomplete="exclude"))
    assert counts(left, 1) == {3: 1, 6: 1}
    report = left.reports[0]
    assert (report.rows_read, report.rows_used, report.rows_incomplete) == (3, 2, 1)
    assert [c.role for c in report.columns][:5] == ["id", "metadata", "metadata", "metadata",
                                                    "status"]


def test_only_headers_is_reported(tmp_path, catalog):
    path = write_xlsx(tmp_path / "styrelse.xlsx", {"Blad1": [["År", "F1", "F2"]]})
    (error,) = import_files([path], catalog).errors
    assert error.code == "no-data" and "bara rubriker" in error.message


def test_microsoft_forms_export(tmp_path, catalog):
    """Forms: id, times, e-mail and name first; background asked as questions."""
    rows = [["ID", "Starttid", "Sluttid", "E-post", "Namn", "Senaste ändringstid",
             "Vilken insats deltar du i?", "Vilket kön har du?", Q1, Q4],
            [1, "2024-03-01 10:00", "2024-03-01 10:05", "anonymous", None, None,
             "Coachingteam", "Kvinna", "Ofta", "Ja"],
            [2, "2024-03-02 10:00", "2024-03-02 10:04", "anonymous", None, None,
             "IRMA", "Vill inte svara", "Alltid", "Nej"]]
    path = write_xlsx(tmp_path / "Deltagare pågående(1-2).xlsx", {"Sheet1": rows})
    result = import_files([path], catalog, ImportOptions(year=2024))
    assert not result.errors, result.errors
    roles = [c.role for c in result.reports[0].columns]
    assert roles == ["id", "metadata", "metadata", "metadata", "metadata", "metadata", "group",
                     "gender", "question", "question"]
    assert result.respondents["group"].tolist() == ["Coachingteam", "IRMA"]
    assert result.respondents["gender"].tolist() == [1, 3]
    assert codes(result, 1) == [4, 6] and codes(result, 4) == [1, 2]
