"""An attacker's view of a pack: from the published files alone, can anyone work out the
answers or the size of fewer than --min-n people?

The rule (indikator/stats.py): no published count, size or difference of them describes
between 1 and min_n - 1 people. Groups are disjoint insatser inside Alla, so what can be
derived is a shown group or Alla minus shown groups; per question too, "vet ej" included.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from indikator.importing import ImportOptions
from indikator.output.pack import PackOptions, build_pack
from indikator.report.summary import pack_summary
from indikator.words import ALL

EXAMPLE = Path(__file__).resolve().parent.parent / "responses"
CELL = st.sampled_from([1, 2, 3, 4, 5, 6, 4, 5, 6, "Vet ej", None])
GENDER = st.sampled_from([1, 1, 2, 2, 3, None])
PERSON = st.tuples(CELL, CELL, CELL, GENDER)


def allowed(size: int, min_n: int) -> bool:
    return size == 0 or size >= min_n


def write_export(path: Path, people: list[tuple[int, str | None, tuple]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter=";")
        writer.writerow(["År", "Insats", "F1", "F2", "F3", "Kön"])
        for year, group, answers in people:
            answers = (*answers, None)[:4]  # kön, when the person has one
            writer.writerow([year, group or "", *["" if a is None else a for a in answers]])
    return path


def pack_tables(paths, out: Path, catalog, min_n: int, **options):
    pack = build_pack(paths, out, catalog, PackOptions(min_n=min_n, formats=(), **options),
                      summary=lambda p: pack_summary(p, catalog))
    read = {name: pd.read_csv(out / name) for name in ("distributions.csv", "grupper.csv",
                                                        "vet_ej.csv")}
    read["kon.csv"] = pd.read_csv(out / "kon.csv") if (out / "kon.csv").exists() else None
    read["changes.csv"] = (pd.read_csv(out / "changes.csv") if (out / "changes.csv").exists()
                           else None)
    return pack, read, (out / "sammanfattning.txt").read_text(encoding="utf-8")


def audit(files: dict[str, pd.DataFrame], summary: str, min_n: int, catalog) -> None:
    """Every check an attacker would make, from the published files only."""
    groups, dist, vet = files["grupper.csv"], files["distributions.csv"], files["vet_ej.csv"]
    for (survey, year), g in groups.groupby(["survey", "year"]):
        shown = g[g["shown"]]
        assert (shown["respondents"] >= min_n).all()
        assert g.loc[~g["shown"], "respondents"].isna().all()  # hidden: no size
        assert g.loc[~g["shown"], "reason"].nunique() <= 1  # one reason for all hidden
        alla = shown[shown["group"] == ALL]
        if alla.empty:
            assert shown.empty
            name = catalog.get(survey).name
            line = next(x for x in summary.splitlines()
                        if x.strip().startswith(name) and re.search(rf"\b{year}\b", x))
            assert "för få svar" in line and not re.search(rf"{year}\s+\d", line)
            assert not re.search(r"Rader lästa: \d", summary)
            continue
        rest = int(alla["respondents"].iloc[0]) - int(
            shown.loc[shown["group"] != ALL, "respondents"].sum())
        assert allowed(rest, min_n), (survey, year, rest)
        d = dist[(dist["survey"] == survey) & (dist["year"] == year)]
        v = vet[(vet["survey"] == survey) & (vet["year"] == year)]
        n = d.groupby(["group", "question"])["n"].first()
        assert (n >= min_n).all(), n[n < min_n]
        vets = v.groupby(["group", "question"])["count"].sum()
        assert set(vets.index) <= set(n.index)  # "vet ej" only where the question is shown
        for q in {q for _, q in n.index}:
            if (ALL, q) not in n.index:
                raise AssertionError(f"question {q} shown for an insats but not for Alla")
            insatser = [grp for grp, qq in n.index if qq == q and grp != ALL]
            rest_n = n[(ALL, q)] - sum(n[(grp, q)] for grp in insatser)
            rest_all = rest_n + vets.get((ALL, q), 0) - sum(vets.get((grp, q), 0)
                                                             for grp in insatser)
            assert allowed(rest_n, min_n), (survey, year, q, rest_n)
            assert allowed(rest_all, min_n), (survey, year, q, rest_all)
    gender = files.get("kon.csv")
    if gender is not None:
        sizes = groups[groups["shown"]].set_index(["survey", "year", "group"])["respondents"]
        for (survey, year, group), part in gender.groupby(["survey", "year", "group"]):
            shown = part["respondents"].dropna()
            assert all(allowed(int(c), min_n) for c in shown), part
            rest = int(sizes[(survey, year, group)]) - int(shown.sum())
            assert allowed(rest, min_n), (survey, year, group, rest)
        assert set(gender["group"]) <= {ALL}  # kön per insats could be subtracted from Alla
    changes = files["changes.csv"]
    if changes is not None:
        published = {(r.survey, r.year, r.group, r.question): r.n
                     for r in dist.drop_duplicates(["survey", "year", "group", "question"])
                     .itertuples(index=False)}
        for r in changes.itertuples(index=False):
            for year, size in ((r.year, r.n), (r.previous_year, r.previous_n)):
                if not pd.isna(size):
                    assert published[(r.survey, year, r.group, r.question)] == size
            if pd.isna(r.n) or pd.isna(r.previous_n):
                assert pd.isna(r.share_positive) and pd.isna(r.change_pp)


LAYOUT = st.fixed_dictionaries({
    "insatser": st.lists(st.lists(PERSON, min_size=1, max_size=14), min_size=0, max_size=4),
    "none": st.lists(PERSON, max_size=3),
})


@given(min_n=st.sampled_from([3, 5]), years=st.tuples(LAYOUT, LAYOUT),
       pool=st.booleans())
def test_no_small_number_can_be_derived(tmp_path_factory, catalog, min_n, years, pool):
    people = []
    for year, layout in zip((2024, 2025), years, strict=True):
        for i, members in enumerate(layout["insatser"]):
            people += [(year, f"Insats {chr(65 + i)}", answers) for answers in members]
        people += [(year, None, answers) for answers in layout["none"]]
    if not any(any(a is not None for a in answers[:3]) for _, _, answers in people):
        # (the fourth is kön, not an answer)
        return  # nothing answered at all: the run stops before a pack (tested elsewhere)
    folder = tmp_path_factory.mktemp("attack")
    path = write_export(folder / "styrelse.csv", people)
    _, files, summary = pack_tables([path], folder / "paket", catalog, min_n,
                                    pool_small=pool)
    audit(files, summary, min_n, catalog)


def test_example_is_safe_at_every_threshold(tmp_path, catalog):
    for min_n in (5, 10, 15):
        _, files, summary = pack_tables([EXAMPLE], tmp_path / f"p{min_n}",
                                        catalog, min_n)
        audit(files, summary, min_n, catalog)


def test_hidden_survey_year_size_not_in_summary(tmp_path, catalog):
    # --min-n 10: Beredningsgrupp 2024 has 8 respondents and is hidden as a whole
    _, _files, summary = pack_tables([EXAMPLE], tmp_path / "p", catalog, 10)
    line = next(x for x in summary.splitlines() if x.strip().startswith("Beredningsgrupp")
                and "2024" in x)
    assert "8" not in line and "för få svar" in line
    assert "Rader lästa: alla rader redovisade" in summary
    assert not re.search(r"Rader lästa: \d", summary)  # no total to subtract from


def rows_of(groups: dict[str, int | list]) -> list[tuple]:
    people = []
    for name, members in groups.items():
        members = members if isinstance(members, list) else [(4, 5, 6, 1)] * members
        people += [(2025, None if name == "-" else name, m) for m in members]
    return people


def test_reasons_do_not_pin_sizes(tmp_path, catalog):
    # insatser 20 / 5 / 1: the hidden total is 6; were "too small" and "hidden to protect"
    # told apart, the groups would be 1 and 5
    path = write_export(tmp_path / "styrelse.csv", rows_of({"A": 20, "B": 5, "C": 1}))
    _, files, summary = pack_tables([path], tmp_path / "p", catalog, 5)
    groups = files["grupper.csv"].set_index("group")
    assert not groups.loc["B", "shown"] and not groups.loc["C", "shown"]
    assert groups.loc["B", "reason"] == groups.loc["C", "reason"]
    audit(files, summary, 5, catalog)


def test_vet_ej_group_cannot_reveal_the_hidden(tmp_path, catalog):
    # insatser 20 / 6 / 2; all 6 of B answer "Vet ej" on F1: Alla minus A would be C's answers
    people = rows_of({"A": 20, "B": [("Vet ej", 5, 5)] * 6, "C": [(1, 2, 2)] * 2})
    path = write_export(tmp_path / "styrelse.csv", people)
    _, files, summary = pack_tables([path], tmp_path / "p", catalog, 5)
    dist = files["distributions.csv"]
    f1 = dist[dist["question"] == 1]
    alla_n = f1.loc[f1["group"] == ALL, "n"].iloc[0]
    others = f1.loc[f1["group"] != ALL].drop_duplicates("group")["n"].sum()
    assert allowed(alla_n - others, 5)
    audit(files, summary, 5, catalog)


def test_vet_ej_only_respondents_do_not_count_towards_min_n(tmp_path, catalog):
    # B: 2 real answers and 3 who answered only "Vet ej": not enough to be shown
    people = rows_of({"A": 10, "B": [(3, 3, 3)] * 2 + [("Vet ej",) * 3] * 3, "-": 5})
    path = write_export(tmp_path / "styrelse.csv", people)
    _, files, summary = pack_tables([path], tmp_path / "p", catalog, 5)
    groups = files["grupper.csv"].set_index("group")
    assert not groups.loc["B", "shown"]
    audit(files, summary, 5, catalog)


def test_pool_small_insatser(tmp_path, catalog):
    people = rows_of({"A": 12, "B": 3, "C": 2, "D": 1})
    path = write_export(tmp_path / "styrelse.csv", people)
    _, files, _ = pack_tables([path], tmp_path / "p", catalog, 5, pool_small=True)
    groups = files["grupper.csv"].set_index("group")
    assert groups.loc["Övriga insatser", "respondents"] == 6
    assert groups.loc["Övriga insatser", "shown"] and groups.loc["A", "shown"]
    _, files, _ = pack_tables([path], tmp_path / "q", catalog, 5)
    assert set(files["grupper.csv"].query("shown")["group"]) == {ALL, "A"}  # B, C, D lost


def test_question_under_min_n_in_a_shown_group(tmp_path, catalog):
    # everyone answers F1; only 4 answer F2: no numbers for F2 anywhere
    people = rows_of({"A": [(4, None, 5)] * 8 + [(4, 2, 5)] * 4})
    path = write_export(tmp_path / "styrelse.csv", people)
    _, files, summary = pack_tables([path], tmp_path / "p", catalog, 5)
    assert 2 not in set(files["distributions.csv"]["question"])
    assert "Styrelse 2025, A: fråga 2" in summary and "Styrelse 2025, alla svarande: fråga 2" \
        in summary


@pytest.mark.parametrize("text", ["Bra stöd, tack Anna", "=HYPERLINK(\"x\")"])
def test_skip_invalid_copies_no_cell_text(tmp_path, catalog, text):
    people = [*rows_of({"A": 6}), (2025, "A", (text, 4, 4))]
    path = write_export(tmp_path / "styrelse.csv", people)
    pack_tables([path], tmp_path / "p", catalog, 5, importing=ImportOptions(skip_invalid=True))
    for file in (tmp_path / "p").rglob("*"):
        if file.is_file():
            assert text not in file.read_text(encoding="utf-8", errors="ignore")


def test_gender_counts_by_hand_with_suppression(tmp_path, catalog):
    # A: 8 women, 2 men; B: 6 women, 6 men; total 14 women, 8 men
    people = [(2025, "A", (4, 4, 4, 1))] * 8 + [(2025, "A", (4, 4, 4, 2))] * 2
    people += [(2025, "B", (4, 4, 4, 1))] * 6 + [(2025, "B", (4, 4, 4, 2))] * 6
    path = write_export(tmp_path / "styrelse.csv", people)
    _, files, summary = pack_tables([path], tmp_path / "p", catalog, 5)
    gender = files["kon.csv"].set_index(["group", "label"])["respondents"]
    assert gender[("Alla", "Kvinna")] == 14 and gender[("Alla", "Man")] == 8
    assert "14 kvinnor, 8 män" in summary
    # 3 who did not give kön: hidden, and so is the next smallest (8 men), or 25 - 14 - 8
    # would give the 3 away
    people.append((2025, "B", (4, 4, 4, 3)))
    people += [(2025, "B", (4, 4, 4, 3))] * 2
    path = write_export(tmp_path / "styrelse.csv", people)
    _, files, summary = pack_tables([path], tmp_path / "q", catalog, 5)
    gender = files["kon.csv"].set_index(["group", "label"])["respondents"]
    assert gender[("Alla", "Kvinna")] == 14
    assert pd.isna(gender[("Alla", "Man")]) and pd.isna(gender[("Alla", "Uppges ej")])
    audit(files, summary, 5, catalog)


def test_by_kon_groups_are_suppressed_like_insatser(tmp_path, catalog):
    from test_cli import run

    people = ([(2025, "A", (4, 4, 4, 1))] * 9 + [(2025, "A", (2, 2, 2, 2))] * 6
              + [(2025, "B", (5, 5, 5, 3))] * 2 + [(2025, "B", (5, 5, 5, None))] * 4)
    path = write_export(tmp_path / "styrelse.csv", people)
    result = run("pack", path, "--out", tmp_path / "p", "--by", "kon", "--jobs", 1)
    assert result.exit_code == 0, result.output
    groups = pd.read_csv(tmp_path / "p" / "grupper.csv").set_index("group")
    assert groups.loc["Kvinna", "respondents"] == 9 and groups.loc["Man", "respondents"] == 6
    assert not groups.loc["Uppges ej", "shown"] and pd.isna(groups.loc["Uppges ej",
                                                                        "respondents"])
    assert "A" not in groups.index  # kön instead of insats, not both
    charts = sorted(p.name for p in (tmp_path / "p" / "diagram").glob("*.png"))
    assert any("_kvinna_" in c for c in charts) and any("_man_" in c for c in charts)
    files = {name: pd.read_csv(tmp_path / "p" / name) for name in
             ("distributions.csv", "grupper.csv", "vet_ej.csv")}
    files["changes.csv"] = None
    files["kon.csv"] = pd.read_csv(tmp_path / "p" / "kon.csv")
    audit(files, result.stdout, 5, catalog)
    bad = run("pack", path, "--out", tmp_path / "q", "--by", "ålder")
    assert bad.exit_code == 2 and "--by ska vara insats eller kon" in bad.stderr


# ---- cell contents and svars-id never reach a published file (issue 17, point 10) ----

CANARIES = {"kon": "Anna Andersson 19800101-1234 KANARIEkon",
            "svar": "KANARIEsvar 19800101-1234", "id": "KANARIEid",
            "fritext": "KANARIEfritext", "rubrik": "Kommentar KANARIErubrik",
            "extra": "KANARIEextra"}


def attack_export(path: Path, catalog) -> Path:
    """Every kind of cell that makes a warning (a run with --skip-invalid goes on) holds a
    unique canary: Kön, an answer, a duplicated svars-id, a free-text column and its
    header, and a row of text that is read as a second header row."""
    from conftest import write_xlsx

    texts = [q.text for q in catalog.get("styrelse", 2025).questions]
    header = ["Svars-id", "År", "Insats", "Kön", *texts, CANARIES["rubrik"]]
    extra = [CANARIES["extra"]] * len(header)
    rows = [[f"r{i}", 2025, "A", 1 + i % 2, 1 + i % 6, 1 + (i + 1) % 6, 1 + (i + 2) % 6,
             CANARIES["fritext"]] for i in range(12)]
    rows += [["r12", 2025, "A", CANARIES["kon"], 4, 4, 4, ""],
             ["r13", 2025, "A", 1, 4, CANARIES["svar"], 4, ""],
             [CANARIES["id"], 2025, "A", 2, 5, 5, 5, ""],
             [CANARIES["id"], 2025, "A", 2, 5, 5, 5, ""]]
    return write_xlsx(path, {"Svar": [header, extra, *rows]})


def published_texts(out: Path) -> dict[str, str]:
    """Every file of a pack as text an attacker can read: raw text files, the XML inside
    the workbook, the Word file and the deck, the cells, paragraphs and slides' texts as
    their readers give them, and the PDF's text."""
    import zipfile

    texts = {}
    for file in sorted(out.rglob("*")):
        if not file.is_file():
            continue
        name = file.relative_to(out).as_posix()
        if file.suffix in (".xlsx", ".docx", ".pptx"):
            with zipfile.ZipFile(file) as z:
                texts[name] = "\n".join(z.read(n).decode("utf-8", "replace")
                                        for n in z.namelist())
            if file.suffix == ".xlsx":
                from openpyxl import load_workbook

                book = load_workbook(file)
                texts[name] += "\n".join(str(c) for ws in book for row in ws.iter_rows(
                    values_only=True) for c in row if c is not None)
            elif file.suffix == ".pptx":
                from test_slides import deck_text

                texts[name] += deck_text(file)
            else:
                import docx

                document = docx.Document(str(file))
                texts[name] += "\n".join(p.text for p in document.paragraphs)
                texts[name] += "\n".join(c.text for t in document.tables for r in t.rows
                                         for c in r.cells)
        elif file.suffix == ".pdf":
            from pypdf import PdfReader

            texts[name] = "\n".join(p.extract_text() for p in PdfReader(file).pages)
        elif file.suffix != ".png":
            texts[name] = file.read_text(encoding="utf-8", errors="replace")
    return texts


