"""How the model's token surprisals become a sentence fluency score, and how fluency enters a
file's penalty and score.  Pure arithmetic: no torch here, the reports import it.

Sentence: its length-adjusted surprisal ``u = total surprisal / tokens ** ALPHA`` (nats).  The
total alone prefers sentences with words deleted; the mean per token forgives inserted words.
``ALPHA = 0.8`` sits between them and ranks the DEMETR pairs best (docs/fluency.md).  The 0-100
fluency score is a logistic of ``u``: 50 at the model's ``center`` for the language
(``calibration.py``), about one standard deviation beyond the 95th percentile of human sentences,
so edited text scores in the 90s.

File: fluency is the word-weighted mean of its sentences' scores, and adds
``FLUENCY_WEIGHT × (1 − fluency / 100)`` to the MQM penalty (errors per 1,000 words): text the
model finds wholly unnatural counts like one minor error every 20 words, ordinary English a point
or two.  The score stays ``100 × exp(−penalty / 100)``.

A damaged model (flipped weights) gives NaN or infinite surprisals; :func:`all_finite` lets the
stage see them, so that a file is then checked with rules only instead of scoring NaN.
"""
from __future__ import annotations

import math
from typing import Any, Iterable

#: Length exponent: 1 is the mean surprisal per token, 0 the total.
ALPHA = 0.8
#: The width of the logistic (nats).
SCALE = 1.0
#: Penalty points per 1,000 words of a file whose fluency is 0.
FLUENCY_WEIGHT = 50.0


#: The warning when the model's numbers are unusable.
NON_FINITE = ("the fluency model gave non-finite scores (a damaged model cache? `tqcheck model prepare "
              "--force` rebuilds it); rules only for those files")


def all_finite(values: Iterable[float]) -> bool:
    """True when every value is a finite number."""
    return all(math.isfinite(v) for v in values)


def adjusted_surprisal(total: float, tokens: int) -> float:
    return total / max(tokens, 1) ** ALPHA


def sentence_score(total: float, tokens: int, center: float) -> float:
    """0-100 fluency of one sentence from its total surprisal (nats) over ``tokens`` tokens; 50 at
    an adjusted surprisal of ``center``."""
    z = (adjusted_surprisal(total, tokens) - center) / SCALE
    return 100.0 / (1.0 + math.exp(min(z, 700.0)))


def fluency_penalty(fluency: float) -> float:
    """Penalty points per 1,000 words for a file-level fluency score."""
    return FLUENCY_WEIGHT * (1.0 - fluency / 100.0)


def total_fluency_penalty(results: Iterable[Any], words: int) -> float:
    """Fluency's share of the penalty of several checked files (``FileResult``) together, weighted
    by words as the MQM penalty is; files checked without the model add nothing."""
    points = sum(r.fluency.penalty * r.words for r in results if getattr(r, "fluency", None) is not None)
    return points / max(words, 1)
