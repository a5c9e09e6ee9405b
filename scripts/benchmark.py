"""How fast `indikator` is, measured in one run: medians, ratios, peak memory.

    python scripts/benchmark.py            # everything (about 20 minutes on 2 cores)
    python scripts/benchmark.py --quick    # one run of each, the nation without charts
    python scripts/benchmark.py --only imports   # the import alone: 100,000 and 330,000 rows

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
from itertools import pairwise
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
usage = resource.getrusage(resource.RUSAGE_SELF)
own = usage.ru_maxrss / 1024
kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print("BENCH" + json.dumps({{"wall": wall, "rss": own, "workers": kids, "code": code,
                            "cpu": usage.ru_utime + usage.ru_stime}}), file=sys.__stderr__)
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


def describe(figure) -> dict:
    """What a plain matplotlib script needs to draw the same chart: size, texts, bars."""
    from indikator.charts import comparison, stacked
    from indikator.charts.frame import text_size_pt

    spec = figure.spec
    if figure.kind in ("fordelning", "jamforelse"):
        if figure.kind == "fordelning":
            data, caption = stacked.plot_data(spec), stacked.question_caption(spec.questions)
        else:
            data, caption = comparison.plot_data(spec)[0], comparison.comparison_caption(spec)
        drawn = data.by_bar()
        bars = [[float(s.value) for s in parts] for _, parts in drawn]
        names = [str(b) for b, _ in drawn]
        kind, labels = "bars", [c.label for c in spec.scale.categories]
    else:
        caption = "\n".join(f"Fråga {q}: {t}" for q, t in spec.data.groupby("question")[
            "question_text"].first().items())
        names = [f"Fråga {q}" for q in sorted(spec.data["question"].unique())]
        bars = [[float(v) for v in spec.data[spec.data["question"] == q].sort_values("year")[
            "share_positive"]] for q in sorted(spec.data["question"].unique())]
        kind, labels = "lines", []
    height = 1.6 + 0.5 * len(bars) + text_size_pt(caption, 8)[1] / 72
    return {"kind": kind, "title": getattr(spec, "title", ""), "caption": caption,
            "names": names, "bars": bars, "labels": labels, "height": height,
            "stem": figure.stem}


def plain_charts(description: Path, out: Path, formats: tuple[str, ...] = ("png", "svg"),
                 limit: int | None = None) -> None:
    """Draw the described charts one after another with plain matplotlib, PNG and SVG at
    the pack's size and resolution: stacked bars with a percent in every segment, bar
    names, title, legend and caption (or lines for trends). The yardstick for the pack."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    charts = json.loads(description.read_text(encoding="utf-8"))[:limit]
    colours = ["#d2e21b", "#7ad151", "#35b779", "#21918c", "#3b528b", "#440154"]
    out.mkdir(parents=True, exist_ok=True)
    for chart in charts:
        fig, ax = plt.subplots(figsize=(6.3, chart["height"]), dpi=300)
        if chart["kind"] == "bars":
            for y, values in enumerate(chart["bars"]):
                left = 0.0
                for j, v in enumerate(values):
                    ax.barh(y, v, left=left, height=0.6, color=colours[j % 6])
                    ax.text(left + v / 2, y, f"{v:.0f} %", ha="center", va="center",
                            fontsize=8)
                    left += v
            ax.set_yticks(range(len(chart["names"])), chart["names"])
            ax.legend(chart["labels"], loc="upper center", bbox_to_anchor=(0.5, -0.1),
                      ncol=len(chart["labels"]), fontsize=8, frameon=False)
        else:
            for values, name in zip(chart["bars"], chart["names"], strict=True):
                ax.plot(range(len(values)), values, marker="o", label=name)
            ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), fontsize=8)
        ax.set_title(chart["title"], loc="left", fontweight="bold")
        fig.text(0.01, 0.01, chart["caption"], fontsize=8, va="bottom")
        for fmt in formats:
            fig.savefig(out / f"{chart['stem']}.{fmt}", dpi=300)
        plt.close(fig)


def example_figures(tmp: Path):
    from indikator.input.example import MARKER, bundled_folder
    from indikator.output.pack import PackOptions, build_pack
    from indikator.questionnaires import load_catalog

    catalog = load_catalog()
    return build_pack([bundled_folder()], tmp / "p", catalog,
                      PackOptions(formats=(), marker=MARKER)).figures


BEFORE = "6481203"  # the last commit whose charts matplotlib drew (issue 23's "today")

