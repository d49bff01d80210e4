"""A compact Markdown report for a pull-request comment or a CI job summary.

GitHub caps a comment at 65,536 characters, so the findings table stops after ``MAX_ROWS`` rows and
says how many it left out.  Cells are escaped so user text cannot break the table, inject links or
HTML, or close a code span.
"""
from __future__ import annotations

import re

from ..core.results import FileResult
from ..gate import Gate
from . import plural, suggestion_label, summary
from .base import PLAIN, View

MAX_ROWS = 150
_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def cell(text: str) -> str:
    """Plain text made safe for a table cell: one line, Markdown specials and HTML escaped."""
    text = " ".join(text.split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _SPECIAL.sub(r"\\\1", text)


def code(text: str) -> str:
    """A code span for ``text`` (paths, rule ids): fenced by more backticks than it holds."""
    text = " ".join(text.split()).replace("|", "\\|")
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


#: ``--format`` name, and the output suffixes that choose this format (``report/base.py``).
NAME = "md"
SUFFIXES: tuple[str, ...] = (".md", ".markdown")


def render(results: list[FileResult], gate: Gate, view: View = PLAIN) -> str:
    total = summary(results)
    failed = gate.failed(results)
    sev = total["by_severity"]
    lines = [
        f"### tqcheck: {'❌ failed' if failed else '✅ passed'}",
        "",
        f"**{plural(total['findings'], 'finding')}** in {plural(total['files'], 'file')} "
        f"({sev['critical']} critical, {sev['major']} major, {sev['minor']} minor) · "
        f"{plural(total['words'], 'word')} · score **{total['score']:.1f}**/100 · fail-on {gate.fail_on}"
        + (f", min-score {gate.min_score:g}" if gate.min_score is not None else ""),
    ]
    reasons = gate.reasons(results)
    if reasons:
        lines += ["", *(f"- {cell(r)}" for r in reasons)]
    if len(results) > 1:
        lines += ["", "| File | Words | Findings | Score |", "| --- | ---: | ---: | ---: |"]
        for r in sorted(results, key=lambda r: r.score):
            lines.append(f"| {code(r.doc.path)} | {r.words} | {len(r.findings)} | {r.score:.1f} |")
    rows = [(r, f) for r in results for f in r.findings]
    if rows:
        lines += ["", "| Severity | Where | Rule | Finding | Suggestion |", "| --- | --- | --- | --- | --- |"]
        for r, f in rows[:MAX_ROWS]:
            fix = ", ".join(cell(suggestion_label(s)) for s in f.suggestions[:3]) or "—"
            lines.append(f"| {f.severity.label} | {code(f'{r.doc.path}:{f.line}:{f.column}')} | "
                         f"{code(f.rule)} | {cell(f.message)} | {fix} |")
        if len(rows) > MAX_ROWS:
            lines += ["", f"… and {plural(len(rows) - MAX_ROWS, 'more finding')} (see the full report)."]
    return "\n".join(lines) + "\n"
