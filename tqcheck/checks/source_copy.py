"""Targets that are a copy of their source, or still in the source's language.

A copy is the oldest bilingual QA check (Okapi CheckMate, Xbench, pofilter): a translator or an MT
system that gave up leaves the source in the target.  Short copies of names, numbers and codes
("Airbnb", "OK", "iPhone 6") are normal and pass.  A target that is not a copy but shares most of
its words with the source is sent to langdetect, to tell a half-translated sentence from one that
merely keeps names.
"""
from __future__ import annotations

import re

from ..core.bilingual import Pair
from ..core.document import Document
from ..core.findings import Finding, Severity
from ..langs import language_name
from ..langs.identify import detect
from .base import CheckContext, CheckRule

COPY = CheckRule(
    id="tq/source-copy",
    category="accuracy/untranslated",
    severity=Severity.CRITICAL,
    message="Target is a copy of the source",
    why="The target repeats its source word for word: it was never translated.",
    examples={
        "flag": [{"text": "[[Le sommet a été reporté à mardi.]]",
                  "source": "Le sommet a été reporté à mardi."}],
        "pass": [{"text": "Airbnb", "source": "Airbnb"},
                 {"text": "The summit was postponed to Tuesday.", "source": "Le sommet a été reporté à mardi."}],
    },
)
LANGUAGE = CheckRule(
    id="tq/source-language",
    category="accuracy/untranslated",
    severity=Severity.CRITICAL,
    message="Target in the source language",
    why=(
        "The target keeps most words of its source and reads as the source language: a sentence "
        "left untranslated, with perhaps a word or two changed."
    ),
    examples={
        "flag": [{"text": "[[Le sommet a été reporté à mardi prochain, selon Reuters.]]",
                  "source": "Le sommet a été reporté à mardi, selon Reuters."}],
        "pass": [{"text": "The summit was postponed to Tuesday, according to Reuters.",
                  "source": "Le sommet a été reporté à mardi, selon Reuters."}],
    },
)
RULES = (COPY, LANGUAGE)
#: Runs only when the translation comes with its source (checks/base.py).
NEEDS = ("source",)

_WORD = re.compile(r"[^\W\d_]{2,}")
#: A copy must hold this many common (lower-case) words to be an untranslated sentence.
COPY_MIN_WORDS = 2
#: Share of target words found in the source above which the language is checked.
SHARED_WORDS = 0.5
MIN_WORDS = 4
MIN_PROBABILITY = 0.8


def run(doc: Document, ctx: CheckContext) -> list[Finding]:
    if ctx.source_lang == ctx.target_lang:
        return []
    out: list[Finding] = []
    for pair in ctx.aligned:
        if pair.source.strip() and pair.target.end > pair.target.start:
            finding = _check(doc, pair, ctx)
            if finding is not None:
                out.append(finding)
    return out


def _check(doc: Document, pair: Pair, ctx: CheckContext) -> Finding | None:
    target = doc.text[pair.target.start:pair.target.end]
    if _squash(target) == _squash(pair.source):
        common = [w for w in _WORD.findall(target) if w.islower()]
        return COPY.finding(doc, pair.target.start, pair.target.end) if len(common) >= COPY_MIN_WORDS else None
    words = [w.lower() for w in _WORD.findall(target) if w.islower()]
    source_words = {w.lower() for w in _WORD.findall(pair.source)}
    if len(words) < MIN_WORDS or sum(w in source_words for w in words) / len(words) < SHARED_WORDS:
        return None
    lang, prob = detect(target)
    if lang == ctx.target_lang or prob < MIN_PROBABILITY or (ctx.source_lang and lang != ctx.source_lang):
        return None
    return LANGUAGE.finding(doc, pair.target.start, pair.target.end, confidence=prob,
                            message=f"Sentence left in {language_name(lang)}, like its source")


def _squash(text: str) -> str:
    return " ".join(text.casefold().split())
