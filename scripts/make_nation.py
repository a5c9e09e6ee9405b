"""A made-up county or nation of förbund, for the many-förbund tests and the benchmark.

    python scripts/make_nation.py OUT [--forbund 40] [--years 2024 2025] [--seed 2025]

Writes OUT/<förbund>/<survey>_<year>.csv, one folder per förbund, in the layout the
example uses (semicolon CSV, label texts, År, Verksamhet, Kön). Förbund differ a lot
in size (a lognormal number of insatser and of participants, 3–150 per insats), and
some miss a survey or a year, as real ones do. The same seed gives the same files.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import numpy as np

from indikator.questionnaires import load_catalog

TOWNS = ["Norra", "Södra", "Östra", "Västra", "Mellersta", "Inre", "Yttre", "Övre", "Nedre",
         "Stora", "Lilla", "Gamla"]
PLACES = ["Dalbygd", "Kustland", "Skogsbygd", "Slätten", "Fjällen", "Sjöriket", "Älvdalen",
          "Bergslagen", "Mälarbygd", "Åsen", "Heden", "Vikarna"]
INSATSER = ["Coachingteam", "Mottagningsteam", "IRMA", "Lots", "Steg för steg", "Arbetsträning",
            "Ung framtid", "Hälsoteam", "Samverkansteam", "Språkspår"]
SURVEYS = ("deltagare_pagaende", "deltagare_avslut", "personal", "beredningsgrupp", "styrelse")


def names(count: int, rng: np.random.Generator) -> list[str]:
    pairs = [(t, p) for t in TOWNS for p in PLACES]
    picked = rng.choice(len(pairs), size=count, replace=False)
    return sorted(f"Samordningsförbundet {pairs[i][0]} {pairs[i][1]}" for i in picked)


def answer(scale_size: int, lean: float, rng: np.random.Generator) -> int:
    """A code 1..scale_size leaning towards the top by `lean` (0 = uniform)."""
    weights = np.exp(lean * np.arange(scale_size))
    return int(rng.choice(scale_size, p=weights / weights.sum())) + 1


def write(path: Path, questionnaire, rows: list[list]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    header = ["Svars-ID", "År", "Verksamhet", "Kön", *(q.text for q in questionnaire.questions)]
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f, delimiter=";")
        writer.writerow(header)
        writer.writerows(rows)


def make(out: Path, count: int, years: list[int], seed: int) -> list[str]:
    rng = np.random.default_rng(seed)
    catalog = load_catalog()
    made = names(count, rng)
    genders = ["Kvinna", "Man", "Uppges ej", None]
    for f_index, forbund in enumerate(made):
        size = rng.lognormal(0.0, 0.8)  # how big this förbund is
        insatser = list(rng.choice(INSATSER, size=int(np.clip(round(1 + 2 * size), 1, 8)),
                                   replace=False))
        lean = rng.normal(0.25, 0.12)
        for year in years:
            if rng.random() < 0.08 and year != years[-1]:
                continue  # a year without surveys
            for survey in SURVEYS:
                if rng.random() < 0.1:
                    continue  # this survey not run this year
                q = catalog.get(survey, year)
                rows = []
                groups = insatser if survey in ("deltagare_pagaende", "deltagare_avslut",
                                                "personal") else [None]
                for insats in groups:
                    if survey == "personal":
                        people = int(rng.integers(3, 16))
                    elif insats is None:
                        people = int(rng.integers(4, 16))
                    else:
                        people = int(np.clip(rng.lognormal(np.log(12 * size), 0.7), 3, 150))
                    for _ in range(people):
                        codes = []
                        for question in q.questions:
                            k = len(question.scale.categories)
                            if rng.random() < 0.04:
                                codes.append("")
                                continue
                            code = answer(k, lean if k > 2 else 0.0, rng)
                            if k == 2:  # ja/nej: Ja (1) mostly
                                code = 1 if rng.random() < 0.85 else 2
                            codes.append(question.scale.label(code))
                        rid = f"F{f_index:02d}-{len(rows) + 1:04d}"
                        rows.append([rid, year, insats or "",
                                     genders[int(rng.integers(0, 4))] or "", *codes])
                write(out / forbund / f"{survey}_{year}.csv", q, rows)
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--forbund", type=int, default=40)
    parser.add_argument("--years", type=int, nargs="+", default=[2024, 2025])
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()
    made = make(args.out, args.forbund, args.years, args.seed)
    print(f"{len(made)} förbund i {args.out}")


if __name__ == "__main__":
    main()
