"""A new user's first hour: exports as Forms and Google write them (no År column, the year
in the file name or in the answer times, answers written '6 - Alltid'), and the words the
terminal uses about them."""

import datetime

import pandas as pd
import pytest
from conftest import write_csv, write_xlsx
from hypothesis import given
from hypothesis import strategies as st
from test_cli import run

from indikator.importing import import_files
from indikator.importing.sheet import years_in_name
from indikator.importing.values import code_value, year_of_timestamp

BOARD = [
    "Har ni strukturer för att initiera, upprätthålla och underhålla relationer mellan "
    "inblandade aktörer?",
    "Har ni en strategi för hur ni arbetar med uppföljning och utvärdering av de samordnade "
    "rehabiliteringsinsatserna?",
    "Använder ni uppföljning och utvärdering som underlag för att utveckla de samordnade "
    "rehabiliteringsinsatserna?",
]
OMFATTNING = ["Inte alls", "Till liten del", "Delvis", "Till stor del", "Till mycket stor del",
              "Helt och hållet"]


def forms_rows(year: int, people: int, answer=lambda i, q: 3 + (i + q) % 4,
               month: int = 3) -> list[list]:
    """A Microsoft Forms export: Id, times, e-mail, name, then the questions; no År."""
    rows = [["Id", "Start time", "Completion time", "Email", "Name", *BOARD]]
    for i in range(people):
        when = datetime.datetime(year, month, 1 + i % 28, 9, 30)
        rows.append([i + 1, when, when, "anonymous", None,
                     *[answer(i, q) for q in range(len(BOARD))]])
    return rows


# --- the year of a file -------------------------------------------------------------------

NAME_PARTS = st.sampled_from(["Styrelseenkät", "styrelse", "Styrelse_enkät", "Enkät styrelsen",
                              "Styrelse (export)", "NNS-styrelse"])
SEPARATORS = st.sampled_from([" ", "_", "-", " - ", "."])


@given(stem=NAME_PARTS, sep=SEPARATORS, year=st.integers(2000, 2099),
       first=st.booleans(), date=st.booleans())
def test_a_year_in_a_name_is_found_wherever_it_stands(stem, sep, year, first, date):
    written = f"{year}-03-14" if date else str(year)
    name = f"{written}{sep}{stem}" if first else f"{stem}{sep}{written}"
    assert years_in_name(name) == [year]
    assert years_in_name(f"{stem}{sep}{year}0314") == [year]  # a compact date
    assert years_in_name(f"{stem}{sep}1{year}") == []  # part of a longer number
    assert years_in_name(f"{stem}{sep}{year}{sep}{year + 1 if year < 2099 else 2000}"
                         ) == sorted({year, year + 1 if year < 2099 else 2000})


def test_forms_exports_without_year_column_pack_with_their_years(tmp_path):
    """The issue's case: one export per year, the year only in the file name."""
    folder = tmp_path / "svar"
    folder.mkdir()
    write_xlsx(folder / "Styrelseenkät 2024.xlsx", {"Sheet1": forms_rows(2024, 6)})
    write_xlsx(folder / "Styrelseenkät 2025.xlsx", {"Sheet1": forms_rows(2025, 7)})
    checked = run("validate", folder)
    assert checked.exit_code == 0, checked.output
    assert checked.stdout.count("(från filnamnet); rubrikrad") == 2
    out = tmp_path / "paket"
    packed = run("pack", folder, "--out", out, "--format", "xlsx")
    assert packed.exit_code == 0, packed.output
    groups = pd.read_csv(out / "grupper.csv")
    alla = groups[groups["group"] == "Alla"].set_index("year")["respondents"]
    assert alla.to_dict() == {2024: 6, 2025: 7}
    assert (out / "changes.csv").is_file()  # two years: compared


@pytest.mark.parametrize("stamp", [
    lambda d: d,  # a date cell
    lambda d: d.strftime("%Y/%m/%d %I:%M:%S %p CET"),  # Google Forms
    lambda d: d.strftime("%-m/%-d/%Y %H:%M:%S"),  # Forms, US
    lambda d: d.strftime("%d.%m.%Y %H:%M"),
    lambda d: d.strftime("%Y-%m-%d %H:%M:%S"),
])
def test_the_year_comes_from_the_answer_times_when_the_name_has_none(tmp_path, catalog, stamp):
    rows = forms_rows(2023, 6)
    for row in rows[1:]:
        row[1] = row[2] = stamp(row[1])
    path = write_xlsx(tmp_path / "Styrelse.xlsx", {"Sheet1": rows})
    result = import_files([path], catalog)
    assert not result.errors
    assert set(result.respondents["year"]) == {2023}
    assert "Start time" in result.reports[0].year_source


