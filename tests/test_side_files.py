"""The files read beside the answers (mal.toml, --compare and --reference's distributions.csv
and grupper.csv, Svarsfrekvens) are read as strictly as the answers: the same guards, and
every problem a Swedish message with file, row and column and an exit code of 1 or 2."""

from __future__ import annotations

import contextlib
import csv
import io
import math
import os
import re
import signal
import sys
import tempfile
from pathlib import Path

import numpy as np
import pytest
from conftest import write_xlsx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indikator.analysis.stats import group_sizes
from indikator.cli.main import run as run_cli
from indikator.errors import CATALOGUE, EXIT_DATA, EXIT_INPUT, IndikatorError
from indikator.input.goals import read_goals
from indikator.input.previous import read_previous
from indikator.input.response_rates import read_rate_file, read_rate_sheets, response_rates
from indikator.output.pack import PackOptions, build_pack

unix_only = pytest.mark.skipif(sys.platform == "win32" or not hasattr(os, "mkfifo"),
                               reason="FIFOs and /dev")
ENGLISH = re.compile(r"Traceback|\bExpected\b|\bInvalid\b|\bCannot\b|Unclosed|Unterminated|"
                     r"invalid literal|could not convert|cannot convert|[A-Z][a-z]+Error\b")


def plant(path: Path, kind: str) -> Path:
    """A side file that is no regular file: a FIFO (opening it waits for a writer) or a
    link to /dev/zero (reading it never ends)."""
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    return path


