"""What the web page works on: the uploaded export files (in a temporary folder), the
forms' workbook and the pack (in the user's folder), and the one build that may run.

Every step calls the library as the command line does: `validation` for what was found
and every problem, `pack_run` for the pack, `write_template` for the forms. Nothing here
reads or counts answers itself.
"""

from __future__ import annotations

import os
import shutil
import threading
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import BinaryIO

from indikator import reading
from indikator.errors import EXIT_INPUT, IndikatorError
from indikator.output.cache import CACHE_FOLDER
from indikator.output.folder import MANIFEST
from indikator.output.template import TEMPLATE_FILE

PACK_FOLDER = "paket"  # the pack, in the user's folder
ZIP_NAME = "indikatorpaket.zip"
# what pack reads from a folder (reading.SUFFIXES), and a goal file
EXPORT_SUFFIXES = tuple(sorted(reading.SUFFIXES))
SUFFIXES = (*EXPORT_SUFFIXES, ".toml")
# the pack's bookkeeping (chart cache, and the manifest naming the run): not downloaded
INTERNAL = (CACHE_FOLDER, MANIFEST)
WINDOWS_DEVICES = frozenset({"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)),
                             *(f"LPT{i}" for i in range(10))})
# the command line's words in a message, as the page names them
PAGE_WORDS = (("kör med --skip-invalid", "kryssa i \"Värden utanför skalan räknas som ej "
               "besvarade\""), ("--skip-invalid", "\"Värden utanför skalan räknas som ej "
               "besvarade\""), ("--incomplete include", "\"Ofullständiga rader: räknas med\""),
              ("--incomplete exclude", "\"Ofullständiga rader: utesluts\""),
              ("--incomplete", "\"Ofullständiga rader\""), ("--min-n", "Minsta antal svarande"),
              ("--year", "År"))


@dataclass(frozen=True)
class Settings:
    """What the page's settings choose; checked by PackOptions as the CLI's options are."""

    forbund: str = ""
    min_n: int = 5
    appendix: tuple[str, ...] = ("jamforelse",)
    year: int | None = None
    incomplete: str | None = None
    skip_invalid: bool = False

    @classmethod
    def from_json(cls, data: dict) -> Settings:
        """The page's JSON, every value checked (a wrong one is a Swedish message)."""
        from indikator.options import APPENDIX_PARTS, DEFAULT_MIN_N

        def whole(name: str, text, default):
            if text in (None, ""):
                return default
            try:
                return int(str(text).strip())
            except ValueError:
                raise IndikatorError(f"{name} ska vara ett heltal (fick {text!r}).",
                                     exit_code=EXIT_INPUT) from None

        parts = data.get("bilaga") or []
        if not isinstance(parts, list) or any(p not in APPENDIX_PARTS for p in parts):
            raise IndikatorError(f"Bilagan: välj bland {', '.join(APPENDIX_PARTS)}.",
                                 exit_code=EXIT_INPUT)
        incomplete = data.get("ofullstandiga") or None
        if incomplete not in (None, "include", "exclude"):
            raise IndikatorError("Ofullständiga rader: välj stoppa, räkna med eller "
                                 "utesluta.", exit_code=EXIT_INPUT)
        return cls(str(data.get("forbund") or "").strip(),
                   whole("Minsta antal svarande", data.get("min_n"), DEFAULT_MIN_N),
                   tuple(parts), whole("År", data.get("ar"), None), incomplete,
                   data.get("utanfor_skalan") is True)


@dataclass
class Build:
    """The state of the last build, as the page polls it."""

    state: str = "ingen"  # ingen, läser, ritar, klar, fel
    done: int = 0
    total: int = 0
    message: str = ""
    summary: str = ""
    problems: list[str] = field(default_factory=list)
    charts: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


