"""indikatorer.pptx, the board deck, read back with python-pptx: its size, its slides'
numbers against the pack's CSV files, the charts with their questions and alt text, and
that a hidden group's size is nowhere in it."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pandas as pd
import pytest

from indikator.analysis.compare import NO_CLEAR_CHANGE, REAL_CHANGES
from indikator.charts.kinds import DISTRIBUTION
from indikator.numbers import whole
from indikator.output.renderers.slides import SLIDE_EMU, render
from indikator.report.deck import NO_CERTAIN_CHANGE, build_deck
from indikator.report.document import alt_text, figure_title
from indikator.text import short_name
from indikator.words import ALL

DECK = "indikatorer.pptx"


def slides(path: Path) -> list:
    from pptx import Presentation

    return list(Presentation(str(path)).slides)


def title(slide) -> str:
    return slide.shapes.title.text if slide.shapes.title is not None else ""


def tables(slide) -> list[list[list[str]]]:
    return [[[c.text for c in row.cells] for row in s.table.rows]
            for s in slide.shapes if s.has_table]


def table_rows(deck: list, prefix: str) -> list[list[str]]:
    """The rows under the header of every table on the slides whose title starts so
    (a long table goes on over more slides)."""
    return [row for s in deck if title(s).startswith(prefix) for t in tables(s)
            for row in t[1:]]


def notes(slide) -> str:
    return slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""


def pictures(slide) -> list:
    return [s for s in slide.shapes if s.shape_type == 13]  # MSO_SHAPE_TYPE.PICTURE


def deck_text(path: Path) -> str:
    """Every text a reader of the deck can see or find: shapes, tables, notes, and the
    pictures' descriptions."""
    parts = []
    for slide in slides(path):
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts += [c.text for row in shape.table.rows for c in row.cells]
        parts += [p._element.nvPicPr.cNvPr.get("descr", "") for p in pictures(slide)]
        parts.append(notes(slide))
    return "\n".join(parts)


@pytest.fixture(scope="module")
def folder(default_pack) -> Path:
    code, _, out = default_pack
    assert code == 0
    return out


@pytest.fixture(scope="module")
def deck(folder) -> list:
    return slides(folder / DECK)


@pytest.fixture(scope="module")
def report(example_pack):
    return example_pack[0].report


def latest_alla_charts(report) -> list:
    groups = report.distributions.groups
    latest = groups.groupby("survey")["year"].max().to_dict()
    return [f for f in report.figures if f.kind == DISTRIBUTION.name
            and f.spec.group == ALL and f.spec.year == latest[f.survey]]


def test_the_deck_is_16_9(folder):
    from pptx import Presentation

    prs = Presentation(str(folder / DECK))
    assert (prs.slide_width, prs.slide_height) == SLIDE_EMU
    assert abs(prs.slide_width / 914400 - 13.333) < 0.001 and prs.slide_height == 7.5 * 914400


def test_the_title_slide(deck, report):
    first = deck[0]
    assert title(first) == "Indikatorer för finansiell samordning 2025"
    text = "\n".join(s.text_frame.text for s in first.shapes if s.has_text_frame)
    assert "Samordningsförbundet" in text
    assert report.marker.startswith("Exempeldata") and report.marker.upper() in text


def test_one_slide_per_chart_of_this_year_for_all(deck, report, catalog):
    charts = latest_alla_charts(report)
    shown = [s for s in deck if pictures(s)]
    assert len(shown) == len(charts) > 0
    for slide, figure in zip(shown, charts, strict=True):
        assert title(slide) == figure_title(figure)
        (picture,) = pictures(slide)
        assert picture._element.nvPicPr.cNvPr.get("descr") == alt_text(figure)
        questionnaire = catalog.get(figure.survey, figure.spec.year)
        for q in figure.spec.questions:
            line = f"Fråga {q.number}: {questionnaire.question(q.number).text}"
            assert line in notes(slide).splitlines()


