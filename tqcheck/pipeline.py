"""The road from a document to scored findings: languages → rules and checks → spans → score.

Only this module knows the order of the stages; the CLI and the reports call
:func:`check_document` and read :class:`FileResult`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from .checks import CHECKS, CheckContext
from .document import Document
from .findings import Finding, Severity, penalty, score
from .langs import detect
from .rules.engine import RuleSet, available_packs

#: Target language assumed when detection fails (too little text).
DEFAULT_TARGET = "en"


@dataclass
class Options:
    """What the user asked for; CLI flags and configuration end up here."""

    source_lang: str | None = None
    target_lang: str | None = None
    disabled: frozenset[str] = frozenset()
    severity_overrides: dict[str, Severity] = field(default_factory=dict)


@dataclass
class FileResult:
    """One checked document."""

    doc: Document
    source_lang: str | None
    target_lang: str
    findings: list[Finding]
    #: How the languages were found: ``given`` or ``detected``.
    target_origin: str = "given"

    @property
    def words(self) -> int:
        return self.doc.words

    @property
    def penalty(self) -> float:
        return penalty(self.findings, self.words)

    @property
    def score(self) -> float:
        return score(self.penalty)


def pair_packs(source: str | None, target: str) -> list[str]:
    """Packs for a language pair: the target's own pack and the pair's (every ``*-target`` when
    the source language is unknown)."""
    names = available_packs()
    packs = [target] if target in names else []
    if source:
        packs += [f"{source}-{target}"] if f"{source}-{target}" in names else []
    else:
        packs += [n for n in names if n.endswith(f"-{target}")]
    return packs


def source_candidates(target: str) -> tuple[str, ...]:
    return tuple(n.split("-")[0] for n in available_packs() if n.endswith(f"-{target}"))


@lru_cache(maxsize=16)
def _ruleset(packs: tuple[str, ...], disabled: frozenset[str]) -> RuleSet:
    return RuleSet.for_packs(list(packs), disabled)


def detect_target(doc: Document) -> str:
    lang, prob = detect(doc.text[:5000])
    return lang if prob >= 0.5 else DEFAULT_TARGET


def check_document(doc: Document, options: Options) -> FileResult:
    """Run every enabled rule and check over ``doc`` and locate the findings in the file."""
    target = options.target_lang or detect_target(doc)
    source = options.source_lang
    ctx = CheckContext(source, target, source_candidates(target))
    found = _ruleset(tuple(pair_packs(source, target)), options.disabled).run(doc)
    for check in CHECKS:
        found.extend(f for f in check.run(doc, ctx) if f.rule not in options.disabled)
    findings = locate(doc, found, options)
    return FileResult(doc, source, target, findings, "given" if options.target_lang else "detected")


def locate(doc: Document, found: list[Finding], options: Options) -> list[Finding]:
    """Map text spans to file spans, drop ignored and duplicate spans, apply severity overrides."""
    by_span: dict[tuple[int, int], Finding] = {}
    for f in found:
        if doc.is_ignored(f.start, f.end):
            continue
        f.start, f.end = doc.source_span(f.start, f.end)
        f.text = doc.content[f.start:f.end]
        f.line, f.column = doc.line_column(f.start)
        if f.rule in options.severity_overrides:
            f.severity = options.severity_overrides[f.rule]
        # Two rules on the same span report one finding: the more severe, then the one that
        # offers a fix, then the more confident.
        other = by_span.get((f.start, f.end))
        if other is None or _rank(f) > _rank(other):
            by_span[(f.start, f.end)] = f
    return sorted(by_span.values(), key=lambda f: (f.start, f.end, f.rule))


def _rank(f: Finding) -> tuple[Severity, bool, float]:
    return f.severity, bool(f.suggestions), f.confidence