def cli(*args):
    """(exit code, everything printed); the program never prints a traceback."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run_cli([str(a) for a in args])
    text = out.getvalue() + err.getvalue()
    assert "Traceback" not in text and "Internt fel" not in text, text
    assert code != 3, text
    return code, text


@contextlib.contextmanager
def within(seconds: int):
    """Fail instead of hanging: a FIFO that is opened waits for a writer forever."""
    def stop(signum, frame):
        raise TimeoutError(f"did not finish within {seconds} s")

    old = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def board(year: int, shift: int, seed: int) -> list[list]:
    rng = np.random.default_rng(seed)
    rows = [["År", "Insats", "F1", "F2", "F3"]]
    for i in range(14):
        rows.append([year, "A" if i < 8 else "B",
                     *np.clip(rng.integers(1, 5, 3) + shift, 1, 6).tolist()])
    return rows


@pytest.fixture(scope="module")
def made(tmp_path_factory, catalog):
    """Styrelse 2024 packed (its distributions.csv and grupper.csv: valid side files), and
    the 2025 answers a run compares with them."""
    root = tmp_path_factory.mktemp("side")
    last = write_xlsx(root / "styrelse_2024.xlsx", {"Styrelse": board(2024, 0, 7)})
    this = write_xlsx(root / "styrelse_2025.xlsx", {"Styrelse": board(2025, 2, 8)})
    build_pack([last], root / "fjol", catalog, PackOptions(formats=()))
    build_pack([this], root / "riket", catalog, PackOptions(formats=()))
    return {"root": root, "this": this, "last": last,
            "dist": root / "fjol" / "distributions.csv",
            "reference": root / "riket" / "distributions.csv"}


def rows_of(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def write_rows(path: Path, rows: list[list]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    return path


def refused(exc: IndikatorError, path: Path) -> None:
    """A refusal as the user must see it: exit 1 or 2, a position in the file, Swedish."""
    assert exc.exit_code in (EXIT_DATA, EXIT_INPUT)
    assert exc.problems, exc.message
    for problem in exc.problems:
        assert problem.code in CATALOGUE
        assert Path(problem.location.file).name == path.name
        assert not ENGLISH.search(problem.message), problem.message
    assert not ENGLISH.search(exc.message), exc.message


# --- mal.toml -------------------------------------------------------------------------------

GOAL = '[[goal]]\nname = "Nytta"\nsurvey = "styrelse"\nquestions = [1, 2]\n{line}\n'


@pytest.mark.parametrize(("line", "hint"), [
    ("at_least = 3,5", "3.5"), ("at_least = 72,25", "72.25"), ("at_most = 75 %", "utan procent"),
    ('name2 = ”Mål”', "raka citattecken"), ("at_least = 70\nat_least = 80", "två gånger"),
    ('measure = "mean', "stängs aldrig"), ("at_least = [70", "] saknas"),
    ("[[goal]\nat_least = 1", "två hakparenteser"), ("at_least == 70", "Värdet går inte"),
])
def test_toml_syntax_errors_are_swedish_with_line_and_column(tmp_path, catalog, line, hint):
    text = GOAL.format(line=line)
    path = tmp_path / "mal.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(IndikatorError) as info:
        read_goals(path, catalog)
    refused(info.value, path)
    (problem,) = info.value.problems
    assert problem.code == "goal-syntax" and hint in problem.message, problem.message
    assert problem.location.row is not None and problem.location.row >= 5
    assert re.search(r"tecken \d+|i slutet av filen", problem.message)


@given(st.integers(0, 10_000), st.text(alphabet=',"[]=#%\n 3.5ab”{}\\\'', min_size=1,
                                       max_size=3))
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_edit_of_a_goals_file_is_read_or_refused_in_swedish(catalog, at, insert):
    """Characters put anywhere in a valid mal.toml: the goals are read, or refused with a
    Swedish message at a line; never another exception."""
    text = GOAL.format(line="at_least = 70")
    at = at % (len(text) + 1)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "mal.toml"
        path.write_text(text[:at] + insert + text[at:], encoding="utf-8")
        try:
            goals = read_goals(path, catalog)
        except IndikatorError as exc:
            refused(exc, path)
            assert all(p.location.row is not None for p in exc.problems
                       if p.code == "goal-syntax")
            return
    for goal in goals:
        assert goal.target is None or 0 <= goal.target <= 100


@pytest.mark.parametrize(("measure", "target"), [
    ("share_positive", "nan"), ("share_positive", "inf"), ("share_positive", "-inf"),
    ("share_positive", "-5"), ("share_positive", "500"), ("share_positive", "100.5"),
    ("mean", "0.5"), ("mean", "7"), ("mean", "nan"), ("share_positive", '"170 %"'),
    ("mean", '"6,5"'),
])
def test_a_target_off_the_measures_scale_is_refused(tmp_path, catalog, measure, target):
    text = (f'[[goal]]\nname = "x"\nsurvey = "styrelse"\nquestions = [1]\n'
            f'measure = "{measure}"\nat_least = {target}\n')
    path = tmp_path / "mal.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(IndikatorError) as info:
        read_goals(path, catalog)
    refused(info.value, path)
    (problem,) = info.value.problems
    assert problem.location.row == 1 and "(rad 6)" in problem.message
    assert problem.expected and ("0–100" in problem.expected or "mellan 1 och 6"
                                 in problem.expected)


def test_targets_on_the_scale_are_read(tmp_path, catalog):
    path = tmp_path / "mal.toml"
    path.write_text('[[goal]]\nname = "x"\nsurvey = "styrelse"\nquestions = [1]\n'
                    'measure = "mean"\nat_least = 3.5\n[[goal]]\nname = "y"\n'
                    'survey = "styrelse"\nquestions = [1]\nat_most = 0\n', encoding="utf-8")
    assert [g.target for g in read_goals(path, catalog)] == [3.5, 0.0]


@unix_only
@pytest.mark.parametrize("kind", ["fifo", "devzero", "huge"])
def test_goals_file_through_the_guards(tmp_path, catalog, kind, made):
    path = tmp_path / "mal.toml"
    if kind != "huge":
        plant(path, kind)
    else:
        with path.open("wb") as f:
            f.truncate(50 * 1024**2)  # sparse: 50 MB of nothing
    with within(20), pytest.raises(IndikatorError) as info:
        read_goals(path, catalog)
    assert info.value.exit_code == EXIT_INPUT and info.value.problems
    with within(60):
        code, text = cli("pack", made["this"], "--mal", path, "--out", tmp_path / "p",
                         "--format", "xlsx")
    assert code == EXIT_INPUT and "mal.toml" in text
    assert not (tmp_path / "p").exists()


@unix_only
def test_a_fifo_named_mal_toml_beside_the_answers_is_refused(tmp_path, made):
    folder = tmp_path / "svar"
    folder.mkdir()
    (folder / "styrelse_2025.xlsx").write_bytes(made["this"].read_bytes())
    plant(folder / "mal.toml", "fifo")
    with within(60):
        code, text = cli("pack", folder, "--out", tmp_path / "p", "--format", "xlsx")
    assert code == EXIT_INPUT and "ingen vanlig fil" in text


def test_decimal_comma_through_the_cli(tmp_path, made):
    path = tmp_path / "mal.toml"
    path.write_text(GOAL.format(line="at_least = 3,5"), encoding="utf-8")
    code, text = cli("pack", made["this"], "--mal", path, "--out", tmp_path / "p",
                     "--format", "xlsx")
    assert code == EXIT_INPUT
    assert "mal.toml, rad 5" in text and "tecken 13" in text and "3.5" in text
    assert not ENGLISH.search(text), text


# --- --compare and --reference ----------------------------------------------------------------

def test_a_valid_file_is_read_with_percent_from_the_counts(made, catalog):
    previous = read_previous(made["dist"], catalog, {"styrelse": {2025}})
    table = previous.table
    assert (table["percent"] == 100 * table["count"] / table["n"]).all()
    assert previous.groups is not None and set(previous.groups["group"]) >= {"Alla", "A"}


def _corrupt(rows: list[list[str]], kind: str, row: int, column: int, value: str,
             delta: int) -> list[list[str]]:
    rows = [list(r) for r in rows]
    body = rows[1:]
    r = 1 + row % len(body)
    header = rows[0]
    count, n, percent = header.index("count"), header.index("n"), header.index("percent")
    if kind == "cell":
        rows[r][column % len(header)] = value
    elif kind == "delete":
        del rows[r]
    elif kind == "duplicate":
        rows.insert(r, list(rows[r]))
    elif kind == "percent_all":
        for line in rows[1:]:
            line[percent] = value
    elif kind in ("shift", "shift_consistent"):
        # move `delta` answers between two codes of one question: n still adds up
        other = r + 1 if r + 1 < len(rows) and rows[r + 1][3] == rows[r][3] else r - 1
        rows[r][count] = str(int(rows[r][count]) + delta)
        rows[other][count] = str(int(rows[other][count]) - delta)
        if kind == "shift_consistent":
            for line in (rows[r], rows[other]):
                line[percent] = repr(100 * int(line[count]) / int(line[n]))
    return rows


VALUES = st.one_of(
    st.integers(-10**25, 10**25).map(str), st.floats(allow_nan=True, allow_infinity=True).map(
        repr), st.text(max_size=6), st.sampled_from(
        ["", "Alla", "Ja", "Nej", "Aldrig", "Helt och hållet", "Delvis ", "=1+1", "-3", "0",
         "99", "1e20", "3,5", "styrelse", "personal", "2026", "2023", "frekvens", "jaNej"]))


@given(kind=st.sampled_from(["cell", "cell", "cell", "delete", "duplicate", "percent_all",
                             "shift", "shift_consistent"]),
       row=st.integers(0, 10_000), column=st.integers(0, 10), value=VALUES,
       delta=st.integers(-30, 30).filter(bool))
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_corrupted_distributions_are_refused_or_published_from_counts(made, catalog, kind, row,
                                                                      column, value, delta):
    """Any corruption of a valid distributions.csv: refused (exit 1/2, file, row, column,
    Swedish), or read with every share recomputed from the counts, every count a whole
    number of at least 0 adding up to n, and labels and codes the questionnaire's."""
    rows = _corrupt(rows_of(made["dist"]), kind, row, column, value, delta)
    with tempfile.TemporaryDirectory() as folder:
        path = write_rows(Path(folder) / "distributions.csv", rows)
        for reference in (False, True):
            try:
                previous = read_previous(path, catalog, {"styrelse": {2024 if reference
                                                                      else 2025}},
                                         reference=reference)
            except IndikatorError as exc:
                refused(exc, path)
                assert any(p.location.row is not None or p.code == "unreadable-file"
                           for p in exc.problems)  # a NUL byte: no text file at all
                continue
            table = previous.table
            assert (table["count"] >= 0).all() and (table["n"] >= 0).all()
            assert np.allclose(table["percent"], 100 * table["count"] / table["n"])
            sums = table.groupby(["survey", "year", "group", "question"])["count"].sum()
            ns = table.groupby(["survey", "year", "group", "question"])["n"].first()
            assert (sums == ns).all()
            assert not table.duplicated(["survey", "year", "group", "question", "code"]).any()
            assert (table["year"] < 2025).all() or reference
            for r in table.itertuples():
                scale = catalog.get(r.survey, r.year).question(r.question).scale
                assert r.scale == scale.id and r.label == scale.label(r.code)


