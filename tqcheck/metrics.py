"""Reference-based scores of a translation: sacrebleu's BLEU, chrF and TER (``tqcheck score``).

Translated articles are rarely line-aligned with their references, and ``tqcheck fix`` deletes
whole lines (boilerplate), so a line-by-line corpus score would compare the wrong lines.  Scoring a
file as one segment is no answer either: TER's edit distance grows with the square of a segment's
length (a 12 KB file took 90 s, 10 MB exhausted 24 GB).  Each file is therefore cut into sentences
of its prose (``Document.text``, markup removed exactly as the checks read it; a sentence longer
than ``MAX_WORDS`` is cut into pieces), whitespace collapsed; where the hypothesis and a reference
have different numbers of sentences they are aligned by length (``core/align.py``), and sentences that
align only together are scored as one segment.  A file over ``MAX_CHARS`` of prose is refused (the
alignment's table grows with the product of the sentence counts).  Every score is printed with its
sacrebleu signature, so it can be reproduced and compared only with scores of the same signature.
sacrebleu is imported here only, when a score is asked for.
"""
from __future__ import annotations

import bisect
import json
from dataclasses import dataclass
from typing import Any

from ._version import __version__
from .core.align import align
from .core.document import Document
from .core.errors import InputError
from .formats import load_path

#: Most characters of prose a file may have to be scored (about 20,000 words; a long article has 5,000).
MAX_CHARS = 131_072
#: Longest segment in words: a longer sentence (or a file without full stops) is cut into pieces;
#: TER's time per segment grows steeply with its length (random 25-word segments 6 ms, 100-word 1.5 s).
MAX_WORDS = 40


@dataclass(frozen=True)
class MetricScore:
    """One metric's result: ``name`` as sacrebleu prints it (BLEU, chrF2, TER)."""

    name: str
    score: float
    signature: str
    #: sacrebleu's own one-line result (BLEU's n-gram precisions and brevity penalty).
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return {"metric": self.name, "score": round(self.score, 2), "signature": self.signature,
                "detail": self.detail}


@dataclass(frozen=True)
class ScoreResult:
    hypothesis: str
    references: list[str]
    scores: list[MetricScore]

    def by_name(self) -> dict[str, float]:
        return {s.name: s.score for s in self.scores}


def sentences(doc: Document) -> list[str]:
    """The document's sentences with whitespace collapsed, none longer than ``MAX_WORDS`` words."""
    if len(doc.text) > MAX_CHARS:
        raise InputError(doc.path, f"{len(doc.text):,} characters of prose; tqcheck score takes at most "
                                   f"{MAX_CHARS:,} per file (split it)")
    out: list[str] = []
    for s in doc.sentences:
        words = doc.text[s.start:s.end].split()
        out.extend(" ".join(words[i:i + MAX_WORDS]) for i in range(0, len(words), MAX_WORDS))
    return out


def segment_pairs(hypothesis: list[str], references: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    """Hypothesis segments and, for each reference, its segment for each of them.

    With as many sentences as the hypothesis a reference pairs one to one; otherwise it is aligned.
    A hypothesis segment ends only where every reference's alignment lets it end, so all
    references share the hypothesis's segments; a reference sentence that aligns with nothing
    joins the segment before it.
    """
    beads_per_ref = [[(range(i, i + 1), range(i, i + 1)) for i in range(len(ref))] if len(ref) == len(hypothesis)
                     else align(hypothesis, ref) for ref in references]
    cuts = set(range(len(hypothesis)))
    for beads in beads_per_ref:
        cuts &= {hyp.start for hyp, _ in beads if hyp}
    starts = sorted(cuts | {0}) if hypothesis else [0]
    segments = [" ".join(hypothesis[a:b]) for a, b in zip(starts, [*starts[1:], len(hypothesis)])]
    refs = []
    for ref, beads in zip(references, beads_per_ref):
        parts: list[list[str]] = [[] for _ in starts]
        for hyp, ref_range in beads:
            at = hyp.start if hyp else max(hyp.start - 1, 0)
            parts[bisect.bisect_right(starts, at) - 1].extend(ref[k] for k in ref_range)
        refs.append([" ".join(p) for p in parts])
    return segments, refs


def score_texts(hypothesis: list[str], references: list[list[str]]) -> list[MetricScore]:
    """BLEU, chrF and TER (sacrebleu defaults) of hypothesis segments against the references'
    segments (one list per reference, as long as ``hypothesis``)."""
    from sacrebleu.metrics import BLEU, CHRF, TER

    out = []
    for metric in (BLEU(), CHRF(), TER()):
        result = metric.corpus_score(hypothesis, references)
        out.append(MetricScore(result.name, result.score, str(metric.get_signature()), result.format()))
    return out


def score_files(hypothesis: str, references: list[str]) -> ScoreResult:
    """Score file ``hypothesis`` (``-`` is standard input) against reference files."""
    refs = [sentences(load_path(path)) for path in references]
    hyp, ref_segments = segment_pairs(sentences(load_path(hypothesis)), refs)
    return ScoreResult(hypothesis, list(references), score_texts(hyp, ref_segments))


def render_text(result: ScoreResult) -> str:
    """A small table: metric, score, signature."""
    lines = [f"hypothesis: {result.hypothesis}", "references: " + ", ".join(result.references), ""]
    lines.append(f"{'metric':<7} {'score':>6}  signature")
    for s in result.scores:
        lines.append(f"{s.name:<7} {s.score:>6.2f}  {s.signature}")
    lines.append("(BLEU and chrF: higher is better; TER, an edit rate: lower is better)")
    return "\n".join(lines) + "\n"


def render_json(result: ScoreResult) -> str:
    data = {
        "version": 1,
        "tool": {"name": "tqcheck", "version": __version__},
        "hypothesis": result.hypothesis,
        "references": result.references,
        "segmentation": "sentence",
        "scores": [s.to_dict() for s in result.scores],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
