"""The pack folder: switched in whole, never a file touched that is not the pack's own."""

import errno
import os
import signal
import subprocess
import sys
import textwrap
import time
import zlib
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indikator.errors import IndikatorError
from indikator.output.files import write_csv
from indikator.output.folder import MANIFEST, read_manifest, sha256, staged


def tree(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def make_pack(out, files):
    with staged(out) as stage:
        for name, text in files.items():
            (stage / name).parent.mkdir(parents=True, exist_ok=True)
            (stage / name).write_text(text)


def leftovers(parent):
    return [p.name for p in parent.iterdir() if ".indikator-staging" in p.name
            or ".indikator-old" in p.name]


def test_success_moves_files_in_and_lists_them_with_checksums(tmp_path):
    out = tmp_path / "paket"
    make_pack(out, {"a.csv": "x", "diagram/b.png": "y"})
    assert (out / "a.csv").read_text() == "x"
    assert (out / "diagram" / "b.png").read_text() == "y"
    assert read_manifest(out) == {"a.csv": sha256(out / "a.csv"),
                                  "diagram/b.png": sha256(out / "diagram" / "b.png")}
    assert leftovers(tmp_path) == []


def test_failure_leaves_earlier_pack_byte_for_byte(tmp_path):
    out = tmp_path / "paket"
    make_pack(out, {"a.csv": "gammal", "diagram/b.png": "y"})
    before = tree(out)
    with pytest.raises(RuntimeError), staged(out) as stage:
        (stage / "a.csv").write_text("ny")
        (stage / "c.csv").write_text("ny")
        raise RuntimeError("diagrammet kunde inte ritas")
    assert tree(out) == before
    assert leftovers(tmp_path) == []


def test_full_disk_is_a_plain_error_and_keeps_the_old_pack(tmp_path):
    out = tmp_path / "paket"
    make_pack(out, {"a.csv": "gammal"})
    before = tree(out)
    with pytest.raises(IndikatorError) as info, staged(out) as stage:
        (stage / "a.csv").write_text("ny")
        raise OSError(errno.ENOSPC, "No space left on device")
    assert info.value.exit_code == 2 and "disken är full" in info.value.message
    assert tree(out) == before


def test_failure_in_new_folder_leaves_nothing(tmp_path):
    out = tmp_path / "paket"
    with pytest.raises(RuntimeError), staged(out) as stage:
        (stage / "a.csv").write_text("ny")
        raise RuntimeError
    assert not out.exists() and leftovers(tmp_path) == []


def test_new_pack_replaces_the_old_and_keeps_a_users_file(tmp_path):
    out = tmp_path / "paket"
    make_pack(out, {"diagram/gammal.png": "x", "a.csv": "1"})
    (out / "egen-anteckning.txt").write_text("min")
    make_pack(out, {"a.csv": "2"})
    assert (out / "a.csv").read_text() == "2"
    assert not (out / "diagram").exists()
    assert (out / "egen-anteckning.txt").read_text() == "min"


def test_changed_pack_file_is_not_overwritten(tmp_path):
    out = tmp_path / "paket"
    make_pack(out, {"a.csv": "1"})
    (out / "a.csv").write_text("mina ändringar")
    with pytest.raises(IndikatorError) as info:
        make_pack(out, {"a.csv": "2"})
    assert "har ändrats" in info.value.message
    assert (out / "a.csv").read_text() == "mina ändringar"


@pytest.mark.parametrize("entry", ["../victim.txt", "{victim}", "../data/styrelse.csv",
                                   "diagram/../../victim.txt", "..\\victim.txt", "C:victim.txt"])
def test_a_manifest_never_names_what_to_delete(tmp_path, entry):
    """A pack folder someone sent: its manifest lists files outside it."""
    victim = tmp_path / "victim.txt"
    victim.write_text("mitt")
    data = tmp_path / "data"
    data.mkdir()
    (data / "styrelse.csv").write_text("svar")
    out = tmp_path / "paket"
    out.mkdir()
    (out / "distributions.csv").write_text("x")
    (out / MANIFEST).write_text(f"distributions.csv\n{entry.format(victim=victim)}\n")
    with pytest.raises(IndikatorError):
        make_pack(out, {"distributions.csv": "y"})
    assert victim.read_text() == "mitt" and (data / "styrelse.csv").read_text() == "svar"
    assert (out / "distributions.csv").read_text() == "x"


def test_links_in_the_pack_are_refused(tmp_path):
    outside = tmp_path / "utanför"
    outside.mkdir()
    (outside / "viktig.txt").write_text("min")
    out = tmp_path / "paket"
    make_pack(out, {"a.csv": "1"})
    (out / "diagram").symlink_to(outside, target_is_directory=True)
    with pytest.raises(IndikatorError):
        make_pack(out, {"a.csv": "2"})
    assert (outside / "viktig.txt").read_text() == "min"


def test_refuses_folder_that_is_not_a_pack(tmp_path):
    (tmp_path / "viktigt.docx").write_text("årsredovisning")
    with pytest.raises(IndikatorError) as info, staged(tmp_path):
        pass
    assert info.value.exit_code == 2 and "--out" in info.value.message
    assert (tmp_path / "viktigt.docx").read_text() == "årsredovisning"


def test_hidden_files_and_empty_folders_do_not_block(tmp_path):
    out = tmp_path / "paket"
    (out / "diagram").mkdir(parents=True)  # left by a run of an older version, killed
    (out / ".gitkeep").write_text("")
    make_pack(out, {"a.csv": "1"})
    assert (out / "a.csv").exists() and (out / ".gitkeep").exists()


def test_two_runs_into_one_folder(tmp_path):
    out = tmp_path / "paket"
    with staged(out) as stage:
        (stage / "a.csv").write_text("1")
        with pytest.raises(IndikatorError) as info, staged(out):
            pass
        assert "En annan körning" in info.value.message
    assert (out / "a.csv").read_text() == "1"


def test_two_rename_swap_when_the_system_has_no_exchange(tmp_path, monkeypatch):
    import indikator.output.folder as packfolder

    monkeypatch.setattr(packfolder, "exchange", lambda a, b: False)
    out = tmp_path / "paket"
    make_pack(out, {"a.csv": "1"})
    make_pack(out, {"a.csv": "2"})
    assert (out / "a.csv").read_text() == "2" and leftovers(tmp_path) == []


def test_next_run_repairs_what_a_killed_run_left(tmp_path):
    out = tmp_path / "paket"
    make_pack(out, {"a.csv": "gammal"})
    before = tree(out)
    # killed between the two renames: the old pack is aside, the new one still staged
    out.rename(tmp_path / ".paket.indikator-old")
    (tmp_path / ".paket.indikator-staging-99999").mkdir()
    (tmp_path / ".paket.indikator-staging-99999" / "a.csv").write_text("halv")
    with pytest.raises(RuntimeError), staged(out):
        assert tree(out) == before  # put back before anything else
        raise RuntimeError
    assert tree(out) == before and leftovers(tmp_path) == []


KILLED = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    # widen every window: each rename of the swap, and each file written, takes a while
    rename = Path.rename
    def slow_rename(self, target):
        result = rename(self, target)
        time.sleep(0.08)
        return result
    Path.rename = slow_rename
    from indikator.output.folder import staged
    out, label = Path(sys.argv[1]), sys.argv[2]
    print("start", flush=True)
    with staged(out) as stage:
        for i in range(40):
            (stage / f"f{i:02d}.csv").write_text(label)
            time.sleep(0.005)
    print("done", flush=True)
""")


def is_whole(out, label):
    manifest = read_manifest(out)
    files = tree(out)
    return (manifest is not None and set(manifest) == set(files) - {MANIFEST}
            and all(files[f] == label.encode() for f in manifest) and len(manifest) == 40)


def test_kill_9_at_any_moment_leaves_a_whole_pack(tmp_path):
    """SIGKILL at moments spread over a run (writing, each rename of the swap, removing the
    old pack): --out is always the old pack or the new one, whole, and the next run works."""
    script = tmp_path / "run.py"
    script.write_text(KILLED)
    out = tmp_path / "paket"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    subprocess.run([sys.executable, script, out, "v0"], check=True, env=env,
                   stdout=subprocess.DEVNULL)
    timing = subprocess.Popen([sys.executable, script, out, "v0"], env=env,
                              stdout=subprocess.PIPE)
    timing.stdout.readline()
    began = time.monotonic()
    timing.communicate()
    duration = time.monotonic() - began  # from "start" to the end of a whole run
    label, outcomes = "v0", []
    for attempt in range(12):
        new = f"v{attempt + 1}"
        child = subprocess.Popen([sys.executable, script, out, new], env=env,
                                 stdout=subprocess.PIPE)
        child.stdout.readline()  # "start": imports done, the run begins
        time.sleep(duration * 1.25 * attempt / 11)  # spread over the run, the last after it
        child.send_signal(signal.SIGKILL)
        finished = b"done" in child.communicate()[0]
        assert out.exists() or not finished
        whole_old, whole_new = is_whole(out, label), is_whole(out, new)
        assert whole_old or whole_new or not out.exists(), (attempt, sorted(tree(out)))
        outcomes.append("new" if whole_new else "old" if whole_old else "aside")
        label = new if whole_new else label
        subprocess.run([sys.executable, script, out, f"r{attempt}"], check=True, env=env,
                       stdout=subprocess.DEVNULL)
        assert is_whole(out, f"r{attempt}")
        label = f"r{attempt}"
    assert leftovers(tmp_path) == []
    assert "old" in outcomes and "new" in outcomes, outcomes  # the kills did hit both sides


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x","klicka")', "=cmd|' /C calc'!A0",
                                  "+1+1", "-2+3", "@SUM(A1)"])
def test_formulas_are_neutralised_in_csv(tmp_path, text):
    path = write_csv(pd.DataFrame({"group": [text], "count": [-3]}), tmp_path / "t.csv")
    back = pd.read_csv(path)
    assert back["group"].iloc[0] == "'" + text
    assert back["count"].iloc[0] == -3  # numbers stay numbers


def children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_chart_workers_die_with_a_killed_run(tmp_path):
    from indikator.input.example import bundled_folder

    out = tmp_path / "paket"
    run = subprocess.Popen([sys.executable, "-m", "indikator", "pack", str(bundled_folder()),
                            "--out", str(out), "--jobs", "2", "--format", "png"],
                           stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    for line in run.stderr:
        if "diagram och dokument 25/" in line:
            break
    workers = children(run.pid)
    assert workers, "the run should draw in worker processes"
    run.send_signal(signal.SIGKILL)
    run.wait()
    deadline = time.time() + 10
    while time.time() < deadline and any(Path(f"/proc/{w}").exists() for w in workers):
        time.sleep(0.2)
    alive = [w for w in workers if Path(f"/proc/{w}").exists()
             and "Z" not in Path(f"/proc/{w}/stat").read_text().rsplit(")", 1)[1].split()[0]]
    assert alive == []
    assert not out.exists()  # the killed run never switched a pack in
    staging = [p for p in tmp_path.iterdir() if "indikator-staging" in p.name]
    assert staging  # …and left its staging folder, which the next run removes
    with staged(out) as stage:
        (stage / "a.csv").write_text("1")
    assert leftovers(tmp_path) == []


def test_png_writer_is_a_valid_png_with_its_resolution(tmp_path):
    """The hand-written PNG (charts.png: 8-bit RGBA with pHYs) reads back pixel for pixel,
    at 300 dpi; what is not RGBA is refused."""
    import numpy as np
    from PIL import Image

    from indikator.charts.png import png_bytes, write_png

    rng = np.random.default_rng(3)
    pixels = rng.integers(0, 256, size=(37, 53, 4), dtype=np.uint8)
    pixels[:10] = 255  # white paper and noise: both must survive
    pixels[10:, :, 3] = 255
    pixels[12, 5, 3] = 0  # and a transparent pixel keeps its alpha
    write_png(pixels, tmp_path / "x.png", 300)
    assert (tmp_path / "x.png").read_bytes() == png_bytes(pixels, 300)
    with Image.open(tmp_path / "x.png") as image:
        image.load()  # checks every chunk's CRC and the zlib stream
        assert image.mode == "RGBA" and image.size == (53, 37)
        assert np.array_equal(np.asarray(image), pixels)
        assert image.info["dpi"] == pytest.approx((300, 300), abs=0.01)
    with pytest.raises(ValueError, match="RGBA"):
        png_bytes(pixels[:, :, :3], 300)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 255), st.integers(1, 3000)), max_size=40),
       st.integers(0, 3))
def test_png_zlib_stream_is_the_one_isal_writes(runs, level):
    """The PNG's IDAT (charts.png.zlib_stream: ISA-L's raw deflate, zlib-ng's Adler-32)
    is byte for byte the zlib stream ISA-L writes whole, and inflates (its sum checked by
    zlib) to the data: over generated runs of bytes, as a chart's rows are, and empty."""
    import numpy as np
    from isal import isal_zlib

    from indikator.charts.png import zlib_stream

    data = b"".join(bytes([value]) * length for value, length in runs)
    stream = zlib_stream(np.frombuffer(data, dtype=np.uint8), level)
    assert stream == isal_zlib.compress(data, level)
    assert zlib.decompress(stream) == data
    broken = stream[:-1] + bytes([stream[-1] ^ 1])  # the sum is checked: not a dead field
    with pytest.raises(zlib.error, match="incorrect data check"):
        zlib.decompress(broken)


def test_svg_keeps_texts_as_text_with_a_fallback_font(tmp_path, catalog):
    """The SVG's texts are text (searchable, editable), in DejaVu Sans or, lacking it,
    Verdana; a centred label keeps its anchor whatever font draws it."""
    import xml.etree.ElementTree as ET

    from indikator.analysis.stats import distributions
    from indikator.charts import chart_specs, stacked_chart
    from indikator.charts.svg import FONTS
    from indikator.output.files import write_drawing

    answers = pd.DataFrame(
        [("styrelse", "2019", 2025, f"r{i}", "A", None, 1, 1 + i % 6) for i in range(12)],
        columns=["survey", "version", "year", "respondent", "group", "gender", "question",
                 "code"])
    dist = distributions(answers, answers.drop_duplicates("respondent"), catalog)
    write_drawing(stacked_chart(chart_specs(dist, catalog)[0]), tmp_path / "c", ("svg",), 300)
    svg = (tmp_path / "c.svg").read_text(encoding="utf-8")
    assert "Fråga 1 (n=12)" in svg and "17\u00a0%" in svg
    assert FONTS.startswith("'DejaVu Sans', Verdana")
    root = ET.fromstring(svg.encode("utf-8"))
    assert root.get("font-family") == FONTS  # one font list for the whole chart
    texts = {t.text: t for t in root.iter("{http://www.w3.org/2000/svg}text")}
    assert "font-family: 'DejaVu Sans';" not in svg
    assert texts["17\u00a0%"].get("text-anchor") == "middle"
    assert texts["Fråga 1 (n=12)"].get("text-anchor") == "end"


# ---- what the machine refuses, and folders made read-only (issue 17, points 9 and 11) ----

def cli(*args) -> tuple[int, str]:
    import contextlib
    import io

    from indikator.cli.main import run

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run([str(a) for a in args])
    return code, out.getvalue() + err.getvalue()


def small_export(folder: Path) -> Path:
    from conftest import write_csv as write_rows

    folder.mkdir(parents=True, exist_ok=True)
    rows = [["År", "F1", "F2", "F3"]] + [[2025, 1 + i % 6, 2, 3] for i in range(8)]
    return write_rows(folder / "styrelse.csv", rows)


def honour_permissions(monkeypatch):
    """Deleting in a folder without write permission fails, as it does for everyone but
    root (the tests may run as root, for whom chmod stops nothing)."""
    import stat

    def guarded(real):
        def call(path, *args, dir_fd=None, **kwargs):
            parent = (os.fstat(dir_fd) if dir_fd is not None
                      else os.stat(os.path.dirname(os.path.abspath(path))))
            if not parent.st_mode & stat.S_IWUSR:
                raise PermissionError(errno.EACCES, "Permission denied", str(path))
            return (real(path, *args, dir_fd=dir_fd, **kwargs) if dir_fd is not None
                    else real(path, *args, **kwargs))
        return call

    monkeypatch.setattr(os, "unlink", guarded(os.unlink))
    monkeypatch.setattr(os, "rmdir", guarded(os.rmdir))
    monkeypatch.setattr(os, "remove", guarded(os.remove))


def read_only(folder: Path) -> None:
    """chmod -R a-w"""
    for path in [folder, *folder.rglob("*")]:
        path.chmod(path.stat().st_mode & ~0o222)


def writable(folder: Path) -> None:
    for path in [folder, *folder.rglob("*")]:
        path.chmod(path.stat().st_mode | 0o200)


@pytest.mark.parametrize("code", [errno.EROFS, errno.EACCES, errno.ENOSPC,
                                  getattr(errno, "EDQUOT", errno.ENOSPC)])
def test_a_lock_file_that_cannot_be_written_is_a_plain_error(tmp_path, monkeypatch, code):
    """--out in a read-only place: the lock file beside it cannot be made."""
    real_open = os.open

    def refusing(path, *args, **kwargs):
        if str(path).endswith(".indikator-lock"):
            raise OSError(code, os.strerror(code), str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing)
    import builtins

    real_builtin = builtins.open

    def refusing_builtin(file, *args, **kwargs):  # however the lock file is opened
        if str(file).endswith(".indikator-lock"):
            raise OSError(code, os.strerror(code), str(file))
        return real_builtin(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", refusing_builtin)
    data = small_export(tmp_path / "svar")
    status, output = cli("pack", data, "--out", tmp_path / "paket", "--format", "xlsx")
    assert status == 2, output
    assert "Paketet kunde inte skrivas" in output and "Traceback" not in output
    assert "Internt fel" not in output
    assert leftovers(tmp_path) == []


@pytest.mark.skipif(not Path("/sys/kernel").is_dir(), reason="a Linux /sys")
def test_out_in_a_place_nobody_may_write(tmp_path):
    """/sys refuses new files even to root: a real read-only parent."""
    data = small_export(tmp_path / "svar")
    status, output = cli("pack", data, "--out", "/sys/indikator-paket", "--format", "xlsx")
    assert status == 2, output
    assert "Paketet kunde inte skrivas till" in output and "Internt fel" not in output


@pytest.mark.skipif(os.name == "nt" or os.geteuid() == 0, reason="chmod stops only non-root")
def test_out_whose_parent_is_read_only(tmp_path):
    data = small_export(tmp_path / "svar")
    parent = tmp_path / "las"
    parent.mkdir()
    parent.chmod(0o555)
    try:
        status, output = cli("pack", data, "--out", parent / "paket", "--format", "xlsx")
    finally:
        parent.chmod(0o755)
    assert status == 2, output
    assert "Internt fel" not in output


@pytest.mark.parametrize("target_kind", ["file", "missing", "folder"])
def test_a_link_planted_as_the_lock_file_is_never_followed(tmp_path, target_kind):
    data = small_export(tmp_path / "svar")
    victim = tmp_path / "offer"
    if target_kind == "file":
        victim.write_bytes(b"viktigt")
    elif target_kind == "folder":
        victim.mkdir()
    (tmp_path / ".paket.indikator-lock").symlink_to(victim)
    status, output = cli("pack", data, "--out", tmp_path / "paket", "--format", "xlsx")
    assert status == 2, output
    assert "länk" in output and "Internt fel" not in output
    if target_kind == "file":
        assert victim.read_bytes() == b"viktigt"
    elif target_kind == "missing":
        assert not victim.exists()  # the link's target was not created
    assert not (tmp_path / "paket").exists() and leftovers(tmp_path) == []


def test_a_folder_where_the_lock_file_goes(tmp_path):
    data = small_export(tmp_path / "svar")
    (tmp_path / ".paket.indikator-lock").mkdir()
    status, output = cli("pack", data, "--out", tmp_path / "paket", "--format", "xlsx")
    assert status == 2 and "Internt fel" not in output, output


@pytest.mark.parametrize("where", ["workbook", "csv", "summary"])
def test_a_full_disk_anywhere_in_writing_is_a_plain_error(tmp_path, monkeypatch, where):
    """XlsxWriter wraps the system's error in its own exception: still a full disk."""
    data = small_export(tmp_path / "svar")
    out = tmp_path / "paket"
    assert cli("pack", data, "--out", out, "--format", "xlsx")[0] == 0
    before = tree(out)
    full = OSError(getattr(errno, "EDQUOT", errno.ENOSPC), "Disk quota exceeded")
    if where == "workbook":
        import xlsxwriter
        from xlsxwriter.exceptions import FileCreateError

        def close(self):
            try:
                raise full
            except OSError as exc:
                raise FileCreateError(exc) from None  # as XlsxWriter does: no __cause__

        monkeypatch.setattr(xlsxwriter.Workbook, "close", close)
    elif where == "csv":
        monkeypatch.setattr(pd.DataFrame, "to_csv", lambda *a, **k: (_ for _ in ()).throw(full))
    else:
        import indikator.output.pack

        def write_text(text, path):
            raise full

        monkeypatch.setattr(indikator.output.pack, "write_text", write_text)
    status, output = cli("pack", data, "--out", out, "--format", "xlsx", "--min-n", "6")
    assert status == 2, output
    assert "Paketet kunde inte skrivas" in output and "Internt fel" not in output
    assert tree(out) == before and leftovers(tmp_path) == []


def test_a_read_only_old_pack_is_replaced_and_nothing_is_left_behind(tmp_path, monkeypatch):
    honour_permissions(monkeypatch)
    out = tmp_path / "paket"
    make_pack(out, {"a.csv": "gammal", "diagram/b.png": "y", "diagram/c.svg": "z"})
    read_only(out)
    try:
        make_pack(out, {"a.csv": "ny", "diagram/b.png": "y2"})
        assert (out / "a.csv").read_text() == "ny" and not (out / "diagram" / "c.svg").exists()
        assert leftovers(tmp_path) == []
    finally:
        writable(tmp_path)


def test_a_failed_run_leaves_a_read_only_old_pack_as_it_was(tmp_path, monkeypatch):
    honour_permissions(monkeypatch)
    out = tmp_path / "paket"
    make_pack(out, {"a.csv": "gammal", "diagram/b.png": "y"})
    read_only(out / "diagram")
    before = tree(out)
    modes = {p: p.stat().st_mode for p in out.rglob("*")}
    try:
        with pytest.raises(RuntimeError), staged(out) as stage:
            (stage / "a.csv").write_text("ny")
            raise RuntimeError("avbrott")
        assert tree(out) == before and leftovers(tmp_path) == []
        assert {p: p.stat().st_mode for p in out.rglob("*")} == modes
    finally:
        writable(tmp_path)


@pytest.mark.parametrize("exchange_works", [True, False])
def test_stale_folders_of_a_killed_run_are_cleaned_even_read_only(tmp_path, monkeypatch,
                                                                  exchange_works):
    honour_permissions(monkeypatch)
    if not exchange_works:
        monkeypatch.setattr("indikator.output.folder.exchange", lambda a, b: False)
    out = tmp_path / "paket"
    make_pack(out, {"a.csv": "1"})
    stale = tmp_path / ".paket.indikator-staging-999999"
    (stale / "diagram").mkdir(parents=True)
    (stale / "diagram" / "x.png").write_text("halvfärdig")
    aside = tmp_path / ".paket.indikator-old"
    (aside / "diagram").mkdir(parents=True)
    (aside / "diagram" / "y.png").write_text("gammal")
    read_only(stale)
    read_only(aside)
    try:
        make_pack(out, {"a.csv": "2"})
        assert leftovers(tmp_path) == [] and (out / "a.csv").read_text() == "2"
    finally:
        writable(tmp_path)


@settings(max_examples=25, deadline=None)
@given(entries=st.dictionaries(
    st.text(st.characters(codec="utf-8", exclude_characters="/\\\x00"), min_size=1,
            max_size=12).map(lambda name: f"word/{name}.xml"),
    st.binary(max_size=3000), min_size=1, max_size=6),
    comment=st.booleans())
def test_zip_dates_are_fixed_where_they_stand(tmp_path_factory, entries, comment):
    """fixed_zip_times dates every entry 1980-01-01 in place: zipfile reads the same
    names and bytes (CRCs checked), two packages written at different times become the
    same bytes, and the compressed streams are not touched (only the dates differ)."""
    import zipfile

    from indikator.output.files import fixed_zip_times

    folder = tmp_path_factory.mktemp("zip")
    paths = []
    for i, when in enumerate([(2026, 12, 3, 11, 5, 58), (2031, 6, 1, 23, 59, 40)]):
        path = folder / f"{i}.docx"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
            for name, data in entries.items():
                info = zipfile.ZipInfo(name, date_time=when)
                info.compress_type = zipfile.ZIP_DEFLATED if len(data) % 2 else \
                    zipfile.ZIP_STORED
                package.writestr(info, data)
            if comment:
                package.comment = b"a comment, as some zip writers leave"
        before = path.read_bytes()
        fixed_zip_times(path)
        after = path.read_bytes()
        assert len(after) == len(before)
        assert sum(a != b for a, b in zip(after, before, strict=True)) <= 8 * len(entries)
        with zipfile.ZipFile(path) as package:
            assert package.testzip() is None
            assert {i.filename: package.read(i) for i in package.infolist()} == entries
            assert {i.date_time for i in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        paths.append(path)
    assert paths[0].read_bytes() == paths[1].read_bytes()


def test_a_file_that_is_not_a_zip_is_refused(tmp_path):
    from indikator.output.files import fixed_zip_times

    path = tmp_path / "x.docx"
    path.write_bytes(b"not a zip at all")
    with pytest.raises(ValueError, match="not a zip"):
        fixed_zip_times(path)
    assert path.read_bytes() == b"not a zip at all"


@settings(max_examples=25, deadline=None)
@given(parts=st.dictionaries(
    st.tuples(st.text(st.characters(codec="utf-8", exclude_characters="/\\\x00"),
                      min_size=1, max_size=12),
              st.sampled_from([".xml", ".rels", ".png", ".PNG", ".jpeg"]))
    .map(lambda name: f"word/{name[0]}{name[1]}"),
    st.binary(max_size=5000) | st.binary(max_size=40).map(lambda b: b * 200),
    min_size=1, max_size=6))
def test_office_zip_deflates_every_part_dated_1980(tmp_path_factory, parts):
    """OfficeZip, the zip python-docx writes into: each part written by name reads back
    the same (CRCs checked), deflated and dated 1980-01-01, the same parts give the same
    bytes, and images are deflated by ISA-L (level 2, raw), everything else by zlib."""
    import zipfile

    from isal import isal_zlib

    from indikator.output.files import OfficeZip

    folder = tmp_path_factory.mktemp("office")
    for name in ("a.docx", "b.docx"):
        with OfficeZip(folder / name, "w") as package:
            for part, data in parts.items():
                package.writestr(part, data)
    assert (folder / "a.docx").read_bytes() == (folder / "b.docx").read_bytes()
    with zipfile.ZipFile(folder / "a.docx") as package:
        assert package.testzip() is None
        assert {i.filename: package.read(i) for i in package.infolist()} == parts
        for info in package.infolist():
            assert info.date_time == (1980, 1, 1, 0, 0, 0)
            assert info.compress_type == zipfile.ZIP_DEFLATED
            data = parts[info.filename]
            deflater = (isal_zlib.compressobj(2, isal_zlib.DEFLATED, -15)
                        if info.filename.lower().endswith((".png", ".jpeg"))
                        else zlib.compressobj(6, zlib.DEFLATED, -15))
            assert info.compress_size == len(deflater.compress(data) + deflater.flush())


def test_word_keeps_its_charts_as_drawn(example_pack):
    """The example's Word files hold each chart's PNG byte for byte as the documents'
    copy in the cache, every part dated 1980-01-01, and reopen in python-docx."""
    import zipfile

    import docx

    folder = example_pack[1]
    copies = {p.read_bytes() for p in folder.rglob("*.png")}
    for name in ("indikatorer.docx", "indikatorer-fordjupning.docx"):
        with zipfile.ZipFile(folder / name) as package:
            assert package.testzip() is None
            images = [package.read(i) for i in package.infolist()
                      if i.filename.startswith("word/media/")]
            assert images and all(image in copies for image in images)
            assert {i.date_time for i in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert len(docx.Document(str(folder / name)).inline_shapes) == len(images)
