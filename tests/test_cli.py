"""The command line as a user meets it: exit codes, messages with positions, no tracebacks."""

import contextlib
import hashlib
import io
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import PAGAENDE_TEXTS, write_csv, write_xlsx
from PIL import Image

from indikator import words
from indikator.cli.main import run as run_cli
from indikator.output.folder import MANIFEST

EXAMPLE = Path(__file__).resolve().parent.parent / "responses"


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def run(*args):
    """The program as the console script runs it, with what it printed."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run_cli([str(a) for a in args])
    result = Result(code, out.getvalue(), err.getvalue())
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def export(tmp_path):
    """Deltagare pågående (Team A 6, Team B 6, one empty row) and a styrelse CSV."""
    header = ["År", "Insats", "Kön", *[f"Fråga {i}. {t}" for i, t in
                                         enumerate(PAGAENDE_TEXTS, start=1)]]
    rows = [header]
    for i in range(12):
        team = "Team A" if i < 6 else "Team B"
        rows.append([2024, team, 1 + i % 2, 1 + i % 6, 1 + (i * 5) % 6, 6 - i % 6,
                     "Ja" if i % 3 else "Nej", 4, None if i == 3 else 5, 3])
    rows.insert(5, [2024, "Team A", None] + [None] * 7)
    book = write_xlsx(tmp_path / "indikatorer_2024.xlsx", {"Deltagare pågående": rows})
    board = write_csv(tmp_path / "styrelse_2024.csv",
                      [["År", "F1", "F2", "F3"]] + [["2024", "Delvis", "5", "6"]] * 6)
    return [book, board]


def digest(paths):
    return [hashlib.sha256(p.read_bytes()).hexdigest() for p in paths]


def test_pack_writes_charts_and_distributions(tmp_path, export):
    before = digest(export)
    out = tmp_path / "paket"
    result = run("pack", *export, "--out", out)
    assert result.exit_code == 0, result.output
    assert digest(export) == before  # input files are never modified
    dist = pd.read_csv(out / "distributions.csv")
    assert list(dist.columns) == ["survey", "year", "group", "question", "question_text",
                                  "scale", "code", "label", "count", "n", "percent"]
    q1 = dist[(dist["survey"] == "deltagare_pagaende") & (dist["group"] == "Alla")
              & (dist["question"] == 1)]
    assert q1["count"].tolist() == [2, 2, 2, 2, 2, 2] and set(q1["n"]) == {12}
    q6 = dist[(dist["group"] == "Alla") & (dist["question"] == 6)
              & (dist["survey"] == "deltagare_pagaende")]
    assert set(q6["n"]) == {11}  # one blank
    assert set(dist["group"]) == {"Alla", "Team A", "Team B"}
    charts = sorted(p.name for p in (out / "diagram").iterdir())
    assert "deltagare_pagaende_2024_alla_fraga1-3.png" in charts
    assert "deltagare_pagaende_2024_team-b_fraga5-7.svg" in charts
    assert "styrelse_2024_alla_fraga1-3.png" in charts
    assert len(charts) == 2 * (3 * 3 + 1)
    with Image.open(out / "diagram" / "styrelse_2024_alla_fraga1-3.png") as image:
        assert image.info["dpi"][0] >= 200
        assert image.width >= 1600
    assert (out / "vet_ej.csv").is_file()  # a single-year pack lists it too, if only headers
    assert "vet_ej.csv" in result.stdout
    summary = result.stdout
    assert "Deltagare, pågående" in summary and "Styrelse" in summary
    assert "Rader lästa: 19 = 18 svarande + 1 tom rad (utan svar)" in summary
    assert "alla rader redovisade" in summary
    assert (out / "sammanfattning.txt").read_text(encoding="utf-8") == summary


def test_small_groups_left_out_everywhere(tmp_path, export):
    out = tmp_path / "paket"
    assert run("pack", *export, "--out", out, "--min-n", 7).exit_code == 0
    dist = pd.read_csv(out / "distributions.csv")
    assert set(dist["group"]) == {"Alla"}
    groups = pd.read_csv(out / "grupper.csv")
    hidden = groups[~groups["shown"]]
    assert set(zip(hidden["survey"], hidden["group"], strict=True)) == {
        ("deltagare_pagaende", "Team A"), ("deltagare_pagaende", "Team B"), ("styrelse", "Alla")}
    assert hidden["respondents"].isna().all()  # not even their size
    charts = [p.name for p in (out / "diagram").iterdir()]
    assert not any("team" in c or c.startswith("styrelse") for c in charts)
    assert "styrelse" not in set(dist["survey"])


def test_invalid_values_stop_the_run_and_list_every_cell(tmp_path):
    rows = [["År", "F1", "F2"], [2024, 7, 3], [2024, 3, "Oftast"], [2024, 4, 5]]
    path = write_xlsx(tmp_path / "styrelse.xlsx", {"Svar": rows})
    out = tmp_path / "paket"
    result = run("pack", path, "--out", out)
    assert result.exit_code == 1
    err = result.stderr
    assert 'styrelse.xlsx, blad "Svar", rad 2, kolumn B ("F1"): Värdet finns inte på frågans ' \
        "skala. Värde: '7'." in err
    assert 'rad 3, kolumn C ("F2")' in err and "'Oftast'" in err
    assert "Förväntat: 1–6 eller Inte alls" in err
    assert "--skip-invalid" in err
    assert not out.exists()


def test_skip_invalid_records_each_cell(tmp_path):
    rows = [["År", "F1", "F2"], *[[2024, 3, 3]] * 5, [2024, 7, 3]]
    path = write_xlsx(tmp_path / "styrelse.xlsx", {"Svar": rows})
    out = tmp_path / "paket"
    result = run("pack", path, "--out", out, "--skip-invalid")
    assert result.exit_code == 0, result.output
    invalid = pd.read_csv(out / "ogiltiga_varden.csv")
    assert invalid[["row", "column"]].values.tolist() == [[7, "F1"]]
    assert "value" not in invalid.columns  # the cell's text stays in the export
    dist = pd.read_csv(out / "distributions.csv")
    assert set(dist[dist["question"] == 1]["n"]) == {5}
    assert "Ogiltiga värden räknade som ej besvarade" in result.stdout


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [("saknas.xlsx", None, "filen finns inte"),
     ("trasig.xlsx", b"PK\x03\x04garbage", "skadad"),
     ("svar.pdf", b"%PDF-1.4", "okänd filtyp")],
)
def test_unreadable_file_exit_2(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    result = run("pack", path, "--out", tmp_path / "paket")
    assert result.exit_code == 2
    assert name in result.stderr and message in result.stderr
    assert not (tmp_path / "paket").exists()


def test_unknown_survey_points_to_option(tmp_path):
    path = write_xlsx(tmp_path / "export.xlsx", {"Blad1": [["År", "F1"], [2024, 3]]})
    result = run("pack", path, "--out", tmp_path / "p")
    assert result.exit_code == 1 and "--survey" in result.stderr
    assert run("pack", path, "--out", tmp_path / "p", "--survey", "styrelse",
               "--min-n", 1).exit_code == 0
    bad = run("pack", path, "--survey", "nope")
    assert bad.exit_code == 2 and "Okänd enkät 'nope'" in bad.stderr


def test_failed_run_keeps_the_earlier_pack(tmp_path, export, monkeypatch):
    out = tmp_path / "paket"
    assert run("pack", *export, "--out", out).exit_code == 0
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    calls = {"n": 0}
    from dataclasses import replace

    from indikator.charts.kinds import DISTRIBUTION, KINDS

    def failing(spec):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("kraschar mitt i")
        return DISTRIBUTION.build(spec)

    monkeypatch.setitem(KINDS, DISTRIBUTION.name, replace(DISTRIBUTION, build=failing))
    # other formats than the pack in `out`: a real run (not "nothing has changed")
    result = run("pack", *export, "--out", out, "--jobs", 1, "--format", "png,svg")
    assert result.exit_code == 3 and "Internt fel" in result.stderr
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before


def test_validate_reports_and_writes_nothing(tmp_path, export):
    result = run("validate", *export)
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert 'indikatorer_2024.xlsx, blad "Deltagare pågående"' in text
    assert ("Enkät: Deltagare, pågående (version 2019, från bladnamnet); år: 2024 (från "
            "kolumnen År); rubrikrad: 1") in text
    assert "→ fråga 1 (frågetext)" in text and "→ Insats" in text and "→ Kön" in text
    assert "Rader: 13 (12 svarande, 1 tomma)" in text
    assert "0 fel" in text
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in export)


def test_validate_lists_problems_exit_1(tmp_path):
    path = write_csv(tmp_path / "styrelse.csv", [["År", "F1", "F9"], ["2024", "8", "3"]])
    result = run("validate", path)
    assert result.exit_code == 1
    assert "Fråga 9 finns inte i Styrelse" in result.stdout


def test_questionnaires_lists_all(tmp_path):
    result = run("questionnaires")
    assert result.exit_code == 0
    for sid in ("deltagare_pagaende", "deltagare_avslut", "personal", "beredningsgrupp",
                "styrelse"):
        assert sid in result.stdout
    assert "(ställs bara vid svaret Ja på fråga 8)" in result.stdout
    (tmp_path / "x.toml").write_text("id = 'x'\n", encoding="utf-8")
    bad = run("questionnaires", "--questionnaires", tmp_path)
    assert bad.exit_code == 2 and "x.toml" in bad.stderr and "saknas" in bad.stderr


@pytest.mark.parametrize("command", [[], ["pack"], ["validate"], ["questionnaires"]])
def test_help_is_swedish(command):
    result = run(*command, "--help")
    assert result.exit_code == 0 and "Användning: indikator" in result.stdout
    for english in ("Usage", "Options", "Show this message", "default:", "Arguments"):
        assert english not in result.output


def test_bare_command_prints_help_and_version():
    bare = run()
    assert bare.exit_code == 0 and "Kommandon:" in bare.stdout and "pack" in bare.stdout
    version = run("--version")
    assert version.exit_code == 0 and version.stdout.startswith("indikator ")


@pytest.mark.parametrize(("args", "expected"), [
    (["pack", "--year", "abc"], "ogiltigt värde 'abc' för --year; ett heltal väntas"),
    (["pack", "--min-n", "0"], "ett heltal som är minst 1 väntas"),
    (["pack", "--yer", "2024"], "okänt val --yer (menade du --year?)"),
    (["pak"], "okänt kommando 'pak' (menade du pack?)"),
    (["pack", "--out"], "--out behöver ett värde"),
    (["validate"], "FILER saknas"),
])
def test_usage_errors_are_swedish(args, expected):
    result = run(*args)
    assert result.exit_code == 2
    assert expected in result.stderr
    assert "Invalid value" not in result.output and "Usage" not in result.output


def test_out_inside_a_file_is_the_users_error(tmp_path, export):
    result = run("pack", *export, "--out", export[1] / "p")
    assert result.exit_code == 2 and "är en fil, inte en mapp" in result.stderr
    assert "Internt fel" not in result.output


def test_missing_file_said_once_with_the_nearest_name(tmp_path, export):
    result = run("pack", tmp_path / "styrelse_2042.csv", "--out", tmp_path / "p")
    assert result.exit_code == 2
    assert result.stderr.count("filen finns inte") == 1
    assert "Menade du" in result.stderr and "styrelse_2024.csv" in result.stderr


def test_no_files_and_no_responses_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("pack")
    assert result.exit_code == 2 and "responses/" in result.stderr
    assert not (tmp_path / "output").exists()


def test_own_files_in_responses_are_not_marked(tmp_path, monkeypatch, export):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "responses").mkdir()
    for path in export:
        shutil.copy(path, tmp_path / "responses" / path.name)
    result = run("pack", "--jobs", "1", "--format", "xlsx")  # the summary is what is read
    assert result.exit_code == 0, result.output
    assert "xempeldata" not in result.stdout


def test_default_packs_the_bundled_example(default_pack):
    """`indikator pack` with no files, as the README's first command runs it, in the
    project folder: the example is marked as made up everywhere."""
    code, stdout, out = default_pack
    result = Result(code, stdout, "")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("EXEMPELDATA – PÅHITTAT FÖRBUND")
    svg = next((out / "diagram").glob("*.svg")).read_text(encoding="utf-8")
    assert "Exempeldata" in svg or "EXEMPELDATA" in svg
    for name in ("indikatorer.pdf", "indikatorer.docx", "tabeller.xlsx", "index.html"):
        assert (out / name).is_file(), name
    assert (out / MANIFEST).is_file()
    dist = pd.read_csv(out / "distributions.csv")
    assert set(dist["survey"]) == {"deltagare_pagaende", "deltagare_avslut", "personal",
                                   "beredningsgrupp", "styrelse"}
    assert set(dist["year"]) == {2023, 2024, 2025}
    for name in ("svarsfrekvens.csv", "mal.csv", "kon.csv", "trender.csv", "changes.csv",
                 "sammanfattning.md"):
        assert (out / name).is_file(), name
    goals = pd.read_csv(out / "mal.csv")
    verdicts = {words.MET, words.NOT_MET, words.MET_UNSURE, words.NOT_MET_UNSURE}
    assert verdicts <= set(goals["verdict"])
    assert list((out / "diagram").glob("*_trend_*.png"))
    sums = dist.groupby(["survey", "year", "group", "question"])["count"].sum()
    ns = dist.groupby(["survey", "year", "group", "question"])["n"].first()
    assert (sums == ns).all()
    assert "alla rader redovisade" in result.stdout
    assert len(list((out / "diagram").glob("*.png"))) == len(list((out / "diagram").glob("*.svg")))


@pytest.fixture
def two_years(tmp_path):
    """Styrelse 2024 and 2025 in separate files, and the same in one workbook."""
    rng = np.random.default_rng(7)
    files = {}
    for year, shift in ((2024, 0), (2025, 2)):
        rows = [["År", "Insats", "F1", "F2", "F3"]]
        for i in range(14):
            rows.append([year, "A" if i < 8 else "B",
                         *np.clip(rng.integers(1, 5, 3) + shift, 1, 6).tolist()])
        files[year] = write_xlsx(tmp_path / f"styrelse_{year}.xlsx", {"Styrelse": rows})
    return files


def test_compare_with_previous_pack_equals_raw(tmp_path, two_years):
    # only the CSVs and this year's PNG charts are read: no documents written
    both = tmp_path / "bada"
    assert run("pack", two_years[2024], two_years[2025], "--out", both,
               "--format", "xlsx").exit_code == 0
    last_year = tmp_path / "fjol"
    assert run("pack", two_years[2024], "--out", last_year, "--format", "xlsx").exit_code == 0
    assert not (last_year / "changes.csv").exists()  # one year: nothing to compare
    this_year = tmp_path / "i-ar"
    result = run("pack", two_years[2025], "--out", this_year, "--compare",
                 last_year / "distributions.csv", "--format", "png")
    assert result.exit_code == 0, result.output
    from_raw = pd.read_csv(both / "changes.csv")
    from_counts = pd.read_csv(this_year / "changes.csv")
    pd.testing.assert_frame_equal(from_raw, from_counts)
    assert set(from_raw["group"]) == {"Alla", "A", "B"}
    assert words.IMPROVED in set(from_raw["verdict"])
    assert "Jämförelse med föregående år" in result.stdout
    assert "förbättring; andel positiva" in result.stdout
    charts = sorted(p.name for p in (this_year / "diagram").glob("*2024-2025*.png"))
    assert charts == ["styrelse_2024-2025_a_fraga1-3.png", "styrelse_2024-2025_alla_fraga1-3.png",
                      "styrelse_2024-2025_b_fraga1-3.png"]


def test_compare_file_problems(tmp_path, two_years):
    out = tmp_path / "paket"
    missing = run("pack", two_years[2025], "--out", out, "--compare", tmp_path / "saknas.csv")
    assert missing.exit_code == 2 and "filen finns inte" in missing.stderr
    wrong = write_csv(tmp_path / "annan.csv", [["a", "b"], ["1", "2"]], sep=",")
    result = run("pack", two_years[2025], "--out", out, "--compare", wrong)
    assert result.exit_code == 2 and "har inte kolumnerna" in result.stderr
    assert run("pack", two_years[2024], "--out", tmp_path / "fjol").exit_code == 0
    table = pd.read_csv(tmp_path / "fjol" / "distributions.csv")
    table.loc[0, "count"] += 1
    table.to_csv(tmp_path / "andrad.csv", index=False)
    result = run("pack", two_years[2025], "--out", out, "--compare", tmp_path / "andrad.csv")
    assert result.exit_code == 2 and "summerar inte till n" in result.stderr
    overlap = run("pack", two_years[2024], two_years[2025], "--out", out, "--compare",
                  tmp_path / "fjol" / "distributions.csv")
    assert overlap.exit_code == 2 and "Året 2024 för styrelse finns både" in overlap.stderr
    assert not out.exists()


def test_validate_shows_layout_details(tmp_path):
    rows = [["Indikatorenkät styrelsen 2024"], [None],
            ["Svars-ID", "Startdatum", "År", "F1", "F2[SQ001]", "F3"],
            ["A1", "2024-02-01", 2024, 3, "Vet ej", 9],
            ["A2", "2024-02-02", 2024, "Delvis", 4, None]]
    path = write_xlsx(tmp_path / "styrelse.xlsx", {"Styrelsen": rows})
    result = run("validate", path)
    assert result.exit_code == 1
    text = result.stdout
    assert "rubrikrad: 3" in text
    assert "→ svars-id" in text and "→ metadata, läses inte" in text
    assert "→ fråga 2 (frågekod)" in text and "→ fråga 3 (frågenummer)" in text
    assert ("Rader: 2 (2 svarande, 0 tomma); svar: 3; tomma svarsceller: 1; vet ej o.d.: 1; "
            "ogiltiga: 1") in text
    assert 'rad 4, kolumn F ("F3"): Värdet finns inte på frågans skala. Värde: \'9\'' in text
    assert "1 fel" in text


def test_pack_writes_vet_ej_counts(tmp_path):
    rows = ([["År", "F1", "F2"]] + [[2024, 3, "Vet ej"]] * 5 + [[2024, "Ej aktuellt", 2]]
            + [[2024, 4, 5]] * 5)
    path = write_xlsx(tmp_path / "styrelse.xlsx", {"Styrelse": rows})
    out = tmp_path / "paket"
    result = run("pack", path, "--out", out)
    assert result.exit_code == 0, result.output
    counts = pd.read_csv(out / "vet_ej.csv")
    assert counts[["group", "question", "label", "count"]].values.tolist() == [
        ["Alla", 1, "Ej aktuellt", 1], ["Alla", 2, "Vet ej", 5]]
    dist = pd.read_csv(out / "distributions.csv")
    assert set(dist[dist["question"] == 2]["n"]) == {6}  # "vet ej" is not in n
    assert 'Svar som ”vet ej” o.d.' in result.stdout


def test_vet_ej_of_a_hidden_question_is_hidden(tmp_path):
    # F2: 1 answer on the scale and 5 "vet ej": too few to show, "vet ej" count included
    rows = [["År", "F1", "F2"]] + [[2024, 3, "Vet ej"]] * 5 + [[2024, "Ej aktuellt", 2]]
    path = write_xlsx(tmp_path / "styrelse.xlsx", {"Styrelse": rows})
    out = tmp_path / "paket"
    assert run("pack", path, "--out", out).exit_code == 0
    counts = pd.read_csv(out / "vet_ej.csv")
    assert counts[["question", "label", "count"]].values.tolist() == [[1, "Ej aktuellt", 1]]
    dist = pd.read_csv(out / "distributions.csv")
    assert 2 not in set(dist["question"])


def test_incomplete_and_yes_no_options(tmp_path):
    rows = [["Status", "År", "F4"], ["Komplett", 2024, 1], ["Ofullständig", 2024, 0],
            ["Komplett", 2024, 0], ["Komplett", 2024, 1], ["Komplett", 2024, 1],
            ["Komplett", 2024, 1]]
    path = write_xlsx(tmp_path / "deltagare_pagaende.xlsx", {"Blad1": rows})
    out = tmp_path / "paket"
    stopped = run("pack", path, "--out", out)
    assert stopped.exit_code == 1 and "--incomplete" in stopped.stderr
    bad = run("pack", path, "--out", out, "--incomplete", "kanske")
    assert bad.exit_code == 2 and "include eller exclude" in bad.stderr
    done = run("pack", path, "--out", out, "--incomplete", "exclude")
    assert done.exit_code == 0, done.output
    dist = pd.read_csv(out / "distributions.csv")
    q4 = dist[(dist["question"] == 4) & (dist["group"] == "Alla")]
    assert q4["count"].tolist() == [4, 1]  # 0 read as Nej (1/0 detected), the incomplete row out
    assert "1 ofullständig (uteslutna)" in done.stdout
    assert "0 = Nej" in done.stdout


def test_parallel_and_serial_packs_are_identical(tmp_path, export):
    """Charts drawn by worker processes equal those drawn in-process, byte for byte."""
    assert run("pack", *export, "--out", tmp_path / "a", "--jobs", 2).exit_code == 0
    assert run("pack", *export, "--out", tmp_path / "b", "--jobs", 1).exit_code == 0
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.*")
                     if p.is_file())
    files_b = sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*.*")
                     if p.is_file())
    assert files_a == files_b and len(files_a) > 20
    # the summary and the run's fingerprint name the folder they were written to
    differ = [f for f in files_a if f.name not in ("sammanfattning.txt", MANIFEST, "run.txt")
              and (tmp_path / "a" / f).read_bytes() != (tmp_path / "b" / f).read_bytes()]
    assert differ == []


def test_insats_names_that_fold_alike_stay_apart(tmp_path):
    names = ["X", "–", ".", "..", "Alla", "Команда А", "Команда Б",
             "=HYPERLINK(\"http://x\")", "Team\x1b[31mRöd"]
    rows = [["År", "Insats", "F1", "F2", "F3"]]
    for name in names:
        rows += [[2024, name, 4, 5, 6]] * 5
    rows.append([2024, "team\x1b[31mröd ", 4, 5, 6])  # a spelling variant: named in a warning
    path = write_csv(tmp_path / "styrelse.csv", rows)
    out = tmp_path / "paket"
    result = run("pack", path, "--out", out, "--jobs", 1, "--min-n", 5)
    assert result.exit_code == 0, result.output
    groups = pd.read_csv(out / "grupper.csv")
    shown = groups[groups["shown"]]
    assert len(shown) == len(names) + 1  # every insats, and the total
    assert (shown.loc[shown["group"] == "Alla", "respondents"] == 5 * len(names) + 1).all()
    assert "Alla (insats)" in set(groups["group"])
    pngs = sorted((out / "diagram").glob("*.png"))
    assert len(pngs) == len(names) + 1  # no chart overwrote another
    assert all(len(p.name) < 100 for p in pngs)
    assert f"{len(names) + 1} diagram" in result.stdout
    assert "\x1b" not in result.output and "\\x1b" in result.stdout  # escaped, not run
    raw = (out / "grupper.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in raw  # a formula is text in Excel


def test_output_piped_into_head_is_no_internal_error():
    import subprocess
    import sys

    shell = subprocess.run(
        f'"{sys.executable}" -m indikator questionnaires | head -1', shell=True,
        capture_output=True, text=True, timeout=60)
    assert "Internt fel" not in shell.stderr and "Traceback" not in shell.stderr
    assert shell.stdout.startswith("deltagare_pagaende")


def test_format_chooses_what_is_written(tmp_path, export):
    out = tmp_path / "bara-excel"
    result = run("pack", *export, "--out", out, "--format", "xlsx")
    assert result.exit_code == 0, result.output
    assert (out / "tabeller.xlsx").is_file() and (out / "distributions.csv").is_file()
    assert not (out / "diagram").exists()
    assert not any((out / n).exists() for n in ("indikatorer.pdf", "indikatorer.docx",
                                                 "index.html"))
    out = tmp_path / "pdf-och-png"
    result = run("pack", *export, "--out", out, "--format", "PDF, png",
                 "--forbund", "Samordningsförbundet Östra Exempel")
    assert result.exit_code == 0, result.output
    assert (out / "indikatorer.pdf").is_file() and not (out / "tabeller.xlsx").exists()
    assert list((out / "diagram").glob("*.png")) and not list((out / "diagram").glob("*.svg"))
    from pypdf import PdfReader

    title = PdfReader(out / "indikatorer.pdf").pages[0].extract_text()
    assert "Samordningsförbundet Östra Exempel" in title
    assert "indikatorer.pdf" in result.stdout and "tabeller.xlsx" not in result.stdout


def test_unknown_format_is_named_with_the_choices(tmp_path, export):
    result = run("pack", *export, "--out", tmp_path / "p", "--format", "pdf,word")
    assert result.exit_code == 2
    assert "okänt format 'word'" in result.stderr
    assert "pdf,docx,xlsx,html,pptx,png,svg" in result.stderr
    assert not (tmp_path / "p").exists()


def test_progress_is_quiet_plain_lines_off_a_terminal():
    from indikator.cli.progress import progress_bar

    stream = io.StringIO()
    with progress_bar(stream) as progress:
        for i in range(1, 61):
            progress(i, 60)
    assert stream.getvalue().splitlines() == [
        "  diagram och dokument 1/60", "  diagram och dokument 25/60",
        "  diagram och dokument 50/60", "  diagram och dokument 60/60"]
    assert "\x1b" not in stream.getvalue()


def test_progress_bar_on_a_terminal():
    from indikator.cli.progress import progress_bar

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Terminal()
    with progress_bar(stream) as progress:
        for i in range(1, 11):
            progress(i, 10)
    assert "Ritar diagram och dokument" in stream.getvalue()
    assert "10/10" in stream.getvalue()


def test_validate_loads_no_statistics_or_charts(tmp_path, export):
    """validate reads and checks; it never loads scipy, pingouin or matplotlib, which
    would add a second to every check of a file (docs/utveckling.md: Hastighet)."""
    import subprocess
    import sys

    probe = ("import sys\nfrom indikator.cli.main import run\n"
             "code = run(['validate', *sys.argv[1:]])\n"
             "print(sorted(m for m in ('scipy', 'pingouin', 'matplotlib') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe, str(tmp_path)], capture_output=True,
                          text=True, timeout=120)
    assert "Deltagare" in done.stdout  # it did read the files
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout[-500:]
