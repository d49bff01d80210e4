"""One self-contained HTML page: per file the score, a chart of findings by MQM category and
severity, and the text with every finding highlighted in place.

Self-contained means inline CSS and JS and no network resource, so the page can be attached to a CI
run or mailed and still open.  Everything that comes from the user (paths, text, rule messages that
quote it, suggestions) goes through :func:`html.escape`, in text and in attributes alike; the script
never builds markup from strings, it only clones and shows nodes the page already has.  Clicking a
highlight, or opening the page at ``#m<file>-<n>`` (the findings table links there), shows the details.
Each finding's rule links to its page on the documentation site (``docs_gen.rule_url``), the one
link that leaves the page.
"""
from __future__ import annotations

from html import escape
from typing import Iterable, NamedTuple

from .._version import __version__
from ..docs_gen import rule_url
from ..findings import Finding, Severity
from ..gate import Gate
from ..pipeline import FileResult
from . import by_category, plural, severity_counts, suggestion_label, summary

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
        x = _LABEL_WIDTH
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
    shaded ``<span>``.  Overlapping findings cut the text into pieces, each marked with all the
    findings over it, so the markup always nests; every finding also gets an empty anchor
    ``<mark id="m<prefix>-<n>">`` where it starts (a visible caret when it is empty).  One sweep
    over the cut points keeps this linear in the size of the text."""
    starts: dict[int, list[int]] = {}
    ends: dict[int, list[int]] = {}
    for i, f in enumerate(findings):
        starts.setdefault(f.start, []).append(i)
        if f.end > f.start:
            ends.setdefault(f.end, []).append(i)
    shades = sorted(sentence_shades)
    points = sorted({0, len(content), *starts, *ends, *(p for s in shades for p in (s.start, s.end))})
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
            out.append(f'<mark class="{kind}" id="m{prefix}-{i}" data-f="{prefix}-{i}" '
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
                   f'title="{_e(_tooltip(over))}">{piece}</mark>')
    if open_shade is not None:
        out.append("</span>")
    return "".join(out)


# -- sections -------------------------------------------------------------------------------------
def _finding_rows(result: FileResult, prefix: str) -> str:
    rows = []
    for i, f in enumerate(result.findings):
        fix = ", ".join(f"“{_e(suggestion_label(s))}”" for s in f.suggestions) or "—"
        rows.append(
            f'<tr id="{prefix}-{i}" class="{f.severity.label}">'
            f'<td><a href="#m{prefix}-{i}">{f.line}:{f.column}</a></td>'
            f'<td class="detail"><span class="sev {f.severity.label}">{f.severity.label}</span> '
            f'<a class="rule" href="{_e(rule_url(f.rule))}" title="the rule\'s page"><code>{_e(f.rule)}</code></a> '
            f'<span class="cat">{_e(f.category)}</span><br>'
            f'{_e(f.message)}<br><span class="fix">Suggestions: {fix}</span></td>'
            f'<td class="text">{_e(f.text)}</td></tr>'
        )
    if not rows:
        return ""
    return ('<table class="findings"><thead><tr><th>Line:col</th><th>Finding</th><th>Text</th></tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


_SHADE_LEGEND = ('<p class="legend">Sentences are shaded by the fluency model: the darker, the less '
                 'fluent (hover for the score).</p>')


def _fluency(result: FileResult) -> str:
    if result.fluency is None:
        return ""
    return f" · fluency <b>{result.fluency.score:.1f}</b>/100 ({_e(result.fluency.model)})"


def file_section(result: FileResult, n: int) -> str:
    prefix = f"f{n}"
    langs = f"{result.source_lang or '?'}→{result.target_lang}"
    return (
        f'<section class="file" id="file-{n}"><h2>{_e(result.doc.path)}</h2>'
        f'<p class="meta"><span class="score {_score_class(result.score)}">{result.score:.1f}</span> '
        f'{_e(langs)} · {plural(result.words, "word")} · {plural(len(result.findings), "finding")} '
        f'({_e(severity_counts(result.findings))}) · penalty {result.penalty:.1f}{_fluency(result)}</p>'
        f'{chart(result.findings)}'
        f'<pre class="text">{highlight(result.doc.content, result.findings, shades(result), prefix)}</pre>'
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


def render(results: list[FileResult], gate: Gate) -> str:
    total = summary(results)
    verdict = "failed" if gate.failed(results) else "passed"
    header = (
        f'<header><h1>tqcheck report</h1><p class="meta"><span class="score {_score_class(total["score"])}">'
        f'{total["score"]:.1f}</span> {plural(total["files"], "file")} · {plural(total["words"], "word")} · '
        f'{plural(total["findings"], "finding")} ({total["by_severity"]["critical"]} critical, '
        f'{total["by_severity"]["major"]} major, {total["by_severity"]["minor"]} minor) · '
        f'gate <b class="{verdict}">{verdict}</b> (fail-on {_e(gate.fail_on)}'
        f'{f", min-score {gate.min_score:g}" if gate.min_score is not None else ""})</p></header>'
    )
    overview = index_table(results) + chart([f for r in results for f in r.findings]) if len(results) > 1 else ""
    sections = "".join(file_section(r, n) for n, r in enumerate(results, 1))
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="tqcheck {__version__}"><title>tqcheck report</title>'
        f"<style>{_CSS}</style></head><body>{header}<main>{overview}{sections}</main>"
        f'<aside id="pop" hidden></aside><script>{_JS}</script></body></html>\n'
    )


_CSS = """
:root{--minor:#e0a800;--minor-bg:#fff3c4;--major:#d63b3b;--major-bg:#ffd9d6;--critical:#8e3bd6;
--critical-bg:#ecd9ff;font-family:system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d1d1f}
body{margin:0 auto;max-width:70rem;padding:1rem 1.5rem;line-height:1.45}
h1{margin:.2rem 0}h2{font-size:1.15rem;margin:2rem 0 .3rem;word-break:break-all}
.meta{color:#444}.score{display:inline-block;min-width:3.2em;text-align:center;border-radius:4px;
padding:0 .35em;font-weight:700;color:#fff}.score.good{background:#2e7d32}.score.fair{background:#c77700}
.score.poor{background:#c62828}.failed{color:#c62828}.passed{color:#2e7d32}
section.file{border-top:1px solid #ddd}
pre.text{white-space:pre-wrap;overflow-wrap:anywhere;font:1rem/1.6 Georgia,serif;background:#fafafa;
border:1px solid #eee;padding:1rem;border-radius:6px}
mark.f{cursor:pointer;border-bottom:2px solid;color:inherit;border-radius:2px}
mark.minor{background:var(--minor-bg);border-color:var(--minor)}
mark.major{background:var(--major-bg);border-color:var(--major)}
mark.critical{background:var(--critical-bg);border-color:var(--critical)}
mark.point::after{content:"‸";font-weight:700}mark.anchor{background:none}
mark.active{outline:2px solid #1565c0}
.sent{background:rgba(21,101,192,calc(var(--badness)*.35));border-radius:2px}
svg.chart{max-width:100%;height:auto;font-size:12px}svg .label{text-anchor:end}
rect.minor{fill:var(--minor)}rect.major{fill:var(--major)}rect.critical{fill:var(--critical)}
figure.chart{margin:.5rem 0}figcaption .key{margin-right:1em;font-size:.85em}
figcaption .key::before{content:"";display:inline-block;width:.8em;height:.8em;margin-right:.3em;
vertical-align:-.05em}.key.minor::before{background:var(--minor)}.key.major::before{background:var(--major)}
.key.critical::before{background:var(--critical)}
table{border-collapse:collapse;width:100%;font-size:.9rem;margin:.5rem 0}
td,th{border-bottom:1px solid #e5e5e5;padding:.3rem .5rem;text-align:left;vertical-align:top}
table.sortable th{cursor:pointer;user-select:none;background:#f3f3f3}
th[data-dir=asc]::after{content:" ▲"}th[data-dir=desc]::after{content:" ▼"}
td.text{font-family:Georgia,serif;white-space:pre-wrap}
.sev{font-weight:700;text-transform:uppercase;font-size:.75em}.sev.minor{color:var(--minor)}
.sev.major{color:var(--major)}.sev.critical{color:var(--critical)}.cat,.fix,.legend{color:#555}
tr.hit{background:#e3f0ff}
#pop{position:absolute;z-index:10;max-width:32rem;background:#fff;border:1px solid #bbb;
border-radius:6px;box-shadow:0 4px 16px rgba(0,0,0,.18);padding:.5rem .75rem;font-size:.9rem}
#pop>div+div{border-top:1px solid #eee;margin-top:.4rem;padding-top:.4rem}
"""

_JS = """
(function(){
var pop=document.getElementById('pop');
function clear(){
  document.querySelectorAll('mark.active,tr.hit').forEach(function(n){n.classList.remove('active','hit')});
}
function show(m){
  clear();
  var boxes=m.dataset.f.split(' ').map(function(id){
    var row=document.getElementById(id);row.classList.add('hit');
    var box=document.createElement('div'),d=row.querySelector('.detail').cloneNode(true);
    box.append.apply(box,Array.prototype.slice.call(d.childNodes));return box;});
  pop.replaceChildren.apply(pop,boxes);
  m.dataset.f.split(' ').forEach(function(id){
    document.querySelectorAll('mark.f[data-f~="'+id+'"]').forEach(function(n){n.classList.add('active')});});
  var r=m.getBoundingClientRect();
  pop.style.left=(window.scrollX+Math.max(8,Math.min(r.left,innerWidth-520)))+'px';
  pop.style.top=(window.scrollY+r.bottom+6)+'px';pop.hidden=false;
}
function fromHash(){
  var m=location.hash&&document.getElementById(decodeURIComponent(location.hash.slice(1)));
  if(m&&m.matches('mark[data-f]'))show(m);
}
document.addEventListener('click',function(e){
  var m=e.target.closest('mark[data-f]');
  if(m){show(m);return;}
  if(!e.target.closest('#pop')){clear();pop.hidden=true;}
});
document.addEventListener('keydown',function(e){if(e.key==='Escape')pop.hidden=true;});
window.addEventListener('hashchange',fromHash);fromHash();
document.querySelectorAll('table.sortable th').forEach(function(th,i){
  th.addEventListener('click',function(){
    var body=th.closest('table').tBodies[0],dir=th.dataset.dir==='asc'?'desc':'asc';
    th.parentNode.querySelectorAll('th').forEach(function(h){delete h.dataset.dir});th.dataset.dir=dir;
    var rows=Array.prototype.slice.call(body.rows).sort(function(a,b){
      var x=a.cells[i].dataset.v,y=b.cells[i].dataset.v,nx=parseFloat(x),ny=parseFloat(y);
      var c=(isNaN(nx)||isNaN(ny))?x.localeCompare(y):nx-ny;return dir==='asc'?c:-c;});
    rows.forEach(function(r){body.appendChild(r)});
  });
});
})();
"""
