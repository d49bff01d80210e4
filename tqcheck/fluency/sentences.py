"""Per-sentence and per-file fluency: what ``FileResult.fluency`` holds and the reports print.

Spans are file offsets (like findings), so a report can point at the least fluent sentences.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ..core.document import WORD, Document
from ..core.segments import Segment
from .scorer import TokenScores
from .surprisal import sentence_score


@dataclass
class SentenceFluency:
    """One sentence: ``content[start:end]`` of the file, its tokens and total surprisal, and the
    ``center`` of its model and language (``calibration.py``)."""

    start: int
    end: int
    line: int
    words: int
    tokens: int
    surprisal: float
    center: float

    @property
    def perplexity(self) -> float:
        return math.exp(self.surprisal / self.tokens) if self.tokens else 1.0

    @property
    def score(self) -> float:
        return sentence_score(self.surprisal, self.tokens, self.center)

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "line": self.line, "tokens": self.tokens,
                "perplexity": round(self.perplexity, 2), "score": round(self.score, 1)}


@dataclass
class FileFluency:
    """The fluency of one document: its sentences and the model that scored them."""

    model: str
    precision: str
    sentences: list[SentenceFluency]

    @property
    def score(self) -> float:
        """Word-weighted mean of the sentence scores (100 for a document with no words)."""
        words = sum(s.words for s in self.sentences)
        return sum(s.score * s.words for s in self.sentences) / words if words else 100.0

    @property
    def perplexity(self) -> float:
        tokens = sum(s.tokens for s in self.sentences)
        return math.exp(sum(s.surprisal for s in self.sentences) / tokens) if tokens else 1.0

    def to_dict(self, penalty: float) -> dict[str, Any]:
        """As JSON writes it; ``penalty``, what this fluency adds to the file's, is the scoring
        module's to work out (``tqcheck/scoring.py``)."""
        return {
            "model": self.model,
            "precision": self.precision,
            "score": round(self.score, 1),
            "perplexity": round(self.perplexity, 2),
            "penalty": round(penalty, 2),
            "tokens": sum(s.tokens for s in self.sentences),
            "sentences": [s.to_dict() for s in self.sentences],
        }


def measure(doc: Document, sentences: list[Segment], scores: list[TokenScores], model: str,
            precision: str, center: float) -> FileFluency:
    """File fluency from the scored sentences of ``doc`` (text offsets become file offsets)."""
    out = []
    for segment, scored in zip(sentences, scores):
        start, end = doc.source_span(segment.start, segment.end)
        out.append(SentenceFluency(start, end, doc.line_column(start)[0],
                                   len(WORD.findall(scored.text)), scored.tokens, scored.total, center))
    return FileFluency(model, precision, out)
