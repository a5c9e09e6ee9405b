"""Packing many förbund in one run: OUT/<förbund>/ for each, and OUT/alla/ for all of them.

    folders (one per förbund) → import and tally each → aggregate of what each publishes
    → each förbund's pack with the aggregate (or --reference) beside it → the aggregate's
    pack with the förbund side by side; all switched in as one folder, or nothing.

The förbund and their aggregate are packed in worker processes, a pack to a process.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from indikator.analysis.forbund import aggregate
from indikator.analysis.tally import tally
from indikator.input.files import mark_example, read_reference
from indikator.input.members import AGGREGATE_FOLDER, AGGREGATE_NAME, Members, folder_names
from indikator.input.previous import Reference, run_years
from indikator.input.response_rates import forbund_rates
from indikator.options import PackOptions
from indikator.output.folder import staged
from indikator.output.pack import Pack, summarised, write_pack
from indikator.output.processes import frozen_heap, in_workers, ordered_map, travels
from indikator.questionnaires import Catalog
from indikator.report.model import (
    hidden_rows,
    make_report,
    own_rates,
    private_places,
    tallied_groups,
)
from indikator.report.summary import many_accounting
from indikator.words import ALL

if TYPE_CHECKING:
    import pandas as pd

    from indikator.report.model import Report


def build_many(members: Members, out: Path, catalog: Catalog,
               options: PackOptions | None = None, sort: str = "namn",
               progress: Callable[[int, int], None] | None = None,
               summary: Callable[[Pack], str] | None = None) -> dict[str, Pack]:
    """Pack each förbund and their aggregate into `out` in one switch; on error, nothing.

    members: members.read_members's förbund, each with its answers and side files.
    Each förbund is set beside --reference when given, else beside the aggregate.
    """
    options = options or PackOptions()
    member_options = {}
    for member in members.members:
        own = replace(options, forbund=member.name, per_forbund=False)
        member_options[member.name] = mark_example(member.folders, own) if member.folders \
            else own
    # each förbund's distributions, and what the aggregate sums of its own report (worked
    # out as make_report works it out, so that the aggregate is packed beside the förbund
    # instead of after them, with cores idle; checked against their packs below)
    tallied = ordered_map(_member_figures, [(m.imported, m.side, catalog,
                                             member_options[m.name]) for m in members.members],
                          options.jobs)
    dists, private, rates = {}, {}, {}
    for member, (dist, places, own_rate, _) in zip(members.members, tallied, strict=True):
        dists[member.name], private[member.name], rates[member.name] = dist, places, own_rate
    total = aggregate(dists, options.min_n)
    own = read_reference(options, catalog, run_years(total.groups)) or Reference(
        AGGREGATE_NAME, total.table[total.table["group"] == ALL], includes_self=True)
    slugs = folder_names([m.name for m in members.members])
    # the aggregate publishes sums of what the förbund publish: its rates those of their
    # svarsfrekvens.csv, its row counts those of the förbund that print theirs
    accounting = many_accounting([(m.name, m.imported, dists[m.name])
                                  for m in members.members], total, members.whole)
    rows = frozenset().union(*(rows for *_, rows in tallied))
    everyone = replace(options, forbund=AGGREGATE_NAME, goals=None, per_forbund=False)
    packs: dict[str, Pack] = {}
    with staged(Path(out)) as stage:
        jobs = [(_member_pack, (member.imported, catalog, member_options[member.name],
                                member.side, own, dists[member.name],
                                Path(out) / slugs[member.name], stage / slugs[member.name]))
                for member in members.members]
        jobs.append((_aggregate_pack, (
            members.everyone(), catalog, everyone, members.aggregate_side, total, sort,
            forbund_rates(rates, total.groups), accounting,
            frozenset().union(*private.values()), rows, Path(out) / AGGREGATE_FOLDER,
            stage / AGGREGATE_FOLDER)))
        names = [m.name for m in members.members]
        folders = [stage / slugs[name] for name in names] + [stage / AGGREGATE_FOLDER]

        def finish(i: int, pack: Pack) -> Pack:
            """A pack as it comes back (while the others are still packed): checked against
            what the aggregate summed of it, and its sammanfattning.txt written."""
            if i < len(names) and (pack.private != private[names[i]]
                                   or not _same(pack.rates, rates[names[i]])):
                raise RuntimeError(f"the aggregate summed other figures of {names[i]} "
                                   "than its pack publishes")
            return summarised(pack, folders[i], summary)

        done = _packs(jobs, options.jobs, progress, finish)
        packs.update(zip([*names, AGGREGATE_NAME], done, strict=True))
    return packs


def _member_figures(job) -> tuple:
    """A förbund's distributions, hidden places, response rates and hidden row counts (in
    a worker process when there are cores for it)."""
    imported, side, catalog, options = job
    dist = tally(imported, catalog, options)
    rows = hidden_rows(tallied_groups(imported.respondents, catalog, options), dist.groups)
    return dist, private_places(imported, dist), own_rates(side, dist)[0], rows


def _same(a: pd.DataFrame | None, b: pd.DataFrame | None) -> bool:
    """Two rate tables are the same (both none, or equal cell by cell)."""
    return (a is None and b is None) or (a is not None and b is not None and a.equals(b))


@travels
def _member_pack(job) -> Pack:
    """One förbund's report and pack (in a worker process when there are cores for it)."""
    imported, catalog, options, side, reference, dist, out, into = job
    return _reported_and_packed(partial(make_report, imported, catalog, options, side,
                                        reference=reference, dist=dist), out, into)


