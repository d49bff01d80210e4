"""``--dask local``: 1 worker against 2 on the rules-only path, and what one worker costs in memory.

Checks the 1,557 BBC articles of ``../shared/data/bbc-news-dev.jsonl`` (a JSONL corpus, one
record per article) on a LocalCluster of 1 and of 2 worker processes, after each worker has
warmed up (rules compiled), and compares every finding with the serial run's.  The check phase
is timed from the first task sent to the last outcome; starting the cluster is shown apart.
Then a 1-worker cluster with the fluency model: the worker's resident memory once the model is
loaded (the worker plugin loads it at start).  Run it on a quiet machine:

    .venv/bin/python benchmarks/bench_dask.py
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

from table import print_table  # benchmarks/ is on the path when a script here runs

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tqcheck import corpus, distributed  # noqa: E402
from tqcheck.core.results import Options  # noqa: E402
from tqcheck.formats import load_text  # noqa: E402
from tqcheck.pipeline import check_documents  # noqa: E402
from tqcheck.runner import check_all  # noqa: E402

BBC = ROOT.parent / "shared" / "data" / "bbc-news-dev.jsonl"
FIELDS = corpus.Fields(id="id")


def documents() -> list:
    return [d for d in corpus.records(str(BBC), FIELDS)]


def signature(outcomes: list) -> list:
    """What must not change with the number of workers: each document's findings, in order."""
    return [(o.name, None if o.result is None else [f.to_dict() for f in o.result.findings]) for o in outcomes]


def _warm() -> None:
    """Compile the rules in a worker before the clock starts."""
    check_documents([load_text("warm.txt", "The 21e summit opened on Tuesday in Geneva.")], Options())


def _rss_mb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 2**20


def on_cluster(docs: list, workers: int) -> tuple[list, float, float, float]:
    """Outcomes, check seconds, cluster start seconds, largest worker RSS (MB)."""
    started = time.perf_counter()
    client = distributed.connect("local", workers)
    try:
        client.wait_for_workers(workers)
        client.run(_warm)
        start_s = time.perf_counter() - started
        t0 = time.perf_counter()
        outcomes = list(distributed.check_all(docs, Options(), client))
        check_s = time.perf_counter() - t0
        rss = max(client.run(_rss_mb).values())
    finally:
        distributed.close(client)
    return outcomes, check_s, start_s, rss


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
    docs = documents()
    megabytes = sum(len(d.content.encode()) for d in docs) / 1e6
    t0 = time.perf_counter()
    serial = list(check_all(docs, Options(), 1))
    serial_s = time.perf_counter() - t0
    reference = signature(serial)
    rows = [["serial, in this process", f"{serial_s:.2f} s", f"{megabytes / serial_s:.2f} MB/s", "1.00×",
             "—", "—", "—"]]
    base = None
    for workers in (1, 2):
        outcomes, check_s, start_s, rss = on_cluster(docs, workers)
        base = base or check_s
        rows.append([f"--dask local, {workers} worker{'s' if workers > 1 else ''}", f"{check_s:.2f} s",
                     f"{megabytes / check_s:.2f} MB/s", f"{base / check_s:.2f}×",
                     "yes" if signature(outcomes) == reference else "NO", f"{start_s:.1f} s", f"{rss:.0f} MB"])
    print(f"{len(docs)} BBC articles, {megabytes:.1f} MB, rules only (--no-model); speed-up against 1 worker")
    print_table(["run", "check", "throughput", "speed-up", "same findings", "cluster start", "worker RSS"], rows)
    print(f"one worker's memory, fluency model (smollm2): {model_worker_rss()}")


if __name__ == "__main__":
    main()
