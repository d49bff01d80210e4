"""Brackets, quotation marks, inline tags and placeholders that do not match the source.

Compared per unit (an XLIFF/PO/TSV unit, or an aligned paragraph), since a parenthesis may span
sentences.  Brackets and quotation marks are reported when the target leaves one open or closes one
that was never opened while its source is balanced (pointing at the lone mark), or when a pair of
the source is missing.  Inline codes (XLIFF ``<g>``, ``<x/>``, ``<pc>``, ...) and, in bilingual files,
placeholders (``%s``, ``%(name)d``, ``{0}``) and HTML tags must all come back: software breaks
without them.
"""
from __future__ import annotations

import re
from collections import Counter

from ..core.bilingual import Unit
from ..core.document import Document
from ..core.findings import Finding, Severity
from ..core.segments import Segment
from .base import CheckContext, CheckRule

BRACKETS = CheckRule(
    id="tq/source-brackets",
    category="linguistic-conventions/punctuation",
    severity=Severity.MINOR,
    message="Brackets or quotation marks do not match the source",
    why=(
        "A bracket or quotation mark is left open, or closes one never opened, where the source "
        "is balanced; or a pair of the source was lost: the reader cannot tell where the aside or "
        "the quotation ends."
    ),
    examples={
        "flag": [{"text": "Reintegration shock occurs earlier [[(]]the honeymoon phase is shorter.",
                  "source": "Le choc de réinsertion se produit plus tôt (la phase de lune de miel est moins longue)."}],
        "pass": [{"text": "Reintegration shock occurs earlier (the honeymoon phase is shorter).",
                  "source": "Le choc de réinsertion se produit plus tôt (la phase de lune de miel est moins longue)."},
                 {"text": "Resist the temptation to remove \"just one.\"",
                  "source": "Résistez à la tentation d'en retirer ne serait-ce qu'« une seule »."}],
    },
)
TAGS = CheckRule(
    id="tq/source-tags",
    category="accuracy/omission",
    severity=Severity.MAJOR,
    message="Tags or placeholders do not match the source",
    why=(
        "Inline tags and placeholders carry formatting, links and values that software fills in; "
        "a missing or extra one breaks the display or the program at run time."
    ),
    examples={
        "flag": [{"text": "[[Deleted files]]", "source": "%d fichiers supprimés", "format": "tsv"}],
        "pass": [{"text": "%d files deleted", "source": "%d fichiers supprimés", "format": "tsv"}],
    },
)
RULES = (BRACKETS, TAGS)
#: Runs only when the translation comes with its source (checks/base.py).
NEEDS = ("source",)

_PAIRS = {"(": ")", "[": "]", "{": "}", "«": "»", "“": "”"}
_CLOSING = {v: k for k, v in _PAIRS.items()}
_MARKS = re.compile(r"[()\[\]{}«»“”\"]")
#: printf and brace placeholders, and HTML/XML tags, in the strings of software (PO files).
_PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[-+#0]*\d*(?:\.\d+)?[sdifuxXoeEgGc]|\{\w*\}|</?[A-Za-z][\w:-]*[^<>]*>")
#: What every placeholder starts with.
_PLACEHOLDER_START = re.compile(r"[%{<]")


def run(doc: Document, ctx: CheckContext) -> list[Finding]:
    if doc.bilingual is None:
        return []
    out: list[Finding] = []
    for unit in doc.bilingual.units:
        if unit.target.end > unit.target.start and unit.source.strip():
            out.extend(_brackets(doc, unit))
            out.extend(_tags(doc, unit))
    return out


def _lone_marks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of brackets and quotation marks in ``text[start:end]`` that have no partner."""
    stack: list[tuple[str, int]] = []
    lone: list[tuple[int, int]] = []
    straight: list[int] = []
    for m in _MARKS.finditer(text, start, end):
        mark = m.group()
        if mark == '"':
            straight.append(m.start())
        elif mark in _PAIRS:
            stack.append((mark, m.start()))
        elif stack and stack[-1][0] == _CLOSING[mark]:
            stack.pop()
        else:
            lone.append((m.start(), m.end()))
    lone += [(pos, pos + 1) for _, pos in stack]
    if len(straight) % 2:
        lone.append((straight[-1], straight[-1] + 1))
    return sorted(lone)


def _pair_count(text: str) -> int:
    return sum(text.count(o) for o in _PAIRS) + text.count('"') // 2


def _brackets(doc: Document, unit: Unit) -> list[Finding]:
    if _lone_marks(unit.source, 0, len(unit.source)):
        return []  # an unbalanced source: the translation may follow it
    lone = _lone_marks(doc.text, unit.target.start, unit.target.end)
    if lone:
        return [BRACKETS.finding(doc, s, e, message=f"“{doc.text[s:e]}” has no partner, in a source that is balanced")
                for s, e in lone]
    if _MARKS.search(unit.source) is None:
        return []  # no pair in the source to lose
    target = doc.text[unit.target.start:unit.target.end]
    if _pair_count(target) < _pair_count(unit.source):
        return [BRACKETS.finding(doc, unit.target.start, unit.target.end, confidence=0.6,
                                 message="A pair of brackets or quotation marks of the source is missing")]
    return []


def _tags(doc: Document, unit: Unit) -> list[Finding]:
    target = doc.text[unit.target.start:unit.target.end]
    software = doc.format in ("xliff", "po", "tsv")  # software strings, where placeholders matter
    if not (unit.source_codes or unit.target_codes or (
            software and (_PLACEHOLDER_START.search(unit.source) or _PLACEHOLDER_START.search(target)))):
        return []  # most units: no tag and no placeholder on either side
    source_codes, target_codes = Counter(unit.source_codes), Counter(unit.target_codes)
    spans: dict[str, list[Segment]] = {}
    if software:
        source_codes += Counter(_PLACEHOLDER.findall(unit.source))
        for m in _PLACEHOLDER.finditer(target):
            target_codes[m.group()] += 1
            spans.setdefault(m.group(), []).append(Segment(unit.target.start + m.start(), unit.target.start + m.end()))
    out: list[Finding] = []
    missing = source_codes - target_codes
    if missing:
        out.append(TAGS.finding(doc, unit.target.start, unit.target.end,
                                message=f"Missing from the target: {', '.join(sorted(missing.elements()))}"))
    for code in sorted((target_codes - source_codes).elements()):
        where = spans.get(code, [unit.target])[-1]
        out.append(TAGS.finding(doc, where.start, where.end, message=f"“{code}” is not in the source"))
    return out