@pytest.mark.parametrize("skip_invalid", [True, False])
def test_no_cell_content_or_svars_id_in_any_published_file(tmp_path, catalog, skip_invalid):
    from test_escaping import run

    path = attack_export(tmp_path / "styrelse.xlsx", catalog)
    if not skip_invalid:  # without --skip-invalid: the invalid cells emptied, the rest stays
        from openpyxl import load_workbook

        book = load_workbook(path)
        for row in book["Svar"].iter_rows():
            for c in row:
                if c.value in (CANARIES["kon"], CANARIES["svar"]):
                    c.value = None
        book.save(path)
    code, output = run("pack", path, "--out", tmp_path / "paket", "--jobs", "1",
                       "--format", "pdf,docx,xlsx,html,pptx,svg",
                       *(["--skip-invalid"] if skip_invalid else []))
    assert code == 0, output
    texts = published_texts(tmp_path / "paket")
    assert {"sammanfattning.txt", "tabeller.xlsx", "indikatorer.docx", "indikatorer.pdf",
            "index.html", "indikatorer.pptx", "sammanfattning.md"} <= set(texts)
    if skip_invalid:
        assert "ogiltiga_varden.csv" in texts
    for name, text in texts.items():
        for kind, canary in CANARIES.items():
            assert canary.split()[-1] not in text, (kind, name)
            assert "19800101" not in text, name
    for canary in CANARIES.values():  # the printed summary is sammanfattning.txt
        assert canary.split()[-1] not in output
    assert "KANARIEid" not in output
    # the warnings still say where and what
    summary = texts["sammanfattning.txt"]
    assert "rad 18: Samma svars-id två gånger med samma svar." in summary
    if skip_invalid:
        assert "rad 15, kolumn D: Ogiltigt värde i en bakgrundskolumn." in summary
    # validate, run by the one who has the files, shows what to correct
    code, output = run("validate", path)
    assert "KANARIEid" in output and ("KANARIEkon" in output) == skip_invalid


