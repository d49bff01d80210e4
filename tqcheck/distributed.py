"""The Dask back end (``--dask local`` or ``--dask tcp://HOST:8786``): the runner's interface,
``check_all(inputs) -> outcomes in input order``, on the workers of a ``dask.distributed`` cluster.

* Inputs are loaded here (files on this machine need no shared file system on the workers) and
  sent in partitions of :data:`PARTITION_DOCS` documents, one Dask task each; at most
  :data:`IN_FLIGHT` tasks per worker are out at once, so a corpus streams through in bounded memory.
* The options of the run travel inside each task (they are small), not scattered: data
  scattered to a worker dies with it, and a task Dask retries after losing a worker would find
  its options gone.  The model never travels: each worker loads it once, when it starts
  (:class:`ModelPlugin`), and keeps it for all its tasks.
* Outcomes come back as tasks finish and are yielded in input order (a finished task waits only
  for the ones before it), so output and ``--resume`` files are the same as a serial run's.
* A worker lost mid-task: Dask runs its tasks again elsewhere.  A partition that still fails, or
  a document whose check raises, becomes an error outcome per document; the run goes on.

``dask`` is imported only here, and this module only when ``--dask`` is given.
"""
from __future__ import annotations

import itertools
import time
import uuid
import warnings
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from .core.document import Document
from .core.errors import InputError, UsageError
from .formats import load_path
from .progress import step
from .runner import Input, Outcome, usable_cores

if TYPE_CHECKING:
    from .core.results import FileResult, Options

#: Documents per Dask task: small enough to spread a few hundred files over the workers evenly,
#: large enough that the model's batches fill and per-task overhead (a few ms) stays small.
PARTITION_DOCS = 16
#: Characters per task at most (long articles make smaller tasks).
PARTITION_CHARS = 200_000
#: Tasks out per worker at once: keeps every worker busy while the next one is sent.
IN_FLIGHT = 3
#: Seconds between two counts of the workers: the count is a call to the scheduler whose answer
#: grows with the cluster, too dear to make for every task that finishes.
RECOUNT_S = 1.0


def _import_dask() -> Any:
    try:
        import distributed
    except ImportError:
        raise UsageError("--dask needs dask.distributed: pip install 'tqcheck[dask]'") from None
    return distributed


def connect(address: str, workers: int | None = None) -> Any:
    """A client of a new local cluster (``local``: ``workers`` processes, one thread each) or of
    the running scheduler at ``address``."""
    distributed = _import_dask()
    if address == "local":
        import dask

        # the workers' statistical profiler (for a dashboard nobody opens) samples every 10 ms: it
        # took half of an idle worker's CPU (benchmarks/bench_dask.py)
        with dask.config.set({"distributed.worker.profile.enabled": False}):
            cluster = distributed.LocalCluster(n_workers=workers or usable_cores(), threads_per_worker=1,
                                               processes=True, dashboard_address=":0")  # no fixed port
        return distributed.Client(cluster)
    try:
        return distributed.Client(address)  # waits distributed.comm.timeouts.connect (Dask config)
    except (OSError, TimeoutError) as exc:
        raise UsageError(f"--dask {address}: no scheduler answers there ({exc})") from None


def close(client: Any) -> None:
    """Close the client, and the cluster when it started one (``local``)."""
    cluster = client.cluster  # None for a client of a running scheduler
    client.close()
    if cluster is not None:
        cluster.close()


class ModelPlugin:
    """Loads the fluency model once per worker, at the worker's start, and keeps it there (the
    loader's cache holds it for every later task).  Only the model's name travels."""

    name = "tqcheck-model"

    def __init__(self, spec: str | None, lang: str | None = None) -> None:
        self.spec = spec
        #: The target language when the run names it (``--target-lang``), else English, the default.
        self.lang = lang or "en"

    def setup(self, worker: Any) -> None:
        if not self.spec:
            return
        from .fluency.catalogue import choose
        from .fluency.loader import load

        name, _ = choose(self.spec, self.lang)
        if name is None:
            return  # tasks warn as a serial run would
        try:
            load(name)
        except Exception as exc:  # noqa: BLE001 - the tasks report it per run, as a serial run does
            warnings.warn(f"worker could not preload the model: {exc}", stacklevel=1)


