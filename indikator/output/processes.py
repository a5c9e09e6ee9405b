"""Helper processes: chart workers and the PDF's compiler, which end with the run."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any


def die_with_parent(parent: int) -> None:
    """In a chart worker: end when the run that started it ends, even by kill -9.

    Linux is told to kill the worker with its parent (PR_SET_PDEATHSIG); elsewhere a
    thread notices that the parent is gone.
    """
    import signal
    import sys
    import threading
    import time

    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:
        os._exit(1)

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
