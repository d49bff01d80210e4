"""What every code check shares: its rule descriptions and the context it runs in.

A check is a module with ``RULES`` (one :class:`CheckRule` per finding type it emits, with examples
that the tests run, like YAML rules) and ``run(doc, ctx) -> list[Finding]`` returning findings in
``doc.text`` offsets.  Checks never print and never exit.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..findings import Finding, Severity

if TYPE_CHECKING:
    from ..bilingual import Pair
    from ..document import Document


@dataclass(frozen=True)
class CheckRule:
    """Description of one finding type of a code check (shown by ``tqcheck rules``/``explain``)."""

    id: str
    category: str
    severity: Severity
    message: str
    why: str
    examples: dict[str, list[dict[str, str]]]
    fix: str | None = None
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


@dataclass
class CheckContext:
    """Languages and options a check may read."""

    source_lang: str | None
    target_lang: str
    #: Candidate source languages when the source language is not given.
    source_candidates: tuple[str, ...] = ()
    options: dict[str, Any] = field(default_factory=dict)
    #: Target sentences aligned with their source (bilingual files, ``--source``); empty otherwise.
    aligned: tuple["Pair", ...] = ()

    @property
    def sources(self) -> tuple[str, ...]:
        return (self.source_lang,) if self.source_lang else self.source_candidates
