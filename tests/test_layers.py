"""The data flows one way: a lower stage never imports a higher one."""

from __future__ import annotations

import subprocess
import sys


def _loaded_after(module: str) -> set[str]:
    code = (f"import sys, {module}; "
            "print('\\n'.join(m for m in sys.modules if m.startswith('indikator')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    return set(out.split())


def test_reading_does_not_import_importing():
    assert not any(m.startswith("indikator.importing") for m in _loaded_after(
        "indikator.reading"))


def test_the_version_is_the_installed_distributions():
    from importlib.metadata import version

    import indikator

    assert indikator.__version__ == version("indikator")


def test_a_new_chart_kind_is_one_registration(tmp_path, catalog, monkeypatch):
    """A kind registered at run time (here: the Alla bars again, under another name) is
    drawn into diagram/, counted, ordered and placed in the documents' sections without
    any other change."""
    from dataclasses import replace

    from indikator.charts.kinds import DISTRIBUTION, KINDS, ChartKind
    from indikator.example import bundled_folder
    from indikator.pack import PackOptions, build_pack
    from indikator.stats import ALL

    def specs(sources):
        return [replace(s, slug="prov") for s in DISTRIBUTION.specs(sources)
                if s.group == ALL and s.survey == "styrelse"]

    monkeypatch.setitem(KINDS, "prov", ChartKind("prov", 0.5, 9, "Prov", True, specs,
                                                 DISTRIBUTION.build, DISTRIBUTION.describe))
    pack = build_pack([bundled_folder()], tmp_path / "p", catalog,
                      PackOptions(formats=("png",)))
    mine = [f for f in pack.figures if f.kind == "prov"]
    assert mine and all((tmp_path / "p" / "diagram" / f"{f.stem}.png").is_file()
                        for f in mine)
    assert pack.report.count("prov") == len(mine)
