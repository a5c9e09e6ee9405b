"""Helper processes: chart workers and the PDF's compiler, which end with the run."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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


def worker_started(parent: int) -> None:
    """A worker's first step: what it inherited from its parent is left out of its
    garbage collections (gc.freeze), and it is tied to the parent (die_with_parent).

    A forked worker holds a copy of the parent's heap; each full collection would walk
    all of it, and write to every page it walked, which the fork then has to copy.
    """
    import gc

    gc.freeze()
    die_with_parent(parent)


_FREEZING = threading.Lock()
_frozen = 0  # the frozen_heap() open in this process


def _none_frozen_in_child() -> None:
    """A forked child has none of its parent's frozen_heap() open (the parent's stay the
    parent's to close), and a lock of its own (one another thread of the parent held at
    the fork would never be let go in the child)."""
    global _FREEZING, _frozen
    _FREEZING, _frozen = threading.Lock(), 0


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_none_frozen_in_child)


@contextmanager
def frozen_heap() -> Iterator[Callable[[], None]]:
    """Within: the objects alive on entering are left out of this process's garbage
    collections (gc.freeze), and those alive when the function it gives is called; on
    leaving the last one, they are taken back in (gc.unfreeze), and what became garbage
    meanwhile is collected as usual. In a worker that is also what it froze on starting
    (worker_started): a pack worker thaws after each pack, so no garbage of one pack is
    kept through the next.

    While workers run, this process unpickles what they send back (a whole report per
    pack), and each full collection that set off walked the whole heap, every förbund's
    tables and the packs already back: three quarters of the CPU time of the thread that
    received them. Forked workers inherit the frozen heap and leave it alone as well.
    """
    import gc

    global _frozen
    with _FREEZING:
        if not _frozen:
            gc.freeze()
        _frozen += 1
    try:
        yield gc.freeze
    finally:
        with _FREEZING:
            _frozen -= 1
            if not _frozen:
                gc.unfreeze()


def worker_pool(workers: int) -> Any:
    """A ProcessPoolExecutor of `workers` processes that die with this one."""
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(max_workers=workers, initializer=worker_started,
                               initargs=(os.getpid(),))


class Helper:
    """A process of its own for work that fills process-wide caches it never empties, so
    that its memory is freed when the process ends. Inside `kept()` one process serves
    the calls (up to `tasks` of them, then a fresh one), instead of one per call: each
    start costs a fork (or, where processes are spawned, a fresh interpreter)."""

    def __init__(self, tasks: int) -> None:
        self.tasks = tasks
        self._forget()
        if hasattr(os, "register_at_fork"):  # POSIX: a forked child starts with none
            os.register_at_fork(after_in_child=self._forget)

    def _forget(self) -> None:
        self._lock = threading.RLock()  # threads share the one helper, a call at a time
        self._pool: Any = None
        self._owner = 0  # the pid that started the pool: a forked copy of it is not ours
        self._used = 0
        self._keeping = 0  # how many kept() are open

    @contextmanager
    def kept(self) -> Iterator[Helper]:
        """Within: the helper process is kept from call to call; it ends on leaving."""
        with self._lock:
            self._keeping += 1
        try:
            yield self
        finally:
            with self._lock:
                self._keeping -= 1
                if not self._keeping:
                    self.close()

    def run(self, func: Callable[..., Any], *args: Any) -> Any:
        """`func(*args)` in the helper process, started (again) when needed."""
        from concurrent.futures.process import BrokenProcessPool

        with self._lock:
            if self._pool is None or self._owner != os.getpid() or self._used >= self.tasks:
                self.close()
                self._pool = self._start()
            self._used += 1
            try:
                return self._pool.submit(func, *args).result()
            except BrokenProcessPool:
                self.close()  # the next call starts a fresh process
                raise
            finally:
                if not self._keeping:
                    self.close()

    def _start(self) -> Any:
        self._owner, self._used = os.getpid(), 0
        return worker_pool(1)

    def close(self) -> None:
        """End the helper process (a copy inherited through fork is only forgotten)."""
        with self._lock:
            if self._pool is not None and self._owner == os.getpid():
                self._pool.shutdown()
            self._pool = None


def travels(func: Callable[..., Any]) -> Callable[..., Any]:
    """`func` for a worker process: an error that cannot be pickled back to the parent (an
    exception with an unusual constructor) comes back as a RuntimeError with its type and
    message, instead of breaking the pool, which would report a crashed process."""
    import functools

    @functools.wraps(func)
    def worker(*args: Any, **kwargs: Any) -> Any:
        return _travelling(func, *args, **kwargs)

    return worker


def _travelling(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """travels' work: `func(*args)`, with an error that cannot be pickled made one that can."""
    import pickle

    try:
        return func(*args, **kwargs)
    except Exception as error:
        try:
            pickle.loads(pickle.dumps(error))
        except Exception:
            raise RuntimeError(f"{type(error).__name__}: {error}") from None
        raise


def ordered_map(func: Callable[[Any], Any], items: list, workers: int) -> list:
    """`func(item)` for each item in `workers` processes that die with this one (0: one a
    core): the results in the items' order. When some fail, the error of the first of
    them in that order is raised, as a loop over the items would raise it, and those not
    started are cancelled.

    In this process when there is one core or one item, and where processes are not
    forked (Windows, macOS): a spawned process first imports pandas and the package,
    which takes longer than the work this is for (reading a county's folders).
    """
    import multiprocessing

    workers = min(workers or os.cpu_count() or 1, len(items))
    if workers <= 1 or multiprocessing.get_start_method() != "fork":
        return [func(item) for item in items]
    with frozen_heap(), worker_pool(workers) as pool:
        futures = [pool.submit(_travelling, func, item) for item in items]
        try:
            return [future.result() for future in futures]
        except BaseException:
            for future in futures:
                future.cancel()
            raise


def in_workers(func: Callable[[Any], Any], jobs: list, workers: int,
               progress: Callable[[int], None] | None = None,
               meanwhile: Callable[[], None] | None = None,
               order: list[int] | None = None,
               each: Callable[[int, Any], Any] | None = None) -> list:
    """`func(job)` for every job in `workers` processes that die with this one; the
    results in the order of `jobs`. `order`: the order to hand them out (the largest
    first, say); `progress(k)` after the k-th is done; `meanwhile` runs in this process
    while they work; `each(i, result)` here on job i's result as it comes back, and what
    it returns is the result. When one fails, those not started are cancelled and its
    error is raised here."""
    from concurrent.futures import as_completed

    with frozen_heap() as freeze, worker_pool(workers) as pool:
        futures = {pool.submit(func, jobs[i]): i
                   for i in (order if order is not None else range(len(jobs)))}
        done: dict[int, Any] = {}
        try:
            if meanwhile is not None:
                meanwhile()
            for count, future in enumerate(as_completed(futures), start=1):
                i = futures[future]
                done[i] = each(i, future.result()) if each is not None else future.result()
                freeze()  # what came back is kept to the end: no need to walk it again
                if progress is not None:
                    progress(count)
        except BaseException:
            for future in futures:
                future.cancel()
            raise
    return [done[i] for i in range(len(jobs))]
