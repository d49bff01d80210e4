"""One name spelled two ways in one document (Putin / Poutin): the rarer spelling is flagged.

Capitalised words that differ by one or two edits are taken as spellings of one name when the
rarer one is not itself a common word of the target language (so Iran / Iraq, Austria / Australia
stay apart).  The majority spelling is suggested; on a tie, the one more frequent in the language.
"""
from __future__ import annotations

import re
from collections import defaultdict

from ..document import Document
from ..findings import Finding, Severity
from ..langs import zipf
from .base import CheckContext, CheckRule

VARIANT = CheckRule(
    id="tq/name-variant",
    category="terminology/inconsistent",
    severity=Severity.MAJOR,
    message="Name spelled two ways in this document",
    why=(
        "Machine translation transliterates names inconsistently (Putin and Poutin, Zelensky and "
        "Zelenski). Readers take two spellings for two people; use one, the one used most."
    ),
    fix="unsafe",
    examples={
        "flag": [{"text": "Putin met Modi. Later, Vladimir [[Poutin]] left. Putin said so."}],
        "pass": [
            {"text": "Putin met Modi. Later, Vladimir Putin left."},
            {"text": "Iran and Iraq signed. Austria and Australia agreed."},
        ],
    },
)
RULES = (VARIANT,)

NAME = re.compile(r"\b[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]{3,}\b")
#: A rarer spelling must be rarer than this in the target language (Zipf) to be called a variant.
MAX_VARIANT_ZIPF = 3.0


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, giving up (returning ``limit + 1``) once it exceeds ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def run(doc: Document, ctx: CheckContext) -> list[Finding]:
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for m in NAME.finditer(doc.text):
        spans[m.group()].append(m.span())
    forms = sorted(spans, key=lambda f: (-len(spans[f]), -zipf(f, ctx.target_lang), f))
    out: list[Finding] = []
    for i, rare in enumerate(forms):
        if zipf(rare, ctx.target_lang) >= MAX_VARIANT_ZIPF:
            continue
        for common in forms[:i]:
            if rare.startswith(common) or common.startswith(rare):
                continue  # Putin / Putins, Modi / Modis: inflection, not a variant
            limit = 1 if len(common) < 6 else 2
            if common[0] == rare[0] and edit_distance(common, rare, limit) <= limit:
                out.extend(
                    VARIANT.finding(doc, s, e, suggestions=[common], confidence=0.7,
                                    message=f"“{rare}” is spelled “{common}” elsewhere in this document")
                    for s, e in spans[rare]
                )
                break
    return out
