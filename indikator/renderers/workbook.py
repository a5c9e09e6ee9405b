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

from ..contents import present_tables
from ..escaping import cell
from ..questionnaires import Catalog
from ..stats import ALL
from ..text import short_name


@dataclass(frozen=True)
class Col:
    header: str
    kind: str = "text"  # text, int, pct (a share 0–100 shown as whole percent), pp, dec, p


def _group(g: str) -> str:
    return "Alla" if g == ALL else short_name(g, 200)


def columns(out: pd.DataFrame, kinds: list[str]) -> list[Col]:
    """A sheet's columns: its Swedish headings with the format of each."""
    return [Col(h, k) for h, k in zip(out.columns, kinds, strict=True)]


def names(surveys: pd.Series, catalog: Catalog) -> list[str]:
    """Survey ids as readers name them ('Deltagare, pågående')."""
    return [catalog.get(s).name for s in surveys]


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
    out = pd.DataFrame({
        "Enkät": names(wide["survey"], catalog),
        "År": wide["year"].astype(int), "Grupp": wide["group"].map(_group),
        "Fråga": wide["question"].astype(int), "n": wide["n"].astype(int),
        "Skala": wide["scale"], **{lab: wide[lab] for lab in used},
        "Frågetext": wide["question_text"]})
    cols = [Col("Enkät"), Col("År", "int"), Col("Grupp"), Col("Fråga", "int"), Col("n", "int"),
            Col("Skala"), *(Col(lab, "pct") for lab in used), Col("Frågetext")]
    return out, cols


def changes_sheet(changes: pd.DataFrame, catalog: Catalog):
    out = pd.DataFrame({
        "Enkät": names(changes["survey"], catalog),
        "Grupp": changes["group"].map(_group), "Fråga": changes["question"],
        "År": changes["year"], "Jämfört med": changes["previous_year"],
        "n": changes["n"], "n föregående år": changes["previous_n"],
        "Andel positiva": changes["share_positive"],
        "Andel positiva föregående år": changes["previous_share_positive"],
        "Förändring (p.e.)": changes["change_pp"], "KI nedre (p.e.)": changes["ci_low_pp"],
        "KI övre (p.e.)": changes["ci_high_pp"], "KI-nivå": changes["ci_level"] * 100,
        "Frågor prövade samtidigt": changes["family_size"], "p-värde": changes["p_value"],
        "p justerat (Bonferroni)": changes["p_adjusted"], "Bedömning": changes["verdict"],
        "Minsta säkra förändring (p.e.)": changes["detectable_change_pp"],
        "Frågetext": changes["question_text"]})
    kinds = ["text", "text", "int", "int", "int", "int", "int", "pct", "pct", "pp", "pp", "pp",
             "pct1", "int", "p", "p", "text", "pp", "text"]
    return out, columns(out, kinds)


def rates_sheet(rates: pd.DataFrame, catalog: Catalog):
    out = pd.DataFrame({
        "Enkät": names(rates["survey"], catalog), "År": rates["year"],
        "Grupp": rates["group"].map(_group), "Svar": rates["answers"],
        "Tillfrågade": rates["asked"], "Tackat nej": rates["declined"],
        "Svarsfrekvens": rates["response_rate"]})
    kinds = ["text", "int", "text", "int", "int", "int", "pct"]
    return out, columns(out, kinds)


def goals_sheet(goals: pd.DataFrame, catalog: Catalog):
    out = pd.DataFrame({
        "Mål": goals["name"], "Enkät": names(goals["survey"], catalog),
        "Grupp": goals["group"].map(_group), "Frågor": goals["questions"].astype(str),
        "Mått": goals["measure"].map({"mean": "medelvärde"}).fillna("andel positiva"),
        "Målnivå": goals["target"], "År": goals["year"], "Värde": goals["value"],
        "KI nedre": goals["ci_low"], "KI övre": goals["ci_high"], "n": goals["n"],
        "Föregående år": goals["previous_value"], "Bedömning": goals["verdict"]})
    kinds = ["text", "text", "text", "text", "text", "text", "int", "goal", "goal", "goal",
             "int", "goal", "text"]
    return out, columns(out, kinds)


def trends_sheet(trends: pd.DataFrame, catalog: Catalog):
    out = pd.DataFrame({
        "Enkät": names(trends["survey"], catalog),
        "Grupp": trends["group"].map(_group), "Fråga": trends["question"],
        "År": trends["year"], "n": trends["n"], "Andel positiva": trends["share_positive"],
        "KI nedre": trends["ci_low"], "KI övre": trends["ci_high"],
        "Frågetext": trends["question_text"]})
    kinds = ["text", "text", "int", "int", "int", "pct", "pct", "pct", "text"]
    return out, columns(out, kinds)


def gender_sheet(gender: pd.DataFrame, catalog: Catalog):
    out = pd.DataFrame({
        "Enkät": names(gender["survey"], catalog), "År": gender["year"],
        "Grupp": gender["group"].map(_group), "Kön": gender["label"],
        "Svarande": gender["respondents"]})
    kinds = ["text", "int", "text", "text", "int"]
    return out, columns(out, kinds)


def reference_sheet(ref: pd.DataFrame, catalog: Catalog):
    out = pd.DataFrame({
        "Enkät": names(ref["survey"], catalog), "År": ref["year"],
        "Fråga": ref["question"], "Referens": ref["reference"], "n": ref["n"],
        "Andel positiva": ref["share_positive"], "n referens": ref["reference_n"],
        "Andel positiva referens": ref["reference_share_positive"],
        "Jämfört med": ref["compared_with"], "n jämförelse": ref["other_n"],
        "Andel positiva jämförelse": ref["other_share_positive"],
        "Skillnad (p.e.)": ref["difference_pp"], "KI nedre (p.e.)": ref["ci_low_pp"],
        "KI övre (p.e.)": ref["ci_high_pp"], "KI-nivå": ref["ci_level"],
        "p justerat (Bonferroni)": ref["p_adjusted"], "Bedömning": ref["verdict"],
        "Frågetext": ref["question_text"]})
    kinds = ["text", "int", "int", "text", "int", "pct", "int", "pct", "text", "int", "pct",
             "pp", "pp", "pp", "pct1", "p", "text", "text"]
    return out, columns(out, kinds)


