"""`indikator app`: the local web page, driven as a user drives it, in real Chromium.

The server runs as the installed command (`python -m indikator app --no-browser`), read
from the URL line it prints. The page must show what was found and every problem as
validate does, keep the forms in the user's folder, build the same pack the command line
builds (the zip against `indikator pack`, byte for byte), refuse a request without the
token, with a foreign Host or with too large a body, and leave no answers behind.
"""

from __future__ import annotations

import http.client
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_documents import BROWSER_ARGS, chromium

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "responses"


SPAWNED = ("import multiprocessing, sys\n"
           "multiprocessing.set_start_method('spawn', force=True)\n"
           "from indikator.cli.main import main\n"
           "if __name__ == '__main__':\n"
           "    main()\n")


def start(folder: Path, scratch: Path, spawn: bool = False) -> tuple[subprocess.Popen, str]:
    """The app as a user starts it (spawn: its chart workers started as on Windows); its
    URL from the line it prints."""
    env = {**os.environ, "TMPDIR": str(scratch), "TEMP": str(scratch), "TMP": str(scratch),
           "PYTHONIOENCODING": "utf-8"}
    program = ["-c", SPAWNED, "app"] if spawn else ["-m", "indikator", "app"]
    proc = subprocess.Popen([sys.executable, *program, str(folder), "--no-browser"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True,
                            encoding="utf-8")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if line.startswith("http://127.0.0.1:"):
            return proc, line.strip()
        if not line and proc.poll() is not None:
            break
    proc.kill()
    pytest.fail(f"no URL from indikator app: {proc.stderr.read()}")


def stop(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGINT)  # Ctrl+C, as the user stops it
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise


@pytest.fixture
def app(tmp_path):
    folder, scratch = tmp_path / "mapp", tmp_path / "tmp"
    folder.mkdir()
    scratch.mkdir()
    proc, url = start(folder, scratch)
    yield url, folder, scratch
    stop(proc)
    # the uploaded answers were in a temporary folder, removed when the app stopped
    assert list(scratch.iterdir()) == []


def get(url: str, headers: dict | None = None) -> tuple[int, bytes, dict]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), dict(exc.headers)


def post(url: str, body: bytes, headers: dict) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_token_and_host_are_required(app):
    url, _, _ = app
    base, token = url.split("/?token=")
    status, body, headers = get(url)
    assert status == 200
    page = body.decode("utf-8")
    assert page.count('type="file"') == 1 and "Bygg paketet" in page
    assert "default-src 'self'" in headers["content-security-policy"]
    assert "http" not in page.replace("http-equiv", "").split("<body>")[1]  # nothing outside
    other = token[:-1] + ("A" if token[-1] != "A" else "B")  # one character wrong
    for wrong in (base + "/", base + "/?token=" + other, base + "/status"):
        status, body, _ = get(wrong)
        assert status == 403 and "Nyckeln" in body.decode("utf-8")
    assert get(base + "/status", {"X-Token": token})[0] == 200
    # a page from elsewhere that got its name resolved to 127.0.0.1 (DNS rebinding)
    port = urlsplit(url).port
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/?token=" + token, headers={"Host": f"evil.example:{port}"})
    assert connection.getresponse().status == 400
    # a pack file outside the pack, or the pack's internal cache, is not served
    for path in ("/paket/../mal_och_svarsfrekvens.xlsx", "/paket/.indikator-cache/run.txt",
                 "/paket/%2e%2e/x"):
        assert get(base + path, {"X-Token": token})[0] == 404


