"""How the model's token surprisals become a sentence fluency score.  Pure arithmetic: no torch
here.  What a file's fluency adds to its penalty is scoring policy (``tqcheck/scoring.py``).

Sentence: its length-adjusted surprisal ``u = total surprisal / tokens ** ALPHA`` (nats).  The
total alone prefers sentences with words deleted; the mean per token forgives inserted words.
``ALPHA = 0.8`` sits between them and ranks the DEMETR pairs best (docs/fluency.md).  The 0-100
fluency score is a logistic of ``u``: 50 at the model's ``center`` for the language
(``calibration.py``), about one standard deviation beyond the 95th percentile of human sentences,
so edited text scores in the 90s.

File: fluency is the word-weighted mean of its sentences' scores (``sentences.FileFluency``).

A damaged model (flipped weights) gives NaN or infinite surprisals; :func:`all_finite` lets the
stage see them, so that a file is then checked with rules only instead of scoring NaN.
"""
from __future__ import annotations

import math
from typing import Iterable

#: Length exponent: 1 is the mean surprisal per token, 0 the total.
ALPHA = 0.8
#: The width of the logistic (nats).
SCALE = 1.0


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

