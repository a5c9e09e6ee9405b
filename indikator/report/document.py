"""The report appendix as a document model: headings, paragraphs, tables and charts.

Built once from a pack; the PDF, Word and HTML renderers lay out the same blocks,
so the three documents say the same thing in the same order. Every number here is
taken from a table of the pack and formatted as the reader reads it (whole
percent, Swedish decimal comma).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from indikator import __version__
from indikator.analysis.compare import REAL_CHANGES
from indikator.charts.kinds import COMPARISON, DISTRIBUTION, KINDS, in_sections
from indikator.numbers import interval, level, pp, whole
from indikator.questionnaires import Catalog
from indikator.report.paragraphs import survey_paragraph
from indikator.text import short_name
from indikator.words import ALL

SURVEY_WHO = {
    "deltagare_pagaende": "deltagare som är med i en insats",
    "deltagare_avslut": "deltagare när de avslutar en insats",
    "personal": "personal som arbetar i insatserna",
    "beredningsgrupp": "parternas chefer i beredningsgruppen (chefsgruppen)",
    "styrelse": "förbundets styrelse, ledamöter och ersättare",
}


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1  # 1 = a section, 2 = a part of one


@dataclass(frozen=True)
class Paragraph:
    text: str
    note: bool = False  # smaller, for explanations under a chart or table


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...]  # right-aligned columns


@dataclass(frozen=True)
class Chart:
    image: Path  # the documents' copy: without the caption, cropped
    title: str  # "Figur 3. Deltagare, pågående 2025 – alla svarande, frågorna 1–3"
    alt: str  # every number of the chart, for a screen reader and for search
    stem: str  # the chart's name in diagram/


@dataclass
class Document:
    title: str
    subtitle: str
    year: int | None
    marker: str
    blocks: list = field(default_factory=list)

    def headings(self) -> list[Heading]:
        return [b for b in self.blocks if isinstance(b, Heading)]


SCALE_HEADER = ("Kod", "Frekvens", "Omfattning", "Ja/nej", "Kön")


def scale_table(catalog: Catalog) -> Table:
    """Tabell 1–4 of the instrument: the codes and what they mean on each scale."""
    columns = []
    for name in ("frekvens", "omfattning", "ja_nej"):
        scale = catalog.all_scales().get(name)
        columns.append({c.code: c.label for c in scale.categories} if scale else {})
    gender = ({c.code: c.label for c in catalog.gender.categories} if catalog.gender else {})
    columns.append(gender)
    codes = sorted({code for col in columns for code in col})
    rows = tuple((str(code), *(col.get(code, "") for col in columns)) for code in codes)
    return Table("Svarsskalorna och deras koder", SCALE_HEADER, rows,
                 (True, False, False, False, False))


def survey_table(catalog: Catalog, surveys: list[str]) -> Table:
    rows = tuple((catalog.get(s).name, SURVEY_WHO.get(s, ""),
                  str(len(catalog.get(s).questions))) for s in surveys)
    return Table("Enkäterna och vilka som svarar", ("Enkät", "Vem svarar", "Frågor"), rows,
                 (False, False, True))


def respondents_table(pack, catalog: Catalog) -> Table:
    """Respondents per survey and group, a column per year (newest first); a hidden
    group's size is not given."""
    groups = pack.distributions.groups
    years = sorted({int(y) for y in groups["year"]}, reverse=True)
    rows = []
    for survey in catalog.ids:
        mine = groups[groups["survey"] == survey]
        names = sorted(set(mine["group"]), key=lambda g: (g != ALL, g))
        for group in names:
            cells = []
            for year in years:
                hit = mine[(mine["group"] == group) & (mine["year"] == year)]
                if hit.empty:
                    cells.append("–")
                else:
                    r = hit.iloc[0]
                    cells.append(str(int(r["respondents"])) if r["shown"] else "för få")
            who = "Alla" if group == ALL else short_name(group)
            rows.append((catalog.get(survey).name, who, *cells))
    return Table("Svarande per enkät, grupp och år (\"för få\": visas inte; – : ingen enkät)",
                 ("Enkät", "Grupp", *map(str, years)), tuple(rows),
                 (False, False, *(True,) * len(years)))


