"""What every report, the summary and the gate read of a checked file.

A protocol, so that a file checked now (:class:`~tqcheck.pipeline.FileResult`) and one read back
from a results file (:class:`~tqcheck.report.jsonl.StoredResult`, for ``--resume`` and
``tqcheck report``) go through the same code, and so that naming the type needs no pipeline.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from .document import Document
    from .findings import Finding
    from .langguess import LangGuess


class CheckedFile(Protocol):
    """Read-only: reports never change a result."""

    @property
    def doc(self) -> Document: ...
    @property
    def source_lang(self) -> str | None: ...
    @property
    def target_lang(self) -> str: ...
    @property
    def findings(self) -> list[Finding]: ...
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
