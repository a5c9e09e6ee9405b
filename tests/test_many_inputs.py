"""What a --per-forbund run reads: whose answers, goals, response rates and earlier packs
are whose, whatever the names, folders and side files look like; and what it refuses."""

from __future__ import annotations

import random
import re
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
from conftest import write_csv, write_xlsx

from indikator.cli.main import run
from indikator.input.members import AGGREGATE_FOLDER, folder_names

TEXTS: dict[str, list[str]] = {}


@pytest.fixture(autouse=True)
def _texts(catalog):
    if not TEXTS:
        TEXTS["styrelse"] = [q.text for q in catalog.get("styrelse", 2025).questions]
        TEXTS["pagaende"] = [q.text for q in catalog.get("deltagare_pagaende", 2025).questions]


def board_rows(n: int, year: int, seed: int, forbund: str | None = None) -> list[list]:
    rng = random.Random(seed)
    head = (["Förbund"] if forbund is not None else []) + ["År", *TEXTS["styrelse"]]
    rows = [head]
    for _ in range(n):
        rows.append(([forbund] if forbund is not None else [])
                    + [year, *(rng.randint(1, 6) for _ in TEXTS["styrelse"])])
    return rows


def participant_rows(sizes: dict[str, int], year: int, seed: int,
                     forbund: str | None = None) -> list[list]:
    rng = random.Random(seed)
    head = (["Förbund"] if forbund is not None else []) + ["År", "Verksamhet",
                                                           *TEXTS["pagaende"][:3]]
    rows = [head]
    for insats, n in sizes.items():
        for _ in range(n):
            rows.append(([forbund] if forbund is not None else [])
                        + [year, insats, *(rng.randint(1, 6) for _ in range(3))])
    return rows


def folders(root: Path, sizes: dict[str, int], year: int = 2025, seed: int = 0) -> Path:
    """A folder per förbund: `sizes` board members and 12 + 9 participants in two insatser."""
    for i, (name, n) in enumerate(sizes.items()):
        (root / name).mkdir(parents=True)
        write_csv(root / name / f"styrelse_{year}.csv", board_rows(n, year, seed + i))
        write_csv(root / name / f"deltagare_pagaende_{year}.csv",
                  participant_rows({"Lots": 12, "IRMA": 9}, year, seed + 100 + i))
    return root


def column_file(path: Path, spellings: dict[str, int], year: int = 2025, seed: int = 0) -> Path:
    """One board export with a Förbund column: `n` rows for each spelling."""
    rows = [board_rows(0, year, seed, "x")[0]]
    for i, (name, n) in enumerate(spellings.items()):
        rows += board_rows(n, year, seed + i, name)[1:]
    return write_csv(path, rows)


def pack(argv: list[str], capsys) -> tuple[int, str]:
    capsys.readouterr()
    code = run(["pack", *argv])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def two_years(tmp_path: Path, capsys) -> tuple[Path, str]:
    """svar2024/ packed --per-forbund, then svar2025/ with --compare on it: (out, output)."""
    code, said = pack([str(tmp_path / "svar2024"), "--per-forbund", "--out",
                       str(tmp_path / "ut2024"), "--format", "xlsx"], capsys)
    assert code == 0, said
    out = tmp_path / "ut2025"
    code, said = pack([str(tmp_path / "svar2025"), "--per-forbund", "--compare",
                       str(tmp_path / "ut2024"), "--out", str(out), "--format", "xlsx"], capsys)
    assert code == 0, said
    return out, said


def respondents(out: Path, folder: str, survey: str = "styrelse") -> int:
    groups = pd.read_csv(out / folder / "grupper.csv")
    row = groups[(groups["survey"] == survey) & (groups["group"] == "Alla")]
    return int(row["respondents"].iloc[0])


def test_spellings_of_one_forbund_are_one_forbund(tmp_path, capsys):
    """Case, spaces, the Unicode form and the Samordningsförbundet prefix: one förbund each,
    said once, and nobody lost: the förbund's counts add up to what was read."""
    nfd = unicodedata.normalize("NFD", "Östra")
    assert nfd != "Östra"
    spellings = {"Norra": 6, "norra ": 5, "NORRA": 4, "Östra": 7, nfd: 3,
                 "Samordningsförbundet Västra": 8, "Västra": 2}
    column_file(tmp_path / "styrelse_2025.csv", spellings)
    out = tmp_path / "ut"
    code, said = pack([str(tmp_path / "styrelse_2025.csv"), "--per-forbund", "--out",
                       str(out), "--format", "xlsx"], capsys)
    assert code == 0, said
    folders_made = sorted(p.name for p in out.iterdir() if p.is_dir())
    assert folders_made == sorted([AGGREGATE_FOLDER, *folder_names(["Norra", "Östra",
                                                                   "Samordningsförbundet Västra"]
                                                                  ).values()])
    slugs = folder_names(["Norra", "Östra", "Samordningsförbundet Västra"])
    assert respondents(out, slugs["Norra"]) == 15
    assert respondents(out, slugs["Östra"]) == 10
    assert respondents(out, slugs["Samordningsförbundet Västra"]) == 10
    assert respondents(out, AGGREGATE_FOLDER) == sum(spellings.values())
    summary = (out / AGGREGATE_FOLDER / "sammanfattning.txt").read_text(encoding="utf-8")
    assert summary.count("skrivs på flera sätt") == 3


