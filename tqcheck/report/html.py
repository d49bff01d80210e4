"""One self-contained HTML page: per file the score, a chart of findings by MQM category and
severity, and the text with every finding highlighted in place.

For a bilingual file (XLIFF, PO, TSV, or a translation checked with ``--source``) the text is shown
unit by unit, source beside target, with the findings highlighted on the target side.  A form at the
top filters findings by severity, category and rule; every highlight is reachable with Tab and opens
its details with Enter or Space (Escape closes them), as a click does.

Self-contained means inline CSS and JS (``assets/``, read once and inlined at render time) and no
network resource, so the page can be attached to a CI run or mailed and still open from ``file://``.
Everything that comes from the user (paths, text, rule messages that quote it, suggestions) goes
through :func:`html.escape`, in text and in attributes alike; the script never builds markup from
strings, it only clones and shows nodes the page already has.  Clicking a
highlight, or opening the page at ``#m<file>-<n>`` (the findings table links there), shows the details.
Each finding's rule links to its page on the documentation site (``links.rule_url``), the one
link that leaves the page.
"""
from __future__ import annotations

import bisect
from functools import lru_cache
from html import escape
from importlib.resources import files
from typing import Iterable, NamedTuple

from .._version import __version__
from ..core.findings import Finding, Severity
from ..core.results import FileResult
from ..gate import Gate
from . import by_category, languages, plural, rule_doc, severity_counts, suggestion_label, summary
from .base import PLAIN, View
from .links import rule_url

_ORDER = (Severity.CRITICAL, Severity.MAJOR, Severity.MINOR)
_BAR_HEIGHT = 18
_CHART_WIDTH = 560
_LABEL_WIDTH = 250


class Shade(NamedTuple):
    """A sentence of the file (content offsets) and its fluency score, 0-100."""

    start: int
    end: int
    score: float


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _score_class(value: float) -> str:
    return "good" if value >= 90 else "fair" if value >= 70 else "poor"


# -- chart ----------------------------------------------------------------------------------------
def chart(findings: list[Finding]) -> str:
    """Horizontal bars, one per MQM category, stacked by severity (inline SVG, no script)."""
    table = by_category(findings)
    if not table:
        return '<p class="none">No findings.</p>'
    most = max(sum(c.values()) for c in table.values())
    unit = (_CHART_WIDTH - _LABEL_WIDTH - 40) / most
    rows = []
    for i, (category, counts) in enumerate(table.items()):
        y = i * (_BAR_HEIGHT + 6)
        x: float = _LABEL_WIDTH
        parts = [f'<text class="label" x="{_LABEL_WIDTH - 8}" y="{y + 13}">{_e(category)}</text>']
        for sev in _ORDER:
            n = counts.get(sev, 0)
            if n:
                parts.append(f'<rect class="bar {sev.label}" x="{x:.1f}" y="{y}" width="{n * unit:.1f}" '
                             f'height="{_BAR_HEIGHT}"><title>{_e(category)}: {n} {sev.label}</title></rect>')
                x += n * unit
        parts.append(f'<text class="count" x="{x + 6:.1f}" y="{y + 13}">{sum(counts.values())}</text>')
        rows.append("".join(parts))
    height = len(table) * (_BAR_HEIGHT + 6)
    legend = "".join(f'<span class="key {s.label}">{s.label}</span>' for s in _ORDER)
    return (f'<figure class="chart"><svg class="chart" role="img" width="{_CHART_WIDTH}" height="{height}" '
            f'viewBox="0 0 {_CHART_WIDTH} {height}" aria-label="findings by category and severity">'
            f'{"".join(rows)}</svg><figcaption>{legend}</figcaption></figure>')


# -- highlighted text -----------------------------------------------------------------------------
def shades(result: FileResult) -> list[Shade]:
    """Sentence fluency scores (file offsets), when the fluency model ran on this file."""
    if result.fluency is None:
        return []
    return [Shade(s.start, s.end, s.score) for s in result.fluency.sentences]


def _tooltip(findings: Iterable[Finding]) -> str:
    lines = []
    for f in findings:
        fix = " → " + " | ".join(suggestion_label(s) for s in f.suggestions[:3]) if f.suggestions else ""
        lines.append(f"{f.severity.label} {f.rule}: {f.message}{fix}")
    return "\n".join(lines)


