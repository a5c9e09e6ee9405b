"""Which answers and which side files belong to which förbund, when one run packs many.

    a folder per förbund, or a Förbund column → one Member per förbund, each with its
    answers, its goals, its response rates and its earlier pack

Every export file under the given folders is read for one förbund or refused with a
message; förbund names are matched as insats names are (case, spaces, Unicode form),
and a known prefix ("Samordningsförbundet Norra" and "Norra") is set aside, with a
warning. Goals, response rates and earlier packs given for the whole run must say whose
they are; nothing is applied to a förbund it does not name.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from indikator.errors import EXIT_DATA, EXIT_INPUT, IndikatorError, Location, Problem
from indikator.importing import ImportResult, import_files
from indikator.importing.model import own_categories
from indikator.input.files import Side, attempted, merged, read_compared, read_side, stop_on_errors
from indikator.questionnaires import Catalog
from indikator.reading import export_files, files_below, hidden_below
from indikator.reading.model import SUFFIXES
from indikator.text import (
    FORBUND_PREFIXES,
    compact,
    forbund_key,
    short_name,
    shown_name,
    unique_slugs,
)
from indikator.words import ALL

RESERVED = ("alla", "alla förbund")  # the aggregate's names (forbund.AGGREGATE_NAME, stats.ALL)
LAYOUT_SUFFIXES = SUFFIXES - {".txt"}  # a .txt beside the folders is more often a note
YEAR_FOLDER = re.compile(r"^20\d\d$")  # Norra/2024/: that year's files



AGGREGATE_FOLDER = "alla"  # OUT/alla/: every förbund together
AGGREGATE_NAME = "Alla förbund"


def folder_names(names: list[str]) -> dict[str, str]:
    """Safe folder names on every system, unique, never the aggregate's 'alla'."""
    # keys no folder can be named (NUL), so that a förbund called "alla" gets its own
    reserved = {"\0" + AGGREGATE_FOLDER: AGGREGATE_FOLDER}
    reserved.update({"\0" + n: f"{n}-forbund" for n in WINDOWS_NAMES})  # CON fails on Windows
    slugs = unique_slugs(names, reserved=reserved)
    return {name: slugs[name] if slugs[name] not in WINDOWS_NAMES else f"{slugs[name]}-forbund"
            for name in names}


WINDOWS_NAMES = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
                 *(f"lpt{i}" for i in range(10))}


@dataclass
class Member:
    """One förbund of the run: its name, its answers and the files beside them."""

    name: str
    imported: ImportResult
    side: Side = field(default_factory=Side)
    folders: list[Path] = field(default_factory=list)  # [] with a Förbund column


@dataclass
class Members:
    """The run's förbund, in order, and what was found about the layout (notes)."""

    members: list[Member]
    problems: list[Problem] = field(default_factory=list)
    whole: ImportResult | None = None  # the one import, with a Förbund column
    aggregate_side: Side = field(default_factory=Side)  # alla/'s earlier pack
    rate_files: list[Path] = field(default_factory=list)  # Svarsfrekvens beside the folders

    def everyone(self) -> ImportResult:
        """All answers as one import: the aggregate's row accounting and notes."""
        if self.whole is not None:
            return self.whole
        everyone = merged([m.imported for m in self.members])
        everyone.problems[:0] = self.problems
        return everyone


def unified_names(spellings: dict[str, int], where: str) -> tuple[dict[str, str],
                                                                   list[Problem]]:
    """Each spelling -> the förbund it is (the commonest spelling of its key), and a warning
    for each förbund written in several ways; a name like the aggregate's is refused."""
    by_key: dict[str, dict[str, int]] = {}
    for name, count in spellings.items():
        if forbund_key(name) in RESERVED:
            raise IndikatorError(
                f"Ett förbund heter {shown_name(name)!r}, som summan av alla förbund i paketet "
                f"({where}); byt namn på förbundet.", exit_code=EXIT_INPUT)
        by_key.setdefault(forbund_key(name), {})[name] = count
    chosen, problems = {}, []
    for names in by_key.values():
        ordered = sorted(names, key=lambda n: (-names[n], n))
        for name in ordered:
            chosen[name] = shown_name(ordered[0])
        if len(ordered) > 1:
            forms = len({unicodedata.normalize("NFC", n) for n in ordered}) < len(ordered)
            problems.append(Problem(
                "forbund-spelling", "Förbundet skrivs på flera sätt ("
                + ", ".join(repr(short_name(n, 60)) for n in ordered[:5]) + ")"
                + (", också med samma tecken i olika Unicode-form" if forms else "")
                + f"; alla räknas som {short_name(ordered[0], 60)!r}.", Location(where),
                severity="warning"))
    return chosen, problems


