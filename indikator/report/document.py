"""The report appendix as a document model: headings, paragraphs, tables and charts.

Built once from a pack; the PDF, Word and HTML renderers lay out the same blocks,
so the three documents say the same thing in the same order. Every number here is
taken from a table of the pack and formatted as the reader reads it (whole
percent, Swedish decimal comma).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from indikator import __version__
from indikator.analysis.compare import REAL_CHANGES
from indikator.analysis.stats import large_enough
from indikator.charts.kinds import COMPARISON, DISTRIBUTION, in_sections
from indikator.columns import values
from indikator.numbers import interval, level, pp, whole
from indikator.questionnaires import Catalog
from indikator.report.paragraphs import survey_paragraph
from indikator.text import and_list, short_name
from indikator.words import ALL, IMPROVED, WORSENED

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


APPENDIX_LEAD = "Bilaga till årsredovisningen: resultat av NNS indikatorenkäter"


@dataclass
class Document:
    title: str
    subtitle: str
    year: int | None
    marker: str
    lead: str = APPENDIX_LEAD  # the line under the title on the title page
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
    first: dict[tuple, tuple] = {}  # (survey, group, year) → its first row's size and shown
    for survey, group, year, respondents, shown in values(
            groups, "survey", "group", "year", "respondents", "shown"):
        first.setdefault((survey, group, year), (respondents, shown))
    rows = []
    for survey in catalog.ids:
        names = sorted({g for s, g, _ in first if s == survey}, key=lambda g: (g != ALL, g))
        for group in names:
            cells = []
            for year in years:
                hit = first.get((survey, group, year))
                if hit is None:
                    cells.append("–")
                else:
                    cells.append(str(int(hit[0])) if hit[1] else HIDDEN_CELL)
            who = "Alla" if group == ALL else short_name(group)
            rows.append((catalog.get(survey).name, who, *cells))
    return Table("Svarande per enkät, grupp och år (dold: visas inte, för att skydda svarandes "
                 "anonymitet; –: ingen enkät)",
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
    """The board's goals: this year's value with its margin, last year's, the target and
    the verdict."""
    from indikator.report.summary import goal_value

    def last(r) -> str:
        if pd.isna(r.previous_value):
            return ""
        return (f"{r.previous_value:.1f}".replace(".", ",") if r.measure == "mean"
                else f"{whole(r.previous_value)} %")

    rows = tuple((r.name, "Alla" if r.group == ALL else short_name(r.group), str(r.questions),
                  "" if pd.isna(r.value) else goal_value(r), last(r), r.target, r.verdict)
                 for r in goals.itertuples(index=False))
    return Table("Styrelsens mål", ("Mål", "Grupp", "Frågor", "I år", "I fjol", "Målnivå",
                                    "Bedömning"), rows, (False,) * 7)


def reference_table(ref: pd.DataFrame) -> Table:
    rows = []
    for question, share, other, difference, low, high, verdict in values(
            ref, "question", "share_positive", "other_share_positive", "difference_pp",
            "ci_low_pp", "ci_high_pp", "verdict"):
        if pd.isna(difference):
            rows.append((str(question), f"{whole(share)} %", "", "", "", verdict))
            continue
        rows.append((str(question), f"{whole(share)} %", f"{whole(other)} %", pp(difference),
                     interval(low, high), verdict))
    return Table("Andel positiva svar, skillnad i procentenheter (p.e.) och felmarginal",
                 ("Fråga", "Förbundet", "Jämförelsen", "Skillnad", "Felmarginal", "Bedömning"),
                 tuple(rows), (True, True, True, True, True, False))


def alt_text(figure) -> str:
    """Every number a chart shows, in words: 'Fråga 1 (n=54): Aldrig 0 %, Sällan 9 %, …'."""
    return figure.alt_text


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
    "Fråga 1 överst. n är antalet som svarat på frågan; svar som \u201dvet ej\u201d räknas "
    "inte, så n kan skilja mellan frågorna.",
    "Andel positiva svar är de tre översta svarsalternativen (Ja på ja/nej-frågor). Hur "
    "säkra siffrorna är, och vad orden i tabellerna betyder, står i avsnittet Så läses "
    "siffrorna.",
)

METHOD_HEADING = "Så läses siffrorna"


def privacy_sentence(min_n: int) -> str:
    return (f"Grupper och frågor med färre än {min_n} svar visas inte, och inte heller tal som "
            "skulle göra det möjligt att räkna fram dem: de kan peka ut enskilda svarande.")


def method_blocks(report) -> list:
    """The method once: what the verdicts mean in words, then the statistics behind them
    (the interval, the widening for many questions, the detectable change)."""
    from indikator import words

    changes = report.changes
    levels = "" if changes is None else ", ".join(sorted(
        {level(float(v)) for v in changes["ci_level"].dropna()}, key=lambda t: float(
            t.replace("\u00a0%", "").replace(",", "."))))
    blocks: list = [
        Heading(METHOD_HEADING),
        Paragraph("Ett förbund har få svarande, och de som svarar ett år är inte desamma som "
                  "nästa år. Därför har varje andel en felmarginal: det område där den "
                  "verkliga andelen med stor säkerhet ligger. Med tjugo svarande och en andel "
                  "på 50 % är felmarginalen ungefär 30–70 %. En skillnad mellan åren kallas säker "
                  "bara när hela dess felmarginal ligger på ena sidan om noll; annars kan den "
                  "vara slump."),
        Paragraph("Orden i tabellerna och diagrammen betyder:"),
        Bullets(tuple(f"{word}: {meaning}." for word, meaning in words.VOCABULARY.items()
                      if _used(report, word))),
        Paragraph(("▲ och ▼ i diagrammen markerar en säker förbättring respektive "
                   "försämring. Förändringen räknas före avrundning, så den kan skilja en "
                   "procentenhet från skillnaden mellan de avrundade andelarna. "
                   if changes is not None and not changes.empty else "")
                  + "Andelarna i staplarna är avrundade var för sig, så en stapel kan "
                  "summera till 99 eller 101 procent."),
        Heading("Metoden", 2),
    ]
    compared = changes is not None and not changes.empty
    if compared or report.reference is not None or report.side is not None:
        blocks.append(Paragraph(
            "Felmarginalen för en förändring eller skillnad i andel positiva svar är "
            "Newcombes intervall (metod 11, med kontinuitetskorrektion) för skillnaden mellan "
            "två andelar. När flera frågor i samma enkät och grupp jämförs på en gång breddas "
            "felmarginalen (Bonferroni), så att risken att någon av dem kallas säker av en "
            "slump är högst 5 %" + (f"; i detta paket är nivåerna {levels}." if levels else ".")))
    if report.goals is not None and not report.goals.empty:
        blocks.append(Paragraph(
            "Ett mål som gäller en andel eller ett medelvärde på en eller flera frågor bedöms "
            "med ett 95-procentigt intervall där varje person räknas en gång, även när hen "
            "svarat på flera av målets frågor. Ett mål om att inte gå under förra året bedöms "
            "med samma felmarginal som jämförelsen med förra året."))
    if compared:
        blocks += [
            Paragraph("Hur stor en förändring måste vara för att upptäckas anges som den "
                      "förändring från 50 % som upptäcks med 80 % sannolikhet med årets och "
                      "fjolårets antal svar (beräknat exakt för det breddade intervallet). "
                      "Mindre förändringar kan finnas utan att synas."),
            Paragraph("Mann–Whitney U (Fishers exakta test för ja/nej) på hela "
                      "svarsfördelningen finns som extra kolumner i changes.csv och "
                      "tabeller.xlsx; det avgör aldrig bedömningen.")]
    if isinstance(blocks[-1], Heading):  # nothing compared and no goals: no method to say
        blocks.pop()
    return blocks


def _used(report, word: str) -> bool:
    """Whether a verdict can occur in this report's tables (the method lists only those)."""
    from indikator import words

    if word in (words.IMPROVED, words.WORSENED, words.NO_CLEAR_CHANGE, words.NOT_COMPARABLE):
        return report.changes is not None and not report.changes.empty
    if word in (words.HIGHER, words.LOWER, words.NO_CLEAR_DIFFERENCE):
        return report.reference is not None or report.side is not None
    if word in (words.MET, words.NOT_MET, words.MET_UNSURE, words.NOT_MET_UNSURE,
                words.NOT_MEASURED):
        return report.goals is not None and not report.goals.empty
    return True


