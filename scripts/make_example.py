"""Make the bundled example in responses/: a fictional förbund's exports for three years.

    python scripts/make_example.py

Fixed seed, so the files are the same on every run. The mix is what a förbund
hands in: 2024 as one workbook with a sheet per survey (headers "Fråga N. text",
answers as codes), 2025 as one CSV per survey from a web tool (headers with the
question text only, answers as label texts, Swedish Excel's semicolons, a
response-id and a comment column that are ignored), small insatser that fall
under the minimum n, blanks, and avslut questions 9-10 answered only after Ja
on question 8. 2023 is an older workbook like 2024 (made from a stream of its own,
so that adding it changed nothing of 2024 and 2025). Beside them: the response
rates of 2025 as a Svarsfrekvens sheet, and the board's goals in mal.toml. Every
answer is made up.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
from openpyxl import Workbook

from indikator.questionnaires import Questionnaire, load_catalog

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "responses"
SEED = 20251123

# respondents per insats and year; None = the survey has no Insats column
SIZES = {
    "deltagare_pagaende": {"Coachingteam": (24, 27), "Mottagningsteam": (15, 13),
                           "IRMA": (9, 11), "Lots": (3, 6)},
    "deltagare_avslut": {"Coachingteam": (19, 21), "Mottagningsteam": (11, 12), "IRMA": (4, 7)},
    "personal": {"Mottagningsteam": (9, 9), "Coachingteam": (5, 6), "IRMA": (4, 3)},
    "beredningsgrupp": {None: (8, 7)},
    "styrelse": {None: (11, 12)},
}
# how positive each insats answers (latent mean), per year: Coachingteam improves
LEVEL = {"Coachingteam": (0.2, 0.9), "Mottagningsteam": (0.5, 0.4), "IRMA": (0.0, 0.2),
         "Lots": (0.6, 0.3), None: (0.1, 0.3)}
YEARS = (2024, 2025)
# 2023: an older, smaller round of the same surveys, a little less positive
SIZES_2023 = {
    "deltagare_pagaende": {"Coachingteam": 20, "Mottagningsteam": 14, "IRMA": 8, "Lots": 4},
    "deltagare_avslut": {"Coachingteam": 16, "Mottagningsteam": 10, "IRMA": 5},
    "personal": {"Mottagningsteam": 8, "Coachingteam": 6, "IRMA": 3},
    "beredningsgrupp": {None: 8},
    "styrelse": {None: 10},
}
LEVEL_2023 = {"Coachingteam": 0.1, "Mottagningsteam": 0.4, "IRMA": 0.0, "Lots": 0.5,
              None: 0.0}
# asked and declined in 2025, as the förbund counted them: (survey, insats, asked, declined)
RATES_2025 = [("Deltagare pågående", "", 90, 12), ("Deltagare pågående", "Coachingteam", 39, 8),
              ("Deltagare pågående", "Mottagningsteam", 20, 3), ("Deltagare avslut", "", 55, 5),
              ("Personal", "", 25, None), ("Beredningsgrupp", "", 8, 0), ("Styrelse", "", 14, 1)]
GOALS = """\
# Styrelsens mål för insatserna, följda upp med indikatorenkäterna (påhittade).
#
# Varje [[goal]] är ett mål:
#   name      – målet med förbundets egna ord (visas i paketet)
#   survey    – enkäten (se `indikator questionnaires`)
#   questions – frågorna; flera frågor slås ihop (alla deras svar räknas)
#   group     – "Alla" (standard) eller en insats
#   measure   – "share_positive" (andel positiva svar), "share" (andel av svaren i
#               answers = [...]) eller "mean" (medelvärde på skalan 1–6)
#   ett av at_least, more_than, at_most, less_than (procent, eller medelvärde),
#   eller not_below_previous = true (inte lägre än förra året)

[[goal]]
name = "Deltagarna upplever att stödet varit till nytta"
survey = "deltagare_avslut"
questions = [1, 2]
measure = "share_positive"
at_least = 75

[[goal]]
name = "Deltagarna har utvecklat sätt att hantera sin situation"
survey = "deltagare_pagaende"
questions = [5]
at_least = 70

[[goal]]
name = "Medelvärde minst 3,0 på avslutsenkäten"
survey = "deltagare_avslut"
questions = [5, 6, 7]
measure = "mean"
at_least = 3.0

[[goal]]
name = "Förebyggande insatser har utvecklats"
survey = "beredningsgrupp"
questions = [4]
at_least = 90

[[goal]]
name = "Personalen upplever att andra myndigheter lyssnar"
survey = "personal"
questions = [3]
at_least = 70

[[goal]]
name = "Styrelsens strukturer inte sämre än i fjol"
survey = "styrelse"
questions = [1, 2, 3]
not_below_previous = true
"""
BLANK_RATE = 0.04
NO_OPINION_RATE = 0.03  # "Vet ej" in the 2025 web export


def answers(q: Questionnaire, insats: str | None, year_index: int, n: int,
            rng: np.random.Generator) -> list[dict[int, int | None]]:
    """n respondents' codes (None = blank) for questionnaire q."""
    rows = []
    for _ in range(n):
        person = rng.normal(LEVEL[insats][year_index], 0.8)
        row: dict[int, int | None] = {}
        for question in q.questions:
            if question.asked_if and row.get(question.asked_if.question) not in (
                question.asked_if.codes
            ):
                row[question.number] = None
                continue
            if rng.random() < BLANK_RATE:
                row[question.number] = None
                continue
            latent = person + rng.normal(0, 0.6)
            if question.scale.id == "ja_nej":
                row[question.number] = 1 if latent > -0.9 else 2
            else:
                row[question.number] = int(np.digitize(latent, [-1.6, -0.9, -0.2, 0.5, 1.3])) + 1
        rows.append(row)
    return rows


