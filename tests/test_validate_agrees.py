"""`validate` reads what `pack` reads, with the same options, and refuses what it refuses.

Every option the two commands share is run through both (the list comes from the
commands themselves, so a new shared option without a case here fails); then a set of
inputs, good and bad, each of a kind users meet, goes through both, and the two must
agree on whether it can be packed and with which exit code and message.
"""

from pathlib import Path

import pytest
import typer
from conftest import write_csv
from test_cli import run

from indikator.cli.main import app

BOARD_HEADER = ["År", "Insats", "F1", "F2", "F3"]


def board(year: int, people: int = 8, insats: str = "Team A", offset: int = 0) -> list[list]:
    return [[year, insats, *[1 + (i + q + offset) % 6 for q in range(3)]] for i in range(people)]


def write_board(path: Path, rows: list[list], header=BOARD_HEADER) -> Path:
    return write_csv(path, [header, *rows])


@pytest.fixture(scope="module")
def earlier(tmp_path_factory) -> Path:
    """An earlier pack (2024) whose distributions.csv later runs compare with."""
    folder = tmp_path_factory.mktemp("earlier")
    data = write_board(folder / "styrelse_2024.csv", board(2024, 9))
    result = run("pack", data, "--out", folder / "paket", "--format", "xlsx")
    assert result.exit_code == 0, result.output
    return folder / "paket" / "distributions.csv"


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Path:
    """Another förbund's pack of the same year (2025), to stand beside the runs' answers."""
    folder = tmp_path_factory.mktemp("reference")
    data = write_board(folder / "styrelse_2025.csv", board(2025, 11, offset=3))
    result = run("pack", data, "--out", folder / "paket", "--format", "xlsx")
    assert result.exit_code == 0, result.output
    return folder / "paket" / "distributions.csv"


def shared_options() -> list[str]:
    group = typer.main.get_command(app)

    def names(command: str) -> set[str]:
        return {opt for p in group.commands[command].params for opt in p.opts
                if opt.startswith("--")}

    return sorted(names("pack") & names("validate"))


def case(option: str, tmp: Path, earlier: Path, reference: Path) -> tuple[list, list]:
    """(files, options) exercising `option` so that the run needs it and succeeds."""
    this_year = write_board(tmp / "styrelse_2025.csv", board(2025))
    match option:
        case "--year":
            return [write_csv(tmp / "styrelse.csv", [BOARD_HEADER[1:]]
                              + [r[1:] for r in board(2025)])], ["--year", "2025"]
        case "--survey":
            return [write_board(tmp / "export_2025.csv", board(2025))], ["--survey", "styrelse"]
        case "--incomplete":
            rows = [[*r, "Komplett" if i else "Ofullständig"] for i, r in enumerate(board(2025))]
            return [write_board(tmp / "styrelse_2025.csv", rows, [*BOARD_HEADER, "Status"])], \
                ["--incomplete", "exclude"]
        case "--ja-nej":
            header = ["År", *[f"Fråga {i}" for i in range(1, 8)]]
            rows = [[2025, 3, 4, 5, i % 2, 4, 5, 6] for i in range(8)]
            return [write_csv(tmp / "deltagare_pagaende_2025.csv", [header, *rows])], \
                ["--ja-nej", "1/0"]
        case "--skip-invalid":
            rows = board(2025)
            rows[2][3] = "Kanske"
            return [write_board(tmp / "styrelse_2025.csv", rows)], ["--skip-invalid"]
        case "--min-n":
            return [this_year], ["--min-n", "3"]
        case "--compare":
            return [this_year], ["--compare", earlier]
        case "--svarsfrekvens":
            rates = write_csv(tmp / "frekvens.csv", [["Enkät", "År", "Tillfrågade"],
                                                     ["Styrelse", "2025", "12"]])
            return [this_year], ["--svarsfrekvens", rates]
        case "--mal":
            goals = tmp / "mina_mal.toml"
            goals.write_text('[[goal]]\nname = "Strukturer"\nsurvey = "styrelse"\n'
                             "questions = [1]\nat_least = 50\n", encoding="utf-8")
            return [this_year], ["--mal", goals]
        case "--forbund":  # picks the förbund's goals of a file with many förbund's
            goals = tmp / "mal.toml"
            goals.write_text('[[goal]]\nname = "Strukturer"\nforbund = "Norra"\n'
                             'survey = "styrelse"\nquestions = [1]\nat_least = 50\n',
                             encoding="utf-8")
            return [this_year, goals], ["--forbund", "Samordningsförbundet Norra"]
        case "--per-forbund":
            rows = [["Norra", *r] for r in board(2025)] + [["Södra", *r] for r in
                                                          board(2025, offset=2)]
            return [write_csv(tmp / "styrelse_2025.csv", [["Förbund", *BOARD_HEADER], *rows])], \
                ["--per-forbund"]
        case "--reference":
            return [this_year], ["--reference", reference]
        case "--reference-label":
            return [this_year], ["--reference", reference, "--reference-label", "Riket"]
        case "--questionnaires":
            own = tmp / "egna"
            own.mkdir()
            (own / "uppfoljning.toml").write_text(
                'id = "uppfoljning"\nname = "Uppföljning"\nversion = "2025"\n'
                "valid_from = 2025\n\n[[questions]]\nnumber = 1\n"
                'text = "Fick du det stöd du behövde?"\nscale = "frekvens"\n',
                encoding="utf-8")
            answers = write_csv(tmp / "uppfoljning_2025.csv",
                                [["År", "Fick du det stöd du behövde?"],
                                 *[[2025, 1 + i % 6] for i in range(7)]])
            return [answers, this_year], ["--questionnaires", own]
        case "--debug":
            return [this_year], ["--debug"]
    raise AssertionError(f"{option} is shared by pack and validate but has no case here")


