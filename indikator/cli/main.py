"""The `indikator` command: parse options, call the library, turn errors into messages.

Heavy libraries are imported inside the commands so that `--help` stays instant.
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path
from typing import Annotated

import typer

from indikator.errors import EXIT_INPUT, IndikatorError
from indikator.options import FORMATS

EVERY_FORMAT = ",".join(FORMATS)  # --format's default: everything

app = typer.Typer(
    help="NNS-indikatorer för samordningsförbund: från enkätexport till diagram och tabeller.",
    add_completion=False,
    pretty_exceptions_enable=False,
)

FilesArg = Annotated[
    list[Path] | None,
    typer.Argument(help="Exportfiler (.xlsx, .xls, .ods, .csv) eller mappar med sådana. Utan "
                   "filer läses mappen responses/ där kommandot körs (i indikators egen mapp "
                   "är det exemplet, ett påhittat förbund, och paketet märks så).",
                   show_default=False, metavar="FILER"),
]
SurveyOpt = Annotated[
    str | None,
    typer.Option("--survey", help="Enkätens id, när det inte framgår av kolumnen Enkät, "
                 "blad- eller filnamnet (se `indikator questionnaires`). Inget filter: för "
                 "att packa bara vissa enkäter, ange bara deras filer.", show_default=False),
]
YearOpt = Annotated[
    int | None,
    typer.Option("--year", help="År för svar utan kolumnen År (eller med tom cell i den).",
                 show_default=False),
]
QuestionnairesOpt = Annotated[
    list[Path] | None,
    typer.Option("--questionnaires", help="Extra mapp eller fil med enkäter (TOML), utöver de "
                 "medföljande.", show_default=False),
]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Visa hela felspåret vid internt fel.")]
IncompleteOpt = Annotated[
    str | None,
    typer.Option("--incomplete", help="Rader som enkätverktyget markerat som ofullständiga: "
                 "'include' räknar deras svar, 'exclude' utesluter dem. Utan valet stoppas "
                 "körningen om sådana rader finns.", show_default=False),
]
YesNoOpt = Annotated[
    str,
    typer.Option("--ja-nej", help="Hur Nej är kodat i ja/nej-frågor: 'auto' (upptäcks per "
                 "kolumn), '1/2' eller '1/0'."),
]

MinNOpt = Annotated[int, typer.Option(
    "--min-n", min=1, help="Minsta antal svarande för att en grupp, eller en fråga inom "
    "en grupp, ska visas.")]
SkipInvalidOpt = Annotated[bool, typer.Option(
    "--skip-invalid", help="Räkna värden som inte finns på skalan som ej besvarade (och "
    "lista dem i ogiltiga_varden.csv) i stället för att avbryta.")]
CompareOpt = Annotated[list[Path] | None, typer.Option(
    "--compare", help="Jämför med ett tidigare pakets distributions.csv (när förra årets "
    "råsvar inte finns kvar). Kan anges flera gånger, ett paket per år: med tre år eller "
    "fler blir det trender.", show_default=False)]
RatesOpt = Annotated[Path | None, typer.Option(
    "--svarsfrekvens", help="Fil (CSV eller xlsx) med kolumnerna Enkät, År, Insats, "
    "Tillfrågade, Tackat nej; ett blad som heter Svarsfrekvens i en av filerna läses "
    "också.", show_default=False)]
GoalsOpt = Annotated[Path | None, typer.Option(
    "--mal", help="Målfil (TOML) med styrelsens mål; utan valet läses mal.toml bredvid "
    "exportfilerna om den finns.", show_default=False)]
ForbundOpt = Annotated[str, typer.Option(
    "--forbund", help="Förbundets namn, på dokumentens titelsida; väljer förbundets mål i en "
    "målfil med flera förbunds mål.", show_default=False)]
PerForbundOpt = Annotated[bool, typer.Option(
    "--per-forbund", help="Mappen har en undermapp per förbund: ett paket per förbund i "
    "OUT/<förbund>/ och ett för alla förbund i OUT/alla/, med förbunden sida vid sida "
    "och varje förbund jämfört med alla.")]
ReferenceOpt = Annotated[Path | None, typer.Option(
    "--reference", help="Ett annat pakets distributions.csv (riket, länet): dess stapel "
    "står under varje fråga, och referens.csv jämför förbundet med den.",
    show_default=False)]
ReferenceLabelOpt = Annotated[str, typer.Option(
    "--reference-label", help="Referensens namn i diagrammen, t.ex. Riket eller "
    "Länet.")]


def _input_options(survey, year, incomplete, yes_no, skip_invalid, min_n: int,
                   compare: list[Path] | None, rates: Path | None, goal_file: Path | None,
                   reference: Path | None, reference_label: str, forbund: str,
                   per_forbund: bool, **output):
    """What pack and validate read, from the options they share (pack adds `output`);
    PackOptions checks every value."""
    from indikator.options import PackOptions, import_options

    importing = import_options(survey, year, incomplete, yes_no, skip_invalid)
    return PackOptions(importing, min_n=min_n, compare=tuple(compare or ()) or None,
                       response_rates=rates, goals=goal_file, reference=reference,
                       reference_name=reference_label.strip() or "Referens",
                       forbund=forbund.strip(), per_forbund=per_forbund, **output)


def _fail(exc: IndikatorError) -> typer.Exit:
    from indikator.report.summary import problem_lines
    from indikator.text import printable

    typer.echo(printable(f"Fel: {exc.message}"), err=True)
    rest = [p for p in exc.problems if str(p) not in exc.message]  # not said twice
    for line in problem_lines(rest):
        typer.echo(printable(line), err=True)
    return typer.Exit(exc.exit_code)


def _run(debug: bool, job):
    """Run a command body: known errors as messages, unknown ones without a traceback."""
    try:
        return job()
    except IndikatorError as exc:
        raise _fail(exc) from None
    except typer.Exit:
        raise
    except KeyboardInterrupt:
        typer.echo("Avbrutet; inget paket skrevs.", err=True)
        raise typer.Exit(130) from None
    except BrokenPipeError:  # the reader of the output went away (`… | head`): stop quietly
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(141) from None
    except Exception as exc:
        if debug:
            traceback.print_exc()
        else:
            typer.echo(f"Internt fel ({type(exc).__name__}: {exc}). Inget paket skrevs. "
                       "Kör igen med --debug och rapportera felet.", err=True)
        raise typer.Exit(3) from None


def _catalog(extra: list[Path] | None):
    from indikator.questionnaires import load_catalog

    return load_catalog(extra or [])


DEFAULT_FOLDER = Path("responses")


WILDCARDS = frozenset("*?[")


def expanded(files: list[Path]) -> list[Path]:
    """`svar\\*.xlsx` as the user meant it. A Windows shell passes a wildcard on as it is
    (a Unix shell has already expanded it); a name that exists is taken as it is, even
    with a * or [ in it. A pattern that matches nothing stops with the pattern named."""
    import glob

    out: list[Path] = []
    for path in files:
        text = str(path)
        if path.exists() or not WILDCARDS & set(text):
            out.append(path)
            continue
        found = sorted(glob.glob(text))
        if not found:
            raise IndikatorError(f"Inga filer matchar {text}. Kontrollera mappen och "
                                 f"filnamnet, t.ex. {Path('svar') / '*.xlsx'}.",
                                 exit_code=EXIT_INPUT)
        out += [Path(f) for f in found]
    return out


def default_files() -> list[Path]:
    """With no files given: the folder responses/ where the command is run, else stop."""
    if DEFAULT_FOLDER.is_dir():
        return [DEFAULT_FOLDER]
    raise IndikatorError(
        "Inga exportfiler angivna, och här finns ingen mapp responses/. Ange filerna eller "
        "mappen med svaren, t.ex. indikator pack svar, "
        "eller lägg dem i en mapp responses/ och kör kommandot där.", exit_code=EXIT_INPUT)


@app.command(help=(
    "Bygg paketet: diagram (PNG, SVG), distributions.csv, grupper.csv och en sammanfattning. "
    "Finns flera år i filerna (eller --compare) jämförs det senaste året med året före: "
    "changes.csv och jämförelsediagram."))
def pack(
    files: FilesArg = None,
    out: Annotated[Path, typer.Option("--out", help="Mapp för paketet.")] = Path("output"),
    year: YearOpt = None,
    survey: SurveyOpt = None,
    min_n: MinNOpt = 5,
    skip_invalid: SkipInvalidOpt = False,
    incomplete: IncompleteOpt = None,
    yes_no: YesNoOpt = "auto",
    compare: CompareOpt = None,
    jobs: Annotated[int, typer.Option(
        "--jobs", min=0, help="Antal processer som ritar diagram (0 = en per kärna).")] = 0,
    rates: RatesOpt = None,
    goals: GoalsOpt = None,
    by: Annotated[str, typer.Option(
        "--by", help="Grupperna bredvid Alla: 'insats' (standard) eller 'kon' (kön i stället "
        "för insats; samma regler för små grupper).")] = "insats",
    pool_small: Annotated[bool, typer.Option(
        "--pool-small", help="Slå ihop insatser med för få svarande till en grupp \"Övriga "
        "insatser\", när de tillsammans är tillräckligt många, i stället för att dölja "
        "dem.")] = False,
    formats: Annotated[str, typer.Option(
        "--format", help=f"Vad som skrivs, kommaseparerat bland {EVERY_FORMAT} "
        "(standard: allt). CSV-tabellerna och sammanfattningarna skrivs alltid.")]
    = EVERY_FORMAT,
    appendix: Annotated[str, typer.Option(
        "--bilaga", help="Vad bilagan indikatorer.pdf/.docx tar med utöver årets diagram för "
        "alla svarande, svarsfrekvensen och målen: kommaseparerat bland insatser (diagram för "
        "varje insats), jamforelse (en tabell per enkät med förändringen från i fjol), "
        "jamforelsediagram och trender (en lista ersätter standardvalet jamforelse); allt tar "
        "med allt, kort är standard. Resten står i fördjupningen "
        "(indikatorer-fordjupning.pdf och .docx).")] = "jamforelse",
    forbund: ForbundOpt = "",
    per_forbund: PerForbundOpt = False,
    reference: ReferenceOpt = None,
    reference_label: ReferenceLabelOpt = "Referens",
    sort: Annotated[str, typer.Option(
        "--sort", help="Ordningen på förbunden sida vid sida: namn eller andel.")] = "namn",
    questionnaires: QuestionnairesOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Build the pack (help text above, in Swedish for the user)."""

    def job():
        from indikator.input.example import MARKER, is_example
        from indikator.input.files import split_goal_file
        from indikator.options import parse_appendix, parse_formats

        paths, goal_file = split_goal_file(expanded(files) if files else default_files(),
                                            goals)
        options = _input_options(survey, year, incomplete, yes_no, skip_invalid, min_n,
                                 compare, rates, goal_file, reference, reference_label,
                                 forbund, per_forbund, jobs=jobs,
                                 formats=parse_formats(formats), pool_small=pool_small,
                                 marker=MARKER if is_example(paths) else "", by=by,
                                 sort=sort, appendix=parse_appendix(appendix))
        if not per_forbund:
            from indikator.cli.progress import progress_bar
            from indikator.output.run import pack_run

            result = pack_run(paths, Path(out), options, questionnaires, progress_bar,
                              say=lambda line: typer.echo(line, err=True))
            typer.echo(result.summary, nl=False)
            return
        catalog = _catalog(questionnaires)
        from indikator.output.folder import check_destination

        check_destination(Path(out).absolute())  # before the import, not after it
        typer.echo("Läser förbundens filer …", err=True)
        from functools import partial

        from indikator.cli.progress import progress_bar
        from indikator.input.members import read_members
        from indikator.output.many import build_many
        from indikator.output.processes import ordered_map
        from indikator.report.summary import many_summary, pack_summary

        members = read_members(paths, catalog, options,
                               mapper=partial(ordered_map, workers=options.jobs))
        typer.echo(f"{len(members.members)} förbund …", err=True)
        with progress_bar() as progress:
            packs = build_many(members, out, catalog, options, sort, progress=progress,
                               summary=partial(pack_summary, catalog=catalog))
        typer.echo(many_summary(packs, out), nl=False)

    _run(debug, job)


@app.command()
def validate(
    files: Annotated[list[Path], typer.Argument(help="Exportfiler eller mappar att kontrollera.",
                                                metavar="FILER")],
    year: YearOpt = None,
    survey: SurveyOpt = None,
    incomplete: IncompleteOpt = None,
    yes_no: YesNoOpt = "auto",
    skip_invalid: SkipInvalidOpt = False,
    min_n: MinNOpt = 5,
    compare: CompareOpt = None,
    rates: RatesOpt = None,
    goals: GoalsOpt = None,
    forbund: ForbundOpt = "",
    per_forbund: PerForbundOpt = False,
    reference: ReferenceOpt = None,
    reference_label: ReferenceLabelOpt = "Referens",
    questionnaires: QuestionnairesOpt = None,
    as_json: Annotated[bool, typer.Option(
        "--json", help="Skriv resultatet som JSON (varje blad och varje problem med kod och "
        "position) för andra program.")] = False,
    debug: DebugOpt = False,
) -> None:
    """Kontrollera exportfiler och allt som pack skulle läsa bredvid dem (mal.toml,
    svarsfrekvens, --compare, --reference) med samma val: vad som hittas och varje problem.
    Skriver inga filer."""

    def job():
        from indikator.input.files import split_goal_file, validation
        from indikator.report.summary import validate_json, validate_report

        catalog = _catalog(questionnaires)
        paths, goal_file = split_goal_file(expanded(files), goals)
        options = _input_options(survey, year, incomplete, yes_no, skip_invalid, min_n,
                                 compare, rates, goal_file, reference, reference_label,
                                 forbund, per_forbund)
        imported, code = validation(paths, catalog, options, per_forbund)
        typer.echo(validate_json(imported) if as_json else validate_report(imported, catalog),
                   nl=False)
        if code:
            raise typer.Exit(code)

    _run(debug, job)


@app.command("app")
def web_page(
    folder: Annotated[Path, typer.Argument(
        help="Mappen där målen (mal_och_svarsfrekvens.xlsx) och paketet (paket/) sparas; "
        "standard är mappen där kommandot körs.", metavar="MAPP")] = Path("."),
    port: Annotated[int, typer.Option(
        "--port", min=0, max=65535, help="Porten sidan svarar på (0 = en ledig port).")] = 0,
    no_browser: Annotated[bool, typer.Option(
        "--no-browser", help="Öppna inte webbläsaren; skriv bara ut adressen.")] = False,
    debug: DebugOpt = False,
) -> None:
    """Öppna indikator som en webbsida på den här datorn: välj exportfilerna, se vad som
    hittas och varje problem, fyll i mål och svarsfrekvens, bygg paketet och ladda ner
    det. Sidan nås bara från den här datorn och skickar inget någonstans."""

    def job():
        from indikator.app.server import serve

        serve(folder, port, open_browser=not no_browser, say=typer.echo)

    _run(debug, job)


@app.command("mall")
def template(
    file: Annotated[Path, typer.Argument(
        help="Filen som skrivs (skrivs aldrig över).", metavar="FIL")] = Path(
        "mal_och_svarsfrekvens.xlsx"),
    debug: DebugOpt = False,
) -> None:
    """Skriv en tom arbetsbok med bladen Mål och Svarsfrekvens att fylla i (i stället för
    mal.toml). Lägg den bredvid exportfilerna, eller ange den med --mal och
    --svarsfrekvens."""

    def job():
        from indikator.output.template import write_template

        written = write_template(file)
        typer.echo(f"Skrev {written}: fyll i bladen Mål och Svarsfrekvens (rubrikerna har "
                   "kommentarer om vad som ska stå) och lägg filen bredvid exportfilerna.")

    _run(debug, job)


@app.command("questionnaires")
def list_questionnaires(
    questionnaires: QuestionnairesOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Lista enkäterna som finns, med frågor och skalor."""

    def job():
        catalog = _catalog(questionnaires)
        for survey in catalog.ids:
            for q in catalog.versions(survey):
                version = f", version {q.version}" if q.version else ""
                since = f" (från {q.valid_from})" if q.valid_from else ""
                count = len(q.questions)
                typer.echo(f"{q.id}  –  {q.name}{version}{since}, {count} "
                           f"{'fråga' if count == 1 else 'frågor'}  [{q.source}]")
                for question in q.questions:
                    cond = ""
                    if question.asked_if:
                        cond = f"  (ställs bara vid {question.asked_if.describe()})"
                    typer.echo(f"  {question.number:>2}. [{question.scale.id}] "
                               f"{question.text}{cond}")
                typer.echo("")

    _run(debug, job)


USAGE_ERRORS = ("UsageError", "BadParameter", "NoSuchOption", "MissingParameter",
                "BadOptionUsage", "BadArgumentUsage", "NoArgsIsHelpError")


def run(argv: list[str]) -> int:
    """Run the program on `argv`; every word it says about itself is Swedish. Returns the exit code.

    Help, --version and usage errors are handled here (cli_text), so that neither
    typer's English nor its changing wording reaches a user.
    """
    from indikator.cli.help_text import help_text, program_version, usage_error

    group = typer.main.get_command(app)
    if not argv or argv[0] in ("--help", "-h"):
        typer.echo(help_text(group), nl=False)
        return 0
    if argv[0] == "--version":
        typer.echo(f"indikator {program_version()}")
        return 0
    command = argv[0] if argv[0] in group.commands else None
    if command is not None and any(a in ("--help", "-h") for a in argv[1:]):
        typer.echo(help_text(group, command), nl=False)
        return 0
    try:
        result = app(argv, standalone_mode=False, prog_name="indikator")
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 1
    except Exception as exc:
        if any(cls.__name__ in USAGE_ERRORS for cls in type(exc).__mro__):
            typer.echo(usage_error(exc, group, argv, command), err=True)
            return EXIT_INPUT
        if hasattr(exc, "exit_code") and type(exc).__name__ == "Exit":
            return int(exc.exit_code)
        raise
    return result if isinstance(result, int) else 0


def utf8_streams() -> None:
    """Write UTF-8 to a file or a pipe, on Windows too. There Python writes the locale's
    cp1252 to anything but a console, which has no →, ≥, ≤ or − (U+2212): the summary
    would stop a run that had written its pack. A console is left as it is (Python
    writes Unicode to it through the console's own API)."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and encoding not in ("utf8", "utf_8"):
            reconfigure(encoding="utf-8", errors="replace")


def double_click_folder() -> Path:
    """Where a double-clicked program keeps the goals and the pack: Dokument\\Indikatorer,
    not the program's own folder (which may be read-only, under Program Files)."""
    home = Path.home()
    folder = (home / "Documents" if (home / "Documents").is_dir() else home) / "Indikatorer"
    try:
        folder.mkdir(exist_ok=True)
    except OSError:
        return Path(".")
    return folder


def main() -> None:
    """Entry point of the console script (and of a bundled program, whose chart workers
    start through freeze_support on Windows). The bundled program started with nothing
    (double-clicked) opens the local web page: its users never type a command."""
    import multiprocessing

    multiprocessing.freeze_support()
    utf8_streams()
    argv = sys.argv[1:]
    if getattr(sys, "frozen", False) and not argv:
        argv = ["app", str(double_click_folder())]
    sys.exit(run(argv))