def multipart(files: dict[str, bytes], settings: dict | None = None) -> tuple[bytes, str]:
    boundary = "----indikator-test-boundary"
    out = io.BytesIO()
    for name, data in files.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="filer"; '
                  f'filename="{name}"\r\nContent-Type: application/octet-stream\r\n\r\n'
                  .encode())
        out.write(data + b"\r\n")
    out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="installningar"\r\n\r\n'
              f'{json.dumps(settings or {})}\r\n--{boundary}--\r\n'.encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def test_uploads_are_limited_and_names_checked(tmp_path):
    """The limit holds with a Content-Length and without one (chunked), in-process."""
    import uvicorn

    from indikator.app.server import listening_socket, make_app
    from indikator.app.workspace import Workspace

    sock = listening_socket(0)
    port = sock.getsockname()[1]
    app = make_app(Workspace(tmp_path, tmp_path / "scratch"), "t" * 20, max_upload=64 * 1024,
                   max_files=3)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        headers = {"X-Token": "t" * 20, "Host": f"127.0.0.1:{port}"}
        body, kind = multipart({"stor.csv": b"x" * 70_000})
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("POST", "/filer", body, {**headers, "Content-Type": kind})
        response = connection.getresponse()
        assert response.status == 413 and "högst" in json.loads(response.read())["fel"]
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("POST", "/filer", iter([body[:30_000], body[30_000:]]),
                           {**headers, "Content-Type": kind}, encode_chunked=True)
        response = connection.getresponse()
        assert response.status == 413
        assert not (tmp_path / "scratch" / "svar").exists()
        body, kind = multipart({f"{i}.csv": b"a" for i in range(4)})
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("POST", "/filer", body, {**headers, "Content-Type": kind})
        assert connection.getresponse().status == 400  # more files than max_files
        for name in (".dold.csv", "program.exe", "../"):
            body, kind = multipart({name: b"a"})
            status, answer = post(f"http://127.0.0.1:{port}/filer", body,
                                  {**headers, "Content-Type": kind})
            assert status == 400 and "fel" in json.loads(answer), name
        # a path sent as the name keeps only the file's own name
        body, kind = multipart({"C:\\Users\\anna\\svar\\personal_2025.csv":
                                (EXAMPLE / "personal_2025.csv").read_bytes()})
        status, answer = post(f"http://127.0.0.1:{port}/filer", body,
                              {**headers, "Content-Type": kind})
        assert status == 200 and json.loads(answer)["files"] == ["personal_2025.csv"]
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def browser_page(p):
    browser = p.chromium.launch(executable_path=chromium(), headless=True, args=BROWSER_ARGS)
    page = browser.new_page(viewport={"width": 1200, "height": 1500}, accept_downloads=True)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return browser, page, errors


def broken_example(folder: Path) -> Path:
    """The example with one answer that is on no scale ("Nja", row 4, column F)."""
    shutil.copytree(EXAMPLE, folder)
    path = folder / "personal_2025.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    cells = lines[3].split(";")
    assert cells[5] in ("Alltid", "Ofta", "Ibland", "Sällan", "Aldrig", "För det mesta")
    cells[5] = "Nja"
    lines[3] = ";".join(cells)
    path.write_text("".join(lines), encoding="utf-8-sig")
    return path


def test_the_page_checks_builds_and_downloads_the_cli_pack(app, tmp_path):
    from playwright.sync_api import sync_playwright

    url, folder, _ = app
    broken = broken_example(tmp_path / "trasig")
    with sync_playwright() as p:
        browser, page, errors = browser_page(p)
        page.goto(url)
        # the files with a problem: named with file, row and column, as validate names it
        page.set_input_files("#filer", sorted(broken.parent.iterdir()))
        page.wait_for_selector("#problem-tabell tbody tr.fel")
        wrong = page.inner_text("#problem-tabell tbody tr.fel")
        assert "personal_2025.csv" in wrong and "4" in wrong and "F" in wrong
        assert "Nja" in wrong
        assert "fel" in page.inner_text("#filstatus")
        # the corrected file chosen again: it replaces the wrong one, the others stay
        page.set_input_files("#filer", [EXAMPLE / "personal_2025.csv"])
        page.locator("#filstatus", has_text="inga fel").wait_for()
        assert "Valda filer (9)" in page.inner_text("#valda")
        found = page.inner_text("#hittat-tabell")
        for survey in ("Deltagare pågående", "Deltagare avslut", "Personal",
                       "Beredningsgrupp", "Styrelse"):
            assert survey in found
        assert "2023" in found and "2025" in found
        notes = page.inner_text("#problem-tabell")  # the goals and rates found, by their names
        assert "mal.toml" in notes and "svarsfrekvens_2025.xlsx" in notes
        assert "indikator-app" not in page.inner_text("body")  # not the temporary folder
        page.fill("#forbund", "Samordningsförbundet Exempel")
        page.click("#bygg")
        page.locator("#byggstatus", has_text="klart").wait_for(timeout=240_000)
        images = page.locator("#diagram img")
        for i in range(3):  # the first charts, as the user sees them, drawn from the pack
            images.nth(i).scroll_into_view_if_needed()
            assert images.nth(i).evaluate("i => i.decode().then(() => i.naturalWidth)") > 500
        images = images.count()
        assert (folder / "paket" / "indikatorer.pdf").is_file()  # in the user's folder too
        with page.expect_download() as download:
            page.click("#ladda")
        assert download.value.suggested_filename == "indikatorpaket.zip"
        zipped = tmp_path / "paket.zip"
        download.value.save_as(zipped)
        # downloads at the same time read the same finished file
        token = url.split("token=")[1]
        with ThreadPoolExecutor(4) as pool:
            copies = list(pool.map(lambda _: get(url.split("/?")[0] + "/indikatorpaket.zip",
                                                 {"X-Token": token})[1], range(4)))
        assert all(c == zipped.read_bytes() for c in copies)
        assert page.locator("#dokument a", has_text="indikatorer.pdf").count() == 1
        browser.close()
    assert errors == []
    # the same pack as the command line makes of the same files and choices, written to
    # the same folder (the summary names it)
    same = tmp_path / "svar"
    shutil.copytree(EXAMPLE, same)
    cli = folder / "paket"
    done = subprocess.run([sys.executable, "-m", "indikator", "pack", str(same), "--out",
                           str(cli), "--forbund", "Samordningsförbundet Exempel"],
                          capture_output=True, text=True, encoding="utf-8")
    assert done.returncode == 0, done.stderr
    expected = {p.relative_to(cli).as_posix(): p.read_bytes() for p in cli.rglob("*")
                if p.is_file() and not p.relative_to(cli).parts[0].startswith(".indikator-")}
    with zipfile.ZipFile(zipped) as archive:
        got = {name: archive.read(name) for name in archive.namelist()}
    assert sorted(got) == sorted(expected)
    assert [n for n in got if got[n] != expected[n]] == []
    assert images == len([n for n in got if n.startswith("diagram/")
                               and n.endswith(".png")])