def survey_rows(report, catalog: Catalog) -> list[tuple[str, int]]:
    """(survey, its latest year) for every survey in the report, in the catalogue's order."""
    latest: dict[str, int] = {}
    for survey, year in values(report.distributions.groups, "survey", "year"):
        latest[survey] = max(latest.get(survey, year), year)
    return [(s, int(latest[s])) for s in catalog.ids if s in latest]


def latest_rates_table(report, catalog: Catalog) -> Table:
    """Who answered this year, per survey and group: respondents, and where the pack knows
    them the asked, the declined and the response rate (a hidden group: "dold")."""
    listed: dict[tuple, list[str]] = {}  # (survey, year) → its groups, as the rows list them
    first: dict[tuple, tuple] = {}  # (survey, year, group) → its first row's size and shown
    for survey, year, group, respondents, shown in values(
            report.distributions.groups, "survey", "year", "group", "respondents", "shown"):
        listed.setdefault((survey, year), []).append(group)
        first.setdefault((survey, year, group), (respondents, shown))
    rates: dict[tuple, tuple] = {}
    if report.rates is not None:
        for survey, year, group, *numbers in values(
                report.rates, "survey", "year", "group", "asked", "declined", "response_rate"):
            rates.setdefault((survey, year, group), tuple(numbers))
    rows = []
    for survey, year in survey_rows(report, catalog):
        for group in sorted(listed.get((survey, year), []), key=lambda g: (g != ALL, g)):
            respondents, shown = first[(survey, year, group)]
            shown = bool(shown)
            cells = [str(int(respondents)) if shown else HIDDEN_CELL, "", "", ""]
            hit = rates.get((survey, year, group)) if shown else None
            if hit is not None:
                asked, declined, rate = hit
                cells[1:] = ["" if pd.isna(asked) else str(int(asked)),
                             "" if pd.isna(declined) else str(int(declined)),
                             "" if pd.isna(rate) else f"{whole(rate)} %"]
            rows.append((f"{catalog.get(survey).name} {year}" if group == ALL else "",
                         "Alla" if group == ALL else short_name(group), *cells))
    return Table("Svarande och svarsfrekvens i år", ("Enkät", "Grupp", "Svarande",
                                                     "Tillfrågade", "Tackat nej",
                                                     "Svarsfrekvens"),
                 tuple(rows), (False, False, True, True, True, True))


