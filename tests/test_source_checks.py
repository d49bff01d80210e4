"""Source-aware checks: number reading and the DEMETR figures (their rules' examples run in
tests/test_rule_examples.py).

DEMETR (tests/data): with ``src_sent`` as the source, replaced numbers and names must be flagged
at the words that changed, and the accepted machine translations (``mt_sent``) must stay clean.
"""
from __future__ import annotations

import difflib

import pytest

from tqcheck.checks import CHECKS
from tqcheck.core.bilingual import attach_source
from tqcheck.core.results import Options
from tqcheck.formats import load_text
from tqcheck.langs.quantities import extract, keys_of, readings
from tqcheck.pipeline import check_document

SOURCE_RULE_IDS = {rule.id for check in CHECKS.all() if "source" in check.needs for rule in check.rules}
OPTIONS = Options(source_lang="fr", target_lang="en")


def paired(target: str, source: str):
    """A document of ``target`` with ``source`` attached, as ``--source`` does."""
    doc = load_text("target", target, "txt")
    attach_source(doc, load_text("source", source, "txt"))
    return doc


# -- reading numbers ----------------------------------------------------------------------------
@pytest.mark.parametrize(("raw", "values"), [
    ("7400", {7400}), ("7 400", {7400}), ("7,400", {7400, 7.4}), ("5,5", {5.5}), ("5.5", {5.5}),
    ("1.234,5", {1234.5}), ("1,234.5", {1234.5}), ("1.2.3", set()),
])
def test_readings(raw, values):
    assert readings(raw) == values


@pytest.mark.parametrize(("source", "target"), [
    ("vers 12 h 00 GMT", "around 1200 GMT"), ("à 15 h 30", "at 3.30 p.m."), ("à 15h", "at 3 pm"),
    ("sept jours", "seven days"), ("quatre-vingt-dix personnes", "ninety people"),
    ("vingt et un ans", "twenty-one years"), ("2,5 millions d'euros", "2.5 million euros"),
    ("2,5 millions d'euros", "2,500,000 euros"), ("les années 70", "the 1970s"), ("le 5 août", "on August 5"),
    ("30000 habitants", "30,000 inhabitants"), ("trois cents", "three hundred"),
])
def test_same_quantity_across_languages(source, target):
    src, tgt = extract(source, "fr"), extract(target, "en")
    assert src and tgt
    assert all(q.keys & keys_of(src) for q in tgt), (source, target)


def test_ambiguous_words_are_not_reported():
    words = extract("One of them came first, the second one later.", "en")
    assert words and not any(q.reportable for q in words)
    assert [q.reportable for q in extract("They march on, then in March", "en")] == [True]


# -- DEMETR -------------------------------------------------------------------------------------
def _source_findings(target: str, source: str):
    doc = paired(target.strip(), source.strip())
    return [f for f in check_document(doc, OPTIONS).findings if f.rule in SOURCE_RULE_IDS]


def _changed(a: str, b: str) -> list[tuple[int, int]]:
    ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    return [(j1, j2) for op, _, _, j1, j2 in ops if op != "equal"]


def test_demetr_mt_rarely_flagged_by_source_checks(demetr_rows):
    pairs = {r["mt_sent"].strip(): r["src_sent"] for r in demetr_rows}
    flagged = {mt: [(f.rule, f.text) for f in found]
               for mt, src in pairs.items() if (found := _source_findings(mt, src))}
    assert len(flagged) / len(pairs) <= 0.02, flagged


@pytest.mark.parametrize("perturbation", ["critical_id10_numbers_replaced", "critical_id9_ne_replaced"])
def test_demetr_replaced_numbers_and_names_flagged_at_changed_words(demetr_rows, perturbation):
    rows = [r for r in demetr_rows if r["pert_name"] == perturbation and r["pert_check"]]
    missed = []
    for row in rows:
        perturbed = row["pert_sent"].strip()
        changed = _changed(row["mt_sent"].strip(), perturbed)
        found = _source_findings(perturbed, row["src_sent"])
        # At the changed words: a finding that overlaps them and is not the whole sentence.
        if not any(f.start <= j2 and j1 <= f.end and f.end - f.start < len(perturbed) * 0.8
                   for f in found for j1, j2 in changed):
            missed.append((row["id"], perturbed, [(f.rule, f.text) for f in found]))
    assert (len(rows) - len(missed)) / len(rows) >= 0.90, missed
