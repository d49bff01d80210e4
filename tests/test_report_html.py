"""The HTML report: findings highlighted in place, the chart, the index, and escaping of user text."""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from tqcheck.cli import main
from tqcheck.docs_gen import docs_url
from tqcheck.document import Document, load_text
from tqcheck.findings import Finding, Severity
from tqcheck.fluency.sentences import FileFluency, SentenceFluency
from tqcheck.gate import Gate
from tqcheck.pipeline import FileResult, Options, check_document
from tqcheck.report import html as html_report

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
    outer = Finding("a/outer", "accuracy/addition", Severity.MAJOR, "outer", 0, 34, text[0:34])
    inner = Finding("a/inner", "accuracy/untranslated", Severity.CRITICAL, "inner", 19, 25, text[19:25])
    point = Finding("a/point", "linguistic-conventions/punctuation", Severity.MINOR, "point", 53, 53, "")
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
    finding = Finding(f"x/{PAYLOAD}", PAYLOAD, Severity.MAJOR, PAYLOAD, start, start + len(PAYLOAD), PAYLOAD,
                      suggestions=[PAYLOAD, ""], line=1, column=start + 1)
    point = Finding(PAYLOAD, PAYLOAD, Severity.MINOR, PAYLOAD, 2, 2, "", suggestions=[PAYLOAD])
    results = [FileResult(doc, PAYLOAD, PAYLOAD, [finding, point]),
               FileResult(Document("b.txt", "Fine."), None, "en", [])]
    results[0].fluency = FileFluency(PAYLOAD, PAYLOAD, [SentenceFluency(0, 5, 1, 1, 3, 12.0, 12.0)])
    page = html_report.render(results, Gate())
    tags = parse(page)
    assert [t for t, _ in tags.tags if t == "script"] == ["script"] and tags.scripts == [html_report._JS]
    assert not [t for t, _ in tags.tags if t == "img"]
    assert not [(t, a) for t, a in tags.tags for name in a if name.startswith("on")]
    assert {t for t, _ in tags.tags} <= {
        "html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "p", "span", "b", "main",
        "table", "thead", "tbody", "tr", "th", "td", "a", "section", "figure", "svg", "text", "rect",
        "figcaption", "pre", "mark", "code", "br", "aside", "script"}
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
