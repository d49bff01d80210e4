"""Output formats, one module each. ``summary`` holds what several of them share."""
from __future__ import annotations

from collections import Counter
from typing import Iterable

from ..findings import Severity, penalty, score
from ..pipeline import FileResult


def summary(results: list[FileResult]) -> dict:
    """Totals over all files: counts by severity and category, overall penalty and score."""
    findings = [f for r in results for f in r.findings]
    words = sum(r.words for r in results)
    by_severity = Counter(f.severity.label for f in findings)
    overall = penalty(findings, words)
    return {
        "files": len(results),
        "words": words,
        "findings": len(findings),
        "by_severity": {s.label: by_severity.get(s.label, 0) for s in Severity},
        "by_category": dict(sorted(Counter(f.category for f in findings).items())),
        "penalty": round(overall, 2),
        "score": score(overall),
    }


def suggestion_label(suggestion: str) -> str:
    return "(delete)" if suggestion == "" else suggestion


def severity_counts(findings: Iterable) -> str:
    counts = Counter(f.severity for f in findings)
    return ", ".join(f"{counts[s]} {s.label}" for s in sorted(counts, reverse=True)) or "none"
