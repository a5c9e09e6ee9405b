"""The program without Python (scripts/indikator.spec, scripts/build_app.py).

Building it takes minutes, so the build and its byte-for-byte check run only when asked:

    INDIKATOR_TEST_BUNDLE=1 python -m pytest -q tests/test_bundle.py

The rest is fast and always runs: what the spec must collect, the build command's help,
the cache keys without sources, and the double-click start.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "scripts" / "indikator.spec"
BUILD = ROOT / "scripts" / "build_app.py"


@pytest.mark.skipif(os.environ.get("INDIKATOR_TEST_BUNDLE") != "1",
                    reason="bygger programmet (några minuter): kör med INDIKATOR_TEST_BUNDLE=1 "
                           "python -m pytest -q tests/test_bundle.py")
def test_the_bundled_program_packs_the_example_byte_for_byte(tmp_path):
    """Build, then: Swedish help, validate, exit codes, and the example's pack equal to the
    installed program's, with forked and with spawned workers."""
    pytest.importorskip("PyInstaller")
    done = subprocess.run([sys.executable, str(BUILD), "--check", "--dist", str(tmp_path / "dist"),
                           "--work", str(tmp_path / "work")], capture_output=True, text=True,
                          encoding="utf-8", errors="replace", timeout=3600)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    assert "byte för byte" in done.stdout


def test_the_spec_collects_what_the_frozen_program_needs():
    """Read, not run: Skia and ISA-L (imported inside the functions that draw) and the
    Agg backend (matplotlib picks it by name) are named, the
    questionnaires and the example go where the program looks for them, the package's
    sources are collected (the cache keys hash them), and the app's server when present."""
    spec = SPEC.read_text(encoding="utf-8")
    for needed in ('"skia"', 'collect_submodules("isal")', '"matplotlib.backends.backend_agg"',
                   '"indikator/_data/questionnaires"', '"indikator/_data/responses"',
                   'copy_metadata("indikator-finsam")', '"indikator": "pyz+py"',
                   'collect_data_files("indikator"', '"uvicorn", "starlette", "multipart"',
                   "python_multipart", "COLLECT("):
        assert needed in spec, needed
    compile(spec, str(SPEC), "exec")


def test_the_bundle_finds_the_data_where_the_spec_puts_it(tmp_path):
    """The spec's destinations are the wheel's: the loaders find them beside a package that
    is not a checkout (no pyproject.toml above it), as in the program's _internal/."""
    from indikator.input.example import bundled_folder

    package = tmp_path / "_internal" / "indikator"
    (package / "_data" / "responses").mkdir(parents=True)
    (package / "_data" / "responses" / "a.csv").write_text("x", encoding="utf-8")
    assert bundled_folder(package) == package / "_data" / "responses"


def test_the_build_command_explains_itself():
    done = subprocess.run([sys.executable, str(BUILD), "--help"], capture_output=True,
                          text=True, encoding="utf-8", timeout=60)
    assert done.returncode == 0
    assert "--check" in done.stdout and "byte för byte" in done.stdout


def test_the_build_check_compares_names_and_bytes(tmp_path):
    sys.path.insert(0, str(BUILD.parent))
    try:
        import build_app
    finally:
        sys.path.remove(str(BUILD.parent))
    one, other = tmp_path / "a", tmp_path / "b"
    for folder in (one, other):
        (folder / ".indikator-cache").mkdir(parents=True)
        (folder / ".indikator-cache" / "run.txt").write_text("1", encoding="utf-8")
        (folder / "same.csv").write_text("x", encoding="utf-8")
    assert build_app.differences(one, other) == []
    (other / ".indikator-cache" / "run.txt").write_text("2", encoding="utf-8")
    (other / "extra.csv").write_text("x", encoding="utf-8")
    assert build_app.differences(one, other) == ["bara i b: extra.csv",
                                                 "olika innehåll: .indikator-cache/run.txt"]


def test_the_chart_keys_work_without_the_sources(tmp_path):
    """A program bundled without the .py files hashes the compiled modules instead: no
    error, the same key on every call, and not the key of the sources."""
    from indikator.output.cache import code_hash

    assert code_hash(tmp_path) == code_hash(tmp_path)
    assert code_hash(tmp_path) != code_hash()
    assert code_hash() == code_hash(ROOT / "indikator")


def test_the_run_fingerprint_is_the_same_wherever_the_package_lives(tmp_path, monkeypatch):
    """Checkout, wheel and bundle name the package's files alike: indikator/_data (the
    wheel's and the bundle's copy of the questionnaires and the example) is not code, and
    the bundled questionnaires are hashed under one name wherever they are."""
    import shutil

    from indikator.output import cache
    from indikator.questionnaires import loading

    installed = tmp_path / "site-packages" / "indikator"
    shutil.copytree(ROOT / "indikator", installed,
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "questionnaires", installed / "_data" / "questionnaires")
    shutil.copytree(ROOT / "responses", installed / "_data" / "responses")
    here = cache._package_files()
    assert any(name == "questionnaires/skalor.toml" for name, _ in here)
    monkeypatch.setattr(loading, "default_folder",
                        lambda: installed / "_data" / "questionnaires")
    assert cache._package_files(installed) == here


def test_the_double_clicked_program_opens_the_web_page(monkeypatch, tmp_path):
    """Frozen and started with no arguments, main() runs `indikator app` on the user's
    Dokument\\Indikatorer (made if missing), not the program's folder; the installed
    command with no arguments still prints its help."""
    from indikator.cli import main as cli

    seen: list[list[str]] = []
    (tmp_path / "Documents").mkdir()
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: tmp_path))
    monkeypatch.setattr(cli, "run", lambda argv: seen.append(argv) or 0)
    monkeypatch.setattr(sys, "argv", ["indikator"])
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    with pytest.raises(SystemExit):
        cli.main()
    monkeypatch.delattr(sys, "frozen")
    with pytest.raises(SystemExit):
        cli.main()
    folder = tmp_path / "Documents" / "Indikatorer"
    assert seen == [["app", str(folder)], []] and folder.is_dir()