def test_charts_fit_the_slide_at_their_own_proportions(deck, folder):
    from PIL import Image

    for slide in deck:
        for picture in pictures(slide):
            assert picture.left >= 0 and picture.top >= 0
            assert picture.left + picture.width <= SLIDE_EMU[0]
            assert picture.top + picture.height <= SLIDE_EMU[1]
            assert picture.width > SLIDE_EMU[0] / 3  # large, not a thumbnail
            w, h = Image.open(__import__("io").BytesIO(picture.image.blob)).size
            assert abs(picture.width / picture.height - w / h) < 0.01


def test_no_text_under_14_pt(deck):
    from pptx.util import Pt

    for slide in deck:
        frames = [s.text_frame for s in slide.shapes if s.has_text_frame]
        frames += [c.text_frame for s in slide.shapes if s.has_table
                   for row in s.table.rows for c in row.cells]
        for frame in frames:
            for paragraph in frame.paragraphs:
                for run in paragraph.runs:
                    assert run.font.size is not None and run.font.size >= Pt(14), run.text


def test_who_answered_is_what_grupper_and_svarsfrekvens_publish(deck, folder, catalog):
    groups = pd.read_csv(folder / "grupper.csv")
    rates = pd.read_csv(folder / "svarsfrekvens.csv")
    latest = groups.groupby("survey")["year"].max()
    for survey, year in latest.items():
        name = catalog.get(survey).name
        rows = table_rows(deck, f"Vilka svarade: {name} {year}")
        mine = groups[(groups["survey"] == survey) & (groups["year"] == year)]
        assert len(rows) == len(mine) > 0
        assert rows[0][0] == "Alla"
        by_name = {r[0]: r for r in rows}
        for g in mine.itertuples(index=False):
            row = by_name["Alla" if g.group == ALL else short_name(g.group)]
            if not g.shown:
                assert row[1] == "dold" and not any(row[2:])
                continue
            assert row[1] == str(int(g.respondents))
            rate = rates[(rates["survey"] == survey) & (rates["year"] == year)
                         & (rates["group"] == g.group)]
            if not rate.empty:
                r = rate.iloc[0]
                assert row[2] == str(int(r.asked))
                assert row[3] == ("" if pd.isna(r.declined) else str(int(r.declined)))
                assert row[4] == f"{whole(r.response_rate)} %"
            elif len(row) > 2:
                assert not any(row[2:])


def test_the_goals_slide_is_mal_csv(deck, folder):
    goals = pd.read_csv(folder / "mal.csv")
    rows = table_rows(deck, "Styrelsens mål")
    assert [r[0] for r in rows] == list(goals["name"])
    assert [r[5] for r in rows] == list(goals["target"])
    assert [r[6] for r in rows] == list(goals["verdict"])
    for row, goal in zip(rows, goals.itertuples(index=False), strict=True):
        assert (row[4] == "") == pd.isna(goal.previous_value)  # last year's value beside it
    for row, goal in zip(rows, goals.itertuples(index=False), strict=True):
        printed = row[3].replace("\u00a0", " ")
        value = (f"{whole(goal.value)} %" if goal.measure == "share_positive"
                 else f"{goal.value:.1f}".replace(".", ","))
        assert printed.startswith(value) and f"n = {int(goal.n)}" in printed, printed


def test_the_changes_slide_lists_exactly_the_certain_changes(deck, folder, catalog):
    changes = pd.read_csv(folder / "changes.csv")
    certain = changes[changes["verdict"].isin(REAL_CHANGES)]
    assert not certain.empty  # the example has some
    rows = table_rows(deck, "Säkra förändringar från i fjol")
    listed = [(r[0], r[1], int(r[2].split(".")[0]), r[7]) for r in rows]
    from indikator.numbers import interval

    margins = {(catalog.get(r.survey).name, int(r.question), interval(r.ci_low_pp, r.ci_high_pp))
               for r in certain.itertuples(index=False)}
    assert {(r[0], int(r[2].split(".")[0]), r[6]) for r in rows} <= margins  # its felmarginal
    expected = sorted(((catalog.get(r.survey).name, "Alla" if r.group == ALL
                        else short_name(r.group), int(r.question), r.verdict)
                       for r in certain.itertuples(index=False)),
                      key=lambda t: (t[1] != "Alla", t))
    assert sorted(listed, key=lambda t: (t[1] != "Alla", t)) == expected
    assert [r[1] == "Alla" for r in rows] == sorted((r[1] == "Alla" for r in rows),
                                                    reverse=True)  # Alla first
    slide = next(s for s in deck if title(s) == "Säkra förändringar från i fjol")
    text = "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
    compared = int(changes["change_pp"].notna().sum())
    assert f"{compared} frågor jämförda" in text


