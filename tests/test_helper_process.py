"""The helper process that compiles the PDFs (output/processes.Helper)."""

from __future__ import annotations

import os

import pytest

from indikator.output.processes import Helper


def test_a_helper_is_kept_within_kept_for_its_tasks_and_ends_on_leaving():
    """Inside kept() one process serves the calls, a fresh one after `tasks` of them;
    none is left when kept() ends."""
    helper = Helper(tasks=2)
    with helper.kept():
        pids = [helper.run(os.getpid) for _ in range(3)]
    assert os.getpid() not in pids
    assert pids[0] == pids[1] != pids[2]
    assert helper._pool is None


def test_outside_kept_each_call_has_a_process_of_its_own():
    helper = Helper(tasks=8)
    first, second = helper.run(os.getpid), helper.run(os.getpid)
    assert first != second
    assert helper._pool is None


def test_a_pack_leaves_no_helper_process(tmp_path):
    """A pack's PDFs are compiled in one helper process, which ends with the pack."""
    import multiprocessing

    from indikator.input.example import MARKER, bundled_folder
    from indikator.options import PackOptions
    from indikator.output.pack import build_pack
    from indikator.output.renderers.pdf import TYPST
    from indikator.questionnaires import load_catalog

    build_pack([bundled_folder()], tmp_path / "p", load_catalog(),
               PackOptions(formats=("pdf",), marker=MARKER))
    assert (tmp_path / "p" / "indikatorer.pdf").is_file()
    assert TYPST._pool is None
    assert not multiprocessing.active_children()


def test_threads_share_the_helper_one_call_at_a_time():
    """Packs written from several threads (the public write_pack) share the module's PDF
    helper: a thread's kept() ending, or the task limit's fresh process, must not close
    the process under another thread's call."""
    from concurrent.futures import ThreadPoolExecutor

    helper = Helper(tasks=2)

    def packs(i: int) -> list[int]:
        out = []
        for _ in range(6):
            with helper.kept():
                out.append(helper.run(abs, -i))
        return out

    with ThreadPoolExecutor(max_workers=3) as threads:
        results = list(threads.map(packs, range(1, 4)))
    assert results == [[i] * 6 for i in range(1, 4)]
    assert helper._pool is None


def test_a_forked_child_starts_without_its_parents_helper():
    """A child forked inside kept() does not think it keeps the parent's process."""
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return
    helper = Helper(tasks=8)
    with helper.kept():
        helper.run(os.getpid)
        reader, writer = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: nothing kept, no pool of its own
            os.write(writer, b"%d %d" % (helper._keeping, helper._pool is None))
            os._exit(0)
        os.waitpid(pid, 0)
        assert os.read(reader, 16) == b"0 1"
        assert helper._pool is not None  # the parent's is untouched


def _slow_or_failing(item: int) -> int:
    """A job for ordered_map: 1 fails late, 3 fails at once, 5 cannot travel back."""
    import time

    if item == 1:
        time.sleep(0.5)
        raise ValueError("item 1")
    if item == 3:
        raise ValueError("item 3")
    if item == 5:
        raise _Unpicklable("five", required=True)
    return item * item


class _Unpicklable(Exception):
    """An error whose constructor takes other arguments than it keeps: pickle cannot
    rebuild it from its args."""

    def __init__(self, text: str, extra: int = 0, *, required: bool) -> None:
        super().__init__(text)


def test_ordered_map_gives_results_and_the_first_error_in_order():
    """ordered_map's results come in the items' order, from processes or from here, and
    of several failures the first in order is raised, as a loop would raise it, even when
    a later one fails first; an error that cannot be pickled comes back as a
    RuntimeError that names it."""
    import pytest

    from indikator.output.processes import ordered_map

    for workers in (1, 2, 0):
        assert ordered_map(_slow_or_failing, [4, 2, 0, 7], workers) == [16, 4, 0, 49]
        assert ordered_map(_slow_or_failing, [], workers) == []
        with pytest.raises(ValueError, match="item 1"):
            ordered_map(_slow_or_failing, [2, 1, 3, 0, 3], workers)  # 1 fails last
    with pytest.raises(RuntimeError, match="_Unpicklable: five"):
        ordered_map(_slow_or_failing, [0, 5, 2], 2)


