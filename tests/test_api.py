"""The public API refuses a wrong argument in Swedish, as the CLI refuses a wrong option."""

from __future__ import annotations

import pytest

import indikator
from indikator.errors import IndikatorError


@pytest.mark.parametrize("settings", [
    {"min_n": 0}, {"min_n": -1}, {"min_n": 2.5}, {"min_n": True}, {"min_n": "5"},
    {"jobs": -3}, {"dpi": 0}, {"formats": "pdf"}, {"formats": ("nope",)}, {"by": "x"},
    {"sort": "x"}, {"per_forbund": True, "forbund": "Norra"},
])
def test_every_option_is_checked_where_it_is_made(settings):
    with pytest.raises(IndikatorError) as info:
        indikator.PackOptions(**settings)
    assert info.value.exit_code == 2
    assert any(word in info.value.message for word in ("ska vara", "Okänt format",
                                                       "går inte ihop")), info.value.message


@pytest.mark.parametrize("call", [
    lambda: indikator.read_inputs("responses", {"min_n": 5}),
    lambda: indikator.read_inputs(None),
    lambda: indikator.read_inputs("responses", catalog="x"),
    lambda: indikator.build_report(None),
    lambda: indikator.draw(None),
    lambda: indikator.write_pack("rapport", "paket"),
])
def test_a_wrong_argument_is_a_swedish_error(call):
    with pytest.raises(IndikatorError) as info:
        call()
    assert "ska vara" in info.value.message or "Ange" in info.value.message


def test_the_api_is_listed():
    assert set(indikator.__all__) <= set(dir(indikator))
    assert callable(indikator.build_report) and indikator.Report.__name__ == "Report"


def test_a_notebook_gets_the_answers_as_int64(tmp_path):
    """The import keeps year, question and code as int16; what read_inputs hands a
    notebook is int64, so arithmetic on it does not wrap around (int16: 2025 * 100 =
    5892), with the same numbers."""
    from pathlib import Path

    from indikator.input.files import read_inputs as internal
    from indikator.questionnaires import load_catalog

    example = Path(__file__).resolve().parent.parent / "responses"
    answers = indikator.read_inputs(example).imported.answers
    kept = internal([example], load_catalog(), indikator.PackOptions()).imported.answers
    assert kept["year"].dtype == "int16"  # what the import keeps
    for column in ("year", "question", "code"):
        assert answers[column].dtype == "int64"
        assert answers[column].tolist() == kept[column].tolist()
    assert (answers["year"] * 100).min() >= 202_300


def test_a_notebook_gets_texts_as_text_and_the_import_keeps_codes(tmp_path):
    """The import keeps the answers' texts as pandas categories and Kön as Int8 (about
    15 bytes an answer, against 47 with texts and Int64); read_inputs hands a notebook
    the documented types, with the same values row for row, and the respondents of the
    answers are the respondents table's."""
    from pathlib import Path

    import pandas as pd

    from indikator.input.files import read_inputs as internal
    from indikator.questionnaires import load_catalog

    example = Path(__file__).resolve().parent.parent / "responses"
    public = indikator.read_inputs(example).imported
    kept = internal([example], load_catalog(), indikator.PackOptions()).imported
    for name in ("answers", "no_answers"):
        mine, theirs = getattr(kept, name), getattr(public, name)
        for column in ("survey", "version", "respondent", "group"):
            assert isinstance(mine[column].dtype, pd.CategoricalDtype)
            assert not isinstance(theirs[column].dtype, pd.CategoricalDtype)
            assert theirs[column].dtype in (object, "str")
            assert [None if pd.isna(v) else v for v in theirs[column].tolist()] == [
                None if pd.isna(v) else v for v in mine[column].tolist()]
        assert mine["gender"].dtype == "Int8" and theirs["gender"].dtype == "Int64"
        assert theirs["gender"].tolist() == mine["gender"].tolist()
    size = kept.answers.memory_usage(index=False).sum() / len(kept.answers)
    assert size < 20  # 15 bytes and the categories (17.4 on pandas 2.3), shared by all
    assert public.answers.memory_usage(index=False).sum() / len(public.answers) > 40
    assert set(public.answers["respondent"]) <= set(public.respondents["respondent"])
    assert public.respondents["survey"].dtype in (object, "str")  # as before: text
