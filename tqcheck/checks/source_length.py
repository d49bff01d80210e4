"""Sentences much shorter or longer than their source: something dropped or added.

Translation keeps lengths in proportion (Gale & Church's model, :mod:`tqcheck.core.align`, with the
language pair's lengths in English letters: a Chinese character makes about three); a pair whose length
ratio lies more than ``LIMIT`` standard deviations out is reported.  The limit is loose on
purpose: free but correct translations vary, and a dropped clause of a long sentence is the target.
A language whose correct translations stray further states its own (``length.limit`` in its
language file: Chinese 4, docs/bilingual.md).
"""
from __future__ import annotations

from ..core.align import deviation, length_model
from ..core.document import Document
from ..core.findings import Finding, Severity
from ..langs import language
from .base import CheckContext, CheckRule

SHORT = CheckRule(
    id="tq/source-length-short",
    category="accuracy/omission",
    severity=Severity.MINOR,
    message="Much shorter than the source",
    why="The sentence is far shorter than its source would make it: part of it was probably dropped.",
    examples={
        "flag": [{"text": "[[The rise of technologies helps us.]]",
                  "source": "L'essor des nouvelles technologies nous permet de voir et d'étudier des "
                            "structures et des processus cérébraux jamais vus auparavant, et de mieux "
                            "comprendre leur fonctionnement."},
                 # A Chinese character stands for about three English ones (langs/zh.yaml).
                 {"text": "[[New technologies help us.]]", "source_lang": "zh",
                  "source": "新技术让我们能够看到并研究以前从未见过的大脑结构和过程，并更好地理解它们是如何运作的。"}],
        "pass": [{"text": "The rise of new technologies allows us to see and study brain structures "
                          "and processes never seen before.",
                  "source": "L'essor des nouvelles technologies nous permet de voir et d'étudier des "
                            "structures et des processus cérébraux jamais vus auparavant."},
                 {"text": "New technologies let us see and study brain structures and processes never "
                          "seen before, and better understand how they work.", "source_lang": "zh",
                  "source": "新技术让我们能够看到并研究以前从未见过的大脑结构和过程，并更好地理解它们是如何运作的。"}],
    },
)
LONG = CheckRule(
    id="tq/source-length-long",
    category="accuracy/addition",
    severity=Severity.MINOR,
    message="Much longer than the source",
    why="The sentence is far longer than its source would make it: something was added to it.",
    examples={
        "flag": [{"text": "[[The summit was postponed to Tuesday, the spokesman said on Monday, adding "
                          "that the two leaders would meet in Geneva again next month to sign the "
                          "defence pact they had negotiated.]]",
                  "source": "Le sommet a été reporté à mardi, a dit le porte-parole."}],
        "pass": [{"text": "The summit was postponed to Tuesday, the spokesman said.",
                  "source": "Le sommet a été reporté à mardi, a dit le porte-parole."}],
    },
)
RULES = (SHORT, LONG)
#: Runs only when the translation comes with its source (checks/base.py).
NEEDS = ("source",)

#: Standard deviations of the length model beyond which a pair is reported (Gale & Church's usual
#: cut), unless a language of the pair states its own.
LIMIT = 3.0
#: Pairs whose source stands for fewer English letters than this vary too much to judge.
MIN_LENGTH = 40


def limit(source_lang: str | None, target_lang: str | None) -> float:
    """The pair's limit: the source language's ``length.limit``, else the target's, else ``LIMIT``
    (as :func:`~tqcheck.core.align.length_model` takes the variance)."""
    source, target = language(source_lang).length, language(target_lang).length
    return source.get("limit") or target.get("limit") or LIMIT


def run(doc: Document, ctx: CheckContext) -> list[Finding]:
    out: list[Finding] = []
    model = length_model(ctx.source_lang, ctx.target_lang)
    cut = limit(ctx.source_lang, ctx.target_lang)
    for pair in ctx.aligned:
        source, target = pair.source.strip(), doc.text[pair.target.start:pair.target.end]
        if model.source(source) < MIN_LENGTH or not target:
            continue
        z = deviation(model.source(source), model.target(target), model)
        if abs(z) >= cut:
            rule = SHORT if z < 0 else LONG
            out.append(rule.finding(
                doc, pair.target.start, pair.target.end, confidence=min(0.5 + (abs(z) - cut) / 4, 0.9),
                message=f"{rule.message} ({len(target)} characters for {len(source)})"))
    return out
