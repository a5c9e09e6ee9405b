"""How fast `indikator` is, measured in one run: medians, ratios, peak memory.

    python scripts/benchmark.py            # everything (about 10 minutes on 2 cores)
    python scripts/benchmark.py --quick    # fewer repeats, the nation without charts

Prints figures; asserts nothing (these machines are noisy: compare the ratios, which
are measured side by side in the same run). Each whole-program figure runs in a fresh
process, so start-up and imports count as a user meets them; peak memory is the
largest resident size of that process and, separately, of its chart workers.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable

MEASURE = r"""
import json, resource, runpy, sys, time
sys.argv = {argv!r}
start = time.perf_counter()
try:
    runpy.run_module("indikator", run_name="__main__")
except SystemExit as exit:
    code = exit.code or 0
else:
    code = 0
wall = time.perf_counter() - start
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print("BENCH" + json.dumps({{"wall": wall, "rss": own, "workers": kids, "code": code}}),
      file=sys.__stderr__)
"""


def run_indikator(args: list[str], cwd: Path = ROOT) -> dict:
    """`indikator ARGS` in a fresh process: wall seconds (from the process start, imports
    included), peak MB of the process and of its workers."""
    start = time.perf_counter()
    done = subprocess.run([PY, "-c", MEASURE.format(argv=["indikator", *args])], cwd=cwd,
                          capture_output=True, text=True)
    total = time.perf_counter() - start
    line = next(x for x in done.stderr.splitlines() if x.startswith("BENCH"))
    result = json.loads(line[5:])
    result["total"] = total
    if result["code"] != 0:
        raise SystemExit(f"indikator {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return result


def median(values: list[float]) -> float:
    return statistics.median(values)


def per_chart(repeats: int) -> None:
    """One report chart: indikator's renderer against plain matplotlib, same bars and size."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    from indikator.example import bundled_folder
    from indikator.outputs import write_figure
    from indikator.pack import PackOptions, build_pack
    from indikator.questionnaires import load_catalog
    from indikator.theme import WIDTH_IN, palette

    catalog = load_catalog()
    with tempfile.TemporaryDirectory() as tmp:
        pack = build_pack([bundled_folder()], Path(tmp) / "p", catalog, PackOptions(formats=()))
        figure = next(f for f in pack.figures if f.kind == "fordelning" and len(
            f.spec.questions) == 3)
        spec = figure.spec
        shares = (spec.data.pivot_table(index="question", columns="code", values="percent")
                  .to_numpy())
        labels = [c.label for c in spec.scale.categories]

        def plain(fmt: str) -> None:
            fig, ax = plt.subplots(figsize=(WIDTH_IN, 4.2), dpi=300)
            left = np.zeros(len(shares))
            colours = palette(len(labels))
            for j, label in enumerate(labels):
                bars = ax.barh(range(len(shares))[::-1], shares[:, j], left=left,
                               color=colours[j], label=label, height=0.6)
                ax.bar_label(bars, labels=[f"{v:.0f} %" for v in shares[:, j]],
                             label_type="center", fontsize=8)
                left += shares[:, j]
            ax.set_yticks(range(len(shares))[::-1],
                          [f"Fråga {q.number} (n=50)" for q in spec.questions])
            ax.set_title(spec.title, loc="left", fontweight="bold")
            ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=len(labels))
            fig.text(0.01, 0.01, "Fråga 1: …\nFråga 2: …\nFråga 3: …", fontsize=8)
            fig.savefig(Path(tmp) / f"plain.{fmt}", format=fmt, dpi=300)
            plt.close(fig)

        def ours(fmt: str) -> None:
            write_figure(figure.build(spec).draw(), Path(tmp) / "ours", (fmt,), 300)

        print("\n1. Ett diagram (median av", repeats, "körningar, sekunder)")
        for fmt in ("png", "svg"):
            a = median([timed(lambda f=fmt: ours(f)) for _ in range(repeats)])
            b = median([timed(lambda f=fmt: plain(f)) for _ in range(repeats)])
            print(f"   {fmt}: indikator {a:.3f} s, ren matplotlib {b:.3f} s, kvot {a / b:.2f}")
        draw = median([timed(lambda: plt.close(figure.build(spec).draw()))
                       for _ in range(repeats)])
        print(f"   varav plotnines bygge och layout (draw): {draw:.3f} s")