GENDER_PLURALS = {"Kvinna": "kvinnor", "Man": "män"}
HIDDEN_CELL = "dold"


@dataclass(frozen=True)
class GenderSplit:
    """One survey-year's respondents by kön: women, men and the others together, each a
    count or None (hidden), and what the hidden ones are together when that is itself
    large enough to say (it is what the total leaves, so never a new figure)."""

    survey: str
    year: int
    counts: tuple[int | None, int | None, int | None]
    hidden_sum: int | None

    def hidden_names(self) -> list[str]:
        names = [*GENDER_PLURALS.values(), "övriga"]
        return [n for n, c in zip(names, self.counts, strict=True) if c is None]


def gender_splits(report, catalog: Catalog, latest_only: bool = True) -> list[GenderSplit]:
    gender = report.distributions.gender
    if gender is None or gender.empty:
        return []
    alla = gender[gender["group"] == ALL]
    parts = dict(list(alla.groupby(["survey", "year"], sort=False, observed=True)))  # split once
    totals: dict[tuple, tuple] = {}  # (survey, year) → Alla's first row's size and shown
    for survey, year, group, respondents, shown in values(
            report.distributions.groups, "survey", "year", "group", "respondents", "shown"):
        if group == ALL:
            totals.setdefault((survey, year), (respondents, shown))
    out = []
    for survey, _ in survey_rows(report, catalog):
        years = sorted({int(y) for s, y in parts if s == survey}, reverse=True)
        for year in years[:1] if latest_only else years:
            part = parts[(survey, year)]
            total = totals.get((survey, year))
            if total is None or not bool(total[1]):
                continue
            counts: list[int | None] = []
            for label in GENDER_PLURALS:
                hit = part.loc[part["label"] == label, "respondents"]
                counts.append(0 if hit.empty else None if pd.isna(hit.iloc[0])
                              else int(hit.iloc[0]))
            others = part.loc[~part["label"].isin(list(GENDER_PLURALS)), "respondents"]
            counts.append(None if others.isna().any() else int(others.sum()))
            shown = sum(c for c in counts if c is not None)
            hidden = int(total[0]) - shown
            said = None
            if None in counts and large_enough(hidden, report.min_n):
                said = hidden
                if counts[:2].count(None) == 0:  # only the others' parts are hidden: their
                    counts[2], said = hidden, None  # sum is the Övriga column itself
            out.append(GenderSplit(survey, year, tuple(counts), said))
    return out