def test_forms_are_kept_in_the_folder_and_checked(app, tmp_path):
    """Goals typed as a Swede types them, saved beside the user's files; a wrong one is
    named by sheet, row and column; the saved file is what the next start shows."""
    from playwright.sync_api import sync_playwright

    from indikator.output.template import read_rows

    url, folder, _ = app
    answers = tmp_path / "svar"
    answers.mkdir()
    for name in ("deltagare_pagaende_2025.csv", "indikatorer_2024.xlsx"):
        shutil.copy(EXAMPLE / name, answers / name)
    with sync_playwright() as p:
        browser, page, errors = browser_page(p)
        page.goto(url)
        page.set_input_files("#filer", sorted(answers.iterdir()))
        page.wait_for_selector("#hittat-tabell tbody tr")
        goal = page.locator("#mal tbody tr").first.locator("input")
        for i, text in enumerate(["Deltagarna känner sig trygga", "Deltagare pågående", "1–3",
                                  "", "medelvärde", "minst", "4,5"]):
            goal.nth(i).fill(text)
        page.click("#mal-rad")
        second = page.locator("#mal tbody tr").nth(1).locator("input")
        for i, text in enumerate(["Styrelsen är nöjd", "Styrelsen", "1", "", "", "minst",
                                  "sjuttio"]):
            second.nth(i).fill(text)
        page.click("#spara")
        page.wait_for_selector("#problem-tabell tbody tr.fel")
        rows = [r.split("\t") for r in
                page.locator("#problem-tabell tbody tr.fel").all_inner_texts()]
        # the second goal's level, named as a cell of the workbook: sheet, row 3, column G
        assert any(r[1].endswith("mal_och_svarsfrekvens.xlsx")
                   and r[2:5] == ["Mål", "3", "G (Nivå)"] and "sjuttio" in r[5]
                   for r in rows), rows
        second.nth(6).fill("70 %")
        page.click("#spara")
        page.locator("#formstatus", has_text="inga fel").wait_for()
        browser.close()
    assert errors == []
    saved = folder / "mal_och_svarsfrekvens.xlsx"
    rows = read_rows(saved)["mal"]
    assert rows[0][:7] == ["Deltagarna känner sig trygga", "Deltagare pågående", "1–3", "",
                           "medelvärde", "minst", "4,5"]
    assert rows[1][6] == "70 %"  # a level kept as typed
    # the saved workbook is what the command line reads with --mal: the same goals
    from indikator.input.goals import read_goals
    from indikator.questionnaires import load_catalog

    goals = read_goals(saved, load_catalog())
    assert [g.name for g in goals] == ["Deltagarna känner sig trygga", "Styrelsen är nöjd"]
    assert goals[0].target == pytest.approx(4.5) and goals[1].target == pytest.approx(70)


