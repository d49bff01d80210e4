"""Order a finding's candidate fixes by how likely the model finds the corrected sentence.

The candidates come from rule tables (``sortie`` → trip, outing, foray), name variants and
spelling neighbours.  Each is put in place in its sentence and the sentences are scored together;
the lowest *total* surprisal wins.  Totals, not means per token: the sentences differ only where
the fix goes, and a fix that splits into more tokens ("Poutin" is three) must not be favoured for
spreading its cost.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Sequence

from ..core.document import Document
from ..core.findings import Finding
from .scorer import LanguageModel

#: Candidates of one finding put to the model, the first of its list (a rule's table lists the
#: likeliest first): the work of a finding stays bounded however long its table is.
MAX_RANKED = 8


@dataclass
class Job:
    """The candidates of one finding, each as the sentence it would make."""

    finding: Finding
    candidates: list[str]
    sentences: list[str]
    #: The sentence as written.
    original: str
    #: Keep only candidates whose sentence beats the original by this many nats (None: keep all):
    #: a correction the model does not prefer to the text is no correction.
    min_gain: float | None = None
    #: Candidates beyond :data:`MAX_RANKED`, kept after the ranked ones in their own order.
    unranked: list[str] = field(default_factory=list)


def job(doc: Document, finding: Finding, candidates: Sequence[str], min_gain: float | None = None) -> Job:
    """Corrected versions of the sentence around ``finding`` (text offsets)."""
    sentence = doc.sentence_at(finding.start)
    start, end = min(sentence.start, finding.start), max(sentence.end, finding.end)
    before, after = doc.text[start:finding.start], doc.text[finding.end:end]
    ranked, rest = list(candidates[:MAX_RANKED]), list(candidates[MAX_RANKED:])
    return Job(finding, ranked, [before + c + after for c in ranked], doc.text[start:end], min_gain,
               rest if min_gain is None else [])


def rank(model: LanguageModel, jobs: list[Job]) -> list[Finding]:
    """Each job's finding with its ``suggestions`` the job's candidates, most likely first."""
    texts = [t for j in jobs for t in ([j.original] if j.min_gain is not None else []) + j.sentences]
    totals = iter([t.total for t in model.score(texts)])
    out = []
    for j in jobs:
        limit = next(totals) - j.min_gain if j.min_gain is not None else float("inf")
        scored = [(next(totals), i, c) for i, c in enumerate(j.candidates)]
        before = j.finding.suggestions[0] if j.finding.suggestions else None
        ranked = replace(j.finding, suggestions=(*(c for total, _, c in sorted(scored) if total < limit),
                                                 *j.unranked))
        out.append(retell(ranked, before))
    return out


def retell(finding: Finding, before: str | None) -> Finding:
    """Name the new first suggestion where the message named the old one ("English writes
    “for”" above ``→ during | for``), so that the message and the fix shown first agree."""
    if before is None or not finding.suggestions or finding.suggestions[0] == before:
        return finding
    quoted = f"“{before}”"
    head, found, tail = finding.message.rpartition(quoted)
    if found:
        return finding.evolve(message=f"{head}“{finding.suggestions[0]}”{tail}")
    return finding
