"""The public API, for a notebook or a script: the same functions the CLI uses.

    inputs = read_inputs(["svar"])        # answers and side files, read and checked
    report = build_report(inputs)          # every publishable number, as DataFrames
    figure = draw(report.figures[0])       # one chart as a matplotlib Figure
    pack = write_pack(report, "paket")     # the whole pack, as `indikator pack` writes it

A Report holds only what may be published: its tables have passed the min-n rule, so
nothing here can leave it out by forgetting an argument.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from indikator.input.files import Inputs
from indikator.input.files import read_inputs as _read_inputs
from indikator.options import PackOptions
from indikator.output.pack import Pack
from indikator.output.pack import write_pack as _write_pack
from indikator.questionnaires import Catalog, load_catalog
from indikator.report.model import Figure, Report, build_report


def read_inputs(paths: Sequence[Path | str] | Path | str, options: PackOptions | None = None,
                catalog: Catalog | None = None) -> Inputs:
    """The export files (or folders) and every file a pack reads beside them (mal.toml, a
    Svarsfrekvens sheet, --compare, --reference as set in `options`), read and checked;
    an IndikatorError says in Swedish what is wrong and where."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    return _read_inputs([Path(p) for p in paths], catalog or load_catalog(),
                        options or PackOptions())


def draw(figure: Figure):
    """One chart of the report as a matplotlib Figure, to show inline or adjust."""
    return figure.build(figure.spec)


def write_pack(report: Report, out: Path | str,
               progress: Callable[[int, int], None] | None = None) -> Pack:
    """Write the whole pack into `out`, summary included, as `indikator pack` does; on an
    error nothing in `out` changes."""
    from indikator.report.summary import pack_summary

    return _write_pack(report, Path(out), progress,
                       summary=lambda p: pack_summary(p, report.catalog))


__all__ = ["Figure", "Inputs", "Pack", "PackOptions", "Report", "build_report", "draw",
           "load_catalog", "read_inputs", "write_pack"]
