"""Calibrated confidence: a finding's confidence is its rule's measured precision.

``confidence.yaml`` beside this module holds, per rule, how many findings it made on the
development sets and how many of them were right (written by
``benchmarks/calibrate_confidence.py``).  A finding's confidence becomes that precision, smoothed
towards the confidence its check gave it (``PRIOR_WEIGHT`` findings' worth), so a rule measured on
few findings moves only part of the way, and a rule never seen keeps its own.  The gate ignores
findings below ``min_confidence`` (``gate.py``), so this is what decides whether a finding can
fail a run.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from ..core.findings import Finding

TABLE = Path(__file__).with_name("confidence.yaml")
#: How many findings the check's own confidence is worth against the measured counts.
PRIOR_WEIGHT = 4.0


@lru_cache(maxsize=1)
def counts() -> dict[str, tuple[int, int]]:
    """``{rule: (findings, true)}`` from the shipped table (empty when there is none)."""
    if not TABLE.exists():
        return {}
    rules = (yaml.safe_load(TABLE.read_text(encoding="utf-8")) or {}).get("rules", {})
    return {rule: (int(v["findings"]), int(v["correct"])) for rule, v in rules.items()}


def calibrated(rule: str, own: float) -> float:
    """The confidence of a finding of ``rule`` whose check gave it ``own``."""
    if rule not in counts():
        return own
    findings, true = counts()[rule]
    return (true + PRIOR_WEIGHT * own) / (findings + PRIOR_WEIGHT)


def calibrate(findings: list[Finding]) -> list[Finding]:
    """The findings with their calibrated confidence."""
    return [f if (c := calibrated(f.rule, f.confidence)) == f.confidence else f.evolve(confidence=c) for f in findings]


def write_table(tally: dict[str, tuple[int, int]], command: str) -> None:
    """Write ``confidence.yaml`` from ``{rule: (findings, true)}``."""
    lines = [
        "# Measured precision of each rule on the development sets: clean English news (every",
        "# finding false), DEMETR fr-en pairs (true at the injected error, false on good sentences),",
        "# WMT21 TED zh-en MQM (true on an annotated error span). Read by tqcheck/rules/confidence.py.",
        f"# Written by: {command}",
        "rules:",
    ]
    for rule in sorted(tally):
        findings, true = tally[rule]
        lines.append(f"  {rule}: {{findings: {findings}, correct: {true}, precision: {true / findings:.3f}}}")
    TABLE.write_text("\n".join(lines) + "\n", encoding="utf-8")
    counts.cache_clear()