@pytest.mark.parametrize(("edit", "column", "words"), [
    ({"count": "-1"}, "count", "heltal"),
    ({"count": str(10**20)}, "count", "heltal"),
    ({"count": "2.5"}, "count", "heltal"),
    ({"label": "Ibland ofta"}, "label", "Svarstexten"),
    ({"code": "9"}, "code", "finns inte på skalan"),
    ({"question": "99"}, "question", "finns inte i"),
    ({"survey": "okand"}, "survey", "Okänd enkät"),
    ({"year": "2026"}, "year", "senare än svarens"),
    ({"year": "2025"}, "year", "finns både"),
    ({"percent": "99"}, "percent", "Andelen stämmer inte"),
    ({"scale": "frekvens", "label": "Ibland"}, "scale", "annan skala"),
])
def test_each_kind_of_edit_names_file_row_and_column(made, catalog, tmp_path, edit, column,
                                                     words):
    rows = rows_of(made["dist"])
    header = rows[0]
    for key, value in edit.items():
        for line in rows[1:] if key == "year" else [rows[3]]:  # a year: the whole file's
            line[header.index(key)] = value
    path = write_rows(tmp_path / "distributions.csv", rows)
    with pytest.raises(IndikatorError) as info:
        read_previous(path, catalog, {"styrelse": {2025}})
    refused(info.value, path)
    problem = next((p for p in info.value.problems if words in p.message), None)
    assert problem is not None, info.value.problems
    assert problem.location.column == column and problem.location.row is not None
    assert problem.location.letter == "ABCDEFGHIJK"[header.index(column)]


