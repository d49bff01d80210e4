"""Inline suppressions: comments in Markdown and HTML that silence rules for a stretch of the file.

    <!-- tqcheck-disable fr-en/ordinal, tq/name-variant -->  …  <!-- tqcheck-enable -->
    <!-- tqcheck-disable -->                    every rule, until tqcheck-enable or the end
    <!-- tqcheck-disable-next-line RULES -->    only the line after the comment

A rule is named by its id or its pack (``fr-en``).  Writers put the exception where it is, next to
the text, so it moves with the text; a baseline (``baseline.py``) is for findings nobody marked.
Plain text has no comments and so no suppressions.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .document import Document
from .findings import Finding
from .rules.selectors import selects

_DIRECTIVE = re.compile(r"\s*tqcheck-(disable-next-line|disable|enable)\b(.*)", re.S)
ALL = "*"


@dataclass(frozen=True)
class Region:
    """Findings of rules matching ``selector`` that start in ``content[start:end]`` are dropped."""

    start: int
    end: int
    selector: str

    def covers(self, finding: Finding) -> bool:
        return self.start <= finding.start < self.end and (
            self.selector == ALL or selects(self.selector, finding.rule)
        )


def _selectors(args: str) -> list[str]:
    return [s for s in re.split(r"[\s,]+", args.strip()) if s] or [ALL]


def regions(doc: Document) -> list[Region]:
    """The suppressed regions of ``doc``, from its comments, in file offsets."""
    out: list[Region] = []
    open_at: dict[str, int] = {}
    content = doc.content
    for offset, body in doc.comments:
        m = _DIRECTIVE.fullmatch(body)
        if m is None:
            continue
        kind, names = m.group(1), _selectors(m.group(2))
        if kind == "disable-next-line":
            end_of_comment = content.find("-->", offset)
            line_start = content.find("\n", end_of_comment if end_of_comment >= 0 else offset) + 1
            if line_start:
                line_end = content.find("\n", line_start)
                out.extend(Region(line_start, line_end if line_end >= 0 else len(content), s) for s in names)
        elif kind == "disable":
            for s in names:
                open_at.setdefault(s, offset)
        else:
            for s in list(open_at) if names == [ALL] else names:
                if s in open_at:
                    out.append(Region(open_at.pop(s), offset, s))
    out.extend(Region(start, len(content), s) for s, start in open_at.items())
    return out


def apply(doc: Document, findings: list[Finding]) -> list[Finding]:
    """``findings`` (in file offsets) without the suppressed ones."""
    found = regions(doc)
    if not found:
        return findings
    return [f for f in findings if not any(r.covers(f) for r in found)]
