"""The 0-100 score: a logarithmic map of the MQM penalty whose bands are error rates, with the
resolution to tell near penalties apart (scoring.Scoring.score)."""
from __future__ import annotations

import pytest

from tqcheck.scoring import DEFAULT

score = DEFAULT.score


def test_nothing_found_is_100_and_every_band_doubles_the_error_rate():
    assert score(0.0) == 100.0
    # one minor error per 1,000 words is 90; each 10 points down, (1 + penalty) doubles
    assert [score(p) for p in (1, 3, 7, 15, 31, 63)] == [90.0, 80.0, 70.0, 60.0, 50.0, 40.0]


def test_clean_text_is_not_crowded_at_99():
    # the fluency term of clean text with the model is a point or two
    assert score(0.5) - score(1.5) > 5


@pytest.mark.parametrize(("low", "high", "step"), [(0.0, 10.0, 0.01), (10.0, 100.0, 0.1), (100.0, 500.0, 1.0)])
def test_different_penalties_get_different_scores(low, high, step):
    penalties = [low + i * step for i in range(round((high - low) / step) + 1)]
    scores = [score(p) for p in penalties]
    assert all(a > b for a, b in zip(scores, scores[1:]))


def test_score_stays_in_range():
    assert score(1e9) == 0.0 and score(-1.0) == 100.0
