"""JUnit XML, GitHub Actions annotations and the Markdown summary: they agree with the gate and
survive hostile text."""
from __future__ import annotations

import xml.etree.ElementTree as ET

from tqcheck.cli import main
from tqcheck.core.document import Document
from tqcheck.core.findings import FileSpan, Finding, Severity, Span
from tqcheck.core.results import FileResult
from tqcheck.gate import Gate
from tqcheck.report import github, junit, markdown
from tqcheck.scoring import DEFAULT

from .conftest import SEED

HOSTILE = "a\nb\r%0A::error::x, y: z | `code` <b>bold</b> [link](http://e.x) \x0b&"


def hostile_result() -> FileResult:
    content = f"Intro {HOSTILE} end.\n"
    start = content.index(HOSTILE)
    place = FileSpan(start, start + len(HOSTILE), HOSTILE, 1, start + 1)
    f = Finding("x/rule", "accuracy/addition", Severity.MAJOR, HOSTILE, place, (HOSTILE,), file_span=place)
    doc = Document(f"dir/{HOSTILE[:3]},x:y.md", content)
    return FileResult(doc, None, "en", [f], scores=DEFAULT.scores([f], doc.words, None, "en", ()))


def test_junit_failures_are_the_gates(capsys):
    assert main(["scan", "--no-model", "--format", "junit", "--fail-on", "major", str(SEED)]) == 1
    root = ET.fromstring(capsys.readouterr().out)
    suite = root.find("testsuite")
    cases = suite.findall("testcase")
    failures = [c.find("failure") for c in cases if c.find("failure") is not None]
    assert cases[0].get("name") == "score" and cases[0].find("failure") is None
    assert failures and {f.get("type") for f in failures} <= {"major", "critical"}
    assert int(root.get("failures")) == len(failures)
    passed = [c for c in cases[1:] if c.find("failure") is None]
    assert passed and all("minor" in c.find("system-out").text for c in passed)
    assert int(root.get("tests")) == len(cases)


def test_junit_min_score_fails_the_score_case(capsys):
    main(["scan", "--no-model", "--format", "junit", "--fail-on", "never", "--min-score", "99", str(SEED)])
    root = ET.fromstring(capsys.readouterr().out)
    assert root.get("failures") == "1"
    assert root.find("testsuite/testcase[@name='score']/failure").get("type") == "min-score"


def test_junit_hostile_text_is_well_formed():
    root = ET.fromstring(junit.render([hostile_result()], Gate()))
    failure = root.find("testsuite/testcase/failure")
    assert failure.get("message").startswith("a\nb") and "<b>bold</b>" in failure.text


def test_github_annotations(capsys):
    assert main(["scan", "--no-model", "--format", "github", str(SEED)]) == 1
    lines = capsys.readouterr().out.splitlines()
    ordinal = next(line for line in lines if "fr-en/ordinal" in line)
    assert ordinal.startswith("::error file=") and ",line=3,col=197,endLine=3,endColumn=200," in ordinal
    assert ordinal.endswith("::French ordinal “21e”: English writes “21st” → 21st")
    assert any(line.startswith("::notice ") for line in lines)  # minor findings
    assert lines[-1].startswith("tqcheck: ") and "gate failed" in lines[-1]


def test_github_escapes_so_text_cannot_start_a_command():
    out = github.render([hostile_result()], Gate())
    annotation, summary_line, end = out.split("\n")  # the runner reads one command per line
    assert annotation.startswith("::error file=dir/a%0Ab%2Cx%3Ay.md,line=1,")
    assert "::a%0Ab%0D%250A::error::x, y: z" in annotation and "\r" not in annotation
    assert summary_line.startswith("tqcheck: 1 finding in 1 file;") and end == ""


def test_markdown_summary_and_table(capsys):
    assert main(["scan", "--no-model", "--format", "md", str(SEED)]) == 1
    out = capsys.readouterr().out
    assert out.startswith("### tqcheck: ❌ failed")
    assert "/000_e6414ae541a6d4fd.txt:3:197` | `fr-en/ordinal` | French ordinal “21e”" in out
    assert len(out) < 65_536


def test_markdown_cells_cannot_break_the_table():
    out = markdown.render([hostile_result()], Gate())
    row = next(line for line in out.splitlines() if line.startswith("| major"))
    assert row.count(" | ") == 4  # five cells, no pipe leaked from the text
    assert "<b>" not in out and "&lt;b&gt;" in out and "\\[link\\]" in out


def test_markdown_truncates_long_tables():
    content = "The 21e summit. " * (markdown.MAX_ROWS + 10)
    found = [Finding("fr-en/ordinal", "locale-conventions/number-format", Severity.MAJOR, "m", Span(i, i + 3, "21e"))
             for i in range(4, len(content), 16)]
    doc = Document("a.txt", content)
    out = markdown.render([FileResult(doc, None, "en", found, scores=DEFAULT.scores(found, doc.words, None, "en", ()))],
                          Gate())
    assert out.count("| major |") == markdown.MAX_ROWS and "… and 10 more findings" in out