def rates_table(rates: pd.DataFrame, catalog: Catalog) -> Table:
    def num(v) -> str:
        return "" if pd.isna(v) else str(int(v))

    rows = tuple(
        (catalog.get(r.survey).name, str(int(r.year)),
         "Alla" if r.group == ALL else short_name(r.group), num(r.answers), num(r.asked),
         num(r.declined), "" if pd.isna(r.response_rate) else f"{whole(r.response_rate)} %")
        for r in rates.itertuples(index=False))
    return Table("Svarsfrekvens", ("Enkät", "År", "Grupp", "Svar", "Tillfrågade", "Tackat nej",
                                   "Svarsfrekvens"), rows,
                 (False, True, False, True, True, True, True))


def goals_table(goals: pd.DataFrame) -> Table:
    from indikator.report.summary import goal_value

    rows = tuple((r.name, "Alla" if r.group == ALL else short_name(r.group), str(r.questions),
                  "" if pd.isna(r.value) else goal_value(r), r.target, r.verdict)
                 for r in goals.itertuples(index=False))
    return Table("Styrelsens mål", ("Mål", "Grupp", "Frågor", "Resultat", "Målnivå",
                                    "Bedömning"), rows, (False,) * 6)


def printed_level(table: pd.DataFrame) -> str:
    """The level of a table's (Bonferroni-widened) intervals as printed: '99,2 %'."""
    levels = table["ci_level"].dropna()
    return level(float(levels.iloc[0])) if not levels.empty else "95\u00a0%"


def changes_table(changes: pd.DataFrame) -> Table:
    rows = []
    for r in changes[changes["change_pp"].notna()].itertuples(index=False):
        rows.append((str(r.question), f"{whole(r.previous_share_positive)} %",
                     f"{whole(r.share_positive)} %", pp(r.change_pp),
                     interval(r.ci_low_pp, r.ci_high_pp), r.verdict))
    shown = printed_level(changes)
    return Table(f"Andel positiva, förändring i procentenheter och {shown} konfidensintervall",
                 ("Fråga", "I fjol", "I år", "Förändring", "Intervall", "Bedömning"),
                 tuple(rows), (True, True, True, True, True, False))


def reference_table(ref: pd.DataFrame) -> Table:
    rows = []
    for r in ref.itertuples(index=False):
        if pd.isna(r.difference_pp):
            rows.append((str(r.question), f"{whole(r.share_positive)} %", "", "", "", r.verdict))
            continue
        rows.append((str(r.question), f"{whole(r.share_positive)} %",
                     f"{whole(r.other_share_positive)} %", pp(r.difference_pp),
                     interval(r.ci_low_pp, r.ci_high_pp), r.verdict))
    shown = printed_level(ref)
    return Table(f"Andel positiva, skillnad i procentenheter och {shown} konfidensintervall",
                 ("Fråga", "Förbundet", "Jämförelsen", "Skillnad", "Intervall", "Bedömning"),
                 tuple(rows), (True, True, True, True, True, False))


def alt_text(figure) -> str:
    """Every number a chart shows, in words: 'Fråga 1 (n=54): Aldrig 0 %, Sällan 9 %, …'."""
    return KINDS[figure.kind].alt_text(figure.spec)


def figure_title(figure) -> str:
    """'Deltagare, pågående 2025 – alla svarande, frågorna 1–3' (a slide's title too)."""
    spec = figure.spec
    span = getattr(spec, "span_label", "")
    title = spec.title.replace("\n", " ")
    return title + (f", {span.lower()}" if span else "")


def chart_title(n: int, figure) -> str:
    return f"Figur {n}. {figure_title(figure)}"


INTRO = (
    "Indikatorerna för finansiell samordning är Nationella nätverket för "
    "samordningsförbunds (NNS) gemensamma sätt att följa upp vad förbunden gör. Deltagare, "
    "personal, parternas chefer och styrelsen svarar varje år på korta enkäter med samma "
    "frågor i hela landet, så att resultaten går att jämföra mellan år och mellan förbund. "
    "Frågorna får inte formuleras om.",
    "De flesta frågor besvaras på en sexgradig skala, antingen hur ofta något sker (Aldrig "
    "till Alltid) eller i vilken omfattning (Inte alls till Helt och hållet); några besvaras "
    "med ja eller nej. Diagrammen visar hur svaren fördelar sig, en stapel per fråga med "
    "Fråga 1 överst. n är antalet som svarat på frågan; svar som \"vet ej\" räknas inte, så n "
    "kan skilja mellan frågorna. Procenten är avrundade var för sig, så en stapel kan summera "
    "till 99 eller 101 procent.",
    "Andel positiva svar är de tre översta svarsalternativen (Ja på ja/nej-frågor). En "
    "förändring från i fjol kallas säker bara när hela dess konfidensintervall ligger över "
    "eller under noll; med de små antal svar som ett förbund har är de flesta skillnader "
    "inte säkra.",
)


