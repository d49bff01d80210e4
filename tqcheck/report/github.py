"""GitHub Actions workflow commands: each finding becomes an annotation on the pull request's diff.

    ::error file=docs/a.md,line=3,col=7,endLine=3,endColumn=10,title=tqcheck fr-en/ordinal (major)::…

Findings that fail the gate are errors; others are warnings (major, critical) or notices (minor).
Values are escaped as the Actions toolkit does, so user text cannot end a command or start another.
"""
from __future__ import annotations

import io
from typing import TextIO

from ..core.results import FileResult
from ..gate import Gate
from . import plural, suggestion_label, summary
from .base import PLAIN, View

_LEVELS = {"error": "error", "warning": "warning", "note": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


#: ``--format`` name, and the output suffixes that choose this format (``report/base.py``).
NAME = "github"
SUFFIXES: tuple[str, ...] = ()


def render(results: list[FileResult], gate: Gate, view: View = PLAIN) -> str:
    out = io.StringIO()
    write(results, gate, view, out)
    return out.getvalue()


def write(results: list[FileResult], gate: Gate, view: View, out: TextIO) -> None:
    """An annotation per finding, written as it is read, then the run's line."""
    for r in results:
        for f in r.findings:
            end_line, end_column = r.doc.line_column(f.end)
            props = {
                "file": r.doc.path, "line": f.line, "col": f.column, "endLine": end_line,
                "endColumn": end_column, "title": f"tqcheck {f.rule} ({f.severity.label})",
            }
            fix = f" → {' | '.join(suggestion_label(s) for s in f.suggestions[:3])}" if f.suggestions else ""
            head = ",".join(f"{k}={escape_property(str(v))}" for k, v in props.items())
            out.write(f"::{_LEVELS[gate.level(f)]} {head}::{escape_data(f.message + fix)}\n")
        if gate.score_fails(r):
            out.write(f"::error file={escape_property(r.doc.path)},title=tqcheck score::"
                      f"{escape_data(f'score {r.score:.1f} is below --min-score {gate.min_score:g}')}\n")
    total = summary(results)
    out.write(f"tqcheck: {plural(total['findings'], 'finding')} in {plural(total['files'], 'file')}; "
              f"score {total['score']:.1f}/100; gate {'failed' if gate.failed(results) else 'passed'}\n")