def test_forbund_folders_that_are_one_forbund(tmp_path, capsys):
    root = folders(tmp_path / "svar", {"Samordningsförbundet Södra": 6, "Södra": 5,
                                       "Norra": 7})
    out = tmp_path / "ut"
    code, said = pack([str(root), "--per-forbund", "--out", str(out), "--format", "xlsx"],
                      capsys)
    assert code == 0, said
    made = {p.name for p in out.iterdir() if p.is_dir()}
    assert len(made) == 3  # Södra, Norra, alla
    south = next(n for n in made if "sodra" in n)
    assert respondents(out, south) == 11
    assert respondents(out, south, "deltagare_pagaende") == 42


@pytest.mark.parametrize("name", ["Alla", "alla förbund", " ALLA "])
def test_a_forbund_named_like_the_aggregate_is_refused(tmp_path, capsys, name):
    column_file(tmp_path / "styrelse_2025.csv", {name: 6, "Norra": 6})
    code, said = pack([str(tmp_path / "styrelse_2025.csv"), "--per-forbund", "--out",
                       str(tmp_path / "ut"), "--format", "xlsx"], capsys)
    assert code == 2 and "summan av alla förbund" in said and "Traceback" not in said
    assert not (tmp_path / "ut").exists()


def test_control_characters_in_a_forbund_name_are_shown_escaped(tmp_path, capsys):
    column_file(tmp_path / "styrelse_2025.csv", {"Norra\x1b[31m": 6, "Södra\x0b": 6})
    out = tmp_path / "ut"
    code, said = pack([str(tmp_path / "styrelse_2025.csv"), "--per-forbund", "--out",
                       str(out), "--format", "xlsx,docx,html"], capsys)
    assert code == 0, said
    assert "\x1b" not in said
    from docx import Document

    titles = []
    for folder in (p for p in out.iterdir() if p.is_dir() and p.name != AGGREGATE_FOLDER):
        text = "\n".join(p.text for p in Document(folder / "indikatorer.docx").paragraphs)
        assert "\x1b" not in text and "\x0b" not in text
        titles.append(text.splitlines()[1])
    assert sorted(titles) == ["Norra\\x1b[31m", "Södra"]  # a vertical tab is a space


@pytest.mark.parametrize("layout", ["region", "old"])
def test_files_a_level_too_deep_are_refused(tmp_path, capsys, layout):
    """riket/län/förbund and förbund/gammalt/: neither read silently in part."""
    root = tmp_path / "riket"
    if layout == "region":
        folders(root / "Norrbotten", {"Norra": 6, "Södra": 6})
        folders(root / "Skåne", {"Östra": 6, "Västra": 6})
        expected = ("en nivå för djupt", "riket/Norrbotten/Norra")
    else:
        folders(root, {"Norra": 6, "Södra": 6})
        folders(root / "Norra" / "gammalt", {"export": 5}, year=2024)
        expected = ("en nivå för djupt", "Norra/gammalt/export")
    for command in ("pack", "validate"):
        capsys.readouterr()
        code = run([command, str(root), "--per-forbund", "--out", str(tmp_path / "ut"),
                    "--format", "xlsx"] if command == "pack"
                   else [command, str(root), "--per-forbund"])
        said = "".join(capsys.readouterr())
        assert code == 2, said
        assert all(e in said.replace("\\", "/") for e in expected), said
    assert not (tmp_path / "ut").exists()


def test_files_beside_the_forbund_folders(tmp_path, capsys):
    root = folders(tmp_path / "svar", {"Norra": 6, "Södra": 6})
    (root / "anteckningar.txt").write_text("inte svar", encoding="utf-8")
    out = tmp_path / "ut"
    code, said = pack([str(root), "--per-forbund", "--out", str(out), "--format", "xlsx"],
                      capsys)
    assert code == 0, said
    summary = (out / AGGREGATE_FOLDER / "sammanfattning.txt").read_text(encoding="utf-8")
    assert "anteckningar.txt" in summary and "lästes inte" in summary
    write_csv(root / "styrelse_2025.csv", board_rows(7, 2025, 9))
    code, said = pack([str(root), "--per-forbund", "--out", str(out), "--format", "xlsx"],
                      capsys)
    assert code == 2 and "bredvid förbundens mappar" in said and "styrelse_2025.csv" in said


