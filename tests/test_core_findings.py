"""The core's finding types: fix applicability as an enum that serialises as the words reports
have always used, and a rule protocol that both kinds of rule satisfy."""
from __future__ import annotations

import json

import pytest

from tqcheck.checks import check_rules
from tqcheck.core.findings import Finding, Fix, Severity
from tqcheck.core.ruleinfo import RuleInfo
from tqcheck.rules.packs import all_rules


@pytest.mark.parametrize(("fix", "written"), [(Fix.SAFE, "safe"), (Fix.UNSAFE, "unsafe"), (None, None)])
def test_fix_serialises_as_before(fix: Fix | None, written: str | None) -> None:
    finding = Finding("x/y", "style/unidiomatic", Severity.MINOR, "m", 0, 1, "a", ["b"], fix=fix)
    data = finding.to_dict()
    assert data["fix"] == written and type(data["fix"]) is type(written)  # a plain str, not the enum
    assert json.loads(json.dumps(data))["fix"] == written


@pytest.mark.parametrize(("word", "fix"), [("safe", Fix.SAFE), ("unsafe", Fix.UNSAFE), ("none", None), (None, None)])
def test_fix_parses_the_words_of_rule_files_and_reports(word: str | None, fix: Fix | None) -> None:
    assert Fix.parse(word) is fix


def test_an_unknown_fix_word_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown fix 'maybe'"):
        Fix.parse("maybe")


def test_pack_rules_and_code_check_rules_carry_the_fix_enum() -> None:
    rules: list[RuleInfo] = [*all_rules(), *check_rules()]
    assert {r.fix for r in rules} == {Fix.SAFE, Fix.UNSAFE, None}
    assert all(r.fix is None or isinstance(r.fix, Fix) for r in rules)