def privacy_sentence(min_n: int) -> str:
    return (f"Grupper och frågor med färre än {min_n} svar visas inte, och inte heller tal som "
            "skulle göra det möjligt att räkna fram dem: de kan peka ut enskilda svarande.")


def build_document(pack, catalog: Catalog, min_n: int, images: Path,
                   every_year: bool = False) -> Document:
    """The appendix: title, introduction, respondents and response rates, a section per
    survey, data quality. `every_year`: also earlier years' charts (the HTML page)."""
    dist = pack.distributions
    years = [int(y) for y in dist.groups["year"]]
    year = max(years) if years else None
    who = pack.forbund or "Samordningsförbundet"
    doc = Document(title=f"Indikatorer för finansiell samordning {year or ''}".strip(),
                   subtitle=who, year=year, marker=pack.marker)
    b = doc.blocks
    surveys = [s for s in catalog.ids if s in set(dist.groups["survey"])]
    b += [Heading("Om indikatorerna"), *(Paragraph(p) for p in INTRO),
          Paragraph(privacy_sentence(min_n)),
          survey_table(catalog, surveys), scale_table(catalog)]
    b += [Heading("Svarande och svarsfrekvens"), respondents_table(pack, catalog)]
    if pack.rates is not None and not pack.rates.empty:
        b += [rates_table(pack.rates, catalog),
              Paragraph("Svarsfrekvens = svar / tillfrågade. En grupp med för få svar "
                        "visas inte här heller."
                        + (" Varje förbunds rad är den som förbundets eget paket visar; Alla "
                           "är deras summa och visas bara när varje visat förbund har en rad."
                           if pack.side is not None else ""), note=True)]
    number = 0
    by_survey: dict[str, list] = {}
    for figure in pack.figures:
        by_survey.setdefault(figure.survey, []).append(figure)
    for survey in surveys:
        name = catalog.get(survey).name
        b.append(Heading(f"Resultat {name[0].lower() + name[1:]}"))
        paragraph = survey_paragraph(survey, pack, catalog)
        b.append(Paragraph(paragraph[2] if len(paragraph) > 2 else paragraph[-1]))
        latest = int(dist.groups.loc[dist.groups["survey"] == survey, "year"].max())
        questionnaire = catalog.get(survey, latest)
        items = []
        for q in questionnaire.questions:
            text = f"Fråga {q.number}: {q.text}"
            if q.asked_if is not None:
                text += f" (ställs bara vid {q.asked_if.describe()})"
            items.append(text)
        b.append(Bullets(tuple(items)))
        figures = by_survey.get(survey, [])
        for kind in in_sections():
            chosen = [f for f in figures if f.kind == kind.name
                      and (not kind.latest_only or f.spec.year == latest)]
            if not chosen:
                continue
            b.append(Heading(kind.heading.format(year=latest), 2))
            if kind is COMPARISON:
                mine = pack.changes[(pack.changes["survey"] == survey)
                                    & (pack.changes["group"] == ALL)]
                if mine["change_pp"].notna().any():
                    b.append(changes_table(mine))
                    b.append(Paragraph(
                        "Alla svarande. Intervallet är breddat (Bonferroni) efter hur många "
                        "frågor som prövas samtidigt; ▲/▼ i diagrammen och \"förbättring\"/"
                        "\"försämring\" här betyder att hela intervallet ligger över eller "
                        "under noll.", note=True))
            if kind.note:
                b.append(Paragraph(kind.note, note=True))
            for f in chosen:
                number += 1
                b.append(Chart(images / f"{f.stem}.png", chart_title(number, f), alt_text(f),
                               f.stem))
        if pack.reference is not None:
            mine = pack.reference[(pack.reference["survey"] == survey)
                                  & (pack.reference["year"] == latest)]
            if not mine.empty:
                b += [Heading(f"Jämfört med {mine['compared_with'].iloc[0]}", 2),
                      reference_table(mine),
                      Paragraph("Skillnad i andel positiva svar mellan förbundet och "
                                "jämförelsen, i procentenheter, med konfidensintervall breddat "
                                "(Bonferroni) efter antalet frågor; \"högre\"/\"lägre\" "
                                "betyder att hela intervallet ligger över eller under noll.",
                                note=True)]
        if pack.goals is not None:
            mine = pack.goals[pack.goals["survey"] == survey]
            if not mine.empty:
                b += [Heading("Mål", 2), goals_table(mine)]
        notes = survey_notes(pack, catalog, survey, latest)
        if notes:
            b += [Heading("Att läsa resultaten rätt", 2), Bullets(tuple(notes))]
        if every_year:
            earlier = [f for f in figures if f.kind == DISTRIBUTION.name
                       and f.spec.year != latest]
            if earlier:
                b.append(Heading("Tidigare år", 2))
                for f in earlier:
                    number += 1
                    b.append(Chart(images / f"{f.stem}.png", chart_title(number, f),
                                   alt_text(f), f.stem))
    b += [Heading("Datakvalitet"), *quality_blocks(pack, catalog)]
    return doc


