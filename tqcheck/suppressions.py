"""Inline suppressions: directives in the file that silence rules where the exception is.

Markdown and HTML, in comments:

    <!-- tqcheck-disable fr-en/ordinal, tq/name-variant -->  …  <!-- tqcheck-enable -->
    <!-- tqcheck-disable -->                    every rule, until tqcheck-enable or the end
    <!-- tqcheck-disable-next-line RULES -->    only the line after the comment

Plain text has no comments, so a directive is a line of its own holding only the directive
(``tqcheck-disable-next-line fr-en/ordinal``); the same three kinds apply, and the directive
line itself is never checked.  A line of prose that merely starts with the word does not count:
the rest of the line must be rule names.

PO, in a translator comment of the entry (``# tqcheck-disable fr-en/ordinal``), and XLIFF, in a
note of the unit (``<note>tqcheck-disable fr-en/ordinal</note>``): the rules are silenced in that
entry or unit only, the way translators annotate one string.

A rule is named as everywhere else (``rules/selectors.py``: id, pack, family, prefix).  A name
that matches no rule is an input error (exit 2), never silently ignored: a typo would otherwise
let the finding through.  Writers put the exception next to the text, so it moves with the text;
a baseline (``baseline.py``) is for findings nobody marked.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Iterator

from .core.document import Document
from .core.errors import InputError
from .core.findings import Finding
from .core.intervals import Intervals
from .rules.selectors import did_you_mean, names, selects

_KINDS = r"tqcheck-(disable-next-line|disable|enable)\b"
_DIRECTIVE = re.compile(rf"\s*{_KINDS}(.*)", re.S)
#: A plain-text directive: alone on its line, followed only by rule names.
_TXT_LINE = re.compile(rf"^[ \t]*{_KINDS}([ \t]+[\w/*,. \t-]*)?[ \t]*$", re.M)
_PO_COMMENT = re.compile(rf"^#[ \t]+{_KINDS}([^\n]*)$", re.M)
_XLIFF_NOTE = re.compile(rf"<note\b[^>]*>\s*{_KINDS}([^<]*)</note>")
_XLIFF_UNIT = re.compile(r"<(?:trans-unit|unit)\b")
_XLIFF_UNIT_END = re.compile(r"</(?:trans-unit|unit)>")
#: Every place a PO entry can end: a blank line (a lookahead, so that each is found).
_PO_ENTRY_END = re.compile(r"(?=\n[ \t]*\n)")
ALL = "*"
#: Termbase rules exist only in runs with a termbase, so their names are not checked here.
_UNCHECKED_PACKS = ("termbase",)


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


@dataclass(frozen=True)
class Directive:
    """A directive with what its region needs of the text around it, so that the regions of a
    file read a chunk at a time (``streaming.py``) are found from its chunks' directives."""

    offset: int  # where the directive starts in the file
    end: int  # where it ends (the end of its comment, line or note)
    kind: str
    selectors: list[str]
    #: The line after it (``disable-next-line``), None at the end of the file.
    next_line: tuple[int, int] | None = None
    #: The PO entry or XLIFF unit that holds it.
    unit: tuple[int, int] | None = None

    def shifted(self, delta: int) -> "Directive":
        """The directive of a chunk that starts ``delta`` characters into the file."""
        def move(span: tuple[int, int] | None) -> tuple[int, int] | None:
            return None if span is None else (span[0] + delta, span[1] + delta)

        return replace(self, offset=self.offset + delta, end=self.end + delta, next_line=move(self.next_line),
                       unit=move(self.unit))


def _selectors(args: str) -> list[str]:
    return [s for s in re.split(r"[\s,]+", args.strip()) if s] or [ALL]


def _line_end(content: str, at: int) -> int:
    end = content.find("\n", at)
    return len(content) if end < 0 else end


def _found(doc: Document) -> Iterator[tuple[int, int, str, str]]:
    """``(offset, end, kind, arguments)`` of the directives of ``doc`` in file order, whatever its
    format writes them in."""
    content = doc.content
    if doc.format in ("md", "html"):
        for offset, body in doc.comments:
            m = _DIRECTIVE.fullmatch(body)
            if m is not None:
                close = content.find("-->", offset)
                yield offset, close + 3 if close >= 0 else offset, m.group(1), m.group(2)
        return
    pattern = {"txt": _TXT_LINE, "po": _PO_COMMENT, "xliff": _XLIFF_NOTE}.get(doc.format)
    for m in pattern.finditer(content) if pattern else ():
        yield m.start(), m.end(), m.group(1), m.group(2) or ""


def directives(doc: Document) -> list[Directive]:
    """The directives of ``doc`` in file order, with the line or unit each one's region needs."""
    out = []
    content = doc.content
    units = _Units(doc) if doc.format in ("po", "xliff") else None
    for offset, end, kind, args in _found(doc):
        line_start = content.find("\n", end) + 1
        next_line = (line_start, _line_end(content, line_start)) if line_start else None
        unit = units.around(offset) if units is not None else None
        out.append(Directive(offset, end, kind, _selectors(args), next_line, unit))
    return out


