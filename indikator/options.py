"""What a run was asked to do: the options of `pack` (and of `validate`, which reads the
same inputs), and the tally those options shape. Light to import: no charts, no scipy."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from .contents import FORMATS
from .errors import EXIT_INPUT, IndikatorError
from .importing import ImportOptions, ImportResult
from .importing.model import INCOMPLETE_CHOICES, YES_NO_CHOICES
from .questionnaires import Catalog
from .stats import DEFAULT_MIN_N, Distributions, distributions, pool_small_groups

DPI = 300  # the chart files' resolution (theme.DPI is this)


@dataclass(frozen=True)
class PackOptions:
    importing: ImportOptions = field(default_factory=ImportOptions)
    min_n: int = DEFAULT_MIN_N
    compare: Path | tuple[Path, ...] | None = None  # earlier packs' distributions.csv
    formats: tuple[str, ...] = FORMATS  # of contents.FORMATS; () writes tables and texts only
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

    def __post_init__(self) -> None:
        """Every value checked here, for the CLI and a notebook alike."""
        unknown = [f for f in self.formats if f not in FORMATS]
        if unknown:
            raise IndikatorError(f"Okänt format: {', '.join(unknown)}. Välj bland "
                                 f"{','.join(FORMATS)}.", exit_code=EXIT_INPUT)
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


def by_gender(df: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """Groups by kön instead of insats (--by kon): one partition of Alla, as insatser are,
    so the same suppression rule protects it. Both at once would be two overlapping
    partitions whose intersections the rule does not protect."""
    labels = {c.code: c.label for c in catalog.gender.categories} if catalog.gender else {}
    df = df.copy()
    df["group"] = [labels.get(int(g)) if not pd.isna(g) else None for g in df["gender"]]
    return df


def tally(imported: ImportResult, catalog: Catalog, options: PackOptions) -> Distributions:
    """Distributions of the imported answers, small insatser pooled first if asked."""
    answers, respondents, no_answers = (imported.answers, imported.respondents,
                                        imported.no_answers)
    if options.by == "kon":
        answers, respondents, no_answers = (by_gender(df, catalog)
                                            for df in (answers, respondents, no_answers))
    if options.pool_small:
        answers, respondents, no_answers = pool_small_groups(answers, respondents, no_answers,
                                                             options.min_n)
    return distributions(answers, respondents, catalog, options.min_n, no_answers)
