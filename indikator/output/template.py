"""`indikator mall`: an empty workbook for the board's goals and the response rates.

Two sheets, Mål and Svarsfrekvens, with the headings the program reads, a comment on each
heading saying what to type, and drop-down lists where the words are fixed. No example
rows: a forgotten example would be read as a real goal. Put the file beside the exports
(or give it with --mal / --svarsfrekvens); its sheets are never read as answers.
"""

from __future__ import annotations

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


def write_template(path: Path) -> Path:
    """Write the template to `path`; an existing file is never overwritten."""
    import xlsxwriter
    import xlsxwriter.exceptions

    path = Path(path)
    if path.exists() or path.is_symlink():
        raise IndikatorError(f"{path} finns redan och skrivs inte över. Ange ett annat namn "
                             "(indikator mall NAMN.xlsx) eller flytta filen.",
                             exit_code=EXIT_INPUT)
    try:
        book = xlsxwriter.Workbook(str(path))
        head = book.add_format({"bold": True, "bg_color": "#E8E8E8", "border": 1})
        for title, columns in (("Mål", GOAL_COLUMNS), ("Svarsfrekvens", RATE_COLUMNS)):
            sheet = book.add_worksheet(title)
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
    except (OSError, xlsxwriter.exceptions.FileCreateError) as exc:
        why = getattr(exc, "strerror", None) or str(exc)
        raise IndikatorError(f"Mallen kunde inte skrivas till {path}: {why}.",
                             exit_code=EXIT_INPUT) from None
    return path
