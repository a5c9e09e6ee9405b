"""Free memory handed back between the import's steps: asked of glibc where it is there,
and nothing at all elsewhere (Windows, macOS, musl), never an error."""

from __future__ import annotations

import ctypes
import os
import sys

import pytest

from indikator.importing import heap


@pytest.fixture(autouse=True)
def _fresh_lookup():
    heap._trim.cache_clear()
    yield
    heap._trim.cache_clear()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc only")
def test_glibc_is_asked_and_the_heap_shrinks():
    """On glibc the call is made, and the resident memory after freeing a heap full of
    small blocks (kept from the system by one block at its top) falls."""
    try:
        has_trim = hasattr(ctypes.CDLL("libc.so.6"), "malloc_trim")
    except OSError:
        has_trim = False
    if not has_trim:
        pytest.skip("no glibc here")
    page = os.sysconf("SC_PAGE_SIZE")

    def resident() -> int:
        with open("/proc/self/statm", encoding="ascii") as f:
            return int(f.read().split()[1]) * page

    blocks = [bytearray(b"x" * 60_000) for _ in range(2_000)]  # 120 MB below the mmap
    keep = bytearray(b"y" * 60_000)  # threshold: from the heap; one stays on top
    del blocks
    before = resident()
    assert heap.give_back() is True
    assert resident() < before - 50_000_000
    del keep


def test_elsewhere_nothing_is_asked(monkeypatch):
    monkeypatch.setattr(sys, "platform", "win32")
    assert heap.give_back() is False


def test_a_libc_without_malloc_trim_is_left_alone(monkeypatch):
    """musl (Alpine) has no malloc_trim: nothing is asked, nothing raises."""
    class NoTrim:
        def __init__(self, *args, **kwargs):
            pass

        def __getattr__(self, name):
            raise AttributeError(name)

    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(ctypes, "CDLL", NoTrim)
    assert heap.give_back() is False
