"""The standard streams of the CLI's process, which it does not control.

Standard output may stop being read (``tqcheck scan ... | head -1``: SIGPIPE), be full
(``/dev/full``) or be closed; standard input may be closed.  None of these may crash the run or
change the gate's verdict: a reader that leaves is not an error, and the exit code stays what the
gate decided; a write that fails is one error line and exit 2.  (Signals: ``interrupts.py``.)
"""
from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from typing import Any, Iterator, TextIO

from .core.errors import InputError


class GuardedOutput:
    """Standard output whose failures are recorded instead of raised.

    A reader that has gone (``BrokenPipeError``) is silently dropped; any other failure (a full
    disk) is kept in :attr:`error` for the CLI to report.  Either way the stream's file descriptor
    is pointed at ``/dev/null``, so the interpreter's own flush at exit cannot fail again.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self.gone = False
        self.error: OSError | None = None

    def write(self, text: str) -> int:
        if not self.gone:
            try:
                return self._stream.write(text)
            except OSError as exc:
                self._leave(exc)
        return len(text)

    def flush(self) -> None:
        if not self.gone:
            try:
                self._stream.flush()
            except OSError as exc:
                self._leave(exc)

    def _leave(self, exc: OSError) -> None:
        self.gone = True
        if not isinstance(exc, BrokenPipeError):
            self.error = exc
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self._stream.fileno())
            os.close(devnull)
        except (OSError, ValueError):  # no file descriptor (a test's captured stream)
            pass

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


class ClosedInput:
    """Stands for a closed standard input: reading it is an input error, not a crash."""

    @property
    def buffer(self) -> "ClosedInput":
        return self

    def read(self, *_: Any) -> Any:
        raise InputError("-", "standard input is closed")

    def isatty(self) -> bool:
        return False


@contextmanager
def guarded_streams() -> Iterator[GuardedOutput]:
    """Standard output guarded for the duration, and a closed standard input replaced by
    :class:`ClosedInput`.  A closed standard output (``>&-``) reads as ``/dev/null`` with its
    :attr:`~GuardedOutput.error` already set: the command still runs (``fix`` still fixes), and the
    CLI reports that its output was lost."""
    stdout, stdin = sys.stdout, sys.stdin
    for stream in (stdout, sys.stderr):  # file names that are not UTF-8 print as \udcff, never crash
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    if stdout is None:
        out = GuardedOutput(open(os.devnull, "w", encoding="utf-8"))
        out.gone, out.error = True, OSError(9, "closed")
    else:
        out = GuardedOutput(stdout)
    sys.stdout = out
    if stdin is None:
        sys.stdin = ClosedInput()
    try:
        yield out
        out.flush()
    finally:
        sys.stdout, sys.stdin = stdout, stdin
        if stdout is None:
            out._stream.close()
