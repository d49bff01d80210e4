"""Length-based alignment of source and target segments (Gale & Church 1993).

Translations keep the order of paragraphs and sentences and their lengths in characters stay
proportional, so a dynamic programme over lengths pairs them without any dictionary: each step
takes 1-1, 1-2, 2-1 or 2-2 segments, or leaves one segment of either side alone (1-0, 0-1: a
sentence the translation dropped or added).  The cost of a step is how unlikely its length ratio
is under a normal model, plus how rare that kind of step is; a segment left alone costs only its
rarity, so a dropped sentence is found as such rather than glued to its neighbour.  Lengths alone
cannot tell which of two similar-sized segments was dropped, so words both sides share (numbers,
names, cognates: their first four letters without accents) lower the cost of pairing them.

Lengths are proportional only in comparable units: a Chinese character carries about as much as
three English letters, a Latin letter inside Chinese text about one.  So every length is measured
in English letters: a :class:`LengthModel` per language pair (:func:`length_model`, from the
``length`` of the language files) holds what each character of either side stands for
(:class:`Letters`, by character class) and how much a translation's length varies about its
source's; Gale & Church's constants are the default.
"""
from __future__ import annotations

import math
import re
import unicodedata
from typing import Mapping, NamedTuple

from ..langs import language
from ..langs.language import LENGTH_CLASSES


def char_class(char: str) -> str | None:
    """The length class of ``char`` (``LENGTH_CLASSES``): ASCII letters and digits are ``latin``
    (kept as they are in any script: names, figures), Unicode punctuation and symbols
    ``punctuation``; None for any other character (the script's own letters)."""
    if char.isspace():
        return "space"
    if char.isascii() and char.isalnum():
        return "latin"
    return "punctuation" if unicodedata.category(char)[0] in "PS" else None


class Letters(NamedTuple):
    """How many English letters one character of a language stands for: ``weight`` for its own
    letters, ``classes`` (pairs of a :func:`char_class` and its weight) where a class differs.
    Called on a text: its length in English letters."""

    weight: float = 1.0
    classes: tuple[tuple[str, float], ...] = ()

    def __call__(self, text: str) -> float:
        if not self.classes:
            return self.weight * len(text)
        weights: dict[str | None, float] = dict(self.classes)
        return sum(weights.get(char_class(c), self.weight) for c in text)


class LengthModel(NamedTuple):
    """How each side's length is measured (:class:`Letters`) and the variance, per English
    letter, of a translation's length about its source's."""

    variance: float = 6.8
    source: Letters = Letters()
    target: Letters = Letters()


#: Gale & Church's values, fitted on European languages written in letters.
GALE_CHURCH = LengthModel()
#: Prior probability of each step (source count, target count), from Gale & Church.
STEPS = {(1, 1): 0.89, (1, 0): 0.0099, (0, 1): 0.0099, (2, 1): 0.089 / 2, (1, 2): 0.089 / 2, (2, 2): 0.011}
_STEP_COST = {step: -math.log(p) for step, p in STEPS.items()}
#: Highest length cost of a pairing step: below the cost of leaving both segments alone.
MAX_LENGTH_COST = _STEP_COST[(1, 0)] + _STEP_COST[(0, 1)] - 2.0
#: Cost taken off a step per unit of shared anchors (Dice coefficient, 0-1). Chosen on shuffled
#: DEMETR sentences with some dropped on either side: 0 → 63% of beads right, 4 → 82%, 30 → 95%.
ANCHOR_WEIGHT = 30.0
#: Half-width of the band around the diagonal the search keeps (segments), plus the length gap.
BAND = 20

Bead = tuple[range, range]


def length_model(source_lang: str | None, target_lang: str | None) -> LengthModel:
    """The length model of a language pair: each language's :class:`Letters` (its ``length``
    ``weight`` and class weights), and the variance of the one that states it (fitted on
    translations from or into it), the source's first; Gale & Church's otherwise."""
    source, target = language(source_lang).length, language(target_lang).length
    variance = source.get("variance") or target.get("variance") or GALE_CHURCH.variance
    return LengthModel(variance, _letters(source), _letters(target))


def _letters(length: Mapping[str, float]) -> Letters:
    return Letters(length.get("weight", 1.0), tuple((c, length[c]) for c in LENGTH_CLASSES if c in length))


def deviation(source_len: float, target_len: float, model: LengthModel = GALE_CHURCH) -> float:
    """How many standard deviations ``target_len`` lies from the length ``source_len`` predicts,
    both in English letters (``model.source`` and ``model.target`` of the two texts)."""
    mean = (source_len + target_len) / 2
    return (target_len - source_len) / math.sqrt(max(mean, 1.0) * model.variance)