def _subfolders(folder: Path) -> list[Path]:
    """The förbund's folders: not hidden ones, nor a pack written beside them."""
    from indikator.reading import is_pack

    return sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")
                  and not is_pack(p))


def member_folders(folders: Sequence[Path], at_least: int = 2
                   ) -> tuple[list[tuple[str, list[Path]]], list[Problem], list[Path],
                              list[Path]]:
    """A folder per förbund: each subfolder with export files in it is one förbund.

    A förbund's files are those in its folder and in its folders named by a year
    (Norra/2024/). Every export file under the folders is a förbund's or refused: one
    beside the förbund folders, or deeper (län/förbund/…, förbund/gammalt/…), stops the
    run with the files named. Two folders whose names are one förbund ('Norra', 'norra',
    'Samordningsförbundet Norra') are one förbund, with a warning; a hidden folder, or
    one without exports, is named in a warning. Returns ((name, folders) per förbund,
    warnings, the run's rate files beside the folders, the one folder to read for a
    Förbund column when there is only one); fewer than `at_least` förbund is an error.
    """
    found: dict[str, list[Path]] = {}
    loose, nested, notes, empty, rate_files = [], [], [], [], []
    for folder in map(Path, folders):
        if not folder.is_dir():
            if not at_least:
                continue  # a file: the caller looks for a Förbund column instead
            raise IndikatorError(f"--per-forbund: {folder} är ingen mapp; ange mappen som har "
                                 "en undermapp per förbund.", exit_code=EXIT_INPUT)
        for sub in _subfolders(folder):
            years = [y for y in _subfolders(sub) if YEAR_FOLDER.match(y.name) and export_files(y)]
            if export_files(sub) or years:  # Norra/…, or Norra/2024/… and Norra/2025/…
                found.setdefault(sub.name, []).extend([sub, *years])
                nested += [f for f in files_below(sub) if f.parent not in years]
            elif deeper := files_below(sub):
                nested += deeper
            elif not hidden_below(sub):
                empty.append(sub)
        for path in export_files(folder, LAYOUT_SUFFIXES):
            (rate_files if _only_rates(path) else loose).append(path)
        notes += [Problem("not-read", "Filen ligger bredvid förbundens mappar och lästes inte.",
                          Location(str(p)), severity="warning")
                  for p in export_files(folder, SUFFIXES - LAYOUT_SUFFIXES)]
        # a hidden folder in a förbund's folder is said by its import (import_files)
        notes += [Problem("not-read", "Mappen är dold (namnet börjar med en punkt); dess "
                          "exportfiler lästes inte.", Location(p.name), severity="warning")
                  for p in hidden_below(folder) if p.parent == folder]
    if len(found) < max(at_least, 1) and not (loose or nested) and not at_least:
        return [], [], [], []  # no folder per förbund: the caller reads a Förbund column
    if nested:
        raise IndikatorError(
            "Exportfiler ligger en nivå för djupt: " + _listed(nested) + ". indikator läser "
            "en mapp per förbund med exportfilerna direkt i (svar/Norra/styrelse.xlsx) eller "
            "i en mapp per år (svar/Norra/2025/styrelse.xlsx). Flytta filerna upp i "
            "förbundets mapp, eller ange länets mapp (svar/Län) i stället för rikets.",
            exit_code=EXIT_INPUT)
    if loose and found:
        raise IndikatorError(
            "Exportfiler ligger bredvid förbundens mappar och hör inte till något förbund: "
            + _listed(loose) + ". Flytta dem in i rätt förbunds mapp (eller ange en kolumn "
            "Förbund och lägg alla filer i en mapp).", exit_code=EXIT_INPUT)
    if len(found) == 1 and at_least < 2 and not loose:
        # one folder: its files may hold many förbund in a Förbund column (read_members)
        return [], notes, rate_files, next(iter(found.values()))
    if len(found) < at_least:
        raise IndikatorError(
            f"--per-forbund: hittade {len(found)} förbundsmapp(ar) med exportfiler i "
            f"{', '.join(map(str, folders))}; minst två behövs (en undermapp per förbund).",
            exit_code=EXIT_INPUT)
    if len(found) < 2:
        return [], notes, [], []
    notes += [Problem("not-read", "Mappen har inga exportfiler; den är inget förbund i "
                      "körningen.", Location(str(p)), severity="warning") for p in empty]
    chosen, problems = unified_names({name: 1 for name in found}, "förbundens mappar")
    members: dict[str, list[Path]] = {}
    for name, paths in found.items():
        members.setdefault(chosen[name], []).extend(paths)
    if len(members) < 2 and at_least:
        raise IndikatorError(
            "--per-forbund: förbundsmapparna " + ", ".join(sorted(found)) + " är samma förbund; "
            "minst två förbund behövs.", exit_code=EXIT_INPUT)
    problems += _same_file_twice(members)
    return (sorted(members.items(), key=lambda m: m[0].casefold()), notes + problems,
            rate_files, [])