def gender_table(report, catalog: Catalog, latest_only: bool = True) -> list:
    """Respondents by kön (all respondents), with a note on the hidden counts."""
    splits = gender_splits(report, catalog, latest_only)
    if not splits:
        return []
    rows = tuple((f"{catalog.get(g.survey).name} {g.year}",
                  *(HIDDEN_CELL if c is None else str(c) for c in g.counts)) for g in splits)
    blocks: list = [Table("Svarande efter kön (övriga: annat, uppges ej eller uppgift saknas)",
                          ("Enkät", "Kvinnor", "Män", "Övriga"), rows,
                          (False, True, True, True))]
    hidden = [g for g in splits if None in g.counts]
    if hidden:
        said = [f"{catalog.get(g.survey).name} {g.year}: {and_list(g.hidden_names())} "
                f"tillsammans {g.hidden_sum}" for g in hidden
                if g.hidden_sum is not None and len(g.hidden_names()) < 3]
        blocks.append(Paragraph(
            f"Dold: ett antal under {report.min_n} visas inte, och inte heller ett antal som "
            "skulle avslöja ett sådant." + (" " + "; ".join(said) + "." if said else ""),
            note=True))
    return blocks


def change_rows(changes: pd.DataFrame) -> tuple[tuple[str, ...], ...]:
    """(question, last year's share, this year's, the change, its felmarginal, verdict) per
    row of changes.csv; a question not compared has only its verdict."""
    rows = []
    for question, before, now, change, low, high, verdict in values(
            changes, "question", "previous_share_positive", "share_positive", "change_pp",
            "ci_low_pp", "ci_high_pp", "verdict"):
        if pd.isna(change):
            rows.append((str(question), "", "", "", "", verdict))
            continue
        rows.append((str(question), f"{whole(before)} %", f"{whole(now)} %", pp(change),
                     interval(low, high), verdict))
    return tuple(rows)


def compact_changes_table(changes: pd.DataFrame, previous: int, year: int) -> Table:
    """This year against last year for all respondents, one row per compared question."""
    return Table(f"Andel positiva svar {previous} och {year}, alla svarande",
                 ("Fråga", str(previous), str(year), "Förändring (p.e.)", "Felmarginal",
                  "Bedömning"), change_rows(changes), (True, True, True, True, True, False))


@dataclass(frozen=True)
class Parts:
    """What a document holds beyond this year's charts for all respondents."""

    groups: bool = False  # each insats' (or kön's) charts
    changes: bool = True  # the compact table of this year against last year
    comparison_charts: bool = False
    trends: bool = False
    earlier: bool = False  # earlier years' charts (the web page)
    full_tables: bool = False  # every year's respondents; every group's change table


def parts_of(options, part: str) -> Parts:
    """The appendix holds what --bilaga chooses; the depth document holds the rest (and
    every table); the web page holds everything."""
    chosen = set(getattr(options, "appendix", ("jamforelse",)))
    if part == "appendix":
        return Parts(groups="insatser" in chosen, changes="jamforelse" in chosen,
                     comparison_charts="jamforelsediagram" in chosen,
                     trends="trender" in chosen)
    if part == "depth":
        return Parts(groups="insatser" not in chosen, changes=True,
                     comparison_charts="jamforelsediagram" not in chosen,
                     trends="trender" not in chosen, full_tables=True)
    return Parts(groups=True, changes=True, comparison_charts=True, trends=True,
                 earlier=True, full_tables=True)


DEPTH_LEAD = ("Fördjupning till bilagan: varje insats, jämförelser, trender och alla "
              "tabeller")


