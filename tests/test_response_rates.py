"""Response rates: asked and declined from the förbund, answers from the data."""

import pandas as pd
import pytest
from conftest import write_xlsx
from test_cli import run

from indikator.errors import IndikatorError
from indikator.importing import import_files
from indikator.output.pack import PackOptions, build_pack


def board(year, n, group=None):
    return [[year, group, 4, 5, 6] for _ in range(n)]


@pytest.fixture
def workbook(tmp_path):
    rows = [["År", "Insats", "F1", "F2", "F3"], *board(2025, 24, "A"), *board(2025, 7, "B"),
            *board(2025, 2, "C"), *board(2025, 4)]  # C is small; with 4 outside any insats
    # the rest (6) protects it, so B stays shown
    rates = [["Enkät", "År", "Insats", "Tillfrågade", "Tackat nej"],
             ["Styrelse", 2025, "A", 39, 15],       # 24 of 39 = 61.5 %, 15 declined
             ["Styrelse", None, None, 40, None],     # the whole survey: 37 of 40
             ["Styrelse", 2025, "B", 7, 1],          # 7 answers + 1 declined > 7 asked
             ["Styrelse", 2025, "C", 4, 0],          # C is hidden (2 answers)
             ["Styrelse", 2025, "D", 9, 0]]          # no D in the data
    return write_xlsx(tmp_path / "styrelse.xlsx", {"Styrelse": rows, "Svarsfrekvens": rates})


def test_rate_sheet_is_not_a_survey_sheet(workbook, catalog):
    result = import_files([workbook], catalog)
    assert len(result.respondents) == 37 and not result.errors
    assert [s.sheet for s in result.side_sheets] == ["Svarsfrekvens"]


def test_rates_arithmetic_and_warnings(workbook, catalog, tmp_path):
    pack = build_pack([workbook], tmp_path / "p", catalog, PackOptions(formats=()))
    rates = pd.read_csv(tmp_path / "p" / "svarsfrekvens.csv").set_index("group")
    assert rates.loc["A", ["answers", "asked", "declined"]].tolist() == [24, 39, 15]
    assert rates.loc["A", "response_rate"] == pytest.approx(100 * 24 / 39)
    assert rates.loc["Alla", ["answers", "asked"]].tolist() == [37, 40]
    assert rates.loc["Alla", "response_rate"] == pytest.approx(92.5)
    assert pd.isna(rates.loc["Alla", "declined"])
    assert "C" not in rates.index  # hidden for too few answers, so its rate is hidden too
    codes = [p.code for p in pack.notes]
    assert codes.count("response-rate-mismatch") == 2  # B does not add up; D is not there
    assert "response-rate-hidden" in codes


def test_rates_in_the_summary_as_reports_write_them(workbook, tmp_path):
    result = run("pack", workbook, "--out", tmp_path / "p", "--jobs", 1)
    assert result.exit_code == 0, result.output
    assert ("Styrelse 2025, A: 24 svar av 39 tillfrågade (62\u00a0%), 15 tackade nej"
            in result.stdout)
    assert "Styrelse 2025: 37 svar av 40 tillfrågade (93\u00a0%)" in result.stdout  # half up


def test_rates_file_option_and_bad_rows(tmp_path, catalog):
    data = write_xlsx(tmp_path / "styrelse.xlsx",
                      {"Styrelse": [["År", "F1"], *[[2025, 4]] * 6]})
    rates = tmp_path / "frekvens.csv"
    rates.write_text("Enkät;Tillfrågade\nStyrelse;10\n", encoding="utf-8")
    pack = build_pack([data], tmp_path / "p", catalog,
                      PackOptions(formats=(), response_rates=rates))
    assert pack.rates[["answers", "asked"]].values.tolist() == [[6, 10]]
    rates.write_text("Enkät;Tillfrågade\nStyrelsen;tio\n", encoding="utf-8")
    with pytest.raises(IndikatorError) as info:
        build_pack([data], tmp_path / "q", catalog, PackOptions(formats=(), response_rates=rates))
    assert any(p.location.row == 2 and p.value == "tio" for p in info.value.problems)


def test_validate_checks_the_rate_sheet_and_the_goals(tmp_path):
    rows = [["År", "F1"], *[[2025, 4]] * 6]
    rates = [["Enkät", "Tillfrågade"], ["Styrelse", "många"]]
    path = write_xlsx(tmp_path / "styrelse.xlsx", {"Styrelse": rows, "Svarsfrekvens": rates})
    (tmp_path / "mal.toml").write_text('[[goal]]\nname = "x"\nsurvey = "styrelse"\n'
                                       "questions = [7]\nat_least = 1\n", encoding="utf-8")
    result = run("validate", path)
    assert result.exit_code == 2  # as pack: a side file that cannot be used
    assert "'många'" in result.stdout and "fråga 7 finns inte" in result.stdout
    packed = run("pack", path, "--out", tmp_path / "p", "--format", "xlsx")
    assert packed.exit_code == 2 and "fråga 7 finns inte" in packed.output


def test_validate_does_not_say_a_pack_was_not_written(tmp_path, catalog):
    """validate writes nothing: its list says what is wrong, not "inget paket skrevs";
    pack, which stops, still says it."""
    import shutil

    from indikator.errors import NOT_WRITTEN, IndikatorError
    from indikator.input.example import bundled_folder
    from indikator.input.files import validation
    from indikator.output.pack import PackOptions, build_pack

    folder = tmp_path / "svar"
    shutil.copytree(bundled_folder(), folder)
    (folder / "svarsfrekvens_2025.xlsx").unlink()
    rates = tmp_path / "svarsfrekvens.csv"
    rates.write_text("Enkät;År;Insats;Tillfrågade;Tackat nej\npersonal;2025;;12;0\n",
                     encoding="utf-8")
    options = PackOptions(formats=(), response_rates=rates)
    imported, code = validation([folder], catalog, options)
    said = [p.message for p in imported.problems if p.severity == "error"]
    assert code == 1 and any("går inte ihop" in m for m in said)
    assert not any(NOT_WRITTEN.strip("; .") in m for m in said)
    with pytest.raises(IndikatorError) as stopped:
        build_pack([folder], tmp_path / "p", catalog, options)
    assert stopped.value.message.endswith(NOT_WRITTEN)
