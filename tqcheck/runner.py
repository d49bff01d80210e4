"""Check many inputs: in input order, in chunks that fill the model's batches, on several processes.

The interface the CLI uses, and that other back ends (Dask) plug into::

    check_all(inputs, options, jobs=1) -> Iterator[Outcome]

* ``inputs``: paths (``"-"`` is standard input) or :class:`~tqcheck.core.document.Document` objects
  already loaded (records of a corpus file), mixed freely.
* ``options``: the :class:`~tqcheck.core.results.Options` of the run, the same for every input.
* ``jobs``: processes to use (None: :func:`default_jobs`); 1 checks in this process.  Whatever
  ``jobs`` is, the outcomes are the same and come in the same order.
* Yields one :class:`Outcome` per input, in input order, as soon as it and every input before it
  are done.  A bad input is an outcome whose ``error`` is the :class:`~tqcheck.core.errors.InputError`
  (the value, never raised), so one broken file never stops a run.

Inputs are checked in chunks (:data:`CHUNK_DOCS` documents, :data:`CHUNK_CHARS` characters at
most): the rules run per document, the model once per chunk, so that the sentences of many
short files share batches (``pipeline.check_documents``).  :func:`fix_all` does the same for
``tqcheck fix``, a file per task.  How many torch threads a process takes is decided here too
(:func:`free_cores`, and cores ÷ jobs in a worker): docs/decisions.md.
"""
from __future__ import annotations

import collections
import functools
import itertools
import multiprocessing as mp
import os
import sys
import warnings
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, TypeVar

from .core.document import Document
from .core.errors import InputError
from .cores import free_cores, usable_cores  # noqa: F401 - free_cores: re-exported, the runner decides threads
from .formats import load_path
from .orphans import die_with_parent
from .progress import detach, note

if TYPE_CHECKING:
    from .core.results import FileResult, Options
    from .fix import FixResult

T = TypeVar("T")

#: An input: a path to load, or a document already loaded.
Input = str | Document

#: Most documents in one chunk: enough one-sentence files to fill the model's batches.
CHUNK_DOCS = 64
#: Most characters in one chunk (bounds the memory a chunk's scores and findings take).
CHUNK_CHARS = 400_000
#: Peak memory of a worker with SmolLM2, MB (1,204 measured by bench_fluency.py, with a margin).
WORKER_MB = 1500


@dataclass
class Outcome:
    """What became of one input: its result, or the error that stopped it."""

    #: The path as given, or the document's name.
    name: str
    result: "FileResult | None" = None
    error: InputError | None = None


def check_all(inputs: Iterable[Input], options: "Options", jobs: int | None = 1) -> Iterator[Outcome]:
    """One :class:`Outcome` per input, in input order (see the module docstring)."""
    work = functools.partial(check_chunk, options=options)
    for outcomes in ordered_map(work, chunks(inputs), jobs, bool(options.model)):
        yield from outcomes


def fix_all(paths: list[str], options: "Options", unsafe: bool, write: bool,
            jobs: int | None = 1) -> Iterator[tuple[str, "FixResult | InputError"]]:
    """``fix.fix_path`` over ``paths`` on ``jobs`` processes: ``(path, result or error)`` in
    input order.  Files go in the chunks :func:`check_all` uses, so a few small files are fixed
    here rather than in processes that would take longer to start."""
    work = functools.partial(_fix_chunk, options=options, unsafe=unsafe, write=write)
    for done in ordered_map(work, chunks(paths), jobs, bool(options.model)):
        yield from done


def ordered_map(work: Callable[[list[Any]], T], batches: Iterable[list[Any]], jobs: int | None,
                model: bool) -> Iterator[T]:
    """``work(batch)`` for each batch, in order; on ``jobs`` processes when there are at least
    two batches (for one, starting processes would cost more than it saves).  ``work`` must be
    picklable (a module-level function or a ``functools.partial`` of one)."""
    jobs = default_jobs(model) if jobs is None else jobs
    batches = iter(batches)
    head = list(itertools.islice(batches, 2))
    if len(head) < 2 or jobs <= 1:
        for batch in itertools.chain(head, batches):
            yield work(batch)
        return
    yield from _parallel(work, itertools.chain(head, batches), jobs, model)


