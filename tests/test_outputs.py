import pytest

from indikator.errors import IndikatorError
from indikator.outputs import MANIFEST, staged


def test_success_moves_files_in_and_lists_them(tmp_path):
    out = tmp_path / "paket"
    with staged(out) as stage:
        (stage / "a.csv").write_text("x")
        (stage / "diagram").mkdir()
        (stage / "diagram" / "b.png").write_text("y")
    assert (out / "a.csv").read_text() == "x"
    assert (out / "diagram" / "b.png").read_text() == "y"
    assert (out / MANIFEST).read_text().split() == ["a.csv", "diagram/b.png"]
    assert [p.name for p in out.iterdir() if p.name.startswith(".indikator-staging")] == []


def test_failure_leaves_earlier_pack_untouched(tmp_path):
    out = tmp_path / "paket"
    with staged(out) as stage:
        (stage / "a.csv").write_text("gammal")
    with pytest.raises(RuntimeError), staged(out) as stage:
        (stage / "a.csv").write_text("ny")
        (stage / "c.csv").write_text("ny")
        raise RuntimeError("diagrammet kunde inte ritas")
    assert (out / "a.csv").read_text() == "gammal"
    assert not (out / "c.csv").exists()
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST, "a.csv"]


def test_failure_in_new_folder_leaves_nothing(tmp_path):
    out = tmp_path / "paket"
    with pytest.raises(RuntimeError), staged(out) as stage:
        (stage / "a.csv").write_text("ny")
        raise RuntimeError
    assert list(out.iterdir()) == []


def test_new_pack_replaces_files_of_the_old(tmp_path):
    out = tmp_path / "paket"
    with staged(out) as stage:
        (stage / "diagram").mkdir()
        (stage / "diagram" / "gammal.png").write_text("x")
        (stage / "a.csv").write_text("1")
    (out / "egen-anteckning.txt").write_text("min")  # a user's file is kept
    with staged(out) as stage:
        (stage / "a.csv").write_text("2")
    assert (out / "a.csv").read_text() == "2"
    assert not (out / "diagram").exists()
    assert (out / "egen-anteckning.txt").read_text() == "min"


def test_refuses_folder_that_is_not_a_pack(tmp_path):
    (tmp_path / "viktigt.docx").write_text("årsredovisning")
    with pytest.raises(IndikatorError) as info, staged(tmp_path):
        pass
    assert info.value.exit_code == 2 and "--out" in info.value.message
    assert (tmp_path / "viktigt.docx").read_text() == "årsredovisning"


def test_hidden_files_do_not_count(tmp_path):
    (tmp_path / ".gitkeep").write_text("")
    with staged(tmp_path) as stage:
        (stage / "a.csv").write_text("1")
    assert (tmp_path / "a.csv").exists()
