"""Loading questionnaires and scales from TOML files, checked before they are used.

A new NNS version or a förbund's own survey is a new file in a questionnaire
folder, not new code. The bundled folder holds the 2019 NNS questionnaires;
`--questionnaires DIR` adds a folder of one's own. Each file is first checked
against its declared shape (schema.py), then for what the shape cannot say.
"""

from __future__ import annotations

import os
import stat
import tomllib
from collections.abc import Iterable, Sequence
from pathlib import Path

from indikator.errors import EXIT_INPUT, IndikatorError, Location, Problem
from indikator.questionnaires import schema
from indikator.questionnaires.model import (
    Catalog,
    Category,
    Condition,
    Question,
    Questionnaire,
    Scale,
)
from indikator.text import fold

SCALES_FILE = "skalor.toml"
MAX_TOML_BYTES = 1024**2  # a questionnaire is a few kB


def default_folder() -> Path:
    """The bundled questionnaires: the repository folder, or the copy inside the wheel."""
    package = Path(__file__).resolve().parent.parent  # indikator/
    for candidate in (package.parent / "questionnaires", package / "_data" / "questionnaires"):
        if candidate.is_dir():
            return candidate
    raise IndikatorError("Hittar inte de medföljande enkäterna (mappen questionnaires).",
                         exit_code=EXIT_INPUT)


def load_catalog(extra: Sequence[Path] = ()) -> Catalog:
    """Load the bundled questionnaires plus those in `extra` folders or files.

    Every problem in every file is collected; any problem stops the load, since
    a half-read questionnaire would mis-file answers.
    """
    folders = [default_folder(), *extra]
    problems: list[Problem] = []
    scales: dict[str, Scale] = {}
    no_answer: list[str] = []
    for folder in folders:
        scale_file = folder / SCALES_FILE if folder.is_dir() else None
        if scale_file is not None and scale_file.is_file():
            raw = _read_toml(scale_file, problems)
            if not _schema_ok(schema.SCALES_FILE_SCHEMA, raw, scale_file, problems):
                continue
            scales.update(_parse_scales(raw.get("scales", {}), scale_file, problems))
            labels = raw.get("no_answer", {}).get("labels", [])
            if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
                problems.append(_problem(scale_file, "'no_answer.labels' ska vara en lista "
                                                     "med texter."))
            else:
                no_answer.extend(labels)
    questionnaires: list[Questionnaire] = []
    for path in _questionnaire_files(folders, problems):
        raw = _read_toml(path, problems)
        if raw and _schema_ok(schema.QUESTIONNAIRE, raw, path, problems):
            q = _parse_questionnaire(raw, path, scales, problems)
            if q is not None:
                questionnaires.append(q)
    seen: dict[tuple[str, str], str] = {}
    for q in questionnaires:
        key = (q.id, q.version)
        if key in seen and seen[key] != q.source:
            problems.append(_problem(Path(q.source), f"Enkäten {q.id} version {q.version} finns "
                                     f"redan i {seen[key]}."))
        seen[key] = q.source
    if problems:
        raise IndikatorError("Fel i enkätfilerna.", problems, exit_code=EXIT_INPUT)
    return Catalog(tuple(questionnaires), scales, tuple(dict.fromkeys(no_answer)))


def _questionnaire_files(folders: Iterable[Path], problems: list[Problem]) -> list[Path]:
    files: list[Path] = []
    for folder in folders:
        if folder.is_file():
            files.append(folder)
        elif folder.is_dir():
            for p in sorted(folder.glob("*.toml")):
                if p.name == SCALES_FILE:
                    continue
                if not p.is_file():  # a FIFO or device named .toml would hang the reader
                    problems.append(_problem(p, "Det är ingen vanlig fil."))
                    continue
                files.append(p)
        else:
            problems.append(_problem(folder, "Mappen eller filen finns inte."))
    return files


def _problem(path: Path, message: str) -> Problem:
    return Problem("bad-questionnaire", message, Location(str(path)))


