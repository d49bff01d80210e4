"""Typical French→English (and German, Spanish, Italian→English) machine-translation artifacts are
caught by the rules alone, and their corrected versions are not; a sentence the model finds far
less fluent than the language and its document gets ``tq/awkward-sentence``.

The sentences are written for this test in the style of news MT, one per class of artifact; the
rule examples (tests/test_rule_examples.py) test each pattern's edges.
"""
from __future__ import annotations

import math

import pytest

from tqcheck.core.findings import Finding, Severity
from tqcheck.core.results import Options
from tqcheck.fluency import awkward, stage
from tqcheck.fluency.environment import missing_packages
from tqcheck.fluency.loader import load
from tqcheck.fluency.scorer import TokenScores
from tqcheck.formats import load_text
from tqcheck.pipeline import check_document
from tqcheck.rules.examples import example_text
from tqcheck.scoring import DEFAULT

#: (source language, literal MT, a corrected English version).
CASES = [
    ("fr", "Actually, the unemployment rate stands at 7.4% in France.",
     "Currently, the unemployment rate stands at 7.4% in France."),
    ("fr", "Effectively, the government confirmed the closure of the site.",
     "Indeed, the government confirmed the closure of the site."),
    ("fr", "It is about a man of 52 who was arrested in Lyon.",
     "The suspect is a man of 52 who was arrested in Lyon."),
    ("fr", "It is a question of reassuring the markets before the summit.",
     "The aim is to reassure the markets before the summit."),
    ("fr", "The victim has 45 years and lived alone.", "The victim was 45 and lived alone."),
    ("fr", "He has 45 years and works at the town hall.", "He is 45 and works at the town hall."),
    ("fr", "The Prime Minister will receive the unions this Tuesday.",
     "The Prime Minister will receive the unions on Tuesday."),
    ("fr", "The decree was published on 14 mars in the Official Journal.",
     "The decree was published on 14 March in the Official Journal."),
    ("fr", "The deputies voted the law by 320 votes to 200.",
     "The MPs passed the law by 320 votes to 200."),
    ("fr", "The government wants eventually to realize a reform of the pension system.",
     "The government may carry out a reform of the pension system."),
    ("fr", "A manifestation gathered 3,000 people in Marseille on Saturday.",
     "A demonstration gathered 3,000 people in Marseille on Saturday."),
    ("fr", "The coach presented his demission after the defeat.",
     "The coach offered his resignation after the defeat."),
    ("fr", "The minister evoked the possibility of new restrictions.",
     "The minister mentioned the possibility of new restrictions."),
    ("fr", "The price of gasoil reached a record at the pump.",
     "The price of diesel reached a record at the pump."),
    ("fr", "The negotiations are at the point dead since the spring.",
     "The negotiations have been at a standstill since the spring."),
    ("fr", "He lives in Paris since ten years with his family.",
     "He has lived in Paris for ten years with his family."),
    ("fr", "The suspect was placed in custody in the framework of the investigation.",
     "The suspect was placed in custody as part of the investigation."),
    ("fr", "The actual president of the region was re-elected.",
     "The current president of the region was re-elected."),
    ("de", "The law comes into force on 1. Januar 2024.", "The law comes into force on 1 January 2024."),
    ("es", "The agreement was signed on 14 de marzo in Madrid.",
     "The agreement was signed on 14 March in Madrid."),
    ("it", "The elections will take place on 25 settembre.",
     "The elections will take place on 25 September."),
    ("es", "The company realized a study of 2,000 customers.",
     "The company carried out a study of 2,000 customers."),
    ("de", "The actual chancellor wants eventually to meet the unions tomorrow.",
     "The current chancellor may meet the unions tomorrow."),
    ("de", "After 40 years at the plant he went into rent last spring.",
     "After 40 years at the plant he retired last spring."),
    ("de", "The regime is accused of a gift gas attack on the town.",
     "The regime is accused of a poison gas attack on the town."),
    ("de", "Many nurses complain of mobbing at the workplace.",
     "Many nurses complain of bullying at the workplace."),
    ("es", "The hotel asks guests not to molest the neighbours after midnight.",
     "The hotel asks guests not to disturb the neighbours after midnight."),
    ("es", "Volunteers recollected 80,000 signatures for the referendum.",
     "Volunteers collected 80,000 signatures for the referendum."),
    ("es", "The lecture of the verdict was broadcast live.",
     "The reading of the verdict was broadcast live."),
    ("es", "The minister assisted to the summit in Lima.",
     "The minister attended the summit in Lima."),
    ("it", "The unions pretend higher wages for the teachers.",
     "The unions demand higher wages for the teachers."),
    ("it", "The Italian stamp reported the resignation on Monday.",
     "The Italian press reported the resignation on Monday."),
    ("it", "Exports fell by 3% in confrontation with last year.",
     "Exports fell by 3% compared with last year."),
    ("it", "The argument of the seminar was the new tax law.",
     "The topic of the seminar was the new tax law."),
]