def test_a_pack_beside_the_exports_is_not_taken_for_exports(tmp_path):
    """The page (and the README's pack command) writes paket/ into the user's folder:
    its CSV tables must not be read as answers, said to be unread exports, or taken for a
    förbund's folder; another subfolder with exports still is."""
    from indikator.input.members import _subfolders
    from indikator.output.folder import MANIFEST
    from indikator.reading import files_below, hidden_below

    (tmp_path / "paket" / ".gammalt").mkdir(parents=True)
    (tmp_path / "paket" / "distributions.csv").write_text("a;b\n", encoding="utf-8")
    (tmp_path / "paket" / ".gammalt" / "x.csv").write_text("a;b\n", encoding="utf-8")
    (tmp_path / "2024").mkdir()
    (tmp_path / "2024" / "personal.csv").write_text("a;b\n", encoding="utf-8")
    before = files_below(tmp_path)
    assert [p.name for p in before] == ["personal.csv", "distributions.csv"]
    (tmp_path / "paket" / MANIFEST).write_text("# indikator-pack 2\n", encoding="utf-8")
    assert [p.name for p in files_below(tmp_path)] == ["personal.csv"]
    assert hidden_below(tmp_path) == []
    assert [p.name for p in _subfolders(tmp_path)] == ["2024"]


@pytest.mark.parametrize("how", ["SIGTERM", "SIGHUP"])
def test_the_answers_are_removed_however_the_app_is_stopped(tmp_path, how):
    """Ctrl+C is tested by every fixture above; a stop from the system (SIGTERM; on
    Windows a closed console window arrives as SIGBREAK, handled the same way) or a closed
    terminal (SIGHUP) must remove the uploaded answers too."""
    folder, scratch = tmp_path / "mapp", tmp_path / "tmp"
    folder.mkdir()
    scratch.mkdir()
    proc, url = start(folder, scratch)
    base, token = url.split("/?token=")
    body, kind = multipart({"personal_2025.csv": (EXAMPLE / "personal_2025.csv").read_bytes()})
    status, _ = post(base + "/filer", body, {"X-Token": token, "Content-Type": kind})
    assert status == 200
    assert any(scratch.rglob("personal_2025.csv"))
    proc.send_signal(getattr(signal, how))
    proc.wait(timeout=30)
    assert list(scratch.iterdir()) == []


def test_a_folder_left_by_a_killed_app_is_swept_at_the_next_start(tmp_path, monkeypatch):
    """A power cut or a killed process leaves answers behind: the next start removes the
    folders whose app no longer runs, never one whose app does."""
    import tempfile

    from indikator.app import scratch as lifetime

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    for name, owner in (("indikator-app-gone", dead), ("indikator-app-live", os.getpid()),
                        ("indikator-app-other", str(os.getppid()))):
        (tmp_path / name / "svar").mkdir(parents=True)
        (tmp_path / name / "svar" / "personal.csv").write_text("x", encoding="utf-8")
        (tmp_path / name / lifetime.OWNER).write_text(str(owner), encoding="utf-8")
    (tmp_path / "indikator-app-unknown").mkdir()  # no owner file: not ours to judge
    lifetime.sweep_scratch()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "indikator-app-live", "indikator-app-other", "indikator-app-unknown"]
    with lifetime.scratch_folder() as scratch:
        assert scratch.parent == tmp_path and (scratch / lifetime.OWNER).is_file()
    assert not scratch.exists()


def test_nothing_a_build_reads_changes_under_it(tmp_path):
    """While a build runs (it holds the lock), new files, clearing them and saving the
    forms are refused with a message; afterwards they go through."""
    from indikator.app.workspace import Workspace
    from indikator.errors import IndikatorError

    work = Workspace(tmp_path / "mapp", tmp_path / "scratch")
    (tmp_path / "mapp").mkdir()
    chosen = [("personal_2025.csv", io.BytesIO(b"a;b\n"))]
    work.add_files(chosen)
    work._lock.acquire()  # as start_build does
    work.build.state = "ritar"
    try:
        for attempt in (lambda: work.add_files([("styrelse.csv", io.BytesIO(b"x"))]),
                        work.clear_files,
                        lambda: work.save_forms([["Mål", "Styrelse", "1"]], [])):
            with pytest.raises(IndikatorError, match="byggs"):
                attempt()
        assert work.files() == ["personal_2025.csv"] and not work.forms.exists()
    finally:
        work._lock.release()
    work.add_files([("styrelse.csv", io.BytesIO(b"x"))])
    assert work.files() == ["personal_2025.csv", "styrelse.csv"]


