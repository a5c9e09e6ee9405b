"""Plain Swedish text about what was read and written: the `pack` summary and `validate`.

Only counts and positions appear here, never an individual's answers.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd

from indikator.analysis.compare import NOT_COMPARABLE, REAL_CHANGES
from indikator.analysis.stats import Distributions
from indikator.errors import Problem
from indikator.importing import ImportResult, SheetReport
from indikator.numbers import figure, interval, pp, whole
from indikator.questionnaires import Catalog
from indikator.text import printable, short_name
from indikator.words import ALL, MARGIN, TOO_FEW

ROLE_NAMES = {"year": "År", "group": "Insats", "gender": "Kön", "survey": "Enkät",
              "forbund": "Förbund",
              "id": "svars-id", "status": "status (fullständig?)",
              "metadata": "metadata, läses inte",
              "ignored": "läses inte", "question-name": "fråga (en rad per svar)",
              "value": "svar (en rad per svar)"}
HOW_NAMES = {"text": "frågetext", "number": "frågenummer", "fuzzy": "liknande text",
             "code": "frågekod"}


def count(n: int, one: str, many: str) -> str:
    """'1 fil', '2 filer': Swedish number agreement."""
    return f"{n} {one if n == 1 else many}"


def survey_name(catalog: Catalog, survey: str) -> str:
    return catalog.get(survey).name


def row_accounting(imported: ImportResult, no_answer_total: int | None = None,
                   lead: str = "Rader lästa") -> str:
    """'Rader lästa: 258 = 256 svarande + 2 tomma rader …' – every data row accounted for.

    no_answer_total: the "vet ej" count to print (the pack prints only what it
    publishes); None prints the count of every file, as `validate` does.
    lead: what the line begins with (the aggregate of many förbund says whose rows).
    """
    reports = imported.reports
    read = sum(r.rows_read for r in reports)
    parts = [f"{sum(r.rows_used for r in reports)} "
             + ("svarande" if all(r.layout == "wide" for r in reports) else "rader med svar")]
    parts.append(count(sum(r.rows_empty for r in reports), "tom rad", "tomma rader")
                 + " (utan svar)")
    if incomplete := sum(r.rows_incomplete for r in reports):
        parts.append(count(incomplete, "ofullständig", "ofullständiga") + " (uteslutna)")
    if duplicates := sum(r.rows_duplicate for r in reports):
        parts.append(count(duplicates, "dubblett", "dubbletter"))
    if errors := sum(r.rows_error for r in reports):
        parts.append(f"{errors} med fel (se nedan)")
    if unread := sum(r.rows_unread for r in reports):
        parts.append(f"{unread} i blad som inte lästes (se nedan)")
    if hidden := sum(r.rows_hidden for r in reports):
        parts.append(f"{hidden} dolda i Excel (lästes inte)")
    status = ("alla rader redovisade" if all(r.accounted for r in reports) else "RADER SAKNAS")
    text = f"{lead}: {read} = {' + '.join(parts)} – {status}."
    if any(r.layout == "long" for r in reports):
        text += f" Svarande: {sum(r.respondents for r in reports)}."
    no_answer = sum(r.no_answer for r in reports) if no_answer_total is None else no_answer_total
    if no_answer:
        text += (f"\nSvar som ”vet ej” o.d. (räknas inte i fördelningarna): "
                 f"{no_answer}.")
    return text


def published_accounting(imported: ImportResult, dist: Distributions) -> str:
    """The row accounting as the pack may publish it.

    When a whole survey and year is hidden, its size would follow from the total
    minus the shown ones: then only the check is printed, not the counts.
    """
    published_vet = int(dist.no_answer.loc[dist.no_answer["group"] == ALL, "count"].sum())
    if not imported.reports:  # one förbund of a file with a Förbund column
        return ("Rader lästa: filerna lästes för alla förbund tillsammans (kolumnen Förbund); "
                "radbokföringen står i alla förbunds paket (alla/sammanfattning.txt), med "
                "antalen när inget förbund har en enkät med för få svarande.")
    if publishes_counts(imported, dist):
        return row_accounting(imported, published_vet)
    return _status_only(imported, "en enkät har för få svarande för att visas", published_vet)


def publishes_counts(imported: ImportResult, dist: Distributions) -> bool:
    """Whether a pack prints its row counts: only when every survey and year is shown, so
    that the respondents they add up to are the published ones (else the total minus the
    shown would be the hidden)."""
    alla = dist.groups[dist.groups["group"] == ALL]
    return bool(imported.reports) and bool(alla["shown"].all())


def _status_only(imported: ImportResult, why: str, published_vet: int) -> str:
    status = ("alla rader redovisade" if all(r.accounted for r in imported.reports)
              else "RADER SAKNAS")
    text = (f"Rader lästa: {status}. Antalen visas inte här, eftersom {why} (de skulle gå "
            "att räkna fram); `indikator validate` visar dem för den som har filerna.")
    if published_vet:
        text += (f"\nSvar som ”vet ej” o.d. i de visade fördelningarna (räknas inte i dem): "
                 f"{published_vet}.")
    return text


def many_accounting(parts: list[tuple[str, ImportResult, Distributions]], total: Distributions,
                    whole: ImportResult | None = None) -> str:
    """The row accounting of the aggregate of many förbund: only counts that are sums of
    what the förbund's own packs print.

    parts: (name, import, distributions) of each förbund. A förbund with a hidden survey
    prints no counts in its own pack (published_accounting), so the aggregate counts only
    the rows of the others and names the rest, without a size. whole: the one import of a
    file with a Förbund column, whose rows cannot be told apart by förbund: its counts are
    printed only when nothing of any förbund is hidden.
    """
    from indikator.input.files import merged

    published_vet = int(total.no_answer.loc[total.no_answer["group"] == ALL, "count"].sum())
    left = [name for name, imported, dist in parts
            if not publishes_counts(imported if whole is None else whole, dist)]
    everyone = whole if whole is not None else merged([p[1] for p in parts])
    why = (f"{count(len(left), 'förbund', 'förbund')} har en enkät med för få svarande för att "
           "visas")
    if not left:
        return row_accounting(everyone, published_vet)
    if whole is not None or len(left) == len(parts):
        return _status_only(everyone, why, published_vet)
    counted = merged([imported for name, imported, _ in parts if name not in left])
    text = row_accounting(counted, 0, lead=f"Rader lästa i de "
                          f"{count(len(parts) - len(left), 'förbund', 'förbund')} som visar "
                          "alla sina enkäter")
    text += (f"\n{why.capitalize()} och räknas inte här ("
             f"{', '.join(short_name(n, 60) for n in left)}), eftersom antalen annars skulle gå "
             "att räkna fram; varje förbunds eget paket säger om alla dess rader redovisades.")
    if published_vet:
        text += (f"\nSvar som ”vet ej” o.d. i de visade fördelningarna (räknas inte i dem): "
                 f"{published_vet}.")
    return text


def pack_accounting(pack) -> str:
    """The row accounting a pack publishes (the summary, the documents, the workbook): the
    aggregate's was made by many_accounting, every other pack's here."""
    return pack.accounting or published_accounting(pack.imported, pack.distributions)


def respondent_table(dist: Distributions, catalog: Catalog) -> list[str]:
    """Respondents per survey and year: a hidden survey-year is named, its size is not."""
    alla = dist.groups[dist.groups["group"] == ALL]
    lines = [f"  {'Enkät':<24}{'År':>6}{'Svarande':>10}"]
    for survey in catalog.ids:
        for row in alla[alla["survey"] == survey].sort_values("year").itertuples(index=False):
            size = f"{row.respondents:>10}" if row.shown else "  för få svar (visas inte)"
            lines.append(f"  {survey_name(catalog, row.survey):<24}{row.year:>6}{size}")
    return lines


def goal_target(row) -> float:
    """The goal's target as a number, or last year's value for a not-below-last-year goal
    (analysis.goals keeps it beside the text)."""
    return row.previous_value if pd.isna(row.target_value) else row.target_value


def goal_value(row) -> str:
    """'81 % (felmarginal 72–88, n = 80)' or '3,4 (felmarginal 3,1–3,7, n = 40)'; the value with
    the decimals that keep it off a target it is not equal to (numbers.figure)."""
    def fmt(v: float) -> str:
        return f"{v:.1f}".replace(".", ",") if row.measure == "mean" else str(whole(v))

    interval = (f", {MARGIN} {fmt(row.ci_low)}–{fmt(row.ci_high)}"
                if not pd.isna(row.ci_low) else "")
    value = figure(row.value, row.measure, goal_target(row))
    answers = getattr(row, "answers", None)
    size = (f"{answers} svar" if pd.isna(row.n) else f"n = {row.n}"
            + (f" personer, {answers} svar" if answers is not None and not pd.isna(answers)
               and answers != row.n else ""))
    return f"{value} ({interval.lstrip(', ')}{', ' if interval else ''}{size})"


def goal_lines(goals, catalog: Catalog) -> list[str]:
    lines = []
    for row in goals.itertuples(index=False):
        who = "alla" if row.group == ALL else short_name(row.group)
        where = f"{survey_name(catalog, row.survey)} {'' if pd.isna(row.year) else row.year}"
        measured = "" if pd.isna(row.value) else f"{goal_value(row)}, "
        lines.append(f"  {short_name(row.name, 80)} ({where.strip()}, {who}, fråga "
                     f"{row.questions}): {measured}mål {row.target}: {row.verdict}")
    return lines


def gender_lines(report, catalog: Catalog) -> list[str]:
    """'  Deltagare, pågående 2025: 30 kvinnor, 22 män, övriga 5'; hidden counts are said
    together when that is large enough ('män och övriga tillsammans 25, var för sig dolda')."""
    from indikator.report.document import GENDER_PLURALS, gender_splits
    from indikator.text import and_list

    lines = []
    for g in gender_splits(report, catalog, latest_only=False):
        named = [*GENDER_PLURALS.values(), "övriga"]
        parts = [f"{c} {n}" if n != "övriga" else f"övriga {c}"
                 for c, n in zip(g.counts, named, strict=True) if c is not None]
        hidden = g.hidden_names()
        if hidden:
            parts.append(f"{and_list(hidden)} tillsammans {g.hidden_sum}, var för sig dolda"
                         if g.hidden_sum is not None else f"{and_list(hidden)} dolda")
        lines.append(f"  {survey_name(catalog, g.survey)} {g.year}: {', '.join(parts)}")
    return lines


def rate_lines(rates, catalog: Catalog) -> list[str]:
    """'  Deltagare, pågående 2025, Coachingteam: 24 svar av 39 tillfrågade (62 %), …'."""
    from indikator.input.response_rates import rate_sentence

    lines = []
    for row in rates.itertuples(index=False):
        who = "" if row.group == ALL else f", {short_name(row.group)}"
        lines.append(f"  {survey_name(catalog, row.survey)} {row.year}{who}: "
                     f"{rate_sentence(row)}")
    return lines


def sum_lines(rates, groups, catalog: Catalog) -> list[str]:
    """Under the aggregate's rates: which survey-years have no sum for all förbund, and why."""
    from indikator.input.response_rates import without_sum

    return [f"  {survey_name(catalog, survey)} {year}, alla förbund: ingen summa, eftersom "
            f"bara {having} av {shown} visade förbund har svarsfrekvens"
            for survey, year, having, shown in without_sum(rates, groups)]