def test_a_duplicate_row_names_both_rows(made, catalog, tmp_path):
    rows = rows_of(made["dist"])
    rows.insert(4, list(rows[3]))
    path = write_rows(tmp_path / "distributions.csv", rows)
    with pytest.raises(IndikatorError) as info:
        read_previous(path, catalog)
    messages = " ".join(p.message for p in info.value.problems)
    assert "står redan på rad 4" in messages
    assert any(p.location.row == 5 for p in info.value.problems)


def test_percent_rounded_in_excel_is_read_and_recomputed(made, catalog, tmp_path):
    rows = rows_of(made["dist"])
    col = rows[0].index("percent")
    for line in rows[1:]:
        line[col] = str(round(float(line[col]))).replace(".", ",")
    path = write_rows(tmp_path / "distributions.csv", rows)
    table = read_previous(path, catalog).table
    assert np.allclose(table["percent"], 100 * table["count"] / table["n"])


def test_a_shifted_but_consistent_file_publishes_its_counts(made, catalog, tmp_path):
    """An edited file whose counts, n and percent agree is accepted: what is published of it
    (the comparison charts' bars) is count/n, never a percent copied from the file."""
    rows = _corrupt(rows_of(made["dist"]), "shift_consistent", 0, 0, "", 1)
    path = write_rows(tmp_path / "fjol" / "distributions.csv", rows)
    pack = build_pack([made["this"]], tmp_path / "p", catalog,
                      PackOptions(formats=(), compare=path))
    charts = [f.spec for f in pack.figures if f.kind == "jamforelse"]
    assert charts
    for spec in charts:
        data = spec.data
        assert np.allclose(data["percent"], 100 * data["count"] / data["n"])


