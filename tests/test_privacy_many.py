"""The attacker's view of a many-förbund run: every file of every pack (CSV, every sheet of
the workbook, the summaries, the PDF, Word and HTML text and the charts' SVG text), read
for a way to the size or the answers of fewer than --min-n people of a förbund.

Two attacks. The twin: the same county packed twice, with each hidden förbund's survey
given another size under --min-n, other answers and other response-rate figures; not
one character of any pack may change, so nothing hidden is published nor derivable, by
any difference of published figures. The arithmetic: every published size is 0 or at
least --min-n, and each total of the aggregate (alla/) is the sum of what the förbund's
own packs publish, so that subtracting them leaves 0.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from test_many_small import SURVEYS, YEAR, pack_texts, write_forbund

from indikator.input.members import AGGREGATE_FOLDER, folder_names
from indikator.words import ALL

MIN_N = 5
FORMATS = "pdf,docx,xlsx,html,pptx,svg"  # every format with text in it (PNG has none)
PEOPLE = re.compile(r"(\d+) (?:personer|person|svarande)\b|\bn ?= ?(\d+)|(\d+) svar av")


def county(seed: int) -> dict[str, dict[str, int]]:
    """3–4 förbund; each survey of each has no file, a few (hidden) or enough answers; the
    first förbund's board is always hidden."""
    rng = np.random.default_rng(seed)
    names = ["Samordningsförbundet Norra", "Samordningsförbundet Södra",
             "Samordningsförbundet Östra", "Finsam Västra"][:int(rng.integers(3, 5))]
    members = {}
    for name in names:
        members[name] = {s: int(rng.choice([0, *range(1, MIN_N), *range(MIN_N, 16)]))
                         for s in SURVEYS}
    members[names[0]]["styrelse"] = int(rng.integers(1, MIN_N))
    return members


def hidden_cells(members: dict[str, dict[str, int]]) -> list[tuple[str, str]]:
    return [(n, s) for n, sizes in members.items() for s, size in sizes.items()
            if 0 < size < MIN_N]


