"""`indikator mall`: an empty workbook for the board's goals and the response rates.

Two sheets, Mål and Svarsfrekvens, with the headings the program reads, a comment on each
heading saying what to type, and drop-down lists where the words are fixed. No example
rows: a forgotten example would be read as a real goal. Put the file beside the exports
(or give it with --mal / --svarsfrekvens); its sheets are never read as answers.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from indikator.errors import EXIT_INPUT, IndikatorError

TEMPLATE_FILE = "mal_och_svarsfrekvens.xlsx"

GOAL_COLUMNS = (
    ("Mål", "Målet med förbundets egna ord, t.ex. Deltagarna upplever att stödet är till "
            "nytta.", 46),
    ("Enkät", "Deltagare pågående / Deltagare avslut / Personal / Beredningsgrupp / "
              "Styrelse.", 22),
    ("Frågor", "Frågornas nummer: 5, eller 1, 2, eller 1–3. Flera frågor slås ihop.", 10),
    ("Grupp", "Tomt för alla svarande, annars insatsens namn som i exporten.", 16),
    ("Mått", "Andel positiva (tomt), andel (ange då svaren i Svar) eller medelvärde.", 16),
    ("Jämförelse", "Minst, mer än, högst, mindre än eller inte under fjolåret.", 20),
    ("Nivå", "Målnivån: en andel i procent (70 eller 70 %) eller ett medelvärde (3,5; "
             "decimalkomma går bra). Tomt vid inte under fjolåret.", 10),
    ("Svar", "Bara för måttet andel: svarskoderna eller svaren, t.ex. 5, 6.", 12),
    ("Förbund", "Bara när filen har flera förbunds mål: förbundets namn.", 20),
)
RATE_COLUMNS = (
    ("Enkät", "Enkäten, som i bladet Mål.", 22),
    ("År", "Året enkäten gjordes, t.ex. 2025.", 8),
    ("Insats", "Tomt för hela enkäten, annars insatsens namn som i exporten.", 18),
    ("Tillfrågade", "Hur många som fick enkäten (ett heltal).", 12),
    ("Tackat nej", "Hur många som tackade nej (ett heltal, eller tomt).", 12),
    ("Förbund", "Bara när filen har flera förbunds siffror: förbundets namn.", 20),
)
# Excel's lists are split at commas, so the surveys are named without one
LISTS = {"Enkät": ["Deltagare pågående", "Deltagare avslut", "Personal", "Beredningsgrupp",
                   "Styrelse"],
         "Mått": ["andel positiva", "andel", "medelvärde"],
         "Jämförelse": ["minst", "mer än", "högst", "mindre än", "inte under fjolåret"]}
ROWS = 200  # rows with drop-down lists


def write_template(path: Path, goals: Sequence[Sequence[str]] = (),
                   rates: Sequence[Sequence[str]] = (), replace: bool = False) -> Path:
    """Write the template to `path`, with rows typed in the web page's forms (goals and
    rates: one list of texts per row, in GOAL_COLUMNS / RATE_COLUMNS order). An existing
    file is never overwritten, unless `replace` (the web page's own file, saved again):
    then written beside it and switched in, so a failed save leaves the old one."""
    import xlsxwriter
    import xlsxwriter.exceptions

    path = Path(path)
    if not replace and (path.exists() or path.is_symlink()):
        raise IndikatorError(f"{path} finns redan och skrivs inte över. Ange ett annat namn "
                             "(indikator mall NAMN.xlsx) eller flytta filen.",
                             exit_code=EXIT_INPUT)
    target, path = path, path.with_name(f".{path.name}.ny") if replace else path
    try:
        book = xlsxwriter.Workbook(str(path))
        head = book.add_format({"bold": True, "bg_color": "#E8E8E8", "border": 1})
        for title, columns, rows in (("Mål", GOAL_COLUMNS, goals),
                                     ("Svarsfrekvens", RATE_COLUMNS, rates)):
            sheet = book.add_worksheet(title)
            for r, row in enumerate(rows, start=1):
                for c, value in enumerate(row[:len(columns)]):
                    typed = typed_value(columns[c][0], value)
                    if typed not in ("", None):
                        sheet.write(r, c, typed)
            for c, (name, help_text, width) in enumerate(columns):
                sheet.write(0, c, name, head)
                sheet.write_comment(0, c, help_text, {"x_scale": 2.2, "y_scale": 1.6})
                sheet.set_column(c, c, width)
                if name in LISTS:
                    sheet.data_validation(1, c, ROWS, c, {
                        "validate": "list", "source": LISTS[name],
                        "error_type": "warning",
                        "error_message": "Välj ur listan (eller skriv som listan)."})
            sheet.freeze_panes(1, 0)
        book.close()
        if replace:
            os.replace(path, target)
    except (OSError, xlsxwriter.exceptions.FileCreateError) as exc:
        if replace:
            path.unlink(missing_ok=True)
        why = getattr(exc, "strerror", None) or str(exc)
        held = " (är den öppen i Excel? Stäng den och spara igen)" if isinstance(
            exc, PermissionError) and replace else ""
        raise IndikatorError(f"Mallen kunde inte skrivas till {target}{held}: {why}.",
                             exit_code=EXIT_INPUT) from None
    return target


# whole numbers; a level is kept as typed ("70 %", "3,5"): written as a number, 0,7 would
# look like a percent-formatted cell (70 %) when read back
NUMBERS = frozenset({"År", "Tillfrågade", "Tackat nej"})


def typed_value(column: str, text) -> str | float | int:
    """A form's text as Excel should hold it: a number typed with a decimal comma or a
    percent sign in a number column becomes that number, anything else stays as typed
    (the sheet's reader checks it, and names the cell if it is wrong)."""
    from indikator.input.goal_sheets import number

    text = str(text or "").strip()
    value = number(text) if column in NUMBERS and text else None
    if value is None:
        return text
    return int(value) if value.is_integer() else value


def read_rows(path: Path) -> dict[str, list[list[str]]]:
    """The rows of a workbook's sheets Mål and Svarsfrekvens, as texts in the template's
    column order, for the web page's forms: found as pack finds them (is_goal_sheet,
    is_rate_sheet, side_table with the readers' own headings, "Insats" for Grupp among
    them), so that the forms show, and save again, what pack reads."""
    from indikator.input.goal_sheets import HEADERS as GOAL_HEADERS
    from indikator.input.goal_sheets import is_goal_sheet
    from indikator.input.response_rates import HEADERS as RATE_HEADERS
    from indikator.input.response_rates import is_rate_sheet, side_table
    from indikator.reading import read_file
    from indikator.text import fold

    out: dict[str, list[list[str]]] = {"mal": [], "svarsfrekvens": []}
    kinds = (("mal", is_goal_sheet, GOAL_COLUMNS, GOAL_HEADERS),
             ("svarsfrekvens", is_rate_sheet, RATE_COLUMNS, RATE_HEADERS))
    for sheet in read_file(Path(path)):
        for key, wanted, columns, headers in kinds:
            table = side_table(sheet, headers) if wanted(sheet) else None
            if table is None:
                continue
            filled, _, _, found = table
            where = [found.get(headers[fold(name)]) for name, _, _ in columns]
            for _, row in filled[1:]:
                texts = [_text(row[i]) if i is not None and i < len(row) else ""
                         for i in where]
                if key == "mal":  # the level as the sheet's reader reads it ("70 %")
                    texts[LEVEL] = _level_text(row[where[LEVEL]] if where[LEVEL] is not None
                                               and where[LEVEL] < len(row) else None,
                                               texts[MEASURE])
                if any(texts):  # not a row filled only in columns the forms do not have
                    out[key].append(texts)
    return out


LEVEL = [c[0] for c in GOAL_COLUMNS].index("Nivå")
MEASURE = [c[0] for c in GOAL_COLUMNS].index("Mått")


def _level_text(value, measure: str) -> str:
    """A level cell for the form: a percent-formatted share (0.7) as "70 %", so that the
    form saved again means what the cell meant."""
    from indikator.input.goal_sheets import MEASURES, level
    from indikator.text import fold

    kind = MEASURES.get(fold(measure), "share_positive") if measure else "share_positive"
    read = level(value, kind)
    if read is None or not isinstance(value, int | float) or read == value:
        return _text(value)
    return _text(read) + " %"


def _text(value) -> str:
    """A cell as a person typed it: 70.0 → '70', 3.5 → '3,5'."""
    if isinstance(value, float):
        return (str(int(value)) if value.is_integer() else repr(value)).replace(".", ",")
    return "" if value is None else str(value)
