"""The rule engine's mechanics: overlap, consistency, case, filters, bad packs, the matcher's guards."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from tqcheck.core.errors import RuleError
from tqcheck.formats import load_text
from tqcheck.rules.examples import example_text
from tqcheck.rules.filters import number, ordinal, roman, thousands
from tqcheck.rules.matching import RuleSet
from tqcheck.rules.packs import load_pack, load_rule_file
from tqcheck.rules.prefilter import first_guards, guard_paths
from tqcheck.rules.scan import CROWDED, LANES, keys_pattern, lane_of, scan_pattern
from tqcheck.rules.schema import parse_rule


def _rule(**extra):
    raw = {
        "id": "test/x", "type": "substitution", "category": "style/unidiomatic", "severity": "minor",
        "message": "m {match} {suggestion}", "examples": {"flag": ["a"], "pass": ["b"]},
    }
    raw.update(extra)
    return parse_rule(raw, "test", Path("test.yaml"))


def _run(rules, text):
    return RuleSet(rules).run(load_text("t", text, "txt"))


def test_filters():
    assert [ordinal(n) for n in "1 2 3 4 11 12 13 21 22 101 111".split()] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st", "111th"]
    assert roman("XXI") == "21" and roman("XIV") == "14" and roman("MCMXC") == "1990"
    assert thousands("600 000") == "600,000" and thousands("2.500.000") == "2,500,000"
    assert thousands("40000") == "40,000" and thousands("1250000") == "1,250,000" and thousands("999") == "999"
    assert number("5,5") == "5.5" and number("1 250 000") == "1,250,000"


def test_overlapping_rules_both_report():
    outer = _rule(id="test/line", type="existence", patterns=[r"Read also[^\n]*"], suggest=[""])
    inner = _rule(id="test/name", swap={"Poutin": "Putin"}, literal=True)
    found = _run([outer, inner], "Read also Biden and Vladimir Poutin meet\nNext.")
    assert {f.rule for f in found} == {"test/line", "test/name"}
    name = next(f for f in found if f.rule == "test/name")
    assert (name.text, name.suggestions) == ("Poutin", ("Putin",))


def test_rule_reports_longest_of_its_own_nested_matches():
    rule = _rule(type="existence", patterns=[r"Read also[^\n]*", r"reserved for subscribers"], suggest=[""])
    found = _run([rule], "Read also Article reserved for subscribers in Geneva\n")
    assert len(found) == 1 and found[0].text.startswith("Read also")


def test_consistency_flags_minority_with_majority_suggestion():
    rule = _rule(type="consistency", variants=[["Kyiv", "Kiev"]])
    found = _run([rule], "Kiev is big. Kiev is old. Kyiv is far.")
    assert [(f.text, f.suggestions) for f in found] == [("Kyiv", ("Kiev",))]
    assert _run([rule], "Kyiv and Kyiv.") == []


def test_suggestion_takes_capital_of_match():
    rule = _rule(swap={"sortie": ["trip", "outing"]}, literal=True, ignorecase=True)
    found = _run([rule], "Sortie was short.")
    assert found[0].suggestions == ("Trip", "Outing")


def test_context_conditions():
    rule = _rule(swap={"sortie": "trip"}, literal=True, unless=[r"\bair force\b"])
    assert _run([rule], "The air force flew a sortie.") == []
    assert len(_run([rule], "His second sortie abroad.")) == 1


def test_after_reads_the_text_before_the_match_across_paragraphs():
    rule = _rule(swap={"sortie": "trip"}, literal=True, after=[r"\A\s*\Z", r"\.\s*\Z"])
    assert len(_run([rule], "sortie one")) == 1  # nothing before
    assert len(_run([rule], "A plan.\n\nsortie one")) == 1
    assert _run([rule], "A plan:\n\nsortie one") == []


def test_bad_rules_are_refused():
    with pytest.raises(RuleError, match="category"):
        _rule(category="nonsense/thing", swap={"a": "b"})
    with pytest.raises(RuleError, match="examples"):
        _rule(examples={"flag": ["a"]}, swap={"a": "b"})
    with pytest.raises(RuleError, match="id must start"):
        _rule(id="other/x", swap={"a": "b"})
    with pytest.raises(RuleError, match="no patterns"):
        _rule()
    with pytest.raises(RuleError, match="unknown filter"):
        _rule(swap={"a": "{0|nosuchfilter}"})


def test_bad_yaml_file(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("rules: [ {", encoding="utf-8")
    with pytest.raises(RuleError, match=r"bad\.yaml"):
        load_rule_file(bad, "test")


def test_guard_paths_follow_the_first_characters():
    assert guard_paths("the (?:cat|dog)") == [("[Tt]", "[Hh]", "[Ee]")]
    assert guard_paths("[Tt]he|[Aa]n?") == [("[Aa]",), ("[Tt]", "[Hh]", "[Ee]")]  # "a" alone may match
    assert guard_paths(r"\d,?%") == [(r"\d", "[%]"), (r"\d", "[,]", "[%]")]
    assert guard_paths(".x") is None and guard_paths("x*") is None and guard_paths("") is None


def test_guard_paths_respect_case_where_it_is_ignored():
    assert first_guards("k") == {"[Kk\u212a]"}  # (?i)k also matches the Kelvin sign
    assert guard_paths("ab[c-e]f") == [("[Aa]", "[Bb]", "[c-e]")]
    assert guard_paths("ab[c-e]f", ignorecase=True) == [("[Aa]", "[Bb]")]  # [c-e] would miss "D"
    assert guard_paths("(?i:ab)[c-e]f") == [("[Aa]", "[Bb]", "[c-e]")]
    assert guard_paths("x(?-i:[a-z])", ignorecase=True) == [("[Xx]", "[a-z]")]


def test_combined_matcher_finds_what_each_key_finds_alone():
    rules = [r for pack in ("en", "fr-en") for r in load_pack(pack)]
    text = "\n\n".join(example_text(e["text"])[0] for r in rules for kind in ("flag", "pass")
                       for e in r.examples[kind])
    text += "\n\n" + text.upper().replace("K", "\u212a").replace("S", "\u017f").replace("I", "\u0131")
    leads = dict(LANES)
    expected: set[int] = set()
    for rule in rules:
        for key, _ in rule.keys:
            expected |= _starts(re.compile(leads[lane_of(rule, key)] + keys_pattern(rule, [key])), text)
    assert _starts(RuleSet(rules).pattern, text) == expected


def test_a_crowded_trie_node_files_its_keys_deeper_and_still_finds_what_they_find():
    """``the`` starts two dozen keys: the scanner tries at ``the cat`` only the keys that can go on
    with `` ca``, not all of them, and still matches wherever a key matches."""
    words = ["cat", "cow", "dog", "owl", "elk", "yak", "emu", "ant", "bee"][:CROWDED + 1]
    rule = _rule(type="existence", patterns=[rf"the {w}s?\b" for w in words], suggest=[""])
    scan = scan_pattern([rule])
    assert r"[Tt][Hh][Ee][\ ](?:[Aa]" in scan and r"[Cc](?:[Aa]" in scan  # deeper than DEPTH
    sparse = _rule(type="existence", patterns=[rf"the {w}s?\b" for w in words[:2]], suggest=[""])
    assert r"[Tt][Hh][Ee](?<=" in scan_pattern([sparse])  # a node with few keys stays DEPTH deep
    text = " ".join(f"the {w} them the {w}s theca {w} the{w} The {w.upper()}" for w in words)
    expected = _starts(re.compile(keys_pattern(rule, [k for k, _ in rule.keys])), text)
    assert len(expected) == 2 * len(words)
    assert _starts(RuleSet([rule]).pattern, text) == expected


def test_rule_ignoring_case_matches_any_case_after_the_first_letters():
    rule = _rule(type="existence", patterns=["ab[c-e]f", "kilo"], ignorecase=True, suggest=[""])
    assert [f.text for f in _run([rule], "ABDF and \u212aILO.")] == ["ABDF", "\u212aILO"]


def _starts(pattern: re.Pattern[str], text: str) -> set[int]:
    """Where ``pattern`` has a non-empty match, scanning as ``RuleSet.run`` does."""
    out: set[int] = set()
    pos = 0
    while (m := pattern.search(text, pos)) is not None:
        if m.end() > m.start():
            out.add(m.start())
        pos = m.start() + 1
    return out


_ONE_RULE = """rules:
  - id: t/doubled
    type: substitution
    category: linguistic-conventions/grammar
    message: "doubled"
    swap: {"the the": "the"}
    examples: {flag: ["[[the the]] end"], pass: ["the end"]}