@pytest.mark.parametrize("name, says", [
    ("CON.csv", "enhet"), ("nul.xlsx", "enhet"), ("LPT1.csv", "enhet"),
    (".dold.csv", "går inte"), ("program.exe", "bara exportfiler"), ("", "går inte"),
])
def test_a_name_windows_cannot_hold_is_refused(name, says):
    from indikator.app.workspace import upload_name
    from indikator.errors import IndikatorError

    with pytest.raises(IndikatorError, match=says):
        upload_name(name)


def test_two_names_that_differ_only_in_case_are_one_file_on_windows(tmp_path):
    from indikator.app.workspace import Workspace
    from indikator.errors import IndikatorError

    work = Workspace(tmp_path, tmp_path / "scratch")
    with pytest.raises(IndikatorError, match="stora och små"):
        work.add_files([("Personal.csv", io.BytesIO(b"1")), ("personal.csv", io.BytesIO(b"2"))])
    assert work.files() == []
    work.add_files([("Personal.csv", io.BytesIO(b"1"))])
    work.add_files([("personal.csv", io.BytesIO(b"2"))])  # the corrected file, renamed
    assert work.files() == ["personal.csv"]


@pytest.mark.parametrize("asked", [
    "diagram\\..\\.indikator-pack", "x\\..\\.indikator-cache\\a.png", ".indikator-pack",
    "../mal_och_svarsfrekvens.xlsx", "diagram/../../x", "C:/Windows/win.ini", "/etc/passwd",
    "a\0b", "",
])
def test_only_the_packs_own_files_are_served(tmp_path, asked):
    """Windows reads a backslash as a separator: a name with one is never a pack file."""
    from indikator.app.workspace import Workspace

    work = Workspace(tmp_path / "mapp", tmp_path / "scratch")
    (work.pack / "diagram").mkdir(parents=True)
    (work.pack / "diagram" / "a.png").write_bytes(b"png")
    (work.pack / ".indikator-pack").write_text("x", encoding="utf-8")
    (tmp_path / "mapp" / "mal_och_svarsfrekvens.xlsx").write_bytes(b"x")
    assert work.pack_file(asked) is None
    assert work.pack_file("diagram/a.png") == (work.pack / "diagram" / "a.png").resolve()


def test_a_damaged_forms_workbook_is_said_and_can_be_saved_over(tmp_path):
    from indikator.app.workspace import Settings, Workspace

    (tmp_path / "mapp").mkdir()
    work = Workspace(tmp_path / "mapp", tmp_path / "scratch")
    work.forms.write_text("inte en arbetsbok", encoding="utf-8")
    rows = work.form_rows()
    assert rows["mal"] == [] and "kunde inte läsas" in rows["fel"]
    work.add_files([("personal_2025.csv",
                     io.BytesIO((EXAMPLE / "personal_2025.csv").read_bytes()))])
    found = work.check(Settings())
    assert found["errors"] and any("mal_och_svarsfrekvens.xlsx" in p["file"] + p["message"]
                                   for p in found["problems"])
    work.save_forms([], [["Personal", "2025", "", "20", "1", ""]])
    assert work.form_rows() == {"mal": [], "svarsfrekvens": [["Personal", "2025", "", "20",
                                                               "1", ""]]}
    assert work.check(Settings())["errors"] == 0


def test_the_command_lines_options_are_named_as_the_page_names_them(tmp_path):
    from indikator.app.workspace import Workspace

    work = Workspace(tmp_path, tmp_path / "scratch")
    said = work.shown("Rätta värdena, eller kör med --skip-invalid. --min-n ska vara ett "
                      f"heltal. Se {tmp_path / 'mal_och_svarsfrekvens.xlsx'}.")
    assert "--" not in said and "Värden utanför skalan" in said
    assert "Minsta antal svarande" in said and str(tmp_path) not in said


def test_the_exports_already_in_the_folder_are_chosen_at_start(tmp_path):
    """README: make a folder, put the exports there, start the page on it. They are
    chosen already (copied; the folder is only read), but not the forms' workbook, nor a
    pack's tables."""
    import hashlib

    from indikator.app.workspace import Settings, Workspace

    folder = tmp_path / "Indikatorer 2025 – Åre"
    shutil.copytree(EXAMPLE, folder)
    (folder / "mal.toml").unlink()
    (folder / "mal_och_svarsfrekvens.xlsx").write_bytes(b"not read as answers")
    (folder / "paket").mkdir()
    (folder / "paket" / "distributions.csv").write_text("a;b\n", encoding="utf-8")
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()
              if p.is_file()}
    work = Workspace(folder, tmp_path / "scratch")
    adopted = work.adopt_folder()
    assert sorted(adopted) == sorted(p.name for p in EXAMPLE.iterdir()
                                     if p.name != "mal.toml")
    assert before == {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
                      for p in folder.iterdir() if p.is_file()}
    (folder / "mal_och_svarsfrekvens.xlsx").unlink()
    found = work.check(Settings())
    assert found["errors"] == 0 and len(found["files"]) == len(adopted)


