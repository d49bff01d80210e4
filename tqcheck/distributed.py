"""The Dask back end (``--dask local`` or ``--dask tcp://HOST:8786``): the runner's interface,
``check_all(inputs) -> outcomes in input order``, on the workers of a ``dask.distributed`` cluster.

* Inputs are loaded here (files on this machine need no shared file system on the workers) and
  sent in partitions of about :data:`PARTITION_CHARS` characters, one Dask task each; at most
  :data:`IN_FLIGHT` tasks per worker are out at once, so a corpus streams through in bounded memory.
  The last partitions are smaller, so that the workers finish together (:func:`partitions`).
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
from collections import deque
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

from .core.document import Document
from .core.errors import InputError, UsageError
from .formats import load_path
from .progress import step
from .runner import Input, Outcome, usable_cores

if TYPE_CHECKING:
    from .core.results import FileResult, Options

#: Characters per Dask task, about 16 news articles or 300 one-line strings: tasks of equal size
#: take about the same time whatever the documents' lengths (rules only about 0.15 s, with the
#: model a few seconds), the model's batches fill, and a task's upkeep (a few ms on the client,
#: the scheduler and the worker) stays small beside its check.  A longer document is a task alone.
PARTITION_CHARS = 32_000
#: Documents per task at most (bounds the objects of one task's results).
PARTITION_DOCS = 256
#: The smallest of the last, smaller tasks (:func:`partitions`).
TAIL_CHARS = 4_000
#: Tasks out per worker at once: keeps every worker busy while the next one is sent.
IN_FLIGHT = 3
#: Seconds between two counts of the workers: the count is a call to the scheduler whose answer
#: grows with the cluster, too dear to make for every task that finishes.
RECOUNT_S = 1.0
#: Dask's upkeep in the processes ``--dask local`` starts.  Its statistical profiler (for a
#: dashboard nobody opens) sampled every 10 ms: half of an idle worker's CPU.  The event-loop
#: health check every 20 ms and the memory check every 100 ms (worker and nanny) then cost, idle,
#: 0.14 s of CPU per second on a cluster of 2 workers, 7 % of a 2-core machine taken from the
#: workers; with these values 0.04 (``benchmarks/bench_dask.py --upkeep``, docs/scale.md).  A blocked event loop
#: is still reported after 3 s, and a worker still stops at 95 % of its memory limit.
LOCAL_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.worker.memory.monitor-interval": "500ms",
}


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

        with dask.config.set(LOCAL_CONFIG):  # the nannies pass it on to their workers
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
    parts = enumerate(partitions(inputs, lambda: max(window // IN_FLIGHT, 1)))
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


def partitions(inputs: Iterable[Input],
               workers: Callable[[], int] = lambda: 1) -> Iterator[list[Document | InputError]]:
    """Inputs loaded (a file that cannot be loaded is its error), in consecutive groups of about
    :data:`PARTITION_CHARS` characters and at most :data:`PARTITION_DOCS` documents.

    The inputs are read one group per worker ahead of the group sent, so that the end of the
    input is seen while that much work is left to spread: from there each group takes the
    characters left over twice the ``workers()`` (down to :data:`TAIL_CHARS`).  The last groups
    shrink, and the workers finish together instead of one running the last full group alone
    while the others wait.
    """
    items = iter(inputs)
    ahead: deque[tuple[Document | InputError, int]] = deque()  # loaded, with their sizes
    buffered = 0
    ended = False
    while True:
        while not ended and buffered < PARTITION_CHARS * (workers() + 1):
            item = next(items, None)
            if item is None:
                ended = True
            else:
                loaded = _load(item)
                size = len(loaded.content) if isinstance(loaded, Document) else 0
                ahead.append((loaded, size))
                buffered += size
        if not ahead:
            return
        target = PARTITION_CHARS if not ended else max(min(PARTITION_CHARS, buffered // (2 * workers())), TAIL_CHARS)
        part: list[Document | InputError] = []
        size = 0
        while ahead and size < target and len(part) < PARTITION_DOCS:
            loaded, n = ahead.popleft()
            part.append(loaded)
            size += n
        buffered -= size
        yield part


def _load(item: Input) -> Document | InputError:
    try:
        return item if isinstance(item, Document) else load_path(item)
    except InputError as exc:
        return exc


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