def hidden_groups(dist: Distributions, catalog: Catalog) -> list[str]:
    hidden = dist.groups[~dist.groups["shown"]]
    lines = []
    for row in hidden.itertuples(index=False):
        name = "alla svarande" if row.group == ALL else short_name(row.group)
        lines.append(f"  {survey_name(catalog, row.survey)} {row.year}: {name}")
    return lines


def hidden_questions(dist: Distributions, catalog: Catalog) -> list[str]:
    """Questions without a bar in a shown group: answered, but by too few (n = 0 is not listed)."""
    cells = dist.cells[~dist.cells["shown"] & dist.cells["answered"]]
    lines = []
    for (survey, year, group), part in cells.groupby(["survey", "year", "group"], sort=False,
                                                     observed=True):
        name = "alla svarande" if group == ALL else short_name(group)
        numbers = ", ".join(str(q) for q in part["question"])
        lines.append(f"  {survey_name(catalog, survey)} {year}, {name}: fråga {numbers}")
    return lines


def ignored_columns(reports: list[SheetReport]) -> list[str]:
    """The columns not read, by letter: a header nobody asked for may be any text, and the
    summary is published (`validate` shows the headers)."""
    lines = []
    for r in reports:
        letters = [c.letter for c in r.ignored]
        if letters:
            lines.append(f"  {r.label}: kolumn " + ", ".join(letters))
    return lines


