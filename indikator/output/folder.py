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
import stat
import sys
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from indikator.errors import EXIT_INPUT, IndikatorError
from indikator.reading import PACK_MARK

MANIFEST = PACK_MARK  # ".indikator-pack"
CACHE = ".indikator-cache"  # cache.CACHE_FOLDER: the pack's own, redrawn when damaged
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


def checksums(folder: Path, names: list[str]) -> list[str]:
    """sha256 of each file, in threads: reading and hashing let go of the GIL, so the
    manifest of a nation's pack (17,000 files, 2 GB) takes half the time on two cores,
    at the end of the run when nothing else is left to do."""
    from concurrent.futures import ThreadPoolExecutor

    workers = max(1, min(os.cpu_count() or 1, 8, len(names)))
    digests: list[str] = [""] * len(names)
    with ThreadPoolExecutor(workers) as pool:
        for start, part in enumerate(pool.map(
                lambda start: [sha256(folder / name) for name in names[start::workers]],
                range(workers))):
            digests[start::workers] = part
    return digests


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
               and not f.startswith(f"{CACHE}/") and sha256(out / f) != manifest[f]]
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


WINDOWS_PATH_LIMIT = 259  # characters of a whole path that Windows programs can open
PATHS_LIMITED = os.name == "nt"


def check_path_length(stage: Path, out: Path, names: list[str]) -> None:
    """Stop before writing a file whose whole path would pass Windows' 260 characters:
    Windows, Excel and Word cannot open it (nor can this program write it without long
    paths switched on). The staging folder's name is the longer of the two places."""
    if not PATHS_LIMITED or not names:
        return
    longest = max(names, key=len)
    length = max(len(str(stage)), len(str(out))) + 1 + len(longest)
    if length > WINDOWS_PATH_LIMIT:
        raise IndikatorError(
            f"Sökvägen till paketets filer blir för lång för Windows: {length} tecken, högst "
            f"{WINDOWS_PATH_LIMIT} ({longest} i {out}). Välj en mapp närmare enhetens rot med "
            "--out, t.ex. --out C:\\indikator\\paket, eller kortare mappnamn.",
            exit_code=EXIT_INPUT)


def _staging(out: Path) -> Path:
    return out.parent / f".{out.name}.indikator-staging-{os.getpid()}"


def recover(out: Path) -> None:
    """Undo what a killed run left: an old pack put aside comes back, leftovers go."""
    aside = _aside(out)
    if aside.is_dir() and not aside.is_symlink():
        if not out.exists():
            aside.rename(out)  # killed between the two renames: the old pack is the pack
        else:
            remove(aside)
    for stale in out.parent.glob(f".{glob_escape(out.name)}.indikator-staging-*"):
        if stale.is_dir() and not stale.is_symlink():
            remove(stale)


def remove(folder: Path) -> bool:
    """Remove a folder of indikator's own (a staging folder, an old pack set aside), also
    where someone made its folders read-only (`chmod -R a-w`): the folders are made
    writable again, never following a link. True when it is gone."""
    shutil.rmtree(folder, ignore_errors=True)
    if not os.path.lexists(folder):
        return True
    for root, dirs, _ in os.walk(folder, followlinks=False):
        for path in [root, *(os.path.join(root, d) for d in dirs)]:
            with contextlib.suppress(OSError):
                if not os.path.islink(path):
                    os.chmod(path, stat.S_IMODE(os.lstat(path).st_mode) | stat.S_IRWXU)
    shutil.rmtree(folder, ignore_errors=True)
    return not os.path.lexists(folder)


def glob_escape(name: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", name)


@contextlib.contextmanager
def lock(out: Path) -> Iterator[None]:
    """One run at a time per pack folder; the system drops the lock if the run dies."""
    path = out.parent / f".{out.name}.indikator-lock"
    handle = open_lock(path, out)
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


def open_lock(path: Path, out: Path):
    """The lock file, opened for writing without ever following a link planted in its
    place (O_NOFOLLOW where the system has it; elsewhere, as on Windows, the path is
    checked before and the opened file compared with it after). Only a plain file will do."""
    def refuse() -> IndikatorError:
        return IndikatorError(
            f"{path} är inte en vanlig fil (en länk eller en mapp?); indikator följer inga "
            f"länkar. Ta bort den och kör igen, eller välj en annan mapp med --out.",
            exit_code=EXIT_INPUT)

    nofollow = getattr(os, "O_NOFOLLOW", 0)
    if path.is_symlink():
        raise refuse()
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | nofollow | getattr(os, "O_BINARY", 0)
                     | getattr(os, "O_NONBLOCK", 0), 0o600)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EISDIR, getattr(errno, "EMLINK", -1)) or (
                path.is_symlink()):
            raise refuse() from None
        raise write_error(out, exc) from None
    try:
        opened = os.fstat(fd)
        now = os.lstat(path)
        if not stat.S_ISREG(opened.st_mode) or (opened.st_dev, opened.st_ino) != (
                now.st_dev, now.st_ino):
            raise refuse()
    except BaseException:
        os.close(fd)
        raise
    return os.fdopen(fd, "a+b")