def test_a_later_year_in_compare_is_refused_in_the_cli(made, tmp_path):
    rows = rows_of(made["dist"])
    year = rows[0].index("year")
    for line in rows[1:]:
        line[year] = "2026"
    path = write_rows(tmp_path / "distributions.csv", rows)
    code, text = cli("pack", made["this"], "--compare", path, "--out", tmp_path / "p",
                     "--format", "xlsx")
    assert code == EXIT_INPUT
    assert "2026" in text and "distributions.csv" in text and "senare än svarens" in text


def test_a_reference_of_another_year_is_refused(made, tmp_path):
    code, text = cli("pack", made["this"], "--reference", made["dist"], "--out",
                     tmp_path / "p", "--format", "xlsx")
    assert code == EXIT_INPUT and "samma år" in text


def test_a_negative_count_in_the_reference_is_refused(made, catalog, tmp_path):
    """Through --reference a negative count once showed as a share of 137.5 %."""
    rows = _corrupt(rows_of(made["reference"]), "shift_consistent", 0, 0, "", -40)
    path = write_rows(tmp_path / "distributions.csv", rows)
    code, text = cli("pack", made["this"], "--reference", path, "--out", tmp_path / "p",
                     "--format", "xlsx")
    assert code == EXIT_INPUT and "rad 2, kolumn I (\"count\")" in text
    assert not (tmp_path / "p").exists()


def test_cli_refuses_edited_counts_and_labels_without_internal_error(made, tmp_path):
    for column, value in (("count", "-3"), ("count", "100000000000000000000"),
                          ("label", "Kanske")):
        rows = rows_of(made["dist"])
        rows[2][rows[0].index(column)] = value
        path = write_rows(tmp_path / "distributions.csv", rows)
        code, text = cli("pack", made["this"], "--compare", path, "--out", tmp_path / "p",
                         "--format", "xlsx")
        assert code == EXIT_INPUT and "rad 3" in text and f'"{column}"' in text, text


@unix_only
@pytest.mark.parametrize("option", ["--compare", "--reference"])
@pytest.mark.parametrize("kind", ["fifo", "devzero"])
def test_compare_and_reference_through_the_guards(made, tmp_path, option, kind):
    path = plant(tmp_path / "distributions.csv", kind)
    with within(60):
        code, text = cli("pack", made["this"], option, path, "--out", tmp_path / "p",
                         "--format", "xlsx")
    assert code == EXIT_INPUT and "ingen vanlig fil" in text


@unix_only
@pytest.mark.parametrize("kind", ["fifo", "devzero"])
def test_grupper_csv_beside_compare_through_the_guards(made, tmp_path, catalog, kind):
    folder = tmp_path / "fjol"
    folder.mkdir()
    (folder / "distributions.csv").write_bytes(made["dist"].read_bytes())
    plant(folder / "grupper.csv", kind)
    with within(20), pytest.raises(IndikatorError) as info:
        read_previous(folder / "distributions.csv", catalog)
    assert info.value.exit_code == EXIT_INPUT
    assert "grupper.csv" in info.value.problems[0].location.file


@pytest.mark.parametrize(("column", "value", "words"), [
    ("shown", "kanske", "True eller False"),
    ("shown", "False", "dold här men har siffror"),
    ("year", "tjugo", "Ett år"),
    ("survey", "okand", "Okänd enkät"),
    ("respondents", "-4", "antal"),
])
def test_grupper_csv_is_checked(made, tmp_path, catalog, column, value, words):
    folder = tmp_path / "fjol"
    folder.mkdir()
    (folder / "distributions.csv").write_bytes(made["dist"].read_bytes())
    rows = rows_of(made["dist"].with_name("grupper.csv"))
    line = next(i for i, r in enumerate(rows) if r[rows[0].index("group")] == "Alla")
    rows[line][rows[0].index(column)] = value
    write_rows(folder / "grupper.csv", rows)
    with pytest.raises(IndikatorError) as info:
        read_previous(folder / "distributions.csv", catalog)
    refused(info.value, folder / "grupper.csv")
    problem = info.value.problems[0]
    assert words in problem.message and problem.location.row == line + 1
    assert problem.location.column == column


