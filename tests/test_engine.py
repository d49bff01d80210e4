"""The rule engine's mechanics: overlap, consistency, case, filters, bad packs."""
from __future__ import annotations

from pathlib import Path

import pytest

from tqcheck.document import load_text
from tqcheck.errors import RuleError
from tqcheck.rules.engine import RuleSet, load_rule_file, parse_rule
from tqcheck.rules.filters import number, ordinal, roman, thousands


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
    assert thousands("600 000") == "600,000"
    assert number("5,5") == "5.5" and number("1 250 000") == "1,250,000"


def test_overlapping_rules_both_report():
    outer = _rule(id="test/line", type="existence", patterns=[r"Read also[^\n]*"], suggest=[""])
    inner = _rule(id="test/name", swap={"Poutin": "Putin"}, literal=True)
    found = _run([outer, inner], "Read also Biden and Vladimir Poutin meet\nNext.")
    assert {f.rule for f in found} == {"test/line", "test/name"}
    name = next(f for f in found if f.rule == "test/name")
    assert (name.text, name.suggestions) == ("Poutin", ["Putin"])


def test_rule_reports_longest_of_its_own_nested_matches():
    rule = _rule(type="existence", patterns=[r"Read also[^\n]*", r"reserved for subscribers"], suggest=[""])
    found = _run([rule], "Read also Article reserved for subscribers in Geneva\n")
    assert len(found) == 1 and found[0].text.startswith("Read also")


def test_consistency_flags_minority_with_majority_suggestion():
    rule = _rule(type="consistency", variants=[["Kyiv", "Kiev"]])
    found = _run([rule], "Kiev is big. Kiev is old. Kyiv is far.")
    assert [(f.text, f.suggestions) for f in found] == [("Kyiv", ["Kiev"])]
    assert _run([rule], "Kyiv and Kyiv.") == []


def test_suggestion_takes_capital_of_match():
    rule = _rule(swap={"sortie": ["trip", "outing"]}, literal=True, ignorecase=True)
    found = _run([rule], "Sortie was short.")
    assert found[0].suggestions == ["Trip", "Outing"]


def test_context_conditions():
    rule = _rule(swap={"sortie": "trip"}, literal=True, unless=[r"\bair force\b"])
    assert _run([rule], "The air force flew a sortie.") == []
    assert len(_run([rule], "His second sortie abroad.")) == 1


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
    with pytest.raises(RuleError, match="bad.yaml"):
        load_rule_file(bad, "test")
