"""The board's goals typed in Excel (a sheet named Mål) give what mal.toml gives."""

from __future__ import annotations

import shutil

import pytest

from indikator.errors import IndikatorError
from indikator.input.example import bundled_folder
from indikator.input.goal_sheets import number, questions, read_goal_sheets
from indikator.output.pack import PackOptions, build_pack

# the bundled mal.toml, typed as a Swede types it: names of surveys, decimal commas,
# percent signs, spans of questions, numbers as text and as numbers
ROWS = [
    ("Mål", "Enkät", "Frågor", "Mått", "Jämförelse", "Nivå"),
    ("Deltagarna upplever att stödet varit till nytta", "Deltagare, avslut", "1, 2",
     "Andel positiva", "minst", "75 %"),
    ("Deltagarna har utvecklat sätt att hantera sin situation", "Deltagare, pågående", 5,
     None, "Minst", 70),
    ("Medelvärde minst 3,0 på avslutsenkäten", "Deltagare, avslut", "5–7", "medelvärde",
     "minst", "3,0"),
    ("Förebyggande insatser har utvecklats", "Beredningsgrupp", "4", None, "minst", "90"),
    ("Personalen upplever att andra myndigheter lyssnar", "Personal", "3", None, "minst",
     "70 %"),
    ("Styrelsens strukturer inte sämre än i fjol", "Styrelse", "1-3", None,
     "inte under fjolåret", None),
]


def workbook(path, rows=ROWS, sheet="Mål"):
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.title = sheet
    for row in rows:
        ws.append(list(row))
    book.save(path)
    return path


@pytest.fixture(scope="module")
def toml_pack(tmp_path_factory, catalog):
    out = tmp_path_factory.mktemp("toml") / "p"
    return build_pack([bundled_folder()], out, catalog, PackOptions(formats=()))


def test_a_mal_sheet_beside_the_answers_gives_mal_toml_s_goals(tmp_path, catalog, toml_pack):
    folder = tmp_path / "svar"
    shutil.copytree(bundled_folder(), folder)
    (folder / "mal.toml").unlink()
    workbook(folder / "mal.xlsx")
    pack = build_pack([folder], tmp_path / "p", catalog, PackOptions(formats=()))
    assert (pack.out / "mal.csv").read_bytes() == (toml_pack.out / "mal.csv").read_bytes()


def test_mal_given_as_a_workbook_gives_the_same(tmp_path, catalog, toml_pack):
    folder = tmp_path / "svar"
    shutil.copytree(bundled_folder(), folder)
    (folder / "mal.toml").unlink()
    goals = workbook(tmp_path / "styrelsens_mal.xlsx", sheet="Blad1")  # the only sheet
    pack = build_pack([folder], tmp_path / "p", catalog,
                      PackOptions(formats=(), goals=goals))
    assert (pack.out / "mal.csv").read_bytes() == (toml_pack.out / "mal.csv").read_bytes()


@pytest.mark.parametrize("typed, expected", [
    ("3,5", 3.5), ("70 %", 70.0), (70, 70.0), ("70,0\u00a0%", 70.0), ("−1", -1.0),
    ("sjuttio", None), ("3,5,1", None), (True, None), ("", None),
])
def test_a_number_is_read_with_a_decimal_comma(typed, expected):
    assert number(typed) == expected


@pytest.mark.parametrize("typed, expected", [
    ("1, 2", [1, 2]), ("1–3", [1, 2, 3]), ("5-7", [5, 6, 7]), (4, [4]), (4.0, [4]),
    ("1 och 2", [1, 2]), ("3-1", None), ("ett", None), (4.5, None),
])
def test_questions_are_read_as_typed(typed, expected):
    assert questions(typed) == expected


@pytest.mark.parametrize("row, column, says", [
    (("X", "Personal", "3", None, "minst", "sjuttio"), "Nivå", "nivån är inget tal"),
    (("X", "Personal", "tre", None, "minst", "70"), "Frågor", "frågorna kan inte läsas"),
    (("X", "Personal", "3", None, "ungefär", "70"), "Jämförelse", "jämförelsen"),
    (("X", "Personal", "3", "summa", "minst", "70"), "Mått", "måttet"),
    (("X", "Personal", "42", None, "minst", "70"), "Frågor", "fråga 42 finns inte"),
    (("X", "Okänd", "3", None, "minst", "70"), "Enkät", "Deltagare, pågående"),
    (("X", "Personal", "3", None, "minst", "0,7"), "Nivå", "1 % eller lägre"),
    (("X", "Personal", "3", None, "högst", "150 %"), "Nivå", "'högst' är utanför skalan"),
])
def test_a_bad_row_is_named_by_sheet_row_and_column(tmp_path, catalog, row, column, says):
    from indikator.reading import read_file

    path = workbook(tmp_path / "mal.xlsx", rows=[ROWS[0], ROWS[1], row])
    with pytest.raises(IndikatorError) as error:
        read_goal_sheets(read_file(path), catalog)
    (problem,) = error.value.problems
    assert says in problem.message and problem.message.startswith("Mål 2:")
    assert problem.location.sheet == "Mål" and problem.location.row == 3
    if column is not None:
        assert problem.location.column == column


