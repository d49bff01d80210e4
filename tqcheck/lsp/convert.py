"""Findings as LSP diagnostics, code actions and hovers.

Severity: a finding that would fail ``tqcheck scan`` (the gate's ``fail-on`` and ``min-confidence``)
is an Error; otherwise critical is an Error, major a Warning and minor Information; a finding below
``min-confidence`` (shown, never failing) is a Hint.  The rule id is the diagnostic's ``code``, the
MQM category and severity end its message, and ``data`` carries the suggestions and fix safety.
"""
from __future__ import annotations

from lsprotocol import types

from ..api import CheckResult, explain
from ..core.document import Document
from ..core.errors import UsageError
from ..core.findings import Finding, Fix, Severity
from ..fix import apply
from ..gate import Gate
from .positions import Lines

SOURCE = "tqcheck"
_LEVELS = {Severity.CRITICAL: types.DiagnosticSeverity.Error, Severity.MAJOR: types.DiagnosticSeverity.Warning,
           Severity.MINOR: types.DiagnosticSeverity.Information}


def span(lines: Lines, finding: Finding) -> types.Range:
    """The LSP range of a finding's ``[start, end)``."""
    (sl, sc), (el, ec) = lines.position(finding.start), lines.position(finding.end)
    return types.Range(types.Position(sl, sc), types.Position(el, ec))


def level(finding: Finding, gate: Gate) -> types.DiagnosticSeverity:
    if finding.confidence < gate.min_confidence:
        return types.DiagnosticSeverity.Hint
    if gate.fail_on != "never" and finding.severity >= Severity.parse(gate.fail_on):
        return types.DiagnosticSeverity.Error
    return _LEVELS[finding.severity]


def diagnostic(lines: Lines, finding: Finding, gate: Gate) -> types.Diagnostic:
    return types.Diagnostic(
        range=span(lines, finding), severity=level(finding, gate), code=finding.rule, source=SOURCE,
        message=f"{finding.message} ({finding.category}, {finding.severity.label})",
        data={"rule": finding.rule, "category": finding.category, "severity": finding.severity.label,
              "suggestions": list(finding.suggestions), "fix": finding.fix.value if finding.fix else None,
              "confidence": finding.confidence, "origin": finding.origin})


def diagnostics(lines: Lines, result: CheckResult, gate: Gate) -> list[types.Diagnostic]:
    return [diagnostic(lines, f, gate) for f in result.findings]


def overlapping(result: CheckResult, start: int, end: int) -> list[Finding]:
    """Findings that touch ``[start, end]`` (a cursor is an empty range: the finding it is in or at)."""
    return [f for f in result.findings if f.start <= end and start <= f.end]


def code_actions(uri: str, lines: Lines, doc: Document, findings: list[Finding],
                 gate: Gate) -> list[types.CodeAction]:
    """One quick fix per suggestion, the edit that ``tqcheck fix`` would make with it (escaped as
    the format writes it, a deletion tidying its space); none for a span that crosses markup.  A
    safe finding's first suggestion is the preferred one (what an editor's "auto fix" applies)."""
    actions = []
    for f in findings:
        diag = diagnostic(lines, f, gate)
        for i, suggestion in enumerate(f.suggestions):
            edit = text_edit(lines, doc, f, suggestion)
            if edit is None:
                continue
            title = f"Replace “{f.text}” with “{suggestion}”" if suggestion else f"Delete “{f.text}”"
            actions.append(types.CodeAction(
                title=f"{title} ({f.rule})", kind=types.CodeActionKind.QuickFix, diagnostics=[diag],
                edit=types.WorkspaceEdit(changes={uri: [edit]}),
                is_preferred=i == 0 and f.fix is Fix.SAFE and f.origin != "model"))
    return actions


def text_edit(lines: Lines, doc: Document, finding: Finding, suggestion: str) -> types.TextEdit | None:
    """``finding`` replaced by ``suggestion`` as ``fix.apply`` does it, as the one edit of the
    stretch that changes; None when the span is not inside one run of prose."""
    if doc.run_around(finding.start, finding.end) is None:
        return None
    one = finding.evolve(suggestions=(suggestion,))
    old, new = doc.content, apply(doc.content, [one], doc.format, doc)
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end = len(old)
    while end > start and end - len(old) + len(new) > start and old[end - 1] == new[end - 1 - len(old) + len(new)]:
        end -= 1
    # the edit covers at least the finding (an editor then keeps the cursor and undo on the word)
    start, end = min(start, finding.start), max(end, finding.end)
    (sl, sc), (el, ec) = lines.position(start), lines.position(end)
    return types.TextEdit(types.Range(types.Position(sl, sc), types.Position(el, ec)),
                          new[start:end - len(old) + len(new)])


def hover(lines: Lines, findings: list[Finding]) -> types.Hover | None:
    """Each finding's message and its rule's explanation (``tqcheck explain RULE``)."""
    if not findings:
        return None
    parts = []
    for f in findings:
        try:
            why = explain(f.rule)
        except UsageError:  # a termbase entry: its message is all there is
            why = ""
        parts.append(f"{f.message}\n\n{why}".rstrip())
    first = findings[0]
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.PlainText, value="\n\n---\n\n".join(parts)),
                       range=span(lines, first))
