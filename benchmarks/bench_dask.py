"""``--dask local``: 1 worker against 2 on the rules-only path, and what one worker costs in memory.

Checks the BBC articles of ``../shared/data/bbc-news-dev.jsonl`` (a JSONL corpus, one record per
article; all 1,557 but the last 8, or the first 400 with ``--quick``) in this process and on a
LocalCluster of 1 and of 2 worker processes, after each process has warmed up on the last 8 articles
(rules compiled, language detection loaded, word frequencies of common words cached), and
compares every finding with the serial run's.  The check phase is timed from the first task sent to the last
outcome; starting the cluster is shown apart.  Beside the wall time, the CPU seconds (user+sys)
of the workers, of their nannies and of this process (client and scheduler), so that per-task
overhead shows even on a busy machine, where wall times say little: on 2 cores with 2 workers
every process shares the cores, and the wall time is their CPU seconds together over 2.  And the
words read from the word-frequency table (each process reads those it has not met yet).  Without
``--quick``, then a 1-worker cluster with the fluency model: the worker's resident memory once the
model is loaded.  ``--upkeep`` prints instead what an idle 2-worker cluster's processes spend per
second with Dask's settings and with those of ``--dask local``.  Run it on a quiet machine:

    .venv/bin/python benchmarks/bench_dask.py [--quick | --upkeep]
"""
from __future__ import annotations

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


def _nanny_cpu_s() -> float:
    """User+sys CPU seconds so far of the nanny that started this worker."""
    import psutil

    times = psutil.Process().parent().cpu_times()
    return times.user + times.system


def _word_reads() -> int:
    """Word frequencies read from the word table so far (``frequency.zipf``'s cache misses): every
    process reads the words it has not seen yet, so workers that split a corpus read the words
    their parts share once each."""
    from tqcheck.langs.frequency import zipf

    return zipf.cache_info().misses


def _cluster_cpu_s(client: object) -> tuple[float, float, float]:
    """CPU seconds so far of the workers together, of their nannies together, and of this process."""
    return (sum(client.run(_cpu_s).values()), sum(client.run(_nanny_cpu_s).values()),  # type: ignore[attr-defined]
            _cpu_s())


def on_cluster(docs: list, sample: list, workers: int) -> tuple[list, float, float, float, list[float], int]:
    """Outcomes, check seconds, cluster start seconds, largest worker RSS (MB), CPU seconds of
    the workers, of the nannies and of this process during the check, and the workers' word reads."""
    started = time.perf_counter()
    client = distributed.connect("local", workers)
    try:
        client.wait_for_workers(workers)
        client.run(_warm, sample)
        start_s = time.perf_counter() - started
        reads = sum(client.run(_word_reads).values())
        before, t0 = _cluster_cpu_s(client), time.perf_counter()
        outcomes = list(distributed.check_all(docs, Options(), client))
        check_s = time.perf_counter() - t0
        cpu = [b - a for a, b in zip(before, _cluster_cpu_s(client))]
        reads = sum(client.run(_word_reads).values()) - reads
        rss = max(client.run(_rss_mb).values())
    finally:
        distributed.close(client)
    return outcomes, check_s, start_s, rss, cpu, reads


def upkeep(settings: dict, seconds: float = 5.0) -> str:
    """What an idle LocalCluster of 2 workers spends per second, in CPU seconds, under ``settings``."""
    import dask
    from dask.distributed import Client, LocalCluster

    with dask.config.set(settings):
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0")
    client = Client(cluster)
    try:
        client.wait_for_workers(2)
        time.sleep(1.0)  # past the start
        before, t0 = _cluster_cpu_s(client), time.perf_counter()
        time.sleep(seconds)
        spent = [(b - a) / (time.perf_counter() - t0) for a, b in zip(before, _cluster_cpu_s(client))]
    finally:
        client.close()
        cluster.close()
    return (f"workers {spent[0]:.3f} s/s, nannies {spent[1]:.3f} s/s, client and scheduler {spent[2]:.3f} s/s: "
            f"{sum(spent):.3f} s/s in all")


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
    if "--upkeep" in sys.argv:
        print("idle LocalCluster of 2 workers, CPU seconds (user+sys) per second")
        dask_settings = {"distributed.worker.profile.enabled": False}
        print(f"Dask's settings (profiler off): {upkeep(dask_settings)}")
        print(f"event-loop check every 1 s: {upkeep({**dask_settings, 'distributed.admin.tick.interval': '1s'})}")
        print(f"--dask local (distributed.LOCAL_CONFIG): {upkeep(distributed.LOCAL_CONFIG)}")
        return
    quick = "--quick" in sys.argv
    docs, sample = documents(QUICK_ARTICLES if quick else None)
    megabytes = sum(len(d.content.encode()) for d in docs) / 1e6
    _warm(sample)
    cpu, reads, t0 = _cpu_s(), _word_reads(), time.perf_counter()
    serial = list(check_all(docs, Options(), 1))
    serial_s, serial_cpu, reads = time.perf_counter() - t0, _cpu_s() - cpu, _word_reads() - reads
    reference = signature(serial)
    rows = [["serial, in this process", f"{serial_s:.2f} s", f"{megabytes / serial_s:.2f} MB/s", "—",
             f"{serial_cpu:.1f} s", "—", "—", f"{reads:,}", "—", "—", "—"]]
    base = None
    same = []
    for workers in (1, 2):
        outcomes, check_s, start_s, rss, (workers_cpu, nannies_cpu, here), reads = on_cluster(docs, sample, workers)
        base = base or check_s
        same.append(signature(outcomes) == reference)
        rows.append([f"--dask local, {workers} worker{'s' if workers > 1 else ''}", f"{check_s:.2f} s",
                     f"{megabytes / check_s:.2f} MB/s", f"{base / check_s:.2f}×", f"{workers_cpu:.1f} s",
                     f"{nannies_cpu:.1f} s", f"{here:.1f} s", f"{reads:,}", "yes" if same[-1] else "NO",
                     f"{start_s:.1f} s", f"{rss:.0f} MB"])
    print(f"{len(docs)} BBC articles, {megabytes:.1f} MB, rules only (--no-model); speed-up against 1 worker; "
          f"CPU: user+sys seconds")
    print_table(["run", "check", "throughput", "speed-up", "CPU workers", "CPU nannies", "CPU client",
                 "word reads", "same findings",
                 "cluster start", "worker RSS"], rows)
    print(f"2 workers / 1 worker: {base / check_s:.2f}× wall; findings identical to the serial run: "
          f"{'yes' if all(same) else 'NO'}")
    if not quick:
        print(f"one worker's memory, fluency model (smollm2): {model_worker_rss()}")


if __name__ == "__main__":
    main()