@pytest.mark.parametrize("many", [False, True])
def test_no_problem_from_a_sheet_whose_answers_are_hidden(tmp_path, catalog, many):
    """A warning's row number bounds how many answered ("rad 4" of a board of 3 or 4), the
    number of lines alike counts them, and that there is a problem at all says something
    of their answers: a sheet of a survey and year the pack hides publishes no problem,
    in any file, and the pack says that validate has them. The shown sheet's stay."""
    from conftest import write_csv
    from test_escaping import run

    from indikator.report.summary import PRIVATE_PROBLEMS

    board = [q.text for q in catalog.get("styrelse", 2025).questions]
    participants = [q.text for q in catalog.get("deltagare_pagaende", 2025).questions][:3]
    root = tmp_path / "svar"
    names = ["Norra", "Södra"] if many else ["ett"]
    for i, name in enumerate(names):
        folder = root / name
        folder.mkdir(parents=True)
        board_rows = ([[2025, 4, 5, 6], [2025, 4, 9, 6], [2025, 4, 8, 6]] if i == 0
                      else [[2025, 1 + k % 6, 2, 3] for k in range(8)])
        write_csv(folder / f"styrelse_{name}.csv", [["År", *board], *board_rows])
        write_csv(folder / f"deltagare_{name}.csv",
                  [["År", *participants]] + [[2025, 1 + k % 6, 3, 4] for k in range(9)]
                  + [[2025, 2, 99, 4]])
    out = tmp_path / "paket"
    code, output = run("pack", root if many else root / "ett", "--out", out, "--jobs", "1",
                       "--format", "xlsx,docx,html", "--skip-invalid",
                       *(["--per-forbund"] if many else []))
    assert code == 0, output
    texts = published_texts(out)
    hidden_file, shown_file = f"styrelse_{names[0]}.csv", f"deltagare_{names[0]}.csv"
    for name, text in texts.items():
        assert hidden_file not in text, name
    summary = (out / ("alla" if many else "") / "sammanfattning.txt").read_text(
        encoding="utf-8")
    assert PRIVATE_PROBLEMS in summary
    assert f"(--skip-invalid): {2 if many else 1}, se" in summary  # the shown sheets'
    found = 0
    for table in out.rglob("ogiltiga_varden.csv"):
        rows = pd.read_csv(table)
        assert not rows["file"].str.endswith(hidden_file).any()
        shown = rows["file"].str.endswith(shown_file)
        assert (rows.loc[shown, "row"] == 11).all()
        found += shown.sum()
    assert found == (2 if many else 1)  # Norra's pack and alla/


