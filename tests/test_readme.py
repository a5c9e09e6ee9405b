"""The README and docs/ promise what the pack does: its names and contracts are checked
here, each in the file where its text lives (the README is the analyst's steps; the
statistics, tables and developer notes are in docs/)."""

import re
from pathlib import Path

from indikator.analysis.compare import CHANGE_COLUMNS
from indikator.columns import DISTRIBUTION_COLUMNS

ROOT = Path(__file__).resolve().parent.parent


def _read(name: str) -> str:
    return (ROOT / name).read_text(encoding="utf-8")


README = _read("README.md")
TABLE_DOC = _read("docs/tabeller.md")  # the pack's files and the CSV contracts
STATISTICS = _read("docs/statistik.md")  # the method and the vocabulary of verdicts
DEVELOPMENT = _read("docs/utveckling.md")  # developer notes and the notebook session


def test_changes_columns_as_documented():
    block = TABLE_DOC.split("`changes.csv` har en rad per enkät")[1].split(":\n")[0]
    documented = re.findall(r"[a-z_]+", block.split("kolumnerna")[1])
    assert documented == CHANGE_COLUMNS


def test_distribution_columns_as_documented():
    assert "`" + ", ".join(DISTRIBUTION_COLUMNS) + "`" in TABLE_DOC.replace("\n", " ")


def test_chart_names_in_the_readme_are_written(tmp_path, catalog):
    from indikator.input.example import bundled_folder
    from indikator.output.pack import PackOptions, build_pack

    pack = build_pack([bundled_folder()], tmp_path / "p", catalog,
                      PackOptions(formats=()))
    from indikator.charts import chart_specs, comparison_specs

    stems = {s.file_stem for s in chart_specs(pack.distributions, catalog)}
    stems |= {s.file_stem for s in comparison_specs(pack.distributions.table, pack.changes,
                                                    catalog)}
    named = set(re.findall(r"`diagram/([a-z_0-9-]+)\.png`", TABLE_DOC + STATISTICS))
    assert len(named) >= 3 and named <= stems, named - stems


def test_windows_commands_given():
    assert r".venv\Scripts\indikator pack" in README
    assert r'.venv\Scripts\pip install -q -e ".[test]"' in README


def test_readme_lists_every_file_of_the_pack_model():
    """docs/tabeller.md's table of files is the model's (contents.readme_table), word for word."""
    from indikator.report.contents import TABLES, readme_table

    block = TABLE_DOC.split("<!-- filer:")[1].split("-->", 1)[1].split("<!-- /filer -->")[0]
    assert block.strip() == readme_table().strip()
    for table in TABLES:
        assert f"| `{table.file}` |" in block and ", ".join(table.columns) in block


def test_ci_runs_the_readme_test_command():
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    command = ci.strip().splitlines()[-1]
    assert f"```sh\n{command}\n```" in README


def test_the_notebook_session_runs(tmp_path, monkeypatch, example_png):
    """docs/utveckling.md's notebook session, run as written in a folder with the example
    (and the example's PNG pack already in paket/, whose charts it takes instead of drawing
    them again: drawing is tested everywhere else)."""
    import shutil

    from conftest import seeded

    from indikator.input.example import bundled_folder

    code = DEVELOPMENT.split("<!-- notebook -->")[1].split("```python\n")[1].split("```")[0]
    shutil.copytree(bundled_folder(), tmp_path / "responses")
    seeded(example_png, tmp_path / "paket")
    monkeypatch.chdir(tmp_path)
    space: dict = {}
    exec(compile(code, "docs/utveckling.md", "exec"), space)
    report, pack = space["report"], space["pack"]
    assert (tmp_path / "diagram.png").stat().st_size > 10_000
    assert (tmp_path / "paket" / "distributions.csv").read_text(encoding="utf-8") == (
        report.distributions.table.to_csv(index=False, lineterminator="\n"))
    assert {"tabeller.xlsx", "sammanfattning.txt", "distributions.csv"} <= set(pack.files)
    assert {f"diagram/{f.stem}.png" for f in report.figures} <= set(pack.files)
    assert not report.distributions.groups.empty and report.changes is not None


def test_the_readme_lists_the_vocabulary_as_words_py():
    """docs/statistik.md's list of verdict words is words.VOCABULARY, word for word."""
    from indikator.report.contents import vocabulary_table

    block = STATISTICS.split("<!-- ord:")[1].split("-->", 1)[1].split("<!-- /ord -->")[0]
    assert block.strip() == vocabulary_table().strip()