def test_grupper_csv_in_excel_swedish_is_read(made, tmp_path, catalog):
    folder = tmp_path / "fjol"
    folder.mkdir()
    (folder / "distributions.csv").write_bytes(made["dist"].read_bytes())
    rows = rows_of(made["dist"].with_name("grupper.csv"))
    shown = rows[0].index("shown")
    for r in rows[1:]:
        r[shown] = {"True": "SANT", "False": "FALSKT"}[r[shown]]
    write_rows(folder / "grupper.csv", rows)
    groups = read_previous(folder / "distributions.csv", catalog).groups
    assert groups["shown"].dtype == bool


# --- response rates -------------------------------------------------------------------------

def rate_sheet(tmp_path, rates):
    rows = [["År", "Insats", "F1", "F2", "F3"],
            *[[2025, "A", 4, 5, 6]] * 8, *[[2025, "B", 3, 4, 5]] * 6]
    return write_xlsx(tmp_path / "styrelse.xlsx", {"Styrelse": rows, "Svarsfrekvens": rates})


RATE_HEAD = ["Enkät", "År", "Insats", "Tillfrågade", "Tackat nej"]


@pytest.mark.parametrize(("row", "letter", "words"), [
    (["Styrelse", 2025, "A", 0, 0], "D", "minst 1"),
    (["Styrelse", 2025, "A", -3, 0], "D", "minst 1"),
    (["Styrelse", 2025, "A", 10, 11], "E", "Fler har tackat nej"),
    (["Styrelse", 2025, "A", 10, -1], "E", "negativt"),
    (["Styrelse", 2025, "A", 1e300, 0], "D", "orimligt stort"),
    (["Styrelse", 2025, "A", "nan", 0], "D", "heltal"),
    (["Styrelse", 2025, "A", "inf", 0], "D", "heltal"),
    (["Styrelse", 12025, "A", 10, 0], "B", "orimligt"),
])
def test_rate_rows_that_cannot_be_a_rate(tmp_path, catalog, row, letter, words):
    path = rate_sheet(tmp_path, [RATE_HEAD, row])
    with pytest.raises(IndikatorError) as info:
        build_pack([path], tmp_path / "p", catalog, PackOptions(formats=()))
    refused(info.value, path)
    (problem,) = info.value.problems
    assert words in problem.message, problem
    loc = problem.location
    assert (loc.sheet, loc.row, loc.letter) == ("Svarsfrekvens", 2, letter)
    code, text = cli("pack", path, "--out", tmp_path / "q", "--format", "xlsx")
    assert code in (EXIT_DATA, EXIT_INPUT) and 'blad "Svarsfrekvens", rad 2' in text


def test_two_rows_for_one_group_name_both_rows(tmp_path, catalog):
    path = rate_sheet(tmp_path, [RATE_HEAD, ["Styrelse", 2025, "A", 10, 0],
                                 ["Styrelse", 2025, "B", 10, 0], ["styrelse", 2025, "a", 12, 1]])
    with pytest.raises(IndikatorError) as info:
        build_pack([path], tmp_path / "p", catalog, PackOptions(formats=()))
    (problem,) = info.value.problems
    assert problem.location.row == 4 and "rad 2" in problem.message


def test_a_row_without_year_and_one_with_it_are_the_same_row(tmp_path, catalog):
    path = rate_sheet(tmp_path, [RATE_HEAD, ["Styrelse", None, None, 20, 0],
                                 ["Styrelse", 2025, "Alla", 21, 0]])
    with pytest.raises(IndikatorError) as info:
        build_pack([path], tmp_path / "p", catalog, PackOptions(formats=()))
    (problem,) = info.value.problems
    assert problem.code == "bad-response-rates" and "rad 2" in problem.message
    assert problem.location.row == 3


