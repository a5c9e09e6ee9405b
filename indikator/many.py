"""Packing many förbund in one run: OUT/<förbund>/ for each, and OUT/alla/ for all of them.

    folders (one per förbund) → import and tally each → aggregate of what each publishes
    → each förbund's pack with the aggregate (or --reference) beside it → the aggregate's
    pack with the förbund side by side; all switched in as one folder, or nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from .errors import EXIT_DATA, IndikatorError
from .forbund import AGGREGATE_FOLDER, AGGREGATE_NAME, Reference, aggregate
from .importing import ImportResult
from .inputs import member_folders as member_folders
from .inputs import merged, read_answers, read_reference, read_side
from .pack import Pack, PackOptions, mark_example, pack_imported, tally
from .packfolder import staged
from .previous import run_years
from .questionnaires import Catalog
from .stats import ALL
from .text import unique_slugs


def split_by_column(imported: ImportResult) -> dict[str, ImportResult]:
    """One import holding many förbund in a Förbund column, split into one per förbund.

    Every respondent must name its förbund; the first that does not is pointed to (file,
    sheet, row), never shown. The row accounting stays with the whole import (the
    aggregate's summary): a file's empty rows belong to no förbund.
    """
    people = imported.respondents
    missing = people[people["forbund"].isna()]
    if not missing.empty:
        first = missing.iloc[0]
        where = f"{first['file']}{', blad ' + repr(first['sheet']) if first['sheet'] else ''}"
        raise IndikatorError(
            f"{len(missing)} svarande saknar förbund i kolumnen Förbund (första: {where}, rad "
            f"{first['row']}); fyll i förbundet på varje rad.", exit_code=EXIT_DATA)
    parts = {}
    for name in sorted(people["forbund"].unique(), key=str.casefold):
        ids = set(people.loc[people["forbund"] == name, "respondent"])
        parts[name] = ImportResult(
            imported.answers[imported.answers["respondent"].isin(ids)].reset_index(drop=True),
            people[people["forbund"] == name].reset_index(drop=True),
            imported.no_answers[imported.no_answers["respondent"].isin(ids)].reset_index(
                drop=True), [], [])
    return parts


def folder_names(names: list[str]) -> dict[str, str]:
    """Safe folder names on every system, unique, never the aggregate's 'alla'."""
    # keys no folder can be named (NUL), so that a förbund called "alla" gets its own
    reserved = {"\0" + AGGREGATE_FOLDER: AGGREGATE_FOLDER}
    reserved.update({"\0" + n: f"{n}-forbund" for n in WINDOWS_NAMES})  # CON fails on Windows
    slugs = unique_slugs(names, reserved=reserved)
    return {name: slugs[name] if slugs[name] not in WINDOWS_NAMES else f"{slugs[name]}-forbund"
            for name in names}


WINDOWS_NAMES = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
                 *(f"lpt{i}" for i in range(10))}


def build_many(members: list[tuple[str, list[Path]]], out: Path, catalog: Catalog,
               options: PackOptions | None = None, sort: str = "namn",
               progress: Callable[[int, int], None] | None = None,
               summary: Callable[[Pack], str] | None = None,
               whole: ImportResult | None = None) -> dict[str, Pack]:
    """Pack each förbund and their aggregate into `out` in one switch; on error, nothing.

    members: (name, paths) of each förbund's own files; or, with `whole` (one import
    whose Förbund column names each respondent's förbund), ignored.
    Each förbund is set beside --reference when given, else beside the aggregate.
    """
    split = split_by_column(whole) if whole is not None else None
    options = options or PackOptions()
    imported, dists, sides, member_options = {}, {}, {}, {}
    if split is not None:  # one import, a Förbund column
        for name, part in split.items():
            member_options[name] = replace(options, forbund=name)
            imported[name], sides[name] = part, None
    else:
        for name, paths in members:
            # each förbund's own mal.toml and rate sheets; --reference is read once, below
            own_options = mark_example(paths, replace(options, forbund=name))
            member_options[name] = own_options
            imported[name] = read_answers(paths, catalog, own_options)
            sides[name] = read_side(paths, imported[name], catalog,
                                    replace(own_options, reference=None))
    for name in imported:
        dists[name] = tally(imported[name], catalog, member_options[name])
    total = aggregate(dists, options.min_n)
    own = read_reference(options, catalog, run_years(total.groups)) or Reference(
        AGGREGATE_NAME, total.table[total.table["group"] == ALL], includes_self=True)
    slugs = folder_names(list(imported))
    packs: dict[str, Pack] = {}
    steps = len(imported) + 1
    with staged(Path(out)) as stage:
        for i, name in enumerate(imported, start=1):
            packs[name] = pack_imported(
                imported[name], Path(out) / slugs[name], catalog, member_options[name],
                sides[name].goals if sides[name] else (), summary=summary, dist=dists[name],
                reference=own, into=stage / slugs[name], side=sides[name])
            if progress is not None:
                progress(i, steps)
        everyone = whole if whole is not None else merged(list(imported.values()))
        packs[AGGREGATE_NAME] = pack_imported(
            everyone, Path(out) / AGGREGATE_FOLDER, catalog,
            replace(options, forbund=AGGREGATE_NAME, goals=None), (), summary=summary,
            dist=total, side_sort=sort, into=stage / AGGREGATE_FOLDER)
        if progress is not None:
            progress(steps, steps)
    return packs
