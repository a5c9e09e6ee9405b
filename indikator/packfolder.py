"""The pack folder: written aside, switched in whole, and never a file touched that is not ours.

A run writes the new pack into a hidden staging folder beside `--out`, then
swaps folders: the old pack is renamed aside, the new one renamed in, the old
one removed. A run killed at any moment leaves either the old pack or the new
one at `--out`; the next run puts back an old pack left aside and removes
leftovers (it holds the folder's lock, so no other run is using them).

What belongs to a pack is what its manifest lists, with each file's SHA-256. A
manifest is never trusted to name what to delete: every entry must be a plain
relative path inside the folder, and only files whose content still matches are
taken for the pack's own. Other files in a pack folder (a user's note) are
copied into the new pack; a pack file the user has changed, a link, or a folder
that is not a pack stops the run with a message, and nothing is changed.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from .errors import EXIT_INPUT, IndikatorError

MANIFEST = ".indikator-pack"
MANIFEST_HEADER = "# indikator-pack 2: sha256 and path of each file the pack wrote"
JUNK = {"thumbs.db", "desktop.ini", ".ds_store"}  # what file managers leave in folders
# what earlier versions (manifests without checksums) wrote
LEGACY_NAMES = re.compile(r"^(?:[a-z_]+\.(?:csv|txt)|diagram/[a-z0-9_.-]+\.(?:png|svg|pdf))$")


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def safe_relative(entry: str) -> bool:
    """A manifest entry that can only name something inside the pack folder."""
    if not entry or "\\" in entry or ":" in entry or entry.startswith("/"):
        return False
    parts = PurePosixPath(entry).parts
    return bool(parts) and all(p not in ("", ".", "..") for p in parts)


def read_manifest(folder: Path) -> dict[str, str | None] | None:
    """{relative path: sha256 or None (older manifests)}; None when absent or not trusted."""
    path = folder / MANIFEST
    if not path.is_file() or path.is_symlink():
        return None
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    entries: dict[str, str | None] = {}
    for line in lines:
        if not line.strip() or line.startswith("#"):
            continue
        digest, _, name = line.partition("  ")
        if not name or not re.fullmatch(r"[0-9a-f]{64}", digest):
            digest, name = None, line  # an older manifest: paths only
        if not safe_relative(name):
            return None  # one unsafe entry and none of it is trusted
        if digest is None and not LEGACY_NAMES.match(name):
            return None
        entries[name] = digest
    return entries


def _files(folder: Path) -> tuple[list[str], list[str]]:
    """(files, links) below `folder`, as relative posix paths; links are never followed."""
    files, links = [], []
    for root, dirs, names in os.walk(folder, followlinks=False):
        base = Path(root)
        for name in [*dirs, *names]:
            path = base / name
            rel = path.relative_to(folder).as_posix()
            if path.is_symlink():
                links.append(rel)
            elif name in names:
                files.append(rel)
    return sorted(files), sorted(links)


def inspect(out: Path) -> list[str]:
    """Files in `out` that are not the old pack's own and must be kept (copied over).

    Refuses a folder holding links, changed pack files, or visible files without a
    pack's manifest.
    """
    if not out.exists():
        return []
    if not out.is_dir() or out.is_symlink():
        raise IndikatorError(f"{out} finns redan och är inte en mapp.", exit_code=EXIT_INPUT)
    files, links = _files(out)
    if links:
        raise IndikatorError(
            f"Mappen {out} innehåller länkar ({', '.join(links[:3])}); indikator skriver inte "
            "över en sådan mapp. Välj en annan mapp med --out.", exit_code=EXIT_INPUT)
    manifest = read_manifest(out)
    files = [f for f in files if f != MANIFEST]
    if manifest is None:
        visible = [f for f in files if not _hidden(f)]
        if visible:
            raise IndikatorError(
                f"Mappen {out} innehåller redan filer som inte hör till ett paket från indikator "
                f"({', '.join(visible[:3])}{' …' if len(visible) > 3 else ''}). Välj en annan "
                "mapp med --out, eller töm mappen.", exit_code=EXIT_INPUT)
        return files
    changed = [f for f in files if f in manifest and manifest[f] is not None
               and sha256(out / f) != manifest[f]]
    if changed:
        raise IndikatorError(
            f"{', '.join(changed[:3])} i {out} har ändrats sedan indikator skrev paketet. Spara "
            "ändringarna under ett annat namn eller i en annan mapp, så skrivs paketet om.",
            exit_code=EXIT_INPUT)
    return [f for f in files if f not in manifest]


def _hidden(rel: str) -> bool:
    name = PurePosixPath(rel).name
    return name.startswith(".") or name.lower() in JUNK


def _aside(out: Path) -> Path:
    return out.parent / f".{out.name}.indikator-old"


def _staging(out: Path) -> Path:
    return out.parent / f".{out.name}.indikator-staging-{os.getpid()}"


def recover(out: Path) -> None:
    """Undo what a killed run left: an old pack put aside comes back, leftovers go."""
    aside = _aside(out)
    if aside.is_dir() and not aside.is_symlink():
        if not out.exists():
            aside.rename(out)  # killed between the two renames: the old pack is the pack
        else:
            shutil.rmtree(aside, ignore_errors=True)
    for stale in out.parent.glob(f".{glob_escape(out.name)}.indikator-staging-*"):
        if stale.is_dir() and not stale.is_symlink():
            shutil.rmtree(stale, ignore_errors=True)


def glob_escape(name: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", name)


@contextlib.contextmanager
def lock(out: Path) -> Iterator[None]:
    """One run at a time per pack folder; the system drops the lock if the run dies."""
    path = out.parent / f".{out.name}.indikator-lock"
    handle = path.open("a+b")
    try:
        try:
            if os.name == "nt":
                import msvcrt

                msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise IndikatorError(
                f"En annan körning av indikator skriver redan till {out}. Vänta tills den är "
                "klar, eller välj en annan mapp med --out.", exit_code=EXIT_INPUT) from None
        yield
    finally:
        handle.close()  # closing releases the lock


def write_error(out: Path, exc: OSError) -> IndikatorError:
    """What went wrong when writing, said plainly; the earlier pack is untouched."""
    reasons = {errno.ENOSPC: "disken är full", errno.EROFS: "platsen är skrivskyddad",
               errno.EACCES: "behörighet saknas", errno.EPERM: "behörighet saknas",
               errno.ENAMETOOLONG: "ett filnamn blev för långt",
               getattr(errno, "EDQUOT", -1): "diskkvoten är slut"}
    why = reasons.get(exc.errno, exc.strerror or type(exc).__name__)
    return IndikatorError(f"Paketet kunde inte skrivas till {out}: {why}. Ett tidigare paket där "
                          "är orört.", exit_code=EXIT_INPUT)


def check_destination(out: Path) -> None:
    """Refuse at once an --out that can never be a folder (a file on the way to it)."""
    for parent in [out, *out.parents]:
        if parent.exists() and not parent.is_dir():
            raise IndikatorError(
                f"Paketet kan inte skrivas till {out}: {parent} är en fil, inte en mapp. "
                "Ange en mapp med --out.", exit_code=EXIT_INPUT)


@contextlib.contextmanager
def staged(out: Path) -> Iterator[Path]:
    """Yield a staging folder; on success swap it in as `out`, on failure remove it."""
    out = Path(os.path.abspath(out))
    check_destination(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise write_error(out, exc) from None
    with lock(out):
        recover(out)
        keep = inspect(out)
        stage = _staging(out)
        try:
            stage.mkdir()
            yield stage
            written, _ = _files(stage)
            clash = sorted(set(keep) & set(written))
            if clash:
                raise IndikatorError(
                    f"{', '.join(clash[:3])} i {out} är inte paketets egen fil men har samma namn "
                    "som en fil i det nya paketet. Flytta den, så skrivs paketet.",
                    exit_code=EXIT_INPUT)
            lines = [MANIFEST_HEADER, *(f"{sha256(stage / f)}  {f}" for f in written)]
            (stage / MANIFEST).write_text("\n".join(lines) + "\n", encoding="utf-8")
            for rel in keep:  # copies: the originals stay with the old pack until the swap
                (stage / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(out / rel, stage / rel)
            swap(out, stage)
        except OSError as exc:
            raise write_error(out, exc) from exc
        finally:
            shutil.rmtree(stage, ignore_errors=True)


def exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one atomic step (Linux renameat2 RENAME_EXCHANGE); False if the
    system cannot, and nothing was done."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def swap(out: Path, stage: Path) -> None:
    """Put `stage` where `out` is, the old pack removed only afterwards.

    One atomic exchange where the system has it (Linux); elsewhere two renames, and a
    run killed between them is repaired by the next (`recover`).
    """
    if not out.exists():
        stage.rename(out)
        return
    if exchange(stage, out):
        shutil.rmtree(stage, ignore_errors=True)  # now the old pack
        return
    aside = _aside(out)
    out.rename(aside)
    try:
        stage.rename(out)
    except OSError:
        aside.rename(out)
        raise
    shutil.rmtree(aside, ignore_errors=True)
