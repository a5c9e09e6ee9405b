"""sammanfattning.md: a short paragraph per survey, in plain Swedish, to paste into the report.

Every figure is taken from a table of the pack (distributions, changes, svarsfrekvens,
mål), rounded as those tables are read, and the words never claim more than the
tables do: a change without a verdict is "ingen säker förändring", a goal met within
the uncertainty says so.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from indikator.analysis.compare import IMPROVED, REAL_CHANGES, WORSENED
from indikator.analysis.stats import positive_count
from indikator.input.goals import COMPARISONS
from indikator.numbers import figure, figures, interval, whole
from indikator.questionnaires import Catalog
from indikator.text import and_list
from indikator.words import ALL, NOT_MEASURED, TOO_FEW

# why a number is not published, true whether the group is small or hidden to protect
# a smaller one
HIDDEN_WHY = "gruppen eller frågan visas inte, för att skydda svarandes anonymitet"


def survey_paragraph(survey: str, pack, catalog: Catalog,
                     quote: Callable[[str], str] = str) -> list[str]:
    """The heading, a blank line and the paragraph of one survey. `quote`: how a text a user
    typed (a survey's or a goal's name) is written (escaping.markdown for sammanfattning.md;
    the documents quote theirs when they are written)."""
    dist = pack.distributions
    groups = dist.groups[(dist.groups["survey"] == survey) & (dist.groups["group"] == ALL)]
    year = int(groups["year"].max())
    name = quote(catalog.get(survey, year).name)
    lines = [f"## {name} {year}", ""]
    alla = groups[groups["year"] == year].iloc[0]
    if not bool(alla["shown"]):
        return [*lines, f"{name} {year} hade för få svar för att resultaten ska redovisas.", ""]
    people = int(alla["respondents"])
    sentences = [f"{people} {'person' if people == 1 else 'personer'} besvarade enkäten."]
    if pack.rates is not None:
        rate = pack.rates[(pack.rates["survey"] == survey) & (pack.rates["year"] == year)
                          & (pack.rates["group"] == ALL)]
        if not rate.empty:
            r = rate.iloc[0]
            answers, asked = int(r["answers"]), int(r["asked"])
            # one sentence when the rate's answers are the persons counted here
            said = sentences.pop()
            text = (f"{answers} av {asked} tillfrågade besvarade enkäten" if answers == people
                    else f"{said} Svarsfrekvensen räknas på {answers} svar av {asked} "
                    "tillfrågade")
            text += f", en svarsfrekvens på {whole(r['response_rate'])} %"
            if not pd.isna(r["declined"]):
                declined = int(r["declined"])
                text += f"; {declined if declined else 'ingen'} tackade nej"
            sentences.append(text + ".")
        sentences += group_rates_sentence(pack.rates, survey, year)
    table = dist.table[(dist.table["survey"] == survey) & (dist.table["year"] == year)
                       & (dist.table["group"] == ALL)]
    questionnaire = catalog.get(survey, year)
    # not a mask per question
    by_question = dict(list(table.groupby("question", sort=False, observed=True)))
    for block in questionnaire.blocks():
        shares = {q.number: 100 * positive_count(rows, catalog) / int(rows["n"].iloc[0])
                  for q in block if (rows := by_question.get(q.number)) is not None
                  and not rows.empty and rows["n"].iloc[0] > 0}
        sentence = block_sentence([q.number for q in block], shares,
                                  block[0].scale.id == "ja_nej")
        if sentence:
            sentences.append(sentence)
    sentences += change_sentences(survey, pack)
    sentences += goal_sentences(survey, pack, quote)
    return [*lines, " ".join(sentences), ""]


def block_sentence(numbers: list[int], shares: dict[int, float], yes_no: bool) -> str:
    """One sentence for a block of questions: its one share, both of two, or the highest
    and the lowest of more (or that they are all equal, as printed). Ja/nej questions
    are said as 'ja'."""
    if not shares:
        return ""
    what = "andelen ja-svar" if yes_no else "andelen positiva svar"
    if len(shares) == 1:
        (number, value), = shares.items()
        return (f"På fråga {number} svarade {whole(value)} % ja." if yes_no else
                f"På fråga {number} var {what} {whole(value)} %.")
    if len(shares) == 2:
        (a, share_a), (b, share_b) = sorted(shares.items())
        if yes_no:
            return (f"På fråga {a} svarade {whole(share_a)} % ja, och på fråga {b} "
                    f"{whole(share_b)} % ja.")
        return (f"På fråga {a} var {what} {whole(share_a)} %, och på fråga {b} var den "
                f"{whole(share_b)} %.")
    span = f"{numbers[0]}–{numbers[-1]}"
    printed = {q: whole(v) for q, v in shares.items()}
    if len(set(printed.values())) == 1:
        return (f"På frågorna {span} var {what} {next(iter(printed.values()))} % på var och en "
                "av dem.")
    high = max(printed, key=lambda q: (printed[q], -q))
    low = min(printed, key=lambda q: (printed[q], q))
    return (f"På frågorna {span} var {what} högst på fråga {high} ({printed[high]} %) och "
            f"lägst på fråga {low} ({printed[low]} %).")


def group_rates_sentence(rates: pd.DataFrame, survey: str, year: int) -> list[str]:
    """'Per insats svarade 27 av 39 i Coachingteam (69 %) och 6 av 9 i Lots (67 %).'; the
    rate rows of the groups beside Alla (a hidden group has none)."""
    from indikator.text import short_name

    mine = rates[(rates["survey"] == survey) & (rates["year"] == year)
                 & (rates["group"] != ALL)].dropna(subset=["response_rate"])
    if mine.empty:
        return []
    items = [f"{int(r.answers)} av {int(r.asked)} i {short_name(r.group)} "
             f"({whole(r.response_rate)} %)" for r in mine.itertuples(index=False)]
    listed = and_list(items)
    return [f"Per insats svarade {listed}."]


def change_sentences(survey: str, pack) -> list[str]:
    if pack.changes is None:
        return []
    mine = pack.changes[(pack.changes["survey"] == survey) & (pack.changes["group"] == ALL)]
    compared = mine[mine["change_pp"].notna()]
    if compared.empty:
        return []
    previous = int(compared["previous_year"].iloc[0])
    out = []
    real = compared[compared["verdict"].isin(REAL_CHANGES)]
    for verdict, word, one, many in ((IMPROVED, "ökade", "en säker förbättring",
                                      "säkra förbättringar"),
                                     (WORSENED, "minskade", "en säker försämring",
                                      "säkra försämringar")):
        rows = real[real["verdict"] == verdict]
        if rows.empty:
            continue
        items = [f"fråga {r.question} ({whole(r.previous_share_positive)} % → "
                 f"{whole(r.share_positive)} %, felmarginal "
                 f"{interval(r.ci_low_pp, r.ci_high_pp)} p.e.)"
                 for r in rows.itertuples(index=False)]
        listed = and_list(items)
        kind = many if len(items) > 1 else one
        out.append(f"Jämfört med {previous} {word} andelen positiva svar på {listed}: {kind}.")
    rest = len(compared) - len(real)
    if rest:
        prefix = "På övriga frågor" if len(real) else f"Jämfört med {previous}"
        out.append(f"{prefix} finns ingen säker förändring.")
    out.append(detectable_sentence(compared))
    if getattr(pack, "side", None) is not None:  # the aggregate of many förbund
        out += members_changed(survey, pack, previous)
    return out


def members_changed(survey: str, pack, previous: int) -> list[str]:
    """alla/ compares all förbund shown each year: when they are not the same förbund, a
    board must know that part of a change may be who is counted."""
    groups = pack.distributions.groups
    shown = groups[(groups["survey"] == survey) & groups["shown"] & (groups["group"] != ALL)]
    year = int(shown["year"].max()) if not shown.empty else None
    now = set(shown.loc[shown["year"] == year, "group"])
    then = set(shown.loc[shown["year"] == previous, "group"])
    if year is None or now == then or not then:
        return []
    return [f"Jämförelsen gäller de förbund som visas respektive år: {len(now)} förbund i "
            f"år, {len(then)} år {previous}, och {len(now & then)} av dem båda åren; en del "
            "av skillnaden kan bero på vilka förbund som ingår."]


def detectable_sentence(compared: pd.DataFrame) -> str:
    """What the survey's answers can show: the detectable change of its typical question.

    The typical question is the median of the compared questions (group Alla) by
    `detectable_change_pp` — the lower median, so it is a real row of changes.csv and
    the sentence's two n and its change are that row's; a question where not even a
    change to 100 % is detected counts as the largest. Never the minimum over the
    questions: that would flatter the survey.
    """
    order = compared.sort_values(["detectable_change_pp", "question"], na_position="last")
    row = order.iloc[(len(order) - 1) // 2]
    n, previous_n = int(row["n"]), int(row["previous_n"])
    answers = f"{n} svar båda åren" if n == previous_n else f"{n} och {previous_n} svar"
    if pd.isna(row["detectable_change_pp"]):
        return (f"Med {answers} är chansen under 80 % att upptäcka ens en förändring från "
                "50 % till 100 %; bara mycket stora förändringar syns, och andra kan finnas "
                "utan att synas.")
    return (f"Med {answers} upptäcks en förändring från 50 % (det svåraste utgångsläget) "
            "med 80 % sannolikhet först när den är omkring "
            f"{whole(row['detectable_change_pp'])} procentenheter; mindre förändringar kan "
            "finnas utan att synas.")


def goal_sentences(survey: str, pack, quote: Callable[[str], str] = str) -> list[str]:
    if pack.goals is None:
        return []
    out = []
    for row in pack.goals[pack.goals["survey"] == survey].itertuples(index=False):
        from indikator.report.summary import goal_target

        if pd.isna(row.value):
            why = (HIDDEN_WHY if row.verdict == TOO_FEW else
                   "enkäten, gruppen eller frågan finns inte bland årets svar")
            out.append(f"Målet \u201d{quote(row.name)}\u201d kunde inte mätas: {why}.")
            continue
        if row.verdict in (TOO_FEW, NOT_MEASURED):  # measured, but last year is not there
            value = figure(row.value, row.measure, row.value)
            why = ("fjolårets värde visas inte, för att skydda svarandes anonymitet"
                   if row.verdict == TOO_FEW else "det finns inga svar från i fjol")
            out.append(f"Målet \u201d{quote(row.name)}\u201d ({value} i år) kan inte bedömas "
                       f"mot förra året: {why}.")
            continue
        value = figure(row.value, row.measure, goal_target(row))
        target = row.target
        if pd.isna(row.target_value) and not pd.isna(row.previous_value):
            value, last = figures(row.value, row.previous_value, row.measure)
            target = f"{COMPARISONS[row.comparison]} fjolårets {last}"
        last = ""
        if not pd.isna(row.target_value) and not pd.isna(row.previous_value):
            last = f"; i fjol {figures(row.value, row.previous_value, row.measure)[1]}"
        out.append(f"Målet \u201d{quote(row.name)}\u201d är {row.verdict} ({value}, mål "
                   f"{quote(target)}{last}).")
    return out


def report_text(pack, catalog: Catalog) -> str:
    """The whole sammanfattning.md; every text a user typed is escaped for Markdown."""
    from indikator.escaping import markdown

    lines = ["# Indikatorerna i korthet", ""]
    if pack.marker:
        lines += [f"*{pack.marker}.*", ""]
    surveys = [s for s in catalog.ids if s in set(pack.distributions.groups["survey"])]
    for survey in surveys:
        lines += survey_paragraph(survey, pack, catalog, markdown)
    lines.append("Andel positiva svar = de tre översta svarsalternativen (Ja på ja/nej-frågor). "
                 "\u201dVet ej\u201d o.d. räknas inte. En säker förändring är en där hela "
                 "felmarginalen för förändringen ligger över eller under noll; felmarginalen "
                 "är bredare när flera frågor jämförs på en gång (se Så läses siffrorna i "
                 "bilagan).")
    return "\n".join(lines) + "\n"
