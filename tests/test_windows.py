"""What a Windows laptop does differently, emulated where this machine can.

Python on Windows writes the locale's cp1252 to a file or a pipe (PYTHONIOENCODING
emulates it here); a console gets Unicode either way.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import seeded

from indikator.input.example import bundled_folder

CONSOLE = "from indikator.cli.main import main; main()"


def run_as_on_windows(*args: str, cwd) -> subprocess.CompletedProcess:
    """The console script's main() with its output to a pipe in cp1252, as on Windows."""
    env = {**os.environ, "PYTHONIOENCODING": "cp1252", "PYTHONUTF8": "0"}
    return subprocess.run([sys.executable, "-c", CONSOLE, *args], cwd=cwd, env=env,
                          capture_output=True, timeout=300)


def test_the_summary_to_a_cp1252_pipe_is_utf8_and_the_run_succeeds(tmp_path):
    """→, ≥ and − are in the example's summary; cp1252 has none of them. The run used to
    stop with exit 3 'Inget paket skrevs' after writing the pack."""
    done = run_as_on_windows("pack", "--out", "paket", "--format", "xlsx",
                             str(bundled_folder()), cwd=tmp_path)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")[-500:]
    out = done.stdout.decode("utf-8")  # strict: every byte is UTF-8
    assert "≥" in out and "→" in out and "Skrev paketet" in out
    assert "Läser" in done.stderr.decode("utf-8")
    assert (tmp_path / "paket" / "tabeller.xlsx").is_file()


def test_validate_json_to_a_cp1252_pipe_is_utf8(tmp_path):
    done = run_as_on_windows("validate", "--json", str(bundled_folder()), cwd=tmp_path)
    assert done.returncode == 0
    report = json.loads(done.stdout.decode("utf-8"))
    assert report["sheets"]


def test_a_utf8_stream_is_left_as_it_is(monkeypatch):
    import io

    from indikator.cli.main import utf8_streams

    cp = io.TextIOWrapper(io.BytesIO(), encoding="cp1252")
    utf = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
    monkeypatch.setattr(sys, "stdout", cp)
    monkeypatch.setattr(sys, "stderr", utf)
    utf8_streams()
    assert cp.encoding == "utf-8" and utf.errors == "strict"
    cp.write("≥ →")
    cp.flush()
    assert cp.buffer.getvalue() == "≥ →".encode()


def test_the_charts_drawn_by_spawned_workers_are_the_forked_ones(tmp_path, example_png):
    """Windows starts worker processes by spawning (a fresh interpreter that imports the
    program again); the charts are the same bytes as those of one process here."""
    import multiprocessing

    if "spawn" not in multiprocessing.get_all_start_methods():
        pytest.skip("no spawn start method here")
    probe = ("import multiprocessing, sys\n"
             "multiprocessing.set_start_method('spawn', force=True)\n"
             "from indikator.cli.main import main\n"
             "sys.argv = ['indikator', 'pack', '--out', sys.argv[1], '--format', 'png',\n"
             "            '--jobs', '2', sys.argv[2]]\n"
             "main()\n")
    done = subprocess.run([sys.executable, "-c", probe, str(tmp_path / "spawned"),
                           str(bundled_folder())], capture_output=True, timeout=600)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")[-800:]
    spawned = {p.name: p.read_bytes() for p in (tmp_path / "spawned" / "diagram").glob("*.png")}
    assert len(spawned) > 50
    one = example_png  # the same charts drawn in one process (jobs=1)
    assert spawned == {p.name: p.read_bytes() for p in (one / "diagram").glob("*.png")}


def test_a_wildcard_the_shell_left_is_expanded(tmp_path, monkeypatch):
    """cmd.exe and PowerShell pass svar\\*.csv on as it is; the program expands it, and a
    pattern that matches nothing is named in a Swedish message with exit code 2."""
    import shutil

    from indikator.cli.main import run

    folder = tmp_path / "svar"
    shutil.copytree(bundled_folder(), folder)
    monkeypatch.chdir(tmp_path)
    assert run(["validate", str(Path("svar") / "*_2025.csv")]) == 0
    matched = sorted(Path("svar").glob("*_2025.csv"))
    assert len(matched) >= 5
    code = run(["pack", "--out", "ut", "--format", "xlsx", str(Path("svar") / "*_2025.csv")])
    assert code == 0
    read = (tmp_path / "ut" / "sammanfattning.txt").read_text(encoding="utf-8")
    assert all(p.name in read for p in matched)
    assert run(["validate", str(Path("svar") / "finns_inte_*.csv")]) == 2  # matches nothing