def _as_worker_plugin(plugin: ModelPlugin) -> Any:
    """The plugin as a ``WorkerPlugin`` subclass instance, made here so that importing this module
    does not import dask."""
    from distributed.diagnostics.plugin import WorkerPlugin

    cls = type("TqcheckModelPlugin", (ModelPlugin, WorkerPlugin), {})
    return cls(plugin.spec, plugin.lang)


def check_all(inputs: Iterable[Input], options: "Options", client: Any) -> Iterator[Outcome]:
    """One outcome per input, in input order, checked on the workers of ``client``."""
    from distributed import as_completed

    plugin = ModelPlugin(options.model, options.target_lang)
    with step("loading the fluency model on every worker" if options.model else "preparing the workers"):
        client.register_plugin(_as_worker_plugin(plugin), name=ModelPlugin.name)  # waits for every setup
    run = uuid.uuid4().hex[:8]
    parts = enumerate(partitions(inputs))
    names: dict[str, tuple[int, list[str]]] = {}
    finished: dict[int, list[Outcome]] = {}
    pending = as_completed()

    window, counted = 0, -RECOUNT_S

    def fill() -> None:
        """Send tasks until :data:`IN_FLIGHT` per worker are out, counting the workers every
        :data:`RECOUNT_S`: a cluster may grow while it runs (dask-jobqueue's workers arrive as
        their jobs start)."""
        nonlocal window, counted
        if time.monotonic() - counted >= RECOUNT_S:
            window, counted = IN_FLIGHT * max(len(client.scheduler_info()["workers"]), 1), time.monotonic()
        for index, part in itertools.islice(parts, max(window - len(names), 0)):
            future = client.submit(check_partition, part, options, key=f"tqcheck-{run}-{index}", pure=False)
            names[future.key] = (index, [item.path for item in part])
            pending.add(future)

    fill()
    emitted = 0
    for future in pending:
        index, part_names = names.pop(future.key)
        try:
            finished[index] = future.result()
        except Exception as exc:  # noqa: BLE001 - a task Dask gave up on (workers lost): its documents fail
            finished[index] = [Outcome(n, error=InputError(n, f"not checked: {type(exc).__name__}: {exc}"))
                               for n in part_names]
        future.release()
        fill()
        while emitted in finished:
            yield from finished.pop(emitted)
            emitted += 1


def partitions(inputs: Iterable[Input]) -> Iterator[list[Document | InputError]]:
    """Inputs loaded (a file that cannot be loaded is its error), in consecutive groups of at most
    :data:`PARTITION_DOCS` documents and about :data:`PARTITION_CHARS` characters."""
    part: list[Document | InputError] = []
    size = 0
    for item in inputs:
        try:
            doc = item if isinstance(item, Document) else load_path(item)
            size += len(doc.content)
            part.append(doc)
        except InputError as exc:
            part.append(exc)
        if len(part) >= PARTITION_DOCS or size >= PARTITION_CHARS:
            yield part
            part, size = [], 0
    if part:
        yield part


def check_partition(part: list[Document | InputError], options: "Options") -> list[Outcome]:
    """The task run on a worker: one outcome per item, in order.  If checking the documents
    together raises, each is checked alone, so only the one that fails becomes an error."""
    from .pipeline import check_documents

    docs = [item for item in part if isinstance(item, Document)]
    try:
        checked = iter(check_documents(docs, options))
    except Exception:  # noqa: BLE001 - find the document that fails, keep the others
        checked = iter([_check_alone(doc, options) for doc in docs])
    return [_outcome(item.path, item if isinstance(item, InputError) else next(checked)) for item in part]


def _check_alone(doc: Document, options: "Options") -> "FileResult | InputError":
    from .pipeline import check_documents

    try:
        (done,) = check_documents([doc], options)
    except Exception as exc:  # noqa: BLE001 - one document's failure is its error record, not the run's
        return InputError(doc.path, f"internal error: {type(exc).__name__}: {exc}")
    return done


def _outcome(name: str, done: "FileResult | InputError") -> Outcome:
    return Outcome(name, error=done) if isinstance(done, InputError) else Outcome(name, result=done)
