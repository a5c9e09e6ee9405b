"""An earlier pack's distributions.csv, read back for --compare and checked.

Analysts often keep last year's tables but not the raw answers; the counts in
distributions.csv are enough for every statistic of the comparison, provided
the file is what indikator wrote. Anything else is refused with the reason.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .errors import EXIT_INPUT, IndikatorError, Location, Problem
from .questionnaires import Catalog
from .stats import DISTRIBUTION_COLUMNS


def read_previous(path: Path, catalog: Catalog) -> pd.DataFrame:
    """Read an earlier pack's distributions.csv for --compare, checked for consistency."""
    path = Path(path)
    where = Location(str(path))
    try:
        table = pd.read_csv(path, encoding="utf-8")
    except FileNotFoundError:
        raise IndikatorError(f"Kan inte läsa {path}: filen finns inte.",
                             exit_code=EXIT_INPUT) from None
    except (OSError, UnicodeDecodeError, pd.errors.ParserError,
            pd.errors.EmptyDataError) as exc:
        raise IndikatorError(f"Kan inte läsa {path} som distributions.csv ({exc}).",
                             exit_code=EXIT_INPUT) from None
    if list(table.columns) != DISTRIBUTION_COLUMNS:
        raise IndikatorError(
            f"{path} har inte kolumnerna i en distributions.csv från indikator "
            f"({', '.join(DISTRIBUTION_COLUMNS)}).", exit_code=EXIT_INPUT)
    problems = []
    for column in ("year", "question", "code", "count", "n"):
        values = pd.to_numeric(table[column], errors="coerce")
        bad = table.index[values.isna() | (values != values.round())]
        for i in bad[:20]:
            problems.append(Problem("bad-previous-value", "Ett heltal väntas.",
                                    Location(where.file, None, int(i) + 2, column),
                                    value=str(table.loc[i, column])))
    if problems:
        raise IndikatorError(f"{path} innehåller värden som inte går att läsa.", problems,
                             exit_code=EXIT_INPUT)
    for column in ("year", "question", "code", "count", "n"):
        table[column] = table[column].astype(int)
    sums = table.groupby(["survey", "year", "group", "question"]).agg(
        count=("count", "sum"), n=("n", "first"))
    wrong = sums[sums["count"] != sums["n"]]
    if not wrong.empty:
        (survey, year, group, question) = wrong.index[0]
        raise IndikatorError(
            f"{path}: antalen för {survey} {year} {group} fråga {question} summerar inte till "
            "n; filen verkar ändrad för hand.", exit_code=EXIT_INPUT)
    unknown = sorted(set(table["scale"]) - set(catalog.all_scales()))
    if unknown:
        raise IndikatorError(f"{path}: okända skalor {', '.join(unknown)}.", exit_code=EXIT_INPUT)
    return table