class Workspace:
    """One user's files: `folder` is theirs (forms and pack), `scratch` is temporary."""

    def __init__(self, folder: Path, scratch: Path) -> None:
        self.folder = Path(folder).absolute()
        self.scratch = Path(scratch)
        self.answers = self.scratch / "svar"
        self.pack = self.folder / PACK_FOLDER
        self.forms = self.folder / TEMPLATE_FILE
        self.build = Build()
        self._lock = threading.Lock()

    @property
    def busy(self) -> bool:
        """A build is running (its files must not change under it)."""
        return self._lock.locked()

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        """The files and forms changed by one request at a time, never under a build."""
        if not self._lock.acquire(blocking=False):
            raise IndikatorError(self.waiting(), exit_code=EXIT_INPUT)
        try:
            yield
        finally:
            self._lock.release()

    def waiting(self) -> str:
        """Why a change must wait: a build, or another change being saved."""
        if self.build.state in ("läser", "ritar"):
            return "Ett paket byggs av filerna och målen som de är nu; vänta tills det är klart."
        return "Filerna eller målen sparas just nu; försök igen om ett ögonblick."

    # the export files ---------------------------------------------------------------
    def add_files(self, files: list[tuple[str, BinaryIO]]) -> list[str]:
        """The uploaded files, added to the ones chosen before (a file with the same name
        is replaced: the corrected file chosen again); their names as the user's computer
        gave them (a name tells the survey and year). Nothing changes if one is refused."""
        names = [upload_name(name) for name, _ in files]
        if not names:
            raise IndikatorError("Välj minst en exportfil.", exit_code=EXIT_INPUT)
        folded = [n.casefold() for n in names]
        twice = [n for n, f in zip(names, folded, strict=True) if folded.count(f) > 1]
        if twice:
            raise IndikatorError(f"Två av filerna heter {twice[0]} (stora och små bokstäver "
                                 "räknas lika i Windows); byt namn på den ena.",
                                 exit_code=EXIT_INPUT)
        with self.exclusive():
            self.answers.mkdir(parents=True, exist_ok=True)
            for old in self.answers.iterdir():  # Personal.csv replaced by personal.csv
                if old.name.casefold() in folded:
                    old.unlink()
            for name, (_, stream) in zip(names, files, strict=True):
                with (self.answers / name).open("wb") as out:
                    shutil.copyfileobj(stream, out)
        return names

    def adopt_folder(self) -> list[str]:
        """The exports already in the user's folder (README: make a folder, put the
        exports there, start the page on it), copied in as if chosen; the folder's own
        files are only read. Not the forms' workbook, nor anything in paket/."""
        from indikator.reading import export_files

        found = [p for p in export_files(self.folder, SUFFIXES)
                 if p.name != self.forms.name
                 and (p.suffix.lower() != ".toml" or p.name.lower() == "mal.toml")]
        chosen, seen = [], set()  # as pack reads the folder: mal.toml, not mal_2024.toml
        for path in found:
            try:
                upload_name(path.name)
            except IndikatorError:
                continue
            if path.name.casefold() not in seen:  # Personal.csv and personal.csv: one
                seen.add(path.name.casefold())
                chosen.append(path)
        if not chosen:
            return []
        handles = [path.open("rb") for path in chosen]
        try:
            return self.add_files([(p.name, h) for p, h in zip(chosen, handles, strict=True)])
        finally:
            for handle in handles:
                handle.close()

    def clear_files(self) -> None:
        with self.exclusive():
            if self.answers.exists():
                shutil.rmtree(self.answers)

    def files(self) -> list[str]:
        return sorted(p.name for p in self.answers.iterdir()) if self.answers.is_dir() else []

    def inputs(self, goals: Path | None) -> tuple[list[Path], Path | None]:
        """What pack reads: the folder, a goal file chosen among the files (any name
        ending .toml, as on the command line), else the forms' goals."""
        from indikator.input.files import split_goal_file

        tomls = sorted(p for p in self.answers.iterdir() if p.suffix.lower() == ".toml")
        if tomls and goals is not None:
            raise IndikatorError(f"Både {tomls[0].name} och målen i formuläret: ta bort "
                                 "den ena (målen i formuläret sparas i "
                                 f"{self.forms.name}).", exit_code=EXIT_INPUT)
        return split_goal_file([self.answers, *tomls], goals)

    # what pack would read ----------------------------------------------------------------
    def prepared(self, settings: Settings) -> tuple[list[Path], object]:
        """What check and build read, as the CLI's pack and validate read it: the paths
        and the PackOptions, with the goal file chosen among the files or the forms'."""
        options = self.options(settings)
        paths, goals = self.inputs(options.goals)
        return paths, replace(options, goals=goals)

    def options(self, settings: Settings, **more):
        """The run's PackOptions: the CLI's, with the forms' workbook as --mal and
        --svarsfrekvens when it holds rows of each."""
        from indikator.input.example import MARKER, is_example
        from indikator.options import PackOptions, import_options

        rows = self.form_rows()
        broken = "fel" in rows  # read anyway, so that its problem is said where it is
        return PackOptions(import_options(year=settings.year, incomplete=settings.incomplete,
                                          skip_invalid=settings.skip_invalid),
                           min_n=settings.min_n, forbund=settings.forbund,
                           appendix=settings.appendix,
                           goals=self.forms if rows["mal"] or broken else None,
                           response_rates=self.forms if rows["svarsfrekvens"] else None,
                           marker=MARKER if is_example([self.answers]) else "", **more)

    def check(self, settings: Settings) -> dict:
        """`indikator validate` on the chosen files: what was found, every problem (a file
        that stops the run is one of them, with the files still listed)."""
        from indikator.input.files import validation
        from indikator.questionnaires import load_catalog
        from indikator.report.summary import survey_name, validate_report

        catalog = load_catalog([])
        if not self.files():
            return self.check_forms(catalog)
        try:
            paths, options = self.prepared(settings)
            imported, code = validation(paths, catalog, options)
        except IndikatorError as exc:
            return self.result([], self.refusals([exc]), "", exc.exit_code)
        groups = imported.respondents.groupby("survey", observed=True)["group"].agg(
            lambda g: sorted({str(v) for v in g.dropna()}))
        sheets = [{"file": r.file, "sheet": r.sheet,
                   "survey": survey_name(catalog, r.survey) if r.survey else "",
                   "years": list(r.years), "respondents": r.respondents,
                   "groups": groups.get(r.survey, []) if r.survey else [],
                   "note": r.note} for r in imported.reports]
        problems = [self.problem(p) for p in imported.problems]
        return self.result(sheets, problems, self.shown(validate_report(imported, catalog)),
                           code)

    def result(self, sheets: list, problems: list[dict], report: str, code: int) -> dict:
        """What the page shows; form_errors: the errors in the forms' workbook (fixed in
        the forms), file_errors: those in a chosen file (fixed there, and chosen again); a
        summary naming no file is neither."""
        errors = [p for p in problems if p["severity"] == "error"]
        in_forms = [p for p in errors if self.forms.name in (p["file"] or "") + p["message"]]
        in_files = [p for p in errors if p["file"] and p not in in_forms]
        return {"files": self.files(), "sheets": sheets, "problems": problems,
                "errors": len(errors), "form_errors": len(in_forms),
                "file_errors": len(in_files), "report": report, "code": code}

    def check_forms(self, catalog) -> dict:
        """With no export chosen yet: the forms' workbook alone, read as pack reads it."""
        from indikator.input.goals import read_goals
        from indikator.input.response_rates import read_rate_file

        rows = self.form_rows()
        failures = []
        for rows_of, read in (("mal", read_goals), ("svarsfrekvens", read_rate_file)):
            if rows[rows_of] or ("fel" in rows and rows_of == "mal"):
                try:
                    read(self.forms, catalog)
                except IndikatorError as exc:
                    failures.append(exc)
        return self.result([], self.refusals(failures), "",
                           failures[0].exit_code if failures else 0)

    def refusals(self, failures: list[IndikatorError]) -> list[dict]:
        """Files that stop a run, as the page's errors (validate's list says them so)."""
        from indikator.input.files import as_problems

        return [{**self.problem(p), "severity": "error"} for p in as_problems(failures)]

    def told(self, exc: IndikatorError) -> tuple[str, list[str]]:
        """A refusal as the page says it (as cli._fail prints it): the reason, then each
        other place."""
        from indikator.report.summary import problem_lines

        rest = [p for p in exc.problems if str(p) not in exc.message]
        return self.shown(exc.message), [self.shown(line) for line in problem_lines(rest)]

    def problem(self, problem) -> dict:
        """A problem as the page shows it: the file by the name the user knows, the
        command line's options by the page's words."""
        out = problem.as_dict()
        out["file"] = self.shown(out["file"])
        out["message"] = self.shown(out["message"])
        return out

    def shown(self, text: str | None) -> str | None:
        """A text as the page says it: the temporary folder's path taken out (the user
        chose `mal.toml`, not /tmp/indikator-app-…/svar/mal.toml), the user's folder too,
        and the command line's options named by the page's fields."""
        if text is None:
            return None
        for folder in (self.answers, self.folder):
            for form in {str(folder), folder.as_posix()}:
                text = text.replace(form + "/", "").replace(form + "\\", "")
        for option, field_name in PAGE_WORDS:
            text = text.replace(option, field_name)
        return text

    # the forms -----------------------------------------------------------------------
    def form_rows(self) -> dict:
        """The forms' rows as saved; a workbook that cannot be read gives empty forms and
        says why ("fel"), so that saving the forms again replaces it."""
        from indikator.output.template import read_rows

        if not self.forms.is_file():
            return {"mal": [], "svarsfrekvens": []}
        try:
            return read_rows(self.forms)
        except IndikatorError as exc:
            return {"mal": [], "svarsfrekvens": [],
                    "fel": f"{self.forms.name} kunde inte läsas ({exc.message}); sparas "
                           "formulären skrivs filen om."}

    def save_forms(self, goals: list[list[str]], rates: list[list[str]]) -> None:
        """The forms as the workbook `indikator mall` writes, in the user's folder, so
        that next year starts from them (and Excel can open them)."""
        from indikator.output.template import write_template

        def filled(rows) -> list[list[str]]:
            if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
                raise IndikatorError("Formuläret kunde inte läsas.", exit_code=EXIT_INPUT)
            return [[str(c or "").strip() for c in r] for r in rows
                    if any(str(c or "").strip() for c in r)]

        goals, rates = filled(goals), filled(rates)
        with self.exclusive():
            if not goals and not rates and not self.forms.exists():
                return
            if self.forms.is_file():  # what Excel added (notes, other sheets) is kept there
                shutil.copyfile(self.forms, self.previous_forms)
            write_template(self.forms, goals, rates, replace=True)

    @property
    def previous_forms(self) -> Path:
        """The workbook as it was before the last save; a name nothing reads as an input."""
        return self.forms.with_name(self.forms.name + ".förra")

    # the build -----------------------------------------------------------------------
    def start_build(self, settings: Settings) -> bool:
        """Start building the pack in a thread; False when a build is already running."""
        if not self._lock.acquire(blocking=False):
            return False
        self.build = Build(state="läser", message="Läser filerna …")
        threading.Thread(target=self._build, args=(settings,), daemon=True).start()
        return True

    def _build(self, settings: Settings) -> None:
        from indikator.options import DOCUMENT_FILES

        build = self.build
        try:
            if not self.files():
                raise IndikatorError("Välj exportfilerna först.", exit_code=EXIT_INPUT)
            from indikator.output.run import pack_run

            paths, options = self.prepared(settings)
            result = pack_run(paths, self.pack, options,
                              progress=lambda: self._progress(build),
                              say=lambda line: setattr(build, "message", line))
            build.summary = result.summary
            build.charts = sorted(p.relative_to(self.pack).as_posix()
                                  for p in (self.pack / "diagram").glob("*.png"))
            build.documents = sorted(name for name in DOCUMENT_FILES
                                     if (self.pack / name).is_file())
            self.zip_pack()  # once per build: every download reads the same file
            build.message = ("Paketet var redan aktuellt." if result.unchanged
                             else "Paketet är klart.")
            build.state = "klar"
        except IndikatorError as exc:
            build.state = "fel"
            build.message, build.problems = self.told(exc)
        except Exception as exc:  # shown, never a traceback on the page
            build.state = "fel"
            build.message = (f"Internt fel ({type(exc).__name__}: {exc}). Inget paket skrevs. "
                             "Kör gärna indikator pack --debug på samma filer och rapportera "
                             "felet.")
        finally:
            self._lock.release()

    @contextmanager
    def _progress(self, build: Build) -> Iterator:
        def update(done: int, total: int) -> None:
            build.state, build.done, build.total = "ritar", done, total
            build.message = f"Ritar diagram och dokument {done}/{total}"

        yield update

    # the pack ------------------------------------------------------------------------
    def pack_file(self, relative: str) -> Path | None:
        """A file of the pack, by its path in the pack; None outside it or internal."""
        if any(c in relative for c in "\\:\0"):  # a pack's names have none (Windows: ..\\)
            return None
        parts = PurePosixPath(relative).parts
        if not parts or any(p in ("..", "/") or p.startswith(".") for p in parts):
            return None
        try:
            path = (self.pack / Path(*parts)).resolve()
            inside = path.is_file() and path.is_relative_to(self.pack.resolve())
        except (OSError, ValueError):
            return None
        return path if inside else None

    def zip_pack(self) -> Path | None:
        """The pack as one zip (its chart cache left out), in the temporary folder."""
        if not (self.pack / "sammanfattning.txt").is_file():
            return None
        target, partial = self.scratch / ZIP_NAME, self.scratch / f".{ZIP_NAME}.ny"
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(self.pack.rglob("*")):
                rel = path.relative_to(self.pack)
                if path.is_file() and rel.parts[0] not in INTERNAL:
                    archive.write(path, rel.as_posix())
        os.replace(partial, target)
        return target

    def zipped(self) -> Path | None:
        """The last build's zip, if a build made one."""
        target = self.scratch / ZIP_NAME
        return target if self.build.state == "klar" and target.is_file() else None


def upload_name(name: str) -> str:
    """The file's own name (a browser may send a path), if it is an export or goal file."""
    base = PureWindowsPath(PurePosixPath(name or "").name).name.strip()
    if not base or base.startswith(".") or any(ord(c) < 32 for c in base):
        raise IndikatorError(f"Filnamnet {name!r} går inte att använda; byt namn på filen.",
                             exit_code=EXIT_INPUT)
    if Path(base).stem.split(".")[0].upper() in WINDOWS_DEVICES:
        raise IndikatorError(f"{base}: Windows använder namnet {Path(base).stem} för en "
                             "enhet; byt namn på filen.", exit_code=EXIT_INPUT)
    if Path(base).suffix.lower() not in SUFFIXES:
        raise IndikatorError(f"{base}: bara exportfiler ({', '.join(EXPORT_SUFFIXES)}) och "
                             "mal.toml kan väljas.", exit_code=EXIT_INPUT)
    return base
