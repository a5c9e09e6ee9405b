"""What the web page works on: the uploaded export files (in a temporary folder), the
forms' workbook and the pack (in the user's folder), and the one build that may run.

Every step calls the library as the command line does: `validation` for what was found
and every problem, `pack_run` for the pack, `write_template` for the forms. Nothing here
reads or counts answers itself.
"""

from __future__ import annotations

import shutil
import threading
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import BinaryIO

from indikator.errors import EXIT_INPUT, IndikatorError
from indikator.output.cache import CACHE_FOLDER
from indikator.output.folder import MANIFEST
from indikator.output.template import TEMPLATE_FILE

PACK_FOLDER = "paket"  # the pack, in the user's folder
ZIP_NAME = "indikatorpaket.zip"
SUFFIXES = (".xlsx", ".xls", ".ods", ".csv", ".toml")
# the pack's bookkeeping (chart cache, and the manifest naming the run): not downloaded
INTERNAL = (CACHE_FOLDER, MANIFEST)


@dataclass(frozen=True)
class Settings:
    """What the page's settings choose; checked by PackOptions as the CLI's options are."""

    forbund: str = ""
    min_n: int = 5
    appendix: tuple[str, ...] = ("jamforelse",)
    year: int | None = None
    incomplete: str | None = None

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
                   tuple(parts), whole("År", data.get("ar"), None), incomplete)


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

    # the export files ---------------------------------------------------------------
    def replace_files(self, files: list[tuple[str, BinaryIO]]) -> list[str]:
        """The uploaded files, replacing the ones before; their names as the user's
        computer gave them (a name tells the survey and year)."""
        names = [upload_name(name) for name, _ in files]
        if not names:
            raise IndikatorError("Välj minst en exportfil.", exit_code=EXIT_INPUT)
        twice = sorted({n for n in names if names.count(n) > 1}, key=names.index)
        if twice:
            raise IndikatorError(f"Två filer heter {twice[0]}; byt namn på den ena.",
                                 exit_code=EXIT_INPUT)
        if self.answers.exists():
            shutil.rmtree(self.answers)
        self.answers.mkdir(parents=True)
        for name, (_, stream) in zip(names, files, strict=True):
            with (self.answers / name).open("wb") as out:
                shutil.copyfileobj(stream, out)
        return names

    def files(self) -> list[str]:
        return sorted(p.name for p in self.answers.iterdir()) if self.answers.is_dir() else []

    # what pack would read ----------------------------------------------------------------
    def options(self, settings: Settings, **more):
        """The run's PackOptions: the CLI's, with the forms' workbook as --mal and
        --svarsfrekvens when it holds rows of each."""
        from indikator.input.example import MARKER, is_example
        from indikator.options import PackOptions, import_options

        rows = self.form_rows()
        return PackOptions(import_options(year=settings.year, incomplete=settings.incomplete),
                           min_n=settings.min_n, forbund=settings.forbund,
                           appendix=settings.appendix,
                           goals=self.forms if rows["mal"] else None,
                           response_rates=self.forms if rows["svarsfrekvens"] else None,
                           marker=MARKER if is_example([self.answers]) else "", **more)

    def check(self, settings: Settings) -> dict:
        """`indikator validate` on the uploaded files: what was found, every problem."""
        from indikator.input.files import split_goal_file, validation
        from indikator.questionnaires import load_catalog
        from indikator.report.summary import survey_name, validate_report

        if not self.files():
            return {"files": [], "sheets": [], "problems": [], "errors": 0, "report": "",
                    "code": 0}
        catalog = load_catalog([])
        options = self.options(settings)
        paths, goals = split_goal_file([self.answers], options.goals)
        from dataclasses import replace

        imported, code = validation(paths, catalog, replace(options, goals=goals))
        groups = imported.respondents.groupby("survey")["group"].agg(
            lambda g: sorted({str(v) for v in g.dropna()}))
        sheets = [{"file": r.file, "sheet": r.sheet,
                   "survey": survey_name(catalog, r.survey) if r.survey else "",
                   "years": list(r.years), "respondents": r.respondents,
                   "groups": groups.get(r.survey, []) if r.survey else [],
                   "note": r.note} for r in imported.reports]
        problems = [{**p.as_dict(), "file": self.shown(p.location.file)}
                    for p in imported.problems]
        return {"files": self.files(), "sheets": sheets, "problems": problems,
                "errors": sum(p["severity"] == "error" for p in problems),
                "report": self.shown(validate_report(imported, catalog)), "code": code}

    def shown(self, text: str | None) -> str | None:
        """A text with the temporary folder's path taken out: the user chose `mal.toml`,
        not /tmp/indikator-app-…/svar/mal.toml."""
        if text is None:
            return None
        for form in {str(self.answers), self.answers.as_posix()}:
            text = text.replace(form + "/", "").replace(form + "\\", "").replace(form, "")
        return text

    # the forms -----------------------------------------------------------------------
    def form_rows(self) -> dict[str, list[list[str]]]:
        from indikator.output.template import read_rows

        if not self.forms.is_file():
            return {"mal": [], "svarsfrekvens": []}
        return read_rows(self.forms)

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
        if not goals and not rates and not self.forms.exists():
            return
        write_template(self.forms, goals, rates, replace=True)

    # the build -----------------------------------------------------------------------
    def start_build(self, settings: Settings) -> bool:
        """Start building the pack in a thread; False when a build is already running."""
        if not self._lock.acquire(blocking=False):
            return False
        self.build = Build(state="läser", message="Läser filerna …")
        threading.Thread(target=self._build, args=(settings,), daemon=True).start()
        return True

    def _build(self, settings: Settings) -> None:
        from indikator.report.summary import problem_lines

        build = self.build
        try:
            if not self.files():
                raise IndikatorError("Välj exportfilerna först.", exit_code=EXIT_INPUT)
            from indikator.input.files import split_goal_file
            from indikator.output.run import pack_run

            options = self.options(settings)
            paths, goals = split_goal_file([self.answers], options.goals)
            from dataclasses import replace

            result = pack_run(paths, self.pack, replace(options, goals=goals),
                              progress=lambda: self._progress(build),
                              say=lambda line: setattr(build, "message", line))
            build.summary = result.summary
            build.charts = sorted(p.relative_to(self.pack).as_posix()
                                  for p in (self.pack / "diagram").glob("*.png"))
            build.documents = sorted(p.name for p in self.pack.iterdir()
                                     if p.suffix in (".pdf", ".docx", ".xlsx", ".pptx",
                                                     ".html"))
            build.message = ("Paketet var redan aktuellt." if result.unchanged
                             else "Paketet är klart.")
            build.state = "klar"
        except IndikatorError as exc:
            build.state, build.message = "fel", self.shown(exc.message)
            build.problems = [self.shown(line) for line in problem_lines(
                [p for p in exc.problems if str(p) not in exc.message])]
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
        parts = PurePosixPath(relative).parts
        if not parts or ".." in parts or parts[0] in INTERNAL or parts[0].startswith("."):
            return None
        path = (self.pack / Path(*parts)).resolve()
        if not path.is_file() or not path.is_relative_to(self.pack.resolve()):
            return None
        return path

    def zip_pack(self) -> Path | None:
        """The pack as one zip (its chart cache left out), in the temporary folder."""
        if not (self.pack / "sammanfattning.txt").is_file():
            return None
        target = self.scratch / ZIP_NAME
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(self.pack.rglob("*")):
                rel = path.relative_to(self.pack)
                if path.is_file() and rel.parts[0] not in INTERNAL:
                    archive.write(path, rel.as_posix())
        return target


def upload_name(name: str) -> str:
    """The file's own name (a browser may send a path), if it is an export or goal file."""
    base = PureWindowsPath(PurePosixPath(name or "").name).name.strip()
    if not base or base.startswith(".") or any(ord(c) < 32 for c in base):
        raise IndikatorError(f"Filnamnet {name!r} går inte att använda; byt namn på filen.",
                             exit_code=EXIT_INPUT)
    if Path(base).suffix.lower() not in SUFFIXES:
        raise IndikatorError(f"{base}: bara exportfiler ({', '.join(SUFFIXES[:4])}) och "
                             "mal.toml kan väljas.", exit_code=EXIT_INPUT)
    return base
