"""What a run was asked to do: the options of `pack` (and of `validate`, which reads the
same inputs), every value checked, and what --format can choose. Light to import: no
charts, no scipy."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from indikator.errors import EXIT_INPUT, IndikatorError
from indikator.importing import ImportOptions
from indikator.importing.model import INCOMPLETE_CHOICES, YES_NO_CHOICES

DEFAULT_MIN_N = 5  # the smallest group or question whose answers are shown
PDF_FILE = "indikatorer.pdf"
DOCX_FILE = "indikatorer.docx"
DEPTH_PDF_FILE = "indikatorer-fordjupning.pdf"
DEPTH_DOCX_FILE = "indikatorer-fordjupning.docx"
XLSX_FILE = "tabeller.xlsx"
HTML_FILE = "index.html"
PPTX_FILE = "indikatorer.pptx"

@dataclass(frozen=True)
class OutputFormat:
    """What --format chooses among (the CSVs and the two texts are always written).

    file: the document written, or None for a chart format (a file per chart in
        diagram/); writer: "module:function" of its renderer, imported when used, called
        as writer(source, path, images); source: the report itself (""), or the document
        model it renders, "appendix" (the short appendix), "depth" (what it leaves out)
        or "page" (everything, every year), or "deck" (the slides); charts: which of
        the documents' copies of a chart it shows, "svg" (vectors) or "png" (pixels), or
        "" for none; one that shows charts is written once they are drawn.
    """

    name: str
    file: str | None = None
    writer: str = ""
    source: str = ""
    charts: str = ""

    @property
    def needs_charts(self) -> bool:
        return bool(self.charts)


# a new output format is a renderer module and one line here
OUTPUT_FORMATS = (
    OutputFormat("pdf", PDF_FILE, "indikator.output.renderers.pdf:write_pdf", "appendix", "svg"),
    OutputFormat("docx", DOCX_FILE, "indikator.output.renderers.word:write_docx", "appendix",
                 "png"),
    OutputFormat("pdf", DEPTH_PDF_FILE, "indikator.output.renderers.pdf:write_pdf", "depth",
                 "svg"),
    OutputFormat("docx", DEPTH_DOCX_FILE, "indikator.output.renderers.word:write_docx", "depth",
                 "png"),
    OutputFormat("xlsx", XLSX_FILE, "indikator.output.renderers.workbook:write_workbook"),
    OutputFormat("html", HTML_FILE, "indikator.output.renderers.html:write_html", "page", "svg"),
    OutputFormat("pptx", PPTX_FILE, "indikator.output.renderers.slides:write_deck", "deck",
                 "png"),
    OutputFormat("png"),
    OutputFormat("svg"),
)
FORMATS = tuple(dict.fromkeys(f.name for f in OUTPUT_FORMATS))
CHART_FORMATS = tuple(f.name for f in OUTPUT_FORMATS if f.file is None)
DOCUMENT_FILES = tuple(f.file for f in OUTPUT_FORMATS if f.file is not None)

# what --bilaga can move into the short appendix (the depth document holds the rest)
APPENDIX_PARTS = {
    "insatser": "diagram för varje insats (eller kön med --by kon)",
    "jamforelse": "en tabell per enkät med förändringen från i fjol, alla svarande",
    "jamforelsediagram": "jämförelsediagrammen",
    "trender": "trenddiagrammen",
}
DEFAULT_APPENDIX = ("jamforelse",)

DPI = 300  # the chart files' resolution (theme.DPI is this)


@dataclass(frozen=True)
class PackOptions:
    importing: ImportOptions = field(default_factory=ImportOptions)
    min_n: int = DEFAULT_MIN_N
    compare: Path | tuple[Path, ...] | None = None  # earlier packs' distributions.csv
    formats: tuple[str, ...] = FORMATS  # of FORMATS; () writes tables and texts only
    dpi: int = DPI
    jobs: int = 0  # processes drawing charts; 0 = one per core
    pool_small: bool = False  # merge insatser under min_n into "Övriga insatser"
    response_rates: Path | None = None  # --svarsfrekvens: asked and declined per group
    goals: Path | None = None  # --mal, or mal.toml found beside the inputs
    by: str = "insats"  # the groups beside Alla: insats, or kon (kön instead of insats)
    marker: str = ""  # printed on every chart and in the summary, e.g. for example data
    forbund: str = ""  # the förbund's name, for the documents' title page
    reference: Path | None = None  # --reference: another pack's distributions.csv
    reference_name: str = "Referens"  # its label on the charts: "Riket", "Länet"
    fingerprint: str = ""  # cache.fingerprint of the run, kept in the pack for re-runs
    per_forbund: bool = False  # one pack per förbund and their aggregate (many.build_many)
    sort: str = "namn"  # the förbund side by side: by name or by share positive
    appendix: tuple[str, ...] = DEFAULT_APPENDIX  # of APPENDIX_PARTS: what --bilaga adds

    def __post_init__(self) -> None:
        """Every value checked here, for the CLI and a notebook alike."""
        for name, value, least in (("--min-n", self.min_n, 1), ("--jobs", self.jobs, 0),
                                   ("dpi", self.dpi, 1)):
            if isinstance(value, bool) or not isinstance(value, int) or value < least:
                raise IndikatorError(f"{name} ska vara ett heltal, minst {least} (fick "
                                     f"{value!r}).", exit_code=EXIT_INPUT)
        if isinstance(self.formats, str):
            raise IndikatorError(f"formats ska vara en lista av format, t.ex. ('pdf', 'xlsx'), "
                                 f"inte en text ({self.formats!r}).", exit_code=EXIT_INPUT)
        unknown = [f for f in self.formats if f not in FORMATS]
        if unknown:
            raise IndikatorError(f"Okänt format: {', '.join(unknown)}. Välj bland "
                                 f"{','.join(FORMATS)}.", exit_code=EXIT_INPUT)
        if isinstance(self.appendix, str) or any(a not in APPENDIX_PARTS
                                                  for a in self.appendix):
            raise IndikatorError(f"--bilaga: välj bland {','.join(APPENDIX_PARTS)}, allt "
                                 f"eller kort (fick {self.appendix!r}).", exit_code=EXIT_INPUT)
        for name, value, choices in (("--by", self.by, BY_CHOICES),
                                     ("--sort", self.sort, SORTS)):
            if value not in choices:
                raise IndikatorError(f"{name} ska vara {' eller '.join(choices)} (fick "
                                     f"'{value}').", exit_code=EXIT_INPUT)
        if self.per_forbund and self.forbund.strip():
            raise IndikatorError("--forbund går inte ihop med --per-forbund: förbundens namn "
                                 "kommer från mapparna eller kolumnen Förbund.",
                                 exit_code=EXIT_INPUT)

    def settings(self) -> str:
        """What of these options shapes a pack, as text for the run's fingerprint."""
        return repr(replace(self, fingerprint="", jobs=0))


