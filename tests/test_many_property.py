"""Generated counties: förbund that number their people alike (R001 …), spell their names
in several ways and have groups of every size, in a Förbund column or a folder each.
Every person read is in exactly one förbund's pack, shown or hidden; the sum over the
förbund is what was generated, person for person; and the published files give an
attacker nothing below --min-n (test_privacy.audit on every pack, the aggregate too)."""

from __future__ import annotations

import unicodedata

import pandas as pd
from conftest import write_csv
from hypothesis import event, given, settings
from hypothesis import strategies as st
from test_privacy import audit

from indikator.analysis.tally import tally
from indikator.input.members import AGGREGATE_FOLDER, folder_names, read_members
from indikator.options import PackOptions
from indikator.output.many import build_many
from indikator.report.summary import pack_summary
from indikator.words import ALL

BASES = ["Norra", "Östra Göinge", "Södra"]
ANSWER = st.sampled_from([1, 2, 3, 4, 5, 6, 6, 5, "Vet ej", None])


def spelled(base: str, how: int) -> str:
    """One of the ways one förbund is written."""
    return [base, base.upper(), f" {base.lower()} ", unicodedata.normalize("NFD", base),
            f"Samordningsförbundet {base}", f"Finsam {base}"][how]


FORBUND = st.fixed_dictionaries({
    "spellings": st.lists(st.integers(0, 5), min_size=1, max_size=3),
    "board": st.lists(st.tuples(ANSWER, ANSWER, ANSWER), min_size=0, max_size=8),
    "insatser": st.lists(st.lists(st.tuples(ANSWER, ANSWER, ANSWER), min_size=1,
                                  max_size=9), min_size=0, max_size=2),
})


@settings(max_examples=20, deadline=None)
@given(county=st.lists(FORBUND, min_size=2, max_size=3), column=st.booleans(),
       min_n=st.sampled_from([3, 5]), data=st.data())
def test_every_person_once_and_nothing_below_min_n(tmp_path_factory, catalog, county, column,
                                                    min_n, data):
    board = [q.text for q in catalog.get("styrelse", 2025).questions]
    pagaende = [q.text for q in catalog.get("deltagare_pagaende", 2025).questions][:3]
    root = tmp_path_factory.mktemp("lan") / "svar"
    root.mkdir()
    expected: dict[str, dict[str, set]] = {}  # base name -> survey -> {(file, row)}
    sheets: dict[str, list[list]] = {"styrelse": [], "deltagare": []}
    names_used = []
    for index, forbund in enumerate(county):
        base = BASES[index]
        mine = expected.setdefault(base, {"styrelse": set(), "deltagare_pagaende": set()})
        people = [("styrelse", None, a) for a in forbund["board"]] + [
            ("deltagare", f"Insats {i}", a) for i, group in enumerate(forbund["insatser"])
            for a in group]
        rows: dict[str, list[list]] = {"styrelse": [], "deltagare": []}
        for survey, group, answers in people:
            if all(a is None for a in answers):
                continue  # an empty row is no respondent
            name = spelled(base, data.draw(st.sampled_from(forbund["spellings"])))
            names_used.append(name)
            cells = ["" if a is None else a for a in answers]
            rid = f"R{len(rows[survey]) + 1:03d}"  # every förbund numbers from R001
            rows[survey].append([rid, *([name] if column else []), 2025,
                                 *([group] if survey == "deltagare" else []), *cells])
        for survey, part in rows.items():
            if column:
                start = len(sheets[survey]) + 2
                sheets[survey] += part
                file = f"{survey}_2025.csv"
            else:
                start = 2
                folder = root / spelled(base, forbund["spellings"][0])
                folder.mkdir(exist_ok=True)
                file = f"{folder.name}/{survey}_2025.csv"
                if part:
                    write_csv(folder / f"{survey}_2025.csv", [header(survey, column, board,
                                                                   pagaende), *part])
            key = "styrelse" if survey == "styrelse" else "deltagare_pagaende"
            mine[key] |= {(file, start + i) for i in range(len(part))}
    if column:
        for survey, part in sheets.items():
            if part:
                write_csv(root / f"{survey}_2025.csv",
                          [header(survey, column, board, pagaende), *part])
    folders_made = [p for p in root.iterdir() if p.is_dir() and any(p.iterdir())]
    if (not column and len(folders_made) < 2) or not any(
            s for e in expected.values() for s in e.values()):
        event("not a county")
        return  # not a county: one förbund with answers
    options = PackOptions(formats=(), min_n=min_n)
    try:
        members = read_members([root], catalog, options)
    except Exception as exc:  # fewer than two förbund with answers is refused, with a message
        assert "minst två" in str(exc) or "två förbund" in str(exc), exc
        return
    read: dict[str, dict[str, set]] = {}
    for member in members.members:
        people = member.imported.respondents
        base = next(b for b in BASES if b.casefold() in unicodedata.normalize(
            "NFC", member.name).casefold())
        assert base not in read, (base, [m.name for m in members.members])  # one förbund each
        read[base] = {s: set(zip(p["file"], p["row"], strict=True))
                      for s, p in people.groupby("survey")}
    for base, surveys in expected.items():
        for survey, people in surveys.items():
            assert read.get(base, {}).get(survey, set()) == people, (base, survey)
    out = tmp_path_factory.mktemp("ut") / "paket"
    packs = build_many(members, out, catalog, options,
                       summary=lambda p: pack_summary(p, catalog))
    # shown and hidden together (the tally before the report's gate, which keeps no size
    # of a hidden group): the förbund's groups add up to everyone generated
    tallies = [tally(m.imported, catalog, options).groups for m in members.members]
    for survey in ("styrelse", "deltagare_pagaende"):
        total = sum(len(s[survey]) for s in expected.values())
        counted = sum(int(g.loc[(g["survey"] == survey) & (g["group"] == ALL),
                                "respondents"].sum()) for g in tallies)
        assert counted == total, survey
    for p in packs.values():  # and the packs hold no size of a hidden group
        g = p.distributions.groups
        assert g.loc[~g["shown"], "respondents"].isna().all()
    event(f"packed {len(members.members)} förbund, {'column' if column else 'folders'}")
    slugs = folder_names([m.name for m in members.members])
    for folder in [*slugs.values(), AGGREGATE_FOLDER]:
        files = {name: pd.read_csv(out / folder / name)
                 for name in ("distributions.csv", "grupper.csv", "vet_ej.csv")}
        files["kon.csv"] = None
        changes = out / folder / "changes.csv"
        files["changes.csv"] = pd.read_csv(changes) if changes.exists() else None
        audit(files, (out / folder / "sammanfattning.txt").read_text(encoding="utf-8"),
              min_n, catalog)


def header(survey: str, column: bool, board: list[str], pagaende: list[str]) -> list[str]:
    return ["Svars-ID", *(["Förbund"] if column else []), "År",
            *(["Verksamhet"] if survey == "deltagare" else []),
            *(board if survey == "styrelse" else pagaende)]


def test_spelled_gives_six_spellings_of_one_forbund():
    from indikator.text import forbund_key

    assert len({forbund_key(spelled("Östra Göinge", i)) for i in range(6)}) == 1
    assert len({spelled("Östra Göinge", i) for i in range(6)}) == 6
