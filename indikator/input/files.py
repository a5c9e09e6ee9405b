"""Everything a run reads, in one place, so that `validate` and `pack` refuse the same
files with the same messages.

    answers (import_files) → the files beside them: the board's goals (mal.toml or --mal),
    response rates (a Svarsfrekvens sheet or --svarsfrekvens), earlier packs (--compare)
    and a reference (--reference)

`pack` stops at the first file that cannot be used; `validate` collects every one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from indikator.errors import (
    EXIT_DATA,
    EXIT_INPUT,
    NOT_WRITTEN,
    IndikatorError,
    Location,
    Problem,
)
from indikator.importing import ImportResult, import_files
from indikator.importing.model import joined
from indikator.questionnaires import Catalog
from indikator.text import forbund_key, shown_name


@dataclass
class Side:
    """The files beside the answers, read and checked."""

    goal_file: Path | None = None
    goals: list = field(default_factory=list)
    rate_rows: list = field(default_factory=list)
    previous: list[pd.DataFrame] = field(default_factory=list)  # --compare, each checked
    previous_groups: list[pd.DataFrame] = field(default_factory=list)  # their grupper.csv
    reference: object | None = None  # a forbund.Reference, with --reference


@dataclass(frozen=True)
class Inputs:
    """What a pack is built from: the answers and every file beside them, read and checked,
    with the options they were read with (the förbund's name and the example's marker
    filled in) and the questionnaires."""

    imported: ImportResult
    side: Side
    options: object  # options.PackOptions
    catalog: Catalog


def read_inputs(paths: Sequence[Path], catalog: Catalog, options) -> Inputs:
    """The answers and every side file a pack reads, stopping at the first that cannot be
    used (`validate` reads the same through check_run, collecting every one)."""
    options = mark_example(paths, options)
    imported = read_answers(paths, catalog, options)
    named = one_forbund(imported)
    if named and not options.forbund:
        options = replace(options, forbund=named)
    return Inputs(imported, read_side(paths, imported, catalog, options), options, catalog)


def mark_example(paths: Sequence[Path], options):
    """The bundled example's pack says on every page that its data are made up."""
    from indikator.input.example import MARKER, is_example

    if not options.marker and is_example(paths):
        options = replace(options, marker=MARKER)
    return options


def split_goal_file(paths: Sequence[Path], goals: Path | None) -> tuple[list[Path],
                                                                          Path | None]:
    """A mal.toml given among the export files is the goals file: (exports, goals file)."""
    given = [Path(p) for p in paths if Path(p).suffix.lower() == ".toml"]
    exports = [Path(p) for p in paths if Path(p).suffix.lower() != ".toml"]
    if len(given) > 1 or (given and goals is not None):
        raise IndikatorError("Ange en målfil (mal.toml), inte flera.", exit_code=EXIT_INPUT)
    return exports, goals if goals is not None else (given[0] if given else None)


def stop_on_errors(imported: ImportResult) -> None:
    """Problems in the answers stop a run, every one listed."""
    if imported.errors:
        invalid = sum(1 for p in imported.errors if p.code == "invalid-value")
        hint = (" Rätta värdena, eller kör med --skip-invalid för att räkna dem som ej besvarade."
                if invalid else "")
        raise IndikatorError(
            f"Filerna har {len(imported.errors)} fel{NOT_WRITTEN}{hint}",
            imported.problems, exit_code=EXIT_DATA)


def one_forbund(imported: ImportResult) -> str | None:
    """The förbund a Förbund column names, if any (its commonest spelling, as shown); two
    or more need --per-forbund."""
    counts = imported.respondents["forbund"].dropna().value_counts()
    spellings: dict[str, list[str]] = {}
    for name in sorted(counts.index, key=lambda n: (-counts[n], n)):
        spellings.setdefault(forbund_key(name), []).append(name)
    named = sorted(shown_name(names[0]) for names in spellings.values())
    if len(named) > 1:
        raise IndikatorError(
            f"Filerna har svar från {len(named)} förbund i kolumnen Förbund ("
            + ", ".join(named[:3]) + (" …" if len(named) > 3 else "") + "). Kör med "
            "--per-forbund för ett paket per förbund och ett för alla.", exit_code=EXIT_INPUT)
    return named[0] if named else None


def read_answers(paths: Sequence[Path], catalog: Catalog, options) -> ImportResult:
    """The answers, stopping on any error in them (as `pack` does)."""
    imported = import_files(paths, catalog, options.importing)
    stop_on_errors(imported)
    return imported


def attempted(step, where, failures: list[IndikatorError] | None):
    """step(), or None with its refusal in `failures` (validate collects; pack, without
    a list, stops at the first)."""
    try:
        return step()
    except IndikatorError as exc:
        if failures is None:
            raise
        exc.where = str(where) if where is not None else ""
        failures.append(exc)
        return None


