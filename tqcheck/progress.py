"""A progress bar for long scans: rich, on standard error, and only on a terminal.

A pipe, a file or CI logs get nothing, so machine output stays clean.  The bar shows up only
once a scan of several files has run for ``DELAY`` seconds (short scans never flicker) and is
erased when the scan ends, leaving the findings alone on the screen.  rich is imported only then.
"""
from __future__ import annotations

import contextlib
import os
import sys
import time
from typing import Callable, Iterator

#: Seconds a scan runs before the bar appears.
DELAY = 0.5


@contextlib.contextmanager
def progress(total: int) -> Iterator[Callable[[str], None]]:
    """Yield ``advance(name)``, to call after each of ``total`` files."""
    if total < 2 or not sys.stderr.isatty() or os.environ.get("TERM") == "dumb":
        yield lambda name: None
        return
    try:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
    except ImportError:  # a bar is a nicety: without rich the scan runs the same
        yield lambda name: None
        return

    bar = Progress(TextColumn("{task.description}", style="dim"), BarColumn(), MofNCompleteColumn(),
                   TimeRemainingColumn(), console=Console(stderr=True), transient=True)
    task = bar.add_task("checking", total=total)
    started = time.monotonic()

    def advance(name: str) -> None:
        bar.update(task, advance=1, description=os.path.basename(name)[:40])
        if not bar.live.is_started and time.monotonic() - started >= DELAY:
            bar.start()

    try:
        yield advance
    finally:
        if bar.live.is_started:
            bar.stop()
