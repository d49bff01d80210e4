"""Output formats, one module each, found by :data:`REPORTERS` (adding a format is adding a file
that fits :mod:`.base`; third parties add theirs with a ``tqcheck.reporters`` entry point).
What several formats share lives here: ``summary``, ``printable``, ``languages``, ``rule_doc``.
"""
from __future__ import annotations

import json
import math
import re
from collections import Counter
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from ..core.errors import UsageError
from ..core.findings import Finding, Severity
from ..registry import Registry
from ..scoring import DEFAULT, combine
from .base import PLAIN, Reporter, View, as_reporter

if TYPE_CHECKING:  # the pipeline loads only to check files
    from ..core.results import CheckedFile, FileResult
    from ..core.ruleinfo import RuleInfo
    from ..gate import Gate

#: Every output format: the modules of this package, then entry points; loaded when first asked.
REPORTERS: Registry[Reporter] = Registry("reporters", __name__, as_reporter, lambda r: r.name)


def reporter(name: str) -> Reporter:
    """The format ``--format NAME`` asks for; :class:`UsageError` naming the known ones if none."""
    found = REPORTERS.get(name)
    if found is None:
        raise UsageError(f"unknown format {name!r} (formats: {', '.join(sorted(REPORTERS.names()))})")
    return found


def for_suffix(suffix: str) -> Reporter | None:
    """The format an output file's suffix (``.sarif``) asks for, None when no format claims it."""
    return next((r for r in REPORTERS.all() if suffix.lower() in r.suffixes), None)


def render(fmt: str, results: list[FileResult], gate: "Gate", view: View = PLAIN) -> str:
    """The whole document of format ``fmt``."""
    return reporter(fmt).render(results, gate, view)


def by_category(findings: Iterable[Finding]) -> dict[str, Counter[Severity]]:
    """Counts per MQM category and severity, categories sorted: what charts and tables show."""
    table: dict[str, Counter[Severity]] = {}
    for f in findings:
        table.setdefault(f.category, Counter())[f.severity] += 1
    return dict(sorted(table.items()))


def summary(results: Sequence[CheckedFile]) -> dict:
    """Totals over all files: counts by severity and category, overall penalty and score.  The
    findings are counted as they are read, never gathered in one list (a large file's are on disk)."""
    words = sum(r.words for r in results)
    by_severity: Counter[str] = Counter()
    by_category: Counter[str] = Counter()
    for r in results:
        for f in r.findings:
            by_severity[f.severity.label] += 1
            by_category[f.category] += 1
    overall = DEFAULT.run_penalty(results)
    return {
        "files": len(results),
        "words": words,
        "findings": by_severity.total(),
        "by_severity": {s.label: by_severity.get(s.label, 0) for s in Severity},
        "by_category": dict(sorted(by_category.items())),
        "penalty": round(overall, 2),
        "score": DEFAULT.score(overall),
    }


def run_signature(results: Sequence[CheckedFile]) -> str | None:
    """The signature of the run's score: the union of its files' (``scoring.combine``)."""
    return combine(r.signature for r in results)


def own_signature(result: CheckedFile, run: str | None) -> dict[str, str]:
    """``{"signature": ...}`` where a file's score was computed with other packs or another model
    than the run's, else nothing: a report states a signature once when every file shares it."""
    return {"signature": result.signature} if result.signature and result.signature != run else {}


#: What a terminal would obey rather than show: C0 and C1 controls (ESC starts colour changes,
#: cursor moves and OSC title or hyperlink sequences; a bare CR overwrites the line), DEL, the
#: bidirectional overrides that reorder what is shown, and lone surrogates (bytes of a file name
#: that are not UTF-8).  Tab stays.
_UNPRINTABLE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def printable(text: str) -> str:
    """``text`` safe to print on a terminal: each character of :data:`_UNPRINTABLE` as its Python
    escape (``\\x1b``, ``\\u202e``), so scanned text or a file name cannot drive the terminal."""
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def to_json(value: Any, indent: int | None = 2) -> str:
    """``value`` as JSON, with a non-finite number (a damaged model's NaN) written as ``null``:
    bare ``NaN`` is not JSON, and a parser that rejects it would drop the whole report."""
    return json.dumps(_finite(value), ensure_ascii=False, indent=indent, allow_nan=False)


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


def plural(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def suggestion_label(suggestion: str) -> str:
    return "(delete)" if suggestion == "" else suggestion


def languages(result: FileResult) -> str:
    """``fr (guessed, 1.00)→en``: the source language as given or declared, else as guessed with
    its confidence (``?`` when there was nothing to guess from), then the target.  Every report
    that names a file's languages shows this one string, so they agree with the terminal."""
    guess = result.source_guess
    source = result.source_lang or (f"{guess.lang or 'none'} (guessed, {guess.confidence:.2f})" if guess else "?")
    return f"{source}→{result.target_lang}"


def rule_doc(rule_id: str) -> RuleInfo | None:
    """The pack rule or code check's rule with this id (its ``why``, ``message``), None if unknown.
    Imported on call: only the reports that explain rules need the rule packs loaded."""
    from ..checks import find

    return find(rule_id)


def severity_counts(findings: Iterable) -> str:
    counts = Counter(f.severity for f in findings)
    return ", ".join(f"{counts[s]} {s.label}" for s in sorted(counts, reverse=True)) or "none"
