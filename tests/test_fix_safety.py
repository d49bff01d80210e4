"""``tqcheck fix`` never loses content: it edits only inside one text run of a file, never empties a
localisation unit, never applies a model's guess, and writes nothing it was not asked to."""
from __future__ import annotations

import difflib
import json
import re
import stat
from pathlib import Path

import pytest

from tqcheck import fix
from tqcheck.cli import main
from tqcheck.core.findings import Finding, Fix, Severity, Span
from tqcheck.formats import load_text

XLIFF = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
<file source-language="fr" target-language="en" datatype="plaintext" original="x">
<body>
{units}
</body></file></xliff>
"""
PO_HEADER = 'msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
#: French UI strings and their English translations: in a localisation file these are the content.
UI_STRINGS = (("Lire aussi", "Read also"), ("Abonnez-vous maintenant", "Subscribe now"),
              ("Partager sur Facebook", "Share on Facebook"),
              ("Cliquez ici pour continuer.", "Click here to continue."))
Unit = tuple[str, str]


def xliff(*units: Unit) -> str:
    return XLIFF.format(units="\n".join(
        f'<trans-unit id="{i}"><source>{s}</source><target>{t}</target></trans-unit>'
        for i, (s, t) in enumerate(units, 1)))


def po(*units: Unit) -> str:
    return PO_HEADER + "".join(f'msgid "{s}"\nmsgstr "{t}"\n\n' for s, t in units)


def tsv(*units: Unit) -> str:
    return "".join(f"{s}\t{t}\n" for s, t in units)


BILINGUAL = {"xlf": xliff, "po": po, "tsv": tsv}


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def scan_json(path: Path, *flags: str, capsys) -> list[dict]:  # type: ignore[no-untyped-def]
    capsys.readouterr()
    main(["scan", "--no-model", "-f", "json", *flags, str(path)])
    return json.loads(capsys.readouterr().out)["files"][0]["findings"]


# -- 1. never across excluded markup ----------------------------------------------------------------
INLINE_CODE = [
    "<p>The minister, <code>foo()</code> said it was fine.</p>\n",
    "<p>Press <kbd>Ctrl</kbd> <kbd>C</kbd> to copy the text.</p>\n",
    "<p>Then call <code>f()</code>.</p>\n",
    "<p>Set <var>x</var> and <samp>y</samp>, then go.</p>\n",
]


@pytest.mark.parametrize("html", INLINE_CODE)
def test_html_excluded_inline_markup_is_kept_and_makes_no_spacing_finding(tmp_path, capsys, html):
    path = write(tmp_path, "a.html", html)
    assert not [f for f in scan_json(path, capsys=capsys)
                if f["rule"] in ("en/multiple-spaces", "en/space-before-comma-period")]
    main(["fix", "--no-model", "--unsafe", str(path)])
    fixed = path.read_text(encoding="utf-8")
    for tag in ("<code>foo()</code>", "<kbd>Ctrl</kbd> <kbd>C</kbd>", "<code>f()</code>", "<var>x</var>",
                "<samp>y</samp>"):
        assert tag not in html or tag in fixed


def test_an_excluded_element_reads_as_a_placeholder(tmp_path, capsys):
    """Neither the words around it side by side (no "the the") nor a gap: a real space before a
    comma after it is still found, and fixed without touching it."""
    html = "<p>Use the <code>x</code> the way you like, said <samp>y</samp> , then.</p>\n"
    path = write(tmp_path, "a.html", html)
    assert [(f["rule"], f["text"]) for f in scan_json(path, capsys=capsys)] == \
        [("en/space-before-comma-period", " ,")]
    main(["fix", "--no-model", str(path)])
    assert path.read_text(encoding="utf-8") == html.replace("</samp> ,", "</samp>,")


def test_a_fix_across_inline_markup_is_reported_not_applied(tmp_path, capsys):
    html = "<p>The 21<sup>e</sup> summit opened in New Delhi on Monday.</p>\n"
    path = write(tmp_path, "a.html", html)
    assert any(f["rule"] == "fr-en/ordinal" for f in scan_json(path, capsys=capsys))
    main(["fix", "--no-model", str(path)])
    assert path.read_text(encoding="utf-8") == html


def test_xliff_inline_codes_in_a_target_are_kept(tmp_path, capsys):
    text = xliff(('Le ministre a dit <ph id="1">%s</ph> que tout allait bien.',
                  'The minister said <ph id="1">%s</ph> that all was fine.'),
                 ('Appuyez sur <x id="1"/> <x id="2"/> pour copier le texte.',
                  'Press <x id="1"/> <x id="2"/> to copy the text.'),
                 ('Cliquez sur <g id="1">le 21e</g> bouton.', 'Click <g id="1">the 21e</g> button.'))
    path = write(tmp_path, "a.xlf", text)
    rules = [f["rule"] for f in scan_json(path, capsys=capsys)]
    assert "fr-en/ordinal" in rules and "en/multiple-spaces" not in rules
    main(["fix", "--no-model", "--unsafe", str(path)])
    fixed = path.read_text(encoding="utf-8")
    assert '<ph id="1">%s</ph>' in fixed and '<x id="1"/> <x id="2"/>' in fixed
    assert 'Click <g id="1">the 21st</g> button.' in fixed  # inside one run: fixed


def test_text_runs_stop_at_markup():
    doc = load_text("a.md", "Some `code` here and [a link](http://x.org) there.\n", "md")
    content = doc.content
    assert doc.run_around(0, content.index("here")) is None  # across the backticks
    assert doc.run_around(content.index("here"), content.index("here") + 8) is not None
    assert doc.run_around(content.index("here"), content.index("there")) is None  # across the link
    po_doc = load_text("a.po", PO_HEADER + 'msgid "a"\nmsgstr ""\n"One \\"two\\" "\n"three"\n', "po")
    one = po_doc.content.index("One")
    assert po_doc.run_around(one, po_doc.content.index("two") + 5) is not None  # escapes are text
    assert po_doc.run_around(one, po_doc.content.index("three")) is None  # two quoted strings


# -- 2, 3, 5. localisation units ---------------------------------------------------------------------
@pytest.mark.parametrize("suffix", BILINGUAL)
def test_page_furniture_rules_are_off_for_localisation_units(tmp_path, capsys, suffix):
    text = BILINGUAL[suffix](*UI_STRINGS)
    path = write(tmp_path, f"ui.{suffix}", text)
    assert scan_json(path, "-s", "fr", capsys=capsys) == []
    assert main(["fix", "--no-model", "-s", "fr", str(path)]) == 0
    assert "no prose" not in capsys.readouterr().err  # what fix said once it had emptied every target
    assert path.read_text(encoding="utf-8") == text


def test_page_furniture_rules_still_run_on_prose(tmp_path, capsys):
    path = write(tmp_path, "a.txt", "The summit opened in Delhi.\n\nRead also\n\nThe talks went on.\n")
    assert [f["rule"] for f in scan_json(path, capsys=capsys)] == ["en/boilerplate-teaser"]


@pytest.mark.parametrize("suffix", BILINGUAL)
def test_fix_never_deletes_a_whole_target(tmp_path, capsys, suffix):
    """Named in ``enable``, a page-furniture rule runs and reports, but its deletion would empty
    the unit: refused.  (This was also `fix` saying "no prose to check" and exiting 2.)"""
    text = BILINGUAL[suffix](("Lire aussi", "Read also"), ("Le 21e sommet.", "The 21e summit."))
    path = write(tmp_path, f"ui.{suffix}", text)
    code = main(["fix", "--no-model", "-s", "fr", "--enable", "en/boilerplate-teaser,fr-en/ordinal", str(path)])
    captured = capsys.readouterr()
    assert "no prose" not in captured.err and code == 1  # the teaser is left, and fails the gate
    assert path.read_text(encoding="utf-8") == text.replace("The 21e", "The 21st")


def test_fix_never_deletes_all_the_text_of_a_document(tmp_path, capsys):
    path = write(tmp_path, "a.txt", "Read also\n")
    assert main(["fix", "--no-model", str(path)]) == 1
    assert path.read_text(encoding="utf-8") == "Read also\n"


# -- 4. model guesses --------------------------------------------------------------------------------
def test_model_guesses_are_never_applied():
    guess = Finding("tq/unexpected-word", "fluency/unnatural", Severity.MINOR, "m", Span(0, 4, "dead"), ("deal",),
                    origin="model", fix=Fix.UNSAFE)
    assert not fix.fixable(guess, unsafe=True)
    assert fix.choose([guess], unsafe=True) == []
    doc = load_text("a.txt", "dead men tell no tales\n", "txt")
    assert fix.applicable([guess], doc, unsafe=True) == []


# -- 6. the same files as scan -----------------------------------------------------------------------
def test_fix_honours_the_ignore_globs(tmp_path, capsys, monkeypatch):
    (tmp_path / "drafts").mkdir()
    text = "The 21e summit opened in New Delhi.\n"
    kept = write(tmp_path / "drafts", "a.txt", text)
    fixed = write(tmp_path, "b.txt", text)
    write(tmp_path, ".tqcheck.toml", 'ignore = ["drafts/*"]\n')
    monkeypatch.chdir(tmp_path)
    main(["fix", "--no-model", "."])
    assert kept.read_text(encoding="utf-8") == text
    assert fixed.read_text(encoding="utf-8") == text.replace("21e", "21st")


# -- 7. Markdown lists -------------------------------------------------------------------------------
def test_markdown_deletions_leave_no_empty_bullet(tmp_path, capsys):
    path = write(tmp_path, "a.md", "The summit opened.\n\n- Read also: Putin in Delhi\n- The 21e summit\n"
                                   "* Subscribe now\n1. Share on Facebook\n\nText after.\n")
    main(["fix", "--no-model", str(path)])
    assert path.read_text(encoding="utf-8") == "The summit opened.\n\n- The 21st summit\n\nText after.\n"


def test_markdown_list_marker_stays_while_its_line_has_text(tmp_path, capsys):
    path = write(tmp_path, "a.md", "- Great summit. Subscribe now\n- The vehicle  itself.\n")
    main(["fix", "--no-model", str(path)])
    assert path.read_text(encoding="utf-8") == "- Great summit.\n- The vehicle itself.\n"


# -- 8. an output that is an input -------------------------------------------------------------------
@pytest.mark.parametrize("command", [["report", "-o"], ["baseline", "create", "--baseline"]])
def test_an_output_that_is_an_input_is_refused(tmp_path, capsys, monkeypatch, command):
    path = write(tmp_path, "a.md", "The 21e summit opened.\n")
    monkeypatch.chdir(tmp_path)
    assert main([*command, "a.md", "--no-model", "./a.md"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "a.md: is one of the files to check" in err
    assert path.read_text(encoding="utf-8") == "The 21e summit opened.\n"


# -- 9. read-only files ------------------------------------------------------------------------------
def test_fix_refuses_a_read_only_file_and_fixes_the_others(tmp_path, capsys):
    text = "The 21e summit opened in New Delhi.\n"
    locked, free = write(tmp_path, "a.txt", text), write(tmp_path, "b.txt", text)
    locked.chmod(0o444)
    assert main(["fix", "--no-model", str(locked), str(free)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{locked}: read-only" in err
    assert locked.read_text(encoding="utf-8") == text and stat.S_IMODE(locked.stat().st_mode) == 0o444
    assert free.read_text(encoding="utf-8") == text.replace("21e", "21st")
    assert main(["fix", "--no-model", "--diff", str(locked)]) == 1  # a diff writes nothing: allowed


# -- every byte outside the edits --------------------------------------------------------------------
SAMPLES = {
    "txt": "The 21e summit opened in New Delhi.\n\nRead also: Putin in Delhi\n\nIndia paid $ 5.5 billion .\n",
    "md": "# The 21e summit\n\nCall `f()` , then [the 21e page](http://x.org/21e) .\n\n- Subscribe now\n"
          "- India paid $ 5.5 billion .\n",
    "html": "<html><body>\n<p>The minister, <code>foo()</code> said the 21e summit opened .</p>\n"
            "<p>Press <kbd>Ctrl</kbd> <kbd>C</kbd> , then <a href=\"/21e\">the 21<sup>e</sup> page</a> .</p>\n"
            "</body></html>\n",
    "xlf": xliff(('Le <ph id="1">%s</ph> 21e sommet a ouvert.', 'The <ph id="1">%s</ph> 21e summit opened .'),
                 ('Appuyez sur <x id="1"/> <x id="2"/>, puis allez.', 'Press <x id="1"/> <x id="2"/> , then go.'),
                 ("Lire aussi", "Read also")),
    "po": po(('Le 21e sommet a ouvert \\"aujourd\'hui\\".', 'The 21e summit opened \\"today\\" .'),
             ("Abonnez-vous", "Subscribe now")),
    "tsv": tsv(("Le 21e sommet a ouvert.", "The 21e summit opened ."), ("Lire la suite", "Read more here")),
}


@pytest.mark.parametrize("suffix", SAMPLES)
def test_every_byte_outside_the_applied_edits_is_kept(tmp_path, capsys, suffix):
    """What a round of fixes changes lies inside the span of an applied finding, or is the white
    space a deletion takes with it (and the marker of a deleted Markdown list item); markup is
    never touched."""
    original = SAMPLES[suffix]
    fmt = {"xlf": "xliff"}.get(suffix, suffix)
    before = fix.check_document(load_text(f"a.{suffix}", original, fmt), fix.Options())
    edits = fix.plan(before, unsafe=True)
    fixed = fix.apply(original, edits, fmt, before.doc)
    assert edits and fixed != original
    spans = [(f.start, f.end) for f in edits]
    matcher = difflib.SequenceMatcher(None, original, fixed, autojunk=False)
    for op, i1, i2, _, _ in matcher.get_opcodes():
        outside = "".join(ch for i, ch in enumerate(original[i1:i2], i1) if not any(a <= i < b for a, b in spans))
        assert op in ("equal", "insert") or not outside.strip(" \t\n-*"), (op, original[i1:i2])
    if fmt not in ("txt", "md"):
        assert re.findall("<[^>]*>", fixed) == re.findall("<[^>]*>", original)
        assert fixed.count('"') == original.count('"') and fixed.count("\t") == original.count("\t")