def test_the_same_file_in_two_forbund_folders(tmp_path, capsys):
    """Said in alla/, both kept: three board members who answered alike make equal files."""
    root = folders(tmp_path / "svar", {"Norra": 6, "Södra": 6})
    (root / "Södra" / "styrelse_norra.csv").write_bytes(
        (root / "Norra" / "styrelse_2025.csv").read_bytes())
    out = tmp_path / "ut"
    code, said = pack([str(root), "--per-forbund", "--out", str(out), "--format", "xlsx"],
                      capsys)
    assert code == 0, said
    summary = (out / AGGREGATE_FOLDER / "sammanfattning.txt").read_text(encoding="utf-8")
    assert "Norra/styrelse_2025.csv och Södra/styrelse_norra.csv har samma innehåll" in summary
    slugs = folder_names(["Norra", "Södra"])
    assert respondents(out, slugs["Södra"]) == 12  # both counted: whose they are is unknown


GOALS = """
[[goal]]
name = "Styrelsen i Norra"
forbund = "norra"
survey = "styrelse"
questions = [1]
at_least = 50

[[goal]]
name = "Styrelsen i Södra"
forbund = "Samordningsförbundet Södra"
survey = "styrelse"
questions = [2]
at_least = 60
"""


@pytest.mark.parametrize("layout", ["column", "folders"])
def test_goals_of_one_file_go_to_the_forbund_they_name(tmp_path, capsys, layout):
    if layout == "column":
        root = tmp_path / "svar"
        root.mkdir()
        column_file(root / "styrelse_2025.csv", {"Norra": 8, "Södra": 9})
    else:
        root = folders(tmp_path / "svar", {"Norra": 8, "Södra": 9})
    (root / "mal.toml").write_text(GOALS, encoding="utf-8")
    out = tmp_path / "ut"
    code, said = pack([str(root), "--per-forbund", "--out", str(out), "--format", "xlsx"],
                      capsys)
    assert code == 0, said
    slugs = folder_names(["Norra", "Södra"])
    assert list(pd.read_csv(out / slugs["Norra"] / "mal.csv")["name"]) == ["Styrelsen i Norra"]
    assert list(pd.read_csv(out / slugs["Södra"] / "mal.csv")["name"]) == ["Styrelsen i Södra"]
    # a goal that says no förbund, or one not in the answers: whose is it? refused
    for changed, message in ((GOALS.replace('forbund = "norra"\n', ""), "ange förbundet"),
                             (GOALS.replace('"norra"', '"Nordan"'), "'Nordan' finns inte")):
        (root / "mal.toml").write_text(changed, encoding="utf-8")
        code, said = pack([str(root), "--per-forbund", "--out", str(tmp_path / "ny"),
                           "--format", "xlsx"], capsys)
        assert code == 2 and message in said, said
        capsys.readouterr()
        assert run(["validate", str(root), "--per-forbund"]) == 2
        assert message in "".join(capsys.readouterr())


def test_goals_naming_a_forbund_in_a_single_pack(tmp_path, capsys):
    """One förbund packed alone with the county's goal file: its own goals only."""
    root = folders(tmp_path / "svar", {"Norra": 8, "Södra": 9})
    (root / "Norra" / "mal.toml").write_text(GOALS, encoding="utf-8")
    out = tmp_path / "ut"
    code, said = pack([str(root / "Norra"), "--forbund", "Samordningsförbundet Norra", "--out",
                       str(out), "--format", "xlsx"], capsys)
    assert code == 0, said
    assert list(pd.read_csv(out / "mal.csv")["name"]) == ["Styrelsen i Norra"]
    code, said = pack([str(root / "Norra"), "--out", str(tmp_path / "x"), "--format", "xlsx"],
                      capsys)
    assert code == 2 and "--forbund" in said


@pytest.mark.parametrize("layout", ["column", "folders"])
def test_one_rate_sheet_for_many_forbund(tmp_path, capsys, layout):
    """A Svarsfrekvens with a Förbund column: each förbund its own figures; without the
    column the figures are nobody's, and the run stops instead of inventing a rate."""
    root = tmp_path / "svar"
    if layout == "column":
        root.mkdir()
        column_file(root / "styrelse_2025.csv", {"Norra": 8, "Södra": 9})
    else:
        folders(root, {"Norra": 8, "Södra": 9})
    rates = tmp_path / "frekvens.xlsx"
    write_xlsx(rates, {"Svarsfrekvens": [["Förbund", "Enkät", "År", "Tillfrågade",
                                          "Tackat nej"],
                                         ["Norra", "Styrelse", 2025, 10, 1],
                                         ["SÖDRA", "Styrelse", 2025, 12, 2]]})
    out = tmp_path / "ut"
    code, said = pack([str(root), "--per-forbund", "--svarsfrekvens", str(rates), "--out",
                       str(out), "--format", "xlsx"], capsys)
    assert code == 0, said
    slugs = folder_names(["Norra", "Södra"])
    for name, asked, answered in (("Norra", 10, 8), ("Södra", 12, 9)):
        table = pd.read_csv(out / slugs[name] / "svarsfrekvens.csv")
        assert list(table["asked"]) == [asked] and list(table["answers"]) == [answered]
    for path in out.rglob("svarsfrekvens.csv"):
        assert (pd.read_csv(path)["response_rate"].dropna() <= 100).all()
    write_xlsx(rates, {"Svarsfrekvens": [["Enkät", "År", "Tillfrågade"],
                                         ["Styrelse", 2025, 10]]})
    code, said = pack([str(root), "--per-forbund", "--svarsfrekvens", str(rates), "--out",
                       str(tmp_path / "ny"), "--format", "xlsx"], capsys)
    assert code == 2 and "ange förbundet (en kolumn Förbund i svarsfrekvensen)" in said


