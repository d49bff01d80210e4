"""Which language a text was translated from, when nobody said.

With a source at hand (a bilingual file, ``--source``) langdetect reads it.  Otherwise the
translation's own artifacts are the evidence, weighed per candidate language (the languages with a
pack into the target, and any that langdetect names): findings of the ``X-target`` rule packs (a
"21e" or a "Poutin" is French), words left untranslated scored by how much likelier they are in X
than in the target (:func:`tqcheck.checks.untranslated.word_odds`), and langdetect on the spans found
untranslated.  The scores become a posterior by softmax against a "none" hypothesis with a fixed
prior, so a clean text, with no evidence, is reported as no language with a low confidence.
"""
from __future__ import annotations

import math
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass
from itertools import accumulate

from .checks.base import CheckContext
from .checks.untranslated import TOKEN, WORD_LOG_ODDS, word_odds
from .core.document import Document
from .core.findings import Finding
from .langs.identify import detect

#: Evidence per finding of a pack ``X-target`` (times its confidence).
RULE_WEIGHT = 1.0
#: Evidence per untranslated word that one candidate explains clearly better than the others.
WORD_WEIGHT = 0.5
#: A word counts for a language only if its odds beat every other candidate's by this (log10).
WORD_MARGIN = 0.5
#: Evidence of langdetect on the untranslated spans (times its probability, for 5+ words).
SPAN_WEIGHT = 2.0
#: Score of the hypothesis "no source language shows": the evidence any language must beat.
NONE_SCORE = 1.0
#: Below this posterior the guess is "none".
MIN_CONFIDENCE = 0.5
SAMPLE = 5000


@dataclass(frozen=True)
class LangGuess:
    """The guessed source language (None: no evidence of one) and how sure the guess is: the
    posterior of the best language, so a "none" comes with that language's low posterior."""

    lang: str | None
    confidence: float
    #: ``source`` (langdetect on the source text) or ``artifacts`` (evidence in the translation).
    basis: str = "artifacts"

    def to_dict(self) -> dict:
        return {"lang": self.lang, "confidence": round(self.confidence, 2), "basis": self.basis}


def guess_from_source(doc: Document) -> LangGuess | None:
    """The language of the document's source text (None when it has none): langdetect on it."""
    sources = [u.source for u in doc.bilingual.units] if doc.bilingual else []
    if not any(s.strip() for s in sources):
        return None
    lang, prob = detect("\n".join(sources)[:SAMPLE])
    return LangGuess(lang if prob >= MIN_CONFIDENCE and lang != "und" else None, prob, "source")


def guess_from_artifacts(doc: Document, found: list[Finding], ctx: CheckContext) -> LangGuess:
    """Guess the source language from ``found`` (findings in text offsets, before they are
    located in the file) and the words of ``doc`` left untranslated."""
    scores = {lang: e for lang, e in _evidence(doc, found, ctx).items() if lang != ctx.target_lang}
    missing = max(len(ctx.source_candidates) - len(scores), 0)  # candidates without evidence score 0
    # A softmax over the scores, shifted by the largest: evidence grows with the text, and a long
    # article's would overflow math.exp.
    top = max([NONE_SCORE, *scores.values(), *([0.0] if missing else [])])
    total = math.exp(NONE_SCORE - top) + sum(math.exp(s - top) for s in scores.values()) + missing * math.exp(-top)
    best = max(scores, key=lambda lang: scores[lang], default=None)
    confidence = math.exp((scores[best] if best else 0.0) - top) / total
    return LangGuess(best if confidence >= MIN_CONFIDENCE else None, confidence)


def _evidence(doc: Document, found: list[Finding], ctx: CheckContext) -> dict[str, float]:
    evidence: dict[str, float] = defaultdict(float)
    untranslated: list[str] = []
    for f in found:
        pack = _pack(f)
        if pack.endswith(f"-{ctx.target_lang}"):
            evidence[pack.rsplit("-", 1)[0]] += RULE_WEIGHT * f.confidence
        if f.category == "accuracy/untranslated" and f.rule.startswith("tq/"):
            untranslated.append(doc.text[f.start:f.end])
    candidates = [c for c in ctx.source_candidates if c != ctx.target_lang]
    for sentence in doc.sentences:
        for i, m in enumerate(TOKEN.finditer(doc.text, sentence.start, sentence.end)):
            word = m.group()
            if (i and word[:1].isupper()) or not candidates:
                continue  # a name
            odds = sorted(((word_odds(word, c, ctx.target_lang), c) for c in candidates), reverse=True)
            runner_up = odds[1][0] if len(odds) > 1 else 0.0
            if odds[0][0] >= WORD_LOG_ODDS and odds[0][0] - runner_up >= WORD_MARGIN:
                evidence[odds[0][1]] += WORD_WEIGHT
    if untranslated:
        text = " ".join(untranslated)
        lang, prob = detect(text)
        if lang not in ("und", ctx.target_lang):
            evidence[lang] += SPAN_WEIGHT * prob * min(len(text.split()) / 5, 1.0)
    return evidence


def prefer_source(found: list[Finding], own: list[Finding], target: str) -> list[Finding]:
    """``found`` with the findings ``own`` of the source language's pack in place of any other
    ``X-target`` pack's finding on an overlapping span.

    Without ``--source-lang`` every pack into the target runs, and the same English artifact often
    has a rule in several of them ("sensible data" is a German and a French false friend).  Once the
    source language is guessed, its own rules are the ones whose messages and suggestions fit.
    ``own`` comes from a run of that pack alone, so that no other pack's rule at the same position
    hid one of them.  Other packs' findings elsewhere stay: they are evidence the source pack has
    no rule for.
    """
    mine = {_pack(f) for f in own}
    ours = sorted((f.start, f.end) for f in own)
    starts = [s for s, _ in ours]
    reach = list(accumulate((e for _, e in ours), max))  # furthest end among spans starting up to i

    def shadowed(f: Finding) -> bool:
        i = bisect_left(starts, f.end) - 1  # the last of our spans starting before f ends
        return i >= 0 and reach[i] > f.start

    others = [f for f in found if _pack(f) not in mine
              and not (_pack(f).endswith(f"-{target}") and shadowed(f))]
    return others + own


def _pack(f: Finding) -> str:
    return f.rule.split("/", 1)[0]
