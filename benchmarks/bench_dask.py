"""``--dask local``: 1 worker against 2 on the rules-only path, and what one worker costs in memory.

Checks the BBC articles of ``../shared/data/bbc-news-dev.jsonl`` (a JSONL corpus, one record per
article; all 1,557 but the last 8, or the first 400 with ``--quick``) in this process and on a
LocalCluster of 1 and of 2 worker processes, after each process has warmed up on the last 8 articles
(rules compiled, language detection loaded, word frequencies of common words cached), and
compares every finding with the serial run's.  The check phase is timed from the first task sent to the last
outcome; starting the cluster is shown apart.  Beside the wall time, the CPU seconds (user+sys)
of the workers and of this process (client and scheduler), so that per-task overhead shows even
on a busy machine, where wall times say little.  Without ``--quick``, then a 1-worker cluster with
the fluency model: the worker's resident memory once the model is loaded.  Run it on a quiet
machine:

    .venv/bin/python benchmarks/bench_dask.py [--quick]
"""
from __future__ import annotations

import os
import resource
import sys
import time
from pathlib import Path

from table import print_table  # benchmarks/ is on the path when a script here runs

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tqcheck import corpus, distributed  # noqa: E402
from tqcheck.core.results import Options  # noqa: E402
from tqcheck.pipeline import check_documents  # noqa: E402
from tqcheck.runner import check_all  # noqa: E402

BBC = ROOT.parent / "shared" / "data" / "bbc-news-dev.jsonl"
FIELDS = corpus.Fields(id="id")
#: Articles checked with ``--quick``: enough tasks (25 of 16) to keep two workers busy.
QUICK_ARTICLES = 400


#: Articles each process checks before the clock starts (not among those timed).
WARM_ARTICLES = 8


def documents(limit: int | None) -> tuple[list, list]:
    """The articles to time, and those to warm up on."""
    docs = [d for d in corpus.records(str(BBC), FIELDS)]
    timed = docs[:-WARM_ARTICLES]
    return timed[:limit] if limit else timed, docs[-WARM_ARTICLES:]


def signature(outcomes: list) -> list:
    """What must not change with the number of workers: each document's findings, in order."""
    return [(o.name, None if o.result is None else [f.to_dict() for f in o.result.findings]) for o in outcomes]


def _warm(sample: list) -> None:
    """Check ``sample`` in a process before the clock starts: what every long run pays once per
    process (rules compiled, modules imported, caches filled) is not what is measured."""
    check_documents(sample, Options())


def _rss_mb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 2**20


def _cpu_s() -> float:
    """User+sys CPU seconds of this process so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _pid() -> int:
    return os.getpid()


def on_cluster(docs: list, sample: list, workers: int) -> tuple[list, float, float, float, float, float]:
    """Outcomes, check seconds, cluster start seconds, largest worker RSS (MB), CPU seconds of the
    workers together and of this process during the check."""
    started = time.perf_counter()
    client = distributed.connect("local", workers)
    try:
        client.wait_for_workers(workers)
        client.run(_warm, sample)
        start_s = time.perf_counter() - started
        before = sum(client.run(_cpu_s).values())
        here, t0 = _cpu_s(), time.perf_counter()
        outcomes = list(distributed.check_all(docs, Options(), client))
        check_s = time.perf_counter() - t0
        here = _cpu_s() - here
        workers_cpu = sum(client.run(_cpu_s).values()) - before
        rss = max(client.run(_rss_mb).values())
    finally:
        distributed.close(client)
    return outcomes, check_s, start_s, rss, workers_cpu, here


def model_worker_rss() -> str:
    client = distributed.connect("local", 1)
    try:
        client.wait_for_workers(1)
        before = max(client.run(_rss_mb).values())
        client.register_plugin(distributed._as_worker_plugin(distributed.ModelPlugin("auto")),
                               name=distributed.ModelPlugin.name)  # what check_all does: the model loads
        after = max(client.run(_rss_mb).values())
    finally:
        distributed.close(client)
    return f"{before:.0f} MB → {after:.0f} MB with the model"


def main() -> None:
    quick = "--quick" in sys.argv
    docs, sample = documents(QUICK_ARTICLES if quick else None)
    megabytes = sum(len(d.content.encode()) for d in docs) / 1e6
    _warm(sample)
    cpu, t0 = _cpu_s(), time.perf_counter()
    serial = list(check_all(docs, Options(), 1))
    serial_s, serial_cpu = time.perf_counter() - t0, _cpu_s() - cpu
    reference = signature(serial)
    rows = [["serial, in this process", f"{serial_s:.2f} s", f"{megabytes / serial_s:.2f} MB/s", "—",
             f"{serial_cpu:.1f} s", "—", "—", "—", "—"]]
    base = None
    same = []
    for workers in (1, 2):
        outcomes, check_s, start_s, rss, workers_cpu, here = on_cluster(docs, sample, workers)
        base = base or check_s
        same.append(signature(outcomes) == reference)
        rows.append([f"--dask local, {workers} worker{'s' if workers > 1 else ''}", f"{check_s:.2f} s",
                     f"{megabytes / check_s:.2f} MB/s", f"{base / check_s:.2f}×", f"{workers_cpu:.1f} s",
                     f"{here:.1f} s", "yes" if same[-1] else "NO", f"{start_s:.1f} s", f"{rss:.0f} MB"])
    print(f"{len(docs)} BBC articles, {megabytes:.1f} MB, rules only (--no-model); speed-up against 1 worker; "
          f"CPU: user+sys seconds")
    print_table(["run", "check", "throughput", "speed-up", "CPU workers", "CPU client", "same findings",
                 "cluster start", "worker RSS"], rows)
    print(f"2 workers / 1 worker: {base / check_s:.2f}× wall; findings identical to the serial run: "
          f"{'yes' if all(same) else 'NO'}")
    if not quick:
        print(f"one worker's memory, fluency model (smollm2): {model_worker_rss()}")


if __name__ == "__main__":
    main()
