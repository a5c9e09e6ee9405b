"""Many förbund in one run, attacked and checked against the pack of each förbund alone."""

from __future__ import annotations

import importlib.util
import itertools
import math
import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import write_csv

from indikator.analysis.compare import family_z, newcombe_interval, newcombe_p_value
from indikator.analysis.forbund import HIGHER, LOWER, NO_CLEAR_DIFFERENCE
from indikator.input.members import AGGREGATE_FOLDER, folder_names, member_folders, read_members
from indikator.output.many import build_many
from indikator.output.pack import PackOptions, build_pack
from indikator.words import ALL

ROOT = Path(__file__).resolve().parent.parent
TINY = "Samordningsförbundet Pytte"


def generator():
    spec = importlib.util.spec_from_file_location("make_nation",
                                                  ROOT / "scripts" / "make_nation.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def county(tmp_path_factory, catalog):
    """Five generated förbund, and one so small that its own pack hides it (3 board
    members, 4 participants): packed together, tables only. (input folder, output)."""
    folder = tmp_path_factory.mktemp("lan") / "svar"
    generator().make(folder, 5, [2024, 2025], seed=11)
    (folder / TINY).mkdir()
    styrelse = catalog.get("styrelse", 2025)
    texts = [q.text for q in styrelse.questions]
    write_csv(folder / TINY / "styrelse_2025.csv",
              [["År", *texts]] + [[2025, "Helt och hållet", "Delvis", "Inte alls"]] * 3)
    pagaende = catalog.get("deltagare_pagaende", 2025)
    write_csv(folder / TINY / "deltagare_pagaende_2025.csv",
              [["År", "Verksamhet", *(q.text for q in pagaende.questions[:3])]]
              + [[2025, "Lots", "Alltid", "Aldrig", "Ofta"]] * 4)
    out = tmp_path_factory.mktemp("ut") / "paket"
    options = PackOptions(formats=())
    packs = build_many(read_members([folder], catalog, options), out, catalog, options,
                       sort="andel")
    return folder, out, packs


def read(out: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(out / name, encoding="utf-8")


def test_one_folder_per_forbund_and_the_aggregate(county):
    folder, out, packs = county
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == 6 and len(packs) == 7
    slugs = folder_names(names)
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == sorted(
        [*slugs.values(), AGGREGATE_FOLDER])
    assert all(s.isascii() and " " not in s for s in slugs.values())  # safe everywhere
    assert slugs[TINY] == "samordningsforbundet-pytte"


def test_each_forbund_pack_equals_its_files_packed_alone(county, catalog, tmp_path):
    folder, out, _ = county
    slugs = folder_names(sorted(p.name for p in folder.iterdir()))
    for name in [*sorted(slugs)[:3], TINY]:
        alone = build_pack([folder / name], tmp_path / slugs[name], catalog,
                           PackOptions(formats=(), forbund=name))
        for table in ("distributions.csv", "grupper.csv", "vet_ej.csv", "changes.csv",
                      "kon.csv", "trender.csv", "sammanfattning.md"):
            mine, theirs = out / slugs[name] / table, alone.out / table
            assert mine.is_file() == theirs.is_file(), (name, table)
            if mine.is_file():
                assert mine.read_bytes() == theirs.read_bytes(), (name, table)


def test_aggregate_counts_are_the_sums_of_the_published_forbund(county):
    folder, out, _ = county
    slugs = folder_names(sorted(p.name for p in folder.iterdir()))
    keys = ["survey", "year", "question", "code"]
    published = pd.concat([read(out / s, "distributions.csv").query("group == @ALL")
                           .assign(forbund=name) for name, s in slugs.items()])
    total = read(out / AGGREGATE_FOLDER, "distributions.csv")
    alla = total[total["group"] == ALL].set_index(keys)
    sums = published.groupby(keys)[["count", "n"]].sum()
    assert len(alla) == len(sums)
    assert (alla.loc[sums.index, "count"] == sums["count"]).all()
    assert (alla.loc[sums.index, "n"] == sums["n"]).all()
    # the förbund beside each other in the aggregate are their own packs' Alla rows
    side = total[total["group"] != ALL].rename(columns={"group": "forbund"})
    merged = side.merge(published, on=["forbund", *keys], suffixes=("", "_own"))
    assert len(merged) == len(side) == len(published)
    assert (merged["count"] == merged["count_own"]).all()


def test_no_hidden_count_can_be_recovered_across_forbund(county, catalog):
    """The attack: every number the aggregate publishes, minus the förbund published beside
    it or in their own packs, in every combination of two published tables."""
    folder, out, _ = county
    slugs = folder_names(sorted(p.name for p in folder.iterdir()))
    min_n = 5
    tiny = out / slugs[TINY]
    assert read(tiny, "grupper.csv")["shown"].eq(False).all()  # its own pack hides it all
    assert read(tiny, "distributions.csv").empty
    groups = read(out / AGGREGATE_FOLDER, "grupper.csv")
    own = pd.concat([read(out / s, "grupper.csv").query("group == @ALL").assign(forbund=n)
                     for n, s in slugs.items()])
    for (survey, year), part in groups.groupby(["survey", "year"]):
        alla = part[part["group"] == ALL]
        shown_own = own[(own["survey"] == survey) & (own["year"] == year) & own["shown"]]
        rest = int(alla["respondents"].fillna(0).sum()) - int(shown_own["respondents"].sum())
        assert rest == 0 or rest >= min_n, (survey, year, rest)
        assert TINY not in set(part.loc[part["shown"], "group"])
    keys = ["survey", "year", "question", "code"]
    total = read(out / AGGREGATE_FOLDER, "distributions.csv")
    published = pd.concat([read(out / s, "distributions.csv").query("group == @ALL")
                           for s in slugs.values()])
    for column in ("count", "n"):
        rest = (total[total["group"] == ALL].groupby(keys)[column].sum()
                - published.groupby(keys)[column].sum())
        assert ((rest == 0) | (rest >= min_n)).all(), column
    # any two published förbund tables differ by whole published groups, never by a few
    vets = [read(out / s, "vet_ej.csv").query("group == @ALL") for s in slugs.values()]
    total_vet = read(out / AGGREGATE_FOLDER, "vet_ej.csv").query("group == @ALL")
    vkeys = ["survey", "year", "question", "label"]
    rest = total_vet.groupby(vkeys)["count"].sum().sub(
        pd.concat(vets).groupby(vkeys)["count"].sum(), fill_value=0)
    assert (rest == 0).all()
    # two förbund packs, or a förbund and the aggregate, differ by whole published groups
    for a, b in itertools.combinations([*slugs.values(), AGGREGATE_FOLDER], 2):
        for table in (read(out / a, "grupper.csv"), read(out / b, "grupper.csv")):
            sizes = table.loc[table["shown"], "respondents"]
            assert (sizes >= min_n).all()


def test_reference_comparison_statistics(county, catalog):
    """Each förbund against the others: counts read back from the published files, the
    interval against statsmodels' Newcombe (method 10) and our method 11, the p-value as
    the interval's dual, and the verdict from the printed interval."""
    from statsmodels.stats.proportion import confint_proportions_2indep

    folder, out, _ = county
    slugs = folder_names(sorted(p.name for p in folder.iterdir()))
    total = read(out / AGGREGATE_FOLDER, "distributions.csv").query("group == @ALL")
    checked = 0
    for name, slug in slugs.items():
        if name == TINY:
            assert not (out / slug / "referens.csv").is_file() or read(
                out / slug, "referens.csv").empty
            continue
        ref = read(out / slug, "referens.csv")
        mine = read(out / slug, "distributions.csv").query("group == @ALL")
        for row in ref.itertuples(index=False):
            q = mine[(mine["survey"] == row.survey) & (mine["year"] == row.year)
                     & (mine["question"] == row.question)]
            t = total[(total["survey"] == row.survey) & (total["year"] == row.year)
                      & (total["question"] == row.question)]
            scale = catalog.scale(q["scale"].iloc[0])
            x = int(q.loc[q["code"].isin(scale.positive), "count"].sum())
            big_x = int(t.loc[t["code"].isin(scale.positive), "count"].sum())
            n, big_n = int(q["n"].iloc[0]), int(t["n"].iloc[0])
            assert row.n == n and row.reference_n == big_n
            assert row.other_n == big_n - n  # the rest: disjoint from the förbund
            assert row.difference_pp == pytest.approx(100 * (x / n - (big_x - x) / (big_n - n)))
            if pd.isna(row.p_value):
                assert row.verdict == NO_CLEAR_DIFFERENCE
                continue
            z = family_z(int(row.family_size))
            low, high = newcombe_interval(x, n, big_x - x, big_n - n, z)
            assert (row.ci_low_pp, row.ci_high_pp) == pytest.approx((100 * low, 100 * high))
            alpha = 0.05 / int(row.family_size)
            sm = confint_proportions_2indep(x, n, big_x - x, big_n - n, method="newcomb",
                                            compare="diff", alpha=alpha)
            plain = newcombe_interval(x, n, big_x - x, big_n - n, z, correction=False)
            assert plain == pytest.approx(sm, abs=1e-9)
            assert row.p_value == pytest.approx(newcombe_p_value(x, n, big_x - x, big_n - n))
            if 0 < row.p_value < 1:  # the dual: at z(p) the interval just touches 0
                edge = newcombe_interval(x, n, big_x - x, big_n - n,
                                         family_z(1, row.p_value))
                assert min(abs(edge[0]), abs(edge[1])) == pytest.approx(0, abs=1e-7)
            expected = (HIGHER if row.ci_low_pp > 0 else LOWER if row.ci_high_pp < 0
                        else NO_CLEAR_DIFFERENCE)
            assert row.verdict == expected
            assert (row.verdict != NO_CLEAR_DIFFERENCE) == (row.p_adjusted < 0.05)
            checked += 1
    assert checked > 50


def test_side_by_side_table_and_charts(county, catalog):
    _, out, packs = county
    side = read(out / AGGREGATE_FOLDER, "forbund.csv")
    assert TINY not in set(side["forbund"])
    assert side["forbund"].nunique() == 5
    aggregate = packs["Alla förbund"]
    charts = [f for f in aggregate.figures if f.kind == "sida"]
    assert charts and all(f.spec.sort == "andel" for f in charts)
    from indikator.charts.side import forbund_order

    spec = charts[0].spec
    order = forbund_order(spec)
    means = spec.data.groupby("forbund")["share_positive"].mean()
    assert [means[f] for f in order] == sorted(means, reverse=True)
    assert not [f for f in aggregate.figures if f.spec.group != ALL]  # no per-förbund copies
    row = side.iloc[0]
    assert row["ci_low"] <= row["share_positive"] <= row["ci_high"]
    assert not math.isnan(row["ci_low"])


def test_per_forbund_needs_two_forbund_folders(tmp_path):
    from indikator.errors import IndikatorError

    (tmp_path / "ett").mkdir()
    with pytest.raises(IndikatorError, match="minst två"):
        member_folders([tmp_path])


def test_forbund_folder_names_are_safe_on_windows():
    slugs = folder_names(["CON", "Alla", "alla", "Östra Göinge", "Östra  Göinge", "a/b"])
    assert slugs["CON"] not in {"con", "CON"} and slugs["CON"].startswith("con")
    assert "alla" not in slugs.values()  # the aggregate's folder
    assert len(set(slugs.values())) == len(slugs)
    assert all(set(s) <= set("abcdefghijklmnopqrstuvwxyz0123456789-") for s in slugs.values())


def test_reference_bars_under_each_question_and_the_cli(county, catalog, tmp_path):
    """--reference with the aggregate's distributions.csv on one förbund's files: the
    charts get the reference's bar under each question, labelled, and referens.csv
    compares with it as an independent sample."""
    from indikator.charts.stacked import plot_data
    from indikator.cli.main import run

    folder, out, _ = county
    name = sorted(p.name for p in folder.iterdir())[0]
    pack = build_pack([folder / name], tmp_path / "en", catalog, PackOptions(
        formats=(), reference=out / AGGREGATE_FOLDER / "distributions.csv",
        reference_name="Länet"))
    spec = next(f.spec for f in pack.figures if f.kind == "fordelning"
                and f.spec.group == ALL and f.spec.year == 2025)
    bars = list(plot_data(spec).names)[::-1]  # top to bottom
    assert bars[0].startswith("Fråga 1 (n=") and bars[1].startswith("Länet 2025 (n=")
    assert len(bars) == 2 * len(spec.questions)
    ref = pack.reference
    assert set(ref["compared_with"]) == {"Länet"}
    assert (ref["other_n"] == ref["reference_n"]).all()  # not minus itself: independent
    code = run(["pack", str(folder), "--per-forbund", "--out", str(tmp_path / "cli"),
                "--format", "xlsx", "--sort", "andel"])
    assert code == 0
    assert (tmp_path / "cli" / AGGREGATE_FOLDER / "tabeller.xlsx").is_file()
    assert run(["pack", str(folder), "--per-forbund", "--out", str(tmp_path / "x"),
                "--sort", "storlek"]) == 2


def test_a_forbund_column_packs_as_one_folder_per_forbund(county, catalog, tmp_path):
    """The same county as one file per survey and year with a Förbund column: the same
    förbund packs and the same aggregate as a folder per förbund."""
    from indikator.errors import IndikatorError
    from indikator.importing import import_files

    folder, _, _ = county
    names = sorted(p.name for p in folder.iterdir() if p.name != TINY)
    joined = tmp_path / "ihop"
    joined.mkdir()
    for file in sorted({p.name for n in names for p in (folder / n).glob("*.csv")}):
        rows = []
        for name in names:
            mine = folder / name / file
            if not mine.is_file():
                continue
            lines = mine.read_text(encoding="utf-8-sig").splitlines()
            if not rows:
                rows.append("Förbund;" + lines[0])
            rows += [f"{name};{line}" for line in lines[1:]]
        (joined / file).write_text("\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(IndikatorError, match="--per-forbund"):
        build_pack([joined], tmp_path / "ett", catalog, PackOptions(formats=()))
    whole = import_files([joined], catalog)
    assert set(whole.respondents["forbund"]) == set(names)
    options = PackOptions(formats=())
    members = read_members([joined], catalog, options)
    for member in members.members:  # each förbund's part knows only its own respondents
        mine = member.imported
        for table in (mine.answers, mine.no_answers):
            assert set(table["respondent"].cat.categories) == set(table["respondent"])
        assert set(mine.answers["respondent"]) <= set(mine.respondents["respondent"])
        assert len(mine.answers) and len(mine.answers["respondent"].cat.categories) < len(
            whole.respondents)
    packs = build_many(members, tmp_path / "kolumn", catalog, options)
    assert len(packs) == len(names) + 1
    slugs = folder_names(names)
    kept = tmp_path / "utan-pytte"
    kept.mkdir()
    for n in names:
        shutil.copytree(folder / n, kept / n)
    by_folder = build_many(read_members([kept], catalog, options), tmp_path / "mappar",
                           catalog, options)
    assert len(by_folder) == len(packs)
    for name in names:
        for table in ("distributions.csv", "grupper.csv", "referens.csv", "vet_ej.csv"):
            a = tmp_path / "kolumn" / slugs[name] / table
            b = tmp_path / "mappar" / slugs[name] / table
            assert a.read_bytes() == b.read_bytes(), (name, table)
    for table in ("distributions.csv", "forbund.csv"):
        assert (tmp_path / "kolumn" / AGGREGATE_FOLDER / table).read_bytes() == (
            tmp_path / "mappar" / AGGREGATE_FOLDER / table).read_bytes()
    from indikator.report.summary import pack_summary

    text = pack_summary(packs[names[0]], catalog)
    assert "kolumnen Förbund" in text and "Rader lästa: 0" not in text


SPAWNED = """
import multiprocessing, sys
from pathlib import Path
from indikator.input.members import read_members
from indikator.output.many import build_many
from indikator.output.pack import PackOptions
from indikator.questionnaires import load_catalog
if __name__ == "__main__":
    multiprocessing.set_start_method("spawn", force=True)
    options = PackOptions(formats=tuple(sys.argv[3].split(",")), jobs=2)
    catalog = load_catalog()
    build_many(read_members([Path(sys.argv[1])], catalog, options), Path(sys.argv[2]),
               catalog, options)
"""


def test_with_workers_or_without_the_same_many_pack(tmp_path, catalog):
    """With workers the aggregate is one of the packs they make, beside the förbund
    (forked, or spawned as on Windows); with --jobs 1 everything is packed one after
    another here: the same files, byte for byte (tables, charts, documents)."""
    import subprocess
    import sys

    folder = tmp_path / "svar"
    generator().make(folder, 3, [2024, 2025], seed=5)
    formats = ("svg", "pdf", "docx", "xlsx", "html")
    for jobs in (1, 2):
        options = PackOptions(formats=formats, jobs=jobs)
        build_many(read_members([folder], catalog, options), tmp_path / f"ut{jobs}", catalog,
                   options)
    script = tmp_path / "spawned.py"
    script.write_text(SPAWNED, encoding="utf-8")
    subprocess.run([sys.executable, str(script), str(folder), str(tmp_path / "spawned"),
                    ",".join(formats)], check=True, cwd=ROOT)
    files = {name: {p.relative_to(tmp_path / name).as_posix(): p.read_bytes()
                    for p in (tmp_path / name).rglob("*") if p.is_file()}
             for name in ("ut1", "ut2", "spawned")}
    assert files["ut1"].keys() == files["ut2"].keys() == files["spawned"].keys()
    assert sum(name.startswith(f"{AGGREGATE_FOLDER}/diagram/") for name in files["ut1"]) > 10
    for other in ("ut2", "spawned"):
        assert [n for n in files["ut1"] if files["ut1"][n] != files[other][n]] == [], other


def test_progress_counts_every_pack_as_it_is_done(tmp_path, catalog):
    """The förbund and the aggregate are each a step, counted when its pack is done."""
    folder = tmp_path / "svar"
    generator().make(folder, 3, [2025], seed=7)
    options = PackOptions(formats=(), jobs=2)
    seen = []
    build_many(read_members([folder], catalog, options), tmp_path / "ut", catalog, options,
               progress=lambda i, n: seen.append((i, n)))
    assert seen == [(i, 4) for i in range(1, 5)]


def test_the_aggregate_sums_only_what_each_pack_publishes(tmp_path, catalog, monkeypatch):
    """The aggregate's hidden sheets and response rates are worked out before the förbund
    are packed; were a förbund's own report to hide other sheets, the run stops and
    nothing is written."""
    import indikator.report.model as model

    folder = tmp_path / "svar"
    generator().make(folder, 2, [2025], seed=6)
    real = model.private_places
    monkeypatch.setattr(model, "private_places",
                        lambda imported, dist: real(imported, dist) | {("annan.csv", None)})
    options = PackOptions(formats=(), jobs=1)
    with pytest.raises(RuntimeError, match="other figures"):
        build_many(read_members([folder], catalog, options), tmp_path / "ut", catalog,
                   options)
    assert not (tmp_path / "ut").exists()
