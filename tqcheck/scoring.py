"""The scoring policy, in one place: what a finding weighs, what the model's fluency adds, how a
penalty becomes the 0-100 score, and the signature that says what a score was computed with.

**Penalty.**  MQM weights (WMT, Freitag et al. 2021): minor 1, major 5, critical 25 points, a minor
punctuation error a tenth of a point, summed per 1,000 words.  The model's word findings weigh
nothing: its judgement counts once, as the file's fluency, which adds ``fluency × (1 − fluency
score / 100)`` points (text the model finds wholly unnatural counts like one minor error every 20
words, ordinary English a point or two).  A translation checked with its source (a bilingual
file, ``--source``) adds ``omission × shortfall`` points per unit whose translation is shorter than
its source predicts (:func:`~tqcheck.core.align.shortfall`: nats of evidence of an omission, 0 at
or above the expected length), so that of several clean-looking translations of one source the
truncated ones rank lower.  A run's penalty weighs its files by their words.

**Score.**  ``100 − step × log2(1 + penalty / origin)``, 0 from a penalty of 1,023 on: every 10
points down the error rate doubles (see :meth:`Scoring.score`).

**Signature.**  A score means something only beside the rules, model and weights it came from, so
each carries a signature, the way sacrebleu signs BLEU::

    tqcheck:0.1.0|packs:en#1a2b3c,fr-en#4d5e6f|rules:all|model:smollm2+bfloat16|calib:smollm2/en#0a1b2c|weights:1/5/25/p0.1/f50/o0.1|map:log2/10/1

Each part is a set (a run over files in several languages has several packs and calibrations), so
the signature of a run is the union of its files' (:func:`combine`); a pack or calibration carries
a short hash of its contents, so editing a rule changes it; ``rules`` is ``all`` when every rule of
the packs ran at its own severity, else a hash of the rules turned off and the severities
overridden (:func:`selection`), which change a score as much as a pack does.  Core holds only the numbers this
module works out (:class:`~tqcheck.core.results.Scores`), so it needs no policy.
"""
from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

from ._version import __version__
from .core.align import shortfall
from .core.findings import Finding, Severity
from .core.results import Scores
from .fluency.calibration import calibration
from .rules.packs import available_packs

if TYPE_CHECKING:
    from .core.results import CheckedFile
    from .fluency.sentences import FileFluency

#: The order of the signature's parts.
PARTS = ("tqcheck", "packs", "rules", "model", "calib", "weights", "map")


