"""The bundled example: a made-up förbund's answers, and telling them apart from real ones.

Made-up numbers must never reach a real report unmarked. Any input file that is
byte for byte one of the bundled example's files marks the whole pack
"Exempeldata – påhittat förbund" (summary, every chart).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import cache
from pathlib import Path

MARKER = "Exempeldata – påhittat förbund"


def bundled_folder(package: Path | None = None) -> Path | None:
    """The copy installed with the package, or the example in the source tree. Installed,
    the folder beside the package is site-packages/responses: another distribution's
    (the HTTP mocking library is called responses), never ours, so the source tree's is
    taken only in a checkout (pyproject.toml and questionnaires/ beside it)."""
    here = package or Path(__file__).resolve().parent.parent  # indikator/
    installed = here / "_data" / "responses"
    checkout = here.parent
    candidates = [installed]
    if (checkout / "pyproject.toml").is_file() and (checkout / "questionnaires").is_dir():
        candidates.insert(0, checkout / "responses")
    for folder in candidates:
        if folder.is_dir() and any(folder.iterdir()):
            return folder
    return None


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@cache
def example_digests() -> frozenset[str]:
    folder = bundled_folder()
    if folder is None:
        return frozenset()
    return frozenset(_digest(p) for p in folder.iterdir() if p.is_file())


def is_example(paths: Iterable[Path]) -> bool:
    """True when any of the files (folders expanded) is one of the bundled example's."""
    from indikator.reading import expand_paths

    files, _ = expand_paths([Path(p) for p in paths if Path(p).exists()])
    digests = example_digests()
    return any(f.is_file() and f.stat().st_size < 50_000_000 and _digest(f) in digests
               for f in files)