class _Units:
    """Where the PO entries or XLIFF units of a file start and end, read once: a file with a
    directive in every unit searched the file from its start for each (quadratic)."""

    def __init__(self, doc: Document) -> None:
        self._po = doc.format == "po"
        self._length = len(doc.content)
        #: XLIFF: where units open; where units (PO: entries, at a blank line) close, and end.
        self._opens = [] if self._po else [m.start() for m in _XLIFF_UNIT.finditer(doc.content)]
        closes = _PO_ENTRY_END if self._po else _XLIFF_UNIT_END
        self._closes = [(m.start(), m.end()) for m in closes.finditer(doc.content)]

    def around(self, at: int) -> tuple[int, int]:
        """The PO entry or XLIFF unit holding the directive at ``at``, in file offsets."""
        after = bisect.bisect_left(self._closes, (at,))  # the first close at or after it
        if self._po:
            return at, self._closes[after][0] if after < len(self._closes) else self._length
        before = bisect.bisect_left(self._opens, at)  # the units opened before it
        start = self._opens[before - 1] if before else 0
        return start, self._closes[after][1] if after < len(self._closes) else self._length


def regions(doc: Document) -> list[Region]:
    """The suppressed regions of ``doc``, in file offsets.  A directive naming no rule that
    exists raises :class:`InputError`."""
    found = directives(doc)
    check_names(doc, found)
    return regions_of(found, doc.format, len(doc.content))


def regions_of(found: list[Directive], fmt: str, length: int) -> list[Region]:
    """The suppressed regions that the directives ``found`` of a file of format ``fmt`` and
    ``length`` characters open, in file order of their directives."""
    out: list[Region] = []
    open_at: dict[str, int] = {}
    for d in found:
        if fmt == "txt":  # the directive line is not prose
            out.append(Region(d.offset, d.end, ALL))
        if fmt in ("po", "xliff"):
            if d.kind != "enable" and d.unit is not None:
                out.extend(Region(*d.unit, s) for s in d.selectors)
        elif d.kind == "disable-next-line":
            if d.next_line is not None:
                out.extend(Region(*d.next_line, s) for s in d.selectors)
        elif d.kind == "disable":
            for s in d.selectors:
                open_at.setdefault(s, d.offset)
        else:
            for s in list(open_at) if d.selectors == [ALL] else d.selectors:
                if s in open_at:
                    out.append(Region(open_at.pop(s), d.offset, s))
    out.extend(Region(start, length, s) for s, start in open_at.items())
    return out


@lru_cache(maxsize=None)
def _known() -> frozenset[str]:
    from .checks import rules

    return frozenset(r.id for r in rules())


def check_names(doc: Document, found: list[Directive]) -> None:
    """Raise :class:`InputError` for the first directive of ``found`` (in ``doc``) that names no
    rule or pack that exists."""
    known = _known()
    named: set[str] = set()  # selectors seen to name a rule (a file repeats its directives)
    for d in found:
        for selector in d.selectors:
            if selector == ALL or selector.split("/", 1)[0] in _UNCHECKED_PACKS or selector in named:
                continue
            if any(selects(selector, rule_id) for rule_id in known):
                named.add(selector)
            else:
                line, _ = doc.line_column(d.offset)
                raise InputError(doc.path, f"line {line}: tqcheck-{d.kind} names unknown rule or pack "
                                 f"{selector!r}{did_you_mean(selector, names(known))}")


def apply(doc: Document, findings: list[Finding]) -> list[Finding]:
    """``findings`` (in file offsets) without the suppressed ones."""
    found = regions(doc)
    if not found:
        return findings
    suppressed = Suppressed(found)
    return [f for f in findings if not suppressed.covers(f)]


class Suppressed:
    """The regions of a file, asked whether one covers a finding (:meth:`Region.covers`) by a
    bisection per selector that selects its rule, not a walk over every region: a page with a
    suppression comment and a finding in every paragraph was quadratic.  Selectors name rules,
    packs or files of them (``check_names``), so a finding meets a bounded number of them."""

    def __init__(self, regions: list[Region]) -> None:
        spans: dict[str, list[tuple[int, int]]] = {}
        for r in regions:
            spans.setdefault(r.selector, []).append((r.start, r.end))
        self._regions = {selector: Intervals(found) for selector, found in spans.items()}
        self._selectors: dict[str, list[Intervals]] = {}  # rule → the regions of its selectors

    def covers(self, finding: Finding) -> bool:
        mine = self._selectors.get(finding.rule)
        if mine is None:
            mine = self._selectors[finding.rule] = [
                regions for selector, regions in self._regions.items()
                if selector == ALL or selects(selector, finding.rule)]
        return any(regions.holds(finding.start) for regions in mine)