def default_jobs(model: bool) -> int:
    """``--jobs`` when not given: one process per usable core, but with the model no more than
    the available memory holds (each worker loads its own copy, :data:`WORKER_MB`)."""
    cores = usable_cores()
    if not model:
        return cores
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            kb = next(int(line.split()[1]) for line in f if line.startswith("MemAvailable:"))
    except (OSError, ValueError, StopIteration):  # not Linux: the cores decide
        return cores
    return max(min(cores, kb // 1024 // WORKER_MB), 1)


def _parallel(work: Callable[[list[Any]], T], batches: Iterable[list[Any]], jobs: int,
              model: bool) -> Iterator[T]:
    """Batches on ``jobs`` worker processes, each with its share of the cores for torch
    (processes × threads = cores); at most two batches per worker wait in the queue, so that
    results stream and memory stays bounded however many inputs there are.  A batch that reads
    standard input is done here: a worker has no access to it."""
    threads = max(usable_cores() // jobs, 1)
    # fork is fast (the rules are compiled already) but unsafe once torch's thread pool exists
    method = "spawn" if "torch" in sys.modules or "fork" not in mp.get_all_start_methods() else "fork"
    if model:
        note(f"starting {jobs} workers, each loading the fluency model")
    pool = ProcessPoolExecutor(jobs, mp.get_context(method), initializer=_start_worker,
                               initargs=(threads, os.getpid()))
    try:
        pending: collections.deque[Future[tuple[T, list[tuple[str, type]]]]] = collections.deque()
        for batch in batches:
            if "-" in batch:
                here: Future[tuple[T, list[tuple[str, type]]]] = Future()
                here.set_result((work(batch), []))
                pending.append(here)
            else:
                pending.append(pool.submit(_in_worker, work, batch))
            if len(pending) >= 2 * jobs:
                yield _collect(pending.popleft())
        while pending:
            yield _collect(pending.popleft())
    finally:  # interrupted, or the reader stopped: queued batches are dropped, not run
        pool.shutdown(wait=True, cancel_futures=True)


#: In a worker: the model failed to load once, so later batches run rules only without trying.
_model_off = False


def _start_worker(threads: int, parent: int) -> None:
    """Set a worker's torch threads before torch is imported (it reads them once); a worker
    shows no progress line (the parent does), and dies with its parent (orphans.py)."""
    die_with_parent(parent)
    os.environ["OMP_NUM_THREADS"] = str(threads)
    detach()


def _in_worker(work: Callable[[list[Any]], T], batch: list[Any]) -> tuple[T, list[tuple[str, type]]]:
    """``work(batch)`` in a worker, with the warnings it raised, for the parent to show (a
    worker's stderr would repeat them once per worker)."""
    global _model_off
    options: Options = work.keywords["options"]  # type: ignore[attr-defined]
    options.model = None if _model_off else options.model
    asked = options.model
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        done = work(batch)
    _model_off = _model_off or (asked is not None and options.model is None)  # failed: not again
    return done, [(str(w.message), w.category) for w in caught]


def _collect(future: "Future[tuple[T, list[tuple[str, type]]]]") -> T:
    done, caught = future.result()
    for message, category in caught:
        warnings.warn(message, category, stacklevel=2)  # one place: the parent shows each once
    return done


def _fix_chunk(paths: list[str], options: "Options", unsafe: bool,
               write: bool) -> list[tuple[str, "FixResult | InputError"]]:
    from .fix import fix_path

    out: list[tuple[str, FixResult | InputError]] = []
    for path in paths:
        try:
            out.append((path, fix_path(path, options, unsafe, write)))
        except InputError as exc:
            out.append((path, exc))
        except OSError as exc:  # writing: a read-only folder, a full disk; the next files still go
            out.append((path, InputError(path, f"not fixed, left as it was: {exc.strerror or exc}")))
    return out


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
    from .streaming import streamable

    outcomes: list[Outcome] = []
    docs: list[Document] = []
    for item in chunk:
        name = item.path if isinstance(item, Document) else item
        outcomes.append(Outcome(name))
        try:
            # a large file is read a chunk at a time by the pipeline (streaming.py), not here
            docs.append(item if isinstance(item, Document) else load_path(item, whole=not streamable(options)))
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
