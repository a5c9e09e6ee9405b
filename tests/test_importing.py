import pytest
from conftest import PAGAENDE_TEXTS, write_csv, write_xlsx

from indikator.importing import code_value, column_letter, import_files

Q1, Q2, Q3, Q4 = PAGAENDE_TEXTS[:4]


def codes(result, question):
    """The coded answers to one question, in row order."""
    df = result.answers[result.answers["question"] == question]
    return df.sort_values("respondent", key=lambda s: s.str.rsplit("|", n=1).str[1].astype(int))[
        "code"].tolist()


def problems(result, code=None):
    return [p for p in result.problems if code is None or p.code == code]


@pytest.mark.parametrize(
    "header",
    [
        Q3,
        Q3.upper(),
        "Får stödet ta den tid du behöver",  # no question mark
        "  far  stodet ta den tid du behover? ",  # diacritics lost
        "FÃ¥r stÃ¶det ta den tid du behÃ¶ver?",  # mojibake
        f"Fråga 3. {Q3}",
        f"F3: {Q3}",
        f"3. {Q3}",
        "Fråga 3",
        "Fraga 3",
        "F3",
        "Q3",
        "3",
    ],
)
def test_header_matching(tmp_path, catalog, header):
    path = write_xlsx(tmp_path / "deltagare_pagaende.xlsx",
                      {"Blad1": [["År", header], [2024, 2], [2024, 5]]})
    result = import_files([path], catalog)
    assert not result.errors, result.errors
    (column,) = [c for c in result.reports[0].columns if c.role == "question"]
    assert column.question == 3
    assert codes(result, 3) == [2, 5]


def test_slightly_misspelt_header_is_matched_with_a_warning(tmp_path, catalog):
    path = write_xlsx(tmp_path / "deltagare_pagaende.xlsx",
                      {"Blad1": [["År", "Får stödet ta den tid du behövr?"], [2024, 4]]})
    result = import_files([path], catalog)
    assert codes(result, 3) == [4]
    (warning,) = problems(result, "header-fuzzy")
    assert warning.severity == "warning" and "fråga 3" in warning.message


def test_number_and_text_disagree(tmp_path, catalog):
    path = write_xlsx(tmp_path / "deltagare_pagaende.xlsx",
                      {"Blad1": [["År", f"Fråga 2. {Q3}"], [2024, 4]]})
    result = import_files([path], catalog)
    (error,) = result.errors
    assert error.code == "header-number-mismatch"
    assert error.location.column == f"Fråga 2. {Q3}" and error.location.row == 1


def test_unknown_question_number(tmp_path, catalog):
    path = write_xlsx(tmp_path / "deltagare_pagaende.xlsx",
                      {"Blad1": [["År", "F12"], [2024, 4]]})
    (error,) = import_files([path], catalog).errors
    assert error.code == "header-unknown-question" and "Fråga 12 finns inte" in error.message


def test_codes_labels_case_and_whitespace(tmp_path, catalog):
    rows = [["År", Q1, Q4],
            [2024, 1, "Ja"], [2024, "6", "nej"], [2024, " för det mesta ", " JA "],
            [2024, "Sallan", 2], [2024, 4.0, 1]]
    path = write_xlsx(tmp_path / "pagaende.xlsx", {"Deltagare pågående": rows})
    result = import_files([path], catalog)
    assert not result.errors
    assert codes(result, 1) == [1, 6, 5, 2, 4]
    assert codes(result, 4) == [1, 2, 1, 2, 1]


def test_blanks_are_no_answer_and_empty_rows_are_accounted(tmp_path, catalog):
    rows = [["År", "Insats", Q1, Q2],
            [2024, "A", 3, None],
            [2024, "A", None, None],  # background only: skipped as empty
            [None, None, None, None],  # fully blank row between respondents
            [2024, "A", None, 6],
            [None, None, None, None]]  # trailing blank row: not a data row
    path = write_xlsx(tmp_path / "deltagare_pagaende.xlsx", {"Blad1": rows})
    result = import_files([path], catalog)
    report = result.reports[0]
    assert (report.rows_read, report.respondents, report.rows_empty) == (4, 2, 2)
    assert report.rows_read == report.respondents + report.rows_empty
    assert (report.answers, report.blanks) == (2, 2)
    assert codes(result, 1) == [3] and codes(result, 2) == [6]
    assert len(result.respondents) == 2


