"""The cyclic garbage collector paused while a stage allocates many small objects.

Reading a document with markup, running the rules and locating findings allocate a few small
objects per finding or per tag (on some inputs one every few characters) and make no reference
cycles worth collecting.  The collections their allocations trigger cost a tenth of such a check
(bench_adversarial.py; docs/decisions.md), so these stages run with the collector paused.
"""
from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """The collector off for the ``with`` block.  Whatever cycles the block leaves are collected
    by the next collection after it; nested use keeps it off until the outermost block ends."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
