"""A questionnaire may give its scales codes and its questions numbers beyond 16 bits
(the TOML format sets no bound): a wide export is read as its long form is, every answer
kept whole (the wide coder's codes were int16 and stopped with an internal error)."""

from __future__ import annotations

from indikator.importing import import_files
from indikator.questionnaires import load_catalog

QUESTIONNAIRE = """\
id = "stor"
name = "Stor"
version = "2019"
valid_from = 2019
order = 9

[scales.storskala]
name = "Storskala"
positive = [40000]
categories = [
    { code = -40000, label = "Mycket dåligt" },
    { code = -1, label = "Dåligt" },
    { code = 40000, label = "Bra" },
]

[[questions]]
number = 1
text = "Hur var det första?"
scale = "storskala"

[[questions]]
number = 40000
text = "Hur var det fyrtiotusende?"
scale = "omfattning"
"""

ROWS = [("R1", "Bra", "Delvis"), ("R2", "Mycket dåligt", ""), ("R3", "Dåligt", "Vet ej"),
        ("R4", "", "Helt och hållet"), ("R5", "40000", "2")]


def test_codes_beyond_16_bits_wide_as_long(tmp_path):
    (tmp_path / "q").mkdir()
    (tmp_path / "q" / "stor.2019.toml").write_text(QUESTIONNAIRE, encoding="utf-8")
    catalog = load_catalog([tmp_path / "q"])
    texts = ("Hur var det första?", "Hur var det fyrtiotusende?")
    wide = tmp_path / "wide" / "stor_2025.csv"
    wide.parent.mkdir()
    wide.write_text("Svars-ID;År;Verksamhet;Kön;" + ";".join(texts) + "\n" + "".join(
        f"{rid};2025;A;Kvinna;{a};{b}\n" for rid, a, b in ROWS), encoding="utf-8")
    long = tmp_path / "long" / "stor_2025.csv"
    long.parent.mkdir()
    long.write_text("Svars-ID;År;Verksamhet;Kön;Fråga;Svar\n" + "".join(
        f"{rid};2025;A;Kvinna;{text};{value}\n" for rid, *values in ROWS
        for text, value in zip(texts, values, strict=True) if value), encoding="utf-8")

    def answers(path):
        result = import_files([path], catalog)
        assert not result.errors, result.problems
        ids = dict(zip(result.respondents["respondent"], result.respondents["row"],
                       strict=True))
        table = result.answers
        return sorted(zip(table["respondent"].map(ids).map(str), table["question"].tolist(),
                          table["code"].tolist(), strict=True))

    got = answers(wide)
    assert [(q, c) for _, q, c in got] == [
        (1, 40000), (40000, 3), (1, -40000), (1, -1), (40000, 6), (1, 40000), (40000, 2)]
    long_answers = answers(long)
    assert sorted((q, c) for _, q, c in long_answers) == sorted((q, c) for _, q, c in got)