CHART_RUN = r"""
import json, os, sys, time
mode, formats, out, code = sys.argv[1], tuple(sys.argv[2].split(",")), sys.argv[3], sys.argv[4]
if code:
    sys.path.insert(0, code)  # the earlier renderer's checkout, before the installed package
import indikator.output.files as files
from indikator.api import build_report, read_inputs
from indikator.input.example import bundled_folder
from pathlib import Path
report = build_report(read_inputs(bundled_folder()))
docs = "doc" in formats
formats = tuple(f for f in formats if f != "doc")
write = files.write_drawing if mode == "ours" else files.write_figure
out = Path(out)
for f in report.figures[:3]:  # warm-up: fonts, caches, imports inside the writers
    write(f.build(f.spec), out / "warm", formats or ("svg",), 300)
cpu, wall = time.process_time(), time.perf_counter()
for f in report.figures:
    write(f.build(f.spec), out / f.stem, formats, 300,
          doc=out / "doc" / f"{f.stem}.png" if docs else None, doc_dpi=200)
print(json.dumps({"cpu": time.process_time() - cpu, "wall": time.perf_counter() - wall,
                  "charts": len(report.figures), "module": files.__file__}))
"""

FLOOR_RUN = r"""
import json, sys, time
from indikator.api import build_report, read_inputs
from indikator.charts.pixels import rasterise
from indikator.charts.png import png_bytes
from indikator.charts.svg import svg_text
from indikator.input.example import bundled_folder
report = build_report(read_inputs(bundled_folder()))
drawings = [f.build(f.spec) for f in report.figures]
for d in drawings[:3]:
    png_bytes(rasterise(d, 300), 300)
cpu = time.process_time()
for d in drawings:
    png_bytes(rasterise(d, 300), 300)
    svg_text(d)
print(json.dumps({"cpu": time.process_time() - cpu, "charts": len(drawings)}))
"""

PLAIN_RUN = r"""
import json, sys, time
sys.path.insert(0, sys.argv[4])
from benchmark import plain_charts
from pathlib import Path
description, out, formats = Path(sys.argv[1]), Path(sys.argv[2]), tuple(sys.argv[3].split(","))
plain_charts(description, out / "warm", formats, limit=3)
cpu, wall = time.process_time(), time.perf_counter()
plain_charts(description, out, formats)
print(json.dumps({"cpu": time.process_time() - cpu, "wall": time.perf_counter() - wall}))
"""


def _json_run(args: list[str]) -> dict:
    done = subprocess.run([PY, "-c", *args], capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"mätningen misslyckades:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def earlier_renderer(tmp: Path, revision: str) -> Path | None:
    """A checkout of `revision` (the matplotlib renderer) beside this one, or None where
    git or the revision is missing (a copy without history)."""
    folder = tmp / "tidigare"
    done = subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-f",
                           str(folder), revision], capture_output=True, text=True)
    return folder if done.returncode == 0 else None


