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


def test_the_distribution_is_not_the_stranger_on_the_index():
    """`indikator` on the package index is an unrelated finance library: ours is published
    as indikator-finsam, while the import package and the command stay `indikator`."""
    import subprocess
    import sys
    import tomllib
    from importlib.metadata import distribution
    from pathlib import Path

    import indikator

    project = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml")
                            .read_text(encoding="utf-8"))["project"]
    assert project["name"] == indikator.DISTRIBUTION == "indikator-finsam"
    assert project["scripts"] == {"indikator": "indikator.cli.main:main"}
    installed = distribution(indikator.DISTRIBUTION)  # this checkout, installed by .ci/run
    assert installed.version == indikator.__version__ == project["version"]
    said = subprocess.run([sys.executable, "-m", "indikator", "--version"],
                          capture_output=True, text=True, encoding="utf-8").stdout
    assert said.strip() == f"indikator {project['version']}"
