"""Packing many förbund in one run: OUT/<förbund>/ for each, and OUT/alla/ for all of them.

    folders (one per förbund) → import and tally each → aggregate of what each publishes
    → each förbund's pack with the aggregate (or --reference) beside it → the aggregate's
    pack with the förbund side by side; all switched in as one folder, or nothing.

The förbund are packed in worker processes while this one packs the aggregate.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from indikator.analysis.forbund import aggregate
from indikator.analysis.tally import tally
from indikator.input.files import mark_example, read_reference
from indikator.input.members import AGGREGATE_FOLDER, AGGREGATE_NAME, Members, folder_names
from indikator.input.previous import Reference, run_years
from indikator.input.response_rates import forbund_rates
from indikator.options import PackOptions
from indikator.output.files import write_text
from indikator.output.folder import staged
from indikator.output.pack import SUMMARY_FILE, Pack, write_pack
from indikator.output.processes import in_workers, travels
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


def build_many(members: Members, out: Path, catalog: Catalog,
               options: PackOptions | None = None, sort: str = "namn",
               progress: Callable[[int, int], None] | None = None,
               summary: Callable[[Pack], str] | None = None) -> dict[str, Pack]:
    """Pack each förbund and their aggregate into `out` in one switch; on error, nothing.

    members: members.read_members's förbund, each with its answers and side files.
    Each förbund is set beside --reference when given, else beside the aggregate.
    """
    options = options or PackOptions()
    member_options, dists = {}, {}
    for member in members.members:
        own = replace(options, forbund=member.name, per_forbund=False)
        member_options[member.name] = mark_example(member.folders, own) if member.folders \
            else own
        dists[member.name] = tally(member.imported, catalog, member_options[member.name])
    total = aggregate(dists, options.min_n)
    own = read_reference(options, catalog, run_years(total.groups)) or Reference(
        AGGREGATE_NAME, total.table[total.table["group"] == ALL], includes_self=True)
    slugs = folder_names([m.name for m in members.members])
    # what the aggregate sums of each förbund's own report, worked out here as
    # make_report works it out, so that the aggregate is packed while the förbund are
    # (instead of after them, with one core idle); checked against their packs below
    private = {m.name: private_places(m.imported, dists[m.name]) for m in members.members}
    rates = {m.name: own_rates(m.side, dists[m.name])[0] for m in members.members}
    packs: dict[str, Pack] = {}
    steps = len(members.members) + 1
    with staged(Path(out)) as stage:
        jobs = [(member.imported, catalog, member_options[member.name], member.side, own,
                 dists[member.name], Path(out) / slugs[member.name], stage / slugs[member.name])
                for member in members.members]
        aggregate_pack: list[Pack] = []

        def pack_aggregate() -> None:
            """The aggregate's report and pack, in this process (its charts too, when the
            förbund have the workers)."""
            # the aggregate publishes sums of what the förbund publish: its rates those of
            # their svarsfrekvens.csv, its row counts those of the förbund that print theirs
            accounting = many_accounting([(m.name, m.imported, dists[m.name])
                                          for m in members.members], total, members.whole)
            everyone = replace(options, forbund=AGGREGATE_NAME, goals=None,
                               per_forbund=False, jobs=1 if len(jobs) > 1 else options.jobs)
            report = make_report(
                members.everyone(), catalog, everyone, members.aggregate_side, dist=total,
                side_sort=sort, rates=forbund_rates(rates, total.groups),
                accounting=accounting, private=frozenset().union(*private.values()),
                rows=frozenset().union(*(
                    hidden_rows(tallied_groups(m.imported.respondents, catalog,
                                               member_options[m.name]), dists[m.name].groups)
                    for m in members.members)))
            aggregate_pack.append(write_pack(report, Path(out) / AGGREGATE_FOLDER,
                                             summary=summary, into=stage / AGGREGATE_FOLDER))

        for member, pack in zip(members.members,
                                _member_packs(jobs, options.jobs, progress, steps,
                                              pack_aggregate), strict=True):
            if pack.private != private[member.name] or not _same(pack.rates,
                                                                 rates[member.name]):
                raise RuntimeError(f"the aggregate summed other figures of {member.name} "
                                   "than its pack publishes")
            if summary is not None:  # here, not in the worker: any callable will do
                pack.summary = summary(pack)
                write_text(pack.summary, stage / slugs[member.name] / SUMMARY_FILE)
                pack.files.append(SUMMARY_FILE)
            packs[member.name] = pack
        packs[AGGREGATE_NAME] = aggregate_pack[0]
        if progress is not None:
            progress(steps, steps)
    return packs


def _same(a: pd.DataFrame | None, b: pd.DataFrame | None) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and a.equals(b))


@travels
def _member_pack(job) -> Pack:
    """One förbund's report and pack (in a worker process when there are cores for it)."""
    imported, catalog, options, side, reference, dist, out, into = job
    report = make_report(imported, catalog, options, side, reference=reference, dist=dist)
    return write_pack(report, out, into=into)


def _member_packs(jobs: list, workers: int,
                  progress: Callable[[int, int], None] | None, steps: int,
                  meanwhile: Callable[[], None]) -> list[Pack]:
    """Each förbund's pack, in the order of `jobs`: a förbund to a process, each drawing
    its own charts, so that one förbund's documents (written one after another) overlap
    another's charts and no core waits; the largest first, so that no large förbund is
    left to finish alone at the end. `meanwhile` runs in this process while they are
    packed. In this process when there is one core or one förbund (then `meanwhile`
    after them)."""
    workers = min(workers or os.cpu_count() or 1, len(jobs))
    if workers <= 1:
        done = []
        for i, job in enumerate(jobs, start=1):
            done.append(_member_pack(job))
            if progress is not None:
                progress(i, steps)
        meanwhile()
        return done
    one_each = [(*job[:2], replace(job[2], jobs=1), *job[3:]) for job in jobs]
    largest_first = sorted(range(len(jobs)), key=lambda i: -len(jobs[i][0].respondents))
    return in_workers(_member_pack, one_each, workers,
                      progress and (lambda count: progress(count, steps)), meanwhile,
                      order=largest_first)