def test_ordered_map_works_here_where_processes_are_spawned(monkeypatch):
    """Where processes are spawned (Windows, macOS) ordered_map works in this process:
    a fresh interpreter would cost more than reading a county's folders."""
    import multiprocessing

    from indikator.output.processes import ordered_map

    assert ordered_map(_pid_plus, [0, 1], 2) != [os.getpid(), os.getpid() + 1]  # forked
    monkeypatch.setattr(multiprocessing, "get_start_method", lambda *a, **k: "spawn")
    assert ordered_map(_pid_plus, [0, 1], 2) == [os.getpid(), os.getpid() + 1]


def _pid_plus(item: int) -> int:
    return os.getpid() + item


def _frozen_count(_) -> int:
    import gc

    return gc.get_freeze_count()


def test_a_worker_leaves_its_inherited_heap_alone():
    """A forked worker freezes what it inherited, so that its collections do not walk
    (and copy) the parent's heap."""
    import multiprocessing

    from indikator.output.processes import worker_pool

    with worker_pool(1) as pool:
        frozen = pool.submit(_frozen_count, None).result()
    if multiprocessing.get_start_method() == "fork":
        assert frozen > 1000  # the test session's modules and objects


@pytest.mark.parametrize(("told", "threads"), [
    ({}, "1"), ({"OPENBLAS_NUM_THREADS": "2"}, "2"), ({"OMP_NUM_THREADS": "3"}, None),
    ({"GOTO_NUM_THREADS": "4"}, None)])
def test_the_command_line_keeps_openblas_to_one_thread_unless_told(told, threads):
    """The CLI sets OPENBLAS_NUM_THREADS=1 before numpy is loaded (OpenBLAS reads it
    once, when it loads); a number the user set for OpenBLAS, in any of the three
    variables it reads, is kept."""
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items()
           if k not in ("OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS")}
    code = ("import os, sys; import indikator.cli; "
            "print('numpy' in sys.modules, os.environ.get('OPENBLAS_NUM_THREADS'))")
    out = subprocess.run([sys.executable, "-c", code], env={**env, **told},
                         capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", str(threads)]


class _Node:
    pass


def _garbage_of_a_pack(_) -> tuple[bool, int]:
    """In a worker, as a pack worker does: a frozen_heap around the pack, with a cycle
    frozen inside that is garbage when it ends."""
    import gc
    import weakref

    from indikator.output.processes import frozen_heap

    with frozen_heap() as freeze:
        node = _Node()
        node.me = node
        freeze()
        gone = weakref.ref(node)
        del node
    gc.collect()
    return gone() is None, gc.get_freeze_count()


def test_a_worker_thaws_after_each_pack_so_no_garbage_is_kept():
    """A forked worker starts with none of its parent's frozen_heap() open: leaving the
    pack's thaws its heap, and the cycle the pack left is collected."""
    from indikator.output.processes import in_workers

    results = in_workers(_garbage_of_a_pack, [0, 1, 2, 3], 2)
    assert all(collected for collected, _ in results)
    assert all(frozen == 0 for _, frozen in results)


def test_frozen_heap_freezes_once_and_thaws_on_leaving_the_last():
    """frozen_heap: what is alive on entering (and when its function is called) is left
    out of collections; nested, only leaving the outermost takes it back; a cycle made
    garbage inside is collected once out."""
    import gc
    import weakref

    from indikator.output.processes import frozen_heap

    class Node:
        pass

    gc.collect()
    assert gc.get_freeze_count() == 0
    with frozen_heap() as freeze:
        outer = gc.get_freeze_count()
        assert outer > 0
        node = Node()
        node.me = node  # a cycle, alive now, frozen by freeze()
        freeze()
        assert gc.get_freeze_count() > outer
        gone = weakref.ref(node)
        del node
        with frozen_heap():
            pass
        assert gc.get_freeze_count() > outer  # the inner one left it frozen
        gc.collect()
        assert gone() is not None  # frozen: not collected
    assert gc.get_freeze_count() == 0
    gc.collect()
    assert gone() is None
