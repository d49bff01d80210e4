"""tq/mojibake: UTF-8 read as Windows-1252 or Latin-1 is found, and fixed safely by ftfy's repair.
(The rule's own examples run in test_rule_examples.py.)"""
from __future__ import annotations

import json
import re

from tqcheck.checks import CheckContext, mojibake
from tqcheck.cli import main
from tqcheck.core.document import PLACEHOLDER
from tqcheck.formats import load_text

DAMAGED = "The ticket costs Â£5 at the cafÃ©.\n\nItâ€™s the end of an era, he said.\n"
REPAIRED = "The ticket costs £5 at the café.\n\nIt’s the end of an era, he said.\n"
#: Correct text full of the characters mojibake is made of: accents, symbols, curly quotes.
CLEAN = (
    "Le café « Ça va » ouvre à 8 h ; l’été dernier, São Paulo et Zürich ont gagné. "
    "NÃO é o âmbito: Ångström, Øresund, Ærø, Œdipe, naïve, £5, €10, ¥300, © 2024, ™, ½ cup, "
    "“quoted” — dash – en dash … ellipsis • bullet ° degrees ± 2 µm, ß, Ł, č, ğ, ő.\n"
)


def _findings(text: str):  # type: ignore[no-untyped-def]
    return mojibake.run(load_text("t.txt", text, "txt"), CheckContext("fr", "en"))


def test_double_encoded_text_is_flagged_with_ftfys_repair():
    found = _findings(DAMAGED)
    assert [(f.text, f.suggestions) for f in found] == [("Â£", ("£",)), ("Ã©", ("é",)), ("â€™", ("’",))]
    assert {(f.rule, f.category, f.severity.label, f.fix) for f in found} == {
        ("tq/mojibake", "linguistic-conventions/character-encoding", "major", "safe")}


def test_correct_accents_and_symbols_are_not_mojibake():
    assert _findings(CLEAN) == []


def test_a_sequence_over_a_no_break_space_is_one_finding():
    """"à" is C3 A0 in UTF-8; A0 read as Latin-1 is a no-break space."""
    found = _findings("Un voyage Ã\xa0 Paris.")
    assert [(f.text, f.suggestions) for f in found] == [("Ã\xa0", ("à",))]


def test_scan_reports_it_and_fix_repairs_the_file(tmp_path, capsys):
    file = tmp_path / "a.txt"
    file.write_text(DAMAGED, encoding="utf-8")
    assert main(["scan", "--no-model", "-t", "en", "--format", "json", str(file)]) == 1
    rules = [f["rule"] for f in json.loads(capsys.readouterr().out)["files"][0]["findings"]]
    assert rules.count("tq/mojibake") == 3
    main(["fix", "--no-model", "-t", "en", str(file)])
    assert file.read_text(encoding="utf-8") == REPAIRED


def test_a_plain_space_becomes_part_of_a_repair_only_when_a_letter_comes_of_it():
    """ftfy reads "â€ " as "†" (E2 80 A0, the A0 taken for a lost no-break space): not a safe fix."""
    found = _findings("He said â€œnoâ€ twice.")
    assert [(f.text, f.suggestions) for f in found] == [("â€œ", ("“",))]


