"""Which of many spans a span overlaps, by bisection: the ignored spans of a document (Markdown
code, URLs) against each finding, the suppressed regions of a file against each finding.

Walking every span for each finding made a page with a span and a finding on every line
quadratic (272 KB of Markdown took 15 s; 296 KB with a suppression comment per paragraph, 4 s).
"""
from __future__ import annotations

import bisect
from collections.abc import Iterable
from itertools import accumulate


class Intervals:
    """Spans ``[start, end)``, in any order and overlapping or not, asked whether any overlaps a
    span: of those starting before its end (a bisection), the furthest end must pass its start.
    A question costs a bisection whatever the number of spans."""

    __slots__ = ("_furthest", "_starts")

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._starts = [start for start, _ in ordered]
        #: The furthest end among the first ``i + 1`` spans in order.
        self._furthest = list(accumulate((end for _, end in ordered), max))

    def overlaps(self, start: int, end: int) -> bool:
        """Whether some span ``s, e`` has ``s < end`` and ``start < e``."""
        i = bisect.bisect_left(self._starts, end)
        return i > 0 and self._furthest[i - 1] > start

    def holds(self, offset: int) -> bool:
        """Whether a span holds ``offset`` (``s <= offset < e``)."""
        return self.overlaps(offset, offset + 1)
