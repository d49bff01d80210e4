"""Findings, their MQM categories and severities, the file score, and :class:`CheckRule`, the
description of a finding type that a code check or the fluency model reports.

Every check returns :class:`Finding` objects and nothing else, so every output format, the
scorer and ``fix`` read the same spans.  Weights follow the WMT MQM scheme (Freitag et al. 2021).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .document import Document


class Severity(IntEnum):
    """Ordered so that ``finding.severity >= threshold`` works for gates."""

    MINOR = 1
    MAJOR = 2
    CRITICAL = 3

    @classmethod
    def parse(cls, name: str) -> "Severity":
        try:
            return cls[name.upper()]
        except KeyError:
            raise ValueError(f"unknown severity {name!r} (minor, major, critical)") from None

    @property
    def label(self) -> str:
        return self.name.lower()


class Fix(StrEnum):
    """How ``tqcheck fix`` may apply a finding's best suggestion; None where no fix is offered.

    A string enum, so that reports, configuration and rule files keep the words ``safe`` and
    ``unsafe`` they have always used, while code compares members, not strings.
    """

    #: Applied by ``tqcheck fix``: the suggestion keeps the meaning.
    SAFE = "safe"
    #: Applied only with ``--unsafe``: it may change the meaning or be wrong in context.
    UNSAFE = "unsafe"

    @classmethod
    def parse(cls, name: str | None) -> "Fix | None":
        """``safe``, ``unsafe``, or ``none``/None (no fix), as rule files and reports write it."""
        if name is None or name == "none":
            return None
        try:
            return cls(name)
        except ValueError:
            raise ValueError(f"unknown fix {name!r} (safe, unsafe, none)") from None


#: MQM dimensions (themqm.org) used as the first part of every category, e.g. ``accuracy/untranslated``.
CATEGORIES: dict[str, tuple[str, ...]] = {
    "accuracy": ("mistranslation", "omission", "addition", "untranslated"),
    "terminology": ("wrong-term", "inconsistent"),
    "linguistic-conventions": ("grammar", "spelling", "punctuation", "character-encoding"),
    "style": ("unidiomatic", "inconsistent"),
    "locale-conventions": ("number-format", "date-format", "currency-format", "name-format"),
    "fluency": ("unnatural",),
}

SEVERITY_WEIGHTS = {Severity.MINOR: 1.0, Severity.MAJOR: 5.0, Severity.CRITICAL: 25.0}
#: WMT gives minor punctuation errors a tenth of a point.
MINOR_PUNCTUATION_WEIGHT = 0.1
#: The score loses ``SCORE_STEP`` points each time ``penalty + SCORE_ORIGIN`` doubles.
SCORE_STEP = 10.0
#: Penalty (errors per 1,000 words) at which the score is 90: one minor error per 1,000 words.
SCORE_ORIGIN = 1.0


def validate_category(category: str) -> str:
    """Return ``category`` if it is ``dimension/subtype`` from :data:`CATEGORIES`, else raise."""
    dimension, _, subtype = category.partition("/")
    if subtype not in CATEGORIES.get(dimension, ()):
        raise ValueError(f"unknown MQM category {category!r}")
    return category


@dataclass
class Finding:
    """One problem at ``content[start:end]`` of the original file text."""

    rule: str
    category: str
    severity: Severity
    message: str
    start: int
    end: int
    text: str
    suggestions: list[str] = field(default_factory=list)
    confidence: float = 1.0
    origin: str = "rule"  # rule | check | model | termbase | source
    fix: Fix | None = None
    line: int = 0
    column: int = 0

    @property
    def weight(self) -> float:
        if self.origin == "model":
            return 0.0  # the model's judgement counts once, as the file's fluency (fluency/scoring.py)
        if self.severity is Severity.MINOR and self.category == "linguistic-conventions/punctuation":
            return MINOR_PUNCTUATION_WEIGHT
        return SEVERITY_WEIGHTS[self.severity]

    def to_dict(self) -> dict:
        return {
            "rule": self.rule,
            "category": self.category,
            "severity": self.severity.label,
            "message": self.message,
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "column": self.column,
            "text": self.text,
            "suggestions": list(self.suggestions),
            "confidence": round(self.confidence, 3),
            "origin": self.origin,
            "fix": self.fix.value if self.fix else None,
        }


def penalty(findings: list[Finding], words: int) -> float:
    """MQM penalty: weighted error count per 1,000 words (a document of under 1 word counts as 1)."""
    return sum(f.weight for f in findings) * 1000.0 / max(words, 1)


def score(penalty_per_kw: float) -> float:
    """0-100 quality score: ``100 - 10 * log2(1 + penalty)``, 0 from a penalty of 1,023 on.

    Logarithmic, because the error rates a reader tells apart are ratios: clean text (a penalty of
    a point or two from fluency alone) spreads over the 80s and 90s instead of crowding at 99.x,
    and every 10 points down the error rate doubles, so each band is an error rate (90: one minor
    error per 1,000 words, 80: three, 70: seven, 50: one per 32 words; README).  Two decimals, so
    that penalties that differ by a hundredth of a point near 0 and by a few tenths near 100
    still get different scores.
    """
    value = 100.0 - SCORE_STEP * math.log2(1.0 + max(penalty_per_kw, 0.0) / SCORE_ORIGIN)
    return round(max(value, 0.0), 2)


@dataclass(frozen=True)
class CheckRule:
    """Description of one finding type of a code check (shown by ``tqcheck rules``/``explain``)."""

    id: str
    category: str
    severity: Severity
    message: str
    why: str
    examples: dict[str, list[dict[str, str]]]
    fix: Fix | None = None
    #: Languages ``source->target`` the examples are run with.
    example_langs: tuple[str, str] = ("fr", "en")

    def finding(self, doc: "Document", start: int, end: int, message: str | None = None,
                suggestions: list[str] | None = None, confidence: float = 1.0,
                origin: str = "check") -> Finding:
        suggestions = suggestions or []
        return Finding(
            rule=self.id, category=self.category, severity=self.severity,
            message=message or self.message, start=start, end=end, text=doc.text[start:end],
            suggestions=suggestions, confidence=confidence, origin=origin,
            fix=self.fix if suggestions else None,
        )
