"""The model stage of the pipeline, for one document: sentence fluency, unexpected words, and
suggestions ranked by the model.

It runs after the rules and checks, on their findings in text offsets.  A model finding on the
same words as another finding is not reported twice: the other finding's confidence rises
instead (two independent witnesses), and its severity stays the rule's.  When the model cannot be
used (a package missing, a corrupt file, no memory) the stage warns once (``ModelWarning``, which
the CLI prints as one line), turns the model off for the rest of the run and returns the findings
as they were: the check goes on with rules only.
"""
from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

from ..core.document import WORD, Document
from ..core.findings import Finding
from . import awkward, rerank, spans
from .calibration import calibration
from .failures import ModelUnavailable, ModelWarning
from .loader import load
from .scorer import LanguageModel
from .sentences import FileFluency, measure
from .surprisal import NON_FINITE, all_finite

if TYPE_CHECKING:
    from ..core.results import Options

#: A spelling neighbour is offered when its sentence is at least this much likelier (nats).
MIN_GAIN = 3.0


def run(items: list[tuple[Document, list[Finding]]], options: "Options", model: str,
        lang: str) -> list[tuple[list[Finding], FileFluency | None]]:
    """For each ``(document, findings)`` of a ``lang`` text: the findings plus those of ``model``,
    with ranked suggestions, and the document's fluency (None when the model is off)."""
    if options.model is None:  # turned off by an earlier failure in this run
        return [(found, None) for _, found in items]
    try:
        return apply_many(load(model), items, lang, options.disabled, options.model_findings)
    except ModelUnavailable as exc:
        warnings.warn(f"fluency model off, rules only: {exc}", ModelWarning, stacklevel=2)
        options.model = None
        return [(found, None) for _, found in items]


def apply(model: LanguageModel, doc: Document, found: list[Finding], lang: str,
          disabled: frozenset[str] = frozenset(), shown: str = "all") -> tuple[list[Finding], FileFluency | None]:
    """The stage with a loaded model, for one document (every word finding unless ``shown``
    says ``likely``: tests and benchmarks look at the model's raw judgement)."""
    ((out, fluency),) = apply_many(model, [(doc, found)], lang, disabled, shown)
    return out, fluency


def apply_many(model: LanguageModel, items: list[tuple[Document, list[Finding]]], lang: str,
               disabled: frozenset[str] = frozenset(),
               shown: str = "likely") -> list[tuple[list[Finding], FileFluency | None]]:
    """The stage with a loaded model: the sentences of every document scored in one batched call
    (short documents fill the batches together), the candidates of every finding in a second.
    ``shown``: ``likely`` keeps only the word findings ``spans.likely`` accepts, ``all`` keeps all.
    Each text is scored on its own, so a document's findings and scores do not depend on the
    documents beside it."""
    constants = calibration(model.name, lang)
    sentences = [[s for s in doc.sentences if WORD.search(doc.text, s.start, s.end)] for doc, _ in items]
    texts = [doc.text[s.start:s.end] for (doc, _), mine in zip(items, sentences) for s in mine]
    # The corrected sentences of rule findings do not depend on the scores: scored in this call,
    # they share its forward passes (the seed: 8 rather than 11) and the rerank finds them scored.
    candidates = [t for doc, found in items for f in found if len(f.suggestions) > 1 and _shown(doc, f)
                  for t in rerank.job(doc, f, f.suggestions).sentences]
    flat = model.score(texts + candidates)[:len(texts)]
    out: list[tuple[list[Finding], FileFluency | None]] = []
    jobs, model_findings = [], []
    terms: dict[int, spans.Terms] = {}  # id(finding) → its document's terms
    for (doc, found), mine in zip(items, sentences):
        scores, flat = flat[:len(mine)], flat[len(mine):]
        if not all_finite(v for t in scores for v in (*t.surprisal, *t.entropy)):
            warnings.warn(NON_FINITE, ModelWarning, stacklevel=2)  # once: same text, same place
            out.append((found, None))  # this file with rules only, never a NaN score
            continue
        fluency = measure(doc, mine, scores, model.name, model.precision, constants.center)
        new: list[Finding] = []
        if spans.UNEXPECTED.id not in disabled:
            found, new = agree(found, spans.findings(doc, mine, scores, constants, lang))
        jobs += [rerank.job(doc, f, f.suggestions) for f in found if len(f.suggestions) > 1 and _shown(doc, f)]
        doc_terms = spans.document_terms(doc.text) if new and shown != "all" else None
        for f in new:
            candidates = spans.neighbours(f.text, lang)
            if candidates and _shown(doc, f) and (doc_terms is None or _may_be_likely(f, candidates, lang, doc_terms)):
                jobs.append(rerank.job(doc, f, candidates, min_gain=MIN_GAIN))
        model_findings += new
        if doc_terms is not None:
            terms.update((id(f), doc_terms) for f in new)
        awkward_sentences = [] if awkward.AWKWARD.id in disabled else \
            awkward.findings(doc, mine, scores, constants.center)
        out.append((found + new + awkward_sentences, fluency))
    ranked = {id(j.finding): f for j, f in zip(jobs, rerank.rank(model, jobs))}
    model_ids = {id(f) for f in model_findings}
    settled = []
    for found, file_fluency in out:
        kept = []
        for f in found:
            final = ranked.get(id(f), f)
            if id(f) in model_ids:  # a word the model flags offers a fix once it has a suggestion
                final = final.evolve(fix=spans.UNEXPECTED.fix if final.suggestions else None)
                if shown != "all" and not spans.likely(final, lang, terms[id(f)]):
                    continue
            kept.append(final)
        settled.append((kept, file_fluency))
    return settled


def _may_be_likely(finding: Finding, candidates: list[str], lang: str, terms: spans.Terms) -> bool:
    """Whether the word finding could pass ``spans.likely`` once ranked.  The rerank keeps some of
    ``candidates`` or none, so a finding that fails even with all of them (a common word, an
    identifier, a word the document writes as code) is hidden whatever the model says, and
    ranking it is wasted: on BBC news articles every word finding sent to the rerank was such a
    word."""
    return spans.likely(finding.evolve(suggestions=tuple(candidates)), lang, terms)


def _shown(doc: Document, finding: Finding) -> bool:
    """Whether ``finding`` can reach the output: a finding in a part of the file that is never
    checked (code, markup) is dropped later, so ranking its suggestions is wasted work."""
    return not doc.is_ignored(finding.start, finding.end)


def agree(found: list[Finding], model_findings: list[Finding]) -> tuple[list[Finding], list[Finding]]:
    """The findings, those the model flags too more confident, and the model findings that no
    other finding covers."""
    confidence = [f.confidence for f in found]
    out = []
    for m in model_findings:
        covering = [i for i, f in enumerate(found) if f.start < m.end and m.start < f.end]
        for i in covering:
            confidence[i] = 1.0 - (1.0 - confidence[i]) * (1.0 - m.confidence)
        if not covering:
            out.append(m)
    return [f if c == f.confidence else f.evolve(confidence=c) for f, c in zip(found, confidence)], out
