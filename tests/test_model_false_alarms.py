"""The fluency model's findings on clean text: by default only the word findings that are likely
errors (``spans.likely``), every one with ``--model-findings all``; documentation prose is not
failed by ``tq/awkward-sentence``.  Figures: ``benchmarks/eval_clean.py`` (docs/fluency.md).
"""
from __future__ import annotations

import pytest

from tqcheck.cli import build_parser
from tqcheck.config import resolve
from tqcheck.core.errors import UsageError
from tqcheck.core.findings import Finding, Severity, Span
from tqcheck.core.results import Options
from tqcheck.fluency import spans, stage
from tqcheck.fluency.awkward import AWKWARD
from tqcheck.fluency.environment import missing_packages
from tqcheck.fluency.loader import load
from tqcheck.fluency.scorer import LanguageModel
from tqcheck.formats import load_text
from tqcheck.pipeline import check_document

needs_model = pytest.mark.skipif(bool(missing_packages()), reason="model packages not installed")

#: Clean, edited English with the kind of rare but right words (compounds, sports jargon, a
#: surname) on which the model's raw word findings were false alarms.
CLEAN = ("The under-fire fly-half admitted that the side had deserved to lose. Michalak was "
         "overlooked for the cross-country trip, and the coach said he would recall him next year.")
TYPO = "The proportion is alwyas the same here."


def word_finding(text: str, confidence: float, suggestions: list[str]) -> Finding:
    return Finding(spans.UNEXPECTED.id, "fluency/unnatural", Severity.MINOR, "m", Span(0, len(text), text),
                   tuple(suggestions), confidence=confidence, origin="model")


@pytest.mark.parametrize("text, confidence, suggestions, shown", [
    ("alwyas", 0.4, ["always"], True),        # a misspelling: no English word, a likelier neighbour
    ("wins", 0.5, ["wings"], False),          # an English word with a likelier neighbour: used rarely
    ("cross-country", 0.98, [], False),       # a compound of English words
    ("respectivement", 0.9, [], True),        # a French word left in, nearly sure
    ("respectivement", 0.5, [], False),       # ... not sure enough without a correction
    ("Rybachuk", 0.99, [], False),            # a name: rare, capitalised, no correction
    ("Poutin", 0.6, ["Putin"], True),         # a misspelt name with its correction
    ("manager’s", 0.8, [], False),            # a possessive with a typographic apostrophe
    ("doesn’t", 0.8, [], False),              # a contraction
    ("co_positions", 0.9, [], False),         # an identifier in documentation prose
    ("subpkg2", 0.9, [], False),
    ("isDir", 0.9, [], False),                # camelCase
    ("PYTHONPATH", 0.9, [], False),           # all capitals
    ("textually", 0.9, [], False),            # derivations of words of the language
    ("formattable", 0.9, [], False),
    ("broadbanders", 0.9, [], False),
    ("unsalaried", 0.9, [], False),
    ("blighting", 0.9, [], False),            # inflected verbs the frequency list has not seen
    ("outsprinted", 0.9, [], False),
    ("comportement", 0.9, [], True),          # a French noun left in: no English derivation
    ("vacuity", 0.9, [], False),              # rare English words that the frequency list knows
    ("eightieth", 0.9, [], False),
])
def test_likely_keeps_misspellings_and_words_left_in_another_language(text, confidence, suggestions, shown):
    assert spans.likely(word_finding(text, confidence, suggestions), "en") is shown


def test_words_a_document_writes_as_code_or_repeats_are_its_terms():
    terms = spans.document_terms('Call pdb.runeval(expression) after reading ".pdbrc"; clear '
                                 '[bpnumber ...] with attr=2. Then bpnumber and builtins, builtins. '
                                 'Calling "aiterator.__anext__" awaits.')
    assert {"runeval", "pdbrc", "bpnumber", "attr", "pdb", "aiterator"} <= terms.code
    assert "expression" not in terms.code and "builtins" not in terms.code
    assert terms.repeated == {"bpnumber", "builtins"}


@pytest.mark.parametrize("text, suggestions, terms, shown", [
    ("bpnumber", [], spans.Terms(code=frozenset({"bpnumber"})), False),  # written as code elsewhere
    ("builtins", [], spans.Terms(repeated=frozenset({"builtins"})), False),  # a term of the text
    ("alwyas", ["always"], spans.Terms(repeated=frozenset({"alwyas"})), True),  # a repeated misspelling
    ("Karger", ["Larger"], spans.Terms(repeated=frozenset({"Karger"})), False),  # a name the text repeats
    ("Poutin", ["Putin"], spans.Terms(repeated=frozenset({"Vladimir"})), True),  # a name misspelt once
    ("respectivement", [], spans.Terms(), True),
])
def test_likely_leaves_out_the_documents_own_terms(text, suggestions, terms, shown):
    assert spans.likely(word_finding(text, 0.9, suggestions), "en", terms) is shown


def test_model_findings_setting_defaults_to_likely_and_is_checked():
    assert Options().model_findings == "likely"
    parse = build_parser().parse_args
    assert resolve(parse(["scan", "x"])).options(baseline=False).model_findings == "likely"
    assert resolve(parse(["scan", "--model-findings", "all", "x"])).options(baseline=False).model_findings == "all"
    with pytest.raises(UsageError, match="model-findings must be one of likely, all"):
        parse(["scan", "--model-findings", "some", "x"])


@pytest.fixture(scope="module")
def lm() -> LanguageModel:
    return load("smollm2")


def word_findings(lm: LanguageModel, text: str, shown: str) -> list[str]:
    found, _ = stage.apply(lm, load_text("t", text, "txt"), [], "en", shown=shown)
    return [f.text for f in found if f.rule == spans.UNEXPECTED.id]


@needs_model
def test_clean_text_gets_no_word_findings_by_default(lm):
    assert word_findings(lm, CLEAN, "all")  # the raw judgement: rare words surprise the model
    assert word_findings(lm, CLEAN, "likely") == []


@needs_model
def test_a_misspelling_is_still_reported_by_default(lm):
    assert word_findings(lm, TYPO, "likely") == ["alwyas"]


@needs_model
def test_what_is_shown_does_not_change_the_score():
    """The model's judgement enters the score through the file fluency only, so hiding its
    unlikely word findings leaves every score (and the DEMETR pairwise accuracy) as it was."""
    doc = f"{CLEAN} {TYPO}"
    likely, every = (check_document(load_text("t", doc, "txt"), Options(model="smollm2", model_findings=shown))
                     for shown in ("likely", "all"))
    assert len(every.findings) > len(likely.findings)
    assert likely.score == every.score and likely.penalty == every.penalty


#: Documentation prose with a heading and command synopses between its sentences, as the
#: pydoc topics have them: fragments of a few words, where the model has no context to judge.
DOC_PAGE = ("Identity comparisons\n\n"
            "The operators is and is not test for an object's identity: x is y is true if and only "
            "if x and y are the same object.\n\n"
            "pp expression\n\n"
            "Like the p command, except the value of the expression is pretty-printed using the pprint "
            "module.\n\n"
            "unalias name\n\n"
            "Delete the specified alias name. Commands can be abbreviated to their first letters.")


@needs_model
def test_short_fragments_of_documentation_are_not_judged(lm):
    found, _ = stage.apply(lm, load_text("t", DOC_PAGE, "txt"), [], "en")
    assert [f.text for f in found if f.rule == AWKWARD.id] == []