def test_compare_each_forbund_with_its_own_earlier_pack(tmp_path, capsys):
    """Last year's --per-forbund folder: a förbund that answered the same both years shows
    no change, however different the other förbund were."""
    for year in (2024, 2025):
        root = tmp_path / f"svar{year}"
        root.mkdir()
        rows = board_rows(10, year, 1, "Norra")  # the same answers both years
        rows += board_rows(12, year, year, "Södra")[1:]
        write_csv(root / f"styrelse_{year}.csv", rows)
    out, said = two_years(tmp_path, capsys)
    slugs = folder_names(["Norra", "Södra"])
    changes = pd.read_csv(out / slugs["Norra"] / "changes.csv")
    assert len(changes) == 3
    assert (changes["change_pp"] == 0).all() and (changes["n"] == changes["previous_n"]).all()
    overall = pd.read_csv(out / AGGREGATE_FOLDER / "changes.csv").query("group == 'Alla'")
    assert len(overall) == 3 and (overall["previous_n"] == 22).all()
    # one pack of last year's run is some förbund's, not each förbund's: refused
    code, said = pack([str(tmp_path / "svar2025"), "--per-forbund", "--compare",
                       str(tmp_path / "ut2024" / slugs["Norra"]), "--out",
                       str(tmp_path / "ny"), "--format", "xlsx"], capsys)
    assert code == 2 and "inte ett enskilt paket" in said


def test_files_are_named_by_their_forbund_folder(tmp_path, capsys):
    """Every förbund has a styrelse_2025.csv: messages and the pack name 'Norra/…'."""
    root = folders(tmp_path / "svar", {"Norra": 6, "Södra": 6})
    with (root / "Södra" / "styrelse_2025.csv").open("a", encoding="utf-8") as f:
        f.write("2025;4;9;4\n")
    capsys.readouterr()
    assert run(["validate", str(root), "--per-forbund"]) == 1
    said = "".join(capsys.readouterr())
    assert "Södra/styrelse_2025.csv, rad 8, kolumn C" in said
    assert "\nNorra/styrelse_2025.csv" in said and "\nSödra/styrelse_2025.csv" in said


def test_a_folder_read_as_one_forbund_says_what_its_subfolders_hold(tmp_path, capsys):
    """Without --per-forbund only the folder's own files are read: subfolders with exports
    are named (a warning), or, when the folder has none of its own, the run says where
    the files are and how to read them."""
    root = folders(tmp_path / "svar", {"Norra": 6, "Södra": 6})
    code, said = pack([str(root), "--out", str(tmp_path / "ut"), "--format", "xlsx"], capsys)
    assert code == 2 and "undermapparna svar/Norra, svar/Södra:" in said.replace("\\", "/")
    assert "--per-forbund" in said
    write_csv(root / "styrelse_2025.csv", board_rows(7, 2025, 3))
    code, said = pack([str(root), "--out", str(tmp_path / "ut"), "--format", "xlsx"], capsys)
    assert code == 0, said
    summary = (tmp_path / "ut" / "sammanfattning.txt").read_text(encoding="utf-8")
    assert "svar/Norra: Undermappen har exportfiler som inte lästes" in summary.replace("\\", "/")


def test_a_rate_sheet_in_a_file_of_one_forbund_is_that_forbunds(tmp_path, capsys):
    """A workbook per förbund, each with the Förbund column and its own Svarsfrekvens
    sheet (no Förbund column there): the sheet is that förbund's."""
    root = tmp_path / "svar"
    root.mkdir()
    for name, n, asked in (("Norra", 8, 10), ("Södra", 9, 15)):
        write_xlsx(root / f"{name}.xlsx", {
            "Styrelse": board_rows(n, 2025, n, name),
            "Svarsfrekvens": [["Enkät", "År", "Tillfrågade"], ["Styrelse", 2025, asked]]})
    out = tmp_path / "ut"
    code, said = pack([str(root), "--per-forbund", "--out", str(out), "--format", "xlsx"],
                      capsys)
    assert code == 0, said
    slugs = folder_names(["Norra", "Södra"])
    for name, asked in (("Norra", 10), ("Södra", 15)):
        assert list(pd.read_csv(out / slugs[name] / "svarsfrekvens.csv")["asked"]) == [asked]


def test_compare_finds_last_years_folder_of_a_long_name(tmp_path, capsys):
    """Folder names are cut at 40 characters; last year's is found all the same."""
    long = "Samordningsförbundet Mellersta Bergslagen och Norra Dalarna"
    for year in (2024, 2025):
        root = tmp_path / f"svar{year}"
        root.mkdir()
        rows = board_rows(8, year, 1, long) + board_rows(9, year, 2, "Södra")[1:]
        write_csv(root / f"styrelse_{year}.csv", rows)
    out, said = two_years(tmp_path, capsys)
    folder = folder_names([long, "Södra"])[long]
    assert len(folder) <= 40
    assert (pd.read_csv(out / folder / "changes.csv")["previous_n"] == 8).all()
    assert "finns inte i det tidigare paketet" not in said


