"""The de-en, es-en, it-en, fr and en-fr packs beyond their own examples: which packs run for a
target language, and that the packs for English stay silent on correct English."""
from __future__ import annotations

from tqcheck.core.results import Options
from tqcheck.formats import load_text
from tqcheck.pipeline import check_document, pair_packs
from tqcheck.rules.matching import RuleSet

from .conftest import ROOT

NEW_ENGLISH_PACKS = ["de-en", "es-en", "it-en"]
REFERENCE = ROOT / "references" / "000_e6414ae541a6d4fd.en.txt"


def test_french_target_runs_the_french_packs():
    assert pair_packs("en", "fr") == ["fr", "en-fr"]
    assert set(pair_packs(None, "fr")) == {"fr", "en-fr"}
    assert set(pair_packs("de", "en")) == {"en", "de-en"}


def test_english_artifacts_in_a_french_article():
    text = ("L’Inde a reçu Vladimir Putin lundi à l’occasion du 21st sommet annuel, à London. "
            "Cet accord fait du sens pour New Delhi, qui a payé 5.5 milliards de dollars.\n\nRead more\n")
    result = check_document(load_text("article.txt", text), Options(target_lang="fr"))
    found = {f.rule: f.suggestions[0] for f in result.findings}
    assert found["en-fr/exonym-person"] == "Poutine"
    assert found["fr/english-ordinal"] == "21e"
    assert found["en-fr/exonym-place"] == "Londres"
    assert found["en-fr/calque-faire-sens"] == "a du sens"
    assert found["fr/decimal-point"] == "5,5"
    assert found["en-fr/boilerplate-teaser"] == ""


def test_english_packs_stay_silent_on_correct_english(demetr_rows):
    rules = RuleSet.for_packs(NEW_ENGLISH_PACKS)
    sentences = {row[key].strip() for row in demetr_rows for key in ("eng_sent", "mt_sent")}
    sentences.add(REFERENCE.read_text(encoding="utf-8"))
    flagged = {s[:80]: [(f.rule, f.text) for f in rules.run(load_text("x", s, "txt"))] for s in sentences}
    assert {s: f for s, f in flagged.items() if f} == {}