BY_CHOICES = ("insats", "kon")
SORTS = ("namn", "andel")


def parse_formats(text: str) -> tuple[str, ...]:
    """'pdf, xlsx' → ('pdf', 'xlsx'); an unknown name stops with the list to choose from."""
    chosen = tuple(dict.fromkeys(f.strip().lower().lstrip(".") for f in text.split(",")
                                 if f.strip()))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise IndikatorError(
            f"--format: okänt format {', '.join(repr(f) for f in unknown) or '(inget)'}. "
            f"Välj bland {','.join(FORMATS)}, t.ex. --format pdf,xlsx.", exit_code=EXIT_INPUT)
    return chosen


def parse_appendix(text: str) -> tuple[str, ...]:
    """'insatser, trender' → ('insatser', 'trender'); 'allt' is every part, 'kort' the
    default; an unknown name stops with the list to choose from."""
    chosen = [a.strip().lower().translate(str.maketrans("åäö", "aao"))
              for a in text.split(",")]
    if "" in chosen:
        raise IndikatorError(f"--bilaga: en tom del i {text!r}. Välj bland "
                             f"{','.join(APPENDIX_PARTS)} (kommaseparerat), eller allt eller "
                             "kort.", exit_code=EXIT_INPUT)
    if chosen == ["allt"]:
        return tuple(APPENDIX_PARTS)
    if chosen == ["kort"]:
        return DEFAULT_APPENDIX
    if {"allt", "kort"} & set(chosen):
        raise IndikatorError("--bilaga: allt och kort står ensamma, inte tillsammans med "
                             f"andra delar (fick {text!r}).", exit_code=EXIT_INPUT)
    unknown = [a for a in chosen if a not in APPENDIX_PARTS]
    if unknown or not chosen:
        raise IndikatorError(
            f"--bilaga: okänd del {', '.join(repr(a) for a in unknown) or '(ingen)'}. Välj "
            f"bland {','.join(APPENDIX_PARTS)} (kommaseparerat), eller allt eller kort.",
            exit_code=EXIT_INPUT)
    return tuple(dict.fromkeys(chosen))


def import_options(survey: str | None = None, year: int | None = None,
                   incomplete: str | None = None, yes_no: str = "auto",
                   skip_invalid: bool = False) -> ImportOptions:
    """The importer's options, with the choices checked."""
    for name, value, choices in (("--incomplete", incomplete, INCOMPLETE_CHOICES),
                                 ("--ja-nej", yes_no, YES_NO_CHOICES)):
        if value is not None and value not in choices:
            raise IndikatorError(f"{name} ska vara {' eller '.join(choices)} (fick '{value}').",
                                 exit_code=EXIT_INPUT)
    return ImportOptions(survey=survey, year=year, skip_invalid=skip_invalid,
                         incomplete=incomplete, yes_no=yes_no)
