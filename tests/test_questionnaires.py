from pathlib import Path

import pytest

from indikator.errors import IndikatorError
from indikator.questionnaires import load_catalog

IDS = ["deltagare_pagaende", "deltagare_avslut", "personal", "beredningsgrupp", "styrelse"]


def test_bundled_questionnaires(catalog):
    assert catalog.ids == IDS
    sizes = {sid: len(catalog.get(sid).questions) for sid in IDS}
    assert sizes == {"deltagare_pagaende": 7, "deltagare_avslut": 10, "personal": 9,
                     "beredningsgrupp": 4, "styrelse": 3}
    pag = catalog.get("deltagare_pagaende")
    assert pag.question(1).text == "Får du stöd på ett sätt som är till stor nytta för dig?"
    assert [q.scale.id for q in pag.questions] == (
        ["frekvens"] * 3 + ["ja_nej"] + ["omfattning"] * 3)


def test_scales_and_codes(catalog):
    freq = catalog.get("deltagare_pagaende").question(1).scale
    assert [(c.code, c.label) for c in freq.categories] == [
        (1, "Aldrig"), (2, "Sällan"), (3, "Ibland"), (4, "Ofta"), (5, "För det mesta"),
        (6, "Alltid")]
    assert freq.positive == (4, 5, 6)
    yes_no = catalog.get("deltagare_pagaende").question(4).scale
    assert [(c.code, c.label) for c in yes_no.categories] == [(1, "Ja"), (2, "Nej")]
    assert [c.label for c in catalog.gender.categories][:2] == ["Kvinna", "Man"]


def test_conditional_questions(catalog):
    avslut = catalog.get("deltagare_avslut")
    for number in (9, 10):
        cond = avslut.question(number).asked_if
        assert (cond.question, cond.codes) == (8, (1,))
        assert cond.describe() == "svaret Ja på fråga 8"
    assert all(avslut.question(n).asked_if is None for n in range(1, 9))


def test_blocks_are_runs_of_one_scale(catalog):
    blocks = catalog.get("deltagare_avslut").blocks()
    assert [[q.number for q in b] for b in blocks] == [[1, 2, 3], [4], [5, 6, 7], [8], [9, 10]]


def test_find_survey_by_name(catalog):
    assert catalog.find("Deltagare, pågående") == "deltagare_pagaende"
    assert catalog.find("deltagare_avslut_2024") == "deltagare_avslut"
    assert catalog.find("Parternas chefsgrupp") == "beredningsgrupp"
    assert catalog.find("Blad1") is None
    assert catalog.find("indikatorer_2024") is None


OWN_SURVEY = """
id = "remittenter"
name = "Remittenter"
version = "2024"
valid_from = 2024

[scales.nojdhet]
name = "Nöjdhet"
positive = [4, 5]
categories = [
    { code = 1, label = "Mycket missnöjd" },
    { code = 2, label = "Missnöjd" },
    { code = 3, label = "Varken eller" },
    { code = 4, label = "Nöjd" },
    { code = 5, label = "Mycket nöjd" },
]

[[questions]]
number = 1
text = "Hur nöjd är du med samarbetet?"
scale = "nojdhet"

[[questions]]
number = 2
text = "Får du återkoppling om deltagarna?"
scale = "ja_nej"
"""