def test_a_copy_of_a_hidden_sheet_publishes_nothing_of_it(tmp_path, catalog):
    """A byte copy of a hidden board's file is set aside as a duplicate; its warnings and
    invalid cells are the hidden board's, so a pack of 3 members with an invalid cell and
    one of 4 without publish the same characters."""
    from conftest import write_csv
    from test_escaping import run

    board = [q.text for q in catalog.get("styrelse", 2025).questions]
    participants = [q.text for q in catalog.get("deltagare_pagaende", 2025).questions][:3]
    texts = []
    for twin, rows in enumerate(([[2025, 4, "Kanske", 6], [2025, 5, 5, 5], [2025, 6, 6, 6]],
                                 [[2025, 4, 5, 6], [2025, 5, 5, 5], [2025, 6, 6, 6],
                                  [2025, 3, 3, 3]])):
        folder = tmp_path / f"svar{twin}"
        folder.mkdir()
        write_csv(folder / "styrelse_2025.csv", [["År", *board], *rows])
        (folder / "styrelse_2025 (kopia).csv").write_bytes(
            (folder / "styrelse_2025.csv").read_bytes())
        write_csv(folder / "deltagare_2025.csv",
                  [["År", *participants]] + [[2025, 1 + k % 6, 3, 4] for k in range(9)])
        out = tmp_path / f"ut{twin}"
        code, output = run("pack", folder, "--out", out, "--jobs", "1", "--format",
                           "xlsx,docx,html", "--skip-invalid")
        assert code == 0, output
        texts.append({name: text.replace(str(tmp_path), "RUN").replace(f"svar{twin}", "svar")
                      .replace(f"ut{twin}", "ut")
                      for name, text in published_texts(out).items()
                      if name.endswith((".txt", ".md", ".csv", ".html"))
                      and not name.startswith(".indikator-cache")})  # a hash of all files
    assert texts[0].keys() == texts[1].keys()
    for name in texts[0]:
        assert texts[0][name] == texts[1][name], name


