"""Free memory handed back to the system between the import's steps.

The C library's allocator keeps what Python and numpy free for later use, in pieces
between live blocks; the tables made next do not fit in most of them, so a process's
peak memory grows by what an earlier step let go (15 MB at 330,000 rows). glibc's
malloc_trim returns those free pages; other systems' allocators (Windows, macOS,
musl) have no such call, and there this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from functools import cache


@cache
def _trim():
    """glibc's malloc_trim, or None where the C library has none."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc.malloc_trim
    except (OSError, AttributeError):  # musl (Alpine) has no malloc_trim
        return None


def give_back() -> bool:
    """Return the allocator's free pages to the system; True where it could be asked."""
    trim = _trim()
    if trim is None:
        return False
    trim(0)
    return True
