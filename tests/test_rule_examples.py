"""Every example of every rule runs here, as LanguageTool does: a rule cannot rot silently.

One runner for every kind of rule the registry knows (``tqcheck.checks.rules``): a pack's YAML
rule runs alone through the engine; a code check's rule through its check, with the example's
``source`` aligned when the check needs the source (in the rule's languages, or the example's own
``source_lang``, e.g. a Chinese source); the model's rules through the model check,
marked ``model`` (skipped without the model packages).  A check added as a file, or by a plugin
installed here, has its examples run without touching this file.
"""
from __future__ import annotations

import re

import pytest

from tqcheck.checks import CHECKS, CheckContext
from tqcheck.core.align import length_model
from tqcheck.core.bilingual import attach_source, sentence_pairs
from tqcheck.core.results import Options
from tqcheck.fluency.environment import missing_packages
from tqcheck.formats import load_text
from tqcheck.rules.examples import example_text
from tqcheck.rules.matching import RuleSet
from tqcheck.rules.packs import all_rules
from tqcheck.rules.scan import keys_by_guard
from tqcheck.rules.schema import validate_patterns

YAML_RULES = all_rules()
CHECK_RULES = [(check, rule) for check in CHECKS.all() for rule in check.rules]
NO_MODEL = bool(missing_packages())


def _cases():
    for check, rule in [(None, rule) for rule in YAML_RULES] + CHECK_RULES:
        marks = [pytest.mark.skipif(NO_MODEL, reason="model packages not installed")] \
            if check is not None and "model" in check.needs else []
        for kind in ("flag", "pass"):
            for i, example in enumerate(rule.examples[kind]):
                yield pytest.param(check, rule, kind, example, id=f"{rule.id}-{kind}-{i}", marks=marks)


def _langs(rule, example: dict) -> tuple[str | None, str | None]:
    """The example's languages: a check rule's (or the example's own source language); a pack's
    rule runs alone, in no language pair."""
    source, target = getattr(rule, "example_langs", (None, None))
    return example.get("source_lang", source), target


def _document(text: str, example: dict, langs: tuple[str | None, str | None]):
    """The example's text as a document; with its ``source``, as a TSV unit or a text with the
    source attached (as ``--source`` does)."""
    if "source" not in example:
        return load_text("example", text, "txt")
    if example.get("format") == "tsv":
        return load_text("example.tsv", f"{example['source']}\t{text}", "tsv")
    doc = load_text("target", text, "txt")
    attach_source(doc, load_text("source", example["source"], "txt"), length_model(*langs))
    return doc


def _findings(check, rule, doc, langs: tuple[str | None, str | None]):
    if check is None:
        return RuleSet([rule]).run(doc)
    source, target = langs
    if "model" in check.needs:  # every word the model flags, not only the likely errors
        ((found, _),) = check.run([(doc, [], target)], Options(model="auto", model_findings="all"))
        return found
    return check.run(doc, CheckContext(source, target, aligned=tuple(sentence_pairs(doc, length_model(*langs)))))


@pytest.mark.parametrize(("check", "rule", "kind", "example"), list(_cases()))
def test_rule_example(check, rule, kind, example):
    text, spans = example_text(example["text"])
    langs = _langs(rule, example)
    findings = [f for f in _findings(check, rule, _document(text, example, langs), langs) if f.rule == rule.id]
    if kind == "pass":
        assert not findings, f"flagged a correct example: {[(f.text, f.message) for f in findings]}"
        return
    assert findings, "example not flagged"
    got = [(f.start, f.end) for f in findings]
    for span in spans:
        assert span in got, f"expected span {span}, got {got} ({[f.text for f in findings]})"
    if example.get("suggest") is not None:
        flagged = next(f for f in findings if (f.start, f.end) == spans[0]) if spans else findings[0]
        assert flagged.suggestions[:1] == (example["suggest"],), flagged.suggestions


def test_every_check_rule_has_examples_of_both_kinds():
    assert all(rule.examples["flag"] and rule.examples["pass"] for _, rule in CHECK_RULES)


def test_source_checks_examples_carry_their_source():
    assert all(ex.get("source") for check, rule in CHECK_RULES if "source" in check.needs
               for kind in ("flag", "pass") for ex in rule.examples[kind])


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