def read_side(paths: Sequence[Path], imported: ImportResult, catalog: Catalog, options,
              failures: list[IndikatorError] | None = None, strict: bool = False) -> Side:
    """Read and check every file beside the answers that the run would use.

    options: pack.PackOptions (goals, response_rates, compare, reference, min_n, by…).
    failures: collect each file that cannot be used there instead of raising (validate).
    strict: goals or rate rows naming another förbund are an error, not left out (a
        förbund's own folder in a --per-forbund run: which förbund's are they?).
    """
    from indikator.input.goal_sheets import is_goal_sheet, read_goal_sheets

    side = Side()

    def attempt(step, where) -> None:
        attempted(step, where, failures)

    def goals() -> None:
        from indikator.input.goals import find_goals_file, read_goals

        side.goal_file = (options.goals if options.goals is not None
                          else find_goals_file(list(paths)))
        if side.goal_file is not None:
            side.goals = read_goals(side.goal_file, catalog)

    goal_sheets = [s for s in imported.side_sheets if is_goal_sheet(s)]

    def sheet_goals() -> None:  # a sheet named Mål in an input workbook
        side.goals = [*side.goals, *read_goal_sheets(goal_sheets, catalog)]

    def rates() -> None:
        from indikator.input.response_rates import (
            is_rate_sheet,
            read_rate_file,
            read_rate_sheets,
        )

        rows = read_rate_sheets([s for s in imported.side_sheets if is_rate_sheet(s)],
                                catalog)
        if options.response_rates is not None:
            rows += read_rate_file(options.response_rates, catalog)
        side.rate_rows = rows

    def previous() -> None:
        side.previous, side.previous_groups = read_compared(options.compare, imported, catalog)

    def reference() -> None:
        from indikator.input.previous import run_years

        side.reference = read_reference(options, catalog, run_years(imported.respondents))

    def own() -> None:
        side.goals = own_items(side.goals, "mål", options.forbund, imported,
                               side.goal_file or "mal.toml", strict)
        side.rate_rows = own_items(side.rate_rows, "rader i svarsfrekvensen", options.forbund,
                                   imported, options.response_rates or "Svarsfrekvens", strict)

    attempt(goals, options.goals or "mal.toml")
    if goal_sheets:
        attempt(sheet_goals, goal_sheets[0].label)
    attempt(rates, options.response_rates or "Svarsfrekvens")
    attempt(own, side.goal_file or options.response_rates or "Svarsfrekvens")
    attempt(previous, "--compare")
    attempt(reference, options.reference)
    return side


def own_items(items: list, what: str, forbund: str, imported: ImportResult, where,
              strict: bool = False) -> list:
    """Goals or rate rows that name a förbund (one file for many) are this pack's only when
    they name its förbund; the others are left out, with a note (strict: refused). Without
    a förbund name the pack cannot tell whose they are."""
    keyed = [x for x in items if x.forbund is not None]
    if not keyed:
        return items
    if not forbund:
        raise IndikatorError(
            f"{where!s}: {what} anger förbund ({shown_name(keyed[0].forbund)!r} …), men "
            "paketet har inget förbundsnamn. Ange --forbund, eller kör med --per-forbund.",
            exit_code=EXIT_INPUT)
    mine = [x for x in items if x.forbund is None or forbund_key(x.forbund) == forbund_key(
        forbund)]
    if len(mine) < len(items) and strict:
        other = next(x for x in items if x not in mine)
        raise IndikatorError(
            f"{where!s}: {what} för förbundet {shown_name(other.forbund)!r} ligger i "
            f"förbundet {forbund}s mapp. Lägg dem i det förbundets mapp, eller i en fil "
            "bredvid förbundsmapparna.", exit_code=EXIT_INPUT)
    if len(mine) < len(items):
        imported.problems.append(Problem(
            "side-file-other-forbund", f"{len(items) - len(mine)} {what} gäller andra förbund "
            "och används inte i det här paketet.", Location(str(where)), severity="info"))
    return mine


def compare_paths(compare) -> list[Path]:
    if compare is None:
        return []
    return [Path(compare)] if isinstance(compare, str | Path) else [Path(p) for p in compare]


def read_compared(compare, imported: ImportResult, catalog: Catalog
                  ) -> tuple[list[pd.DataFrame], list[pd.DataFrame]]:
    """--compare: earlier packs' distributions.csv (and the grupper.csv beside each), for
    years before the answers' own only (previous.read_previous_packs says why)."""
    from indikator.input.previous import read_previous_packs, run_years

    packs = read_previous_packs(compare_paths(compare), catalog,
                                run_years(imported.respondents))
    return [p.table for p in packs], [p.groups for p in packs if p.groups is not None]


