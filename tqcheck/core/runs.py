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
from .findings import Finding, Fix, Span

#: What may stand between two parts of a run: spaces or tabs; between two parts that offer no
#: fix, also up to three marks (neither word characters nor line breaks), because a rule that
#: flags a mark with the spaces around it leaves every other mark of ``" " " "`` between its
#: findings, which are all one slip.
_GAP = re.compile(r"[ \t]*")
_MARKS = re.compile(r"[ \t]*(?:[^\w\s][ \t]*){0,3}")


def merge_runs(doc: Document, findings: Iterable[Finding]) -> list[Finding]:
    """``findings`` (in ``doc.text`` offsets, of any rules) with each run of one rule made one
    finding, in text order; a finding alone is returned as it is."""
    runs: list[list[Finding]] = []
    last: dict[str, tuple[int, int]] = {}  # rule → (index in runs, end of its last run)
    text = doc.text
    for f in sorted(findings, key=_order):
        span = f.text_span
        index, end = last.get(f.rule, (-1, -1))
        if span.end <= end:
            continue  # nested in the rule's last run
        if index >= 0 and span.start >= end and _joins(doc, text, runs[index][-1], f):
            runs[index].append(f)
        else:
            index = len(runs)
            runs.append([f])
        last[f.rule] = (index, span.end)
    return [parts[0] if len(parts) == 1 else _merged(text, parts) for parts in runs]


def _order(f: Finding) -> tuple[int, int]:
    """Text order, a span before those nested in it."""
    return f.text_span.start, -f.text_span.end


def _joins(doc: Document, text: str, before: Finding, after: Finding) -> bool:
    """Whether ``after`` continues the run that ends with ``before``: only spaces or tabs between
    them (:data:`_MARKS` where neither offers a fix), in one sentence (two sentences of page
    furniture are two findings), written so in the file too (no markup between)."""
    end, start = before.text_span.end, after.text_span.start
    gap = (_MARKS if not (before.suggestions or after.suggestions) else _GAP).match(text, end, start)
    if gap is None or gap.end() != start or doc.sentence_at(end - 1) is not doc.sentence_at(start):
        return False
    if doc.offset_map is None:
        return True
    return doc.content[doc.offset_map.end(end):doc.offset_map.start(start)] == gap.group()


def _merged(text: str, parts: list[Finding]) -> Finding:
    """One finding over ``parts`` (sorted, each touching the one before or a gap of spaces after
    it), its fix the parts' fixes applied to the stretch, its message the first part's with how
    many findings it stands for."""
    start = reach = parts[0].text_span.start
    pieces: list[str] = []  # the suggestion, built part by part
    deletions = replacements = 0
    kinds: set[Fix | None] = set()
    fixable, separate = True, 1
    for p in parts:
        span = p.text_span
        separate += span.start > reach
        if not p.suggestions:
            fixable = False
        elif fixable:
            pieces += [text[reach:span.start], p.suggestions[0]]
            deletions += p.suggestions[0] == ""
            replacements += p.suggestions[0] != ""
        kinds.add(p.fix)
        reach = span.end
    end = reach
    fixable = fixable and not (deletions and replacements)
    suggestion = "" if fixable and deletions else "".join(pieces)
    first = parts[0]
    message = first.message if separate == 1 else f"{first.message} ({separate} in a row)"
    return first.evolve(
        severity=max(p.severity for p in parts), message=message, text_span=Span(start, end, text[start:end]),
        suggestions=(suggestion,) if fixable else (), confidence=min(p.confidence for p in parts),
        fix=_weakest(kinds) if fixable else None,
    )


def _weakest(fixes: set[Fix | None]) -> Fix | None:
    """The fix a run may take: none if a part takes none, unsafe if a part's is unsafe."""
    if None in fixes:
        return None
    return Fix.UNSAFE if Fix.UNSAFE in fixes else Fix.SAFE