def genders(n: int, rng: np.random.Generator) -> list[int | None]:
    return [int(rng.choice([1, 2, 3], p=[0.6, 0.35, 0.05])) if rng.random() > 0.05 else None
            for _ in range(n)]


def main() -> None:
    catalog = load_catalog()
    rng = np.random.default_rng(SEED)
    OUT.mkdir(exist_ok=True)
    book = Workbook()
    book.remove(book.active)
    for survey, groups in SIZES.items():
        q = catalog.get(survey, 2024)
        for y, year in enumerate(YEARS):
            records = []
            for insats, sizes in groups.items():
                rows = answers(q, insats, y, sizes[y], rng)
                for row, gender in zip(rows, genders(len(rows), rng), strict=True):
                    records.append((insats, gender, row))
            order = rng.permutation(len(records))
            records = [records[i] for i in order]
            if survey == "deltagare_pagaende":
                # someone who opened the survey and answered nothing: a row skipped as empty
                records.insert(len(records) // 2, ("Coachingteam", None, {}))
            if year == 2024:
                write_sheet(book, q, year, records)
            else:
                write_csv(q, year, records, rng)
    book.save(OUT / "indikatorer_2024.xlsx")
    write_2023(catalog)
    write_rates()
    (OUT / "mal.toml").write_text(GOALS, encoding="utf-8")


def write_2023(catalog) -> None:
    """The older round, from a random stream of its own."""
    rng = np.random.default_rng(SEED + 2023)
    book = Workbook()
    book.remove(book.active)
    for survey, groups in SIZES_2023.items():
        q = catalog.get(survey, 2023)
        records = []
        for insats, n in groups.items():
            saved = LEVEL[insats]
            LEVEL[insats] = (LEVEL_2023[insats], saved[1])
            rows = answers(q, insats, 0, n, rng)
            LEVEL[insats] = saved
            records += [(insats, g, row) for row, g in zip(rows, genders(n, rng), strict=True)]
        write_sheet(book, q, 2023, [records[i] for i in rng.permutation(len(records))])
    book.save(OUT / "indikatorer_2023.xlsx")


def write_rates() -> None:
    """2025's asked and declined, as a förbund keeps them: a sheet named Svarsfrekvens."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Svarsfrekvens"
    sheet.append(["Enkät", "År", "Insats", "Tillfrågade", "Tackat nej"])
    for survey, insats, asked, declined in RATES_2025:
        sheet.append([survey, 2025, insats or None, asked, declined])
    book.save(OUT / "svarsfrekvens_2025.xlsx")


def write_sheet(book: Workbook, q: Questionnaire, year: int, records: list) -> None:
    """2024: codes, headers 'Fråga N. text', År and Insats columns."""
    sheet = book.create_sheet(q.name.replace(",", ""))
    has_insats = records[0][0] is not None
    header = ["År"] + (["Insats"] if has_insats else []) + ["Kön"]
    header += [f"Fråga {x.number}. {x.text}" for x in q.questions]
    sheet.append(header)
    for insats, gender, row in records:
        sheet.append([year] + ([insats] if has_insats else []) + [gender]
                     + [row.get(x.number) for x in q.questions])


def write_csv(q: Questionnaire, year: int, records: list, rng: np.random.Generator) -> None:
    """2025: a web tool's export: labels, question text only, "Vet ej" offered on the
    omfattning questions, a response id, a start time and a comment that are not read."""
    has_insats = records[0][0] is not None
    header = ["Svars-ID", "Startdatum", "År"] + (["Verksamhet"] if has_insats else []) + ["Kön"]
    header += [x.text for x in q.questions] + ["Övriga synpunkter"]
    gender_labels = {1: "Kvinna", 2: "Man", 3: "Vill inte svara"}
    comments = ["", "", "", "Bra bemötande.", "Vill ha fler träffar.", ""]
    path = OUT / f"{q.id}_{year}.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f, delimiter=";")
        writer.writerow(header)
        for i, (insats, gender, row) in enumerate(records, start=1):
            values = [
                "" if row.get(x.number) is None else x.scale.label(row[x.number])
                for x in q.questions
            ]
            for j, x in enumerate(q.questions):
                if x.scale.id == "omfattning" and values[j] and rng.random() < NO_OPINION_RATE:
                    values[j] = "Vet ej"
            started = f"2025-{3 + i % 8:02d}-{1 + i % 27:02d} {8 + i % 9:02d}:{i * 7 % 60:02d}"
            writer.writerow(
                [f"R{1000 + i}", started, year] + ([insats] if has_insats else [])
                + [gender_labels.get(gender, "")] + values
                + [comments[int(rng.integers(len(comments)))]]
            )


if __name__ == "__main__":
    main()