def _only_rates(path: Path) -> bool:
    """A workbook or CSV beside the förbund folders with nothing but Svarsfrekvens: the
    run's response rates (each row naming its förbund), not answers."""
    from indikator.input.response_rates import is_rate_sheet
    from indikator.reading import read_file

    try:
        sheets = read_file(path)
    except IndikatorError:
        return False  # refused as a file beside the folders, which says what to do
    def empty(sheet) -> bool:  # Excel's default Blad1 beside the Svarsfrekvens sheet
        return not any(v is not None for row in sheet.rows for v in row)

    return any(is_rate_sheet(s) for s in sheets) and all(
        is_rate_sheet(s) or empty(s) for s in sheets)


def _listed(paths: list[Path], count: int = 3) -> str:
    shown = ", ".join(str(p) for p in paths[:count])
    return shown + (f" och {len(paths) - count} till" if len(paths) > count else "")


def _same_file_twice(members: dict[str, list[Path]]) -> list[Problem]:
    """The same export in two förbund's folders: whose answers are they? Both are counted
    (a small file can match by chance: three board members who answered alike), and the
    aggregate's summary and validate say so."""
    files = [(name, p) for name, folders in members.items() for folder in folders
             for p in export_files(folder)]
    def size(path: Path) -> int:
        try:
            return path.stat().st_size
        except OSError:
            return -1  # the import says why it cannot be read

    size_of = {path: size(path) for _, path in files}
    sizes: dict[int, int] = {}
    for length in size_of.values():
        sizes[length] = sizes.get(length, 0) + 1
    seen: dict[str, tuple[str, Path]] = {}
    problems = []
    for name, path in files:
        if size_of[path] < 0 or sizes[size_of[path]] < 2:
            continue  # no other file of its size: nothing to read it again for
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            continue  # the import says why it cannot be read
        other = seen.get(digest)
        if other is not None and other[0] != name:
            problems.append(Problem(
                "same-file-two-forbund", f"{other[1].parent.name}/{other[1].name} och "
                f"{path.parent.name}/{path.name} har samma innehåll; båda räknas, för var "
                "sitt förbund. Är det samma export två gånger? Ta då bort den från det "
                "förbund den inte hör till.", Location(f"{path.parent.name}/{path.name}"),
                severity="warning"))
        seen.setdefault(digest, (name, path))
    return problems