def timed(func) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def example_pack(repeats: int) -> None:
    print("\n2. Exemplets paket (hela programmet i en ny process)")
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        for jobs in sorted({1, cores}):
            runs = [run_indikator(["pack", "--out", f"{tmp}/p{jobs}-{i}", "--jobs", str(jobs)])
                    for i in range(repeats)]
            wall = median([r["total"] for r in runs])
            charts = len(list(Path(f"{tmp}/p{jobs}-0/diagram").glob("*.png")))
            print(f"   --jobs {jobs}: {wall:.1f} s, {charts / wall:.1f} diagram/s, "
                  f"minne {max(r['rss'] for r in runs):.0f} MB (+ processerna som ritar "
                  f"{max(r['workers'] for r in runs):.0f} MB var)")
        again = [run_indikator(["pack", "--out", f"{tmp}/p{cores}-0"]) for _ in range(repeats)]
        print(f"   samma paket igen, inget ändrat: {median([r['total'] for r in again]):.2f} s")
        data = Path(tmp) / "svar"
        import shutil

        shutil.copytree(ROOT / "responses", data)
        run_indikator(["pack", str(data), "--out", f"{tmp}/q"])
        path = data / "styrelse_2025.csv"
        text = path.read_text(encoding="utf-8-sig").replace("Helt och hållet", "Delvis", 1)
        path.write_text(text, encoding="utf-8-sig")
        one = run_indikator(["pack", str(data), "--out", f"{tmp}/q"])
        print(f"   ett svar ändrat (styrelsen 2025): {one['total']:.1f} s "
              "(bara styrelsens diagram ritas om)")


def national(charts: bool) -> None:
    print("\n3. Riket: 40 påhittade förbund, ett paket per förbund och ett för alla")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([PY, str(ROOT / "scripts" / "make_nation.py"), f"{tmp}/riket"],
                       check=True, capture_output=True)
        rows = sum(1 for p in Path(f"{tmp}/riket").rglob("*.csv")
                   for _ in p.open(encoding="utf-8-sig")) - sum(
            1 for _ in Path(f"{tmp}/riket").rglob("*.csv"))
        formats = "pdf,docx,xlsx,html,png,svg" if charts else "xlsx"
        r = run_indikator(["pack", f"{tmp}/riket", "--per-forbund", "--out", f"{tmp}/ut",
                           "--format", formats])
        print(f"   {rows} svarsrader, --format {formats}: {r['total']:.1f} s, minne "
              f"{r['rss']:.0f} MB (+ {r['workers']:.0f} MB per ritande process)")


def imports(rows: int) -> None:
    print(f"\n4. Inläsning: {rows} rader × 13 frågor")
    import numpy as np
    import xlsxwriter

    from indikator.questionnaires import load_catalog

    catalog = load_catalog()
    q = catalog.get("deltagare_avslut", 2025)
    header = ["År", "Verksamhet", "Kön", *(x.text for x in q.questions), "Id", "Extra"]
    rng = np.random.default_rng(1)
    codes = rng.integers(1, 7, size=(rows, len(q.questions)))
    def answers(i: int) -> list:
        """Row i's codes; questions asked only after a Ja are left blank after a Nej."""
        row = [min(int(c), len(x.scale.categories)) for c, x in zip(codes[i], q.questions,
                                                                     strict=True)]
        given = dict(zip((x.number for x in q.questions), row, strict=True))
        for j, x in enumerate(q.questions):
            if x.asked_if is not None and given.get(x.asked_if.question) not in x.asked_if.codes:
                row[j] = ""
        return row

    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "deltagare_avslut_2025.csv"
        with csv_path.open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, delimiter=";")
            w.writerow(header)
            for i in range(rows):
                w.writerow([2025, f"Team {i % 7}", 1 + i % 2, *answers(i), f"R{i}", ""])
        book = xlsxwriter.Workbook(str(Path(tmp) / "deltagare_avslut_2025.xlsx"),
                                   {"constant_memory": True})
        sheet = book.add_worksheet("Svar")
        sheet.write_row(0, 0, header)
        for i in range(rows):
            sheet.write_row(i + 1, 0, [2025, f"Team {i % 7}", 1 + i % 2, *answers(i), f"R{i}",
                                       ""])
        book.close()
        for suffix in ("csv", "xlsx"):
            r = run_indikator(["validate", str(Path(tmp) / f"deltagare_avslut_2025.{suffix}")])
            base = run_indikator(["--version"])
            work = r["total"] - base["total"]
            print(f"   {suffix}: {r['total']:.1f} s i allt ({work:.1f} s utöver uppstarten), "
                  f"{rows / work:,.0f} rader/s, minne {r['rss']:.0f} MB".replace(",", " "))


def startup(repeats: int) -> None:
    print("\n5. Uppstart (median)")
    for args in (["--help"], ["questionnaires"]):
        wall = median([run_indikator(args)["total"] for _ in range(repeats)])
        print(f"   indikator {' '.join(args)}: {wall:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    repeats = 1 if args.quick else 3
    print(f"indikator på {os.cpu_count()} kärnor, Python {sys.version.split()[0]}")
    startup(5)
    per_chart(3 if args.quick else 7)
    example_pack(repeats)
    imports(args.rows)
    national(charts=not args.quick)


if __name__ == "__main__":
    main()