REPEATS_SHOWN = 3  # a problem repeated on many rows: this many in full, then the rows


PRIVATE_PROBLEMS = ("Varningar och ogiltiga värden i filer eller på rader med svarande i en "
                    "grupp som inte visas (för få svar) står inte i paketet; `indikator "
                    "validate` visar dem.")


def problem_lines(problems: list[Problem], published: bool = False) -> list[str]:
    """One line per problem, except that the same problem with the same value in many
    cells ('6 - Alltid' in every row) is one line with its count and cells, and the same
    problem in the same column on more than ten rows is shown three times in full, then
    as a count and its first rows (`validate --json` has every one), so that a
    systematic issue does not bury the others.

    published: for a file of the pack (sammanfattning.txt), each problem's position and
    kind only (Problem.published), never what a cell holds.
    """
    from dataclasses import replace

    kinds = {"error": "FEL", "info": "Notis"}
    identical: dict[tuple, list[Problem]] = {}
    for p in problems:
        if published:  # values are never shown: nothing to group by them
            identical[(id(p),)] = [p]
            continue
        place = (p.location.file, p.location.sheet)
        identical.setdefault((p.severity, p.code, place, p.message, p.value, p.expected),
                             []).append(p)
    entries = [(same[0], same) for same in identical.values()]
    groups: dict[tuple, list[Problem]] = {}
    for p, same in entries:
        where = replace(p.location, row=None)
        key = ((p.severity, p.code, where.published()) if published
               else (p.severity, p.code, str(where), p.message))
        groups.setdefault(key if len(same) == 1 else (id(p),), []).append(p)
    repeated = {id(p): same for p, same in entries if len(same) > 1}
    shown = Problem.published if published else Problem.__str__
    lines = []
    for key, same in groups.items():
        if id(same[0]) in repeated:
            lines.append(f"  {kinds.get(same[0].severity, 'Varning')}: "
                         + _repeated_line(repeated[id(same[0])]))
            continue
        severity, _, where, *_ = key
        kind = kinds.get(severity, "Varning")
        if len(same) <= 10:
            lines += [f"  {kind}: {shown(p)}" for p in same]
            continue
        lines += [f"  {kind}: {shown(p)}" for p in same[:REPEATS_SHOWN]]
        rows = [p.location.row for p in same[REPEATS_SHOWN:] if p.location.row is not None]
        listed = ", ".join(map(str, rows[:20])) + (" …" if len(rows) > 20 else "")
        lines.append(f"  {kind}: samma sak på {len(same) - REPEATS_SHOWN} rader till i {where}"
                     + (f" (rad {listed})" if rows else "") + "; alla står i "
                     "`indikator validate --json`.")
    return lines