def split_names(imported: ImportResult) -> tuple[dict[str, str], list[Problem]]:
    """A Förbund column's spellings -> the förbund each is; every respondent must name one."""
    people = imported.respondents
    missing = people[people["forbund"].isna()]
    if not missing.empty:
        first = missing.iloc[0]
        where = f"{first['file']}{', blad ' + repr(first['sheet']) if first['sheet'] else ''}"
        sheet = next((r for r in imported.reports if (r.file, r.sheet) == (
            first["file"], first["sheet"] if isinstance(first["sheet"], str) else None)), None)
        if sheet is not None and not any(c.role == "forbund" for c in sheet.columns):
            raise IndikatorError(
                f"{where} har ingen kolumn Förbund, men andra filer eller blad har det: vems "
                "svar är det? Lägg till kolumnen Förbund, eller en mapp per förbund.",
                exit_code=EXIT_DATA)
        raise IndikatorError(
            f"{len(missing)} svarande saknar förbund i kolumnen Förbund (första: {where}, rad "
            f"{first['row']}); fyll i förbundet på varje rad.", exit_code=EXIT_DATA)
    return unified_names(people["forbund"].value_counts().to_dict(), "kolumnen Förbund")


def split_by_column(imported: ImportResult, chosen: dict[str, str]) -> dict[str, ImportResult]:
    """One import holding many förbund in a Förbund column, one import per förbund.

    The row accounting stays with the whole import (the aggregate's summary): a file's
    empty rows belong to no förbund.
    """
    people = imported.respondents
    names = people["forbund"].map(chosen)
    parts = {}
    for name in sorted(names.unique(), key=str.casefold):
        ids = set(people.loc[names == name, "respondent"])
        parts[name] = ImportResult(
            own_categories(imported.answers[imported.answers["respondent"].isin(ids)]),
            people[names == name].assign(forbund=name).reset_index(drop=True),
            own_categories(imported.no_answers[imported.no_answers["respondent"].isin(ids)]),
            [], [])
    return parts


def _own_column(name: str, imported: ImportResult) -> None:
    """A Förbund column in a förbund folder's files must name that förbund (its other
    spellings are said once, as everywhere)."""
    people = imported.respondents
    named = people[people["forbund"].notna()]
    other = named[named["forbund"].map(forbund_key) != forbund_key(name)]
    if not other.empty:
        first = other.iloc[0]
        where = f"{first['file']}{', blad ' + repr(first['sheet']) if first['sheet'] else ''}"
        raise IndikatorError(
            f"{where} ligger i förbundet {name}s mapp men har svar från ett annat förbund i "
            f"kolumnen Förbund (rad {first['row']}: {short_name(first['forbund'], 60)!r}). "
            "Flytta filen till rätt förbunds mapp.", exit_code=EXIT_DATA)
    spellings = sorted({s for s in named["forbund"] if shown_name(s) != name})
    if spellings:
        imported.problems.append(Problem(
            "forbund-spelling", "Förbundet skrivs på flera sätt i kolumnen Förbund ("
            + ", ".join(repr(short_name(n, 60)) for n in spellings[:5]) + "); alla räknas "
            f"som mappens {name!r}.", Location(str(named["file"].iloc[0])), severity="warning"))


def _year_folders(imported: ImportResult) -> None:
    """Answers in a year's folder (Norra/2024/) must be of that year: a 2025 file there
    is in the wrong folder, or the wrong file."""
    people = imported.respondents
    folder_year = people["file"].map(lambda f: int(parts[-2]) if len(
        parts := f.split("/")) >= 3 and YEAR_FOLDER.match(parts[-2]) else 0)
    wrong = people[(folder_year > 0) & (people["year"] != folder_year)]
    if not wrong.empty:
        first = wrong.iloc[0]
        raise IndikatorError(
            f"{first['file']} ligger i mappen för {folder_year[wrong.index[0]]}, men svaren på "
            f"rad {first['row']} är från {first['year']}. Flytta filen till rätt års mapp, "
            "eller rätta året.", exit_code=EXIT_DATA)


