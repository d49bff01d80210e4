"""Worker processes die with the process that started them.

A ``--jobs`` worker blocks on its task queue; when the CLI is killed with SIGKILL (the OOM killer,
a batch system, ``kill -9``) nothing closes that queue (forked siblings hold its other end), so
without this the workers would wait forever, each holding a model of about a gigabyte.  A worker
calls :func:`die_with_parent` as it starts:

* on Linux the kernel sends it SIGKILL when its parent dies (``prctl(PR_SET_PDEATHSIG)``);
* elsewhere on POSIX a daemon thread looks at the parent every :data:`POLL_S` seconds: a process
  whose parent died is re-parented, so ``getppid()`` changes.

SIGKILL, not SIGTERM: with its parent gone, nothing a worker still does can be delivered, and a
worker that unwinds on SIGTERM can block for good on the queue lock a killed sibling held.  The
one thing it may leave is the temporary file of a ``fix`` it was writing, which the next write of
that file sweeps (``cache.write_atomic``).  Dask's worker processes need none of this: each
watches a pipe to the process that started it and exits when the pipe closes.
"""
from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

#: Seconds between two looks at the parent where the kernel cannot be asked to tell.
POLL_S = 0.5
_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """End this process when ``parent`` (the pid of the process that started it, passed by that
    process, since it may be gone already) dies.  Linux ties the signal to the parent's thread that
    started this process: start workers from a thread that lives as long as the run (the main one)."""
    if sys.platform == "win32":  # no re-parenting to notice; a job object would be needed
        return
    if not (sys.platform.startswith("linux") and _ask_kernel()):
        watch(parent)
    if os.getppid() != parent:  # it died before the kernel was asked, so nobody will tell
        _die()


def _ask_kernel() -> bool:
    """``prctl(PR_SET_PDEATHSIG, SIGKILL)``; False where libc or the call is not there."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0)
    except (OSError, AttributeError):
        return False


def watch(parent: int) -> None:
    """The portable fallback: a daemon thread that ends this process once its parent is no
    longer ``parent``."""
    def look() -> None:
        while os.getppid() == parent:
            time.sleep(POLL_S)
        _die()

    threading.Thread(target=look, name="tqcheck-parent-watch", daemon=True).start()


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)