def test_the_same_group_in_the_sheet_and_the_file(tmp_path, catalog):
    path = rate_sheet(tmp_path, [RATE_HEAD, ["Styrelse", 2025, "A", 10, 0]])
    extra = tmp_path / "frekvens.csv"
    extra.write_text("Enkät;År;Insats;Tillfrågade\nStyrelse;2025;A;11\n", encoding="utf-8")
    with pytest.raises(IndikatorError) as info:
        build_pack([path], tmp_path / "p", catalog,
                   PackOptions(formats=(), response_rates=extra))
    assert "frekvens.csv" in str(info.value.problems[0]) and "rad 2" in str(
        info.value.problems[0])


def test_more_answers_than_asked_stops_the_pack(tmp_path, catalog):
    path = rate_sheet(tmp_path, [RATE_HEAD, ["Styrelse", 2025, "A", 5, 0]])  # A has 8 answers
    with pytest.raises(IndikatorError) as info:
        build_pack([path], tmp_path / "p", catalog, PackOptions(formats=()))
    (problem,) = info.value.problems
    assert problem.code == "response-rate-impossible" and problem.location.row == 2
    assert info.value.exit_code == EXIT_DATA
    code, text = cli("pack", path, "--out", tmp_path / "q", "--format", "xlsx")
    assert code == EXIT_DATA and "8 svar" in text and "5 tillfrågade" in text


def test_validate_gets_the_same_rate_problems_without_a_pack(tmp_path, catalog):
    """What validate calls: read_rate_sheets, then response_rates on the group sizes."""
    from indikator.importing import import_files

    path = rate_sheet(tmp_path, [RATE_HEAD, ["Styrelse", 2025, "A", 5, 0]])
    imported = import_files([path], catalog)
    rows = read_rate_sheets(imported.side_sheets, catalog)
    _, problems = response_rates(rows, group_sizes(imported.respondents))
    assert [p.code for p in problems if p.severity == "error"] == ["response-rate-impossible"]


@given(asked=st.one_of(st.integers(-10, 10**9), st.floats(allow_nan=True, allow_infinity=True),
                       st.text(max_size=5)),
       declined=st.one_of(st.none(), st.integers(-10, 10**9), st.floats(), st.text(max_size=5)))
@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_rate_figures_are_read_sanely_or_refused(catalog, asked, declined):
    from indikator.reading import Sheet

    sheet = Sheet(Path("svar.xlsx"), "Svarsfrekvens",
                  [["Enkät", "Tillfrågade", "Tackat nej"], ["Styrelse", asked, declined]])
    try:
        rows = read_rate_sheets([sheet], catalog)
    except IndikatorError as exc:
        refused(exc, Path("svar.xlsx"))
        assert all(p.location.row == 2 and p.location.letter for p in exc.problems)
        return
    (row,) = rows
    assert row.asked >= 1 and (row.declined is None or 0 <= row.declined <= row.asked)
    assert not (isinstance(asked, float) and not math.isfinite(asked))


@unix_only
@pytest.mark.parametrize("kind", ["fifo", "devzero"])
def test_rate_file_through_the_guards(tmp_path, catalog, made, kind):
    path = plant(tmp_path / "frekvens.csv", kind)
    with within(20), pytest.raises(IndikatorError):
        read_rate_file(path, catalog)
    with within(60):
        code, text = cli("pack", made["this"], "--svarsfrekvens", path, "--out",
                         tmp_path / "p", "--format", "xlsx")
    assert code == EXIT_INPUT and "frekvens.csv" in text


def test_the_same_figures_twice_are_used_once_with_a_warning(tmp_path, catalog):
    path = rate_sheet(tmp_path, [RATE_HEAD, ["Styrelse", 2025, "A", 10, 1]])
    extra = tmp_path / "frekvens.csv"
    extra.write_text("Enkät;År;Insats;Tillfrågade;Tackat nej\nStyrelse;2025;A;10;1\n",
                     encoding="utf-8")
    pack = build_pack([path], tmp_path / "p", catalog,
                      PackOptions(formats=(), response_rates=extra))
    assert pack.rates[["group", "asked"]].values.tolist() == [["A", 10]]
    assert [p.code for p in pack.notes] == ["response-rate-duplicate"]