def test_indikator_mall_writes_a_template_that_fills_in_to_the_example(tmp_path, catalog,
                                                                        toml_pack):
    """The template, filled in as the example's mal.toml and svarsfrekvens_2025.xlsx, gives
    their mal.csv and svarsfrekvens.csv byte for byte; empty, it adds nothing."""
    from openpyxl import load_workbook

    from indikator.cli.main import run
    from indikator.input.goal_sheets import COLUMNS

    folder = tmp_path / "svar"
    shutil.copytree(bundled_folder(), folder)
    rates = load_workbook(folder / "svarsfrekvens_2025.xlsx")["Svarsfrekvens"]
    rate_rows = list(rates.iter_rows(min_row=2, values_only=True))
    (folder / "mal.toml").unlink()
    (folder / "svarsfrekvens_2025.xlsx").unlink()
    template = folder / "mal_och_svarsfrekvens.xlsx"
    assert run(["mall", str(template)]) == 0
    assert run(["mall", str(template)]) == 2  # never overwritten
    book = load_workbook(template)
    assert [c.value for c in book["Mål"][1]] == list(COLUMNS)
    assert all(c.comment is not None for c in book["Mål"][1])
    assert [c.value for c in book["Svarsfrekvens"][1]][:5] == [
        "Enkät", "År", "Insats", "Tillfrågade", "Tackat nej"]
    empty = build_pack([folder], tmp_path / "tom", catalog, PackOptions(formats=()))
    assert empty.goals is None or empty.goals.empty  # an empty template adds nothing
    heads = [c.value for c in book["Mål"][1]]
    for row in ROWS[1:]:
        values = dict(zip(ROWS[0], row, strict=True))
        book["Mål"].append([values.get(h) for h in heads])
    for row in rate_rows:
        book["Svarsfrekvens"].append(list(row))
    book.save(template)
    pack = build_pack([folder], tmp_path / "p", catalog, PackOptions(formats=()))
    for name in ("mal.csv", "svarsfrekvens.csv"):
        assert (pack.out / name).read_bytes() == (toml_pack.out / name).read_bytes(), name


@pytest.mark.parametrize("typed", ['"3,5"', '"3.5"', "3.5", '" 3,50 "'])
def test_a_toml_goal_typed_with_a_decimal_comma_is_the_same_goal(tmp_path, catalog, typed):
    """`at_least = 3,5` is not TOML (the message says so); quoted, it is read as 3.5."""
    from indikator.input.goals import read_goals

    path = tmp_path / "mal.toml"
    path.write_text('[[goal]]\nname = "Nytta"\nsurvey = "deltagare_avslut"\n'
                    f'questions = [1, 2]\nmeasure = "mean"\nat_least = {typed}\n',
                    encoding="utf-8")
    (goal,) = read_goals(path, catalog)
    assert goal.target == 3.5 and goal.comparison == "at_least" and goal.measure == "mean"
    path.write_text(path.read_text(encoding="utf-8").replace(f"at_least = {typed}",
                                                             'at_least = "tre"'),
                    encoding="utf-8")
    with pytest.raises(IndikatorError) as caught:
        read_goals(path, catalog)
    assert "'at_least' ska vara ett tal" in str(caught.value.problems[0])



@pytest.mark.parametrize("stored, measure, read", [
    (0.7, None, 70.0), (0.755, "andel positiva", 75.5), (1, None, 100.0), (70, None, 70.0),
    (0.7, "medelvärde", None),  # a mean of 0,7 is off the scale, not a percent
])
def test_a_percent_formatted_cell_is_read_as_the_percent_excel_shows(tmp_path, catalog,
                                                                      stored, measure, read):
    """Typed as "70 %", Excel keeps 0.7 in a percent-formatted cell: it is 70 %, never
    0,7 % (which any share would meet)."""
    from openpyxl import Workbook

    from indikator.reading import read_file

    book = Workbook()
    sheet = book.active
    sheet.title = "Mål"
    sheet.append(list(ROWS[0]))
    sheet.append(["X", "Personal", "3", measure, "minst", stored])
    sheet["F2"].number_format = "0%"
    book.save(tmp_path / "mal.xlsx")
    if read is None:
        with pytest.raises(IndikatorError) as error:
            read_goal_sheets(read_file(tmp_path / "mal.xlsx"), catalog)
        assert error.value.problems[0].location.column == "Nivå"
        return
    (goal,) = read_goal_sheets(read_file(tmp_path / "mal.xlsx"), catalog)
    assert goal.target == pytest.approx(read)
