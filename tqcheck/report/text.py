"""Linter-style lines for a terminal or a pipe: ``file:line:col severity rule message → fix``.

Colour only when writing to a terminal and ``NO_COLOR`` is unset (or ``--color always``).  File
names and scanned text pass through :func:`~tqcheck.report.printable`, so a control sequence in
them is shown, never obeyed.
"""
from __future__ import annotations

import io
import os
from collections import Counter
from typing import TextIO

from ..core.findings import Finding, Severity
from ..core.results import FileResult
from ..gate import Gate
from . import languages, plural, printable, run_signature, severity_counts, suggestion_label, summary
from .base import PLAIN, View

_COLORS = {Severity.CRITICAL: "\033[1;35m", Severity.MAJOR: "\033[1;31m", Severity.MINOR: "\033[33m"}
_DIM, _BOLD, _RESET = "\033[2m", "\033[1m", "\033[0m"


def use_color(stream: TextIO, choice: str = "auto") -> bool:
    if choice != "auto":
        return choice == "always"
    return stream.isatty() and not os.environ.get("NO_COLOR")


def finding_line(path: str, f: Finding, color: bool) -> str:
    sev = f.severity.label
    where = printable(f"{path}:{f.line}:{f.column}")
    fix = ""
    if f.suggestions:
        fix = printable(" → " + " | ".join(suggestion_label(s) for s in f.suggestions[:3]))
    if color:
        return (f"{_BOLD}{where}{_RESET} {_COLORS[f.severity]}{sev}{_RESET} {_DIM}{printable(f.rule)}{_RESET} "
                f"{printable(f.message)}{fix}")
    return printable(f"{path}:{f.line}:{f.column} {sev} {f.rule} {f.message}") + fix


def file_line(result: FileResult) -> str:
    line = (f"{printable(result.doc.path)}: {printable(languages(result))}, {plural(result.words, 'word')}, "
            f"{plural(len(result.findings), 'finding')} "
            f"({severity_counts(result.findings)}), penalty {result.penalty:.1f}, score {result.score:.1f}/100")
    fluency = getattr(result, "fluency", None)
    if fluency is not None:
        line += f", fluency {fluency.score:.1f}/100"
    return line


#: ``--format`` name; no output file suffix chooses it.
NAME = "text"
SUFFIXES: tuple[str, ...] = ()


def render(results: list[FileResult], gate: Gate, view: View = PLAIN) -> str:
    """The whole report as :func:`write` writes it."""
    out = io.StringIO()
    write(results, gate, view, out)
    return out.getvalue()


def write(results: list[FileResult], gate: Gate, view: View, out: TextIO) -> None:
    """Every finding, a line per file and the total, then the gate's lines, each line written as
    soon as it is known (a large file's findings are read from disk, never held).  ``view.quiet``
    (``--quiet``): only the findings that fail the gate, as eslint's ``--quiet`` shows errors only;
    ``view.statistics``: :func:`statistics` instead of the findings, then the run's score
    signature (as JSON has it), so counts compared across runs say what produced them."""
    if view.statistics:
        out.write(statistics(results))
        signature = run_signature(results)
        out.write(f"signature: {signature}\n" if signature else "")
    else:
        _findings(results, gate, view, out)
    for reason in gate.reasons(results):
        out.write(f"gate: {printable(reason)}\n")


def _findings(results: list[FileResult], gate: Gate, view: View, out: TextIO) -> None:
    for result in results:
        for f in result.findings:
            if not view.quiet or gate.fails(f):
                out.write(finding_line(result.doc.path, f, view.color) + "\n")
        if not view.quiet:
            out.write((f"{_DIM}{file_line(result)}{_RESET}" if view.color else file_line(result)) + "\n")
    if not view.quiet:
        total = summary(results)
        out.write(
            f"{plural(total['findings'], 'finding')} in {plural(total['files'], 'file')} "
            f"({total['by_severity']['critical']} critical, {total['by_severity']['major']} major, "
            f"{total['by_severity']['minor']} minor); score {total['score']:.1f}/100\n"
        )


def statistics(results: list[FileResult]) -> str:
    """``--statistics``, as ruff prints it: a line per rule with its count, most frequent first
    (ties by rule id), how many of them ``fix`` applies without ``--unsafe``, and the rule's severity."""
    from ..fix import applicable

    counts: Counter[str] = Counter()
    fixable: Counter[str] = Counter()
    severity: dict[str, str] = {}
    for result in results:
        for f in result.findings:
            counts[f.rule] += 1
            severity[f.rule] = f.severity.label
        known = getattr(result.findings, "fixable", None)  # a large file's: its chunks counted them
        fixable.update(known if known is not None else Counter(f.rule for f in applicable(result.findings,
                                                                                          result.doc, False)))
    width = max((len(str(n)) for n in counts.values()), default=1)
    lines = [f"{n:>{width}}\t{printable(rule)}\t{severity[rule]}"
             + (f"\t[{fixable[rule]} fixable]" if fixable[rule] else "")
             for rule, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]
    return "".join(line + "\n" for line in lines)
