import zipfile

import pytest
from conftest import write_csv, write_xlsx

from indikator.errors import IndikatorError
from indikator.reading import read_file


def test_xlsx_keeps_excel_row_numbers(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", {"Blad1": [[None], ["År", "F1"], [2024, 3]]})
    (sheet,) = read_file(path)
    assert sheet.sheet == "Blad1"
    assert sheet.rows[1][:2] == ["År", "F1"]  # Excel row 2
    assert sheet.rows[2][:2] == [2024, 3]


def test_every_sheet_is_read(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", {"Personal": [["x"]], "Styrelse": [["y"]]})
    assert [s.sheet for s in read_file(path)] == ["Personal", "Styrelse"]


@pytest.mark.parametrize(
    ("sep", "encoding", "prefix"),
    [(";", "utf-8-sig", ""), (",", "utf-8", ""), ("\t", "utf-8", ""), (";", "cp1252", ""),
     (",", "utf-8", "sep=,\n")],
)
def test_csv_dialects(tmp_path, sep, encoding, prefix):
    rows = [["År", "Kön", "Fråga 1"], ["2024", "Kvinna", "Sällan"], ["2024", "", "Ofta, nästan"]]
    path = write_csv(tmp_path / "a.csv", rows, sep=sep, encoding=encoding, prefix=prefix)
    (sheet,) = read_file(path)
    assert sheet.sheet is None and sheet.name == "a"
    assert sheet.rows[0] == ["År", "Kön", "Fråga 1"]
    assert sheet.rows[1] == ["2024", "Kvinna", "Sällan"]
    assert sheet.rows[2] == ["2024", None, "Ofta, nästan"]


def test_csv_quoted_line_break(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text('År;Kommentar\n2024;"rad ett\nrad två"\n2025;x\n', encoding="utf-8")
    (sheet,) = read_file(path)
    assert sheet.rows[1] == ["2024", "rad ett\nrad två"]
    assert sheet.rows[2] == ["2025", "x"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("saknas.xlsx", None, "filen finns inte"),
        ("tom.csv", b"", "filen är tom"),
        ("bild.png", b"\x89PNG....", "okänd filtyp"),
        ("trasig.xlsx", b"PK\x03\x04 not really a zip", "skadad (trasigt zip-arkiv)"),
        ("text.xlsx", "År;F1\n2024;3\n".encode(), "heter .xlsx men är en textfil"),
        ("krypterad.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
         "lösenordsskyddad"),
        ("skräp.xlsx", bytes(range(256)) * 4, "skadad eller inte en giltig .xlsx"),
        ("webbsida.xls", b"<html><table><tr><td>1</td></tr></table></html>", "HTML"),
        ("binär.csv", b"\x00\x01\x02abc", "inte en textfil"),
    ],
)
def test_unreadable_files(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(IndikatorError) as info:
        read_file(path)
    assert info.value.exit_code == 2
    assert message in info.value.message
    assert name in info.value.message


def test_zip_without_workbook(tmp_path):
    path = tmp_path / "fel.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hej.txt", "hej")
    with pytest.raises(IndikatorError) as info:
        read_file(path)
    assert info.value.exit_code == 2


def test_a_file_is_read_whole_without_a_buffer_of_the_limit(tmp_path, monkeypatch):
    """read_regular_file reads what stat saw, and the rest only if the file grew: a
    small file is not given a buffer of the 100 MB limit, a file that grew after stat is
    still read whole, and one that grew past the limit is refused."""
    import os
    import tracemalloc

    from indikator.reading import guards

    data = bytes(range(256)) * 40  # 10 kB
    path = tmp_path / "a.csv"
    path.write_bytes(data)
    tracemalloc.start()
    try:
        assert guards.read_regular_file(path, limit=500 * 1024**2) == data
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1024**2  # f.read(limit + 1) took 500 MB here

    real_stat = os.stat

    def stale(p, *args, **kwargs):  # the size stat saw before the file grew
        info = real_stat(p, *args, **kwargs)
        return os.stat_result((info.st_mode, info.st_ino, info.st_dev, info.st_nlink,
                               info.st_uid, info.st_gid, 100, info.st_atime,
                               info.st_mtime, info.st_ctime))

    monkeypatch.setattr(guards.os, "stat", stale)
    assert guards.read_regular_file(path, limit=len(data)) == data
    with pytest.raises(IndikatorError, match="växer"):
        guards.read_regular_file(path, limit=len(data) - 1)
