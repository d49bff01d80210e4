"""How many cores this process may use, and how many other programs leave free right now.

Apart from :mod:`tqcheck.runner` (which re-exports both) so that the model loader can size torch's
threads without importing the runner, which imports the pipeline, which imports the model.
"""
from __future__ import annotations

import os
import time


def usable_cores() -> int:
    """The cores this process may run on (its affinity mask, which containers and ``taskset``
    narrow), the default of ``--jobs``."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def free_cores() -> int:
    """Torch threads for a process that runs alone: the usable cores less those that other
    programs keep busy right now, at least one.

    "Busy" is the kernel's count of runnable threads (``/proc/loadavg``, this one excluded),
    the median of a few samples 10 ms apart: an instant view, where the load average would take
    a minute to notice a job that just started.  An OpenMP thread that shares its core with a
    busy process stalls every barrier of the others: 2 threads beside one busy process ran at 70
    tokens/s, 1 thread at 240 (docs/decisions.md)."""
    cores = usable_cores()
    try:
        samples = []
        for n in range(5):
            with open("/proc/loadavg", encoding="ascii") as f:
                samples.append(int(f.read().split()[3].split("/")[0]) - 1)
            if n < 4:
                time.sleep(0.01)
    except (OSError, ValueError, IndexError):  # not Linux: trust the affinity mask
        return cores
    return max(cores - sorted(samples)[len(samples) // 2], 1)
