"""tabeller.xlsx: the pack's tables as an analyst reads them in Swedish Excel.

One sheet per table, Swedish headings, shares as real percent cells (the value is
unrounded, the format shows whole percent), frozen header row, autofilter and
column widths from the content. No formulas: every cell is a value. Written with
XlsxWriter; the CSVs stay the machine contract.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from indikator.escaping import cell
from indikator.questionnaires import Catalog
from indikator.report.contents import present_tables, table_named
from indikator.text import short_name
from indikator.words import ALL


@dataclass(frozen=True)
class Col:
    """A sheet column: its Swedish heading, the CSV column it shows and that column's unit
    (contents.UNITS); `units` per row where the unit is the row's own (a goal's measure)."""

    header: str
    source: str
    unit: str = "text"
    units: tuple[str, ...] | None = None

    def unit_of(self, row: int) -> str:
        return self.units[row] if self.units is not None else self.unit


# how each unit is shown: Excel number format, and the factor a value is stored with
# (a percent 0–100 is stored as a fraction so that Excel's "%" shows the same number)
NUMBER_FORMATS = {
    "id": ("0", 1), "count": ("0", 1), "percent": ("0 %", 0.01), "level": ("0.0 %", 0.01),
    "points": ('+0;"−"0;0', 1), "p": ("0.000", 1), "mean": ("0.0", 1), "effect": ("0.00", 1),
}
MEASURE_UNITS = {"mean": "mean"}  # a goal's measure -> its unit; shares are percent
MEASURE_NAMES = {"share_positive": "andel positiva", "share": "andel av valda svar",
                 "mean": "medelvärde"}


def _group(g: str) -> str:
    return "Alla" if g == ALL else short_name(g, 200)


def names(surveys: pd.Series, catalog: Catalog) -> list[str]:
    """Survey ids as readers name them ('Deltagare, pågående')."""
    return [catalog.get(s).name for s in surveys]


def view(file: str, spec: tuple[tuple[str, str], ...], df: pd.DataFrame, catalog: Catalog
         ) -> tuple[pd.DataFrame, list[Col]]:
    """A sheet of a CSV's columns: (Swedish heading, CSV column) in sheet order. Survey ids
    become names, insatser are shortened; each column's unit is the table's (contents)."""
    table = table_named(file)
    values, cols = {}, []
    for header, source in spec:
        column = df[source]
        if source == "survey":
            column = names(column, catalog)
        elif source == "group":
            column = column.map(_group)
        elif source == "measure":
            column = column.map(lambda m: MEASURE_NAMES.get(m, m))
        elif source == "questions":
            column = column.astype(str)
        values[header] = list(column)
        unit = table.unit(source.split(":")[0])  # percent:Aldrig is the CSV's percent
        units = (tuple(MEASURE_UNITS.get(m, "percent") for m in df["measure"])
                 if unit == "measure" else None)
        cols.append(Col(header, source, unit, units))
    return pd.DataFrame(values, columns=[h for h, _ in spec]), cols


def distribution_sheet(table: pd.DataFrame, catalog: Catalog) -> tuple[pd.DataFrame, list[Col]]:
    """One row per survey, year, group and question; a column per answer option."""
    labels: list[str] = []
    for scale in catalog.all_scales().values():
        if scale.id == "kon":
            continue
        labels += [c.label for c in scale.categories if c.label not in labels]
    used = [lab for lab in labels if lab in set(table["label"])]
    keys = ["survey", "year", "group", "question"]
    wide = table.pivot_table(index=keys, columns="label", values="percent", aggfunc="first",
                             observed=True, dropna=False)
    wide = wide.reindex(columns=used)
    first = table.drop_duplicates(keys).set_index(keys)[["question_text", "n", "scale"]]
    wide = first.join(wide).reset_index()
    order = {s: i for i, s in enumerate(catalog.ids)}
    wide = wide.sort_values(["survey", "year", "group", "question"],
                            key=lambda c: c.map(order) if c.name == "survey" else
                            (c != ALL).astype(str) + c.astype(str) if c.name == "group" else c)
    wide = wide.rename(columns={lab: f"percent:{lab}" for lab in used})
    spec = (("Enkät", "survey"), ("År", "year"), ("Grupp", "group"), ("Fråga", "question"),
            ("n", "n"), ("Skala", "scale"), *((lab, f"percent:{lab}") for lab in used),
            ("Frågetext", "question_text"))
    return view("distributions.csv", spec, wide, catalog)


def _sheet(file: str, *spec: tuple[str, str]):
    return lambda df, catalog: view(file, spec, df, catalog)


# CSV columns a sheet leaves out on purpose: the wide Fördelning sheet shows percent per
# answer instead of code, label and count; Förändring keeps the analysts' distribution
# test and means in the CSV; Kön shows the label, not the code. Every other column of a
# table is on its sheet (a test checks), so a new column cannot go missing silently.
LEFT_OUT = {
    "distributions.csv": {"code", "count", "label"},
    "changes.csv": {"distribution_effect", "distribution_p", "distribution_p_holm",
                    "distribution_test", "mean", "previous_mean", "scale"},
    "kon.csv": {"gender"},
}

VIEWS = {
    "distributions.csv": distribution_sheet,
    "changes.csv": _sheet(
        "changes.csv", ("Enkät", "survey"), ("Grupp", "group"), ("Fråga", "question"),
        ("År", "year"), ("Jämfört med", "previous_year"), ("n", "n"),
        ("n föregående år", "previous_n"), ("Andel positiva", "share_positive"),
        ("Andel positiva föregående år", "previous_share_positive"),
        ("Förändring (p.e.)", "change_pp"), ("Felmarginal från (p.e.)", "ci_low_pp"),
        ("Felmarginal till (p.e.)", "ci_high_pp"), ("Felmarginalens nivå", "ci_level"),
        ("Frågor prövade samtidigt", "family_size"), ("p-värde", "p_value"),
        ("p justerat (Bonferroni)", "p_adjusted"), ("Bedömning", "verdict"),
        ("Minsta säkra förändring (p.e.)", "detectable_change_pp"),
        ("Frågetext", "question_text")),
    "svarsfrekvens.csv": _sheet(
        "svarsfrekvens.csv", ("Enkät", "survey"), ("År", "year"), ("Grupp", "group"),
        ("Svar", "answers"), ("Tillfrågade", "asked"), ("Tackat nej", "declined"),
        ("Svarsfrekvens", "response_rate")),
    "mal.csv": _sheet(
        "mal.csv", ("Mål", "name"), ("Enkät", "survey"), ("Grupp", "group"),
        ("Frågor", "questions"), ("Mått", "measure"), ("Målnivå", "target"), ("År", "year"),
        ("Värde", "value"), ("Felmarginal från", "ci_low"), ("Felmarginal till", "ci_high"),
        ("Personer (n)", "n"), ("Svar", "answers"), ("Föregående år", "previous_value"),
        ("Bedömning", "verdict")),
    "kon.csv": _sheet(
        "kon.csv", ("Enkät", "survey"), ("År", "year"), ("Grupp", "group"), ("Kön", "label"),
        ("Svarande", "respondents")),
    "trender.csv": _sheet(
        "trender.csv", ("Enkät", "survey"), ("Grupp", "group"), ("Fråga", "question"),
        ("År", "year"), ("n", "n"), ("Andel positiva", "share_positive"),
        ("Felmarginal från", "ci_low"), ("Felmarginal till", "ci_high"),
        ("Frågetext", "question_text")),
    "referens.csv": _sheet(
        "referens.csv", ("Enkät", "survey"), ("År", "year"), ("Fråga", "question"),
        ("Referens", "reference"), ("n", "n"), ("Andel positiva", "share_positive"),
        ("n referens", "reference_n"), ("Andel positiva referens", "reference_share_positive"),
        ("Jämfört med", "compared_with"), ("n jämförelse", "other_n"),
        ("Andel positiva jämförelse", "other_share_positive"),
        ("Skillnad (p.e.)", "difference_pp"), ("Felmarginal från (p.e.)", "ci_low_pp"),
        ("Felmarginal till (p.e.)", "ci_high_pp"), ("Felmarginalens nivå", "ci_level"),
        ("p justerat (Bonferroni)", "p_adjusted"), ("Bedömning", "verdict"),
        ("Frågetext", "question_text")),
    "forbund.csv": _sheet(
        "forbund.csv", ("Enkät", "survey"), ("År", "year"), ("Förbund", "forbund"),
        ("Fråga", "question"), ("n", "n"), ("Andel positiva", "share_positive"),
        ("Felmarginal från", "ci_low"), ("Felmarginal till", "ci_high"),
        ("Frågetext", "question_text")),
}
"""The sheet of each table that has one of its own (contents.TABLES names the sheet; the
rest are shown on Datakvalitet): (Swedish heading, CSV column) in sheet order."""


def quality_rows(pack, catalog: Catalog) -> list[tuple[str, list[list], list[str]]]:
    """Datakvalitet: row accounting, skipped and invalid cells, vet ej, hidden groups."""
    from indikator.report.summary import pack_accounting

    parts = []
    text = pack_accounting(pack).replace("`", "")
    parts.append(("Radbokföring", [[line] for line in text.split("\n")], ["Text"]))
    skipped = pack.imported.skipped_invalid
    parts.append(("Ogiltiga värden räknade som ej besvarade (--skip-invalid)",
                  [[p.location.file, p.location.sheet or "", p.location.row,
                    p.location.column, p.expected] for p in skipped]
                  or [["inga", "", "", "", ""]],
                  ["Fil", "Blad", "Rad", "Kolumn", "Förväntat"]))
    vet = pack.distributions.no_answer
    parts.append(("”Vet ej” o.d. (räknas inte i n)",
                  [[catalog.get(r.survey).name, int(r.year), _group(r.group), int(r.question),
                    r.label, int(r.count)] for r in vet.itertuples(index=False)]
                  or [["inga", "", "", "", "", ""]],
                  ["Enkät", "År", "Grupp", "Fråga", "Svar", "Antal"]))
    groups = pack.distributions.groups
    hidden = groups[~groups["shown"]]
    parts.append(("Grupper som inte visas (för få svar)",
                  [[catalog.get(r.survey).name, int(r.year), _group(r.group), r.reason]
                   for r in hidden.itertuples(index=False)] or [["inga", "", "", ""]],
                  ["Enkät", "År", "Grupp", "Skäl"]))
    warnings = [p for p in pack.imported.problems
                if p.severity != "error" and p.code != "invalid-value"] + list(pack.notes)
    parts.append(("Varningar (var och vad; indikator validate visar detaljerna)",
                  [[p.location.file, p.location.sheet or "", p.location.row or "",
                    p.location.letter or "", p.public_message] for p in warnings]
                  or [["inga", "", "", "", ""]], ["Fil", "Blad", "Rad", "Kolumn", "Problem"]))
    if pack.withheld:
        from indikator.report.summary import PRIVATE_PROBLEMS

        parts[-1][1].append(["", "", "", "", PRIVATE_PROBLEMS.replace("`", "")])
    return parts


def write_workbook(pack, path: Path, images: Path | None = None) -> Path:
    """The workbook of a report (no images)."""
    catalog = pack.catalog
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"nan_inf_to_errors": False,
                                           "strings_to_formulas": False,
                                           "strings_to_urls": False,
                                           "in_memory": True})  # parts dated 1980-01-01
    book.set_properties({"title": "Indikatorer – tabeller", "creator": "indikator",
                         "created": pd.Timestamp("2000-01-01").to_pydatetime()})
    header = book.add_format({"bold": True, "text_wrap": True, "valign": "top",
                              "bottom": 1, "bg_color": "#EDEDED"})
    formats = {unit: book.add_format({"num_format": fmt, "valign": "top"})
               for unit, (fmt, _) in NUMBER_FORMATS.items()}
    formats["text"] = book.add_format({"valign": "top"})
    sheets = [(table.sheet, *VIEWS[table.file](df, catalog))
              for table, df in present_tables(pack) if table.file in VIEWS]
    for name, df, cols in sheets:
        ws = book.add_worksheet(name)
        for j, col in enumerate(cols):
            ws.write_string(0, j, cell(col.header), header)
            values = df.iloc[:, j].tolist()
            for i, value in enumerate(values, start=1):
                if value is None or (not isinstance(value, str) and pd.isna(value)):
                    continue
                unit = col.unit_of(i - 1)
                if unit == "text":
                    ws.write_string(i, j, cell(str(value)), formats["text"])
                else:
                    ws.write_number(i, j, float(value) * NUMBER_FORMATS[unit][1], formats[unit])
            ws.set_column(j, j, width(col, values))
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, len(df), len(cols) - 1)
    ws = book.add_worksheet("Datakvalitet")
    row = 0
    bold = book.add_format({"bold": True, "font_size": 12})
    widest = [12] * 6
    for title, rows, heads in quality_rows(pack, catalog):
        ws.write_string(row, 0, cell(title), bold)
        row += 1
        for j, h in enumerate(heads):
            ws.write_string(row, j, cell(h), header)
        row += 1
        for values in rows:
            for j, v in enumerate(values):
                if isinstance(v, int | float) and not isinstance(v, bool):
                    ws.write_number(row, j, v, formats["count"])
                else:
                    ws.write_string(row, j, cell(str(v)), formats["text"])
                    if len(heads) > 1:
                        widest[j] = max(widest[j], min(len(str(v)) + 2, 60))
            row += 1
        row += 1
    for j, w in enumerate(widest):
        ws.set_column(j, j, w)
    book.close()  # in memory, XlsxWriter dates every part 1980-01-01: the same bytes each run
    return path


def width(col: Col, values: list) -> float:
    """Wide enough for the header's longest word and most values, never wider than 60."""
    if col.unit != "text":
        return max(8, min(max(len(w) for w in col.header.split()) + 2, 16))
    longest = max([len(str(v)) for v in values if isinstance(v, str)] or [8])
    return max(len(col.header) + 2, min(longest + 2, 60))
