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

from ..document import WORD, Document
from ..findings import Finding
from . import rerank, spans
from .calibration import calibration
from .model import ModelUnavailable, ModelWarning, load
from .scorer import LanguageModel
from .sentences import FileFluency, measure

if TYPE_CHECKING:
    from ..pipeline import Options

#: A spelling neighbour is offered when its sentence is at least this much likelier (nats).
MIN_GAIN = 3.0


def run(doc: Document, found: list[Finding], options: "Options", model: str,
        lang: str) -> tuple[list[Finding], FileFluency | None]:
    """``found`` plus the findings of ``model`` on a ``lang`` text, with ranked suggestions; and
    the document's fluency."""
    try:
        return apply(load(model), doc, found, lang, options.disabled)
    except ModelUnavailable as exc:
        warnings.warn(f"fluency model off, rules only: {exc}", ModelWarning, stacklevel=2)
        options.model = None
        return found, None


def apply(model: LanguageModel, doc: Document, found: list[Finding], lang: str,
          disabled: frozenset[str] = frozenset()) -> tuple[list[Finding], FileFluency]:
    """The stage with a loaded model: every sentence scored in one batched call, the candidates of
    every finding in a second."""
    constants = calibration(model.name, lang)
    sentences = [s for s in doc.sentences if WORD.search(doc.text, s.start, s.end)]
    scores = model.score([doc.text[s.start:s.end] for s in sentences])
    fluency = measure(doc, sentences, scores, model.name, model.precision, constants.center)
    new = [] if spans.UNEXPECTED.id in disabled else \
        agree(found, spans.findings(doc, sentences, scores, constants, lang))
    jobs = [rerank.job(doc, f, f.suggestions) for f in found if len(f.suggestions) > 1]
    for f in new:
        candidates = spans.neighbours(f.text, lang)
        if candidates:
            jobs.append(rerank.job(doc, f, candidates, min_gain=MIN_GAIN))
    rerank.rank(model, jobs)
    for f in new:
        f.fix = spans.UNEXPECTED.fix if f.suggestions else None
    return found + new, fluency


def agree(found: list[Finding], model_findings: list[Finding]) -> list[Finding]:
    """The model findings that no other finding covers; the covering ones gain confidence."""
    out = []
    for m in model_findings:
        covering = [f for f in found if f.start < m.end and m.start < f.end]
        for f in covering:
            f.confidence = 1.0 - (1.0 - f.confidence) * (1.0 - m.confidence)
        if not covering:
            out.append(m)
    return out