def test_invalid_values_are_listed_with_positions(tmp_path, catalog):
    rows = [["År", "Kön", Q1, Q4],
            [2024, 1, 7, "Ja"],
            [2024, 2, 3, "Kanske"],
            [2024, 9, 0, "Nej"],
            [2024, 1, "Alltd", 1]]
    path = write_xlsx(tmp_path / "svar.xlsx", {"Deltagare pågående": rows})
    result = import_files([path], catalog)
    found = [(p.location.row, p.location.column, p.value) for p in result.errors]
    assert found == [(2, Q1, "7"), (3, Q4, "Kanske"), (4, Q1, "0"), (4, "Kön", "9"),
                     (5, Q1, "Alltd")]
    first = result.errors[0]
    assert first.location.file == "svar.xlsx" and first.location.sheet == "Deltagare pågående"
    assert first.expected == "1–6 eller Aldrig, Sällan, Ibland, Ofta, För det mesta, Alltid"
    text = str(first)
    for part in ("svar.xlsx", 'blad "Deltagare pågående"', "rad 2", f'kolumn C ("{Q1}")',
                 "'7'"):
        assert part in text


def test_skip_invalid_counts_them_as_no_answer(tmp_path, catalog):
    rows = [["År", Q1, Q2], [2024, 7, 2], [2024, 3, 3], [2024, "x", None]]
    path = write_xlsx(tmp_path / "deltagare_pagaende.xlsx", {"Blad1": rows})
    result = import_files([path], catalog, skip_invalid=True)
    assert not result.errors
    assert [(p.location.row, p.value) for p in result.skipped_invalid] == [(2, "7"), (4, "x")]
    assert codes(result, 1) == [3]
    assert codes(result, 2) == [2, 3]
    report = result.reports[0]
    assert (report.rows_read, report.respondents, report.rows_empty, report.invalid) == (3, 2, 1, 2)


def test_answer_outside_condition_is_kept_and_warned(tmp_path, catalog):
    avslut = catalog.get("deltagare_avslut")
    header = ["År"] + [f"F{n}" for n in (8, 9, 10)]
    rows = [header, [2024, "Ja", 4, 5], [2024, "Nej", None, None], [2024, "Nej", 3, None],
            [2024, None, 2, None]]
    path = write_xlsx(tmp_path / "avslut.xlsx", {"Deltagare avslut": rows})
    result = import_files([path], catalog)
    assert not result.errors
    assert codes(result, 9) == [4, 3, 2]  # nothing dropped
    (warning,) = problems(result, "answer-outside-condition")
    assert warning.location.row == 4 and warning.location.column == "F9"
    assert avslut.question(9).asked_if.question == 8


def test_background_and_ignored_columns(tmp_path, catalog):
    rows = [["Svars-ID", "År", "Verksamhet", "Kön", Q1, "Kommentar"],
            ["R1", 2024, "Coachingteam", "Kvinna", 4, "hemligt"],
            ["R2", 2024, "IRMA", 2, 5, None]]
    path = write_xlsx(tmp_path / "deltagare_pagaende.xlsx", {"Blad1": rows})
    result = import_files([path], catalog)
    report = result.reports[0]
    assert [c.header for c in report.ignored] == ["Kommentar"]
    assert [(c.header, c.role) for c in report.columns][:4] == [
        ("Svars-ID", "id"), ("År", "year"), ("Verksamhet", "group"), ("Kön", "gender")]
    assert result.respondents["group"].tolist() == ["Coachingteam", "IRMA"]
    assert result.respondents["gender"].tolist() == [1, 2]


def test_column_without_header_is_reported(tmp_path, catalog):
    rows = [["År", Q1, None], [2024, 4, 5]]
    path = write_xlsx(tmp_path / "deltagare_pagaende.xlsx", {"Blad1": rows})
    result = import_files([path], catalog)
    (warning,) = problems(result, "column-without-header")
    assert warning.location.letter == "C" and warning.location.column is None


