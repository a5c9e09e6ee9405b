"""The data flows one way: a lower stage never imports a higher one."""

from __future__ import annotations

import subprocess
import sys

from conftest import seeded


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

    assert indikator.__version__ == version(indikator.DISTRIBUTION)


def test_a_new_chart_kind_is_one_registration(tmp_path, catalog, monkeypatch, example_png):
    """A kind registered at run time (here: the Alla bars again, under another name) is
    drawn into diagram/, counted, ordered and placed in the documents' sections without
    any other change."""
    from dataclasses import replace

    from indikator.charts.kinds import DISTRIBUTION, KINDS, ChartKind
    from indikator.input.example import bundled_folder
    from indikator.output.pack import PackOptions, build_pack
    from indikator.words import ALL

    def specs(sources):
        return [replace(s, slug="prov") for s in DISTRIBUTION.specs(sources)
                if s.group == ALL and s.survey == "styrelse"]

    monkeypatch.setitem(KINDS, "prov", ChartKind("prov", 0.5, 9, "Prov", True, specs,
                                                 DISTRIBUTION.build, DISTRIBUTION.describe))
    # into a copy of the example's PNG pack: the charts of the other kinds are taken from
    # it unchanged (output/cache.py), the new kind's are drawn
    pack = build_pack([bundled_folder()], seeded(example_png, tmp_path / "p"), catalog,
                      PackOptions(formats=("png",)))
    mine = [f for f in pack.figures if f.kind == "prov"]
    assert mine and all((tmp_path / "p" / "diagram" / f"{f.stem}.png").is_file()
                        for f in mine)
    assert {f.stem for f in mine} <= set(pack.drawn)
    assert pack.report.count("prov") == len(mine)


# the stages in the order the data flows; a module may import its own stage and earlier ones
STAGES = {"": 0, "errors": 0, "text": 0, "words": 0, "numbers": 0, "columns": 0,
          "escaping": 0, "questionnaires": 1, "reading": 2, "importing": 3, "options": 3,
          "input": 4, "analysis": 5, "report": 6, "charts": 6, "output": 7, "cli": 8, "app": 8,
          "api": 8, "__main__": 9}
# validate checks response rates against the group sizes as the pack does (lazily)
ALLOWED = {("indikator.input.files", "indikator.analysis.stats")}


def _stage(module: str) -> int:
    parts = module.split(".")
    return STAGES[parts[1] if len(parts) > 1 else ""]


def test_no_module_imports_a_later_stage():
    """questionnaires → reading → importing → input → analysis → report → output → cli:
    every import in the package (also inside functions) goes down this list, not up."""
    import ast
    from pathlib import Path

    package = Path(__file__).resolve().parent.parent / "indikator"
    upward = []
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package).with_suffix("").parts)
        parts = parts[:-1] if parts[-1] == "__init__" else parts
        me = ".".join(["indikator", *parts])
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([node.module] if isinstance(node, ast.ImportFrom) and node.module else
                     [a.name for a in node.names] if isinstance(node, ast.Import) else [])
            for name in names:
                if (name.startswith("indikator") and _stage(name) > _stage(me)
                        and (me, name) not in ALLOWED):
                    upward.append(f"{me} → {name} (rad {node.lineno})")
    assert not upward, upward
    assert {p.name for p in package.iterdir() if p.suffix == ".py"} <= {
        f"{name}.py" for name in STAGES if name} | {"__init__.py"}
