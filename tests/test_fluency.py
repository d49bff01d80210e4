"""The fluency model with the real packaged SmolLM2 (no mocks): scores, spans, ranked fixes, the
file score and the reports.  The model loads once per session; the first session on a machine
also converts it into the cache (``tqcheck model prepare`` does that ahead of time).
"""
from __future__ import annotations

import json

import pytest

from tqcheck.cli import main
from tqcheck.core.findings import Finding, Severity, Span
from tqcheck.core.results import Options
from tqcheck.fluency import rerank, spans, stage
from tqcheck.fluency.calibration import calibration
from tqcheck.fluency.environment import missing_packages
from tqcheck.fluency.loader import load
from tqcheck.fluency.scorer import WINDOW, LanguageModel
from tqcheck.fluency.surprisal import sentence_score
from tqcheck.formats import load_path, load_text
from tqcheck.pipeline import check_document
from tqcheck.rules.examples import example_text
from tqcheck.scoring import DEFAULT

from .conftest import SEED

pytestmark = pytest.mark.skipif(bool(missing_packages()), reason="model packages not installed")
ENGLISH = "smollm2"
CENTER = calibration(ENGLISH, "en").center

SORTIE = "To underscore the importance of the meeting, the Indians argued that the Russian leader was " \
         "on his second sortie only since the Covid-19 pandemic."


@pytest.fixture(scope="session")
def lm() -> LanguageModel:
    return load(ENGLISH)


def test_rule_candidates_are_scored_with_the_sentences(lm, monkeypatch):
    """A rule finding's corrected sentences go to the model in the call that scores the
    document's sentences (one set of forward passes); the rerank then finds them scored."""
    text = "The envoy was on his third sortie abroad since the long winter ended."
    word = text.index("sortie")
    finding = Finding("x/sortie", spans.UNEXPECTED.category, Severity.MINOR, "sortie",
                      Span(word, word + len("sortie"), "sortie"), suggestions=("trip", "outing", "foray"))
    calls: list[list[str]] = []
    real = LanguageModel._score

    def score(self, texts):
        calls.append(list(texts))
        return real(self, texts)

    monkeypatch.setattr(LanguageModel, "_score", score)
    out, _ = stage.apply(lm, load_text("t", text, "txt"), [finding], "en",
                         disabled=frozenset({spans.UNEXPECTED.id, "tq/awkward-sentence"}))
    assert [len(texts) for texts in calls if texts] == [4]
    assert sorted(out[0].suggestions) == ["foray", "outing", "trip"]


def test_only_findings_that_can_be_shown_are_reranked(lm, monkeypatch):
    """A common word the model flags is hidden by default whatever the rerank says: its
    candidates are not scored (unless every word finding is asked for); a non-word's are."""
    text = "The old hosue by the river was sold last week."
    doc = load_text("t", text, "txt")

    def flagged(doc, sentences, scores, constants, lang):
        return [Finding(spans.UNEXPECTED.id, spans.UNEXPECTED.category, Severity.MINOR, "unexpected",
                        Span(text.index(word), text.index(word) + len(word), word), confidence=0.9, origin="model")
                for word in ("hosue", "river")]

    ranked: list[str] = []
    real_rank = rerank.rank

    def rank(model, jobs):
        ranked.extend(j.finding.text for j in jobs)
        return real_rank(model, jobs)

    monkeypatch.setattr(spans, "findings", flagged)
    monkeypatch.setattr(rerank, "rank", rank)
    stage.apply(lm, doc, [], "en", shown="likely")
    assert ranked == ["hosue"]
    ranked.clear()
    stage.apply(lm, doc, [], "en", shown="all")
    assert ranked == ["hosue", "river"]


def test_putin_scores_better_than_poutin_in_context(lm):
    putin, poutin = lm.score([f"In Geneva, Joe Biden and Vladimir {name} start a strategic dialogue."
                              for name in ("Putin", "Poutin")])
    assert poutin.total - putin.total > 10  # nats, summed over the tokens that differ
    assert sentence_score(putin.total, putin.tokens, CENTER) > sentence_score(poutin.total, poutin.tokens, CENTER)


def test_sortie_is_among_the_most_surprising_tokens_of_its_sentence(lm):
    (scored,) = lm.score([SORTIE])
    start = SORTIE.index("sortie")
    ranked = sorted(range(scored.tokens), key=lambda k: -scored.surprisal[k])
    top = [scored.spans[k] for k in ranked[:3]]
    assert any(a <= start < b for a, b in top), [SORTIE[a:b] for a, b in top]


def test_model_alone_flags_sortie_and_poutin_in_the_seed(lm):
    found, _ = stage.apply(lm, load_path(str(SEED)), [], "en")  # no rule findings to agree with
    flagged = {f.text: f for f in found}
    for word in ("sortie", "Poutin"):
        f = flagged[word]
        assert f.rule == "tq/unexpected-word" and f.category == "fluency/unnatural" and f.origin == "model"
        assert f.severity is Severity.MINOR and spans.MIN_CONFIDENCE <= f.confidence < 1
    assert len(flagged) <= 8  # a handful in 419 words, not every rare word