@pytest.mark.parametrize("layout", [
    {"styrelse_ab.csv": {"A": 10, "B": 8}, "styrelse_c.csv": {"C": 2}},  # C in a file alone
    {"styrelse_ac.csv": {"A": 10, "C": 2}, "styrelse_b.csv": {"B": 8}},  # with a shown one
    {"styrelse_abc.csv": {"A": 10, "B": 8, "C": 2}},  # one file: its counts are Alla's
])
def test_a_hidden_insats_cannot_be_counted_through_its_file(tmp_path, catalog, layout):
    """When the insatser of a survey and year are spread over files, a file's own rows,
    answers and "vet ej" would be a hidden insats' (or give it by subtraction): the
    report keeps no counts of such a file, no problem on a hidden person's row, and no
    cell text; the pack publishes none either."""
    import indikator

    paths = []
    for name, groups in layout.items():
        people = [(2025, g, (4, 9, "Vet ej") if g == "C" else (4, 5, 6))
                  for g, size in groups.items() for _ in range(size)]
        paths.append(write_export(tmp_path / name, people))
    options = PackOptions(formats=("xlsx",), importing=ImportOptions(skip_invalid=True))
    report = indikator.build_report(indikator.read_inputs(tmp_path, options, catalog))
    hidden = {g for g, s in zip(report.distributions.groups["group"],
                                report.distributions.groups["shown"], strict=True) if not s}
    assert "C" in hidden
    split = len(layout) > 1
    for sheet in report.imported.reports:
        counts = (sheet.rows_read, sheet.respondents, sheet.answers, sheet.no_answer)
        assert (counts == (0, 0, 0, 0)) == split, (sheet.file, counts)
        assert ((sheet.file, sheet.sheet) in report.private) == split
    assert all(p.value is None for p in report.imported.problems)
    assert not any(p.location.file == "styrelse_c.csv" for p in report.imported.problems)
    assert not report.imported.skipped_invalid  # only C's cells were invalid: not one row
    pack = indikator.write_pack(report, tmp_path / "p")
    texts = {f: (tmp_path / "p" / f).read_text(encoding="utf-8") for f in pack.files
             if f.endswith((".csv", ".txt", ".md"))}
    for name, text in texts.items():
        assert "styrelse_c.csv" not in text, name
        assert not re.search(r"\b2 (svarande|rader)", text), name


