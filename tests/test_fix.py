"""``tqcheck fix``: what it applies, how it tidies deletions, and that it never loses data."""
from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest

from tqcheck import fix
from tqcheck.cli import main
from tqcheck.core.findings import Finding, Fix, Severity, Span

from .conftest import ROOT, SEED

TEASER = "Read also Article reserved for our subscribers In Geneva, Joe Biden and Vladimir Poutin start a dialogue"
ARTICLE = (f"The 21e annual summit opened in New Delhi.\n\n{TEASER}\n\n"
           "India bought the S-400 in 2018 for $ 5.5 billion.\n")
FIXED = "The 21st annual summit opened in New Delhi.\n\nIndia bought the S-400 in 2018 for $5.5 billion.\n"


def finding(start: int, end: int, suggestion: str, fix_kind: Fix = Fix.SAFE) -> Finding:
    return Finding("x/rule", "style/unidiomatic", Severity.MINOR, "m", Span(start, end, ""), (suggestion,),
                   fix=fix_kind)


@pytest.fixture
def article(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


# -- choosing and applying edits ----------------------------------------------------------------
def test_outer_deletion_wins_over_fix_inside_it():
    outer, inner = finding(0, 20, ""), finding(5, 9, "Putin")
    assert fix.choose([inner, outer], unsafe=False) == [outer]


def test_unsafe_only_when_asked():
    unsafe = finding(0, 3, "abc", Fix.UNSAFE)
    assert fix.choose([unsafe], unsafe=False) == []
    assert fix.choose([unsafe], unsafe=True) == [unsafe]


def test_whole_line_deletion_leaves_no_blank_line_pileup():
    text = "First.\n\nJunk line\n\nLast.\n"
    start = text.index("Junk")
    assert fix.apply(text, [finding(start, start + 9, "")], "txt") == "First.\n\nLast.\n"


def test_deletion_of_last_lines_keeps_final_newline():
    text = "First.\n\nJunk one\n\njunk two"
    edits = [finding(text.index("Junk"), text.index("Junk") + 8, ""), finding(text.index("junk"), len(text), "")]
    assert fix.apply(text, edits, "txt") == "First.\n"


def test_deletion_inside_a_line_takes_one_space():
    text = "the deliveries were on their way. Read more here. Then they came.\n"
    start = text.index("Read")
    assert fix.apply(text, [finding(start, start + 15, "")], "txt") == \
        "the deliveries were on their way. Then they came.\n"


def test_html_deleted_paragraph_takes_its_element_and_line():
    text = "<body>\n<p>Keep this.</p>\n<p class=\"teaser\">Read also the rest</p>\n<p>Last one.</p>\n</body>\n"
    start = text.index("Read also")
    assert fix.apply(text, [finding(start, start + 18, "")], "html") == \
        "<body>\n<p>Keep this.</p>\n<p>Last one.</p>\n</body>\n"
    inline = "<p>Keep this. <b>Read also</b> more.</p>"  # only block elements go: the paragraph stays
    assert fix.apply(inline, [finding(17, 26, "")], "html") == "<p>Keep this. <b></b> more.</p>"


def test_html_replacement_is_escaped():
    assert fix.apply("<p>A and B</p>", [finding(5, 8, "&")], "html") == "<p>A &amp; B</p>"


@pytest.mark.parametrize(("fmt", "written"), [("xliff", "a &lt;b&gt; &amp; \"c\""), ("po", 'a <b> & \\"c\\"'),
                                              ("txt", 'a <b> & "c"')])
def test_suggestions_are_written_as_the_format_writes_them(fmt, written):
    assert fix.escape('a <b> & "c"', fmt) == written


def test_fixes_the_target_side_of_a_bilingual_file(tmp_path, capsys):
    path = tmp_path / "a.po"
    path.write_text('msgid ""\nmsgstr ""\n"Language: en\\n"\n\nmsgid "Le 21e sommet"\nmsgstr "The 21e summit."\n',
                    encoding="utf-8")
    main(["fix", str(path)])
    assert path.read_text(encoding="utf-8").endswith('msgid "Le 21e sommet"\nmsgstr "The 21st summit."\n')


# -- files --------------------------------------------------------------------------------------
def test_fix_applies_safe_fixes_and_reports_what_is_left(article, capsys):
    code = main(["fix", str(article)])
    assert article.read_text(encoding="utf-8") == FIXED
    out = capsys.readouterr().out
    assert "Fixed 3 findings in 1 file; 0 left" in out
    assert code == 0


def test_fix_is_idempotent_on_the_seed(tmp_path, capsys):
    path = tmp_path / SEED.name
    path.write_bytes(SEED.read_bytes())
    main(["fix", "--unsafe", str(path)])
    once = path.read_bytes()
    assert once != SEED.read_bytes()
    main(["fix", "--unsafe", str(path)])
    assert path.read_bytes() == once
    assert "Fixed 0 findings in 0 files" in capsys.readouterr().out


def test_diff_writes_nothing(article, capsys):
    code = main(["fix", "--diff", str(article)])
    captured = capsys.readouterr()
    assert article.read_text(encoding="utf-8") == ARTICLE
    assert captured.out.startswith(f"--- {article}\n+++ {article}\n")
    assert "-The 21e annual summit" in captured.out and "+The 21st annual summit" in captured.out
    assert f"-{TEASER}" in captured.out
    assert "Would fix 3 findings in 1 file" in captured.err
    assert code == 1  # the file on disk still has them


def test_keeps_permissions_bom_and_line_endings(tmp_path, capsys):
    path = tmp_path / "crlf.txt"
    path.write_bytes(b"\xef\xbb\xbf" + ARTICLE.replace("\n", "\r\n").encode("utf-8"))
    path.chmod(0o640)
    main(["fix", str(path)])
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data[3:].decode("utf-8") == FIXED.replace("\n", "\r\n")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_fixing_through_a_symlink_keeps_the_link(article, capsys):
    link = article.parent / "link.txt"
    link.symlink_to(article)
    main(["fix", str(link)])
    assert link.is_symlink()
    assert article.read_text(encoding="utf-8") == FIXED


@pytest.mark.parametrize("same_size_and_mtime", [False, True])
def test_refuses_a_file_changed_while_fixing(article, monkeypatch, capsys, same_size_and_mtime):
    """Another program writes the file between tqcheck's read and its rename: nothing is lost."""
    theirs = ARTICLE.replace("New Delhi", "Mumbai...") if same_size_and_mtime else "Someone else's edit.\n"
    assert not same_size_and_mtime or len(theirs) == len(ARTICLE)
    real_fix_document = fix.fix_document

    def concurrent_edit(*args, **kwargs):
        result = real_fix_document(*args, **kwargs)
        before = article.stat()
        article.write_text(theirs, encoding="utf-8")
        if same_size_and_mtime:
            os.utime(article, ns=(before.st_atime_ns, before.st_mtime_ns))
        return result

    monkeypatch.setattr(fix, "fix_document", concurrent_edit)
    code = main(["fix", str(article)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "changed on disk while it was being fixed" in err
    assert article.read_text(encoding="utf-8") == theirs
    assert sorted(p.name for p in article.parent.iterdir()) == ["article.txt"]  # no temporary file left


def test_stdin_prints_the_fixed_text():
    proc = subprocess.run([sys.executable, "-m", "tqcheck", "fix", "-"], input=ARTICLE.encode(),
                          capture_output=True, cwd=ROOT, timeout=120)
    assert proc.stdout.decode() == FIXED
    assert b"Fixed 3 findings" in proc.stderr
    assert proc.returncode == 0


def test_exit_one_when_unfixable_findings_remain(tmp_path, capsys):
    path = tmp_path / "a.txt"
    path.write_text("He traveled on his second sortie abroad since the pandemic.\n", encoding="utf-8")
    assert main(["fix", str(path)]) == 1  # a false friend: its fix is unsafe
    assert "left (1 fixable with --unsafe)" in capsys.readouterr().out
    assert main(["fix", "--unsafe", str(path)]) == 0


def test_missing_file_is_one_line_exit_two(tmp_path, capsys):
    assert main(["fix", str(tmp_path / "nope.txt")]) == 2
    assert "nope.txt: no such file" in capsys.readouterr().err