CELLS_SHOWN = 12  # cells listed for a problem repeated with the same value


def _repeated_line(same: list[Problem]) -> str:
    """'fil.csv: Värdet finns inte … Värde: '6 - Alltid'. … På 120 ställen: B2, B3, … C9 …'"""
    from indikator.errors import Location

    first = same[0]
    text = str(Problem(first.code, first.message, Location(first.location.file,
                                                              first.location.sheet),
                       first.value, first.expected, first.severity))
    cells = []
    for p in same:
        where = p.location
        if where.letter and where.row is not None:
            cells.append(f"{where.letter}{where.row}")
        elif where.row is not None:
            cells.append(f"rad {where.row}")
        elif where.letter or where.column:
            cells.append(f"kolumn {where.letter or where.column}")
    listed = ", ".join(dict.fromkeys(cells))
    if len(cells) > CELLS_SHOWN:
        listed = ", ".join(list(dict.fromkeys(cells))[:CELLS_SHOWN]) + " …"
    return text + f" På {len(same)} ställen" + (f": {listed}" if cells else "") + "."


def short(text: str, width: int = 60) -> str:
    """A question text cut at a word, for one summary line."""
    if len(text) <= width:
        return text
    return text[:width].rsplit(" ", 1)[0] + " …"


def change_lines(changes, catalog: Catalog) -> list[str]:
    """The comparison in a few lines: how many were compared, and every real change."""
    if changes is None or changes.empty:
        return ["Ingen jämförelse med föregående år: bara ett år i filerna (se --compare)."]
    compared = changes[changes["change_pp"].notna()]
    real = changes[changes["verdict"].isin(REAL_CHANGES)]
    few = int((changes["verdict"] == TOO_FEW).sum())
    other = int((changes["verdict"] == NOT_COMPARABLE).sum())
    lines = [f"Jämförelse med föregående år (changes.csv): "
             f"{count(len(compared), 'fråga', 'frågor')} jämförda, "
             f"varav {len(real)} med säker förändring och {len(compared) - len(real)} utan "
             "säker förändring."
             + (f" Dessutom {few} som inte jämförs (för få svar något av åren)." if few else "")
             + (f" {other} har ändrad frågetext eller skala (kan inte jämföras)." if other else "")]
    for row in real.itertuples(index=False):
        who = "alla" if row.group == ALL else short_name(row.group)
        lines.append(
            f"  {survey_name(catalog, row.survey)} {row.year} mot {row.previous_year}, {who}, "
            f"fråga {row.question} ({short(row.question_text)}): {row.verdict}; andel "
            f"positiva {whole(row.previous_share_positive)} % → {whole(row.share_positive)} % "
            f"({pp(row.change_pp)} p.e., {MARGIN} "
            f"{interval(row.ci_low_pp, row.ci_high_pp)})")
    lines += ["  Säker förändring: hela felmarginalen för förändringen i andel positiva "
              "ligger över eller under 0.",
              "  Felmarginalen är bredare när flera frågor jämförs på en gång (se Så läses "
              "siffrorna i bilagan).",
              "  Med så få svar är de flesta skillnader inte säkra: läs dem som möjliga "
              "tendenser, inte som trender."]
    return lines