def test_survey_from_enkat_column(tmp_path, catalog):
    rows = [["Enkät", "År", "F1"], ["Styrelse", 2024, 5], ["styrelse", 2024, 6]]
    path = write_xlsx(tmp_path / "export.xlsx", {"Blad1": rows})
    result = import_files([path], catalog)
    assert result.reports[0].survey == "styrelse"
    assert result.reports[0].survey_source == "kolumnen Enkät"


def test_survey_from_sheet_then_file_name(tmp_path, catalog):
    book = write_xlsx(tmp_path / "indikatorer.xlsx",
                      {"Personal": [["År", "F1"], [2024, 3]],
                       "Styrelse": [["År", "F1"], [2024, 3]]})
    csv = write_csv(tmp_path / "beredningsgrupp 2024.csv", [["År", "F1"], ["2024", "3"]])
    result = import_files([book, csv], catalog)
    assert [(r.survey, r.survey_source) for r in result.reports] == [
        ("personal", "bladnamnet"), ("styrelse", "bladnamnet"), ("beredningsgrupp", "filnamnet")]


def test_survey_from_question_headers(tmp_path, catalog):
    rows = [["År", *PAGAENDE_TEXTS], [2024, *[3, 3, 3, "Ja", 3, 3, 3]]]
    path = write_xlsx(tmp_path / "export.xlsx", {"Blad1": rows})
    result = import_files([path], catalog)
    assert (result.reports[0].survey, result.reports[0].survey_source) == (
        "deltagare_pagaende", "frågetexterna")


def test_survey_unknown_points_to_option(tmp_path, catalog):
    path = write_xlsx(tmp_path / "export.xlsx", {"Blad1": [["År", "F1", "F2"], [2024, 3, 4]]})
    (error,) = import_files([path], catalog).errors
    assert error.code == "unknown-survey" and "--survey" in error.message
    assert error.location.file == "export.xlsx" and error.location.sheet == "Blad1"
    result = import_files([path], catalog, survey="styrelse")
    assert not result.errors and result.reports[0].survey == "styrelse"


def test_year_from_option_and_missing_year(tmp_path, catalog):
    path = write_xlsx(tmp_path / "styrelse.xlsx", {"Blad1": [["F1"], [3]]})
    (error,) = import_files([path], catalog).errors
    assert error.code == "missing-year" and "--year" in error.message
    result = import_files([path], catalog, year=2023)
    assert result.respondents["year"].tolist() == [2023]


def test_year_column_wins_and_blank_year_cell(tmp_path, catalog):
    rows = [["År", "F1"], [2024, 3], [None, 4], ["2025", 5], ["tjugo", 6]]
    path = write_xlsx(tmp_path / "styrelse.xlsx", {"Blad1": rows})
    result = import_files([path], catalog)
    assert [(e.code, e.location.row) for e in result.errors] == [("missing-year", 3),
                                                                 ("invalid-year", 5)]
    report = result.reports[0]
    assert (report.rows_used, report.rows_error) == (2, 2) and report.accounted
    rows = rows[:4]
    path = write_xlsx(tmp_path / "styrelse.xlsx", {"Blad1": rows})
    result = import_files([path], catalog, year=2023)
    assert result.respondents["year"].tolist() == [2024, 2023, 2025]


def test_group_spellings_are_unified(tmp_path, catalog):
    rows = [["År", "Insats", "F1"], [2024, "Coachingteam", 3], [2024, "coachingteam ", 4],
            [2024, "Coachingteam", 5]]
    path = write_xlsx(tmp_path / "styrelse.xlsx", {"Blad1": rows})
    result = import_files([path], catalog)
    assert set(result.respondents["group"]) == {"Coachingteam"}
    assert problems(result, "group-spelling")


def test_sheet_without_questions_is_noted_not_read(tmp_path, catalog):
    book = write_xlsx(tmp_path / "indikatorer.xlsx",
                      {"Info": [["Exporterad av Netigate"]], "Styrelse": [["År", "F1"], [2024, 3]]})
    result = import_files([book], catalog)
    assert not result.errors
    assert result.reports[0].survey is None and result.reports[1].survey == "styrelse"
    assert problems(result, "sheet-without-questions")[0].severity == "warning"


