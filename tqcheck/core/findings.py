"""Findings, their MQM categories and severities, and :class:`CheckRule`, the description of a
finding type that a code check or the fluency model reports.

Every check returns :class:`Finding` objects and nothing else, so every output format, the
scorer (``tqcheck/scoring.py``) and ``fix`` read the same spans.
"""
from __future__ import annotations

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
