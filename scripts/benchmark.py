"""Where the time of `indikator pack` goes, on the bundled example and on a large synthetic file.

    python scripts/benchmark.py

Prints seconds per stage and ratios within this one run (machines here are noisy;
compare ratios, not absolute times between runs).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import matplotlib
import numpy as np

matplotlib.use("Agg")

from openpyxl import Workbook

from indikator.charts import chart_specs, comparison_specs, stacked_chart
from indikator.charts.trend import trend_specs
from indikator.compare import compare
from indikator.example import bundled_folder
from indikator.importing import import_files
from indikator.outputs import write_figure
from indikator.questionnaires import load_catalog
from indikator.stats import distributions
from indikator.trends import trend_table


def timed(label: str, results: dict, func):
    start = time.perf_counter()
    value = func()
    results[label] = time.perf_counter() - start
    return value


def big_export(path: Path, rows: int) -> Path:
    """A deltagare_avslut sheet with `rows` respondents of random codes."""
    rng = np.random.default_rng(1)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Deltagare avslut")
    sheet.append(["År", "Insats"] + [f"F{i}" for i in range(1, 11)])
    teams = ["Coachingteam", "Mottagningsteam", "IRMA"]
    for i in range(rows):
        codes = rng.integers(1, 7, size=10).tolist()
        codes[3] = codes[7] = int(rng.integers(1, 3))
        sheet.append([2025, teams[i % 3], *codes])
    book.save(path)
    return path


def main() -> None:
    catalog = load_catalog()
    t: dict[str, float] = {}
    files = [bundled_folder()]
    imported = timed("import (example)", t, lambda: import_files(files, catalog))
    dist = timed("distributions (example)", t,
                 lambda: distributions(imported.answers, imported.respondents, catalog))
    changes = timed("compare 2025 with 2024 (example)", t,
                    lambda: compare(dist.table, dist.table, catalog, hidden=dist.groups))
    specs = chart_specs(dist, catalog)
    comparisons = comparison_specs(dist.table, changes, catalog)
    trends = trend_specs(timed("trends (example)", t, lambda: trend_table(dist.table, catalog)),
                         catalog)
    with tempfile.TemporaryDirectory() as tmp:
        figures = timed(f"draw {len(specs)} charts", t,
                        lambda: [stacked_chart(s).draw() for s in specs[:10]])
        per_draw = t.pop(f"draw {len(specs)} charts") / 10
        t["draw one chart"] = per_draw
        timed("save PNG 300 dpi (one)", t,
              lambda: write_figure(figures[0], Path(tmp) / "a", ("png",), 300))
        timed("save SVG (one)", t, lambda: write_figure(figures[1], Path(tmp) / "b", ("svg",), 300))
        for fig in figures[2:]:
            matplotlib.pyplot.close(fig)
        big = big_export(Path(tmp) / "stor.xlsx", 20_000)
        big_import = timed("import 20 000 rows × 10 questions", t,
                           lambda: import_files([big], catalog))
        timed("distributions 20 000 rows", t,
              lambda: distributions(big_import.answers, big_import.respondents, catalog))
    width = max(map(len, t))
    base = t["draw one chart"]
    print(f"{'stage':<{width}}  seconds  × one chart draw")
    for label, seconds in t.items():
        print(f"{label:<{width}}  {seconds:7.3f}  {seconds / base:6.2f}")
    charts = len(specs) + len(comparisons) + len(trends)
    estimate = charts * (t["draw one chart"] + t["save PNG 300 dpi (one)"] + t["save SVG (one)"])
    print(f"\nexample pack: {charts} charts, estimated chart time {estimate:.1f} s "
          f"({estimate / (t['import (example)'] + t['distributions (example)']):.0f}× "
          "import + distributions)")


if __name__ == "__main__":
    main()