def read_reference(options, catalog: Catalog, years=None):
    """--reference: the Alla rows of another pack's distributions.csv (the nation, the
    county), an independent sample beside this förbund's.

    years: the run's years per survey (previous.run_years); the reference must share a
        year with the run for each survey both have.
    """
    if options.reference is None:
        return None
    from indikator.input.previous import Reference, read_previous
    from indikator.words import ALL

    table = read_previous(options.reference, catalog, years, reference=True).table
    return Reference(options.reference_name, table[table["group"] == ALL].reset_index(
        drop=True))


def as_problems(failures: list[IndikatorError]) -> list[Problem]:
    """The files that cannot be used, as problems for validate's list."""
    problems = []
    for exc in failures:  # as pack says it (cli._fail): the reason, then each other place
        where = "" if not exc.where or exc.where in exc.message else exc.where
        message = exc.message.replace(NOT_WRITTEN, ".")  # validate writes nothing anyway
        problems.append(Problem("side-file", message, Location(where)))
        problems += [p for p in exc.problems if str(p) not in exc.message]
    return problems


def check_run(paths: Sequence[Path], catalog: Catalog, options, per_forbund: bool = False
              ) -> tuple[ImportResult, list[IndikatorError]]:
    """What `validate` reports: every file `pack` would read with these options, read
    the same way, and every file that `pack` would refuse (the answers' own problems are
    in the import's list; the other refusals in the second, in the order pack meets them).
    """
    failures: list[IndikatorError] = []
    if per_forbund:
        from indikator.input.members import read_members

        members = read_members(paths, catalog, options, failures, check=True)
        imported = members.everyone()
        for member in members.members:
            _note_found(member.side, imported, member.name)
            _check_rates(member.side, member.imported, options, failures, imported.problems)
        return imported, failures
    imported = import_files(paths, catalog, options.importing)
    if imported.errors:
        return imported, failures
    try:
        named = one_forbund(imported)
    except IndikatorError as exc:
        failures.append(exc)
        return imported, failures
    if named and not options.forbund:
        options = replace(options, forbund=named)
    side = read_side(paths, imported, catalog, options, failures)
    _note_found(side, imported)
    if not failures:
        _check_rates(side, imported, options, failures, imported.problems)
    return imported, failures


def validation(paths: Sequence[Path], catalog: Catalog, options, per_forbund: bool = False
               ) -> tuple[ImportResult, int]:
    """`validate`'s whole answer, for the command and the web page alike: the import with
    every refusal among its problems, and the exit code (1 for errors in the answers,
    else the first refused file's, else 0)."""
    imported, failures = check_run(paths, catalog, options, per_forbund)
    code = 1 if imported.errors else (failures[0].exit_code if failures else 0)
    imported.problems.extend(as_problems(failures))
    return imported, code


def _check_rates(side: Side, imported: ImportResult, options,
                 failures: list[IndikatorError], problems: list[Problem]) -> None:
    """The response rates against the answers, as pack checks them (response_rates)."""
    if not side.rate_rows or imported.errors:
        return
    from indikator.analysis.stats import group_sizes
    from indikator.input.response_rates import checked_rates

    groups = group_sizes(imported.respondents, options.min_n,
                         set(imported.answers["respondent"]))
    try:
        problems.extend(checked_rates(side.rate_rows, groups)[1])
    except IndikatorError as exc:
        failures.append(exc)


def _note_found(side: Side, imported: ImportResult, whose: str = "") -> None:
    """What was found beside the answers, as notes in validate's list (whose: the
    förbund's, in a --per-forbund run, where one file may give goals to many)."""
    of = f" för {whose}" if whose else ""
    if side.goal_file is not None and side.goals:
        imported.problems.append(Problem(
            "goals-found", f"Målfil med {len(side.goals)} mål{of}.",
            Location(str(side.goal_file)), severity="info"))
    if side.rate_rows:
        count = len(side.rate_rows)
        imported.problems.append(Problem(
            "response-rates-found", f"Svarsfrekvens{of}: "
            f"{'1 rad' if count == 1 else f'{count} rader'} med tillfrågade och tackat nej.",
            side.rate_rows[0].location, severity="info"))


def merged(results: list[ImportResult]) -> ImportResult:
    """Every förbund's import as one, for the aggregate's row accounting and notes."""
    return ImportResult(
        joined([r.answers for r in results]),
        pd.concat([r.respondents for r in results], ignore_index=True),
        joined([r.no_answers for r in results]),
        [s for r in results for s in r.reports], [p for r in results for p in r.problems],
        [s for r in results for s in r.side_sheets])