def test_no_certain_change_is_said_plainly(report, tmp_path):
    changes = report.changes.assign(verdict=lambda d: d["verdict"].where(
        ~d["verdict"].isin(REAL_CHANGES), NO_CLEAR_CHANGE))
    deck = build_deck(dataclasses.replace(report, changes=changes), tmp_path)
    last = deck.slides[-1]
    assert NO_CERTAIN_CHANGE in last.lines and not last.rows
    assert NO_CERTAIN_CHANGE.startswith("Ingen förändring från i fjol är säker")


def test_the_same_report_gives_the_same_bytes(report, folder, tmp_path):
    deck = build_deck(report, folder / "diagram")  # the pack's PNGs have the same names
    a, b = render(deck, tmp_path / "a.pptx"), render(deck, tmp_path / "b.pptx")
    assert a.read_bytes() == b.read_bytes()


def test_a_hidden_groups_size_is_nowhere_in_the_deck(tmp_path, catalog):
    """Insatser of 31, 17 and 3 on the board: C has too few answers and B is hidden with
    it (Alla minus A and B would be C); neither size, nor their sum, is in the deck."""
    from test_privacy import rows_of, write_export

    from indikator.output.pack import PackOptions, build_pack

    path = write_export(tmp_path / "styrelse.csv", rows_of({"A": 31, "B": 17, "C": 3}))
    pack = build_pack([path], tmp_path / "p", catalog, PackOptions(formats=("pptx",)))
    groups = pd.read_csv(tmp_path / "p" / "grupper.csv").set_index("group")
    assert not groups.loc["B", "shown"] and not groups.loc["C", "shown"]
    assert groups.loc[ALL, "respondents"] == 51 and groups.loc["A", "respondents"] == 31
    assert pack.files.count(DECK) == 1
    text = re.sub(r"[Ff]råg(a|orna) \d+(–\d+)?", "", deck_text(tmp_path / "p" / DECK))
    numbers = {int(n) for n in re.findall(r"(?<![\d,])\d+(?![\d,]|\s?%)", text)}
    assert 51 in numbers and not numbers & {17, 3, 20}, numbers
    rows = table_rows(slides(tmp_path / "p" / DECK), "Vilka svarade: Styrelse")
    assert rows == [["Alla", "51"], ["A", "31"], ["B", "dold"], ["C", "dold"]]


def test_format_pptx_alone(tmp_path):
    from test_cli import run
    from test_privacy import rows_of, write_export

    path = write_export(tmp_path / "styrelse.csv", rows_of({"A": 8, "B": 9}))
    result = run("pack", path, "--out", tmp_path / "p", "--format", "pptx", "--jobs", 1)
    assert result.exit_code == 0, result.output
    out = tmp_path / "p"
    assert (out / DECK).is_file() and DECK in result.stdout
    for name in ("indikatorer.pdf", "indikatorer.docx", "tabeller.xlsx", "index.html"):
        assert not (out / name).exists(), name
    assert not list(out.glob("diagram/*.png")) and not list(out.glob("diagram/*.svg"))
    assert len([s for s in slides(out / DECK) if pictures(s)]) == 1


def test_the_default_format_has_the_deck(folder):
    from indikator.cli.main import EVERY_FORMAT
    from indikator.options import DOCUMENT_FILES, PackOptions

    assert "pptx" in PackOptions().formats and "pptx" in EVERY_FORMAT.split(",")
    assert DECK in DOCUMENT_FILES
    assert (folder / DECK).is_file()
    assert DECK in (folder / "sammanfattning.txt").read_text(encoding="utf-8")