def test_one_forbund_spelled_two_ways_is_one_in_the_duplicate_checks(tmp_path, capsys):
    """'Norra' and 'NORRA' are one förbund: the same id twice in one sheet is the same
    person (stop on other answers), and an export given again in another spelling is
    counted once."""
    rows = board_rows(6, 2025, 1, "Norra")
    rows = [["Svars-ID", *rows[0]]] + [[f"R{i:03d}", *r] for i, r in enumerate(rows[1:], 1)]
    again = [[r[0], "NORRA", *r[2:3], *(((int(x) % 6) + 1) for x in r[3:])] for r in rows[1:]]
    south = [[f"R{i:03d}", "Södra", *r[1:]] for i, r in
             enumerate(board_rows(6, 2025, 2, "x")[1:], 1)]
    write_csv(tmp_path / "lan.csv", [rows[0], *rows[1:], *again, *south])
    code, said = pack([str(tmp_path / "lan.csv"), "--per-forbund", "--out",
                       str(tmp_path / "ut"), "--format", "xlsx"], capsys)
    assert code == 1 and "finns redan" in said, said
    rows = board_rows(12, 2025, 3, "Norra")  # a run long enough to be sure of
    rows = [["Svars-ID", *rows[0]]] + [[f"R{i:03d}", *r] for i, r in enumerate(rows[1:], 1)]
    write_csv(tmp_path / "h1.csv", [rows[0], *rows[1:], *south])
    more = board_rows(5, 2025, 7, "Norra")[1:]
    write_csv(tmp_path / "helar.csv", [rows[0], *[[r[0], "NORRA", *r[2:]] for r in rows[1:]],
                                       *[[f"R{i:03d}", *r] for i, r in enumerate(more, 13)]])
    out = tmp_path / "ut2"
    code, said = pack([str(tmp_path / "h1.csv"), str(tmp_path / "helar.csv"),
                       "--per-forbund", "--out", str(out), "--format", "xlsx"], capsys)
    assert code == 0, said
    assert respondents(out, folder_names(["Norra", "Södra"])["Norra"]) == 17


def test_compare_matches_forbund_by_name_not_by_folder(tmp_path, capsys):
    """Åsen and Asen share a folder name's letters (asen-…): a new Asen is not compared
    with last year's Åsen. A förbund written otherwise this year ('Samordningsförbundet
    Norra' then, 'NORRA FINSAM' now) is itself in alla/'s comparison."""
    years = {2024: {"Åsen": 8, "Samordningsförbundet Norra": 9, "Södra": 7},
             2025: {"Åsen": 8, "Asen": 6, "NORRA FINSAM": 9, "Södra": 7}}
    for year, sizes in years.items():
        root = tmp_path / f"svar{year}"
        root.mkdir()
        rows = board_rows(0, year, 0, "x")[:1]
        for i, (name, n) in enumerate(sizes.items()):
            rows += board_rows(n, year, i, name)[1:]
        write_csv(root / f"styrelse_{year}.csv", rows)
    out, _ = two_years(tmp_path, capsys)
    slugs = folder_names(list(years[2025]))
    assert (pd.read_csv(out / slugs["Åsen"] / "changes.csv")["previous_n"] == 8).all()
    assert not (out / slugs["Asen"] / "changes.csv").exists()
    new = (out / slugs["Asen"] / "sammanfattning.txt").read_text(encoding="utf-8")
    assert "Förbundet Asen finns inte i det tidigare paketet" in new
    assert "bara ett år i filerna" not in new
    assert "Förbundet Asen finns inte" in (out / AGGREGATE_FOLDER / "sammanfattning.txt"
                                           ).read_text(encoding="utf-8")
    assert (pd.read_csv(out / slugs["NORRA FINSAM"] / "changes.csv")["previous_n"] == 9).all()
    overall = pd.read_csv(out / AGGREGATE_FOLDER / "changes.csv")
    assert {"Alla", "Åsen", "NORRA FINSAM", "Södra"} <= set(overall["group"])
    assert "Asen" not in set(overall["group"]) or overall.loc[
        overall["group"] == "Asen", "previous_n"].isna().all()


