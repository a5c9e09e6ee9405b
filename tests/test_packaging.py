"""What installing the package must get right."""

from __future__ import annotations


def test_the_example_is_not_another_packages_responses_folder(tmp_path):
    """Installed, site-packages/responses is the HTTP mocking library if that is installed:
    the example's marking must come from indikator/_data/responses, never from it."""
    from indikator.input.example import bundled_folder

    site = tmp_path / "site-packages"
    (site / "responses").mkdir(parents=True)
    (site / "responses" / "__init__.py").write_text("# another package\n", encoding="utf-8")
    package = site / "indikator"
    (package / "_data" / "responses").mkdir(parents=True)
    (package / "_data" / "responses" / "styrelse_2025.csv").write_text("x", encoding="utf-8")
    assert bundled_folder(package) == package / "_data" / "responses"
    (package / "_data" / "responses" / "styrelse_2025.csv").unlink()
    assert bundled_folder(package) is None  # not the stranger's folder
    source = tmp_path / "checkout"
    (source / "responses").mkdir(parents=True)
    (source / "responses" / "a.csv").write_text("x", encoding="utf-8")
    (source / "questionnaires").mkdir()
    (source / "pyproject.toml").write_text("[project]\n", encoding="utf-8")
    assert bundled_folder(source / "indikator") == source / "responses"