def write_run(folder: Path, members: dict[str, dict[str, int]], catalog, seed: int,
              rates: dict[tuple[str, str], tuple[int, int]],
              redrawn: list[tuple[str, str]] = ()) -> Path:
    """The förbund's files, and one svarsfrekvens.csv for all of them (a Förbund column);
    the answers of the `redrawn` (förbund, survey) drawn anew."""
    for i, (name, sizes) in enumerate(members.items()):
        write_forbund(folder / "svar", name, sizes, catalog, seed * 100 + i,
                      frozenset(s for n, s in redrawn if n == name), invalid=True)
    with (folder / "svarsfrekvens.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter=";")
        writer.writerow(["Förbund", "Enkät", "År", "Tillfrågade", "Tackat nej"])
        for (name, survey), (asked, declined) in rates.items():
            writer.writerow([name, catalog.get(survey).name, YEAR, asked, declined])
    return folder


def rate_figures(members, rng) -> dict[tuple[str, str], tuple[int, int]]:
    """Tillfrågade and tackat nej for every survey a förbund ran, but not for all."""
    figures = {}
    for name, sizes in members.items():
        for survey, size in sizes.items():
            if size and rng.random() < 0.8:
                asked = size + int(rng.integers(0, 8))
                figures[(name, survey)] = (asked, int(rng.integers(0, asked - size + 1)))
    return figures


def run_pack(folder: Path) -> Path:
    from test_cli import run

    result = run("pack", folder / "svar", "--per-forbund", "--out", folder / "ut", "--jobs", 1,
                 "--format", FORMATS, "--svarsfrekvens", folder / "svarsfrekvens.csv",
                 "--skip-invalid")
    assert result.exit_code == 0, result.output
    return folder / "ut"


def every_text(out: Path) -> dict[str, str]:
    """Every file of every pack as text, the run's own folder written as OUT."""
    return {f"{pack.name}/{name}": text.replace(str(out.parent), "RUN")
            for pack in sorted(p for p in out.iterdir() if p.is_dir())
            for name, text in pack_texts(pack).items()}


def read(folder: Path, name: str) -> pd.DataFrame | None:
    return pd.read_csv(folder / name) if (folder / name).exists() else None


@pytest.mark.parametrize("seed", [3, 8, 21])
def test_hidden_forbund_cannot_be_derived(tmp_path, catalog, seed):
    members = county(seed)
    hidden = hidden_cells(members)
    rng = np.random.default_rng(seed)
    rates = rate_figures(members, rng)
    first = run_pack(write_run(tmp_path / "a", members, catalog, seed, rates))
    # the twin: every hidden survey of a förbund with another size, answers and rates
    twin = {name: dict(sizes) for name, sizes in members.items()}
    twin_rates = dict(rates)
    for name, survey in hidden:
        twin[name][survey] = 1 + members[name][survey] % (MIN_N - 1)
        if (name, survey) in rates:
            twin_rates[(name, survey)] = (twin[name][survey] + 9, 7)
    assert twin != members
    second = run_pack(write_run(tmp_path / "b", twin, catalog, seed, twin_rates, hidden))
    texts, twins = every_text(first), every_text(second)
    assert sorted(texts) == sorted(twins)
    for name, text in texts.items():
        assert text == twins[name], name  # a hidden number changed what is published

    slugs = folder_names(list(members))
    alla = first / AGGREGATE_FOLDER
    for name, text in texts.items():  # every size published anywhere: 0 or at least min_n
        for match in PEOPLE.finditer(text):
            size = int(next(g for g in match.groups() if g is not None))
            assert size == 0 or size >= MIN_N, (name, match.group(0))
    for pack in [*(first / s for s in slugs.values()), alla]:
        groups = read(pack, "grupper.csv")
        assert (groups.loc[groups["shown"], "respondents"] >= MIN_N).all()
        assert groups.loc[~groups["shown"], "respondents"].isna().all()
    # alla/ adds up what the förbund publish: minus them, nothing is left
    own = {n: read(first / s, "grupper.csv").query("group == @ALL & shown") for n, s in
           slugs.items()}
    groups = read(alla, "grupper.csv")
    for (survey, year), part in groups.groupby(["survey", "year"]):
        parts = sum(int(g.loc[(g["survey"] == survey) & (g["year"] == year),
                              "respondents"].sum()) for g in own.values())
        total = part.loc[part["group"] == ALL, "respondents"].fillna(0).sum()
        assert total == parts, (survey, year)
        for name in {n for n, s in hidden if catalog.get(s).id == survey}:
            row = part[part["group"] == name]
            assert not row["shown"].any() and row["respondents"].isna().all()
    # the row accounting: the sum of the förbund packs' own, or no counts at all
    counted = {n: int(m.group(1)) for n, s in slugs.items() if (m := re.search(
        r"Rader lästa: (\d+) =", texts[f"{s}/sammanfattning.txt"]))}
    line = re.search(r"Rader lästa[^:]*: (\d+) =", texts[f"{AGGREGATE_FOLDER}/sammanfattning.txt"])
    if line is not None:
        assert int(line.group(1)) == sum(counted.values())
    hidden_names = {n for n, _ in hidden}
    assert not hidden_names & set(counted)  # a förbund with a hidden survey prints none
    # response rates: the förbund's own published rows, and Alla their sum
    total_rates = read(alla, "svarsfrekvens.csv")
    published = {n: read(first / s, "svarsfrekvens.csv") for n, s in slugs.items()}
    if total_rates is None:
        assert all(p is None or p.query("group == @ALL").empty for p in published.values())
        return
    for row in total_rates.itertuples(index=False):
        if row.group == ALL:
            continue
        mine = published[row.group].query("group == @ALL & survey == @row.survey")
        assert len(mine) == 1
        assert (mine.iloc[0]["answers"], mine.iloc[0]["asked"]) == (row.answers, row.asked)
        assert (row.group, catalog.get(row.survey).id) not in hidden
    for (survey, year), part in total_rates.groupby(["survey", "year"]):
        forbund = part[part["group"] != ALL]
        alla_row = part[part["group"] == ALL]
        shown = groups[(groups["survey"] == survey) & (groups["year"] == year)
                       & (groups["group"] != ALL) & groups["shown"]]
        assert len(alla_row) == (len(forbund) == len(shown))  # a sum only of all shown
        if len(alla_row):
            assert int(alla_row["answers"].iloc[0]) == forbund["answers"].sum() == int(
                groups.loc[(groups["survey"] == survey) & (groups["year"] == year)
                           & (groups["group"] == ALL), "respondents"].iloc[0])
            assert int(alla_row["asked"].iloc[0]) == forbund["asked"].sum()


def test_aggregate_rates_are_sums_of_published_rows(catalog):
    """alla/'s response rates: each förbund's own published Alla row, and an Alla row only
    where every förbund shown has one (else it would not cover the Alla beside it)."""
    from indikator.input.response_rates import RATE_COLUMNS, forbund_rates, without_sum
    from indikator.report.summary import sum_lines

    groups = pd.DataFrame([
        ("styrelse", 2025, ALL, 30, True), ("styrelse", 2025, "A", 10, True),
        ("styrelse", 2025, "B", 20, True), ("styrelse", 2025, "C", None, False),
        ("beredningsgrupp", 2025, ALL, 18, True), ("beredningsgrupp", 2025, "A", 12, True),
        ("beredningsgrupp", 2025, "B", 6, True), ("beredningsgrupp", 2025, "C", None, False),
    ], columns=["survey", "year", "group", "respondents", "shown"])

    def table(*rows):
        frame = pd.DataFrame(rows, columns=RATE_COLUMNS)
        frame["declined"] = frame["declined"].astype("Int64")
        return frame

    published = {
        "A": table(("styrelse", 2025, ALL, 10, 12, 1, 83.3),
                   ("beredningsgrupp", 2025, ALL, 12, 15, 0, 80.0)),
        "B": table(("styrelse", 2025, ALL, 20, 25, None, 80.0),
                   ("styrelse", 2025, "Lots", 8, 9, 1, 88.9)),  # an insats: not summed
        "C": None,  # hidden in its own pack: nothing published, nothing summed
    }
    rates = forbund_rates(published, groups)
    got = {(r.survey, r.group): (r.answers, r.asked, None if pd.isna(r.declined)
                                 else r.declined) for r in rates.itertuples(index=False)}
    assert got == {("styrelse", ALL): (30, 37, None), ("styrelse", "A"): (10, 12, 1),
                   ("styrelse", "B"): (20, 25, None), ("beredningsgrupp", "A"): (12, 15, 0)}
    assert list(rates["group"][:3]) == [ALL, "A", "B"]  # Alla first, as in a förbund's pack
    assert without_sum(rates, groups) == [("beredningsgrupp", 2025, 1, 2)]
    assert sum_lines(rates, groups, catalog) == [
        "  Beredningsgrupp 2025, alla förbund: ingen summa, eftersom bara 1 av 2 visade "
        "förbund har svarsfrekvens"]
    assert forbund_rates({"A": None, "B": None, "C": None}, groups) is None


@pytest.mark.parametrize("small", [0, 3])
def test_forbund_column_accounting_only_without_hidden(tmp_path, catalog, small):
    """One file with a Förbund column: its rows cannot be told apart by förbund, so alla/
    prints the row counts only when no förbund hides anything."""
    from test_cli import run

    texts = [q.text for q in catalog.get("styrelse", YEAR).questions]
    rows = [["Förbund", "År", *texts]]
    for name, size in (("Norra", 8), ("Södra", 9), ("Pytte", small)):
        rows += [[name, YEAR, "Delvis", "Helt och hållet", "Inte alls"]] * size
    path = tmp_path / "styrelse.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, delimiter=";").writerows(rows)
    result = run("pack", path, "--per-forbund", "--out", tmp_path / "ut", "--format", "xlsx")
    assert result.exit_code == 0, result.output
    summary = (tmp_path / "ut" / AGGREGATE_FOLDER / "sammanfattning.txt").read_text("utf-8")
    if small:
        assert "Rader lästa: alla rader redovisade. Antalen visas inte här, eftersom 1 förbund " \
               "har en enkät med för få svarande" in summary
        assert not re.search(rf"\b{17 + small}\b", summary)
        assert not re.search(r"Rader lästa: \d", summary)
    else:
        assert "Rader lästa: 17 = 17 svarande + 0 tomma rader" in summary


def test_aggregate_counts_rows_of_forbund_that_print_theirs(tmp_path, catalog):
    """A folder per förbund: alla/ prints the row counts of the förbund whose own packs
    print theirs (their sum), and names the others without a size, in the summary and in
    the workbook."""
    from test_cli import run
    from test_many_small import CASES, file_text, write_county

    members = CASES["en liten"]
    folder = write_county(tmp_path / "svar", members, catalog)
    result = run("pack", folder, "--per-forbund", "--out", tmp_path / "ut", "--format", "xlsx")
    assert result.exit_code == 0, result.output
    slugs = folder_names(list(members))
    own = {n: re.search(r"Rader lästa: (\d+) =", (tmp_path / "ut" / s / "sammanfattning.txt")
                        .read_text("utf-8")) for n, s in slugs.items()}
    assert own["Samordningsförbundet Pytte"] is None  # hidden: prints no counts
    shown = sum(int(m.group(1)) for m in own.values() if m is not None)
    everyone = sum(sum(sizes.values()) for sizes in members.values())
    alla = tmp_path / "ut" / AGGREGATE_FOLDER
    for text in ((alla / "sammanfattning.txt").read_text("utf-8"),
                 file_text(alla / "tabeller.xlsx")):
        assert f"Rader lästa i de 2 förbund som visar alla sina enkäter: {shown} = {shown} " \
               "svarande" in text
        assert "1 förbund har en enkät med för få svarande för att visas och räknas inte här " \
               "(Samordningsförbundet Pytte)" in text
        assert not re.search(rf"\b{everyone}\b", text)  # all rows, Pytte's 5 with them
