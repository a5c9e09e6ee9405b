"""The answers' temporary folder for `indikator app`: made at start, removed however the
app ends (Ctrl+C, Avsluta, a stop from the system, a closed window), and swept at the next
start if a power cut or a killed process left it behind."""

from __future__ import annotations

import os
import shutil
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

SCRATCH_PREFIX = "indikator-app-"
OWNER = "agare.txt"  # the process id of the app whose folder it is


@contextmanager
def scratch_folder() -> Iterator[Path]:
    """The answers' temporary folder, removed however the app ends: on leaving this block
    (a stop from the system ends the server through stopping_signals, and so this block),
    and at exit (atexit covers the rest)."""
    import atexit
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix=SCRATCH_PREFIX))
    (folder / OWNER).write_text(str(os.getpid()), encoding="utf-8")
    held = (folder / OWNER).open("rb")  # on Windows: not removable while this app runs

    def remove() -> None:
        held.close()
        shutil.rmtree(folder, ignore_errors=True)

    atexit.register(remove)
    try:
        yield folder
    finally:
        remove()
        atexit.unregister(remove)


@contextmanager
def stopping_signals(server) -> Iterator[None]:
    """SIGTERM, SIGHUP and (Windows: a closed console window) SIGBREAK stop the server as
    Ctrl+C does, gracefully, so that the answers' folder is removed on the way out.
    uvicorn takes SIGINT/SIGTERM/SIGBREAK itself while it runs and raises them again once
    stopped, into these handlers, which then have nothing left to stop."""
    def stop(signum, frame) -> None:
        server.handle_exit(signum, frame)

    saved = {}
    for name in ("SIGTERM", "SIGHUP", "SIGBREAK"):
        number = getattr(signal, name, None)
        if number is not None:
            with suppress(ValueError, OSError):  # not the main thread, or not settable
                saved[number] = signal.signal(number, stop)
    try:
        yield
    finally:
        for number, handler in saved.items():
            signal.signal(number, handler)


def sweep_scratch() -> None:
    """Remove the temporary folders of apps that ended without cleaning up (a power cut,
    a killed process). A folder is taken only when its owner is gone (process_gone)."""
    import tempfile

    for folder in Path(tempfile.gettempdir()).glob(SCRATCH_PREFIX + "*"):
        try:
            owner = int((folder / OWNER).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if not process_gone(owner, folder / OWNER):
            continue
        shutil.rmtree(folder, ignore_errors=True)


def process_gone(pid: int, owner: Path) -> bool:
    """Whether the app that made a folder has ended. On Windows (where os.kill(pid, 0)
    would end that process) a running app holds its owner file open, so the file cannot
    be removed: removing it is the test."""
    if pid == os.getpid():
        return False
    if sys.platform == "win32":
        try:
            owner.unlink()
        except OSError:  # held open by its running app (PermissionError), or else not ours
            return False
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False