def highlight(content: str, findings: list[Finding], sentence_shades: list[Shade], prefix: str) -> str:
    """``content`` escaped, each stretch under findings in a ``<mark>``, each scored sentence in a
    shaded ``<span>`` (see :func:`highlight_span`)."""
    return highlight_span(content, 0, len(content), list(enumerate(findings)), sentence_shades, prefix)


def highlight_span(content: str, lo: int, hi: int, numbered: list[tuple[int, Finding]],
                   sentence_shades: list[Shade], prefix: str) -> str:
    """``content[lo:hi]`` escaped, each stretch under findings in a ``<mark>``, each scored
    sentence in a shaded ``<span>``.  ``numbered`` pairs each finding inside the span with its
    number in the file, which names its ids.  Overlapping findings cut the text into pieces, each
    marked with all the findings over it, so the markup always nests; every finding also gets an
    empty anchor ``<mark id="m<prefix>-<n>">`` where it starts (a visible caret when it is empty).
    Highlights take the keyboard focus (``tabindex``).  One sweep over the cut points keeps this
    linear in the size of the text."""
    starts: dict[int, list[int]] = {}
    ends: dict[int, list[int]] = {}
    findings = dict(numbered)
    for i, f in numbered:
        starts.setdefault(f.start, []).append(i)
        if f.end > f.start:
            ends.setdefault(f.end, []).append(i)
    shades = sorted(Shade(max(s.start, lo), min(s.end, hi), s.score) for s in sentence_shades
                    if s.start < hi and s.end > lo)
    points = sorted({lo, hi, *starts, *ends, *(p for s in shades for p in (s.start, s.end))})
    out: list[str] = []
    active: set[int] = set()
    open_shade: Shade | None = None
    next_shade = 0
    for a, b in zip(points, points[1:] + [None]):
        active.difference_update(ends.get(a, ()))
        while next_shade < len(shades) and shades[next_shade].end <= a:
            next_shade += 1
        shade = shades[next_shade] if next_shade < len(shades) and shades[next_shade].start <= a else None
        if shade is not open_shade:
            out.append("</span>" if open_shade is not None else "")
            if shade is not None:
                badness = max(0.0, min(1.0, (100.0 - shade.score) / 100.0))
                out.append(f'<span class="sent" style="--badness:{badness:.2f}" '
                           f'title="fluency {shade.score:.0f}/100">')
            open_shade = shade
        for i in starts.get(a, ()):
            f = findings[i]
            kind = f"f point {f.severity.label}" if f.end == f.start else "anchor"
            focus = ' tabindex="0" role="button"' if f.end == f.start else ""
            out.append(f'<mark class="{kind}" id="m{prefix}-{i}" data-f="{prefix}-{i}"{focus} '
                       f'title="{_e(_tooltip([f]))}"></mark>')
            if f.end > f.start:
                active.add(i)
        if b is None:
            break
        piece = _e(content[a:b])
        if not active:
            out.append(piece)
            continue
        over = [findings[i] for i in sorted(active)]
        worst = max(f.severity for f in over)
        out.append(f'<mark class="f {worst.label}" data-f="{" ".join(f"{prefix}-{i}" for i in sorted(active))}" '
                   f'tabindex="0" role="button" title="{_e(_tooltip(over))}">{piece}</mark>')
    if open_shade is not None:
        out.append("</span>")
    return "".join(out)


