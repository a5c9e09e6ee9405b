"""The helper process that compiles the PDFs (output/processes.Helper)."""

from __future__ import annotations

import os

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