def pack_summary(pack, catalog: Catalog) -> str:
    """The text `indikator pack` prints and saves as sammanfattning.txt."""
    imported, dist = pack.imported, pack.distributions
    sheets = [r for r in imported.reports if r.survey is not None]
    files = len({r.file for r in imported.reports})
    lines = [f"{pack.marker.upper()}.", ""] if pack.marker else []
    read = (f"Läste {count(files, 'fil', 'filer')} ({len(sheets)} blad med enkätsvar)."
            if imported.reports else f"{pack.forbund}: svaren ur filerna för alla förbund "
            "(kolumnen Förbund).")
    lines += [read, "",
              *respondent_table(dist, catalog), "", pack_accounting(pack)]
    skipped = imported.skipped_invalid
    if skipped:
        lines.append("Ogiltiga värden räknade som ej besvarade (--skip-invalid): "
                     f"{len(skipped)}, se ogiltiga_varden.csv.")
    if pack.rates is not None and not pack.rates.empty:
        lines += ["", "Svarsfrekvens (svarsfrekvens.csv):", *rate_lines(pack.rates, catalog)]
        if pack.side is not None:  # the aggregate: the förbund's published rates, summed
            lines += sum_lines(pack.rates, dist.groups, catalog)
    if pack.goals is not None and not pack.goals.empty:
        lines += ["", "Mål (mal.csv):", *goal_lines(pack.goals, catalog)]
    if not dist.gender.empty:
        lines += ["", "Kön (kon.csv):", *gender_lines(pack, catalog)]
    hidden = hidden_groups(dist, catalog)
    if hidden:
        lines += ["", "Visas inte (för få svar; skyddar svarandes anonymitet):", *hidden]
    if questions := hidden_questions(dist, catalog):
        lines += ["", "Frågor som inte visas i en visad grupp (för få svar på just den frågan; "
                  "ett diagram där ingen fråga kan visas ritas inte):", *questions]
    ignored = ignored_columns(imported.reports)
    if ignored:
        lines += ["", "Kolumner som inte lästes:", *ignored]
    warnings = [p for p in imported.problems if p.severity != "error" and p.code != "invalid-value"]
    warnings += list(pack.notes)
    if warnings:
        lines += ["", "Varningar (var och vad; `indikator validate` visar detaljerna, som inte "
                  "skrivs i paketet):", *problem_lines(warnings, published=True)]
    if pack.withheld:
        lines += ["", PRIVATE_PROBLEMS]
    new = any(p.code == "compare-missing-forbund" for p in imported.problems)
    lines += ["", *(change_lines(pack.changes, catalog) if not new or pack.changes is not None
                    else ["Ingen jämförelse med föregående år: förbundet finns inte i det "
                          "tidigare paketet (--compare)."])]
    kinds = Counter(f.rsplit(".", 1)[-1].upper() for f in pack.files if f.startswith("diagram/"))
    formats = " och ".join(sorted(kinds))
    from indikator.report.contents import DOCUMENTS, SUMMARY_FILE, TABLES

    # the pack's model, in its order: what was written of it
    written = set(pack.files) | {SUMMARY_FILE}
    documents = [name for name, _ in DOCUMENTS if name in written]
    tables = [t.file for t in TABLES if t.file in written]
    lines += ["", f"Skrev paketet till {pack.out}/:", "  " + ", ".join(documents),
              "  " + ", ".join(tables)]
    if kinds:
        lines.append(f"  {pack.charts} diagram"
                     + (f" och {pack.comparison_charts} jämförelsediagram"
                        if pack.comparison_charts else "")
                     + (f" och {pack.trend_charts} trenddiagram" if pack.trend_charts else "")
                     + f" ({formats}) i diagram/")
    titled = [name for name in documents if name.endswith((".pdf", ".docx", ".html"))]
    if titled and not pack.forbund:
        lines += ["", "Titelsidan säger bara \"Samordningsförbundet\": ange förbundets namn "
                  "med --forbund, t.ex. --forbund \"Samordningsförbundet Norra\"."]
    return printable("\n".join(lines) + "\n")