def side_by_side(result: FileResult, prefix: str) -> str:
    """The units of a bilingual file as rows, source beside target.  The target cell shows the
    unit's own stretch of the file (``content``, the offsets every finding uses) with its findings
    highlighted; findings outside every unit (a file header, text between paragraphs) follow in a
    last row, each shown with its own text, so every finding keeps its highlight and anchor."""
    doc, bilingual = result.doc, result.doc.bilingual
    assert bilingual is not None
    spans = [doc.source_span(u.target.start, u.target.end) for u in bilingual.units]
    # Units do not overlap: only the last one (by start, then end) that starts at or before a
    # finding can hold it, which a bisection finds.
    order = sorted(range(len(spans)), key=lambda k: spans[k])
    starts = [spans[k][0] for k in order]
    placed: dict[int, list[tuple[int, Finding]]] = {}
    outside: list[tuple[int, Finding]] = []
    for i, f in enumerate(result.findings):
        at = bisect.bisect_right(starts, f.start) - 1
        home = order[at] if at >= 0 and f.end <= spans[order[at]][1] else None
        (placed.setdefault(home, []) if home is not None else outside).append((i, f))
    sentence_shades = shades(result)
    src_lang, tgt_lang = result.source_lang or bilingual.source_lang, result.target_lang
    rows = []
    for k, (unit, (lo, hi)) in enumerate(zip(bilingual.units, spans)):
        target = (highlight_span(doc.content, lo, hi, placed.get(k, []), sentence_shades, prefix) if hi > lo
                  else '<span class="missing">(no translation)</span>'
                  + highlight_span(doc.content, lo, hi, placed.get(k, []), [], prefix))
        source = _e(unit.source) or '<span class="missing">(no source)</span>'
        rows.append(f'<tr><td class="unit" title="{_e(unit.id or k + 1)}">{_e(unit.id or k + 1)}</td>'
                    f'<td class="src seg"{_lang(src_lang)}>{source}</td>'
                    f'<td class="tgt seg"{_lang(tgt_lang)}>{target}</td></tr>')
    if outside:
        pieces = " … ".join(highlight_span(doc.content, f.start, f.end, [(i, f)], [], prefix) for i, f in outside)
        rows.append(f'<tr><td class="unit">—</td><td class="src seg"><span class="missing">(outside the units)'
                    f'</span></td><td class="tgt seg">{pieces}</td></tr>')
    origin = f" ({_e(bilingual.origin)})" if bilingual.origin and bilingual.origin != doc.path else ""
    return (f'<table class="pairs"><thead><tr><th class="unit" scope="col">Unit</th>'
            f'<th scope="col">Source{origin}</th><th scope="col">Target</th></tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


def _lang(code: str | None) -> str:
    return f' lang="{_e(code)}"' if code else ""


# -- sections -------------------------------------------------------------------------------------
def _finding_rows(result: FileResult, prefix: str) -> str:
    rows = []
    for i, f in enumerate(result.findings):
        fix = ", ".join(f"“{_e(suggestion_label(s))}”" for s in f.suggestions) or "—"
        rows.append(
            f'<tr id="{prefix}-{i}" class="{f.severity.label}" data-sev="{f.severity.label}" '
            f'data-cat="{_e(f.category)}" data-rule="{_e(f.rule)}">'
            f'<td><a href="#m{prefix}-{i}">{f.line}:{f.column}</a></td>'
            f'<td class="detail"><span class="sev {f.severity.label}">{f.severity.label}</span> '
            f'<a class="rule" href="{_e(rule_url(f.rule))}" title="the rule\'s page"><code>{_e(f.rule)}</code></a> '
            f'<span class="cat">{_e(f.category)}</span><br>'
            f'{_e(f.message)}<br><span class="fix">Suggestions: {fix}</span>'
            f'<span class="why">{_e(why(f.rule))}</span></td>'
            f'<td class="text">{_e(f.text)}</td></tr>'
        )
    if not rows:
        return ""
    return ('<table class="findings"><thead><tr><th>Line:col</th><th>Finding</th><th>Text</th></tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


@lru_cache(maxsize=None)
def why(rule_id: str) -> str:
    """The rule's explanation (its ``why``, else its message): the detail a reader needs to judge
    a finding without leaving the page.  Empty for a rule no pack or check knows (a termbase)."""
    rule = rule_doc(rule_id)
    return (rule.why or rule.message) if rule is not None else ""


_SHADE_LEGEND = ('<p class="legend">Sentences are shaded by the fluency model: the darker, the less '
                 'fluent (hover for the score).</p>')


def _fluency(result: FileResult) -> str:
    if result.fluency is None:
        return ""
    return f" · fluency <b>{result.fluency.score:.1f}</b>/100 ({_e(result.fluency.model)})"


def _text(result: FileResult, prefix: str) -> str:
    if result.doc.bilingual is not None:
        return side_by_side(result, prefix)
    return f'<pre class="text">{highlight(result.doc.content, list(result.findings), shades(result), prefix)}</pre>'


def file_section(result: FileResult, n: int) -> str:
    prefix = f"f{n}"
    return (
        f'<section class="file" id="file-{n}"><h2>{_e(result.doc.path)}</h2>'
        f'<p class="meta"><span class="score {_score_class(result.score)}">{result.score:.1f}</span> '
        f'{_e(languages(result))} · {plural(result.words, "word")} · {plural(len(result.findings), "finding")} '
        f'({_e(severity_counts(result.findings))}) · penalty {result.penalty:.1f}{_fluency(result)}</p>'
        f'{chart(list(result.findings))}'
        f'{_text(result, prefix)}'
        f'{_SHADE_LEGEND if result.fluency is not None else ""}'
        f'{_finding_rows(result, prefix)}</section>'
    )


def index_table(results: list[FileResult]) -> str:
    """One row per file, worst score first; every column sorts on a click."""
    has_fluency = any(r.fluency is not None for r in results)
    heads = ["File", "Words", "Findings", "Critical", "Major", "Minor", "Score"] + (["Fluency"] if has_fluency else [])
    rows = []
    for n, r in sorted(enumerate(results, 1), key=lambda item: item[1].score):
        counts = {s: sum(1 for f in r.findings if f.severity is s) for s in Severity}
        cells = [
            (r.doc.path, f'<a href="#file-{n}">{_e(r.doc.path)}</a>'),
            (r.words, r.words), (len(r.findings), len(r.findings)),
            *((counts[s], counts[s]) for s in _ORDER),
            (r.score, f'<span class="score {_score_class(r.score)}">{r.score:.1f}</span>'),
        ]
        if has_fluency:
            cells.append((r.fluency.score, f"{r.fluency.score:.1f}") if r.fluency is not None else (-1, "—"))
        rows.append("<tr>" + "".join(f'<td data-v="{_e(v)}">{shown}</td>' for v, shown in cells) + "</tr>")
    head = "".join(f'<th scope="col" title="sort">{h}</th>' for h in heads)
    return (f'<table class="index sortable"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


def filter_form(findings: list[Finding]) -> str:
    """Checkboxes for the severities and categories present and a choice of rule; the script
    hides the findings (rows and highlights) that the choice leaves out."""
    if not findings:
        return ""
    sev = {s: sum(1 for f in findings if f.severity is s) for s in _ORDER}
    cats = by_category(findings)
    rules = sorted({f.rule for f in findings})

    def box(name: str, value: str, n: int) -> str:
        return f'<label><input type="checkbox" name="{name}" value="{_e(value)}" checked> {_e(value)} ({n})</label>'

    return ('<form class="filter" id="filter" aria-label="filter findings">'
            '<fieldset><legend>Severity</legend>'
            + "".join(box("sev", s.label, n) for s, n in sev.items() if n) +
            '</fieldset><fieldset><legend>Category</legend>'
            + "".join(box("cat", c, sum(counts.values())) for c, counts in cats.items()) +
            '</fieldset><fieldset><legend>Rule</legend><select name="rule" aria-label="rule">'
            '<option value="">all rules</option>'
            + "".join(f'<option value="{_e(r)}">{_e(r)}</option>' for r in rules) +
            '</select></fieldset><output aria-live="polite"></output></form>')


#: ``--format`` name, and the output suffixes that choose this format (``report/base.py``).
NAME = "html"
SUFFIXES: tuple[str, ...] = (".html", ".htm")


def render(results: list[FileResult], gate: Gate, view: View = PLAIN) -> str:
    total = summary(results)
    verdict = "failed" if gate.failed(results) else "passed"
    header = (
        f'<header><h1>tqcheck report</h1><p class="meta"><span class="score {_score_class(total["score"])}">'
        f'{total["score"]:.1f}</span> {plural(total["files"], "file")} · {plural(total["words"], "word")} · '
        f'{plural(total["findings"], "finding")} ({total["by_severity"]["critical"]} critical, '
        f'{total["by_severity"]["major"]} major, {total["by_severity"]["minor"]} minor) · '
        f'gate <b class="{verdict}">{verdict}</b> (fail-on {_e(gate.fail_on)}'
        f'{f", min-score {gate.min_score:g}" if gate.min_score is not None else ""})</p>'
        f'{filter_form([f for r in results for f in r.findings])}</header>'
    )
    overview = index_table(results) + chart([f for r in results for f in r.findings]) if len(results) > 1 else ""
    sections = "".join(file_section(r, n) for n, r in enumerate(results, 1))
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="tqcheck {__version__}"><title>tqcheck report</title>'
        f"<style>{_CSS}</style></head><body>{header}<main>{overview}{sections}</main>"
        f'<aside id="pop" role="dialog" aria-label="finding details" tabindex="-1" hidden></aside>'
        f"<script>{_JS}</script></body></html>\n"
    )


def _asset(name: str) -> str:
    return files(__package__).joinpath("assets", name).read_text(encoding="utf-8")


#: The page's style and script, inlined into every report (a report is one file).
_CSS = _asset("report.css")
_JS = _asset("report.js")