def side_sheet(side: pd.DataFrame, catalog: Catalog):
    out = pd.DataFrame({
        "Enkät": names(side["survey"], catalog), "År": side["year"],
        "Förbund": side["forbund"], "Fråga": side["question"], "n": side["n"],
        "Andel positiva": side["share_positive"], "KI nedre": side["ci_low"],
        "KI övre": side["ci_high"], "Frågetext": side["question_text"]})
    kinds = ["text", "int", "text", "int", "int", "pct", "pct", "pct", "text"]
    return out, columns(out, kinds)


# the sheet of each table that has one of its own (contents.TABLES names the sheet);
# the rest are shown on Datakvalitet
VIEWS = {"distributions.csv": distribution_sheet, "changes.csv": changes_sheet,
         "svarsfrekvens.csv": rates_sheet, "mal.csv": goals_sheet, "kon.csv": gender_sheet,
         "trender.csv": trends_sheet, "referens.csv": reference_sheet,
         "forbund.csv": side_sheet}


def quality_rows(pack, catalog: Catalog) -> list[tuple[str, list[list], list[str]]]:
    """Datakvalitet: row accounting, skipped and invalid cells, vet ej, hidden groups."""
    from ..summary import published_accounting

    parts = []
    text = published_accounting(pack.imported, pack.distributions).replace("`", "")
    parts.append(("Radbokföring", [[line] for line in text.split("\n")], ["Text"]))
    skipped = pack.imported.skipped_invalid
    parts.append(("Ogiltiga värden räknade som ej besvarade (--skip-invalid)",
                  [[p.location.file, p.location.sheet or "", p.location.row,
                    p.location.column, p.expected] for p in skipped]
                  or [["inga", "", "", "", ""]],
                  ["Fil", "Blad", "Rad", "Kolumn", "Förväntat"]))
    vet = pack.distributions.no_answer
    parts.append(("\"Vet ej\" o.d. (räknas inte i n)",
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
                if p.severity != "error" and p.code != "invalid-value"] + pack.notes
    parts.append(("Varningar (var och vad; indikator validate visar detaljerna)",
                  [[p.location.file, p.location.sheet or "", p.location.row or "",
                    p.location.letter or "", p.public_message] for p in warnings]
                  or [["inga", "", "", "", ""]], ["Fil", "Blad", "Rad", "Kolumn", "Problem"]))
    return parts


def write_workbook(pack, catalog: Catalog, path: Path) -> Path:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"nan_inf_to_errors": False,
                                           "strings_to_formulas": False,
                                           "strings_to_urls": False})
    book.set_properties({"title": "Indikatorer – tabeller", "creator": "indikator",
                         "created": pd.Timestamp("2000-01-01").to_pydatetime()})
    header = book.add_format({"bold": True, "text_wrap": True, "valign": "top",
                              "bottom": 1, "bg_color": "#EDEDED"})
    formats = {
        "text": book.add_format({"valign": "top"}),
        "int": book.add_format({"num_format": "0", "valign": "top"}),
        "pct": book.add_format({"num_format": "0 %", "valign": "top"}),
        "pct1": book.add_format({"num_format": "0.0 %", "valign": "top"}),
        "pp": book.add_format({"num_format": "+0;−0;0", "valign": "top"}),
        "p": book.add_format({"num_format": "0.000", "valign": "top"}),
        "dec": book.add_format({"num_format": "0.0", "valign": "top"}),
    }
    sheets = [(table.sheet, *VIEWS[table.file](df, catalog))
              for table, df in present_tables(pack) if table.file in VIEWS]
    for name, df, cols in sheets:
        ws = book.add_worksheet(name)
        measures = df["Mått"].tolist() if "Mått" in df else None
        for j, col in enumerate(cols):
            ws.write_string(0, j, cell(col.header), header)
            values = df.iloc[:, j].tolist()
            for i, value in enumerate(values, start=1):
                kind = col.kind
                if kind == "goal":
                    kind = "dec" if measures and measures[i - 1] == "medelvärde" else "pct"
                if value is None or (not isinstance(value, str) and pd.isna(value)):
                    continue
                if kind in ("pct", "pct1"):
                    ws.write_number(i, j, float(value) / 100, formats[kind])
                elif kind == "text":
                    ws.write_string(i, j, cell(str(value)), formats["text"])
                else:
                    ws.write_number(i, j, float(value), formats[kind])
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
                    ws.write_number(row, j, v, formats["int"])
                else:
                    ws.write_string(row, j, cell(str(v)), formats["text"])
                    if len(heads) > 1:
                        widest[j] = max(widest[j], min(len(str(v)) + 2, 60))
            row += 1
        row += 1
    for j, w in enumerate(widest):
        ws.set_column(j, j, w)
    book.close()
    from ..outputs import fixed_zip_times

    return fixed_zip_times(path)


def width(col: Col, values: list) -> float:
    """Wide enough for the header's longest word and most values, never wider than 60."""
    if col.kind != "text":
        return max(8, min(max(len(w) for w in col.header.split()) + 2, 16))
    longest = max([len(str(v)) for v in values if isinstance(v, str)] or [8])
    return max(len(col.header) + 2, min(longest + 2, 60))