def test_a_file_whose_name_has_a_bracket_is_taken_as_it_is(tmp_path, monkeypatch, capsys):
    import shutil

    from indikator.cli.main import expanded

    odd = tmp_path / "styrelse [2025].csv"
    shutil.copy(bundled_folder() / "styrelse_2025.csv", odd)
    assert expanded([odd]) == [odd]
    from indikator.errors import IndikatorError

    with pytest.raises(IndikatorError, match=r"Inga filer matchar .*\*\.xlsx"):
        expanded([tmp_path / "*.xlsx"])


def test_a_pack_file_open_in_excel_is_named_and_the_old_pack_kept(tmp_path, monkeypatch,
                                                                   capsys):
    """On Windows a folder cannot be moved while Excel holds tabeller.xlsx open: the
    rename fails with a sharing violation (EACCES). Emulated: no atomic exchange, the
    rename of the old pack refused, and tabeller.xlsx not openable for writing."""
    import errno

    from indikator.cli.main import run
    from indikator.output import folder

    out = tmp_path / "paket"
    assert run(["pack", "--out", str(out), "--format", "xlsx", str(bundled_folder())]) == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    beside = sorted(p.name for p in tmp_path.iterdir())  # the pack and its lock file
    capsys.readouterr()
    monkeypatch.setattr(folder, "exchange", lambda a, b: False)
    real_rename = Path.rename

    def rename(self, target):
        if Path(self) == out:
            raise PermissionError(errno.EACCES, "Åtkomst nekad", str(self))
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    monkeypatch.setattr(folder, "_can_open", lambda p: p.name != "tabeller.xlsx")
    code = run(["pack", "--out", str(out), "--format", "xlsx", "--min-n", "6",
                str(bundled_folder())])
    said = capsys.readouterr().err
    assert code == 2, said
    assert "tabeller.xlsx är öppen i ett annat program" in said and "Stäng filen" in said
    assert "Internt fel" not in said
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == beside  # no staging left
    monkeypatch.setattr(folder, "_can_open", lambda p: True)  # held, but by whom is unknown
    code = run(["pack", "--out", str(out), "--format", "xlsx", "--min-n", "7",
                str(bundled_folder())])
    assert code == 2 and "används av ett annat program" in capsys.readouterr().err


def test_can_open_a_file_here(tmp_path):
    from indikator.output.folder import _can_open, held_open

    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    assert _can_open(tmp_path / "a.txt") and held_open(tmp_path) == []


def test_a_path_past_windows_limit_is_refused_before_writing(tmp_path, monkeypatch, capsys,
                                                             example_png):
    """Windows (and Excel and Word) cannot open a path of more than 259 characters: the run
    stops before writing, names the longest file and says what to do; a short --out works."""
    from indikator.cli.main import run
    from indikator.output import folder

    monkeypatch.setattr(folder, "PATHS_LIMITED", True)
    deep = tmp_path / ("mapp" * 30) / "paket"
    code = run(["pack", "--out", str(deep), "--format", "png", str(bundled_folder())])
    said = capsys.readouterr().err
    assert code == 2, said
    assert "för lång för Windows" in said and "diagram/" in said and "--out" in said
    assert not deep.exists() and not [p for p in deep.parent.iterdir()
                                      if "staging" in p.name]
    assert len(str(tmp_path / "p")) < 120
    # the charts taken from a copy of the same pack: the path check is what is tested here
    short = seeded(example_png, tmp_path / "p")
    assert run(["pack", "--out", str(short), "--format", "png",
                str(bundled_folder())]) == 0



PARENT = """
import multiprocessing, os, sys, time
from concurrent.futures import ProcessPoolExecutor
from indikator.output.processes import watch_parent_sentinel

def pid():
    return os.getpid()

if __name__ == "__main__":
    pool = ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("spawn"),
                               initializer=watch_parent_sentinel)
    pids = {pool.submit(pid).result() for _ in range(8)}
    print(" ".join(map(str, sorted(pids))), flush=True)
    time.sleep(120)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc, sends SIGKILL")
def test_spawned_workers_end_with_a_killed_run_without_linux_help(tmp_path):
    """Windows has no PR_SET_PDEATHSIG and its parent pid never changes: the workers wait
    on the parent's sentinel instead. Emulated with spawned workers that use only that."""
    import signal
    import time

    script = tmp_path / "parent.py"
    script.write_text(PARENT, encoding="utf-8")
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    try:
        workers = [int(p) for p in parent.stdout.readline().split()]
        assert workers and all(alive(p) for p in workers)
    finally:
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=30)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(alive(p) for p in workers):
        time.sleep(0.2)
    assert not any(alive(p) for p in workers)


def alive(pid: int) -> bool:
    """Whether a process runs (a zombie waiting for its reaper counts as ended)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as stat:
            return stat.read().split(") ")[1][0] != "Z"
    except FileNotFoundError:
        return False
