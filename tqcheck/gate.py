"""The CI gate: which findings and which files make a run fail.

One object decides, so the exit code, the JSON summary, JUnit failures and GitHub annotation levels
can never disagree about what failed.  It only decides; the CLI turns the verdict into an exit code.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .core.findings import Finding, Severity

if TYPE_CHECKING:
    from .core.results import CheckedFile

#: Values of ``--fail-on``: the lowest severity that fails, or ``never``.
FAIL_ON = ("minor", "major", "critical", "never")
#: Findings less confident than this are shown but never fail a run.  Confidence is a rule's
#: measured precision (``rules/confidence.py``); the value is chosen with
#: ``benchmarks/eval_clean.py`` (docs/decisions.md).
DEFAULT_MIN_CONFIDENCE = 0.5


@dataclass(frozen=True)
class Gate:
    """``fail_on``: lowest failing severity (or ``never``); ``min_score``: lowest passing file score;
    ``min_confidence``: findings below it are reported but do not fail."""

    fail_on: str = "major"
    min_score: float | None = None
    min_confidence: float = DEFAULT_MIN_CONFIDENCE

    def fails(self, finding: Finding) -> bool:
        """True when this finding alone fails the run."""
        return (self.fail_on != "never" and finding.severity >= Severity.parse(self.fail_on)
                and finding.confidence >= self.min_confidence)

    def level(self, finding: Finding) -> str:
        """Annotation level: ``error`` when it fails the run, else ``warning`` (major and critical)
        or ``note`` (minor); SARIF, JUnit and GitHub annotations all use it."""
        if self.fails(finding):
            return "error"
        return "note" if finding.severity is Severity.MINOR else "warning"

    def score_fails(self, result: "CheckedFile") -> bool:
        """True when the file scores below ``min_score``, or has no valid score (NaN from a
        damaged model compares false with everything, and must never pass)."""
        return self.min_score is not None and not result.score >= self.min_score

    def reasons(self, results: Sequence["CheckedFile"]) -> list[str]:
        """One line per failing file, saying why; empty when the run passes."""
        out = []
        for r in results:
            failing = sum(1 for f in r.findings if self.fails(f))
            if failing:
                out.append(f"{r.doc.path}: {failing} finding{'s' * (failing != 1)} at or above {self.fail_on}")
            if self.score_fails(r):
                out.append(f"{r.doc.path}: score {r.score:.1f} is below --min-score {self.min_score:g}")
        return out

    def failed(self, results: Sequence["CheckedFile"]) -> bool:
        return any(self.fails(f) for r in results for f in r.findings) or any(
            self.score_fails(r) for r in results
        )

    def summary(self, results: Sequence["CheckedFile"]) -> dict[str, Any]:
        """The gate's part of a report summary."""
        return {"fail_on": self.fail_on, "min_score": self.min_score, "min_confidence": self.min_confidence,
                "failed": self.failed(results)}