@pytest.mark.parametrize("other", ["Södra", "Östra"])
def test_a_forbund_folder_with_another_forbunds_goal_or_rates(tmp_path, capsys, other):
    """In a --per-forbund run, a goal or a rate row in Norra's own folder that names
    another förbund (one in the run, or none) is refused: whose is it? A goal in Norra's
    mal.toml and again in the run's is one goal."""
    root = folders(tmp_path / "svar", {"Norra": 8, "Södra": 9})
    goal = GOALS.split("[[goal]]")[1]
    (root / "Norra" / "mal.toml").write_text("[[goal]]" + goal.replace('"norra"', f'"{other}"'),
                                             encoding="utf-8")
    code, said = pack([str(root), "--per-forbund", "--out", str(tmp_path / "ut"),
                       "--format", "xlsx"], capsys)
    assert code == 2 and f"för förbundet '{other}' ligger i förbundet Norras mapp" in said
    (root / "Norra" / "mal.toml").write_text("[[goal]]" + goal, encoding="utf-8")
    (root / "mal.toml").write_text("[[goal]]" + goal, encoding="utf-8")
    out = tmp_path / "ut"
    code, said = pack([str(root), "--per-forbund", "--out", str(out), "--format", "xlsx"],
                      capsys)
    assert code == 0, said
    assert len(pd.read_csv(out / folder_names(["Norra", "Södra"])["Norra"] / "mal.csv")) == 1
    (root / "mal.toml").unlink()
    (root / "Norra" / "mal.toml").unlink()
    write_xlsx(root / "Norra" / "frekvens.xlsx", {"Svarsfrekvens": [
        ["Förbund", "Enkät", "År", "Tillfrågade"], [other, "Styrelse", 2025, 12]]})
    code, said = pack([str(root), "--per-forbund", "--out", str(tmp_path / "ny"),
                       "--format", "xlsx"], capsys)
    assert code == 2 and "ligger i förbundet Norras mapp" in said


def test_rates_for_one_forbund_given_twice_must_agree(tmp_path, capsys):
    """Norra's own Svarsfrekvens sheet says 12 asked, the run's file says 20 for Norra:
    which is right? The run stops, as for two rows in one sheet."""
    root = folders(tmp_path / "svar", {"Norra": 8, "Södra": 9})
    write_xlsx(root / "Norra" / "frekvens.xlsx", {"Svarsfrekvens": [
        ["Enkät", "År", "Tillfrågade"], ["Styrelse", 2025, 12]]})
    rates = tmp_path / "alla.csv"
    write_csv(rates, [["Förbund", "Enkät", "År", "Tillfrågade"], ["Norra", "Styrelse", 2025, 20]])
    code, said = pack([str(root), "--per-forbund", "--svarsfrekvens", str(rates), "--out",
                       str(tmp_path / "ut"), "--format", "xlsx"], capsys)
    assert code == 1 and "har redan en rad med andra siffror" in said, said
    write_csv(rates, [["Förbund", "Enkät", "År", "Tillfrågade"], ["Norra", "Styrelse", 2025, 12]])
    out = tmp_path / "ut"
    code, said = pack([str(root), "--per-forbund", "--svarsfrekvens", str(rates), "--out",
                       str(out), "--format", "xlsx"], capsys)
    assert code == 0, said
    table = pd.read_csv(out / folder_names(["Norra", "Södra"])["Norra"] / "svarsfrekvens.csv")
    assert list(table["asked"]) == [12]


def test_hidden_and_empty_folders_are_named_and_a_rate_file_beside_is_read(tmp_path, capsys):
    """A hidden folder ('.Östra', 'Norra/.gammalt') is not read and is named; so is a
    förbund folder without exports. A workbook beside the förbund folders holding only a
    Svarsfrekvens sheet with a Förbund column is the run's response rates."""
    root = folders(tmp_path / "svar", {"Norra": 8, "Södra": 9, ".Östra": 7})
    (root / "Norra" / ".gammalt").mkdir()
    write_csv(root / "Norra" / ".gammalt" / "styrelse_2024.csv", board_rows(6, 2024, 5))
    (root / "Västra").mkdir()
    write_xlsx(root / "svarsfrekvens.xlsx", {"Svarsfrekvens": [
        ["Förbund", "Enkät", "År", "Tillfrågade"], ["Norra", "Styrelse", 2025, 10],
        ["Södra", "Styrelse", 2025, 11]]})
    out = tmp_path / "ut"
    code, said = pack([str(root), "--per-forbund", "--out", str(out), "--format", "xlsx"],
                      capsys)
    assert code == 0, said
    summary = (out / AGGREGATE_FOLDER / "sammanfattning.txt").read_text(encoding="utf-8")
    for folder in (".Östra", ".gammalt"):
        assert re.search(re.escape(folder) + ": Mappen är dold", summary), folder
    assert re.search(r"Västra: Mappen har inga exportfiler", summary)
    slugs = folder_names(["Norra", "Södra"])
    assert list(pd.read_csv(out / slugs["Södra"] / "svarsfrekvens.csv")["asked"]) == [11]
    assert respondents(out, AGGREGATE_FOLDER) == 17
    capsys.readouterr()
    assert run(["validate", str(root), "--per-forbund"]) == 0
    assert "Mappen är dold" in "".join(capsys.readouterr())