def test_code_value_and_column_letter(catalog):
    scale = catalog.get("styrelse").question(1).scale
    assert code_value(3.0, scale) == 3
    assert code_value(3.5, scale) is None
    assert code_value(True, scale) is None
    assert code_value("helt och hallet", scale) == 6
    assert [column_letter(i) for i in (0, 25, 26, 701)] == ["A", "Z", "AA", "ZZ"]


def test_same_file_twice_is_refused(tmp_path, catalog):
    from indikator.errors import IndikatorError

    path = write_xlsx(tmp_path / "styrelse.xlsx", {"Blad1": [["År", "F1"], [2024, 3]]})
    with pytest.raises(IndikatorError) as info:
        import_files([path, tmp_path / "." / "styrelse.xlsx"], catalog)
    assert info.value.exit_code == 2 and "två gånger" in info.value.message


def test_missing_question_columns_are_warned(tmp_path, catalog):
    path = write_xlsx(tmp_path / "styrelse.xlsx", {"Blad1": [["År", "F1"], [2024, 3]]})
    result = import_files([path], catalog)
    (warning,) = problems(result, "missing-question-columns")
    assert "fråga 2, 3" in warning.message and warning.severity == "warning"


def test_folder_is_expanded_and_excel_lock_files_skipped(tmp_path, catalog):
    folder = tmp_path / "svar"
    folder.mkdir()
    write_xlsx(folder / "styrelse.xlsx", {"Blad1": [["År", "F1"], [2024, 3]]})
    write_csv(folder / "personal.csv", [["År", "F1"], ["2024", "4"]])
    (folder / "~$styrelse.xlsx").write_bytes(b"\x00lock")
    (folder / "läsmig.txt.bak").write_text("x")
    result = import_files([folder], catalog)
    assert not result.errors
    assert [r.file for r in result.reports] == ["personal.csv", "styrelse.xlsx"]
    (lock,) = problems(result, "excel-lock-file")
    assert lock.severity == "warning" and lock.location.file == "~$styrelse.xlsx"


def test_empty_folder_is_an_input_error(tmp_path, catalog):
    from indikator.errors import IndikatorError

    with pytest.raises(IndikatorError) as info:
        import_files([tmp_path], catalog)
    assert info.value.exit_code == 2 and "Inga exportfiler" in info.value.message


def test_imports_join_as_categories_over_both_parts(tmp_path, catalog):
    """Two förbund's imports as one (the aggregate): the answers' texts stay categories
    over the union of both parts' categories, with every row and value of both, also
    where one part is empty (a förbund without "vet ej"), and without a warning (pandas
    2.3 warned there when pd.concat joined them as text)."""
    import warnings

    import pandas as pd

    from indikator.importing.model import documented
    from indikator.input.files import merged

    header = ["År", "Insats", *PAGAENDE_TEXTS[:3]]
    north = write_csv(tmp_path / "norra.csv", [header, ["2025", "Team A", "5", "Vet ej", "3"],
                                               ["2025", "Team B", "4", "6", "2"]])
    south = write_csv(tmp_path / "sodra.csv", [header, ["2025", "Lotsen", "1", "2", "3"]])
    parts = [import_files([p], catalog, survey="deltagare_pagaende") for p in (north, south)]
    assert len(parts[0].no_answers) == 1 and len(parts[1].no_answers) == 0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        whole = merged(parts)
    for name in ("answers", "no_answers"):
        table = getattr(whole, name)
        assert isinstance(table["group"].dtype, pd.CategoricalDtype)
        names = list(table["group"].cat.categories)
        assert names == sorted(names) and set(table["group"].dropna()) <= set(names)
        expected = pd.concat([documented(getattr(p, name)) for p in parts], ignore_index=True)
        pd.testing.assert_frame_equal(documented(table), documented(expected),
                                      check_dtype=False)
    assert sorted(whole.answers["group"].unique()) == ["Lotsen", "Team A", "Team B"]