def _findings(text: str, source: str) -> list[Finding]:
    options = Options(source_lang=source, target_lang="en", model=None)
    return check_document(load_text("s.txt", text, "txt"), options).findings


@pytest.mark.parametrize(("source", "literal", "corrected"), CASES, ids=[c[1][:30] for c in CASES])
def test_literal_translation_flagged_and_correction_clean(source, literal, corrected):
    assert _findings(literal, source), literal
    assert not _findings(corrected, source), [(f.rule, f.text) for f in _findings(corrected, source)]


# -- tq/awkward-sentence ---------------------------------------------------------------------------
def _scored(values: list[float], center: float = 10.0) -> list[TokenScores]:
    """Scores whose sentence fluency is each of ``values`` (one token, so the length adjustment
    is 1)."""
    out = []
    for value in values:
        surprisal = center + math.log(100.0 / value - 1.0)  # the inverse of surprisal.sentence_score
        out.append(TokenScores("x", [(0, 1)], [surprisal], [0.0]))
    return out


def _awkward(values: list[float]) -> list[Finding]:
    doc = load_text("d.txt", " ".join(f"This is sentence number {n}." for n in range(len(values))), "txt")
    assert len(doc.sentences) == len(values)
    return awkward.findings(doc, list(doc.sentences), _scored(values), 10.0)


def test_awkward_sentence_far_below_the_document_is_flagged():
    found = _awkward([95.0, 97.0, 6.0, 93.0])
    assert [(f.text, f.severity) for f in found] == [("This is sentence number 2.", Severity.MINOR)]
    assert found[0].origin == "model" and DEFAULT.weight(found[0]) == 0.0  # fluency already counts in the score
    assert [f.severity for f in _awkward([95.0, 1.0, 96.0])] == [Severity.MAJOR]


def test_awkward_sentence_needs_to_be_low_for_the_model_and_for_the_document():
    assert not _awkward([95.0, 40.0, 96.0])  # low for this document, not for the language
    assert not _awkward([8.0, 6.0, 9.0, 7.0])  # a text hard all through is judged against itself
    assert _awkward([6.0])  # one sentence: only the model's threshold


def test_awkward_sentence_leaves_sentences_of_names_alone():
    """Names surprise any model: a sentence mostly of them is not judged, word salad still is."""
    assert not awkward.judged("Then Lyon keeper Gregory Coupet saved well from Didier Drogba".split())
    assert not awkward.judged("J Smith (Leeds City with Kent Rovers), P Jones".split())
    assert awkward.judged("Minister the plan of by at was the rejected meeting everyone yesterday".split())
    assert awkward.judged("Italy's Rossi lined up a clash with Carlos Moya by beating his rival".split())


@pytest.mark.skipif(bool(missing_packages()), reason="model packages not installed")
@pytest.mark.parametrize("kind", ["flag", "pass"])
def test_awkward_sentence_examples_with_the_model(kind):
    model = load("smollm2")
    for example in awkward.AWKWARD.examples[kind]:
        text, marked = example_text(example["text"])
        found, _ = stage.apply(model, load_text("example", text, "txt"), [], "en")
        got = [(f.start, f.end) for f in found if f.rule == awkward.AWKWARD.id]
        assert got == (marked if kind == "flag" else []), text
