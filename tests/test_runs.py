"""Runs of findings (``tqcheck/core/runs.py``): findings of one rule that overlap, touch or have
only spaces between them are one finding, whose fix changes the file as the parts' fixes would."""
from __future__ import annotations

from pathlib import Path

import pytest

from tqcheck.cli import main
from tqcheck.core.errors import RuleError
from tqcheck.core.results import Options
from tqcheck.formats import load_text
from tqcheck.pipeline import check_document
from tqcheck.rules.matching import RuleSet
from tqcheck.rules.schema import parse_rule, validate_patterns


def _rule(**fields) -> RuleSet:  # type: ignore[no-untyped-def]
    raw = {"id": "t/rule", "type": "substitution", "category": "linguistic-conventions/punctuation",
           "message": "m", "examples": {"flag": ["x"], "pass": ["y"]}, **fields}
    return RuleSet([parse_rule(raw, "t", Path("t.yaml"))])


def _spans(rules: RuleSet, text: str, fmt: str = "txt") -> list[tuple[str, tuple[str, ...]]]:
    return [(f.text, f.suggestions) for f in rules.run(load_text(f"t.{fmt}", text, fmt))]


def test_parts_with_spaces_between_are_one_finding_whose_fix_keeps_the_spaces():
    rules = _rule(swap={"ab": "x"})
    assert _spans(rules, "z ab ab\tab z") == [("ab ab\tab", ("x x\tx",))]
    found = rules.run(load_text("t.txt", "z ab ab\tab z", "txt"))[0]
    assert found.message == "m (3 in a row)" and found.fix is not None


def test_deletions_side_by_side_are_one_deletion():
    assert _spans(_rule(swap={"ab": ""}), "z ab ab z") == [("ab ab", ("",))]


def test_a_run_that_deletes_and_replaces_offers_no_fix():
    assert _spans(_rule(swap={"ab": "", "cd": "x"}), "z ab cd z") == [("ab cd", ())]


@pytest.mark.parametrize(("text", "fmt"), [
    ("z ab\nab z", "txt"),  # a line break
    ("z ab, ab z", "txt"),  # a word character or a comma where the parts offer a fix
    ("It was ab. Then ab z", "txt"),  # a sentence end
    ("<p>ab <b>ab</b></p>", "html"),  # markup between the parts
])
def test_a_run_stops_at_a_line_break_a_mark_or_markup(text, fmt):
    assert _spans(_rule(swap={"ab": "x"}), text, fmt) == [("ab", ("x",)), ("ab", ("x",))]


def test_spaced_quotes_in_a_row_are_one_finding():
    """``en/spaced-straight-quote`` takes the spaces around each mark, so every other mark of
    ``" " " "`` lies between its findings: marks may join parts that offer no fix."""
    text = 'He said ' + '" ' * 500 + "no."
    found = [f for f in check_document(load_text("q.txt", text, "txt"), Options("fr", "en")).findings
             if f.rule == "en/spaced-straight-quote"]
    assert len(found) == 1 and found[0].text.count('"') >= 499
    assert found[0].message.endswith("in a row)")


def test_the_engine_builds_a_finding_per_run_not_per_hit(monkeypatch):
    """A hit that continues its rule's run is a part of it (a tuple), never a Finding of its own:
    1,000 hits in a row cost one Finding, and the run is what merging the hits' findings gives."""
    import tqcheck.rules.matching as matching

    rules = _rule(swap={"ab": "x"})
    built = []
    original = matching.Finding
    monkeypatch.setattr(matching, "Finding", lambda *args: built.append(args) or original(*args))
    found = rules.run(load_text("t.txt", "z " + "ab " * 1000 + "z", "txt"))
    assert len(built) == 1
    assert [(f.text, f.message, f.suggestions) for f in found] == [
        ("ab " * 999 + "ab", "m (1000 in a row)", (" ".join(["x"] * 1000),))]


def test_runs_of_rules_that_interleave_are_built_apart():
    """Hits of two rules alternate; each rule's run is built on its own, and the runs come out in
    text order, a longer span first where two start together."""
    raw = {"type": "substitution", "category": "linguistic-conventions/punctuation",
           "message": "m", "examples": {"flag": ["x"], "pass": ["y"]}}
    rules = RuleSet([parse_rule({**raw, "id": "t/ab", "swap": {"ab": "x"}}, "t", Path("t.yaml")),
                     parse_rule({**raw, "id": "t/abab", "swap": {"ab ab": "y"}}, "t", Path("t.yaml"))])
    found = rules.run(load_text("t.txt", "z ab ab ab ab z", "txt"))
    assert [(f.rule, f.text) for f in found] == [("t/abab", "ab ab ab ab"), ("t/ab", "ab ab ab ab")]


