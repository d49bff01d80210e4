"""Example markup: ``[[...]]`` in a rule's example marks the span the rule must flag."""
from __future__ import annotations

import re

_MARK = re.compile(r"\[\[(.+?)\]\]")


def example_text(example: str) -> tuple[str, list[tuple[int, int]]]:
    """Strip ``[[ ]]`` markers from an example; returns the text and the marked spans."""
    spans: list[tuple[int, int]] = []
    parts: list[str] = []
    pos = 0
    length = 0
    for m in _MARK.finditer(example):
        parts.append(example[pos:m.start()])
        length += m.start() - pos
        spans.append((length, length + len(m.group(1))))
        parts.append(m.group(1))
        length += len(m.group(1))
        pos = m.end()
    parts.append(example[pos:])
    return "".join(parts), spans
