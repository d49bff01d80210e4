"""Output formats, one module each. ``summary`` holds what several of them share."""
from __future__ import annotations

import importlib
from collections import Counter
from typing import TYPE_CHECKING, Iterable

from ..findings import Finding, Severity, penalty, score
from ..fluency.scoring import total_fluency_penalty

if TYPE_CHECKING:  # the format list is read at parse time; the pipeline loads only to check files
    from ..gate import Gate
    from ..pipeline import FileResult

#: ``--format`` name → module of this package that writes it (each has ``render(results, gate)``,
#: except ``json_report``, whose summary carries the gate's verdict).
RENDERERS = {"json": "json_report", "md": "markdown", "html": "html", "sarif": "sarif",
             "junit": "junit", "github": "github", "jsonl": "jsonl"}
#: Output file suffix → format, for ``tqcheck report -o FILE``.
SUFFIXES = {".json": "json", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html",
            ".sarif": "sarif", ".xml": "junit", ".jsonl": "jsonl"}


def render(fmt: str, results: list[FileResult], gate: "Gate") -> str:
    """The whole document of format ``fmt``; modules load only when their format is asked for."""
    module = importlib.import_module(f"{__name__}.{RENDERERS[fmt]}")
    if fmt == "json":
        return module.render(results, gate.summary(results))
    return module.render(results, gate)


def by_category(findings: Iterable[Finding]) -> dict[str, Counter[Severity]]:
    """Counts per MQM category and severity, categories sorted: what charts and tables show."""
    table: dict[str, Counter[Severity]] = {}
    for f in findings:
        table.setdefault(f.category, Counter())[f.severity] += 1
    return dict(sorted(table.items()))


def summary(results: list[FileResult]) -> dict:
    """Totals over all files: counts by severity and category, overall penalty and score."""
    findings = [f for r in results for f in r.findings]
    words = sum(r.words for r in results)
    by_severity = Counter(f.severity.label for f in findings)
    overall = penalty(findings, words) + total_fluency_penalty(results, words)
    return {
        "files": len(results),
        "words": words,
        "findings": len(findings),
        "by_severity": {s.label: by_severity.get(s.label, 0) for s in Severity},
        "by_category": dict(sorted(Counter(f.category for f in findings).items())),
        "penalty": round(overall, 2),
        "score": score(overall),
    }


def plural(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def suggestion_label(suggestion: str) -> str:
    return "(delete)" if suggestion == "" else suggestion


def severity_counts(findings: Iterable) -> str:
    counts = Counter(f.severity for f in findings)
    return ", ".join(f"{counts[s]} {s.label}" for s in sorted(counts, reverse=True)) or "none"