def read_members(paths: Sequence[Path], catalog: Catalog, options,
                 failures: list[IndikatorError] | None = None, check: bool = False,
                 mapper: Callable[[Callable, list], list] | None = None) -> Members:
    """Every förbund of a --per-forbund run, its answers and its side files.

    options: pack.PackOptions. failures: collect a side file that cannot be used instead
    of raising (validate). check: keep going past errors in the answers (validate lists
    them); else they stop the run as in one förbund's pack. mapper: how the förbund's
    folders are read, `mapper(func, items)` → the results in order, the first error in
    that order raised (processes.ordered_map reads them on every core); one by one here.
    """
    layout, notes, rate_files, only = member_folders(paths, at_least=0)
    mapper = mapper or (lambda func, items: [func(item) for item in items])
    if layout:
        read = mapper(partial(_member_answers, catalog=catalog, importing=options.importing,
                              check=check), layout)
        members = [Member(name, imported, folders=folders)
                   for (name, folders), imported in zip(layout, read, strict=True)]
        result = Members(members, notes, rate_files=rate_files)
    else:
        whole = import_files(only or paths, catalog, options.importing,
                             root=only[0].parent if only else None)
        if not check:
            stop_on_errors(whole)
        if whole.errors:
            return Members([], notes, whole)
        named = whole.respondents["forbund"].notna().any()
        if only and not named:
            raise IndikatorError(
                f"--per-forbund: hittade bara ett förbunds mapp ({only[0].name}) och ingen "
                "kolumn Förbund; minst två förbund behövs för ett paket per förbund och ett "
                f"för alla. Packa förbundet utan --per-forbund: indikator pack {only[0]}",
                exit_code=EXIT_INPUT)
        chosen, problems = split_names(whole)
        parts = split_by_column(whole, chosen)
        if len(parts) < 2:
            raise IndikatorError(
                "--per-forbund: hittade varken en undermapp per förbund (minst två) "
                "eller en kolumn Förbund med minst två förbund.", exit_code=EXIT_INPUT)
        whole.problems.extend(problems)
        result = Members([Member(n, p) for n, p in parts.items()], notes + problems, whole,
                         rate_files=rate_files)
    _read_sides(result, [*paths, *only], catalog, options, failures)
    return result


def _member_answers(place: tuple[str, list[Path]], catalog: Catalog, importing,
                    check: bool) -> ImportResult:
    """One förbund's folders read (read_members, perhaps in a worker process): its
    answers, stopped on an error unless `check`, and checked against its name and its
    year folders."""
    name, folders = place
    imported = import_files(folders, catalog, importing, root=folders[0].parent)
    if not check:
        stop_on_errors(imported)
    if not imported.errors:
        _own_column(name, imported)
        _year_folders(imported)
    return imported


def _read_sides(result: Members, paths: Sequence[Path], catalog: Catalog, options,
                failures: list[IndikatorError] | None) -> None:
    """Each förbund's goals, response rates and earlier pack: its own folder's files, and
    the run's files (mal.toml beside the folders, --mal, --svarsfrekvens, --compare) split
    by the förbund each row or goal names."""
    from indikator.input.goals import find_goals_file, read_goals
    from indikator.input.response_rates import is_rate_sheet, read_rate_file, read_rate_sheets

    def attempt(step, where):
        return attempted(step, where, failures)

    names = [m.name for m in result.members]
    run_goal_file = options.goals if options.goals is not None else find_goals_file(list(paths))
    goals = attempt(lambda: read_goals(run_goal_file, catalog), run_goal_file) \
        if run_goal_file is not None else []
    rates = []
    if result.whole is not None:
        for sheet in (s for s in result.whole.side_sheets if is_rate_sheet(s)):
            # each on its own: one may be one förbund's
            rates += [_of_its_file(row, result) for row in attempt(
                lambda s=sheet: read_rate_sheets([s], catalog), "Svarsfrekvens") or []]
    for path in [*result.rate_files, *([options.response_rates]
                                       if options.response_rates is not None else [])]:
        rates += attempt(lambda p=path: read_rate_file(p, catalog), path) or []
    goals_for = attempt(lambda: by_forbund(goals or [], names, "mål", run_goal_file),
                        run_goal_file) or {}
    rates_for = attempt(lambda: by_forbund(rates, names, "svarsfrekvens",
                                           options.response_rates or "Svarsfrekvens"),
                        options.response_rates or "Svarsfrekvens") or {}
    earlier = attempt(lambda: earlier_packs(options.compare, names), "--compare") or {}
    own_options = replace(options, goals=None, response_rates=None, compare=None,
                          reference=None, per_forbund=False)
    for member in result.members:
        side = (read_side(member.folders, member.imported, catalog,
                          replace(own_options, forbund=member.name), failures, strict=True)
                if member.folders else Side())
        # a goal in the förbund's own mal.toml and again in the run's, once
        alike = {replace(g, line=0, forbund=None): g for g in
                 [*goals_for.get(member.name, []), *side.goals]}
        side.goals = list(alike.values())
        attempt(lambda goals=side.goals, m=member, own=side.goal_file: _one_of_each(
            goals, m.name, [own, run_goal_file]), run_goal_file or "mal.toml")
        if side.goal_file is None and goals_for.get(member.name):
            side.goal_file = run_goal_file
        side.rate_rows = [*side.rate_rows, *rates_for.get(member.name, [])]
        compared = earlier.get(member.name, [])
        if compared:
            side.previous, side.previous_groups = attempt(
                lambda m=member, c=compared: read_compared(c, m.imported, catalog),
                "--compare") or ([], [])
        elif options.compare is not None:
            missing = Problem(
                "compare-missing-forbund", f"Förbundet {member.name} finns inte i det tidigare "
                "paketet (--compare); det jämförs inte med tidigare år.", Location("--compare"),
                severity="warning")
            member.imported.problems.append(missing)
            if result.whole is not None:  # alla/ says it too (its import is the whole)
                result.whole.problems.append(missing)
        member.side = side
    from indikator.input.members import AGGREGATE_NAME

    if earlier.get(AGGREGATE_NAME):
        previous = attempt(lambda: read_compared(earlier[AGGREGATE_NAME], result.everyone(),
                                                 catalog), "--compare")
        if previous:
            # last year's förbund under this year's names ('Samordningsförbundet Norra'
            # then, 'Norra' now), so that alla/ compares each förbund with itself
            keys = {forbund_key(n): n for n in names}

            def renamed(table):
                return table.assign(group=[keys.get(forbund_key(g), g) if g != ALL
                                           else g for g in table["group"]])

            result.aggregate_side = Side(previous=[renamed(t) for t in previous[0]],
                                         previous_groups=[renamed(t) for t in previous[1]])