def write_error(out: Path, exc: OSError) -> IndikatorError:
    """What went wrong when writing, said plainly; the earlier pack is untouched."""
    reasons = {errno.ENOSPC: "disken är full", errno.EROFS: "platsen är skrivskyddad",
               errno.EACCES: "behörighet saknas", errno.EPERM: "behörighet saknas",
               errno.ENAMETOOLONG: "ett filnamn blev för långt",
               errno.EIO: "disken kunde inte läsas eller skrivas (in/ut-fel)",
               errno.EFBIG: "en fil blev för stor för filsystemet",
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
    """Yield a staging folder; on success swap it in as `out`, on failure remove it.

    Whatever the system refuses on the way (a read-only place, a full disk, a quota, a
    lock file that is a link) ends as a short message (exit code 2), the earlier pack as
    it was and no staging folder left behind.
    """
    out = Path(os.path.abspath(out))
    check_destination(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise write_error(out, exc) from None
    try:
        with lock(out):
            recover(out)
            keep = inspect(out)
            stage = _staging(out)
            try:
                stage.mkdir()
                yield stage
                _finish(out, stage, keep)
            finally:
                remove(stage)
    except IndikatorError:
        raise
    except Exception as exc:
        cause = machine_error(exc)
        if cause is None:
            raise
        raise write_error(out, cause) from exc


def _finish(out: Path, stage: Path, keep: list[str]) -> None:
    """The manifest written, the user's own files copied in, and the folders swapped."""
    written, _ = _files(stage)
    clash = sorted(set(keep) & set(written))
    if clash:
        raise IndikatorError(
            f"{', '.join(clash[:3])} i {out} är inte paketets egen fil men har samma namn "
            "som en fil i det nya paketet. Flytta den, så skrivs paketet.",
            exit_code=EXIT_INPUT)
    lines = [MANIFEST_HEADER, *(f"{digest}  {f}"
                                for digest, f in zip(checksums(stage, written), written,
                                                     strict=True))]
    (stage / MANIFEST).write_text("\n".join(lines) + "\n", encoding="utf-8")
    for rel in keep:  # copies: the originals stay with the old pack until the swap
        (stage / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(out / rel, stage / rel)
    swap(out, stage)


# what the machine, not the program, refuses when writing: these end as a message
MACHINE_ERRNOS = {errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EPERM, errno.ENAMETOOLONG,
                  errno.EIO, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}


def machine_error(exc: BaseException) -> OSError | None:
    """The OSError behind `exc`: itself, or one a library wrapped (XlsxWriter's
    FileCreateError holds the OSError of a full disk); None for anything else."""
    if isinstance(exc, OSError):
        return exc
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        e = todo.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        if isinstance(e, OSError) and e.errno in MACHINE_ERRNOS:
            return e
        todo += [e.__cause__, e.__context__, *(a for a in getattr(e, "args", ())
                                               if isinstance(a, BaseException))]
    return None


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
        remove(stage)  # now the old pack
        return
    aside = _aside(out)
    try:
        out.rename(aside)
    except OSError as exc:
        raise held_error(out, exc) from None
    try:
        stage.rename(out)
    except OSError as exc:
        aside.rename(out)
        raise held_error(out, exc) from None
    remove(aside)


def _can_open(path: Path) -> bool:
    """Whether a file can be opened for writing. On Windows a file that Excel, Word or a
    PDF reader has open cannot (a sharing violation); elsewhere this is always True."""
    try:
        os.close(os.open(path, os.O_RDWR))
    except PermissionError:
        return False
    except OSError:
        return True  # some other trouble: not a file held open
    return True


def held_open(out: Path) -> list[str]:
    """The pack's files that another program holds open (their names in the pack)."""
    held = []
    for path in sorted(out.rglob("*")):
        if path.is_file() and not path.is_symlink() and not _can_open(path):
            held.append(path.relative_to(out).as_posix())
    return held


def held_error(out: Path, exc: OSError) -> Exception:
    """A folder that cannot be moved aside because a file in it is open elsewhere (on
    Windows: tabeller.xlsx in Excel, the PDF in a reader) said so, with what to do."""
    if exc.errno not in (errno.EACCES, errno.EPERM):
        return exc
    held = held_open(out)
    if not held:
        return IndikatorError(
            f"Paketet kunde inte skrivas till {out}: mappen eller en fil i den används av ett "
            "annat program (kanske Utforskaren, Excel, Word eller en PDF-läsare). Stäng det "
            "och kör igen. Ett tidigare paket där är orört.", exit_code=EXIT_INPUT)
    names = ", ".join(held[:3]) + (f" och {len(held) - 3} till" if len(held) > 3 else "")
    return IndikatorError(
        f"Paketet kunde inte skrivas till {out}: {names} är öppen i ett annat program "
        "(Excel, Word eller en PDF-läsare). Stäng filen och kör igen. Ett tidigare paket där "
        "är orört.", exit_code=EXIT_INPUT)
