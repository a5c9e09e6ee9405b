"""Every file a pack reads beside the answers, checked without building a pack.

`validate` calls check_side_files with what `pack` would be given; it calls the same
readers as pack (goals.read_goals, previous.read_previous_packs and read_previous,
response_rates.read_rate_sheets, read_rate_file and response_rates), so the two refuse
exactly the same side files with the same problems. Nothing here draws or writes, and
nothing imports scipy or matplotlib.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .errors import IndikatorError, Location, Problem
from .importing import ImportResult
from .questionnaires import Catalog
from .stats import DEFAULT_MIN_N


def check_side_files(files: Sequence[Path], imported: ImportResult, catalog: Catalog, *,
                     goals: Path | None = None, compare: Sequence[Path] = (),
                     reference: Path | None = None, rates: Path | None = None,
                     min_n: int = DEFAULT_MIN_N) -> list[Problem]:
    """The problems (and notes of what was found) of the side files of a run on `files`.

    goals: --mal (default: mal.toml beside the files, as pack finds it).
    compare: --compare files; reference: --reference; rates: --svarsfrekvens.
    imported: the answers' import (its Svarsfrekvens sheets and its years are used).
    Errors here are the ones that stop `pack` (with the same messages); append them to
    imported.problems.
    """
    from .goals import find_goals_file, read_goals
    from .previous import read_previous, read_previous_packs, run_years
    from .response_rates import read_rate_file, read_rate_sheets, response_rates
    from .stats import group_sizes

    problems: list[Problem] = []

    def collect(read, *args, **kwargs):
        try:
            return read(*args, **kwargs)
        except IndikatorError as exc:
            problems.extend(exc.problems or [Problem("unreadable-file", exc.message,
                                                     Location(str(args[0])))])
            return None

    goal_file = goals if goals is not None else find_goals_file(list(files))
    if goal_file is not None:
        found = collect(read_goals, goal_file, catalog)
        if found is not None:
            problems.append(Problem("goals-found", f"Målfil med {len(found)} mål.",
                                    Location(str(goal_file)), severity="info"))
    years = run_years(imported.respondents)
    if compare:
        collect(read_previous_packs, list(compare), catalog, years)
    if reference is not None:
        collect(read_previous, reference, catalog, years, reference=True)
    rows = []
    for sheet in imported.side_sheets:
        found = collect(read_rate_sheets, [sheet], catalog)
        if found is not None:
            rows += found
            problems.append(Problem(
                "response-rates-found", f"Svarsfrekvens: {len(found)} rader med tillfrågade "
                "och tackat nej.", sheet.location(), severity="info"))
    if rates is not None:
        found = collect(read_rate_file, rates, catalog)
        rows += found or []
    if rows and not imported.respondents.empty:
        groups = group_sizes(imported.respondents, min_n, set(imported.answers["respondent"]))
        problems += response_rates(rows, groups)[1]
    return problems