def per_chart(repeats: int, before: str = BEFORE) -> None:
    """The example pack's 147 charts, each renderer in a fresh process, interleaved: ours
    (a display list drawn by Skia and written as SVG), the earlier one (matplotlib, from
    git revision `before`), and a plain matplotlib script drawing the same charts; PNG,
    SVG and both, CPU and wall of the drawing alone (imports and a warm-up excluded)."""
    print(f"\n1. Diagrammen: exemplets alla diagram, varje ritare i en egen process, omväxlande "
          f"(median av {repeats})")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        figures = example_figures(tmp)
        described = tmp / "charts.json"
        described.write_text(json.dumps([describe(f) for f in figures]), encoding="utf-8")
        import importlib.util

        old = None
        if importlib.util.find_spec("pingouin") is None:  # the earlier code's statistics
            print(f"   (den tidigare ritaren, git {before}, behöver pingouin: "
                  "pip install pingouin==0.7.0 för att jämföra med den)")
        else:
            old = earlier_renderer(tmp, before)
            if old is None:
                print(f"   (den tidigare ritaren, git {before}, finns inte här: jämförs inte)")
        runs: dict[tuple[str, str], list[dict]] = {}
        variants = ["png", "svg", "png,svg", "png,svg,doc"]
        for rep in range(repeats):
            order = [("ours", v) for v in variants] + [("plain", v) for v in variants[:3]]
            order += [("before", v) for v in variants] if old else []
            for who, formats in order if rep % 2 == 0 else order[::-1]:
                out = tmp / f"{who}-{formats}-{rep}"
                if who == "plain":
                    r = _json_run([PLAIN_RUN, str(described), str(out), formats,
                                   str(ROOT / "scripts")])
                else:
                    r = _json_run([CHART_RUN, who, formats, str(out),
                                   str(old) if who == "before" else ""])
                if who == "before" and not r["module"].startswith(str(old)):
                    raise SystemExit(f"den tidigare ritaren lästes inte från {old}")
                runs.setdefault((who, formats), []).append(r)
        floor = median([_json_run([FLOOR_RUN])["cpu"] for _ in range(repeats)])
        count = len(figures)

        def ms(who: str, formats: str, key: str = "cpu") -> float | None:
            values = runs.get((who, formats))
            return median([r[key] for r in values]) / count * 1000 if values else None

        names = {"png": "PNG", "svg": "SVG", "png,svg": "PNG och SVG",
                 "png,svg,doc": "PNG, SVG och dokumentens kopior (som paketet)"}
        for formats in variants:
            ours, plain, earlier = ms("ours", formats), ms("plain", formats), ms("before",
                                                                                 formats)
            line = (f"   {names[formats]}: indikator {ours:.1f} ms CPU per diagram "
                    f"({ms('ours', formats, 'wall'):.1f} ms väggtid)")
            if plain is not None:
                line += (f", ren matplotlib {plain:.1f} ms ({ms('plain', formats, 'wall'):.1f}),"
                         f" kvot {ours / plain:.2f}")
            if earlier is not None:
                line += (f"; den tidigare ritaren (matplotlib) {earlier:.1f} ms, "
                         f"{earlier / ours:.1f} × indikators")
            print(line)
        floor_ms = floor / count * 1000
        print(f"   golvet (bara Skias ritning, PNG-kodningen och SVG-texten, ingen layout): "
              f"{floor_ms:.1f} ms; indikator PNG och SVG är {ms('ours', 'png,svg') / floor_ms:.1f}"
              " × golvet")
        if old is not None:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(old)],
                           capture_output=True)


def timed(func) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def example_pack(repeats: int) -> None:
    print("\n2. Exemplets paket (hela programmet i en ny process)")
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        described = Path(tmp) / "charts.json"
        described.write_text(json.dumps([describe(f) for f in example_figures(Path(tmp))]),
                             encoding="utf-8")
        plain = median([timed(lambda i=i: subprocess.run(
            [PY, __file__, "--plain-charts", str(described), f"{tmp}/plain{i}"], check=True))
            for i in range(repeats)])
        count = len(json.loads(described.read_text(encoding="utf-8")))
        print(f"   måttstock: ren matplotlib ritar samma {count} diagram (PNG och SVG) efter "
              f"varandra i en process: {plain:.1f} s")
        for jobs in sorted({1, cores}):
            runs = [run_indikator(["pack", "--out", f"{tmp}/p{jobs}-{i}", "--jobs", str(jobs)])
                    for i in range(repeats)]
            wall = median([r["total"] for r in runs])
            charts = len(list(Path(f"{tmp}/p{jobs}-0/diagram").glob("*.png")))
            print(f"   --jobs {jobs}: {wall:.1f} s ({wall / plain:.2f} × måttstocken), "
                  f"{charts / wall:.1f} diagram/s, "
                  f"minne {max(r['rss'] for r in runs):.0f} MB (+ hjälpprocesserna, som ritar "
                  f"och kompilerar PDF:en, högst {max(r['workers'] for r in runs):.0f} MB var)")
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
        for formats in ["xlsx", *(["pdf,docx,xlsx,html,png,svg"] if charts else [])]:
            r = run_indikator(["pack", f"{tmp}/riket", "--per-forbund", "--out",
                               f"{tmp}/ut-{len(formats)}", "--format", formats])
            drawn = sum(1 for png in Path(f"{tmp}/ut-{len(formats)}").rglob("*.png")
                        if png.parent.name == "diagram")  # not the documents' copies
            print(f"   {rows} svarsrader, --format {formats}: {r['total']:.1f} s"
                  f"{f' ({drawn} diagram)' if drawn else ''}, minne {r['rss']:.0f} MB "
                  f"(+ högst {r['workers']:.0f} MB per hjälpprocess)")


