"""The HTML report: findings highlighted in place, the chart, the index, and escaping of user text."""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tqcheck.cli import main
from tqcheck.core.bilingual import Bilingual, Unit
from tqcheck.core.document import Document
from tqcheck.core.findings import FileSpan, Finding, Severity, Span
from tqcheck.core.results import FileResult, Options
from tqcheck.core.segments import Segment
from tqcheck.fluency.sentences import FileFluency, SentenceFluency
from tqcheck.formats import load_path, load_text
from tqcheck.gate import Gate
from tqcheck.pipeline import check_document
from tqcheck.report import html as html_report
from tqcheck.report.links import docs_url, rule_url
from tqcheck.report.text import file_line
from tqcheck.rules.packs import find_rule
from tqcheck.scoring import DEFAULT

from .conftest import SEED

# Closes a tag, opens script and img tags, breaks out of double- and single-quoted attributes.
PAYLOAD = ("""</pre></mark><script>alert("x")</script><img src=x onerror=alert(1)>"""
           """" onmouseover="alert(2)' onfocus='alert(3)""")


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text of each script."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


def parse(page: str) -> Tags:
    parser = Tags()
    parser.feed(page)
    return parser


def visible_text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def seed_result() -> FileResult:
    return check_document(load_text(str(SEED), SEED.read_text(encoding="utf-8")), Options())


def highlighted(page: str) -> dict[str, str]:
    """Finding id → the text highlighted for it (the pieces that carry its id, joined)."""
    texts: dict[str, str] = {}
    pieces = re.findall(r'<mark class="f (?:minor|major|critical)" data-f="([^"]+)"[^>]*>([^<]*)</mark>', page)
    for ids, piece in pieces:
        for finding in ids.split():
            texts[finding] = texts.get(finding, "") + html.unescape(piece)
    return texts


def test_every_finding_is_highlighted_in_place():
    result = seed_result()
    page = html_report.render([result], Gate())
    text = re.search(r'<pre class="text">(.*?)</pre>', page, re.S).group(1)
    assert visible_text(text) == result.doc.content  # the whole text, nothing lost or added
    texts = highlighted(text)
    for i, f in enumerate(result.findings):
        assert texts.get(f"f1-{i}") == f.text, f"{f.rule} at {f.line}:{f.column} not highlighted as {f.text!r}"
        assert f'<mark class="anchor" id="mf1-{i}" data-f="f1-{i}"' in text
    ordinal = result.findings.index(next(f for f in result.findings if f.rule == "fr-en/ordinal"))
    assert 'title="major fr-en/ordinal: French ordinal “21e”: English writes “21st” → 21st"></mark>' in text
    assert f'<td><a href="#mf1-{ordinal}">3:197</a></td>' in page


def test_chart_counts_findings_by_category_and_severity():
    result = seed_result()
    page = html_report.render([result], Gate())
    bars = re.findall(r'<rect class="bar (\w+)"[^>]*><title>([^<]+): (\d+) (\w+)</title>', page)
    counted = {(category, severity): int(n) for severity, category, n, _ in bars}
    for f in result.findings:
        assert counted[(f.category, f.severity.label)] >= 1
    assert sum(counted.values()) == len(result.findings)


def test_overlapping_findings_nest_correctly():
    text = "Read also Vladimir Poutin and Putin at the 21e summit.\n"
    outer = Finding("a/outer", "accuracy/addition", Severity.MAJOR, "outer", Span(0, 34, text[0:34]))
    inner = Finding("a/inner", "accuracy/untranslated", Severity.CRITICAL, "inner", Span(19, 25, text[19:25]))
    point = Finding("a/point", "linguistic-conventions/punctuation", Severity.MINOR, "point", Span(53, 53, ""))
    page = html_report.highlight(text, [outer, inner, point], [html_report.Shade(0, 30, 40.0)], "f1")
    assert visible_text(page) == text
    assert '<mark class="f critical" data-f="f1-0 f1-1"' in page  # the worst severity of both
    assert highlighted(page) == {"f1-0": text[0:34], "f1-1": "Poutin"}
    assert '<mark class="f point minor" id="mf1-2"' in page
    assert page.count('<span class="sent" style="--badness:0.60" title="fluency 40/100">') == 1
    parse(page)  # well-formed
    assert page.count("<span") == page.count("</span>") and page.count("<mark") == page.count("</mark>")