@pytest.mark.parametrize("option", shared_options())
def test_every_shared_option_works_in_both_commands(option, tmp_path, earlier, reference):
    files, options = case(option, tmp_path, earlier, reference)
    checked = run("validate", *files, *options)
    assert checked.exit_code == 0, checked.output
    assert "Internt fel" not in checked.output
    out = tmp_path / "paket"
    packed = run("pack", *files, *options, "--out", out, "--format", "xlsx")
    assert packed.exit_code == 0, packed.output
    assert (out / "distributions.csv").is_file() or (out / "alla").is_dir()
    if option == "--questionnaires":
        assert "uppfoljning" in (out / "distributions.csv").read_text(encoding="utf-8")


def test_the_shared_options_are_what_pack_reads():
    """Every pack option about what is read is also validate's (the rest are about output)."""
    output_only = {"--out", "--jobs", "--by", "--pool-small", "--format", "--sort",
                   "--bilaga"}
    group = typer.main.get_command(app)
    pack = {o for p in group.commands["pack"].params for o in p.opts if o.startswith("--")}
    assert pack - set(shared_options()) == output_only


# --- inputs of every kind: both commands refuse the same ones ------------------------------

def kinds(tmp: Path, earlier: Path) -> dict[str, tuple[list, list]]:
    this_year = write_board(tmp / "styrelse_2025.csv", board(2025))
    later = tmp / "later"
    later.mkdir()
    newer = write_board(later / "styrelse_2026.csv", board(2026))
    goals = tmp / "mal_komma.toml"
    goals.write_text('[[goal]]\nname = "x"\nsurvey = "styrelse"\nquestions = [1]\n'
                     "at_least = 3,5\n", encoding="utf-8")
    wrong_goal = tmp / "mal_fraga.toml"
    wrong_goal.write_text('[[goal]]\nname = "x"\nsurvey = "styrelse"\nquestions = [9]\n'
                          "at_least = 50\n", encoding="utf-8")
    invalid = board(2025)
    invalid[1][2] = "Kanske"
    two = [["Norra", *r] for r in board(2025)] + [["Södra", *r] for r in board(2025)]
    beside = tmp / "beside"
    beside.mkdir()
    write_board(beside / "styrelse_2025.csv", board(2025))
    (beside / "mal.toml").write_text("[[goal]\n", encoding="utf-8")
    no_year = write_csv(tmp / "styrelse.csv", [BOARD_HEADER[1:]] + [r[1:] for r in board(2025)])
    (tmp / "named").mkdir()
    named = write_csv(tmp / "named" / "Styrelse 2025.csv",
                      [BOARD_HEADER[1:]] + [r[1:] for r in board(2025)])
    return {
        "good": ([this_year], []),
        "goals with a decimal comma": ([this_year], ["--mal", goals]),
        "goal on a question that does not exist": ([this_year], ["--mal", wrong_goal]),
        "broken mal.toml beside the files": ([beside], []),
        "an invalid answer": ([write_board(tmp / "fel_2025.csv", invalid)], []),
        "two förbund without --per-forbund": (
            [write_csv(tmp / "two_2025.csv", [["Förbund", *BOARD_HEADER], *two])], []),
        "--per-forbund with one förbund": ([this_year], ["--per-forbund"]),
        "no year anywhere": ([no_year], []),
        "--year against the file name": ([named], ["--year", "2024"]),
        "--compare with the same year": (
            [write_board(tmp / "styrelse_2024.csv", board(2024))], ["--compare", earlier]),
        "--compare with a later year": ([write_board(tmp / "s_2023.csv", board(2023))],
                                        ["--survey", "styrelse", "--compare", earlier]),
        "--compare that is not a pack": ([this_year], ["--compare", this_year]),
        "--reference that does not exist": ([this_year], ["--reference", tmp / "nej.csv"]),
        "--svarsfrekvens that cannot be read": (
            [this_year], ["--svarsfrekvens", write_csv(tmp / "f.csv", [["Enkät", "Tillfrågade"],
                                                                       ["Styrelse", "x"]])]),
        "unknown --survey": ([this_year], ["--survey", "styrelsen2"]),
        "a later year of answers and an earlier pack": ([newer], ["--compare", earlier]),
        **many_kinds(tmp),
    }