def test_the_scan_near_non_ascii_characters_finds_what_a_scan_of_the_whole_text_finds():
    """Only windows around non-ASCII characters are scanned; that is exact while every sequence
    ftfy's pattern knows holds a non-ASCII character and is shorter than the window's margin."""
    from re import _parser  # type: ignore[attr-defined]

    from ftfy import badness

    parsed = _parser.parse(badness.BADNESS_RE.pattern, badness.BADNESS_RE.flags)
    assert parsed.getwidth()[1] < mojibake._REACH
    ours = mojibake._badness()  # read from the cache: the same pattern, compiled with its flags
    assert (ours.pattern, ours.flags) == (badness.BADNESS_RE.pattern, badness.BADNESS_RE.flags)
    texts = [DAMAGED, CLEAN, "x" * 40 + "Ã©" + "y" * 40 + "â€™" + " " * 15 + "Ã ", "plain ASCII only", "Ã ",
             "a \ufffc b  , c\n" * 20, "Ã\ufffc©\ufffcâ€\ufffc™ cafÃ©\ufffc",  # the placeholder of excluded markup
             "Ã yz Ã " * 9, ("Publicité\nLe cafÃ© Ã  côté. " + " " * 9) * 30]  # windows of one text, scanned once
    for text in texts:
        assert list(mojibake._suspicious(text)) == [m.span() for m in badness.BADNESS_RE.finditer(text)]
    every = "".join(chr(c) + PLACEHOLDER + chr(c) for c in range(0x80, 0x3000))
    assert all(any(ord(c) > 0x7F and c != PLACEHOLDER for c in m.group()) for m in badness.BADNESS_RE.finditer(every))
    assert list(mojibake._NON_ASCII.finditer("a \ufffc b  , c\n" * 20)) == []


def test_a_repeated_line_is_scanned_once(monkeypatch):
    """A scraped page repeats its lines: the window of a text seen before is not scanned again,
    and its findings are still reported at every place."""
    from ftfy import badness

    scanned = []

    class Counting:
        def finditer(self, text, start, end):
            scanned.append(start)
            return pattern.finditer(text, start, end)

    pattern = badness.BADNESS_RE
    monkeypatch.setattr(mojibake, "_badness", Counting)
    text = "Le cafÃ© ouvre.\nPublicité\n" * 50
    found = _findings(text)
    assert len(scanned) <= 3  # the first line's windows (the text's first one is never shared)
    assert [f.start for f in found] == [m.start() + 6 for m in re.finditer("Le cafÃ©", text)]


def test_a_long_run_of_damaged_words_is_compared_in_short_stretches(monkeypatch):
    """difflib costs the cube of a run's length: 5 KB of "cafÃ© " took 80 s."""
    import difflib

    real = difflib.SequenceMatcher

    def short_only(junk, a, b, **kw):  # type: ignore[no-untyped-def]
        assert max(len(a), len(b)) <= 2 * mojibake._MAX_CHANGE
        return real(junk, a, b, **kw)

    monkeypatch.setattr(difflib, "SequenceMatcher", short_only)
    found = _findings("cafÃ© " * 2000)
    assert [(f.text, f.suggestions[0]) for f in found] == [(("cafÃ© " * 2000).strip(), ("café " * 2000).strip())]


def test_damaged_words_side_by_side_are_one_finding_over_the_words():
    """One converter's slip, one finding: a finding per word would be one every few characters."""
    found = _findings("We met at the cafÃ© crÃ¨me, then at the Ã©cole.")
    assert [(f.text, f.suggestions) for f in found] == [("cafÃ© crÃ¨me,", ("café crème,",)), ("Ã©", ("é",))]
    assert "“cafÃ© crÃ¨me,” is mojibake" in found[0].message
    long = _findings("cafÃ© " * 100)[0]
    assert long.message.startswith("“" + ("cafÃ© " * 100)[:mojibake._SHOWN] + "…”")


def test_text_with_curly_quotes_is_scanned_without_importing_ftfy():
    """ftfy's import costs a tenth of a rules-only scan of an article; its pattern comes from the
    cache (filled by the first scan), and ftfy loads only to repair a damaged window."""
    import subprocess
    import sys

    mojibake._badness()  # the cache entry, as a first run leaves it
    code = ("import sys; from tqcheck.checks import mojibake; from tqcheck.formats import load_text; "
            "doc = load_text('a.txt', 'It’s “fine” at the café – really.', 'txt'); "
            "found = mojibake.run(doc, None); print(len(found), 'ftfy' in sys.modules); "
            "found = mojibake.run(load_text('b.txt', 'It costs Â£5.', 'txt'), None); "
            "print(len(found), 'ftfy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["0", "False", "1", "True"]