def _of_its_file(row, result: Members):
    """A rate row without a Förbund, in a workbook whose answers are all one förbund's
    (a file per förbund, each with the column): that förbund's."""
    if row.forbund is not None:
        return row
    owners = {m.name for m in result.members
              if (m.imported.respondents["file"] == row.location.file).any()}
    return replace(row, forbund=owners.pop()) if len(owners) == 1 else row


def _one_of_each(goals: list, name: str, files: list) -> None:
    """One goal given twice with different targets (the förbund's mal.toml and the run's):
    which is the board's? Refused."""
    seen: dict[tuple, object] = {}
    for goal in goals:
        key = (goal.name, goal.survey, goal.group, goal.questions)
        if key in seen:
            raise IndikatorError(
                f"Målet {goal.name!r} för förbundet {name} står två gånger med olika innehåll "
                f"({' och '.join(str(f) for f in dict.fromkeys(files) if f is not None)}). "
                "Ta bort det ena.", exit_code=EXIT_INPUT)
        seen[key] = goal


def by_forbund(items: list, names: list[str], what: str, where) -> dict[str, list]:
    """Goals or rate rows of the whole run, each given to the förbund it names; one that
    names none, or an unknown förbund, is refused."""
    keys = {forbund_key(n): n for n in names}
    out: dict[str, list] = {}
    problems = []
    for item in items:
        location = getattr(item, "location", None) or Location(str(where), None,
                                                               getattr(item, "line", None))
        if item.forbund is None:
            how = ('forbund = "…" i varje [[goal]]' if what == "mål"
                   else "en kolumn Förbund i svarsfrekvensen")
            problems.append(Problem(
                "side-file-forbund", f"Med ett paket per förbund behöver {what} ange förbundet "
                f"({how}), eller ligga i förbundets egen mapp.", location))
            continue
        name = keys.get(forbund_key(item.forbund))
        if name is None:
            problems.append(Problem(
                "side-file-forbund", f"Förbundet {short_name(item.forbund, 60)!r} finns inte "
                "bland svaren (" + ", ".join(names[:5]) + (" …" if len(names) > 5 else "") + ").",
                location, value=short_name(item.forbund, 60)))
            continue
        out.setdefault(name, []).append(item)
    if problems:
        raise IndikatorError(f"{what.capitalize()} kan inte fördelas på förbunden.", problems,
                             exit_code=EXIT_INPUT)
    return out