#: The most evidence of an omission one unit gives (nats, :func:`shortfall`): a translation cut to
#: nothing is no stronger evidence than one cut to a tenth, and one unit must not outweigh a file.
MAX_SHORTFALL = 10.0


def shortfall(z: float) -> float:
    """Evidence (nats) that a translation ``z`` standard deviations from the length its source
    predicts lost part of it: ``-ln Φ(z) - ln 2``, how much less likely a translation at least this
    short is than one of the expected length.  0 at or above the expected length (a longer
    translation is no evidence of an omission), continuous below it, at most ``MAX_SHORTFALL``.
    Continuous rather than a limit, so that among several translations of one source the shorter
    one scores lower even when neither is short enough for ``tq/source-length-short``."""
    if z >= 0.0:
        return 0.0
    below = 0.5 * math.erfc(-z / math.sqrt(2))  # Φ(z)
    return min(-math.log(max(below, 1e-300)) - math.log(2), MAX_SHORTFALL)


def length_cost(source_len: float, target_len: float, model: LengthModel = GALE_CHURCH) -> float:
    """-log probability of seeing these two lengths in a translation pair (two-sided normal tail),
    capped: however unlike their lengths, two segments are paired rather than both left alone
    (which costs two rare steps), so a truncated translation is still paired with its source."""
    tail = math.erfc(abs(deviation(source_len, target_len, model)) / math.sqrt(2))  # = 2 * (1 - Phi(|z|))
    return min(-math.log(max(tail, 1e-300)), MAX_LENGTH_COST)


_ANCHOR = re.compile(r"\d+|[^\W\d_]{4,}")


def anchors(text: str) -> frozenset[str]:
    """What a segment and its translation are likely to share: numbers, and the accent-free first
    four letters of longer words (names, cognates: électorales/electoral, Asie/Asia)."""
    folded = "".join(c for c in unicodedata.normalize("NFD", text.casefold()) if not unicodedata.combining(c))
    return frozenset(w if w.isdigit() else w[:4] for w in _ANCHOR.findall(folded))


def align(source: list[str], target: list[str], model: LengthModel = GALE_CHURCH) -> list[Bead]:
    """Beads ``(source indices, target indices)`` covering both lists of segments in order.

    A bead with an empty range is a segment of the other side that has no counterpart.
    """
    if len(source) == len(target) == 1:
        return [(range(1), range(1))]  # pairing always costs less than two lone segments
    src, tgt = _Side(source, model.source), _Side(target, model.target)
    n, m = len(source), len(target)
    inf = float("inf")
    band = BAND + abs(n - m)
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    for i in range(n + 1):
        centre = int(i * m / n) if n else 0
        for j in range(max(0, centre - band), min(m, centre + band) + 1):
            best, step_best = inf, None
            for (di, dj), step_cost in _STEP_COST.items():
                if di > i or dj > j or cost[i - di][j - dj] == inf:
                    continue
                c = cost[i - di][j - dj] + step_cost
                if di and dj:  # a segment left alone has no length ratio to judge
                    c += length_cost(src.length(i, di), tgt.length(j, dj), model)
                    c -= ANCHOR_WEIGHT * _dice(src.anchors(i, di), tgt.anchors(j, dj))
                if c < best:
                    best, step_best = c, (di, dj)
            if step_best is not None:
                cost[i][j], back[i][j] = best, step_best
    beads: list[Bead] = []
    i, j = n, m
    while i or j:
        di, dj = back[i][j]  # type: ignore[misc]  # every cell on the path was reached
        beads.append((range(i - di, i), range(j - dj, j)))
        i, j = i - di, j - dj
    beads.reverse()
    return beads


class _Side:
    """Lengths (English letters) and anchors of the last one or two segments before each position,
    computed once."""

    def __init__(self, segments: list[str], letters: Letters) -> None:
        self.ends = [0.0]
        for s in segments:
            self.ends.append(self.ends[-1] + letters(s))
        single = [anchors(s) for s in segments]
        self.single = single
        self.double = [a | b for a, b in zip(single, single[1:])]

    def length(self, end: int, count: int) -> float:
        return self.ends[end] - self.ends[end - count]

    def anchors(self, end: int, count: int) -> frozenset[str]:
        return self.single[end - 1] if count == 1 else self.double[end - 2]


def _dice(a: frozenset[str], b: frozenset[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0