def many_kinds(tmp: Path) -> dict[str, tuple[list, list]]:
    """A folder per förbund, arranged wrongly in the ways a county's files are."""
    def county(name: str, members=("Norra", "Södra")) -> Path:
        root = tmp / name
        for i, member in enumerate(members):
            (root / member).mkdir(parents=True)
            write_board(root / member / "styrelse_2025.csv", board(2025, offset=i))
        return root

    deep = county("djup")
    (deep / "Norra" / "gammalt").mkdir()
    write_board(deep / "Norra" / "gammalt" / "styrelse_2024.csv", board(2024))
    beside = county("bredvid")
    write_board(beside / "styrelse_2025.csv", board(2025, offset=3))
    unkeyed = county("mal")
    (unkeyed / "mal.toml").write_text('[[goal]]\nname = "x"\nsurvey = "styrelse"\n'
                                      "questions = [1]\nat_least = 50\n", encoding="utf-8")
    other = county("annans")
    (other / "Norra" / "mal.toml").write_text(
        '[[goal]]\nname = "x"\nforbund = "Södra"\nsurvey = "styrelse"\nquestions = [1]\n'
        "at_least = 50\n", encoding="utf-8")
    keyed = tmp / "nyckel"
    keyed.mkdir()
    write_board(keyed / "styrelse_2025.csv", board(2025))
    (keyed / "mal.toml").write_text(
        '[[goal]]\nname = "x"\nforbund = "Norra"\nsurvey = "styrelse"\nquestions = [1]\n'
        "at_least = 50\n", encoding="utf-8")
    return {
        "--per-forbund: files a level too deep": ([deep], ["--per-forbund"]),
        "--per-forbund: files beside the förbund folders": ([beside], ["--per-forbund"]),
        "--per-forbund: a goal without a förbund": ([unkeyed], ["--per-forbund"]),
        "--per-forbund: another förbund's goal in a folder": ([other], ["--per-forbund"]),
        "--per-forbund with --forbund": ([county("namn")], ["--per-forbund", "--forbund", "x"]),
        "a goal naming a förbund, and no förbund name": ([keyed], []),
    }


def test_validate_and_pack_refuse_the_same_inputs(tmp_path, earlier):
    outcomes = {}
    for name, (files, options) in kinds(tmp_path, earlier).items():
        checked = run("validate", *files, *options)
        packed = run("pack", *files, *options, "--out", tmp_path / "p", "--format", "xlsx")
        for result in (checked, packed):
            assert "Internt fel" not in result.output, (name, result.output)
            assert result.exit_code in (0, 1, 2), (name, result.output)
        assert checked.exit_code == packed.exit_code, (name, checked.output, packed.output)
        if packed.exit_code:
            lines = packed.stderr.splitlines()
            at = next(i for i, line in enumerate(lines) if line.startswith("Fel: "))
            first = lines[at].removeprefix("Fel: ")
            reasons = [line.strip() for line in lines[at + 1:] if line.strip()]
            if reasons:  # each problem pack lists, validate lists too
                assert all(r in checked.output for r in reasons), (name, reasons, checked.output)
            else:
                assert first in checked.output, (name, first, checked.output)
        outcomes[name] = packed.exit_code
    assert outcomes["good"] == 0 and outcomes["a later year of answers and an earlier pack"] == 0
    assert [n for n, code in outcomes.items() if code == 0] == [
        "good", "a later year of answers and an earlier pack"], outcomes