def test_answer_times_over_two_years_do_not_decide(tmp_path, catalog):
    rows = forms_rows(2024, 6, month=12)
    rows[-1][1] = rows[-1][2] = datetime.datetime(2025, 1, 8, 10, 0)
    path = write_xlsx(tmp_path / "Styrelse.xlsx", {"Sheet1": rows})
    result = import_files([path], catalog)
    [error] = result.errors
    assert error.code == "missing-year" and "2024 och 2025" in error.message
    chosen = import_files([path], catalog, year=2024)
    assert not chosen.errors and set(chosen.respondents["year"]) == {2024}


def test_year_option_never_overrides_a_year_the_file_states(tmp_path):
    folder = tmp_path / "svar"
    folder.mkdir()
    write_xlsx(folder / "Styrelseenkät 2024.xlsx", {"Sheet1": forms_rows(2024, 6)})
    write_xlsx(folder / "Styrelseenkät 2025.xlsx", {"Sheet1": forms_rows(2025, 6)})
    for extra in ([], ["--out", tmp_path / "p", "--format", "xlsx"]):
        command = "pack" if extra else "validate"
        result = run(command, folder, "--year", "2025", *extra)
        assert result.exit_code == 1, result.output
        assert "Styrelseenkät 2024.xlsx" in result.output
        assert "--year 2025 stämmer inte med året 2024 i filnamnet" in result.output
    assert not (tmp_path / "p").exists()


def test_year_option_fills_a_file_that_states_none(tmp_path, catalog):
    rows = forms_rows(2024, 6)
    for row in rows:
        del row[1:3]  # no times either
    path = write_xlsx(tmp_path / "Styrelse.xlsx", {"Sheet1": rows})
    missing = import_files([path], catalog)
    assert [p.code for p in missing.errors] == ["missing-year"]
    assert "filnamnet" in missing.errors[0].message
    result = import_files([path], catalog, year=2022)
    assert not result.errors and set(result.respondents["year"]) == {2022}
    assert result.reports[0].year_source == "--year"


def test_name_year_wins_over_times_with_a_warning(tmp_path, catalog):
    """Answers for 2024 given in January 2025: the name says the year, the times are noted."""
    path = write_xlsx(tmp_path / "Styrelse 2024.xlsx",
                      {"Sheet1": forms_rows(2025, 6, month=1)})
    result = import_files([path], catalog)
    assert not result.errors and set(result.respondents["year"]) == {2024}
    assert any(p.code == "year-from-name" and "2025" in p.message for p in result.problems)


@given(day=st.dates(datetime.date(2000, 1, 1), datetime.date(2099, 12, 31)))
def test_timestamps_give_their_year(day):
    moment = datetime.datetime.combine(day, datetime.time(14, 5, 9))
    for text in (moment.isoformat(), moment.strftime("%Y-%m-%d %H:%M:%S"),
                 moment.strftime("%Y/%m/%d %I:%M:%S %p"), moment.strftime("%d.%m.%Y %H:%M"),
                 f"{day.month}/{day.day}/{day.year} 2:05:09 PM", day.isoformat()):
        assert year_of_timestamp(text) == day.year, text
    assert year_of_timestamp("anonymous") is None and year_of_timestamp(2025) is None


# --- answers carrying both code and label ---------------------------------------------------

TEMPLATES = ["{c} - {l}", "{c} – {l}", "{c}. {l}", "{c} {l}", "{c}) {l}", "[{c}] {l}",
             "{l} ({c})", "{l} = {c}", "{c}={l}", "{c}: {l}", "  {c} - {l}  ", "{l} [{c}]",
             "{c}{l}", "({c}){l}", "{l}({c})", "{c}/{l}", "{l} - {c}"]


@given(template=st.sampled_from(TEMPLATES), upper=st.booleans(), data=st.data())
def test_code_and_label_naming_the_same_option_are_read(catalog, template, upper, data):
    scale = data.draw(st.sampled_from(sorted(catalog.all_scales().values(), key=lambda s: s.id)))
    category = data.draw(st.sampled_from(scale.categories))
    label = category.label.upper() if upper else category.label
    assert code_value(template.format(c=category.code, l=label), scale) == category.code
    other = data.draw(st.sampled_from([c for c in scale.categories if c != category]))
    assert code_value(template.format(c=other.code, l=label), scale) is None
    assert code_value(template.format(c=99, l=label), scale) is None


