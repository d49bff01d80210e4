"""Stop signals as a clean exit: SIGINT, SIGTERM (what CI cancellation and ``timeout`` send) and
SIGHUP raise ``SystemExit(128 + signal)``, which unwinds the stack, so every ``finally`` runs and
``cache.write_atomic`` removes its temporary file, and the user sees one line, not a traceback.

The CLI installs this before any other import, so a Ctrl-C while Python is still loading tqcheck
is clean too; hence this module imports nothing slow (``_signal``, not ``signal``, which loads
``enum``).
"""
from __future__ import annotations

import _signal
import os

_NAMES = {_signal.SIGINT: "interrupted", _signal.SIGTERM: "terminated"}
_MAIN_PID = os.getpid()


def _exit_on_signal(signum: int, frame: object) -> None:
    if os.getpid() == _MAIN_PID:  # a forked worker exits quietly; its parent speaks
        try:
            os.write(2, f"tqcheck: {_NAMES.get(signum, 'hung up')}\n".encode())
        except OSError:  # no standard error
            pass
    raise SystemExit(128 + signum)


def install() -> None:
    """Turn the stop signals into :class:`SystemExit`."""
    for name in ("SIGINT", "SIGTERM", "SIGHUP"):
        signum = getattr(_signal, name, None)
        if signum is None:
            continue
        try:
            _signal.signal(signum, _exit_on_signal)
        except (ValueError, OSError):  # not the main thread, or an embedded interpreter
            return