def build_document(pack, catalog: Catalog, min_n: int, images: Path,
                   part: str = "appendix") -> Document:
    """A document of the report. `part`: "appendix" (indikatorer.pdf/.docx, short, as the
    seed appendix: who answers, this year's charts for all respondents, the goals and a
    compact comparison), "depth" (indikatorer-fordjupning: what the appendix leaves out)
    or "page" (index.html: everything, every year)."""
    parts = parts_of(pack.options, part)
    dist = pack.distributions
    years = [int(y) for y in dist.groups["year"]]
    year = max(years) if years else None
    who = pack.forbund or "Samordningsförbundet"
    title = f"Indikatorer för finansiell samordning {year or ''}".strip()
    if part == "depth":
        title += " – fördjupning"
    lead = APPENDIX_LEAD
    if part == "depth":
        lead = (DEPTH_LEAD if parts.groups or parts.comparison_charts or parts.trends
                else "Fördjupning till bilagan: alla tabeller")
    doc = Document(title=title, subtitle=who, year=year, marker=pack.marker, lead=lead)
    b = doc.blocks
    surveys = [s for s, _ in survey_rows(pack, catalog)]
    if part != "depth":
        b += [Heading("Om indikatorerna"), *(Paragraph(p) for p in INTRO),
              Paragraph(privacy_sentence(min_n))]
        if part == "appendix":
            b.append(Paragraph("Det här är den korta bilagan. Diagram för varje grupp, "
                               "jämförelser och trender som den inte tar med, och alla "
                               "tabeller, finns i fördjupningen (indikatorer-fordjupning.pdf "
                               "och .docx) och i tabeller.xlsx."))
        b += [
              survey_table(catalog, surveys), scale_table(catalog)]
    b += [Heading("Svarande och svarsfrekvens")]
    if part != "depth":
        b.append(latest_rates_table(pack, catalog))
        if pack.rates is not None and not pack.rates.empty:
            b.append(Paragraph("Svarsfrekvens = svar / tillfrågade. Dold: gruppen visas inte, "
                               "för att skydda svarandes anonymitet (den har för få svar, "
                               "eller så få att en mindre grupp kunde räknas fram ur den)."
                               + (" Varje förbunds rad är den som förbundets eget paket "
                                  "visar; Alla är deras summa och visas bara när varje "
                                  "visat förbund har en rad." if pack.side is not None
                                  else ""), note=True))
    if parts.full_tables:
        b.append(respondents_table(pack, catalog))
        if pack.rates is not None and not pack.rates.empty:
            b.append(rates_table(pack.rates, catalog))
    b += once(pack, ("gender", not parts.full_tables, id(catalog)), gender_table, pack,
              catalog, not parts.full_tables)
    number = 0
    by_survey: dict[str, list] = {}
    for figure in pack.figures:
        by_survey.setdefault(figure.survey, []).append(figure)
    for survey in surveys:
        name = catalog.get(survey).name
        b.append(Heading(f"Resultat {name[0].lower() + name[1:]}"))
        if part != "depth":
            paragraph = once(pack, ("paragraph", survey, id(catalog)), survey_paragraph,
                             survey, pack, catalog)
            b.append(Paragraph(paragraph[2] if len(paragraph) > 2 else paragraph[-1]))
        latest = int(dist.groups.loc[dist.groups["survey"] == survey, "year"].max())
        b.append(question_list(catalog.get(survey, latest)))
        figures = by_survey.get(survey, [])
        for kind in in_sections():
            chosen = [f for f in figures if f.kind == kind.name
                      and (not kind.latest_only or f.spec.year == latest)
                      and _wanted(f, kind, parts, part)]
            if kind is COMPARISON and parts.changes:
                b += once(pack, ("changes", survey, parts.full_tables), changes_blocks,
                          pack, survey, parts.full_tables)
            if not chosen:
                continue
            b.append(Heading(_kind_heading(kind, latest, part), 2))
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
                      Paragraph(f"Skillnad i andel positiva svar mellan förbundet och "
                                f"jämförelsen, i procentenheter, med felmarginal; se "
                                f"{METHOD_HEADING}.", note=True)]
        if pack.goals is not None and part != "depth":
            mine = pack.goals[pack.goals["survey"] == survey]
            if not mine.empty:
                b += [Heading("Mål", 2), goals_table(mine)]
        notes = survey_notes(pack, catalog, survey, latest)
        if notes:
            b.append(Paragraph(" ".join(notes), note=True))
        if parts.earlier:
            earlier = [f for f in figures if f.kind == DISTRIBUTION.name
                       and f.spec.year != latest]
            if earlier:
                b.append(Heading("Tidigare år", 2))
                for f in earlier:
                    number += 1
                    b.append(Chart(images / f"{f.stem}.png", chart_title(number, f),
                                   alt_text(f), f.stem))
    b += method_blocks(pack)
    b += [Heading("Datakvalitet", 2), *quality_blocks(pack, catalog)]
    return doc


def question_list(questionnaire) -> Bullets:
    """The questions as asked (the documents' chart copies leave out their captions)."""
    items = []
    for q in questionnaire.questions:
        text = f"Fråga {q.number}: {q.text}"
        if q.asked_if is not None:
            text += f" (ställs bara vid {q.asked_if.describe()})"
        items.append(text)
    return Bullets(tuple(items))