def test_rule_that_agrees_gains_confidence_instead_of_a_duplicate():
    with_model = check_document(load_path(str(SEED)), Options(model="auto"))
    rules_only = check_document(load_path(str(SEED)), Options())
    before = next(f for f in rules_only.findings if f.text == "sortie")
    after = next(f for f in with_model.findings if f.text == "sortie")
    assert after.rule == before.rule and after.severity == before.severity
    assert after.confidence > before.confidence
    assert [f.rule for f in with_model.findings if f.text == "sortie"] == [before.rule]


@pytest.mark.parametrize("kind", ["flag", "pass"])
def test_model_rule_examples(lm, kind):
    for example in spans.UNEXPECTED.examples[kind]:
        text, marked = example_text(example["text"])
        found, _ = stage.apply(lm, load_text("example", text, "txt"), [], "en")
        got = [(f.start, f.end) for f in found if f.rule == spans.UNEXPECTED.id]
        if kind == "pass":
            assert not got, (text, [text[a:b] for a, b in got])
            continue
        assert all(span in got for span in marked), (text, [text[a:b] for a, b in got])
        if example.get("suggest"):
            flagged = next(f for f in found if (f.start, f.end) == marked[0])
            assert flagged.suggestions[:1] == (example["suggest"],)


def test_suggestions_ranked_by_the_corrected_sentence(lm):
    text = "The Russian President Vladimir Poutin met the press in Moscow."
    doc = load_text("t", text, "txt")
    start = text.index("Poutin")
    finding = Finding("test/name", "locale-conventions/name-format", Severity.MAJOR, "m",
                      Span(start, start + 6, "Poutin"), suggestions=("Poutine", "Pootin", "Putin"))
    (finding,) = rerank.rank(lm, [rerank.job(doc, finding, finding.suggestions)])
    assert finding.suggestions[0] == "Putin" and sorted(finding.suggestions) == ["Pootin", "Poutine", "Putin"]


def test_spelling_neighbours_only_when_the_model_prefers_them(lm):
    found, _ = stage.apply(lm, load_text("t", "The proportion is alwyas the same here.", "txt"), [], "en")
    (typo,) = [f for f in found if f.text == "alwyas"]
    assert typo.suggestions[0] == "always" and typo.fix == "unsafe"


def test_bfloat16_keeps_the_pairwise_rankings(lm, demetr_rows):
    fp32 = load(ENGLISH, bfloat16=False)
    rows = [r for r in demetr_rows if r["pert_check"] and not r["pert_name"].startswith("base")][::25]
    texts = [t for r in rows for t in (r["mt_sent"].strip(), r["pert_sent"].strip())]
    pairs = {}
    for name, model in (("bf16", lm), ("fp32", fp32)):
        scored = model.score(texts)
        pairs[name] = [scored[i + 1].total / scored[i + 1].tokens > scored[i].total / scored[i].tokens
                       for i in range(0, len(scored), 2)]
        assert all(abs(a.total - b.total) < 0.05 * b.total for a, b in zip(scored, fp32.score(texts)))
    same = sum(a == b for a, b in zip(pairs["bf16"], pairs["fp32"]))
    assert same >= 0.95 * len(rows)


def test_long_text_is_scored_in_windows(lm):
    text = " ".join(["The committee met again on Tuesday to discuss the budget."] * 70)
    (scored,) = lm.score([text])
    ids = lm.tokenizer(text, add_special_tokens=False)["input_ids"]
    assert scored.tokens == len(ids) > WINDOW
    assert len(scored.spans) == len(scored.entropy) == scored.tokens


def test_file_score_combines_findings_and_fluency():
    result = check_document(load_path(str(SEED)), Options(model="auto"))
    fluency = result.fluency
    assert fluency is not None and 0 < fluency.score < 100 and fluency.perplexity > 1
    assert result.fluency_penalty == DEFAULT.fluency_penalty(fluency.score) > 0
    assert result.penalty == pytest.approx(DEFAULT.penalty(result.findings, result.words) + result.fluency_penalty)
    assert result.score == DEFAULT.score(result.penalty)
    assert len(fluency.sentences) >= 15
    content = SEED.read_text(encoding="utf-8")
    assert all(content[s.start:s.end].strip() for s in fluency.sentences)


def test_json_and_terminal_reports_carry_fluency(capsys):
    assert main(["scan", "--format", "json", "--model-findings", "all", str(SEED)]) == 1  # the seed's
    data = json.loads(capsys.readouterr().out)  # likely errors are all named by rules: show every word
    fluency = data["files"][0]["fluency"]
    assert fluency["model"] == ENGLISH and 0 < fluency["score"] < 100
    assert {"start", "end", "line", "perplexity", "score"} <= set(fluency["sentences"][0])
    assert any(f["origin"] == "model" for f in data["files"][0]["findings"])
    assert main(["scan", str(SEED)]) == 1
    out = capsys.readouterr()
    assert ", fluency " in out.out and out.err == ""


def test_progress_bar_on_a_terminal_only(tmp_path):
    """Two files with the model take seconds: stderr on a terminal gets a bar, stdout only findings."""
    from .test_progress import on_terminal

    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    code, out, shown = on_terminal(["scan", str(tmp_path)], ci=False, cwd=tmp_path)
    assert code == 1 and b"fr-en/ordinal" in out and b"\x1b[" not in out
    assert b"2/2" in shown and b"fr-en/ordinal" not in shown