def test_user_text_is_escaped_in_every_field():
    content = f"Intro {PAYLOAD} end.\n"
    doc = Document(f"{PAYLOAD}.txt", content)
    start = content.index(PAYLOAD)
    place = FileSpan(start, start + len(PAYLOAD), PAYLOAD, 1, start + 1)
    finding = Finding(f"x/{PAYLOAD}", PAYLOAD, Severity.MAJOR, PAYLOAD, place,
                      suggestions=(PAYLOAD, ""), file_span=place)
    point = Finding(PAYLOAD, PAYLOAD, Severity.MINOR, PAYLOAD, Span(2, 2, ""), suggestions=(PAYLOAD,))
    fluency = FileFluency(PAYLOAD, PAYLOAD, [SentenceFluency(0, 5, 1, 1, 3, 12.0, 12.0)])
    fine = Document("b.txt", "Fine.")
    results = [FileResult(doc, PAYLOAD, PAYLOAD, [finding, point], fluency=fluency,
                          scores=DEFAULT.scores([finding, point], doc.words, fluency, PAYLOAD, ())),
               FileResult(fine, None, "en", [], scores=DEFAULT.scores([], fine.words, None, "en", ()))]
    page = html_report.render(results, Gate())
    tags = parse(page)
    assert [t for t, _ in tags.tags if t == "script"] == ["script"] and tags.scripts == [html_report._JS]
    assert not [t for t, _ in tags.tags if t == "img"]
    assert not [(t, a) for t, a in tags.tags for name in a if name.startswith("on")]
    assert {t for t, _ in tags.tags} <= {
        "html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "p", "span", "b", "main",
        "table", "thead", "tbody", "tr", "th", "td", "a", "section", "figure", "svg", "text", "rect",
        "figcaption", "pre", "mark", "code", "br", "aside", "script",
        "form", "fieldset", "legend", "label", "input", "select", "option", "output"}
    assert f'<option value="{html.escape(finding.rule)}">' in page  # the filter's choices, escaped too
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert '<span class="sent" style="--badness:' in page and "<th scope=\"col\" title=\"sort\">Fluency</th>" in page


def test_self_contained():
    page = html_report.render([seed_result()], Gate())
    tags = parse(page)
    assert not [t for t, _ in tags.tags if t in ("link", "img", "iframe", "object", "embed")]
    assert all("src" not in attrs for _, attrs in tags.tags)
    # the one link out: each finding's rule page on the documentation site (a link, not a resource)
    assert all(attrs["href"].startswith(("#", docs_url() + "rules/")) for t, attrs in tags.tags
               if "href" in attrs)
    assert "url(" not in page and "@import" not in page