@travels
def _aggregate_pack(job) -> Pack:
    """The aggregate's report and pack: Alla's charts, and the förbund side by side."""
    (imported, catalog, options, side, dist, sort, rates, accounting, private, rows, out,
     into) = job
    return _reported_and_packed(partial(
        make_report, imported, catalog, options, side, dist=dist, side_sort=sort,
        rates=rates, accounting=accounting, private=private, rows=rows), out, into)


def _reported_and_packed(report: Callable[[], Report], out: Path, into: Path) -> Pack:
    """report() written as a pack, with what a worker holds frozen out of garbage
    collection: the report lives to the end, so its charts and documents need not walk
    it again and again."""
    with frozen_heap() as freeze:
        made = report()
        freeze()
        return write_pack(made, out, into=into)


def _pack(job) -> Pack:
    """A job of _packs: a förbund's pack or the aggregate's."""
    make, args = job
    return make(args)


def _packs(jobs: list, workers: int, progress: Callable[[int, int], None] | None,
           finish: Callable[[int, Pack], Pack]) -> list[Pack]:
    """Each pack, in the order of `jobs` (the förbund, then the aggregate): a pack to a
    process, each drawing its own charts, so that one pack's documents (written one after
    another) overlap another's charts and no core waits; the largest first (the
    aggregate, then the förbund by their answers), so that no large one is left to
    finish alone at the end. Cores left over when there are fewer packs than cores draw
    the aggregate's charts. In this process when there is one core. `finish(i, pack)`
    runs here on each pack (job i) as it comes back, so no summary is left for the end."""
    budget = workers or os.cpu_count() or 1
    workers = min(budget, len(jobs))
    steps = len(jobs)
    if workers <= 1:
        done = []
        for i, job in enumerate(jobs):
            done.append(finish(i, _pack(job)))
            if progress is not None:
                progress(i + 1, steps)
        return done
    spare = budget - workers
    one_each = [(make, (*args[:2], replace(args[2], jobs=1 + spare * (make is _aggregate_pack)),
                        *args[3:]))  # args[2]: the pack's options, with its chart processes
                for make, args in jobs]
    aggregate = len(jobs) - 1
    largest_first = [aggregate, *sorted(range(aggregate),
                                        key=lambda i: -len(jobs[i][1][0].respondents))]
    return in_workers(_pack, one_each, workers,
                      progress and (lambda count: progress(count, steps)),
                      order=largest_first, each=finish)
