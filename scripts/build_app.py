"""Build `indikator` as a program that needs no Python, and check it against the installed one.

    python scripts/build_app.py             build dist/indikator/ (PyInstaller, indikator.spec)
    python scripts/build_app.py --check     build, then run the program: its Swedish help,
                                            validate, an error's exit code, and the example's
                                            pack, byte for byte the installed program's (also
                                            with the workers started as on Windows)

Run it with the Python of the environment that has indikator and PyInstaller installed
(`pip install -e .[bundle]`). docs/program.md says more, for Windows too.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "scripts" / "indikator.spec"
NAME = "indikator"


def build(dist: Path, work: Path) -> Path:
    """Run PyInstaller on the spec; the program's folder."""
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        sys.exit("PyInstaller saknas i den här Python-miljön. Installera det med\n"
                 "  python -m pip install -e .[bundle]\noch kör kommandot igen.")
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean",
               "--distpath", str(dist), "--workpath", str(work), str(SPEC)]
    print("Bygger programmet (det tar några minuter) …", flush=True)
    started = time.monotonic()
    done = subprocess.run(command, cwd=ROOT)
    if done.returncode != 0:
        sys.exit(f"PyInstaller misslyckades (kod {done.returncode}); se utskriften ovan.")
    folder = dist / NAME
    print(f"Klart på {time.monotonic() - started:.0f} s: programmet ligger i {folder} "
          f"({size_mb(folder):.0f} MB). Starta {program(folder)}; kopiera hela mappen "
          f"{folder.name}/ för att flytta det.")
    return folder


def program(folder: Path) -> Path:
    return folder / (f"{NAME}.exe" if os.name == "nt" else NAME)


def size_mb(folder: Path) -> float:
    return sum(f.stat().st_size for f in folder.rglob("*")
               if f.is_file() and not f.is_symlink()) / 1e6


def installed() -> list[str]:
    """The installed command beside this Python (a venv's bin/ or Scripts/), else -m."""
    for name in (NAME, f"{NAME}.exe"):
        script = Path(sys.executable).parent / name
        if script.is_file():
            return [str(script)]
    return [sys.executable, "-m", NAME]


def run(command: Sequence[str], cwd: Path, env: dict[str, str] | None = None,
        ) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(command), cwd=cwd, capture_output=True, text=True,
                          encoding="utf-8", errors="replace", timeout=1800,
                          env={**os.environ, **(env or {})})


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file of a pack (hidden ones too) by its path inside the pack."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def differences(one: Path, other: Path) -> list[str]:
    """What differs between two packs: files only in one, and files whose bytes differ."""
    a, b = files_of(one), files_of(other)
    lines = [f"bara i {one.name}: {n}" for n in sorted(a.keys() - b.keys())]
    lines += [f"bara i {other.name}: {n}" for n in sorted(b.keys() - a.keys())]
    lines += [f"olika innehåll: {n}" for n in sorted(a.keys() & b.keys()) if a[n] != b[n]]
    return lines


def pack_into(command: list[str], work: Path, name: str,
              env: dict[str, str] | None = None) -> tuple[Path | None, str]:
    """Pack the example in `work`/responses to `work`/paket, then move it to `work`/`name`.

    Both programs write to the same folder from the same files: the run's fingerprint
    holds their absolute paths, and the summary the pack's folder name.
    """
    started = time.monotonic()
    done = run([*command, "pack", "responses", "--out", "paket"], work, env)
    seconds = time.monotonic() - started
    if done.returncode != 0:
        return None, f"kod {done.returncode} efter {seconds:.0f} s: {done.stderr[-1500:]}"
    (work / "paket").rename(work / name)
    return work / name, f"{seconds:.0f} s"


def app_builds(frozen: list[str], work: Path, pack: dict[str, bytes]) -> tuple[bool, str]:
    """The program as a double-click starts it (no arguments: the page, here without a
    browser): the example uploaded, the pack built by the page's server in the frozen
    program, the zip holding the pack's files, and the page ended by its Avsluta."""
    import json
    import urllib.request
    import uuid

    folder = work / "sidan"
    folder.mkdir()
    proc = subprocess.Popen([*frozen, "app", str(folder), "--no-browser"], cwd=work,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            encoding="utf-8", errors="replace")
    try:
        url = ""
        while not url.startswith("http://127.0.0.1:"):
            url = proc.stdout.readline().strip()
            if not url and proc.poll() is not None:
                return False, f"ingen adress: {proc.stderr.read()[-800:]}"
        base, token = url.split("/?token=")

        def call(path: str, body: bytes | None = None, kind: str = "") -> bytes:
            headers = {"X-Token": token, **({"Content-Type": kind} if kind else {})}
            request = urllib.request.Request(base + path, body, headers,
                                             method="POST" if body is not None else "GET")
            with urllib.request.urlopen(request, timeout=600) as response:
                return response.read()

        if "Bygg paketet" not in call("/").decode("utf-8"):
            return False, "sidan saknar knappen Bygg paketet"
        boundary = uuid.uuid4().hex
        body = b"".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="filer"; filename="{f.name}"'
            f"\r\n\r\n".encode() + f.read_bytes() + b"\r\n"
            for f in sorted((work / "responses").iterdir())) + f"--{boundary}--\r\n".encode()
        found = json.loads(call("/filer", body, f"multipart/form-data; boundary={boundary}"))
        if found["errors"]:
            return False, f"{found['errors']} fel i exemplet"
        call("/bygg", b"{}", "application/json")
        deadline = time.monotonic() + 1200
        while (state := json.loads(call("/status")))["state"] in ("läser", "ritar"):
            if time.monotonic() > deadline:
                return False, "bygget blev inte klart"
            time.sleep(1)
        if state["state"] != "klar":
            return False, state["message"]
        zipped = work / "sidan.zip"
        zipped.write_bytes(call("/indikatorpaket.zip"))
        import zipfile

        names = set(zipfile.ZipFile(zipped).namelist())
        wanted = {n for n in pack if not n.startswith(".indikator-")}
        if names != wanted:
            return False, f"zip-filen skiljer sig: {sorted(names ^ wanted)[:5]}"
        call("/avsluta", b"")
        proc.wait(timeout=60)
        return proc.returncode == 0, f"{len(names)} filer i zip-filen, kod {proc.returncode}"
    except (OSError, ValueError, KeyError) as exc:
        return False, f"{type(exc).__name__}: {exc}"
    finally:
        if proc.poll() is None:
            proc.kill()