def test_other_spellings_in_a_forbund_folders_column_are_said(tmp_path, capsys):
    root = folders(tmp_path / "svar", {"Norra": 8, "Södra": 9})
    write_csv(root / "Södra" / "styrelse_2025.csv",
              board_rows(4, 2025, 1, "SAMORDNINGSFÖRBUNDET SÖDRA")
              + board_rows(5, 2025, 2, "Finsam södra ")[1:])
    out = tmp_path / "ut"
    code, said = pack([str(root), "--per-forbund", "--out", str(out), "--format", "xlsx"],
                      capsys)
    assert code == 0, said
    summary = (out / folder_names(["Södra"])["Södra"] / "sammanfattning.txt").read_text(
        encoding="utf-8")
    assert "skrivs på flera sätt i kolumnen Förbund" in summary
    assert respondents(out, folder_names(["Södra"])["Södra"]) == 9


def test_a_folder_per_year_inside_a_forbund_folder(tmp_path, capsys):
    """Norra/2024/ and Norra/2025/ (or files of one year in Norra/ itself): one förbund,
    every year read, files named by their place."""
    root = tmp_path / "svar"
    for name, own in (("Norra", False), ("Södra", True)):
        for year in (2024, 2025):
            folder = root / name / str(year) if not (own and year == 2025) else root / name
            folder.mkdir(parents=True, exist_ok=True)
            write_csv(folder / "styrelse.csv", board_rows(6 + year % 2, year, year))
    out = tmp_path / "ut"
    code, said = pack([str(root), "--per-forbund", "--out", str(out), "--format", "xlsx"],
                      capsys)
    assert code == 0, said
    for name in ("Norra", "Södra"):
        groups = pd.read_csv(out / folder_names(["Norra", "Södra"])[name] / "grupper.csv")
        assert sorted(groups.query("group == 'Alla'")["respondents"]) == [6, 7], name
        assert (out / folder_names(["Norra", "Södra"])[name] / "changes.csv").exists()
    capsys.readouterr()
    assert run(["validate", str(root), "--per-forbund"]) == 0
    assert "Norra/2024/styrelse.csv" in "".join(capsys.readouterr()).replace("\\", "/")


def test_year_folders_hidden_files_and_a_county_of_one(tmp_path, capsys):
    """Year folders are read without a word about 'subfolders not read'; a 2025 file in
    the 2024 folder is refused; a hidden file ('.x.csv', macOS's '._x.csv') is named, not
    read; one förbund's folder alone is told to be packed without --per-forbund."""
    root = tmp_path / "svar"
    for name in ("Norra", "Södra"):
        for year in (2024, 2025):
            (root / name / str(year)).mkdir(parents=True)
            write_csv(root / name / str(year) / "styrelse.csv", board_rows(6, year, year))
    write_csv(root / "Norra" / "2025" / ".styrelse_gammal.csv", board_rows(6, 2025, 9))
    (root / "Norra" / "2025" / "._styrelse.csv").write_bytes(b"\x00\x05\x16\x07junk")
    out = tmp_path / "ut"
    code, said = pack([str(root), "--per-forbund", "--out", str(out), "--format", "xlsx"],
                      capsys)
    assert code == 0, said
    text = (out / "alla" / "sammanfattning.txt").read_text(encoding="utf-8")
    assert "Undermappen" not in text and text.count("Filen är dold") == 2
    assert respondents(out, folder_names(["Norra"])["Norra"]) == 6
    write_csv(root / "Södra" / "2024" / "styrelse_ny.csv", board_rows(5, 2025, 3))
    code, said = pack([str(root), "--per-forbund", "--out", str(tmp_path / "x"),
                       "--format", "xlsx"], capsys)
    assert code == 1 and "ligger i mappen för 2024, men svaren på rad 2 är från 2025" in said
    alone = tmp_path / "ensam"
    folders(alone, {"Norra": 6})
    code, said = pack([str(alone), "--per-forbund", "--out", str(tmp_path / "y"),
                       "--format", "xlsx"], capsys)
    assert code == 2 and "bara ett förbunds mapp (Norra) och ingen kolumn Förbund" in said
    # one folder whose file has a Förbund column: that is the county
    column_file(alone / "Norra" / "styrelse_2025.csv", {"Norra": 6, "Södra": 7})
    (alone / "Norra" / "deltagare_pagaende_2025.csv").unlink()
    code, said = pack([str(alone), "--per-forbund", "--out", str(tmp_path / "y"),
                       "--format", "xlsx"], capsys)
    assert code == 0, said
    assert respondents(tmp_path / "y", folder_names(["Södra"])["Södra"]) == 7


