"""Sentences of the source with no translation, and target sentences that translate nothing.

The sentence alignment (:func:`tqcheck.core.bilingual.sentence_pairs`) leaves such a sentence alone
when pairing it with a neighbour would make the lengths implausible.  Very short sentences
("Oui.", a heading) are often merged into a neighbour by the translator and are not reported.
"""
from __future__ import annotations

import re

from ..core.document import Document
from ..core.findings import Finding, Severity
from .base import CheckContext, CheckRule

MISSING = CheckRule(
    id="tq/source-sentence-missing",
    category="accuracy/omission",
    severity=Severity.MAJOR,
    message="Source sentence not translated",
    why="A whole sentence of the source has no counterpart in the translation: it was dropped.",
    examples={
        "flag": [{"text": "[[The summit was postponed to Tuesday.]] The leaders will meet in Geneva.",
                  "source": "Le sommet a été reporté à mardi. Les négociateurs des deux pays n'ont pas "
                            "trouvé d'accord sur le calendrier des livraisons d'armes. Les dirigeants "
                            "se retrouveront à Genève."}],
        "pass": [{"text": "The summit was postponed to Tuesday. The leaders will meet in Geneva.",
                  "source": "Le sommet a été reporté à mardi. Les dirigeants se retrouveront à Genève."}],
    },
)
ADDED = CheckRule(
    id="tq/source-sentence-added",
    category="accuracy/addition",
    severity=Severity.MAJOR,
    message="Sentence not in the source",
    why="A whole sentence of the translation has no counterpart in the source: it was added.",
    examples={
        "flag": [{"text": "The summit was postponed to Tuesday. [[Negotiators of both countries could "
                          "not agree on the schedule of the arms deliveries.]] The leaders will meet "
                          "in Geneva.",
                  "source": "Le sommet a été reporté à mardi. Les dirigeants se retrouveront à Genève."}],
        "pass": [{"text": "The summit was postponed to Tuesday. The leaders will meet in Geneva.",
                  "source": "Le sommet a été reporté à mardi. Les dirigeants se retrouveront à Genève."}],
    },
)
RULES = (MISSING, ADDED)
#: Runs only when the translation comes with its source (checks/base.py).
NEEDS = ("source",)

#: Sentences with fewer words than this are not reported.
MIN_WORDS = 5
_WORD = re.compile(r"\w+")


def run(doc: Document, ctx: CheckContext) -> list[Finding]:
    out: list[Finding] = []
    pairs = ctx.aligned
    for i, pair in enumerate(pairs):
        empty_target = pair.target.end == pair.target.start
        if empty_target and len(_WORD.findall(pair.source)) >= MIN_WORDS:
            # Report on the target sentence before the gap (after it, at the very start).
            near = [p.target for p in pairs[i - 1::-1] if p.target.end > p.target.start] if i else []
            near = near or [p.target for p in pairs[i + 1:] if p.target.end > p.target.start]
            if near:
                out.append(MISSING.finding(
                    doc, near[0].start, near[0].end, confidence=0.7,
                    message=f"The source sentence “{_short(pair.source)}” is not translated "
                            f"{'after' if near[0].end <= pair.target.start else 'before'} this sentence"))
        elif not pair.source.strip() and len(_WORD.findall(doc.text[pair.target.start:pair.target.end])) >= MIN_WORDS:
            out.append(ADDED.finding(doc, pair.target.start, pair.target.end, confidence=0.7))
    return out


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
