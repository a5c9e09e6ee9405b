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

from indikator.errors import EXIT_INPUT, IndikatorError
from indikator.input.files import Inputs
from indikator.input.files import read_inputs as _read_inputs
from indikator.options import PackOptions
from indikator.output.pack import Pack
from indikator.output.pack import write_pack as _write_pack
from indikator.questionnaires import Catalog, load_catalog
from indikator.report.model import Figure, Report
from indikator.report.model import build_report as _build_report


def read_inputs(paths: Sequence[Path | str] | Path | str, options: PackOptions | None = None,
                catalog: Catalog | None = None) -> Inputs:
    """The export files (or folders) and every file a pack reads beside them (mal.toml, a
    Svarsfrekvens sheet, --compare, --reference as set in `options`), read and checked;
    an IndikatorError says in Swedish what is wrong and where."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    _expect(options, PackOptions, "options", "indikator.PackOptions(...)", none=True)
    _expect(catalog, Catalog, "catalog", "indikator.load_catalog()", none=True)
    if paths is None or not all(isinstance(p, (str, Path)) for p in paths):
        raise IndikatorError("Ange exportfilerna eller mappen som en sökväg eller en lista av "
                             f"sökvägar (fick {paths!r}).", exit_code=EXIT_INPUT)
    inputs = _read_inputs([Path(p) for p in paths], catalog or load_catalog(),
                          options or PackOptions())
    return _widened(inputs)


def _widened(inputs: Inputs) -> Inputs:
    """The imported tables with the column types the API documents (texts, int64,
    Int64): the import keeps texts as categories and numbers narrow, to save memory."""
    from dataclasses import replace

    from indikator.importing.model import documented

    imported = inputs.imported
    return replace(inputs, imported=replace(
        imported, answers=documented(imported.answers),
        respondents=documented(imported.respondents),
        no_answers=documented(imported.no_answers)))


def draw(figure: Figure):
    """One chart of the report as a drawing (charts.drawing.Drawing): shown inline in a
    notebook, saved with `.save("diagram.png")` or `.save("diagram.svg")`."""
    _expect(figure, Figure, "figure", "ett av report.figures")
    return figure.build(figure.spec)


def build_report(inputs: Inputs) -> Report:
    """Every publishable number of the inputs, and the charts' specs (report.model)."""
    _expect(inputs, Inputs, "inputs", "indikator.read_inputs(...)")
    return _build_report(inputs)


def _expect(value, kind: type, name: str, made_by: str, none: bool = False) -> None:
    """A notebook's wrong argument as a Swedish message, not an AttributeError later."""
    if not isinstance(value, kind) and not (none and value is None):
        raise IndikatorError(f"{name} ska vara {kind.__name__}, från {made_by} (fick "
                             f"{type(value).__name__}).", exit_code=EXIT_INPUT)


def write_pack(report: Report, out: Path | str,
               progress: Callable[[int, int], None] | None = None) -> Pack:
    """Write the whole pack into `out`, summary included, as `indikator pack` does; on an
    error nothing in `out` changes."""
    _expect(report, Report, "report", "indikator.build_report(...)")
    from indikator.report.summary import pack_summary

    return _write_pack(report, Path(out), progress,
                       summary=lambda p: pack_summary(p, report.catalog))


__all__ = ["Figure", "Inputs", "Pack", "PackOptions", "Report", "build_report", "draw",
           "load_catalog", "read_inputs", "write_pack"]
