"""Sentences the model finds far less fluent than text usually is: ``tq/awkward-sentence``.

Word-level findings (``spans.py``) catch a word that does not belong; a sentence built word by
word from another language can be wrong without any single word being unlikely.  Its sentence
fluency (``surprisal.sentence_score``, 50 at the model's calibrated centre for the language) is
then low.  A sentence is reported when its score is below ``MINOR_BELOW`` (major below
``MAJOR_BELOW``) and, in a document of several sentences, also ``DOCUMENT_MARGIN`` points below the
document's median sentence: a text that is hard all through (a legal text, a list of names) is
judged against itself.

The thresholds come from professional MQM annotations of real MT (``benchmarks/eval_mqm.py``
prints, per band of the lowest sentence fluency, the share of translations with no error and the
annotated error rate).  On that data fluent-looking MT is the rule: hardly a sentence falls below
60, and between 60 and 100 a lower fluency does not mean more annotated errors, so a threshold
there would flag clean sentences as often as wrong ones.  The finding is therefore kept for
sentences no edited English reaches, word salad and word-for-word order: below 10, where clean
English news (``benchmarks/eval_clean.py``) almost never reaches.  A sentence of fewer than
``MIN_WORDS`` words is not judged: a heading, a list item or a command synopsis ("pp expression")
gives the model no context, its first tokens are unpredictable anywhere, and such fragments
failed clean documentation prose.  Nor is a sentence mostly of names (:func:`judged`): on clean
news such sentences made most of the model's sentence findings and its one major.
"""
from __future__ import annotations

import statistics

from ..core.document import WORD, Document
from ..core.findings import CheckRule, Finding, Severity, Span
from ..core.segments import Segment
from .scorer import TokenScores
from .surprisal import sentence_score

AWKWARD = CheckRule(
    id="tq/awkward-sentence",
    category="fluency/unnatural",
    severity=Severity.MINOR,
    message="Sentence reads as unnatural (fluency {score:.0f}/100)",
    why=(
        "The fluency model finds this sentence far less likely than edited text of its language, "
        "and than the rest of this document: often a sentence translated word for word, with "
        "words in the source language's order or a construction English does not use. Minor; "
        "major when the sentence's fluency is very low. The thresholds are set from professional "
        "error annotations of machine translation and clean English news (benchmarks/eval_mqm.py, "
        "eval_clean.py): only sentences that edited English almost never produces. No fix is "
        "offered: rewrite the sentence."
    ),
    fix=None,
    examples={
        "flag": [
            {"text": "[[Minister the plan of by at was the rejected meeting everyone yesterday, of "
                     "the with unions table the left have.]]"},
        ],
        "pass": [
            {"text": "The minister's plan was rejected by everyone at the meeting."},
            {"text": "Then Lyon keeper Gregory Coupet saved well from Didier Drogba."},
        ],
    },
)

#: A sentence scoring below this (0-100 sentence fluency) is reported ...
MINOR_BELOW = 10.0
#: ... as a major error below this.
MAJOR_BELOW = 2.0
#: In a document of ``MIN_SENTENCES`` or more, it must also be this far below the median sentence.
DOCUMENT_MARGIN = 30.0
MIN_SENTENCES = 3
#: Sentences of fewer words are not judged (nor counted in the median).
MIN_WORDS = 5
#: Nor are sentences where at least this share of the words after the first are capitalised.
MAX_NAME_SHARE = 0.5


def judged(words: list[str]) -> bool:
    """Whether a sentence of ``words`` is one the model can judge: long enough to give it
    context, and not mostly names.  Names are unpredictable in any text, so a sentence made of
    them ("Then Lyon keeper Gregory Coupet saved well from Didier Drogba.", a team sheet) scores
    as low as word salad, which is mostly lower-case words in the wrong order.  The first word is
    capitalised anyway."""
    rest = words[1:]
    return len(words) >= MIN_WORDS and sum(w[:1].isupper() for w in rest) < MAX_NAME_SHARE * len(rest)


def findings(doc: Document, sentences: list[Segment], scores: list[TokenScores],
             center: float) -> list[Finding]:
    """``tq/awkward-sentence`` findings (text offsets) for the scored ``sentences`` of ``doc``."""
    scored = [(segment, sentence_score(s.total, s.tokens, center)) for segment, s in zip(sentences, scores)
              if judged(WORD.findall(doc.text, segment.start, segment.end))]
    values = [value for _, value in scored]
    median = statistics.median(values) if len(values) >= MIN_SENTENCES else 100.0
    out = []
    for segment, value in scored:
        if value >= MINOR_BELOW or (len(values) >= MIN_SENTENCES and value > median - DOCUMENT_MARGIN):
            continue
        severity = Severity.MAJOR if value < MAJOR_BELOW else Severity.MINOR
        out.append(Finding(
            rule=AWKWARD.id, category=AWKWARD.category, severity=severity,
            message=AWKWARD.message.format(score=value),
            text_span=Span(segment.start, segment.end, doc.text[segment.start:segment.end]),
            confidence=0.5, origin="model", fix=None))
    return out