def survey_notes(pack, catalog: Catalog, survey: str, year: int) -> list[str]:
    """Hidden groups and questions, and the "vet ej" answers, for one survey's latest year."""
    dist = pack.distributions
    notes = []
    groups = dist.groups[(dist.groups["survey"] == survey) & (dist.groups["year"] == year)]
    hidden = [short_name(g) if g != ALL else "alla svarande"
              for g in groups.loc[~groups["shown"], "group"]]
    if hidden:
        notes.append(f"Visas inte {year} (för få svar, för de svarandes anonymitet): "
                     + ", ".join(hidden) + ".")
    cells = dist.cells[(dist.cells["survey"] == survey) & (dist.cells["year"] == year)
                       & ~dist.cells["shown"] & dist.cells["answered"]]
    shown = set(groups.loc[groups["shown"], "group"])
    for group, part in cells[cells["group"].isin(shown)].groupby("group", sort=False):
        name = "alla svarande" if group == ALL else short_name(group)
        numbers = ", ".join(str(q) for q in part["question"])
        notes.append(f"{name}: fråga {numbers} har för få svar för att visas.")
    vet = dist.no_answer[(dist.no_answer["survey"] == survey) & (dist.no_answer["year"] == year)
                         & (dist.no_answer["group"] == ALL)]
    if not vet.empty and vet["count"].sum() > 0:
        per = ", ".join(f"fråga {int(r.question)}: {int(r['count'])}"
                        for _, r in vet[vet["count"] > 0].iterrows())
        notes.append(f"Svar som \"vet ej\" o.d. (räknas inte i n eller i procenten): {per}.")
    if pack.changes is not None:
        mine = pack.changes[(pack.changes["survey"] == survey) & (pack.changes["year"] == year)]
        real = mine[mine["verdict"].isin(REAL_CHANGES)]
        if not mine.empty and real.empty:
            notes.append("Ingen förändring från i fjol är säker. Det betyder inte att inget har "
                         "förändrats, bara att skillnaderna i diagrammen är för osäkra med så "
                         "här många svar.")
    return notes


def quality_blocks(pack, catalog: Catalog) -> list:
    from indikator.report.summary import PRIVATE_PROBLEMS, pack_accounting

    text = pack_accounting(pack).replace("`", "")
    blocks: list = [Paragraph(line) for line in text.split("\n")]
    if pack.imported.skipped_invalid:
        blocks.append(Paragraph(
            f"{len(pack.imported.skipped_invalid)} värden som inte fanns på frågans skala "
            "räknades som ej besvarade (--skip-invalid); var de finns står i "
            "ogiltiga_varden.csv och i arbetsboken."))
    warnings = [p for p in pack.imported.problems
                if p.severity != "error" and p.code != "invalid-value"] + list(pack.notes)
    if warnings:
        blocks.append(Paragraph(f"Varningar vid inläsningen: {len(warnings)} (se "
                                "sammanfattning.txt och bladet Datakvalitet)."))
    if pack.withheld:
        blocks.append(Paragraph(PRIVATE_PROBLEMS.replace("`", "")))
    blocks.append(Paragraph(f"Gjord med indikator {__version__}. Tabellerna finns i "
                            "tabeller.xlsx och som CSV-filer; diagrammen i mappen diagram/.",
                            note=True))
    return blocks