@dataclass(frozen=True)
class Scoring:
    """The weights and the 0-100 mapping; :data:`DEFAULT` is the one every run uses."""

    minor: float = 1.0
    major: float = 5.0
    critical: float = 25.0
    #: WMT gives minor punctuation errors a tenth of a point.
    minor_punctuation: float = 0.1
    #: Penalty points per 1,000 words of a file whose fluency is 0.
    fluency: float = 50.0
    #: Penalty points per nat of evidence that a unit of a translation checked with its source
    #: lost part of it (:func:`~tqcheck.core.align.shortfall`; chosen on the MQM dev data's first
    #: talk, README "How well it ranks real MT"): a unit 2 standard deviations short adds 0.3.
    omission: float = 0.1
    #: The score loses ``step`` points each time ``penalty + origin`` doubles.
    step: float = 10.0
    #: Penalty (errors per 1,000 words) at which the score is 90: one minor error per 1,000 words.
    origin: float = 1.0

    def weight(self, finding: Finding) -> float:
        """MQM points of one finding; the model's word findings weigh nothing (its fluency does)."""
        if finding.origin == "model":
            return 0.0
        if finding.severity is Severity.MINOR and finding.category == "linguistic-conventions/punctuation":
            return self.minor_punctuation
        return {Severity.MINOR: self.minor, Severity.MAJOR: self.major, Severity.CRITICAL: self.critical}[
            finding.severity]

    def penalty(self, findings: Iterable[Finding], words: int) -> float:
        """MQM penalty: weighted error count per 1,000 words (a document of under 1 word counts as 1)."""
        return sum(self.weight(f) for f in findings) * 1000.0 / max(words, 1)

    def fluency_penalty(self, fluency_score: float) -> float:
        """Penalty points per 1,000 words for a file-level fluency score."""
        return self.fluency * (1.0 - fluency_score / 100.0)

    def omission_penalty(self, deviations: Iterable[float], words: int) -> float:
        """Penalty points per 1,000 words for units ``deviations`` standard deviations from the
        length their sources predict (:func:`~tqcheck.core.bilingual.unit_deviations`)."""
        return self.omission * sum(map(shortfall, deviations)) * 1000.0 / max(words, 1)

    def score(self, penalty: float) -> float:
        """0-100 quality score: ``100 - 10 * log2(1 + penalty)``, 0 from a penalty of 1,023 on.

        Logarithmic, because the error rates a reader tells apart are ratios: clean text (a penalty
        of a point or two from fluency alone) spreads over the 80s and 90s instead of crowding at
        99.x, and every 10 points down the error rate doubles, so each band is an error rate (90:
        one minor error per 1,000 words, 80: three, 70: seven, 50: one per 32 words; README).  Two
        decimals, so that penalties that differ by a hundredth of a point near 0 and by a few tenths
        near 100 still get different scores.
        """
        value = 100.0 - self.step * math.log2(1.0 + max(penalty, 0.0) / self.origin)
        return round(max(value, 0.0), 2)

    def run_penalty(self, results: Sequence[CheckedFile]) -> float:
        """The penalty of several checked files together: their findings, and their fluency and
        omission penalties weighted by words, as one document's would be."""
        words = sum(r.words for r in results)
        rest = sum((r.fluency_penalty + r.omission_penalty) * r.words for r in results) / max(words, 1)
        return self.penalty((f for r in results for f in r.findings), words) + rest

    @property
    def signature_parts(self) -> dict[str, str]:
        """The weights and mapping as the signature writes them."""
        return {"weights": "/".join(map(_number, (self.minor, self.major, self.critical)))
                + f"/p{_number(self.minor_punctuation)}/f{_number(self.fluency)}/o{_number(self.omission)}",
                "map": f"log2/{_number(self.step)}/{_number(self.origin)}"}

    def scores(self, findings: Iterable[Finding], words: int, fluency: FileFluency | None, target_lang: str,
               packs: Iterable[str], termbase: str | None = None, rules: str = "all",
               deviations: Sequence[float] = ()) -> Scores:
        """The numbers of one checked file and their signature (``packs``: the rule packs that
        checked it; ``termbase``: the CSV of approved terms run with them; ``rules``: their
        :func:`selection`; ``deviations``: its units' lengths against their sources', when it
        came with them)."""
        fluency_penalty = self.fluency_penalty(fluency.score) if fluency is not None else 0.0
        omission_penalty = self.omission_penalty(deviations, words)
        penalty = self.penalty(findings, words) + fluency_penalty + omission_penalty
        return Scores(penalty, self.score(penalty), fluency_penalty,
                      self.signature(packs, fluency, target_lang, termbase, rules), omission_penalty)

    def signature(self, packs: Iterable[str], fluency: FileFluency | None, target_lang: str,
                  termbase: str | None = None, rules: str = "all") -> str:
        """The signature of one file's score: its packs and their rule selection, the model that
        measured its fluency (with the calibration it used for ``target_lang``), or none."""
        entries = {f"{name}#{pack_hash(name)}" for name in packs}
        if termbase:
            entries.add(f"terms#{terms_hash(termbase)}")
        models, calibrations = set(), set()
        if fluency is not None:
            name = _clean(fluency.model)
            models.add(f"{name}+{_clean(fluency.precision)}")
            constants = calibration(fluency.model, target_lang)
            calibrations.add(f"{name}/{target_lang}#{_short(repr(constants).encode('utf-8'))}")
        return render({"tqcheck": {__version__}, "packs": entries, "rules": {rules}, "model": models,
                       "calib": calibrations,
                       **{k: {v} for k, v in self.signature_parts.items()}})


DEFAULT = Scoring()


def selection(disabled: Iterable[str], overrides: dict[str, Severity]) -> str:
    """The ``rules`` part of a signature: ``all`` when no rule is turned off and no severity
    overridden, else a short hash of both (the rule ids and levels, sorted)."""
    changed = sorted(disabled), sorted((rule, level.label) for rule, level in overrides.items())
    return "all" if changed == ([], []) else "#" + _short(repr(changed).encode("utf-8"))


def render(parts: dict[str, set[str]]) -> str:
    """``name:a,b|name:...`` in :data:`PARTS` order; an empty part is ``none``."""
    return "|".join(f"{name}:{','.join(sorted(parts.get(name, ()))) or 'none'}" for name in PARTS)


def parse(signature: str) -> dict[str, set[str]]:
    """The parts of a signature :func:`render` wrote (``none`` is the empty set)."""
    parts: dict[str, set[str]] = {}
    for field in signature.split("|"):
        name, _, values = field.partition(":")
        parts[name] = set() if values == "none" else set(values.split(","))
    return parts


def combine(signatures: Iterable[str | None]) -> str | None:
    """The signature of a run: the union of its files' parts (None when no file has one: results
    read back from a file written before signatures)."""
    known = [parse(s) for s in signatures if s]
    if not known:
        return None
    return render({name: set().union(*(p.get(name, set()) for p in known)) for name in PARTS})


@lru_cache(maxsize=None)
def pack_hash(name: str) -> str:
    """Six hex digits of the pack's rule files, so a signature changes when a rule does."""
    return _digest(sorted(available_packs()[name].glob("*.yaml")))


@lru_cache(maxsize=None)
def terms_hash(path: str) -> str:
    """Six hex digits of a termbase CSV (read once per run, as the pipeline loads it once)."""
    return _digest([Path(path)])


def _digest(paths: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes())
    return digest.hexdigest()[:6]


def _short(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:6]


def _clean(name: str) -> str:
    """A model name or folder without the signature's separators."""
    return name.translate({ord(c): "_" for c in "|,:"})


def _number(value: float) -> str:
    return f"{value:g}"
