"""The fitted constants that turn one model's surprisals into scores, per model and language.

A model's surprisal depends on its vocabulary and training data, and on the language, so
constants fitted for one (model, language) do not carry over to another: the fitted centres run
from 10.37 (Gemma, French) to 11.86 (SmolLM2, English), and one nat moves a sentence's score from
50 to 73; on French, word frequency gets no weight at all.  Each row here is printed by
``benchmarks/calibrate_fluency.py
--model NAME --lang LANG`` (English: the DEMETR pairs; French: the DEMETR source sentences and
seeded single-word errors made from them); a model scores only the languages it has a row for.
The rows live in the language files (``langs/<code>.yaml``, ``calibration``), one per model; a
third-party model (``tqcheck.models``) may bring its own.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..langs import known_codes, language
from .packaged import packaged


@dataclass(frozen=True)
class Calibration:
    """Constants for one model on one language.

    ``center``: the length-adjusted surprisal (``surprisal.adjusted_surprisal``) at which a sentence
    scores 50, one standard deviation beyond the 95th percentile of human sentences.
    ``excess_weight``, ``zipf_weight``, ``bias``: the logistic regression that gives
    ``tq/unexpected-word`` its confidence, σ(excess_weight × excess surprisal + zipf_weight ×
    word frequency + bias).
    """

    center: float
    excess_weight: float
    zipf_weight: float
    bias: float


#: Models named by a path or hub id have no row: they get this model's English constants, stated
#: in docs/fluency.md.
FALLBACK = ("smollm2", "en")


def calibrations() -> dict[tuple[str, str], Calibration]:
    """``(model, language)`` → constants: a plugin model's own (:mod:`.packaged`), then the
    ``calibration`` of every language file, which wins where both have a row."""
    own = {(model.name, code): Calibration(**row) for model in packaged().values()
           for code, row in model.calibration.items()}
    return {**own, **{(model, code): Calibration(**row) for code in known_codes()
                      for model, row in language(code).calibration.items()}}


def languages(model: str) -> frozenset[str]:
    """The languages ``model`` has constants for."""
    return frozenset(lang for name, lang in calibrations() if name == model)


def calibration(model: str, lang: str) -> Calibration:
    """The constants of ``model`` on ``lang``; ``FALLBACK``'s for a model with no row."""
    rows = calibrations()
    return rows.get((model, lang)) or rows[FALLBACK]