def test_an_error_in_the_forms_is_said_to_be_fixed_in_the_forms(tmp_path):
    """With no export chosen yet, saving a wrong goal is checked at once; with exports,
    an error in the forms is counted apart (the page tells where to fix it)."""
    from indikator.app.workspace import Settings, Workspace

    (tmp_path / "mapp").mkdir()
    work = Workspace(tmp_path / "mapp", tmp_path / "scratch")
    work.save_forms([["Nöjda", "Okänd enkät", "1", "", "", "minst", "70"]], [])
    alone = work.check(Settings())
    assert alone["files"] == [] and alone["errors"] >= 1 and alone["form_errors"] >= 1
    assert any("Deltagare, pågående" in p["message"] for p in alone["problems"])
    work.add_files([("personal_2025.csv",
                     io.BytesIO((EXAMPLE / "personal_2025.csv").read_bytes()))])
    both = work.check(Settings())
    assert both["errors"] == both["form_errors"] >= 1


def test_the_page_builds_with_workers_started_as_on_windows(tmp_path):
    """On Windows the chart workers are spawned (a fresh interpreter each), here from the
    build's thread inside the server: the pack is built and the answers removed after."""
    folder, scratch = tmp_path / "mapp", tmp_path / "tmp"
    folder.mkdir()
    scratch.mkdir()
    proc, url = start(folder, scratch, spawn=True)
    base, token = url.split("/?token=")
    headers = {"X-Token": token}
    try:
        body, kind = multipart({"styrelse_2025.csv": (EXAMPLE / "styrelse_2025.csv")
                                .read_bytes()})
        assert post(base + "/filer", body, {**headers, "Content-Type": kind})[0] == 200
        status, _ = post(base + "/bygg", json.dumps({"bilaga": []}).encode(),
                         {**headers, "Content-Type": "application/json"})
        assert status == 200
        deadline = time.monotonic() + 240
        while (state := json.loads(get(base + "/status", headers)[1]))["state"] in (
                "läser", "ritar") and time.monotonic() < deadline:
            time.sleep(0.5)
        assert state["state"] == "klar", state["message"]
        assert state["charts"] and (folder / "paket" / "indikatorer.pdf").is_file()
    finally:
        stop(proc)
    assert list(scratch.iterdir()) == []


def test_saving_the_forms_keeps_the_workbook_as_it_was(tmp_path):
    """The forms write the workbook anew: what the user added in Excel (a note, another
    sheet) is kept in a copy that nothing reads as an input, and the folder's exports are
    still only the exports."""
    from openpyxl import load_workbook

    from indikator.app.workspace import Workspace
    from indikator.reading import export_files

    (tmp_path / "mapp").mkdir()
    work = Workspace(tmp_path / "mapp", tmp_path / "scratch")
    work.save_forms([], [["Personal", "2025", "", "20", "1", ""]])
    assert not work.previous_forms.exists()
    book = load_workbook(work.forms)
    book.create_sheet("Anteckningar")["A1"] = "Styrelsens beslut 12 mars"
    book.save(work.forms)
    work.save_forms([], [["Personal", "2025", "", "21", "1", ""]])
    kept = load_workbook(io.BytesIO(work.previous_forms.read_bytes()))
    assert kept["Anteckningar"]["A1"].value == "Styrelsens beslut 12 mars"
    assert work.form_rows()["svarsfrekvens"][0][3] == "21"
    assert [p.name for p in export_files(work.folder)] == ["mal_och_svarsfrekvens.xlsx"]