STAGES = [  # (module, function, what it is): wrapped to count the CPU spent inside
    ("indikator.input.members", "read_members", "inläsning av förbundens filer"),
    ("indikator.output.many", "tally", "fördelningar per förbund"),
    ("indikator.output.many", "aggregate", "summan av förbunden"),
    ("indikator.output.many", "make_report", "rapporten: statistik, jämförelser, mål, trender"),
    ("indikator.output.pack", "write_csv", "CSV-tabellerna"),
    ("indikator.output.pack", "_render", "diagrammen: layout, Skia, PNG, SVG, dokumentkopior"),
    ("indikator.report.document", "build_document", "dokumentmodellerna"),
    ("indikator.output.renderers.pdf", "write_pdf", "PDF: Typst-källan"),
    # Typst compiles in a helper process whose CPU is counted when it ends (children's time)
    ("indikator.output.processes", "Helper.close", "PDF: Typst (i en egen process)"),
    ("indikator.output.renderers.word", "write_docx", "Word"),
    ("indikator.output.renderers.workbook", "write_workbook", "arbetsboken"),
    ("indikator.output.renderers.html", "write_html", "HTML-sidan"),
    ("indikator.output.renderers.slides", "write_pptx", "bildspelet"),
]


def _cpu() -> float:
    """CPU seconds of this process and of its ended children (Typst's own process)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def stage_profile(folder: Path, out: Path, formats: str) -> tuple[dict[str, float], float]:
    """The nation packed in this process (--jobs 1), with the CPU each stage takes."""
    import importlib
    from dataclasses import replace

    import indikator.input.members as members_module
    from indikator.options import PackOptions, parse_formats
    from indikator.output.many import build_many
    from indikator.questionnaires import load_catalog

    spent: dict[str, float] = {}

    def wrapped(func, name):
        def timed_stage(*args, **kwargs):
            start = _cpu()
            try:
                return func(*args, **kwargs)
            finally:
                spent[name] = spent.get(name, 0.0) + _cpu() - start
        return timed_stage

    originals = []
    for module_name, path, name in STAGES:
        owner = importlib.import_module(module_name)
        *outer, attr = path.split(".")  # a function, or a class's method (Helper.close)
        for part in outer:
            owner = getattr(owner, part)
        originals.append((owner, attr, getattr(owner, attr)))
        setattr(owner, attr, wrapped(getattr(owner, attr), name))
    try:
        catalog = load_catalog()
        options = replace(PackOptions(formats=parse_formats(formats)), jobs=1, per_forbund=True)
        start = _cpu()
        members = members_module.read_members([folder], catalog, options)
        build_many(members, out, catalog, options)
        total = _cpu() - start
    finally:
        for module, attr, original in originals:
            setattr(module, attr, original)
    return spent, total


def stages(formats: str = "pdf,docx,xlsx,html,png,svg") -> None:
    print(f"\n6. Riket steg för steg (--format {formats}, allt i en process, CPU-sekunder)")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([PY, str(ROOT / "scripts" / "make_nation.py"), f"{tmp}/riket"],
                       check=True, capture_output=True)
        spent, total = stage_profile(Path(tmp) / "riket", Path(tmp) / "ut", formats)
    for name, seconds in sorted(spent.items(), key=lambda x: -x[1]):
        print(f"   {name}: {seconds:.1f} s ({seconds / total:.0%})")
    rest = total - sum(spent.values())
    print(f"   övrigt (att byta in paketet, kontrollsummor, sammanfattningar): {rest:.1f} s "
          f"({rest / total:.0%})")
    print(f"   summa {total:.1f} CPU-sekunder: på två kärnor minst {total / 2:.0f} s")


PLAIN_READ = r"""
import resource, sys, time
path = sys.argv[1]
import pandas as pd
from python_calamine import CalamineWorkbook
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
start = time.perf_counter()
if path.endswith(".csv"):
    pd.read_csv(path, sep=";", dtype=str, keep_default_na=False)
else:
    CalamineWorkbook.from_path(path).get_sheet_by_name("Svar").to_python()
