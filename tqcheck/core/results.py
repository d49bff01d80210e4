"""The options of a run, and what every report, the summary and the gate read of a checked file.

:class:`Options` is what the user asked for; :class:`FileResult` is one checked document.
:class:`CheckedFile` is a protocol, so that a file checked now (a :class:`FileResult`) and one read
back from a results file (:class:`~tqcheck.report.jsonl.StoredResult`, for ``--resume`` and
``tqcheck report``) go through the same code, and so that naming the type needs no pipeline.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Collection, Protocol

from .document import Document
from .findings import Finding, Severity

if TYPE_CHECKING:
    from ..baseline import Baseline
    from ..fluency.sentences import FileFluency
    from ..langguess import LangGuess


class CheckedFile(Protocol):
    """Read-only: reports never change a result."""

    @property
    def doc(self) -> Document: ...
    @property
    def source_lang(self) -> str | None: ...
    @property
    def target_lang(self) -> str: ...
    #: A list, or for a large file read in chunks the findings it keeps on disk (``streaming.py``).
    @property
    def findings(self) -> Collection[Finding]: ...
    @property
    def source_guess(self) -> LangGuess | None: ...
    #: The file's fluency (None without the model): ``to_dict()``, its score and sentences.
    @property
    def fluency(self) -> Any: ...
    @property
    def words(self) -> int: ...
    @property
    def penalty(self) -> float: ...
    @property
    def score(self) -> float: ...
    #: What the model's fluency adds to ``penalty`` (0 without the model).
    @property
    def fluency_penalty(self) -> float: ...
    #: What a translation shorter than its source predicts adds to ``penalty`` (0 without a source).
    @property
    def omission_penalty(self) -> float: ...
    #: What the score was computed with (``scoring.py``); None for results read back from a file
    #: written before signatures.
    @property
    def signature(self) -> str | None: ...


@dataclass(frozen=True)
class Scores:
    """A file's numbers as the scoring module (``tqcheck/scoring.py``) works them out.  Core holds
    them as plain data, so it needs no scoring policy, and they cannot drift from the findings:
    a :class:`FileResult` is built once its findings are final."""

    penalty: float
    score: float
    fluency_penalty: float
    signature: str
    omission_penalty: float = 0.0


@dataclass
class Options:
    """What the user asked for; CLI flags and configuration end up here."""

    source_lang: str | None = None
    target_lang: str | None = None
    disabled: frozenset[str] = frozenset()
    severity_overrides: dict[str, Severity] = field(default_factory=dict)
    #: CSV of approved terms (``termbase.py``), run as rules with the packs.
    termbase: str | None = None
    #: Known findings that are not reported (``baseline.py``).
    baseline: Baseline | None = None
    #: The source text of a plain translation (``--source FILE``), aligned paragraph by paragraph.
    source: str | None = None
    #: The fluency model (``fluency/catalogue.py``: ``auto``, ``smollm2``, ``gemma3``, a folder, a hub
    #: id); None: rules only.  The model stage sets it to None after a failed load, so a run warns
    #: once.
    model: str | None = None
    #: Which word findings of the model are reported: ``likely`` errors or ``all``
    #: (``fluency/spans.py``).
    model_findings: str = "likely"
    #: Rules named one by one in ``enable``: they run even where they are off by default (the
    #: page-furniture rules in localisation files).
    selected: frozenset[str] = frozenset()
    #: The language the run expects its files in when nothing else says (``settle_targets``):
    #: files too short to identify take it, and files in another language are checked as it and
    #: get tq/wrong-language.
    run_target: str | None = None
    #: Per-path overrides of the configuration (``config.PathRules``), in file order: each has
    #: ``matches(path)``, ``disabled`` and ``severity``; a later one wins a severity.
    per_path: tuple = ()

    def for_path(self, path: str) -> "Options":
        """These options with the per-path overrides whose glob matches ``path`` applied."""
        chosen = [p for p in self.per_path if p.matches(path)]
        if not chosen:
            return self
        return replace(self, disabled=self.disabled.union(*(p.disabled for p in chosen)),
                       severity_overrides={**self.severity_overrides,
                                           **{rule: level for p in chosen for rule, level in p.severity.items()}})


@dataclass
class FileResult:
    """One checked document."""

    doc: Document
    source_lang: str | None
    target_lang: str
    findings: Collection[Finding]
    #: How the target language was found (``target_language``): ``given``, ``declared``, ``run``,
    #: ``detected`` or ``default``.
    target_origin: str = "given"
    #: The source language guessed when it was not given (``langguess.py``).
    source_guess: LangGuess | None = None
    #: Sentence and file fluency from the model; None when it did not run.
    fluency: FileFluency | None = None
    #: Penalty, score and signature (``scoring.Scoring.scores``).
    scores: Scores = field(kw_only=True)

    @property
    def words(self) -> int:
        return self.doc.words

    @property
    def penalty(self) -> float:
        """MQM penalty of the findings, plus the fluency penalty when the model ran."""
        return self.scores.penalty

    @property
    def score(self) -> float:
        return self.scores.score

    @property
    def fluency_penalty(self) -> float:
        return self.scores.fluency_penalty

    @property
    def omission_penalty(self) -> float:
        return self.scores.omission_penalty

    @property
    def signature(self) -> str:
        return self.scores.signature