"""


def test_a_rule_file_is_parsed_once_then_read_from_the_cache(tmp_path, monkeypatch):
    path = tmp_path / "t.yaml"
    path.write_text(_ONE_RULE, encoding="utf-8")
    first = load_rule_file(path, "t")
    import yaml

    def no_parse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("parsed again")

    monkeypatch.setattr(yaml, "load", no_parse)
    again = load_rule_file(path, "t")
    assert [(r.id, r.keys, r.examples) for r in again] == [(r.id, r.keys, r.examples) for r in first]
    path.write_text(_ONE_RULE.replace("doubled", "twice"), encoding="utf-8")  # changed: parsed again
    with pytest.raises(AssertionError, match="parsed again"):
        load_rule_file(path, "t")


def test_a_rule_file_marshal_cannot_store_is_parsed_each_time(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text(_ONE_RULE + "added: 2024-01-01\n", encoding="utf-8")  # a YAML date
    assert [r.id for r in load_rule_file(path, "t")] == ["t/doubled"]
    assert [r.id for r in load_rule_file(path, "t")] == ["t/doubled"]


def test_a_rule_set_compiles_its_guards_on_first_use_once_each():
    """Building a rule set compiles no guard: the table names the same few dozen guards in
    thousands of rows, and compiling them row by row cost more than a short text's scan."""
    rules = RuleSet.for_packs(["en", "fr-en"])
    assert rules._guards == {}
    found = rules.run(load_text("t.txt", "The reunion of the council in Moscou.", "txt"))
    assert {f.rule for f in found} >= {"fr-en/ff-reunion", "fr-en/exonym-city"}
    named = {guard for rows in rules._guarded.values() for row in rows for guard in row[1]}
    assert 0 < len(rules._guards) <= len(named)