def test_coded_labels_read_as_codes_and_disagreement_is_an_error(tmp_path, catalog):
    plain = forms_rows(2025, 8)
    labelled = forms_rows(2025, 8, answer=lambda i, q: f"{3 + (i + q) % 4} - "
                          f"{OMFATTNING[2 + (i + q) % 4]}")
    a = import_files([write_xlsx(tmp_path / "Styrelse 2025.xlsx", {"S": plain})], catalog)
    b = import_files([write_xlsx(tmp_path / "Styrelse-2025.xlsx", {"S": labelled})], catalog)
    assert not b.errors
    pd.testing.assert_frame_equal(a.answers.drop(columns="respondent"),
                                  b.answers.drop(columns="respondent"))
    wrong = labelled.copy()
    wrong[3] = [*wrong[3][:5], "2 - Helt och hållet", *wrong[3][6:]]
    c = import_files([write_xlsx(tmp_path / "Styrelse_2025.xlsx", {"S": wrong})], catalog)
    [error] = c.errors
    assert error.code == "invalid-value" and error.location.row == 4
    assert "Koden 2 och texten 'Helt och hållet' anger olika svarsalternativ" in error.message


def test_yes_no_with_code_and_label(catalog):
    scale = catalog.get("deltagare_pagaende").question(4).scale
    assert [code_value(v, scale) for v in ("1 - Ja", "2 - Nej", "0 - Nej", "Nej (0)")] == \
        [1, 2, 2, 2]
    assert code_value("0 - Ja", scale) is None


def test_the_same_error_in_many_cells_is_one_line(tmp_path):
    rows = forms_rows(2025, 20, answer=lambda i, q: "7 - Helt och hållet")
    rows[5][6] = "Ofta"  # another error: its own line
    path = write_xlsx(tmp_path / "Styrelse 2025.xlsx", {"Sheet1": rows})
    result = run("validate", path)
    assert result.exit_code == 1
    errors = [line for line in result.stdout.splitlines() if line.strip().startswith("FEL")]
    assert len(errors) == 2, errors
    repeated = next(line for line in errors if "7 - Helt och hållet" in line)
    assert "På 59 ställen: F2, G2, H2, F3" in repeated and "anger olika" in repeated
    assert result.stdout.rstrip().endswith("60 fel, 0 varningar.")


# --- words ----------------------------------------------------------------------------------

def test_csv_is_called_a_file(tmp_path):
    path = write_csv(tmp_path / "styrelse.csv", [["F1", "F2", "F3"], ["3", "4", "5"]])
    result = run("validate", path)
    assert result.exit_code == 1
    assert "Filen har ingen kolumn År" in result.stdout and "Bladet" not in result.stdout
    assert "None" not in result.stdout


def test_one_warning_is_singular(tmp_path):
    rows = forms_rows(2025, 6)
    for row in rows[1:]:
        row.append("x")  # a filled column without a header: one warning
    result = run("validate", write_xlsx(tmp_path / "Styrelse 2025.xlsx", {"S": rows}))
    assert result.exit_code == 0, result.output
    assert result.stdout.rstrip().endswith("0 fel, 1 varning. Filerna kan packas.")


def test_a_title_page_without_a_name_is_said(tmp_path):
    path = write_xlsx(tmp_path / "Styrelse 2025.xlsx", {"S": forms_rows(2025, 6)})
    unnamed = run("pack", path, "--out", tmp_path / "a", "--format", "docx")
    assert unnamed.exit_code == 0, unnamed.output
    assert "ange förbundets namn med --forbund" in unnamed.stdout
    named = run("pack", path, "--out", tmp_path / "b", "--format", "docx",
                "--forbund", "Samordningsförbundet Norra")
    assert named.exit_code == 0 and "--forbund" not in named.stdout
    tables = run("pack", path, "--out", tmp_path / "c", "--format", "xlsx")
    assert "--forbund" not in tables.stdout  # no title page written


def test_a_year_out_of_range_is_named_as_such(tmp_path, catalog):
    path = write_csv(tmp_path / "styrelse.csv", [["År", "F1"], ["1985", "3"], ["20x4", "4"]])
    result = import_files([path], catalog)
    messages = {p.location.row: p.message for p in result.errors}
    assert "utanför" in messages[2] and "1990–2100" in messages[2]
    assert messages[3] == "Året kan inte tolkas."