def test_same_rule_on_the_same_words_in_a_row_is_one_finding_and_fix_gives_what_the_parts_give(tmp_path):
    file = tmp_path / "a.txt"
    file.write_text("Talks in Moscou Moscou Moscou resumed.\n", encoding="utf-8")
    found = check_document(load_text(str(file), file.read_text(encoding="utf-8"), "txt"), Options("fr", "en")).findings
    exonym = [f for f in found if f.rule == "fr-en/exonym-city"]
    assert [(f.text, f.suggestions) for f in exonym] == [("Moscou Moscou Moscou", ("Moscow Moscow Moscow",))]
    main(["fix", "--no-model", "-s", "fr", "-t", "en", str(file)])
    once = file.read_text(encoding="utf-8")
    assert once == "Talks in Moscow resumed.\n"  # the repeated words went too
    main(["fix", "--no-model", "-s", "fr", "-t", "en", str(file)])
    assert file.read_text(encoding="utf-8") == once


def test_digit_groups_are_not_repeated_words():
    found = check_document(load_text("n.txt", "It cost 1 000 000 euros, and 17 17 more.", "txt"),
                           Options("fr", "en")).findings
    assert [f.text for f in found if f.rule == "tq/repeated-word"] == [" 17"]


def test_context_conditions_run_as_one_pattern_each_and_refuse_back_references():
    rules = _rule(swap={"ab": "x"}, when=["council", "summit"], unless=["family", "school"])
    assert _spans(rules, "ab at the summit") == [("ab", ("x",))]
    assert _spans(rules, "ab at the summit of the school") == []
    assert _spans(rules, "ab alone") == []
    with pytest.raises(RuleError, match="back reference"):
        validate_patterns(_rule(swap={"ab": "x"}, unless=[r"(\w+) \1"]).rules[0])


def test_context_conditions_sit_under_their_first_letters_and_match_as_each_would_alone():
    """The conditions' pattern is a trie of first-character guards (a search enters a condition
    only where its letters start), with the case-insensitive matches of each condition alone:
    the long s, the Kelvin sign and dotless i included."""
    import re

    conditions = [r"\bmilitary\b", "air ?force", r"\bF-\d+", r"\bjets?\b", r"(?<!\w)kit", "(x)?"]
    unless = _rule(swap={"ab": "x"}, unless=conditions[:-1]).rules[0]
    unless.context_allows("")
    assert unless._context is not None and unless._context[0] is not None
    trie = unless._context[0]
    assert trie.pattern.startswith("(?:[Aa]") and "[Mm][Iiİı][Ll]" in trie.pattern
    texts = ["the MILITARY", "airforce", "AIR FORCE", "an f-16", "jetset", "jets", "a ſquadron",
             "the \u212aIT", "mılitary", "mİlitary", "military-style", "nothing here", "sortie"]
    for text in texts:
        alone = any(re.search(c, text, re.I) for c in conditions[:-1])
        assert (trie.search(text) is not None) is alone, text
    empty = _rule(swap={"ab": "x"}, when=conditions).rules[0]
    assert empty.context_allows("nothing here")  # a condition that matches the empty string


def test_hits_near_each_other_read_one_context_window_rounded_out_to_whole_blocks():
    """A window's ends are rounded out to multiples of ``CONTEXT``: from a hit at the start of a
    long sentence a condition 700 characters on is seen, 2,000 characters on it is not."""
    from tqcheck.rules.matching import CONTEXT

    def flagged(gap: int) -> bool:
        text = "the reunion " + "x" * gap + " of the council"
        found = check_document(load_text("t.txt", text, "txt"), Options("fr", "en")).findings
        return "fr-en/ff-reunion" in {f.rule for f in found}

    assert flagged(CONTEXT + CONTEXT // 2) and not flagged(5 * CONTEXT)


def test_repeated_sentences_read_their_context_once_and_each_keeps_its_own_verdict(monkeypatch):
    """The conditions read only the window and the text before the hit, so a line a page repeats
    is read once; a window of other words still gets its own verdict."""
    rules = _rule(swap={"ab": "x"}, unless=["school"])
    rule = rules.rules[0]
    read = []
    allows = type(rule).context_allows
    monkeypatch.setattr(type(rule), "context_allows", lambda self, *a: read.append(a) or allows(self, *a))
    text = "One ab here. " * 40 + "An ab at school. " + "One ab here. " * 40
    found = [f.text_span.start for f in rules.run(load_text("t.txt", text, "txt"))]
    assert len(read) == 2
    assert len(found) == 80 and text.index("ab at school") not in found


def test_a_repeated_hit_fills_its_templates_once_and_each_finding_keeps_its_place(monkeypatch):
    from tqcheck.rules import matching

    rules = _rule(swap={"colour": "color", "honour": "honor"}, message="Write {suggestion} for {match}")
    filled = []
    suggestions = matching._suggestions
    monkeypatch.setattr(matching, "_suggestions", lambda *a: filled.append(a[2]) or suggestions(*a))
    text = "The colour. " * 30 + "An honour."
    found = rules.run(load_text("t.txt", text, "txt"))
    assert filled == ["colour", "honour"]
    assert len(found) == 31
    assert [(f.text_span.start, f.message, f.suggestions) for f in found][-2:] == [
        (text.rindex("colour"), "Write color for colour", ("color",)),
        (text.index("honour"), "Write honor for honour", ("honor",))]