def validate_json(imported: ImportResult) -> str:
    """`validate --json`: every sheet's counts and every problem with code and position."""
    import json
    from dataclasses import asdict

    sheets = []
    for r in imported.reports:
        sheet = {k: v for k, v in asdict(r).items() if k != "columns"}
        sheet["columns"] = [{"column": c.letter, "header": c.header, "role": c.role,
                             "question": c.question, "coding": c.coding or None}
                            for c in r.columns]
        sheet["accounted"] = r.accounted
        sheets.append(sheet)
    problems = [p.as_dict() for p in imported.problems]
    document = {"sheets": sheets, "problems": problems,
                "errors": sum(p["severity"] == "error" for p in problems),
                "warnings": sum(p["severity"] != "error" for p in problems)}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def validate_report(imported: ImportResult, catalog: Catalog) -> str:
    """What `indikator validate` prints: per sheet what was found, then every problem."""
    lines: list[str] = []
    for r in imported.reports:
        lines.append(r.label)
        if r.survey is None:
            lines.append(f"  {r.note or 'lästes inte (se problemen nedan)'}")
            lines.append("")
            continue
        years = ", ".join(map(str, r.years)) or "?"
        first, last = r.header_rows
        rows = f"rubrikrad: {last}" if first == last else f"rubrikrader: {first}–{last}"
        layout = "" if r.layout == "wide" else "; en rad per svar"
        version = f"version {r.version}, " if r.version else ""
        source = f" (från {r.year_source})" if r.year_source else ""
        lines.append(f"  Enkät: {survey_name(catalog, r.survey)} ({version}"
                     f"från {r.survey_source}); år: {years}{source}; {rows}{layout}")
        for c in r.columns:
            role = (f"fråga {c.question} ({HOW_NAMES[c.how]})" if c.role == "question"
                    else ROLE_NAMES[c.role])
            if c.coding:
                role += f", ja/nej kodat {c.coding}"
            lines.append(f"    {c.letter:>3} {c.header[:60]!r:<64} → {role}")
        extra = "".join(
            f", {n} {what}" for n, what in ((r.rows_incomplete, "ofullständiga"),
                                            (r.rows_duplicate, "dubbletter"),
                                            (r.rows_error, "med fel"),
                                            (r.rows_unread, "i blad som inte lästes")) if n)
        lines.append(f"  Rader: {r.rows_read} ({r.respondents} svarande, {r.rows_empty} tomma"
                     f"{extra}); svar: {r.answers}; tomma svarsceller: {r.blanks}; "
                     f"vet ej o.d.: {r.no_answer}; ogiltiga: {r.invalid}")
        lines.append("")
    lines.append(row_accounting(imported))
    errors = [p for p in imported.problems if p.severity == "error"]
    warnings = [p for p in imported.problems if p.severity == "warning"]
    if imported.problems:
        lines += ["", "Problem:", *problem_lines(imported.problems)]
    lines += ["", f"{len(errors)} fel, {count(len(warnings), 'varning', 'varningar')}."
              + (" Filerna kan packas." if not errors else "")]
    return printable("\n".join(lines) + "\n")


def many_summary(packs: dict, out) -> str:
    """What a --per-forbund run wrote: a line per förbund and the aggregate."""
    lines = [f"Packade {len(packs) - 1} förbund i {out}/:"]
    for name, pack in packs.items():
        shown = pack.distributions.groups
        surveys = shown[(shown["group"] == ALL) & shown["shown"]]
        lines.append(f"  {pack.out.name}/  {name}: "
                     f"{count(len(surveys), 'enkät och år', 'enkäter och år')}, "
                     f"{len(pack.figures)} diagram")
    lines.append("Varje förbunds paket har sin sammanfattning.txt; alla/ har förbunden sida "
                 "vid sida (forbund.csv) och varje förbund jämförs med alla (referens.csv).")
    return printable("\n".join(lines) + "\n")
