"""Progress while a pack is built: a rich bar on a terminal, a few plain lines otherwise.

A log file or a CI job gets short lines ("  diagram och dokument 10/152"), not a
redrawn bar full of control characters.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

LABEL = "Ritar diagram och dokument"


@contextmanager
def progress_bar(stream=None) -> Iterator[Callable[[int, int], None]]:
    stream = stream or sys.stderr
    if not (hasattr(stream, "isatty") and stream.isatty()):
        def plain(i: int, total: int) -> None:
            if i == 1 or i == total or i % 25 == 0:
                print(f"  diagram och dokument {i}/{total}", file=stream, flush=True)

        yield plain
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=Console(file=stream), transient=True) as bar:
        task = bar.add_task(LABEL, total=None)

        def update(i: int, total: int) -> None:
            bar.update(task, completed=i, total=total)

        yield update
