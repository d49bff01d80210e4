"""Figures on the DEMETR French→English development set (vendored in tests/data), as tests.

Good sentences (human references, accepted MT) must stay clean, and the injected errors a checker
can see must be flagged at the words that changed.
"""
from __future__ import annotations

import difflib

import pytest

from tqcheck.core.findings import Severity
from tqcheck.core.results import Options
from tqcheck.formats import load_text
from tqcheck.pipeline import check_document

OPTIONS = Options(source_lang="fr", target_lang="en")


def _findings(text: str):
    return check_document(load_text("s", text.strip(), "txt"), OPTIONS).findings


@pytest.mark.parametrize("field", ["eng_sent", "mt_sent"])
def test_good_sentences_rarely_flagged(demetr_rows, field):
    sentences = sorted({r[field].strip() for r in demetr_rows})
    flagged = [s for s in sentences if any(f.severity >= Severity.MAJOR for f in _findings(s))]
    assert len(flagged) / len(sentences) <= 0.02, flagged


def _changed(a: str, b: str) -> list[tuple[int, int]]:
    ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    return [(j1, j2) for op, _, _, j1, j2 in ops if op != "equal"]


@pytest.mark.parametrize("perturbation", ["critical_id4_codemix", "minor_id30_tokenized"])
def test_visible_perturbations_flagged_at_changed_words(demetr_rows, perturbation):
    rows = [r for r in demetr_rows if r["pert_name"] == perturbation and r["pert_check"]]
    caught = 0
    for row in rows:
        perturbed = row["pert_sent"].strip()
        changed = _changed(row["mt_sent"].strip(), perturbed)
        found = _findings(perturbed)
        caught += any(f.start <= j2 and j1 <= f.end for f in found for j1, j2 in changed)
    assert caught / len(rows) >= 0.90, f"{caught}/{len(rows)}"
