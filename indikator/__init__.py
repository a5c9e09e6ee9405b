"""indikator: NNS indicator surveys of a samordningsförbund, from export files to report charts.

The data flows one way: questionnaires → reading → importing → stats → report →
renderers → cli. The public API (indikator.api, importable from here):

    import indikator
    report = indikator.build_report(indikator.read_inputs("svar"))
    report.distributions.table, report.changes     # DataFrames
    indikator.draw(report.figures[0])              # a matplotlib Figure
    indikator.write_pack(report, "paket")
"""

from importlib.metadata import PackageNotFoundError, version

# the name on the package index: "indikator" there is an unrelated finance library;
# the import package and the command stay `indikator`
DISTRIBUTION = "indikator-finsam"

try:
    __version__ = version(DISTRIBUTION)
except PackageNotFoundError:  # run from a source tree that is not installed
    __version__ = "0+okänd"

__all__ = ["Figure", "Inputs", "Pack", "PackOptions", "Report", "build_report", "draw",
           "load_catalog", "read_inputs", "write_pack"]


def __getattr__(name: str):
    """The API on first use: `indikator validate` and `--help` load no pandas for it."""
    if name in __all__:
        from indikator import api

        return getattr(api, name)
    raise AttributeError(f"module 'indikator' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
