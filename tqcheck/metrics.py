"""Reference-based scores of a translation: sacrebleu's BLEU, chrF and TER (``tqcheck score``).

Translated articles are rarely sentence-aligned with their references, and ``tqcheck fix`` deletes
whole lines (boilerplate), so a line-by-line corpus score would compare the wrong lines.  Each file
is therefore scored as **one segment**: its prose (``Document.text``, markup removed exactly as the
checks read it) with runs of whitespace collapsed to one space.  Every score is printed with its
sacrebleu signature, so it can be reproduced and compared only with scores of the same signature.
sacrebleu is imported here only, when a score is asked for.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from . import __version__
from .document import Document, load_path


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


def segment(doc: Document) -> str:
    """The document as one segment: its prose with whitespace collapsed."""
    return " ".join(doc.text.split())


def score_texts(hypothesis: str, references: list[str]) -> list[MetricScore]:
    """BLEU, chrF and TER (sacrebleu defaults) of one hypothesis segment against its references."""
    from sacrebleu.metrics import BLEU, CHRF, TER

    out = []
    for metric in (BLEU(), CHRF(), TER()):
        result = metric.corpus_score([hypothesis], [[ref] for ref in references])
        out.append(MetricScore(result.name, result.score, str(metric.get_signature()), result.format()))
    return out


def score_files(hypothesis: str, references: list[str]) -> ScoreResult:
    """Score file ``hypothesis`` (``-`` is standard input) against reference files."""
    refs = [segment(load_path(path)) for path in references]
    hyp = segment(load_path(hypothesis))
    return ScoreResult(hypothesis, list(references), score_texts(hyp, refs))


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
        "segmentation": "document",
        "scores": [s.to_dict() for s in result.scores],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