def test_new_questionnaire_is_a_file(tmp_path):
    (tmp_path / "remittenter.2024.toml").write_text(OWN_SURVEY, encoding="utf-8")
    catalog = load_catalog([tmp_path])
    own = catalog.get("remittenter")
    assert own.question(1).scale.codes == (1, 2, 3, 4, 5)
    assert own.question(2).scale.id == "ja_nej"  # shared scales are available
    assert "remittenter" in catalog.ids


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda s: s.replace('scale = "nojdhet"', 'scale = "nöjd"'), "okänd skala 'nöjd'"),
        (lambda s: s.replace("number = 2", "number = 1"), "Frågenumren måste vara unika"),
        (lambda s: s.replace('name = "Remittenter"', 'name = "Remittenter'), "Ogiltig TOML"),
        (lambda s: s.replace("number = 2\n", "number = 2\ntexts = 'x'\n"), "okänd nyckel 'texts'"),
        (lambda s: s.replace('id = "remittenter"\n', ""), "nyckeln 'id' saknas"),
        (lambda s: s + '\n[[questions]]\nnumber = 3\ntext = "Q"\nscale = "ja_nej"\n'
         'asked_if = { question = 4, codes = [1] }\n', "pekar på fråga 4"),
        (lambda s: s + '\n[[questions]]\nnumber = 3\ntext = "Q"\nscale = "ja_nej"\n'
         'asked_if = { question = 2, codes = [7] }\n', "asked_if.codes"),
        (lambda s: s.replace("code = 5", "code = 4"), "unika"),
    ],
)
def test_bad_questionnaire_file_is_reported(tmp_path, edit, message):
    path = tmp_path / "remittenter.2024.toml"
    path.write_text(edit(OWN_SURVEY), encoding="utf-8")
    with pytest.raises(IndikatorError) as info:
        load_catalog([tmp_path])
    assert info.value.exit_code == 2
    texts = [str(p) for p in info.value.problems]
    assert any(message in t and str(path) in t for t in texts), texts


def test_missing_questionnaire_folder(tmp_path):
    with pytest.raises(IndikatorError) as info:
        load_catalog([tmp_path / "finns-inte"])
    assert "finns inte" in str(info.value.problems[0])


def test_bundled_files_only_in_repository_folder():
    from indikator.questionnaires import default_folder

    folder = default_folder()
    assert folder.name == "questionnaires"
    assert {p.name for p in folder.glob("*.toml")} >= {f"{sid}.2019.toml" for sid in IDS}
    assert Path(folder / "skalor.toml").is_file()


GOOD = """id = "egen"
name = "Egen"
version = "2024"
valid_from = 2024
{extra}
[[questions]]
number = 1
text = "Fungerar det?"
scale = "{scale}"
{question}
[[questions]]
number = 2
text = "Hur väl?"
scale = "omfattning"
{condition}
"""


@pytest.mark.parametrize(("fields", "expected"), [
    ({"extra": "aliases = 5"}, "aliases ska vara en lista"),
    ({"extra": 'aliases = [["x"]]'}, "aliases[1] ska vara en text"),
    ({"extra": "order = \"först\""}, "order ska vara ett heltal"),
    ({"condition": "asked_if = { question = 1, codes = [[1]] }"},
     "asked_if.codes[1] ska vara ett heltal"),
    ({"extra": "[scales.x]\nname = \"X\"\npositive = [[1]]\n"
               "categories = [{ code = 1, label = \"A\" }, { code = 2, label = \"B\" }]",
      "scale": "x"}, "positive[1] ska vara ett heltal"),
    ({"question": "number2 = 3"}, "okänd nyckel 'number2'"),
])
def test_wrong_types_are_plain_messages(tmp_path, fields, expected):
    from test_cli import run

    values = {"extra": "", "scale": "ja_nej", "question": "", "condition": "", **fields}
    (tmp_path / "egen.2024.toml").write_text(GOOD.format(**values), encoding="utf-8")
    result = run("questionnaires", "--questionnaires", tmp_path)
    assert result.exit_code == 2, result.output
    assert expected in result.stderr and "Internt fel" not in result.output


def test_deeply_nested_file(tmp_path):
    from test_cli import run

    (tmp_path / "djup.toml").write_text("x = " + "[" * 200_000 + "]" * 200_000 + "\n",
                                        encoding="utf-8")
    result = run("questionnaires", "--questionnaires", tmp_path)
    assert result.exit_code == 2 and "djup.toml" in result.stderr


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="no FIFOs")
def test_fifo_in_the_questionnaire_folder(tmp_path):
    import os

    from test_cli import run

    os.mkfifo(tmp_path / "ror.toml")
    result = run("questionnaires", "--questionnaires", tmp_path)
    assert result.exit_code == 2 and "ingen vanlig fil" in result.stderr
