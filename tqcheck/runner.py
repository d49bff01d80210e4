"""Check many inputs: in input order, in chunks that fill the model's batches, on several processes.

The interface the CLI uses, and that other back ends (Dask) plug into::

    check_all(inputs, options, jobs=1) -> Iterator[Outcome]

* ``inputs``: paths (``"-"`` is standard input) or :class:`~tqcheck.document.Document` objects
  already loaded (records of a corpus file), mixed freely.
* ``options``: the :class:`~tqcheck.pipeline.Options` of the run, the same for every input.
* ``jobs``: processes to use; 1 checks in this process.  Whatever ``jobs`` is, the outcomes are
  the same and come in the same order.
* Yields one :class:`Outcome` per input, in input order, as soon as it and every input before it
  are done.  A bad input is an outcome whose ``error`` is the :class:`~tqcheck.errors.InputError`
  (the value, never raised), so one broken file never stops a run.

Inputs are checked in chunks (:data:`CHUNK_DOCS` documents, :data:`CHUNK_CHARS` characters at
most): the rules run per document, the model once per chunk, so that the sentences of many
short files share batches (``pipeline.check_documents``).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Iterator, Union

from .document import Document, load_path
from .errors import InputError

if TYPE_CHECKING:
    from .pipeline import FileResult, Options

#: An input: a path to load, or a document already loaded.
Input = Union[str, Document]

#: Most documents in one chunk: enough one-sentence files to fill the model's batches.
CHUNK_DOCS = 64
#: Most characters in one chunk (bounds the memory a chunk's scores and findings take).
CHUNK_CHARS = 400_000


@dataclass
class Outcome:
    """What became of one input: its result, or the error that stopped it."""

    #: The path as given, or the document's name.
    name: str
    result: "FileResult | None" = None
    error: InputError | None = None


def check_all(inputs: Iterable[Input], options: "Options", jobs: int = 1) -> Iterator[Outcome]:
    """One :class:`Outcome` per input, in input order (see the module docstring)."""
    for chunk in chunks(inputs):
        yield from check_chunk(chunk, options)


def chunks(inputs: Iterable[Input]) -> Iterator[list[Input]]:
    """Consecutive inputs, at most :data:`CHUNK_DOCS` per chunk and about :data:`CHUNK_CHARS`
    characters (a path counts by its size on disk; a path that cannot be read counts as 0)."""
    chunk: list[Input] = []
    size = 0
    for item in inputs:
        chunk.append(item)
        size += _size(item)
        if len(chunk) >= CHUNK_DOCS or size >= CHUNK_CHARS:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def _size(item: Input) -> int:
    if isinstance(item, Document):
        return len(item.content)
    try:
        return 0 if item == "-" else os.path.getsize(item)
    except OSError:
        return 0


def check_chunk(chunk: list[Input], options: "Options") -> list[Outcome]:
    """Load and check one chunk in this process: one outcome per input, in order."""
    from .pipeline import check_documents

    outcomes: list[Outcome] = []
    docs: list[Document] = []
    for item in chunk:
        name = item.path if isinstance(item, Document) else item
        outcomes.append(Outcome(name))
        try:
            docs.append(item if isinstance(item, Document) else load_path(item))
        except InputError as exc:
            outcomes[-1].error = exc
    checked = iter(check_documents(docs, options))
    for outcome in outcomes:
        if outcome.error is None:
            done = next(checked)
            if isinstance(done, InputError):
                outcome.error = done
            else:
                outcome.result = done
    return outcomes