def test_the_aggregate_withholds_what_each_forbund_withholds(tmp_path, catalog):
    """An invalid cell on the row of a person in a hidden insats of one förbund is in
    neither that förbund's pack nor alla/: not its row, not that there is one."""
    from indikator.input.members import read_members
    from indikator.output.many import build_many

    for name, groups in (("Norra", {"A": 10, "B": 8, "C": 2}), ("Södra", {"A": 12, "B": 9})):
        (tmp_path / "svar" / name).mkdir(parents=True)
        people = [(2025, g, (4, 9, 5) if g == "C" else (4, 5, 6))
                  for g, size in groups.items() for _ in range(size)]
        write_export(tmp_path / "svar" / name / "styrelse.csv", people)
    options = PackOptions(formats=(), importing=ImportOptions(skip_invalid=True))
    packs = build_many(read_members([tmp_path / "svar"], catalog, options), tmp_path / "p",
                       catalog, options, summary=lambda p: pack_summary(p, catalog))
    for pack in packs.values():
        assert not pack.imported.skipped_invalid, pack.out
        assert not (pack.out / "ogiltiga_varden.csv").exists()
        said = "står inte i paketet" in (pack.out / "sammanfattning.txt").read_text(
            encoding="utf-8")
        assert pack.withheld == said == (pack.out.name != "sodra"), pack.out