def test_a_percent_cell_survives_the_forms_round_trip(tmp_path, catalog):
    """A Mål sheet filled in Excel ("70 %" kept as 0.7 in a percent cell, "100 %" as 1)
    shown in the forms and saved again means the same goals."""
    from openpyxl import Workbook

    from indikator.app.workspace import Workspace
    from indikator.input.goals import read_goals

    (tmp_path / "mapp").mkdir()
    work = Workspace(tmp_path / "mapp", tmp_path / "scratch")
    book = Workbook()
    sheet = book.active
    sheet.title = "Mål"
    sheet.append(["Mål", "Enkät", "Frågor", "Grupp", "Mått", "Jämförelse", "Nivå"])
    sheet.append(["Nytta", "Personal", "3", "", "", "minst", 0.7])
    sheet.append(["Alla", "Personal", "4", "", "andel positiva", "minst", 1])
    sheet.append(["Snitt", "Personal", "4", "", "medelvärde", "minst", 3.5])
    for cell in ("G2", "G3"):
        sheet[cell].number_format = "0%"
    book.create_sheet("Svarsfrekvens").append(["Enkät", "År", "Insats", "Tillfrågade"])
    book.save(work.forms)
    before = [(g.name, g.target) for g in read_goals(work.forms, catalog)]
    assert before == [("Nytta", 70.0), ("Alla", 100.0), ("Snitt", 3.5)]
    rows = work.form_rows()["mal"]
    assert [r[6] for r in rows] == ["70 %", "100 %", "3,5"]
    work.save_forms(rows, [])
    assert [(g.name, g.target) for g in read_goals(work.forms, catalog)] == before


@pytest.mark.parametrize("row, column, says", [
    (["X", "Nyckelfråga", "3", "", "", "minst", "70"], "Enkät", "okänd enkät"),
    (["X", "Deltagare avslut", "4", "", "medelvärde", "minst", "3"], "Mått", "medelvärde"),
    (["X", "Personal", "3", "", "andel", "minst", "70", "7"], "Svar", "7"),
    (["X", "Personal", "3", "", "andel", "minst", "70"], "Svar", "Svar"),
    (["X", "Personal", "3", "", "", "högst", "1"], "Nivå", "1 % eller lägre"),
])
def test_a_goal_problem_names_the_cell_to_fix(tmp_path, catalog, row, column, says):
    """The column is found from the check's words, not from what the user typed (a
    survey named Nyckelfråga is no question)."""
    from indikator.errors import IndikatorError
    from indikator.input.goal_sheets import read_goal_sheets
    from indikator.output.template import write_template
    from indikator.reading import read_file

    path = write_template(tmp_path / "mal.xlsx", [row], [])
    with pytest.raises(IndikatorError) as error:
        read_goal_sheets([s for s in read_file(path) if s.sheet == "Mål"], catalog)
    (problem,) = error.value.problems
    assert says in problem.message and problem.location.column == column, problem


def test_an_error_in_the_forms_rates_is_no_files_error(tmp_path):
    from indikator.app.workspace import Settings, Workspace

    (tmp_path / "mapp").mkdir()
    work = Workspace(tmp_path / "mapp", tmp_path / "scratch")
    work.add_files([("personal_2025.csv",
                     io.BytesIO((EXAMPLE / "personal_2025.csv").read_bytes()))])
    work.save_forms([], [["Personal", "2025", "", "12", "0", ""]])  # 18 answered
    found = work.check(Settings())
    assert found["errors"] >= 1 and found["form_errors"] >= 1 and found["file_errors"] == 0


def test_the_folder_is_adopted_as_pack_reads_it(tmp_path):
    """mal.toml is read beside the exports, last year's mal_2024.toml is not; two names
    that Windows holds as one are one file."""
    from indikator.app.workspace import Workspace

    folder = tmp_path / "mapp"
    shutil.copytree(EXAMPLE, folder)
    shutil.copy(folder / "mal.toml", folder / "mal_2024.toml")
    shutil.copy(folder / "styrelse_2025.csv", folder / "Styrelse_2025.csv")
    work = Workspace(folder, tmp_path / "scratch")
    adopted = work.adopt_folder()
    assert "mal.toml" in adopted and "mal_2024.toml" not in adopted
    assert len([n for n in adopted if n.casefold() == "styrelse_2025.csv"]) == 1


def test_a_running_apps_folder_is_kept_on_windows(tmp_path, monkeypatch):
    """On Windows a running app holds its owner file open, so it cannot be removed: the
    sweep keeps that folder and takes one whose owner file goes."""
    import tempfile

    from indikator.app import scratch as lifetime

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(lifetime.sys, "platform", "win32")
    for name in ("indikator-app-live", "indikator-app-gone"):
        (tmp_path / name).mkdir()
        (tmp_path / name / lifetime.OWNER).write_text("4242", encoding="utf-8")
    unlink = Path.unlink

    def held(path, *args, **kwargs):
        if path.parent.name == "indikator-app-live":
            raise PermissionError(13, "used by another process")
        return unlink(path, *args, **kwargs)

    monkeypatch.setattr(Path, "unlink", held)
    lifetime.sweep_scratch()
    assert [p.name for p in tmp_path.iterdir()] == ["indikator-app-live"]