wall = time.perf_counter() - start
print(wall, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - before)
"""


def write_exports(folder: Path, rows: int) -> list[Path]:
    """A wide export of `rows` respondents × 13 questions, as CSV and as xlsx."""
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

    folder.mkdir(parents=True, exist_ok=True)
    csv_path = folder / "deltagare_avslut_2025.csv"
    with csv_path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(header)
        for i in range(rows):
            w.writerow([2025, f"Team {i % 7}", 1 + i % 2, *answers(i), f"R{i}", ""])
    xlsx_path = folder / "deltagare_avslut_2025.xlsx"
    book = xlsxwriter.Workbook(str(xlsx_path), {"constant_memory": True})
    sheet = book.add_worksheet("Svar")
    sheet.write_row(0, 0, header)
    for i in range(rows):
        sheet.write_row(i + 1, 0, [2025, f"Team {i % 7}", 1 + i % 2, *answers(i), f"R{i}", ""])
    book.close()
    return [csv_path, xlsx_path]


def imports(sizes: list[int], repeats: int) -> None:
    """`indikator validate` of a wide export: seconds (wall and CPU) beyond start-up
    (`indikator --version`), and peak memory per row: over `validate` of a 100-row export
    of the same kind (the command's own cost, which does not grow with the rows: typer's
    pydantic and the modules validate loads, 13 MB) and over `--version`; medians of
    `repeats` fresh processes, beside a plain read of the same file (pandas.read_csv,
    calamine) in a process of its own. Between two sizes, what each row more costs."""
    print("\n4. Inläsning (indikator validate), 13 frågor per rad; median av "
          f"{repeats} körningar, utöver uppstarten (indikator --version)")
    base = [run_indikator(["--version"]) for _ in range(repeats)]
    base_wall, base_rss = median([b["total"] for b in base]), median([b["rss"] for b in base])
    base_cpu = median([b["cpu"] for b in base])
    with tempfile.TemporaryDirectory() as tmp:
        small = {path.suffix: median([run_indikator(["validate", str(path)])["rss"]
                                      for _ in range(repeats)])
                 for path in write_exports(Path(tmp) / "100", 100)}
        print("   validate av 100 rader: minne +"
              + ", ".join(f"{small[s] - base_rss:.0f} MB ({s[1:]})" for s in small)
              + " över --version (kommandots egen kostnad, som inte växer med raderna)")
        peaks: dict[str, list[tuple[int, float]]] = {}
        for rows in sizes:
            for path in write_exports(Path(tmp) / str(rows), rows):
                runs = [run_indikator(["validate", str(path)]) for _ in range(repeats)]
                work = median([r["total"] for r in runs]) - base_wall
                cpu = median([r["cpu"] for r in runs]) - base_cpu
                peak = median([r["rss"] for r in runs])
                peaks.setdefault(path.suffix, []).append((rows, peak))
                per_row = (peak - small[path.suffix]) * 1024**2 / (rows - 100)
                plain = [subprocess.run([PY, "-c", PLAIN_READ, str(path)], check=True,
                                        capture_output=True, text=True).stdout.split()
                         for _ in range(repeats)]
                plain_wall = median([float(p[0]) for p in plain])
                plain_mb = median([float(p[1]) for p in plain])
                reader = "pandas.read_csv" if path.suffix == ".csv" else "calamine"
                print(f"   {grouped(rows)} rader, {path.suffix[1:]}: {work:.2f} s "
                      f"({cpu:.2f} s CPU; {grouped(rows / work)} rader/s; "
                      f"{work / plain_wall:.1f} × en ren "
                      f"inläsning med {reader}, {plain_wall:.2f} s), minne "
                      f"{grouped(per_row)} byte per rad över 100 rader "
                      f"(+{peak - base_rss:.0f} MB över --version, "
                      f"{grouped((peak - base_rss) * 1024**2 / rows)} byte per rad; "
                      f"den rena inläsningen +{plain_mb:.0f} MB)")
        for suffix, points in peaks.items():
            for (rows_a, peak_a), (rows_b, peak_b) in pairwise(points):
                print(f"   {suffix[1:]}, från {grouped(rows_a)} till {grouped(rows_b)} rader: "
                      f"{grouped((peak_b - peak_a) * 1024**2 / (rows_b - rows_a))} byte per "
                      "rad till")


def grouped(number: float) -> str:
    """100000 -> '100 000', as Swedish text writes it (a hard space)."""
    return f"{number:,.0f}".replace(",", "\u00a0")


def startup(repeats: int) -> None:
    print("\n5. Uppstart (median)")
    for args in (["--help"], ["questionnaires"]):
        wall = median([run_indikator(args)["total"] for _ in range(repeats)])
        print(f"   indikator {' '.join(args)}: {wall:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 330_000])
    parser.add_argument("--only", choices=["imports"], help="bara inläsningen")
    parser.add_argument("--plain-charts", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.plain_charts:
        plain_charts(*args.plain_charts)
        return
    repeats = 1 if args.quick else 3
    print(f"indikator på {os.cpu_count()} kärnor, Python {sys.version.split()[0]}")
    if args.only == "imports":
        imports(args.rows, repeats)
        return
    startup(5)
    per_chart(3 if args.quick else 7)
    example_pack(repeats)
    imports(args.rows, repeats)
    national(charts=not args.quick)
    if not args.quick:
        stages()


if __name__ == "__main__":
    main()