_CHECKSUM = re.compile(r"-[0-9a-f]{8}$")


def _folder_key(name: str) -> str:
    """A pack folder's name or a förbund's, as compared: 'samordningsforbundet-norra' and
    'Norra' are one (folder names are slugs, possibly with a checksum)."""
    text = _CHECKSUM.sub("", name)
    key = compact(text)
    for prefix in FORBUND_PREFIXES:
        folded = compact(prefix)
        if key.startswith(folded) and len(key) > len(folded):
            return key[len(folded):]
        if key.endswith(folded) and len(key) > len(folded):
            return key[: -len(folded)]
    return key


def _matched(root: Path, names: list[str]) -> dict[str, Path]:
    """This year's förbund -> its folder in last year's --per-forbund run. The förbund's
    names there are in alla/grupper.csv; their folders are made from them as that run made
    them (many.folder_names), and a förbund is matched by name as in this run: 'Åsen' is
    not 'Asen', though both have folders named asen-…. Without grupper.csv the folder
    names are matched, where that is unambiguous."""
    import csv

    from indikator.input.members import AGGREGATE_FOLDER, folder_names
    from indikator.input.previous import _unguard

    packs = {p.name: p for p in _subfolders(root)
             if p.name != AGGREGATE_FOLDER and (p / "distributions.csv").exists()}
    try:
        with (root / AGGREGATE_FOLDER / "grupper.csv").open(encoding="utf-8-sig",
                                                            newline="") as f:
            earlier = sorted({_unguard(r["group"]) for r in csv.DictReader(f)
                              if r.get("group") and _unguard(r["group"]) != ALL})
    except (OSError, KeyError, UnicodeError, csv.Error):
        earlier = []
    if earlier:
        folders = folder_names(earlier)
        by_key = {forbund_key(n): packs.get(folders[n]) for n in earlier}
        return {n: by_key[forbund_key(n)] for n in names if by_key.get(forbund_key(n))}
    keys: dict[str, list[Path]] = {}
    for folder, pack in packs.items():
        keys.setdefault(_folder_key(folder), []).append(pack)
    wanted = [_folder_key(n) for n in names]
    out = {}
    for name, key in zip(names, wanted, strict=True):
        # a long name's folder is cut at SLUG_MAX characters: its key is a prefix
        found = keys.get(key) or [p for k, ps in keys.items() if len(k) >= 8
                                  and key.startswith(k) for p in ps]
        if len(found) == 1 and wanted.count(key) == 1:
            out[name] = found[0]
    return out


def earlier_packs(compare, names: list[str]) -> dict[str, list[Path]]:
    """--compare with --per-forbund: last year's --per-forbund folder (a folder per förbund
    and alla/). Each förbund is compared with its own earlier pack, the aggregate with
    alla/; a single pack (one förbund's, or the aggregate's) is refused, since its numbers
    are not this förbund's."""
    from indikator.input.files import compare_paths
    from indikator.input.members import AGGREGATE_FOLDER, AGGREGATE_NAME

    out: dict[str, list[Path]] = {}
    for root in compare_paths(compare):
        if root.is_file() or (root / "distributions.csv").exists():
            raise IndikatorError(
                f"--compare {root}: med --per-forbund anges mappen från en tidigare körning med "
                "--per-forbund (med en mapp per förbund och alla/), inte ett enskilt paket; "
                "annars jämförs varje förbund med andras svar.", exit_code=EXIT_INPUT)
        if not (root / AGGREGATE_FOLDER / "distributions.csv").exists():
            raise IndikatorError(
                f"--compare {root}: hittar inget paket per förbund där (ingen "
                f"{AGGREGATE_FOLDER}/distributions.csv). Ange mappen från en tidigare körning "
                "med --per-forbund.", exit_code=EXIT_INPUT)
        for name, pack in _matched(root, names).items():
            out.setdefault(name, []).append(pack / "distributions.csv")
        out.setdefault(AGGREGATE_NAME, []).append(root / AGGREGATE_FOLDER / "distributions.csv")
    return out