def test_index_table_for_many_files_worst_first(tmp_path, capsys):
    (tmp_path / "clean.txt").write_text("The summit went well and both leaders spoke.\n", encoding="utf-8")
    (tmp_path / "bad.txt").write_text("The 21e summit. Vladimir Poutin came.\n", encoding="utf-8")
    (tmp_path / "seed.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "report.html"
    assert main(["report", "--no-model", str(tmp_path), "-o", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    index = re.search(r'<table class="index sortable">(.*?)</table>', page, re.S).group(1)
    scores = [float(v) for v in re.findall(r'<td data-v="([\d.]+)"><span class="score', index)]
    assert len(scores) == 3 and scores == sorted(scores)
    assert page.count('<section class="file"') == 3
    assert "report.html: html report of 3 files" in capsys.readouterr().out


# -- bilingual files, filter, rule explanations, keyboard, languages ------------------------------
DATA = Path(__file__).parent / "data"


def bilingual_result(name: str, source: str | None = None) -> FileResult:
    """A bilingual file of tests/data checked rules-only, or a plain one paired with ``source``."""
    return check_document(load_path(str(DATA / name)), Options(source=str(DATA / source) if source else None))


@pytest.mark.parametrize("name, source", [("bilingual.po", None), ("bilingual-1.2.xlf", None),
                                          ("bilingual.tsv", None), ("target-en.txt", "source-fr.txt")])
def test_bilingual_file_shows_source_beside_target(name, source):
    result = bilingual_result(name, source)
    assert result.findings and result.doc.bilingual is not None
    page = html_report.render([result], Gate())
    assert '<pre class="text">' not in page
    table = re.search(r'<table class="pairs">(.*?)</table>', page, re.S).group(1)
    rows = re.findall(r'<tr><td class="unit"[^>]*>(.*?)</td><td class="src seg"[^>]*>(.*?)</td>'
                      r'<td class="tgt seg"[^>]*>(.*?)</td></tr>', table, re.S)
    units = result.doc.bilingual.units
    assert len(rows) >= len(units)
    for unit, (_, src, tgt) in zip(units, rows):
        assert visible_text(src) == (unit.source or "(no source)")
        lo, hi = result.doc.source_span(unit.target.start, unit.target.end)
        assert visible_text(tgt) == (result.doc.content[lo:hi] if hi > lo else "(no translation)")
    texts = highlighted(table)
    for i, f in enumerate(result.findings):  # every finding, on the target side, with its anchor
        assert f'id="mf1-{i}"' in table and (f.start == f.end or texts.get(f"f1-{i}") == f.text), f.rule
    assert all("f1-" not in src for _, src, _ in rows)


def test_findings_outside_every_unit_keep_their_highlight():
    result = bilingual_result("bilingual.po")
    header = result.doc.content.index("Language: en")
    result.findings.append(Finding("x/header", "style", Severity.MINOR, "m", Span(header, header + 8, "Language")))
    page = html_report.render([result], Gate())
    last = re.findall(r'<tr><td class="unit">—</td>(.*?)</tr>', page, re.S)
    assert len(last) == 1 and highlighted(last[0]) == {f"f1-{len(result.findings) - 1}": "Language"}


def test_filter_lists_severities_categories_and_rules_present():
    result = seed_result()
    page = html_report.render([result], Gate())
    form = re.search(r'<form class="filter" id="filter"[^>]*>(.*?)</form>', page, re.S).group(1)
    boxes = dict(re.findall(r'<input type="checkbox" name="(?:sev|cat)" value="([^"]+)" checked> [^<]+ \((\d+)\)',
                            form))
    for s in Severity:
        n = sum(1 for f in result.findings if f.severity is s)
        assert boxes.get(s.label) == (str(n) if n else None)
    for category in {f.category for f in result.findings}:
        assert int(boxes[category]) == sum(1 for f in result.findings if f.category == category)
    assert re.findall(r'<option value="([^"]*)">', form) == ["", *sorted({f.rule for f in result.findings})]
    rows = re.findall(r'<tr id="f1-\d+" class="(\w+)" data-sev="(\w+)" data-cat="([^"]+)" data-rule="([^"]+)">', page)
    assert [(sev, sev, cat, rule) for sev, _, cat, rule in rows] == [
        (f.severity.label, f.severity.label, f.category, f.rule) for f in result.findings]


def test_each_finding_explains_its_rule_and_links_its_page():
    result = seed_result()
    page = html_report.render([result], Gate())
    i = next(i for i, f in enumerate(result.findings) if f.rule == "fr-en/ordinal")
    row = re.search(rf'<tr id="f1-{i}".*?</tr>', page, re.S).group(0)
    assert f'href="{html.escape(rule_url("fr-en/ordinal"))}"' in row
    why = re.search(r'<span class="why">([^<]+)</span>', row).group(1)
    assert html.unescape(why) == find_rule("fr-en/ordinal").why != ""


def test_every_highlight_takes_the_keyboard_focus():
    page = html_report.render([seed_result()], Gate())
    marks = re.findall(r'<mark class="f [^"]+" [^>]*>', page)
    assert marks and all('tabindex="0" role="button"' in m for m in marks)
    assert not re.findall(r'<mark class="anchor"[^>]*tabindex', page)  # empty anchors are not stops
    assert "mark.f:focus-visible" in html_report._CSS


def test_guessed_source_language_shown_as_the_terminal_shows_it():
    result = bilingual_result("bilingual.po")
    assert result.source_lang is None and result.source_guess is not None
    page = html_report.render([result], Gate())
    meta = re.search(r'<section class="file" id="file-1"><h2>[^<]*</h2><p class="meta">(.*?)</p>', page).group(1)
    guessed = f"{result.source_guess.lang} (guessed, {result.source_guess.confidence:.2f})→en"
    assert html.escape(guessed) in meta and guessed in file_line(result)


def test_bilingual_units_are_escaped_too():
    content = f"Intro {PAYLOAD} end.\n"
    doc = Document(f"{PAYLOAD}.txt", content)
    doc.bilingual = Bilingual([Unit(Segment(0, len(content) - 1), PAYLOAD, PAYLOAD)], source_lang=PAYLOAD,
                              origin=PAYLOAD)
    start = content.index(PAYLOAD)
    finding = Finding(f"x/{PAYLOAD}", PAYLOAD, Severity.MAJOR, PAYLOAD,
                      Span(start, start + 4, content[start:start + 4]))
    scores = DEFAULT.scores([finding], doc.words, None, PAYLOAD, ())
    page = html_report.render([FileResult(doc, PAYLOAD, PAYLOAD, [finding], scores=scores)], Gate())
    tags = parse(page)
    assert [t for t, _ in tags.tags if t == "script"] == ["script"] and not [t for t, _ in tags.tags if t == "img"]
    assert not [(t, a) for t, a in tags.tags for name in a if name.startswith("on")]
    assert [a["lang"] for t, a in tags.tags if t == "td" and "lang" in a] == [PAYLOAD, PAYLOAD]
