"""Hostile and broken files: a clear error, exit code 2, in bounded time and memory.

Each file is read by the real command in a child process with a memory cap and
a time limit, so a hang or a blow-up fails the test instead of the machine.
"""

import subprocess
import sys
import textwrap
import zipfile

import pandas as pd
import pytest
from conftest import write_xlsx
from openpyxl import Workbook

from indikator import reading

TIME_LIMIT = 60  # seconds, generous for a loaded CI machine; a hang is what it catches
MEMORY_LIMIT = 2 * 1024**3


def run_cli(*args):
    """`indikator validate` in a child process under a memory cap and a time limit."""
    code = textwrap.dedent(f"""
        import resource, sys
        resource.setrlimit(resource.RLIMIT_AS, ({MEMORY_LIMIT}, {MEMORY_LIMIT}))
        from indikator.cli.main import main
        sys.argv = ["indikator", *sys.argv[1:]]
        main()
    """)
    return subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True,
                          text=True, timeout=TIME_LIMIT)


def rewrite(source, target, edit):
    """Copy a zip (xlsx) member by member, passing each member's bytes through `edit`."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for name in src.namelist():
            out.writestr(name, edit(name, src.read(name)))
    return target


@pytest.fixture
def plain(tmp_path):
    return write_xlsx(tmp_path / "styrelse.xlsx", {"Styrelse": [["År", "F1"], [2024, "x"]]})


def billion_laughs(name, data):
    if not name.startswith("xl/worksheets/"):
        return data
    entities = '<!ENTITY a0 "lol">' + "".join(
        f'<!ENTITY a{i} "{("&a" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    text = f"<!DOCTYPE w [{entities}]>" + data.decode()
    return text.replace("<t>x</t>", "<t>&a9;</t>").encode()


def external_entity(name, data):
    if not name.startswith("xl/worksheets/"):
        return data
    text = '<!DOCTYPE w [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + data.decode()
    return text.replace("<t>x</t>", "<t>&e;</t>").encode()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p, t: rewrite(p, t / "bomb.xlsx", billion_laughs), "skadad"),
        (lambda p, t: rewrite(p, t / "extern.xlsx", external_entity), "skadad"),
        (lambda p, t: (t / "trasig.xlsx").write_bytes(p.read_bytes()[:300]) and t / "trasig.xlsx",
         "skadad"),
        (lambda p, t: (t / "krypterad.xlsx").write_bytes(
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4000)) and t / "krypterad.xlsx",
         "lösenordsskyddad"),
        (lambda p, t: (t / "tom.xlsx").write_bytes(b"") or t / "tom.xlsx", "tom"),
        (lambda p, t: (t / "csv.xlsx").write_text("År;F1\n2024;3\n") and t / "csv.xlsx",
         "textfil"),
    ],
    ids=["billion-laughs", "external-entity", "truncated-zip", "password", "empty",
         "csv-named-xlsx"],
)
def test_hostile_file_gives_clear_error(tmp_path, plain, make, message):
    path = make(plain, tmp_path)
    result = run_cli("validate", path)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr and path.name in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert "root:" not in result.stdout + result.stderr  # no file contents leak


def test_sheet_reaching_the_last_cell_is_refused(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = "Styrelse"
    sheet.append(["År", "F1"])
    sheet.append([2024, 3])
    sheet["XFD1048576"] = "x"  # one stray cell: 17 billion cells from A1
    book.save(tmp_path / "vid.xlsx")
    result = run_cli("validate", tmp_path / "vid.xlsx")
    assert result.returncode == 2 and "långt mer än en enkätexport" in result.stderr


def test_zip_bomb_is_refused_before_unpacking(tmp_path, plain):
    """The sheet padded with a comment of 1100 MiB of spaces before </worksheet> (written
    to the zip a MiB at a time: the same bytes without a gigabyte string in memory)."""
    path = tmp_path / "zipbomb.xlsx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name in src.namelist():
            data = src.read(name)
            if not name.startswith("xl/worksheets/"):
                out.writestr(name, data)
                continue
            head, tail = data.split(b"</worksheet>", 1)
            with out.open(name, "w") as member:
                member.write(head + b"<!--")
                chunk = b" " * 1024**2
                for _ in range(1100):
                    member.write(chunk)
                member.write(b"--></worksheet>" + tail)
    assert path.stat().st_size < 5 * 1024**2  # small on disk, over a gigabyte unpacked
    result = run_cli("validate", path)
    assert result.returncode == 2 and "packas upp till" in result.stderr


def test_file_far_too_large(tmp_path, monkeypatch, catalog):
    from indikator.errors import IndikatorError

    path = tmp_path / "stor.csv"
    path.write_text("År;F1\n" + "2024;3\n" * 1000, encoding="utf-8")
    monkeypatch.setattr(reading.guards, "MAX_FILE_BYTES", 1000)
    with pytest.raises(IndikatorError) as info:
        reading.read_file(path)
    assert info.value.exit_code == 2 and "för stor" in info.value.message


def test_only_headers_exit_code(tmp_path):
    path = write_xlsx(tmp_path / "styrelse.xlsx", {"Styrelse": [["År", "F1", "F2"]]})
    result = run_cli("validate", path)
    assert result.returncode == 1 and "bara rubriker" in result.stdout


def test_ods_with_repeated_value_cells_is_refused(tmp_path):
    """A value repeated over 9,000 columns and 10,000 rows: 90 million cells from a tiny file."""
    pd.DataFrame({"År": [2024], "F1": ["Delvis"]}).to_excel(
        tmp_path / "ok.ods", engine="odf", sheet_name="Styrelse", index=False)

    def repeat(name, data):
        if name != "content.xml":
            return data
        text = data.decode()
        text = text.replace("<table:table-row>", '<table:table-row table:number-rows-repeated='
                            '"10000">', 1)
        return text.replace("<table:table-cell ", '<table:table-cell table:number-columns-'
                            'repeated="9000" ', 1).encode()

    path = rewrite(tmp_path / "ok.ods", tmp_path / "upprepad.ods", repeat)
    assert path.stat().st_size < 10_000
    result = run_cli("validate", path)
    assert result.returncode == 2 and "långt mer än en enkätexport" in result.stderr
    assert "Traceback" not in result.stderr
    ok = run_cli("validate", tmp_path / "ok.ods")
    assert ok.returncode == 0, ok.stdout + ok.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="FIFOs and /dev")
@pytest.mark.parametrize("kind", ["fifo", "devzero", "urandom", "loop"])
def test_devices_fifos_and_link_loops(tmp_path, kind):
    import os

    path = tmp_path / "svar.csv"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "devzero":
        path.symlink_to("/dev/zero")
    elif kind == "urandom":
        path.symlink_to("/dev/urandom")
    else:
        path.symlink_to(tmp_path / "svar2.csv")
        (tmp_path / "svar2.csv").symlink_to(path)
    result = run_cli("validate", path)
    assert result.returncode == 2, result.stderr
    assert "svar.csv" in result.stderr and "Traceback" not in result.stderr


def test_huge_csv_of_tiny_rows_is_refused_fast(tmp_path):
    path = tmp_path / "styrelse.csv"
    with path.open("w", encoding="utf-8") as f:
        f.write("År;F1;F2\n")
        f.write("2024;3;4\n" * 4_500_000)  # 40 MB
    result = run_cli("validate", path)
    assert result.returncode == 2 and "långt mer än en enkätexport" in result.stderr


def test_header_cells_of_a_megabyte(tmp_path):
    header = ["År", *[("Får du stöd " * 90_000)[:1_000_000] + str(i) for i in range(8)]]
    path = tmp_path / "deltagare_pagaende.csv"
    path.write_text(";".join(header) + "\n2024;" + ";".join(["3"] * 8) + "\n", encoding="utf-8")
    result = run_cli("validate", path)
    assert result.returncode in (1, 2) and "Traceback" not in result.stderr
