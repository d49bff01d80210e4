"""Feedback for long runs: a spinner, what is happening, and a bar; on standard error, on a
terminal only.

A pipe, a file or CI logs (``CI`` set) get nothing, so machine output stays clean.  The line
shows up once a run has lasted ``DELAY`` seconds, whether or not a file is done yet (loading or
converting the model can take that long before the first file), so short runs never flicker; it
is erased when the run ends, leaving the findings alone on the screen.  Code deep in the run
(the model loader) says what it is doing with :func:`note`, which costs nothing when no line is
shown.  rich is imported only when a line may be shown.
"""
from __future__ import annotations

import contextlib
import os
import sys
import threading
from typing import Any, Callable, Iterator

#: Seconds a run lasts before the line appears.
DELAY = 0.5
#: The line of the run in progress, if one may be shown: what :func:`note` updates.
_active: Any = None


def enabled() -> bool:
    return sys.stderr.isatty() and os.environ.get("TERM") != "dumb" and not os.environ.get("CI")


def note(text: str | None) -> None:
    """Show ``text`` as what the run is doing now (None: back to the file count)."""
    if _active is not None:
        _active.update(_active.task_ids[0], description=text or "checking")


def detach() -> None:
    """In a forked worker: forget the parent's line (its lock may have been held by the parent's
    refresh thread at the fork, which does not exist here; updating it could hang)."""
    global _active
    _active = None


@contextlib.contextmanager
def progress(total: int | Callable[[], int]) -> Iterator[Callable[[str], None]]:
    """Yield ``advance(name)``, to call after each of ``total`` files (a bar for 2 or more).
    ``total`` may be a function, called only when a line is shown: counting the records of a
    corpus reads it through once, which a run in CI or a pipe need not do."""
    global _active
    if not enabled():
        yield lambda name: None
        return
    if callable(total):
        total = total()
    try:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeRemainingColumn,
        )
    except ImportError:  # feedback is a nicety: without rich the run is the same
        yield lambda name: None
        return

    columns = [SpinnerColumn(), TextColumn("{task.description}", style="dim")]
    if total >= 2:
        columns += [BarColumn(), MofNCompleteColumn(), TimeRemainingColumn()]
    bar = Progress(*columns, console=Console(stderr=True), transient=True)
    task = bar.add_task("checking", total=max(total, 1))
    timer = threading.Timer(DELAY, bar.start)
    timer.daemon = True

    def advance(name: str) -> None:
        bar.update(task, advance=1, description=os.path.basename(name)[:40])

    _active = bar
    timer.start()
    try:
        yield advance
    finally:
        _active = None
        timer.cancel()
        timer.join()
        if bar.live.is_started:
            bar.stop()


@contextlib.contextmanager
def step(text: str) -> Iterator[None]:
    """:func:`note` ``text`` while the block runs."""
    note(text)
    try:
        yield
    finally:
        note(None)