def _wanted(figure, kind, parts: Parts, part: str) -> bool:
    """Whether a figure of `kind` belongs in this document."""
    alla = getattr(figure.spec, "group", ALL) == ALL
    if kind is DISTRIBUTION:
        if part == "depth":
            return parts.groups and not alla
        return alla or parts.groups
    if kind is COMPARISON:
        return parts.comparison_charts
    if kind.name == "trend":
        return parts.trends
    return True  # the förbund side by side (many förbund): always


def _kind_heading(kind, latest: int, part: str) -> str:
    heading = kind.heading.format(year=latest)
    if kind is DISTRIBUTION and part == "depth":
        return f"{heading}, per grupp"
    return heading


def changes_blocks(pack, survey: str, every_group: bool) -> list:
    """The comparison with last year as tables (all respondents; every group in the depth
    document), and the certain changes named."""
    if pack.changes is None:
        return []
    mine = pack.changes[pack.changes["survey"] == survey]
    alla = mine[mine["group"] == ALL]
    if alla.empty or not alla["change_pp"].notna().any():
        return []
    year, previous = int(alla["year"].iloc[0]), int(alla["previous_year"].iloc[0])
    blocks: list = [Heading(f"Jämfört med {previous}", 2),
                    compact_changes_table(alla, previous, year)]
    if every_group:
        for group, part in mine[mine["group"] != ALL].groupby("group", sort=True, observed=True):
            if part["change_pp"].notna().any():
                table = compact_changes_table(part, previous, year)
                blocks.append(Table(table.caption.replace("alla svarande", short_name(group)),
                                    table.header, table.rows, table.numeric))
    blocks.append(Paragraph(f"Förändringen i procentenheter (p.e.) med sin felmarginal; "
                            f"\u201d{IMPROVED}\u201d och \u201d{WORSENED}\u201d betyder "
                            f"att hela felmarginalen ligger över eller under noll. Se "
                            f"{METHOD_HEADING}.", note=True))
    return blocks


def once(pack, key: tuple, make: Callable[..., list], *args) -> list:
    """`make(*args)`, worked out once per report (Report.worked_out) under `key` and copied
    to each caller (the blocks in it are frozen)."""
    store = pack.worked_out
    if key not in store:
        store[key] = make(*args)
    return list(store[key])


def survey_notes(pack, catalog: Catalog, survey: str, year: int) -> list[str]:
    """Hidden groups and questions, and the "vet ej" answers, for one survey's latest year
    (each document asks: worked out once)."""
    return once(pack, ("notes", survey, year, id(catalog)), _survey_notes, pack, catalog,
                survey, year)


def _survey_notes(pack, catalog: Catalog, survey: str, year: int) -> list[str]:
    dist = pack.distributions
    notes = []
    groups = dist.groups[(dist.groups["survey"] == survey) & (dist.groups["year"] == year)]
    hidden = [short_name(g) if g != ALL else "alla svarande"
              for g in groups.loc[~groups["shown"], "group"]]
    if hidden:
        notes.append(f"Visas inte {year}, för att skydda svarandes anonymitet (för få svar, "
                     "eller så få att en mindre grupp kunde räknas fram): "
                     + ", ".join(hidden) + ".")
    cells = dist.cells[(dist.cells["survey"] == survey) & (dist.cells["year"] == year)
                       & ~dist.cells["shown"] & dist.cells["answered"]]
    shown = set(groups.loc[groups["shown"], "group"])
    shown_cells = cells[cells["group"].isin(shown)]
    for group, part in shown_cells.groupby("group", sort=False, observed=True):
        name = "alla svarande" if group == ALL else short_name(group)
        numbers = [str(q) for q in part["question"]]
        which = (f"fråga {numbers[0]} visas" if len(numbers) == 1
                 else f"frågorna {and_list(numbers)} visas")
        notes.append(f"{name}: {which} inte (för få svar, eller för att skydda en mindre "
                     "grupp).")
    vet = dist.no_answer[(dist.no_answer["survey"] == survey) & (dist.no_answer["year"] == year)
                         & (dist.no_answer["group"] == ALL)]
    if not vet.empty and vet["count"].sum() > 0:
        per = ", ".join(f"fråga {int(question)}: {int(count)}"
                        for question, count in values(vet, "question", "count") if count > 0)
        notes.append(f"Svar som \u201dvet ej\u201d o.d. (räknas inte i n eller i procenten): "
                     f"{per}.")
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