@pytest.mark.parametrize("case", ["goal", "compare", "reference", "rate-sheet", "rate-file",
                                  "answers-over-asked"])
def test_validate_and_pack_refuse_the_same_side_files_alike(made, tmp_path, catalog, case):
    """inputs.check_run (what validate reports) gives the problems pack stops with."""
    from indikator.input.files import as_problems, check_run

    answers = made["this"]
    options, kwargs = {}, {}
    if case == "goal":
        path = tmp_path / "mal.toml"
        path.write_text(GOAL.format(line="at_least = 3,5"), encoding="utf-8")
        options["goals"] = kwargs["goals"] = path
    elif case in ("compare", "reference"):
        rows = rows_of(made["dist"] if case == "compare" else made["reference"])
        rows[2][rows[0].index("count")] = "-2"
        path = write_rows(tmp_path / "distributions.csv", rows)
        options[case] = path
        kwargs[case] = (path,) if case == "compare" else path
    elif case == "rate-file":
        path = tmp_path / "frekvens.csv"
        path.write_text("Enkät;Tillfrågade\nStyrelse;0\n", encoding="utf-8")
        options["response_rates"] = kwargs["rates"] = path
    else:
        asked = 0 if case == "rate-sheet" else 3
        answers = rate_sheet(tmp_path, [RATE_HEAD, ["Styrelse", 2025, None, asked, 0]])
    with pytest.raises(IndikatorError) as info:
        build_pack([answers], tmp_path / "p", catalog, PackOptions(formats=(), **options))
    imported, failures = check_run([answers], catalog, PackOptions(**options))
    found = [*imported.problems, *as_problems(failures)]
    expected = [str(p) for p in info.value.problems]
    assert expected and set(expected) <= {str(p) for p in found}


@pytest.mark.parametrize("layout", ["reordered", "extra", "no_percent", "all"])
def test_a_pack_from_another_version_is_read_by_column_name(made, catalog, tmp_path, layout):
    """A distributions.csv whose columns are in another order, with a column this version
    does not know, or without percent (recomputed anyway) reads as the same table; an edit
    in it is still named by the column letter of its own file."""
    rows = rows_of(made["dist"])
    header = rows[0]
    order = list(range(len(header)))
    if layout in ("reordered", "all"):
        order = order[::-1]
    if layout in ("no_percent", "all"):
        order.remove(header.index("percent"))
    changed = [[row[i] for i in order] for row in rows]
    if layout in ("extra", "all"):
        changed = [[*row[:2], "ny kolumn" if i == 0 else "x", *row[2:]]
                   for i, row in enumerate(changed)]
    path = write_rows(tmp_path / "distributions.csv", changed)
    got = read_previous(path, catalog, {"styrelse": {2025}}).table
    want = read_previous(made["dist"], catalog, {"styrelse": {2025}}).table
    import pandas as pd

    pd.testing.assert_frame_equal(got, want)
    column = changed[0].index("count")
    changed[3][column] = "-1"
    path = write_rows(tmp_path / "distributions.csv", changed)
    with pytest.raises(IndikatorError) as info:
        read_previous(path, catalog, {"styrelse": {2025}})
    problem = next(p for p in info.value.problems if p.location.column == "count")
    assert problem.location.letter == "ABCDEFGHIJKLM"[column] and problem.location.row == 4


def test_a_file_without_a_needed_column_says_which(made, catalog, tmp_path):
    rows = rows_of(made["dist"])
    drop = rows[0].index("n")
    path = write_rows(tmp_path / "distributions.csv", [r[:drop] + r[drop + 1:] for r in rows])
    with pytest.raises(IndikatorError) as info:
        read_previous(path, catalog, {"styrelse": {2025}})
    assert "n saknas" in info.value.message
