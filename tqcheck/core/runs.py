"""Runs of findings: one finding for a stretch of text that one rule flags piece after piece.

A rule that fires on every piece of a run (a long run of digit groups matched in capped pieces,
``" " " "``, a line of damaged words) would otherwise report a finding every few characters: a
report nobody reads, and a cost per finding in every later stage.  Findings of one rule whose
spans touch or are separated only by spaces or tabs are therefore one finding over the whole
stretch (docs/decisions.md says why and where):

* a span nested in another of the same rule adds nothing and is dropped; spans that overlap
  (two keys of one rule, each with its own fix) stay apart;
* parts that touch or have only spaces or tabs between them (or, where neither offers a fix, a
  few marks: ``" " "``) are one; they keep a fix: their first suggestions
  in order with the spaces between kept, or, where every part is a deletion, the deletion of the
  whole stretch (what ``fix`` does with deletions separated by white space anyway).  Applying it
  changes the file exactly as applying the parts would;
* parts of which some delete and some replace keep no fix;
* a run never crosses a sentence end or a line break, nor markup: the text between two parts
  must be written the same in the file, so the stretch lies in one text run
  (``Document.run_around``) where ``fix`` may edit.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from .document import Document
from .findings import Finding, Fix, Severity, Span

#: What may stand between two parts of a run: spaces or tabs; between two parts that offer no
#: fix, also up to three marks (neither word characters nor line breaks), because a rule that
#: flags a mark with the spaces around it leaves every other mark of ``" " " "`` between its
#: findings, which are all one slip.
_GAP = re.compile(r"[ \t]*")
_MARKS = re.compile(r"[ \t]*(?:[^\w\s][ \t]*){0,3}")

#: A part of a run as :func:`_merged` reads it: its span, suggestions, severity, confidence and
#: fix.  Only a run's first part needs a whole :class:`Finding`.
Part = tuple[int, int, tuple[str, ...], Severity, float, "Fix | None"]


def merge_runs(doc: Document, findings: Iterable[Finding]) -> list[Finding]:
    """``findings`` (in ``doc.text`` offsets, of any rules) with each run of one rule made one
    finding, in text order; a finding alone is returned as it is."""
    runs = Runs(doc)
    for f in sorted(findings, key=_order):
        runs.add(f)
    return runs.findings()


class Runs:
    """Runs of findings built as they come, each rule's in text order (any rules interleaved).

    The rule engine adds its hits here as it finds them (``rules/matching.py``): a hit that
    continues its rule's run becomes a :data:`Part` (a tuple) and never a :class:`Finding`, so a
    rule that fires every few characters costs a finding per run, not per hit."""

    def __init__(self, doc: Document) -> None:
        self._doc = doc
        #: Each run: its first finding and its parts.
        self._runs: list[tuple[Finding, list[Part]]] = []
        self._last: dict[str, tuple[int, int]] = {}  # rule → (index in runs, end of its last run)

    def extend(self, rule: str, start: int, end: int, suggestions: tuple[str, ...], severity: Severity,
               confidence: float, fix: Fix | None) -> bool:
        """Add a part of ``rule`` to its last run where it lies nested in it (it adds nothing) or
        continues it; False where it starts a run of its own (:meth:`start` it)."""
        index, last_end = self._last.get(rule, (-1, -1))
        if end <= last_end:
            return True  # nested in the rule's last run
        if index < 0 or start < last_end:
            return False
        parts = self._runs[index][1]
        if not _joins(self._doc, parts[-1], start, suggestions):
            return False
        parts.append((start, end, suggestions, severity, confidence, fix))
        self._last[rule] = (index, end)
        return True

    def start(self, f: Finding) -> None:
        """Start a run with ``f``."""
        span = f.text_span
        self._last[f.rule] = (len(self._runs), span.end)
        self._runs.append((f, [(span.start, span.end, f.suggestions, f.severity, f.confidence, f.fix)]))

    def add(self, f: Finding) -> None:
        span = f.text_span
        if not self.extend(f.rule, span.start, span.end, f.suggestions, f.severity, f.confidence, f.fix):
            self.start(f)

    def findings(self) -> list[Finding]:
        """One finding per run, in the text order of the runs' first parts (a span before those
        nested in it; of two on one span, the one added first)."""
        text = self._doc.text
        ordered = sorted(self._runs, key=lambda run: (run[1][0][0], -run[1][0][1]))
        return [first if len(parts) == 1 else _merged(text, first, parts) for first, parts in ordered]


def _order(f: Finding) -> tuple[int, int]:
    """Text order, a span before those nested in it."""
    return f.text_span.start, -f.text_span.end


def _joins(doc: Document, before: Part, start: int, suggestions: tuple[str, ...]) -> bool:
    """Whether a part at ``start`` continues the run that ends with ``before``: only spaces or tabs
    between them (:data:`_MARKS` where neither offers a fix), in one sentence (two sentences of
    page furniture are two findings), written so in the file too (no markup between)."""
    end = before[1]
    gap = (_MARKS if not (before[2] or suggestions) else _GAP).match(doc.text, end, start)
    if gap is None or gap.end() != start or doc.sentence_at(end - 1) is not doc.sentence_at(start):
        return False
    if doc.offset_map is None:
        return True
    return doc.content[doc.offset_map.end(end):doc.offset_map.start(start)] == gap.group()


def _merged(text: str, first: Finding, parts: list[Part]) -> Finding:
    """One finding over ``parts`` (sorted, each touching the one before or a gap of spaces after
    it), its fix the parts' fixes applied to the stretch, its message the first part's with how
    many findings it stands for."""
    start = reach = parts[0][0]
    pieces: list[str] = []  # the suggestion, built part by part
    deletions = replacements = 0
    kinds: set[Fix | None] = set()
    fixable, separate = True, 1
    for span_start, span_end, suggestions, _, _, fix in parts:
        separate += span_start > reach
        if not suggestions:
            fixable = False
        elif fixable:
            pieces += [text[reach:span_start], suggestions[0]]
            deletions += suggestions[0] == ""
            replacements += suggestions[0] != ""
        kinds.add(fix)
        reach = span_end
    end = reach
    fixable = fixable and not (deletions and replacements)
    suggestion = "" if fixable and deletions else "".join(pieces)
    message = first.message if separate == 1 else f"{first.message} ({separate} in a row)"
    return first.evolve(
        severity=max(p[3] for p in parts), message=message, text_span=Span(start, end, text[start:end]),
        suggestions=(suggestion,) if fixable else (), confidence=min(p[4] for p in parts),
        fix=_weakest(kinds) if fixable else None,
    )


def _weakest(fixes: set[Fix | None]) -> Fix | None:
    """The fix a run may take: none if a part takes none, unsafe if a part's is unsafe."""
    if None in fixes:
        return None
    return Fix.UNSAFE if Fix.UNSAFE in fixes else Fix.SAFE