def test_the_page_takes_every_kind_of_file_pack_reads_from_a_folder(tmp_path):
    """What `indikator pack MAPP` reads (reading.SUFFIXES) the page takes too, chosen or
    found in the folder; nothing else."""
    from indikator import reading
    from indikator.app.workspace import Workspace, upload_name
    from indikator.errors import IndikatorError

    folder = tmp_path / "mapp"
    folder.mkdir()
    for suffix in reading.SUFFIXES:
        assert upload_name(f"personal_2025{suffix.upper()}") == f"personal_2025{suffix.upper()}"
        (folder / f"svar{suffix}").write_bytes(b"x")
    (folder / "anteckning.docx").write_bytes(b"x")
    with pytest.raises(IndikatorError):
        upload_name("anteckning.docx")
    adopted = Workspace(folder, tmp_path / "scratch").adopt_folder()
    assert sorted(adopted) == sorted(f"svar{s}" for s in reading.SUFFIXES)


def test_the_forms_show_what_pack_reads_from_a_workbook_typed_in_excel(tmp_path, catalog):
    """Headings the sheet's reader knows under another name (Insats for Grupp), a blank
    first row, an extra column: the forms show what pack reads, and saving keeps it."""
    from openpyxl import Workbook

    from indikator.app.workspace import Workspace
    from indikator.input.goals import read_goals

    (tmp_path / "mapp").mkdir()
    work = Workspace(tmp_path / "mapp", tmp_path / "scratch")
    book = Workbook()
    sheet = book.active
    sheet.title = "Mål"
    sheet.append([])
    sheet.append(["Mål", "Enkät", "Frågor", "Insats", "Anteckning", "Jämförelse", "Nivå"])
    sheet.append(["Nytta", "Personal", "3", "IRMA", "från styrelsen", "minst", "70 %"])
    rates = book.create_sheet("Svarsfrekvens")
    rates.append(["Enkät", "År", "Verksamhet", "Antal tillfrågade", "Tackat nej"])
    rates.append(["Personal", 2025, "IRMA", 9, 1])
    book.save(work.forms)
    before = [(g.name, g.group, g.target) for g in read_goals(work.forms, catalog)]
    assert before == [("Nytta", "IRMA", 70.0)]
    rows = work.form_rows()
    assert rows["mal"][0][:7] == ["Nytta", "Personal", "3", "IRMA", "", "minst", "70 %"]
    assert rows["svarsfrekvens"] == [["Personal", "2025", "IRMA", "9", "1", ""]]
    work.save_forms(rows["mal"], rows["svarsfrekvens"])
    assert [(g.name, g.group, g.target) for g in read_goals(work.forms, catalog)] == before
    assert work.form_rows() == rows


@settings(max_examples=40, deadline=None)
@given(level=st.decimals(min_value="1.1", max_value="100", places=1),
       as_cell=st.booleans(), comma=st.booleans())
def test_any_share_level_means_the_same_through_the_forms(tmp_path_factory, level, as_cell,
                                                          comma):
    """Generated levels, typed as a percent cell (Excel's 0.xx) or as text with a comma or
    a point: the goal pack reads equals the one read after the forms showed and saved it."""
    from openpyxl import Workbook

    from indikator.app.workspace import Workspace
    from indikator.input.goals import read_goals
    from indikator.questionnaires import load_catalog

    catalog = load_catalog()
    folder = tmp_path_factory.mktemp("niva")
    work = Workspace(folder, folder / "scratch")
    book = Workbook()
    sheet = book.active
    sheet.title = "Mål"
    sheet.append(["Mål", "Enkät", "Frågor", "Jämförelse", "Nivå"])
    typed = str(level).replace(".", "," if comma else ".") + " %"
    sheet.append(["X", "Personal", "3", "minst", float(level) / 100 if as_cell else typed])
    if as_cell:
        sheet["E2"].number_format = "0.0%"
    book.save(work.forms)
    (goal,) = read_goals(work.forms, catalog)
    assert goal.target == pytest.approx(float(level))
    work.save_forms(work.form_rows()["mal"], [])
    (again,) = read_goals(work.forms, catalog)
    assert again.target == pytest.approx(goal.target)
