"""Helper processes: chart workers and the PDF's compiler, which end with the run."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any


def die_with_parent(parent: int) -> None:
    """In a chart worker: end when the run that started it ends, even by kill -9.

    Linux is told to kill the worker with its parent (PR_SET_PDEATHSIG). Everywhere a
    thread waits on the parent's sentinel (on Windows a process handle, signalled when
    the parent ends); where there is none, it watches the parent's pid (which on Windows
    never changes, hence the sentinel).
    """
    import signal
    import sys

    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:
        os._exit(1)
    if not watch_parent_sentinel():
        watch_parent_pid(parent)


def watch_parent_sentinel() -> bool:
    """End this process when its multiprocessing parent ends; False if it has no parent
    sentinel to wait on."""
    import multiprocessing
    import threading
    from multiprocessing.connection import wait

    parent = multiprocessing.parent_process()
    sentinel = getattr(parent, "sentinel", None) if parent is not None else None
    if sentinel is None:
        return False

    def watch() -> None:
        wait([sentinel])
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()
    return True


def watch_parent_pid(parent: int) -> None:
    import threading
    import time

    def watch() -> None:
        while True:
            time.sleep(1)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def in_own_process(func: Callable[..., Any], *args: Any) -> Any:
    """`func(*args)` in a process of its own, which ends (and frees its memory) after.

    For work that keeps what it made in process-wide caches it never empties.
    """
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=1, initializer=die_with_parent,
                             initargs=(os.getpid(),)) as pool:
        return pool.submit(func, *args).result()


def travels(func: Callable[..., Any]) -> Callable[..., Any]:
    """`func` for a worker process: an error that cannot be pickled back to the parent (an
    exception with an unusual constructor) comes back as a RuntimeError with its type and
    message, instead of breaking the pool, which would report a crashed process."""
    import functools
    import pickle

    @functools.wraps(func)
    def worker(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except Exception as error:
            try:
                pickle.loads(pickle.dumps(error))
            except Exception:
                raise RuntimeError(f"{type(error).__name__}: {error}") from None
            raise

    return worker
