"""The score's omission term: a translation checked with its source loses points in proportion to
the evidence that it is shorter than its source predicts (scoring.Scoring.omission_penalty), so
that of several clean-looking translations of one source the truncated ones rank lower."""
from __future__ import annotations

import pytest

from tqcheck.core.align import MAX_SHORTFALL, length_model, shortfall
from tqcheck.core.bilingual import unit_deviations
from tqcheck.core.results import Options
from tqcheck.formats import load_text
from tqcheck.pipeline import check_document
from tqcheck.scoring import DEFAULT

SOURCE = "新技术让我们能够看到并研究以前从未见过的大脑结构和过程，并更好地理解它们是如何运作的。"
FULL = ("New technologies let us see and study brain structures and processes never seen before, "
        "and better understand how they work.")
CUT = "New technologies let us see and study brain structures and processes never seen before."
OPTIONS = Options(source_lang="zh", target_lang="en", model=None)


def test_shortfall_is_zero_at_or_above_the_expected_length_then_grows_and_stays_bounded():
    assert shortfall(0.0) == shortfall(2.0) == 0.0
    below = [shortfall(-z / 4) for z in range(1, 17)]  # down to 4 standard deviations short
    assert all(0 < a < b < MAX_SHORTFALL for a, b in zip(below, below[1:]))
    assert shortfall(-10.0) == shortfall(-1e6) == MAX_SHORTFALL
    assert shortfall(-2.0) == pytest.approx(3.090, abs=1e-3)  # -ln Φ(-2) - ln 2


def test_units_are_compared_whole_and_empty_ones_left_out():
    doc = load_text("t.tsv", f"{SOURCE}\t{CUT}\n{SOURCE}\t\n", "tsv")
    (z,) = unit_deviations(doc, length_model("zh", "en"))
    assert -3.0 < z < 0.0  # short, though not enough for tq/source-length-short
    assert unit_deviations(load_text("t.txt", CUT, "txt")) == ()


def check(target: str) -> tuple[float, float, list[str]]:
    result = check_document(load_text("t.tsv", f"{SOURCE}\t{target}\n", "tsv"), OPTIONS)
    return result.penalty, DEFAULT.penalty(result.findings, result.words), [f.rule for f in result.findings]


def test_the_shorter_of_two_clean_translations_of_one_source_scores_lower():
    full, full_findings, full_rules = check(FULL)
    cut, cut_findings, cut_rules = check(CUT)
    assert full_rules == cut_rules == []  # no finding tells them apart
    assert cut > full > 0.0 == full_findings == cut_findings
    assert check(CUT)[0] == cut  # deterministic


def test_text_without_a_source_has_no_omission_term():
    result = check_document(load_text("t.txt", CUT, "txt"), Options(target_lang="en", model=None))
    assert result.penalty == DEFAULT.penalty(result.findings, result.words)


def test_a_runs_penalty_keeps_its_files_omission_terms():
    results = [check_document(load_text(f"{n}.tsv", f"{SOURCE}\t{text}\n", "tsv"), OPTIONS)
               for n, text in enumerate((FULL, CUT))]
    words = sum(r.words for r in results)
    assert results[1].omission_penalty > 0
    assert DEFAULT.run_penalty(results) == pytest.approx(sum(r.penalty * r.words for r in results) / words)


def test_a_results_file_read_back_keeps_the_omission_term_in_its_summary(tmp_path):
    from tqcheck.report.jsonl import StoredResult

    result = check_document(load_text("t.tsv", f"{SOURCE}\t{CUT}\n", "tsv"), OPTIONS)
    record = {"path": "t.tsv", "target_lang": "en", "findings": [f.to_dict() for f in result.findings],
              "words": result.words, "penalty": round(result.penalty, 2), "score": result.score}
    stored = StoredResult.from_record(record)
    assert stored.omission_penalty == pytest.approx(result.omission_penalty, abs=0.01)
    assert DEFAULT.run_penalty([stored]) == pytest.approx(result.penalty, abs=0.01)