def check(folder: Path) -> int:
    """Run the bundled program against the installed one; 0 when everything agrees."""
    frozen = [str(program(folder))]
    failures: list[str] = []

    def expect(what: str, ok: bool, detail: str = "") -> None:
        print(f"  {'OK ' if ok else 'FEL'} {what}" + (f" ({detail})" if detail else ""),
              flush=True)
        if not ok:
            failures.append(what)

    with tempfile.TemporaryDirectory(prefix="indikator-check-") as tmp:
        work = Path(tmp)
        shutil.copytree(ROOT / "responses", work / "responses")
        print(f"Kontrollerar {frozen[0]} mot {' '.join(installed())} i {work}:", flush=True)

        done = run([*frozen, "--help"], work)
        expect("--help på svenska", done.returncode == 0 and "Användning:" in done.stdout
               and "Kommandon:" in done.stdout, f"kod {done.returncode}")
        done = run([*frozen, "--version"], work)
        expected = run([*installed(), "--version"], work).stdout
        expect("--version som det installerade", done.stdout == expected, done.stdout.strip())
        done = run([*frozen, "validate", "responses"], work)
        expect("validate på exemplet", done.returncode == 0
               and "Filerna kan packas." in done.stdout, f"kod {done.returncode}")
        done = run([*frozen, "questionnaires"], work)
        expect("questionnaires hittar de medföljande enkäterna",
               done.returncode == 0 and "styrelse" in done.stdout, f"kod {done.returncode}")
        done = run([*frozen, "pack", "saknas.xlsx", "--out", "fel"], work)
        expect("ett fel ger kod 2 och ett meddelande utan felspår", done.returncode == 2
               and "Fel: Kan inte läsa saknas.xlsx" in done.stderr
               and "Traceback" not in done.stderr, f"kod {done.returncode}")
        done = run([*frozen, "pack", "--okänt-val"], work)
        expect("ett okänt val ger kod 2", done.returncode == 2 and "Traceback" not in
               done.stderr, f"kod {done.returncode}")

        ours, said = pack_into(installed(), work, "installerat")
        expect("det installerade programmet packar exemplet", ours is not None, said)
        theirs, said = pack_into(frozen, work, "programmet")
        expect("programmet packar exemplet", theirs is not None, said)
        spawned, said = pack_into(frozen, work, "programmet-spawn",
                                  {"INDIKATOR_START_METHOD": "spawn"})
        expect("programmet packar exemplet med processer startade som i Windows (spawn)",
               spawned is not None, said)
        if ours is not None:
            count = len(files_of(ours))
            for other in (p for p in (theirs, spawned) if p is not None):
                diff = differences(ours, other)
                expect(f"{other.name}/ har samma {count} filer med samma byte som "
                       f"{ours.name}/", not diff, "; ".join(diff[:20]))
        ok, said = app_builds(frozen, work, files_of(ours) if ours is not None else {})
        expect("programmet dubbelklickat: sidan (indikator app) bygger exemplets paket", ok,
               said)
    if failures:
        print(f"{len(failures)} kontroller misslyckades.")
        return 1
    print("Alla kontroller gick igenom: programmets paket är byte för byte det installerades.")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python scripts/build_app.py",
        description="Bygg indikator som ett program utan Python (en mapp med indikator.exe "
                    "på Windows) med PyInstaller och scripts/indikator.spec.")
    parser.add_argument("--check", action="store_true",
                        help="kör programmet efteråt: hjälpen, validate, en felkod och "
                             "exemplets paket byte för byte mot det installerade programmets")
    parser.add_argument("--no-build", action="store_true",
                        help="bygg inte; kontrollera programmet som redan finns i --dist")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist",
                        help="mappen där programmet hamnar (standard: dist/)")
    parser.add_argument("--work", type=Path, default=ROOT / "build",
                        help="PyInstallers arbetsmapp (standard: build/)")
    args = parser.parse_args(argv)
    dist, work = args.dist.absolute(), args.work.absolute()
    folder = dist / NAME if args.no_build else build(dist, work)
    if args.no_build and not program(folder).is_file():
        print(f"Inget program i {folder}; bygg först (utan --no-build).", file=sys.stderr)
        return 2
    return check(folder) if args.check else 0


if __name__ == "__main__":
    sys.exit(main())