def _read_toml(path: Path, problems: list[Problem]) -> dict:
    """A TOML file's content; a device, FIFO, huge or deeply nested file is refused."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            problems.append(_problem(path, "Det är ingen vanlig fil."))
            return {}
        if info.st_size > MAX_TOML_BYTES:
            problems.append(_problem(path, "Filen är för stor för en enkätfil."))
            return {}
        with path.open("rb") as f:
            return tomllib.load(f)
    except tomllib.TOMLDecodeError as exc:
        problems.append(_problem(path, f"Ogiltig TOML: {exc}."))
    except RecursionError:
        problems.append(_problem(path, "Filen är för djupt nästlad för en enkätfil."))
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(_problem(path, f"Kan inte läsa filen: {exc}."))
    return {}


def _schema_ok(shape: schema.Table, raw: dict, path: Path, problems: list[Problem]) -> bool:
    found = schema.check(shape, raw)
    problems += [_problem(path, message) for message in found[:30]]
    return not found


def _check_keys(raw: dict, allowed: set[str], required: set[str], where: str, path: Path,
                problems: list[Problem]) -> bool:
    ok = True
    for key in sorted(set(raw) - allowed):
        problems.append(_problem(path, f"{where}: okänd nyckel '{key}' "
                                       f"(tillåtna: {', '.join(sorted(allowed))})."))
        ok = False
    for key in sorted(required - set(raw)):
        problems.append(_problem(path, f"{where}: nyckeln '{key}' saknas."))
        ok = False
    return ok


def _parse_scales(raw: dict, path: Path, problems: list[Problem]) -> dict[str, Scale]:
    scales: dict[str, Scale] = {}
    if not isinstance(raw, dict):
        problems.append(_problem(path, "'scales' ska vara en tabell av skalor."))
        return scales
    for sid, spec in raw.items():
        where = f"skala '{sid}'"
        if not isinstance(spec, dict) or not _check_keys(
            spec, {"name", "categories", "positive", "alternative_codes"}, {"name", "categories"},
            where, path, problems
        ):
            if not isinstance(spec, dict):
                problems.append(_problem(path, f"{where} ska vara en tabell."))
            continue
        cats: list[Category] = []
        for i, c in enumerate(spec["categories"] if isinstance(spec["categories"], list) else []):
            cwhere = f"{where}, kategori {i + 1}"
            if not isinstance(c, dict) or not _check_keys(
                c, {"code", "label", "aliases"}, {"code", "label"}, cwhere, path, problems
            ):
                continue
            if not isinstance(c["code"], int) or isinstance(c["code"], bool):
                problems.append(_problem(path, f"{cwhere}: 'code' ska vara ett heltal."))
                continue
            if not isinstance(c["label"], str) or not c["label"].strip():
                problems.append(_problem(path, f"{cwhere}: 'label' ska vara en text."))
                continue
            cats.append(Category(c["code"], c["label"], tuple(c.get("aliases", ()))))
        if len(cats) < 2:
            problems.append(_problem(path, f"{where}: minst två kategorier behövs."))
            continue
        codes = [c.code for c in cats]
        texts = [fold(t) for c in cats for t in (c.label, *c.aliases)]
        if len(set(codes)) != len(codes) or len(set(texts)) != len(texts):
            problems.append(_problem(path, f"{where}: koder och etiketter måste vara unika."))
            continue
        positive = spec.get("positive", [])
        if not isinstance(positive, list) or not set(positive) <= set(codes):
            problems.append(_problem(path, f"{where}: 'positive' ska lista koder på skalan."))
            continue
        alternative = spec.get("alternative_codes", {})
        try:
            pairs = tuple((int(k), int(v)) for k, v in alternative.items())
        except (AttributeError, TypeError, ValueError):
            pairs = ()
            problems.append(_problem(path, f"{where}: 'alternative_codes' ska vara en tabell "
                                           '{ "0" = 2 } av heltal.'))
        if any(v not in codes or k in codes for k, v in pairs):
            problems.append(_problem(path, f"{where}: 'alternative_codes' ska peka från en kod "
                                           "utanför skalan till en kod på den."))
            continue
        scales[sid] = Scale(sid, str(spec["name"]), tuple(cats), tuple(positive), pairs)
    return scales


_QUESTIONNAIRE_KEYS = {"id", "name", "version", "valid_from", "order", "aliases", "questions",
                       "scales"}
_QUESTION_KEYS = {"number", "text", "scale", "asked_if"}


def _parse_questionnaire(raw: dict, path: Path, shared_scales: dict[str, Scale],
                         problems: list[Problem]) -> Questionnaire | None:
    before = len(problems)
    if not _check_keys(raw, _QUESTIONNAIRE_KEYS, {"id", "name", "version", "questions"},
                       "enkäten", path, problems):
        return None
    scales = dict(shared_scales)
    scales.update(_parse_scales(raw.get("scales", {}), path, problems))
    sid = raw["id"]
    if not isinstance(sid, str) or not sid.isidentifier() or sid != sid.lower():
        problems.append(_problem(path, f"'id' ska vara gemener, siffror och _ (fick {sid!r})."))
    valid_from = raw.get("valid_from", 0)
    if not isinstance(valid_from, int):
        problems.append(_problem(path, "'valid_from' ska vara ett årtal."))
    if not isinstance(raw.get("order", 100), int):
        problems.append(_problem(path, "'order' ska vara ett heltal."))
    questions: list[Question] = []
    items = raw["questions"] if isinstance(raw["questions"], list) else []
    if not items:
        problems.append(_problem(path, "'questions' ska vara en lista med minst en fråga."))
    for i, item in enumerate(items):
        where = f"fråga nr {i + 1} i filen"
        if not isinstance(item, dict) or not _check_keys(
            item, _QUESTION_KEYS, {"number", "text", "scale"}, where, path, problems
        ):
            continue
        number, text, scale_id = item["number"], item["text"], item["scale"]
        if not isinstance(number, int) or number < 1:
            problems.append(_problem(path, f"{where}: 'number' ska vara ett positivt heltal."))
            continue
        where = f"fråga {number}"
        if not isinstance(text, str) or not text.strip():
            problems.append(_problem(path, f"{where}: 'text' saknas."))
            continue
        if scale_id not in scales:
            problems.append(_problem(path, f"{where}: okänd skala '{scale_id}' "
                                           f"(kända: {', '.join(sorted(scales))})."))
            continue
        condition = None
        if "asked_if" in item:
            condition = _parse_condition(item["asked_if"], number, questions, where, path,
                                         problems)
        questions.append(Question(number, text.strip(), scales[scale_id], condition))
    numbers = [q.number for q in questions]
    if len(set(numbers)) != len(numbers):
        problems.append(_problem(path, "Frågenumren måste vara unika."))
    if numbers != sorted(numbers):
        problems.append(_problem(path, "Frågorna ska stå i nummerordning."))
    texts = [fold(q.text) for q in questions]
    if len(set(texts)) != len(texts):
        problems.append(_problem(path, "Två frågor har samma text; rubriker kan då inte tolkas."))
    if len(problems) > before:
        return None
    return Questionnaire(
        id=sid, name=str(raw["name"]), version=str(raw["version"]), valid_from=valid_from,
        questions=tuple(questions), aliases=tuple(raw.get("aliases", ())), source=str(path),
        order=int(raw.get("order", 100)),
    )


def _parse_condition(raw: object, number: int, earlier: list[Question], where: str, path: Path,
                     problems: list[Problem]) -> Condition | None:
    if not isinstance(raw, dict) or set(raw) != {"question", "codes"}:
        problems.append(_problem(path, f"{where}: 'asked_if' ska vara "
                                       "{ question = N, codes = [...] }."))
        return None
    target = next((q for q in earlier if q.number == raw["question"]), None)
    if target is None:
        problems.append(_problem(path, f"{where}: 'asked_if' pekar på fråga {raw['question']}, "
                                       "som inte finns före denna fråga."))
        return None
    codes = raw["codes"]
    if not isinstance(codes, list) or not codes or not set(codes) <= set(target.scale.codes):
        problems.append(_problem(path, f"{where}: 'asked_if.codes' ska vara koder på fråga "
                                       f"{target.number}s skala ({target.scale.describe()})."))
        return None
    return Condition(target.number, tuple(codes), tuple(target.scale.label(c) for c in codes))
