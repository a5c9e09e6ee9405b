"""One `pack` run, as the command line and the web page (indikator app) both make it:
the run's fingerprint checked against the pack already there, the destination checked
before the import, then the pack built with its summary. One implementation, two doors."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, replace
from pathlib import Path


@dataclass(frozen=True)
class RunResult:
    summary: str  # sammanfattning.txt as printed after a run
    unchanged: bool  # the pack already there was built from exactly this run


def pack_run(paths: Sequence[Path], out: Path, options, questionnaires: list[Path] | None = None,
             progress: Callable[[], AbstractContextManager] | None = None,
             say: Callable[[str], None] = lambda text: None) -> RunResult:
    """Build one förbund's pack in `out` (nothing in `out` changes on an error).

    progress: a context manager factory yielding the (done, total) callback of the drawing;
    say: one line of what happens, for a person waiting."""
    from indikator.output.cache import run_fingerprint, unchanged

    key = run_fingerprint(list(paths), options, out, questionnaires)
    if (before := unchanged(Path(out), key)) is not None:
        say(f"Inget har ändrats sedan paketet i {out}/ byggdes (samma filer, val och "
            "version); det är redan aktuellt.")
        return RunResult(before, True)
    options = replace(options, fingerprint=key)
    from indikator.output.folder import check_destination
    from indikator.questionnaires import load_catalog

    catalog = load_catalog(questionnaires or [])
    check_destination(Path(out).absolute())  # before the import, not after it
    from indikator.reading import expand_paths

    count = len(expand_paths([p for p in paths if Path(p).exists()])[0]) or len(paths)
    say(f"Läser {count} {'fil' if count == 1 else 'filer'} …")
    from indikator.output.pack import build_pack
    from indikator.report.summary import pack_summary

    with (progress or nullcontext)() as update:
        result = build_pack(paths, out, catalog, options, progress=update,
                            summary=lambda p: pack_summary(p, catalog))
    return RunResult(result.summary, False)
