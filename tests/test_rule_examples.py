"""Every example of every rule runs here, as LanguageTool does: a rule cannot rot silently."""
from __future__ import annotations

import re

import pytest

from tqcheck.checks import CHECKS, CheckContext
from tqcheck.formats import load_text
from tqcheck.rules.examples import example_text
from tqcheck.rules.matching import RuleSet
from tqcheck.rules.packs import all_rules
from tqcheck.rules.scan import keys_by_guard
from tqcheck.rules.schema import validate_patterns

YAML_RULES = all_rules()
CHECK_RULES = [(check, rule) for check in CHECKS for rule in check.RULES]


def _cases(rules):
    for rule in rules:
        for kind in ("flag", "pass"):
            for i, example in enumerate(rule.examples[kind]):
                yield pytest.param(rule, kind, example, id=f"{rule.id}-{kind}-{i}")


def _assert_example(findings, kind: str, example: dict, spans: list[tuple[int, int]]) -> None:
    if kind == "pass":
        assert not findings, f"flagged a correct example: {[(f.text, f.message) for f in findings]}"
        return
    assert findings, "example not flagged"
    got = [(f.start, f.end) for f in findings]
    for span in spans:
        assert span in got, f"expected span {span}, got {got} ({[f.text for f in findings]})"
    if example.get("suggest") is not None:
        assert findings[0].suggestions[:1] == [example["suggest"]], findings[0].suggestions


@pytest.mark.parametrize(("rule", "kind", "example"), list(_cases(YAML_RULES)))
def test_yaml_rule_example(rule, kind, example):
    text, spans = example_text(example["text"])
    findings = [f for f in RuleSet([rule]).run(load_text("example", text, "txt")) if f.rule == rule.id]
    _assert_example(findings, kind, example, spans)


@pytest.mark.parametrize(("rule", "kind", "example"), list(_cases([r for _, r in CHECK_RULES])))
def test_check_rule_example(rule, kind, example):
    check = next(c for c, r in CHECK_RULES if r is rule)
    text, spans = example_text(example["text"])
    source, target = rule.example_langs
    findings = [f for f in check.run(load_text("example", text, "txt"), CheckContext(source, target))
                if f.rule == rule.id]
    _assert_example(findings, kind, example, spans)


@pytest.mark.parametrize("rule", YAML_RULES, ids=lambda r: r.id)
def test_rule_patterns_compile_alone(rule):
    validate_patterns(rule)


def test_rule_ids_are_unique():
    ids = [r.id for r in YAML_RULES] + [r.id for _, r in CHECK_RULES]
    assert len(ids) == len(set(ids))


def test_all_packs_compile_into_one_matcher():
    rules = RuleSet(YAML_RULES)
    text = "The 21e summit. Vladimir Poutin met Read also nothing."
    assert {f.rule for f in rules.run(load_text("t", text, "txt"))} >= {"fr-en/ordinal", "fr-en/exonym-person"}


@pytest.mark.parametrize("rule", YAML_RULES, ids=lambda r: r.id)
def test_rule_cannot_start_inside_a_word(rule):
    """A key that may start on any letter anywhere is tried at every letter of every text: anchor
    it (``boundary: true``, ``^``, or a lookbehind) so the combined matcher stays fast."""
    for lane, guard in keys_by_guard(rule):
        assert not (lane == "any" and guard and re.match(guard, "a")), f"unanchored key starting with {guard}"