def test_conflicting_goals_and_a_rate_workbook_with_an_empty_sheet(tmp_path, capsys):
    root = folders(tmp_path / "svar", {"Norra": 8, "Södra": 9})
    write_xlsx(root / "svarsfrekvens.xlsx", {
        "Svarsfrekvens": [["Förbund", "Enkät", "År", "Tillfrågade"],
                          ["Norra", "Styrelse", 2025, 10]], "Blad1": []})
    goal = GOALS.split("[[goal]]")[1]
    (root / "Norra" / "mal.toml").write_text("[[goal]]" + goal, encoding="utf-8")
    (root / "mal.toml").write_text("[[goal]]" + goal.replace("at_least = 50", "at_least = 80"),
                                   encoding="utf-8")
    code, said = pack([str(root), "--per-forbund", "--out", str(tmp_path / "ut"),
                       "--format", "xlsx"], capsys)
    assert code == 2 and "står två gånger med olika innehåll" in said
    assert "Norra/mal.toml och " in said.replace("\\", "/")
    (root / "mal.toml").unlink()
    code, said = pack([str(root), "--per-forbund", "--out", str(tmp_path / "ut"),
                       "--format", "xlsx"], capsys)
    assert code == 0, said
    table = pd.read_csv(tmp_path / "ut" / folder_names(["Norra"])["Norra"] / "svarsfrekvens.csv")
    assert list(table["asked"]) == [10]


def test_a_goal_of_a_hidden_year_is_too_few_not_last_years(tmp_path, capsys):
    """Norra's board 2025 has 3 answers (hidden), 2024 had 8: the goal is 2025's and has
    too few answers; it is not judged on 2024."""
    root = tmp_path / "svar"
    root.mkdir()
    write_csv(root / "styrelse.csv", board_rows(8, 2024, 1) + board_rows(3, 2025, 2)[1:])
    (root / "mal.toml").write_text("[[goal]]" + GOALS.split("[[goal]]")[1].replace(
        'forbund = "norra"\n', ""), encoding="utf-8")
    code, said = pack([str(root), "--out", str(tmp_path / "ut"), "--format", "xlsx"], capsys)
    assert code == 0, said
    goals = pd.read_csv(tmp_path / "ut" / "mal.csv")
    assert list(goals["year"]) == [2025] and list(goals["verdict"]) == ["för få svar"]


def test_a_sheet_without_the_forbund_column_among_sheets_with_it(tmp_path, capsys):
    rows = board_rows(6, 2025, 1, "Norra") + board_rows(6, 2025, 2, "Södra")[1:]
    write_xlsx(tmp_path / "styrelse.xlsx", {"2025": rows, "2024": board_rows(6, 2024, 3)})
    code, said = pack([str(tmp_path / "styrelse.xlsx"), "--per-forbund", "--out",
                       str(tmp_path / "ut"), "--format", "xlsx"], capsys)
    assert code == 1 and "blad '2024' har ingen kolumn Förbund" in said, said
    capsys.readouterr()
    root = folders(tmp_path / "svar", {"Norra": 8, "Södra": 9})
    (root / "mal.toml").write_text(GOALS, encoding="utf-8")
    assert run(["validate", str(root), "--per-forbund"]) == 0
    said = "".join(capsys.readouterr())
    assert "Målfil med 1 mål för Norra" in said and "Målfil med 1 mål för Södra" in said


def test_alla_says_when_the_forbund_compared_are_not_the_same(tmp_path, capsys):
    """Östra answered only this year: alla/'s year-on-year comparison is of other förbund
    sets, and its summary says so; with the same förbund both years it says nothing."""
    root = tmp_path / "svar"
    root.mkdir()
    rows = board_rows(0, 2025, 0, "x")[:1]
    for year in (2024, 2025):
        for i, name in enumerate(("Norra", "Södra", "Östra")):
            if name == "Östra" and year == 2024:
                continue
            rows += board_rows(8, year, year + i, name)[1:]
    write_csv(root / "styrelse.csv", rows)
    out = tmp_path / "ut"
    code, said = pack([str(root), "--per-forbund", "--out", str(out), "--format", "xlsx"],
                      capsys)
    assert code == 0, said
    text = (out / AGGREGATE_FOLDER / "sammanfattning.md").read_text(encoding="utf-8")
    assert ("Jämförelsen gäller de förbund som visas respektive år: 3 förbund i år, 2 år "
            "2024, och 2 av dem båda åren") in text
    own = (out / folder_names(["Norra"])["Norra"] / "sammanfattning.md").read_text(
        encoding="utf-8")
    assert "Jämförelsen gäller" not in own


def test_errors_in_several_forbund_name_the_first_whatever_the_processes(tmp_path, capsys):
    """The förbund are read on every core; when several have a wrong answer, the run
    stops on the first in order (as reading one by one would), with the same message and
    exit code for --jobs 1 and 2, and writes nothing."""
    root = folders(tmp_path / "svar", {"Alfa": 6, "Beta": 6, "Gamma": 6, "Delta": 6})
    for name, bad in (("Beta", "sju"), ("Delta", "åtta")):
        rows = board_rows(6, 2025, 1)
        rows[3][2] = bad
        write_csv(root / name / "styrelse_2025.csv", rows)
    said = {}
    for jobs in ("1", "2"):
        code, said[jobs] = pack([str(root), "--per-forbund", "--out", str(tmp_path / jobs),
                                 "--format", "xlsx", "--jobs", jobs], capsys)
        assert code != 0
        assert not (tmp_path / jobs).exists()
    assert said["1"] == said["2"]
    assert "sju" in said["1"] and "Beta" in said["1"] and "åtta" not in said["1"]
