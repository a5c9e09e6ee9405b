"""tabeller.xlsx as a reader sees it in Swedish Excel, cell by cell against the CSVs.

Every number is rendered the way Excel shows it (the stored value through its number
format: a "%" format multiplies by 100, decimals are rounded half away from zero, a
decimal comma) and compared with the CSV's value rendered as the column's unit says
(contents.UNITS): a percent column shows the CSV's percent ("62,5 %" or "63 %"),
never 6 250 %; a count shows the count; a p-value at least three decimals.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from indikator.options import XLSX_FILE
from indikator.output.renderers.workbook import NUMBER_FORMATS, VIEWS
from indikator.report.contents import TABLES, UNITS, table_named

MIN_DECIMALS = {"level": 1, "p": 3, "mean": 1, "effect": 2}
SHARE_UNITS = {"percent": (0, 100), "level": (0, 100), "p": (0, 1), "effect": (-1, 1)}


def _sections(fmt: str) -> list[str]:
    return re.findall(r'(?:"[^"]*"|[^;])+', fmt)


def _number(value: float, decimals: int) -> str:
    exact = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals),
                                                 rounding=ROUND_HALF_UP)
    return f"{exact:f}".replace(".", ",")


def excel_shows(value, fmt: str) -> str:
    """What Swedish Excel shows for a stored number and its number format."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if fmt == "General":
        return _number(value, 10).rstrip("0").rstrip(",")
    sections = _sections(fmt)
    if value > 0 or len(sections) == 1:
        section, sign = sections[0], "-" if value < 0 else ""
    elif value < 0:
        section, sign = sections[1], ""
    else:
        section, sign = sections[2] if len(sections) > 2 else sections[0], ""
    magnitude = abs(value) * (100 if "%" in section.replace('"%"', "") else 1)
    pattern = re.search(r"0(?:\.(0+))?", section)
    decimals = len(pattern.group(1) or "") if pattern else 0
    shown = section[:pattern.start()] + "\0" + section[pattern.end():]
    return sign + shown.replace('"', "").replace("\0", _number(magnitude, decimals))


def decimals_of(fmt: str) -> int:
    pattern = re.search(r"0(?:\.(0+))?", _sections(fmt)[0])
    return len(pattern.group(1) or "") if pattern else 0


def reader_expects(value, unit: str, decimals: int) -> str:
    """The CSV's value as a reader of a column of this unit expects to see it."""
    if unit in ("percent", "level"):
        return f"{_number(value, decimals)} %"
    if unit == "points":
        number = _number(abs(value), decimals)
        return "+" + number if value > 0 else "−" + number if value < 0 else number
    return ("-" if value < 0 else "") + _number(abs(value), decimals)


def check_workbook(folder: Path, catalog) -> dict[str, int]:
    """Every sheet of the pack's workbook against its CSV; returns cells checked per sheet."""
    book = load_workbook(folder / XLSX_FILE)
    checked: dict[str, int] = {}
    for table in TABLES:
        if table.file not in VIEWS or not (folder / table.file).is_file():
            continue
        csv = pd.read_csv(folder / table.file, encoding="utf-8", keep_default_na=False,
                          na_values=[""])
        _, cols = VIEWS[table.file](csv, catalog)
        ws = book[table.sheet]
        rows = list(ws.iter_rows(min_row=1))
        assert [c.value for c in rows[0]] == [c.header for c in cols], table.sheet
        body = rows[1:]
        value_of = (_distribution_values(csv, cols, catalog) if table.file == "distributions.csv"
                    else lambda i, row, col, csv=csv: csv[col.source].iloc[i])
        if table.file != "distributions.csv":
            assert len(body) == len(csv), table.sheet  # the CSV's rows, in its order
        count = 0
        for i, row in enumerate(body):
            for col, cell in zip(cols, row, strict=True):
                unit = col.unit_of(i)
                raw = value_of(i, row, col)
                where = f"{table.sheet}!{cell.coordinate} ({col.header}, {col.source})"
                if pd.isna(raw):
                    assert cell.value is None, where
                    continue
                count += 1
                if unit == "text":
                    assert isinstance(cell.value, str) and cell.value, where
                    continue
                assert cell.data_type == "n", where
                low, high = SHARE_UNITS.get(unit, (float("-inf"), float("inf")))
                assert low <= raw <= high, f"{where}: {raw} is no {UNITS[unit]}"
                if unit in ("id", "count"):
                    assert float(raw).is_integer(), where
                decimals = decimals_of(cell.number_format)
                assert decimals >= MIN_DECIMALS.get(unit, 0), where
                assert excel_shows(cell.value, cell.number_format) == reader_expects(
                    raw, unit, decimals), (where, cell.value, cell.number_format, raw)
        checked[table.sheet] = count
    return checked