# The README is the analyst's steps; everything else is one link away


FIRST_SCREEN = 40  # lines


def test_the_first_screen_is_the_analysts_steps():
    """The four steps (install, a folder with the exports, `indikator app`, open the
    appendix) are headed in order on the first screen, which also links every docs file."""
    screen = "\n".join(README.splitlines()[:FIRST_SCREEN])
    headings = re.findall(r"(?m)^## (\d)\. (.+)$", screen)
    assert [n for n, _ in headings] == ["1", "2", "3", "4"], headings
    words = [h for _, h in headings]
    assert "Installera" in words[0] and "exportfilerna" in words[1]
    assert "`indikator app`" in words[2] and "Öppna" in words[3]
    assert re.search(r"(?m)^\.venv\\Scripts\\indikator app ", screen)
    assert "docs/program.md" in screen  # the program without Python (issue 22, part 4)
    for doc in sorted((ROOT / "docs").glob("*.md")):
        assert f"](docs/{doc.name})" in screen, doc.name


def test_the_quickstart_follows_the_steps():
    """One command installs and packs the example; one installs the test dependencies and
    runs the tests; both in the section right after the four steps."""
    sections = re.split(r"(?m)^## ", README)
    after_steps = sections[[s[:2] for s in sections].index("4.") + 1]
    assert after_steps.startswith("Snabbstart")
    assert ("```sh\npython3 -m venv .venv && .venv/bin/pip install . && "
            ".venv/bin/indikator pack\n```") in after_steps
    ci = _read(".ci/run").strip().splitlines()[-1]
    assert f"```sh\n{ci}\n```" in after_steps


def test_the_picture_of_a_page_is_shown():
    assert "](docs/bilaga-sida.png)" in README and (ROOT / "docs" / "bilaga-sida.png").is_file()


def _code_blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"(?ms)^```{language}\n(.*?)^```", text)


def test_windows_commands_run_in_powershell_5_and_cmd():
    """Windows PowerShell 5.1 has no `&&`, and the package is not on the package index yet
    (where `indikator` is somebody else's): no such command is given to a Windows user."""
    blocks = [b for name in ["README.md", *sorted(f"docs/{p.name}" for p in (ROOT / "docs")
                                                  .glob("*.md"))]
              for b in _code_blocks(_read(name), "bat")]
    assert len(blocks) >= 5
    for block in blocks:
        assert "&&" not in block and "pip install indikator" not in block, block
    assert "pip install indikator" not in "".join(_code_blocks(README, "sh"))


# Links: every relative link in README.md and docs/*.md reaches a file, and its anchor a heading

def _without_code(text: str) -> str:
    text = re.sub(r"(?ms)^```.*?^```", "", text)
    return re.sub(r"`[^`\n]*`", "", text)


def _anchors(text: str) -> set[str]:
    """GitHub's anchors for a Markdown file's headings."""
    anchors: set[str] = set()
    for heading in re.findall(r"(?m)^#{1,6} (.+?)\s*$", re.sub(r"(?ms)^```.*?^```", "", text)):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        candidate, n = slug, 0
        while candidate in anchors:
            n += 1
            candidate = f"{slug}-{n}"
        anchors.add(candidate)
    return anchors


def _links(name: str) -> list[tuple[str, str]]:
    return [(name, target) for target in
            re.findall(r"\]\(([^)\s]+)\)", _without_code(_read(name)))]


def test_every_relative_link_reaches_a_file_and_heading():
    names = ["README.md", *sorted(f"docs/{p.name}" for p in (ROOT / "docs").glob("*.md"))]
    links = [link for name in names for link in _links(name)]
    assert len(links) > 30
    checked = 0
    for name, target in links:
        if re.match(r"[a-z]+:", target):
            continue
        path, _, anchor = target.partition("#")
        file = (ROOT / name).parent / path if path else ROOT / name
        file.resolve().relative_to(ROOT)  # a link out of the project raises here
        assert file.is_file(), f"{name}: {target}"
        if anchor:
            assert anchor in _anchors(file.read_text(encoding="utf-8")), f"{name}: {target}"
        checked += 1
    assert checked > 30


def test_the_anchors_are_githubs():
    assert _anchors("# A\n## 4. Öppna bilagan\n## Sidan: `indikator app`\n## changes.csv\n"
                    "## A\n```\n# kod\n```\n") == {
        "a", "4-öppna-bilagan", "sidan-indikator-app", "changescsv", "a-1"}
