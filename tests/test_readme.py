"""The README promises what the pack does: its names and contracts are checked here."""

import re
from pathlib import Path

from indikator.analysis.compare import CHANGE_COLUMNS
from indikator.columns import DISTRIBUTION_COLUMNS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_changes_columns_as_documented():
    block = README.split("`changes.csv` har en rad per enkät")[1].split(":\n")[0]
    documented = re.findall(r"[a-z_]+", block.split("kolumnerna")[1])
    assert documented == CHANGE_COLUMNS


def test_distribution_columns_as_documented():
    assert "`" + ", ".join(DISTRIBUTION_COLUMNS) + "`" in README.replace("\n", " ")


def test_chart_names_in_the_readme_are_written(tmp_path, catalog):
    from indikator.input.example import bundled_folder
    from indikator.output.pack import PackOptions, build_pack

    pack = build_pack([bundled_folder()], tmp_path / "p", catalog,
                      PackOptions(formats=()))
    from indikator.charts import chart_specs, comparison_specs

    stems = {s.file_stem for s in chart_specs(pack.distributions, catalog)}
    stems |= {s.file_stem for s in comparison_specs(pack.distributions.table, pack.changes,
                                                    catalog)}
    named = set(re.findall(r"`diagram/([a-z_0-9-]+)\.png`", README))
    assert len(named) >= 3 and named <= stems, named - stems


def test_windows_commands_given():
    assert r".venv\Scripts\indikator pack" in README
    assert r'.venv\Scripts\pip install -q -e ".[test]"' in README


def test_readme_lists_every_file_of_the_pack_model():
    """The README's table of files is the model's (contents.readme_table), word for word."""
    from indikator.report.contents import TABLES, readme_table

    block = README.split("<!-- filer:")[1].split("-->", 1)[1].split("<!-- /filer -->")[0]
    assert block.strip() == readme_table().strip()
    for table in TABLES:
        assert f"| `{table.file}` |" in block and ", ".join(table.columns) in block


def test_ci_runs_the_readme_test_command():
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    command = ci.strip().splitlines()[-1]
    assert f"```sh\n{command}\n```" in README


def test_the_notebook_session_runs(tmp_path, monkeypatch, example_png):
    """The README's notebook session, run as written in a folder with the example (and the
    example's PNG pack already in paket/, whose charts it takes instead of drawing them
    again: drawing is tested everywhere else)."""
    import shutil

    from conftest import seeded

    from indikator.input.example import bundled_folder

    code = README.split("<!-- notebook -->")[1].split("```python\n")[1].split("```")[0]
    shutil.copytree(bundled_folder(), tmp_path / "responses")
    seeded(example_png, tmp_path / "paket")
    monkeypatch.chdir(tmp_path)
    space: dict = {}
    exec(compile(code, "README.md", "exec"), space)
    report, pack = space["report"], space["pack"]
    assert (tmp_path / "diagram.png").stat().st_size > 10_000
    assert (tmp_path / "paket" / "distributions.csv").read_text(encoding="utf-8") == (
        report.distributions.table.to_csv(index=False, lineterminator="\n"))
    assert {"tabeller.xlsx", "sammanfattning.txt", "distributions.csv"} <= set(pack.files)
    assert {f"diagram/{f.stem}.png" for f in report.figures} <= set(pack.files)
    assert not report.distributions.groups.empty and report.changes is not None


def test_the_readme_lists_the_vocabulary_as_words_py():
    """The README's list of verdict words is words.VOCABULARY, word for word."""
    from indikator.report.contents import vocabulary_table

    block = README.split("<!-- ord:")[1].split("-->", 1)[1].split("<!-- /ord -->")[0]
    assert block.strip() == vocabulary_table().strip()