def _distribution_values(csv: pd.DataFrame, cols, catalog):
    """Fördelning has a row per question and a column per answer: each cell's CSV value
    found by the row's key (Enkät, År, Grupp, Fråga) and the column's answer."""
    from indikator.output.renderers.workbook import _group

    keys = ["survey", "year", "group", "question"]
    by_label = csv.set_index([*keys, "label"])
    by_question = csv.drop_duplicates(keys).set_index(keys)
    surveys = {catalog.get(s).name: s for s in csv["survey"].unique()}
    groups = {_group(g): g for g in csv["group"].unique()}
    at = {c.header: k for k, c in enumerate(cols)}

    def value(i, row, col):
        key = (surveys[row[at["Enkät"]].value], row[at["År"]].value,
               groups[row[at["Grupp"]].value], row[at["Fråga"]].value)
        if col.source.startswith("percent:"):
            label = col.source.split(":", 1)[1]
            found = (*key, label) in by_label.index
            return by_label.loc[(*key, label), "percent"] if found else float("nan")
        if col.source in keys:
            return key[keys.index(col.source)]
        return by_question.loc[key, col.source]

    return value


@pytest.fixture(scope="module")
def example_workbook(default_pack):
    """The bundled example (three years, goals, svarsfrekvens): the README's first
    command's pack, its workbook and CSVs (read only)."""
    return default_pack[2]


@pytest.fixture(scope="module")
def many_workbooks(tmp_path_factory, catalog):
    """Three generated förbund packed together: each förbund's pack has Referens (beside
    the aggregate), the aggregate's has Förbund."""
    from test_many import generator

    from indikator.input.members import read_members
    from indikator.output.many import build_many
    from indikator.output.pack import PackOptions

    folder = tmp_path_factory.mktemp("lan") / "svar"
    generator().make(folder, 3, [2024, 2025], seed=5)
    out = tmp_path_factory.mktemp("ut") / "paket"
    options = PackOptions(formats=("xlsx",))
    build_many(read_members([folder], catalog, options), out, catalog, options, sort="andel")
    return sorted(p for p in out.iterdir() if (p / XLSX_FILE).is_file())


def test_every_unit_has_a_format_and_every_column_a_unit():
    assert set(NUMBER_FORMATS) | {"text", "measure"} == set(UNITS)
    for table in TABLES:
        for column in table.columns:
            assert table.unit(column) in UNITS, (table.file, column)


def test_example_workbook_shows_what_the_csvs_hold(example_workbook, catalog):
    checked = check_workbook(example_workbook, catalog)
    assert set(checked) == {"Fördelning", "Förändring", "Svarsfrekvens", "Mål", "Kön",
                            "Trender"}
    assert all(checked.values()), checked


def test_change_sheet_ci_level_is_a_percent(example_workbook):
    ws = load_workbook(example_workbook / XLSX_FILE)["Förändring"]
    header = [c.value for c in ws[1]]
    cell = ws.cell(row=2, column=header.index("Felmarginalens nivå") + 1)
    assert excel_shows(cell.value, cell.number_format) in ("95,0 %", "99,3 %", "99,4 %",
                                                           "99,2 %", "99,0 %", "98,3 %")


def test_many_forbund_workbooks_show_what_the_csvs_hold(many_workbooks, catalog):
    sheets: set[str] = set()
    for folder in many_workbooks:
        checked = check_workbook(folder, catalog)
        assert all(checked.values()), (folder.name, checked)
        sheets |= set(checked)
    assert {"Referens", "Förbund"} <= sheets


def test_excel_rendering_itself():
    assert excel_shows(0.625, "0.0 %") == "62,5 %" and excel_shows(0.625, "0 %") == "63 %"
    assert excel_shows(99.29, "0.0 %") == "9929,0 %"  # the old KI-nivå cell
    assert excel_shows(-3.5, '+0;"−"0;0') == "−4" and excel_shows(2.4, '+0;"−"0;0') == "+2"
    assert excel_shows(0.0123, "0.000") == "0,012" and excel_shows(2025, "0") == "2025"
    assert reader_expects(62.5, "percent", 1) == "62,5 %"
    assert table_named("changes.csv").unit("ci_level") == "level"


def test_every_csv_column_is_on_its_sheet_or_left_out_on_purpose(example_pack, catalog):
    """A column added to a table appears in tabeller.xlsx, or is named in LEFT_OUT: never
    missing silently (mal.csv's answers once was)."""
    from indikator.output.renderers.workbook import LEFT_OUT, VIEWS
    from indikator.report.contents import present_tables

    pack, _ = example_pack
    for table, df in present_tables(pack.report):
        if table.file not in VIEWS:
            continue
        _, cols = VIEWS[table.file](df, catalog)
        shown = {c.source.split(":")[0] for c in cols}
        assert set(table.columns) - shown == LEFT_OUT.get(table.file, set()), table.file
