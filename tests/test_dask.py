"""The Dask back end: a LocalCluster of 2 worker processes gives the serial run's results, in the
same order, and a file that fails is an error record, not a failed run."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tqcheck import distributed
from tqcheck.cli import main
from tqcheck.core.document import Document
from tqcheck.core.errors import InputError
from tqcheck.core.results import Options
from tqcheck.formats import load_text

from .conftest import ROOT
from .test_corpus import articles, write_jsonl

pytest.importorskip("distributed")


def test_local_cluster_matches_the_serial_run(tmp_path, capsys):
    corpus = write_jsonl(tmp_path / "c.jsonl", articles(40), broken_after=17)
    files = tmp_path / "files"
    files.mkdir()
    for i, row in enumerate(articles(6)):
        (files / f"{i}.md").write_text(f"# Article {i}\n\n{row['body']}\n", encoding="utf-8")
    (files / "3.md").write_bytes(b"The 21e summit \xff\xfe.\n")  # not UTF-8: this file fails
    args = ["scan", "--no-model", "--format", "jsonl", "--text-field", "body", "--id-field", "id",
            str(files), str(corpus)]

    assert main(args) == 2
    serial = capsys.readouterr()
    assert main([*args, "--dask", "local", "--jobs", "2"]) == 2
    dask = capsys.readouterr()

    assert dask.out == serial.out  # the same records, findings and order, and the same summary
    assert dask.err == serial.err
    records = [json.loads(line) for line in dask.out.splitlines()]
    errors = [r for r in records if r["type"] == "error"]
    assert [(r["path"], r["problem"][:16]) for r in errors] == [
        (str(files / "3.md"), "not UTF-8 text ("), (str(corpus), "record 18 (line ")]
    assert sum(r["type"] == "file" for r in records) == 5 + 40


def test_a_document_whose_check_raises_is_its_own_error(monkeypatch):
    """On a worker, a bug that one document triggers costs that document only."""
    from tqcheck import pipeline

    real = pipeline.check_documents

    def fragile(docs, options):
        if any("boom" in d.text for d in docs):
            raise RuntimeError("boom")
        return real(docs, options)

    monkeypatch.setattr(pipeline, "check_documents", fragile)
    part = [load_text("a.txt", "The 21e summit."), InputError("b.txt", "no such file"),
            load_text("c.txt", "It went boom."), load_text("d.txt", "Vladimir Poutin came.")]
    outcomes = distributed.check_partition(part, Options())
    assert [o.name for o in outcomes] == ["a.txt", "b.txt", "c.txt", "d.txt"]
    assert [o.error is None for o in outcomes] == [True, False, False, True]
    assert str(outcomes[2].error) == "c.txt: internal error: RuntimeError: boom"
    assert outcomes[0].result.findings[0].rule == "fr-en/ordinal"


def test_partitions_are_even_in_characters_and_in_order(tmp_path, monkeypatch):
    """A task holds about PARTITION_CHARS characters whatever the documents' lengths (ten short
    ones or two long ones), and the inputs keep their order, a file that fails in its place."""
    monkeypatch.setattr(distributed, "PARTITION_CHARS", 100)
    monkeypatch.setattr(distributed, "TAIL_CHARS", 100)  # no smaller last tasks here
    docs = [load_text(f"{i}.txt", ("x" * 9 if i < 20 else "y" * 49) + ".") for i in range(30)]
    missing = str(tmp_path / "missing.txt")
    parts = list(distributed.partitions([*docs[:20], missing, *docs[20:]]))
    assert [len(p) for p in parts] == [10, 10, 3, 2, 2, 2, 2]  # the missing file weighs nothing
    flat = [item.path for p in parts for item in p]
    assert flat == [*(f"{i}.txt" for i in range(20)), missing, *(f"{i}.txt" for i in range(20, 30))]


def test_the_last_partitions_shrink_so_the_workers_finish_together(monkeypatch):
    monkeypatch.setattr(distributed, "PARTITION_CHARS", 1000)
    monkeypatch.setattr(distributed, "TAIL_CHARS", 200)
    docs = [load_text(f"{i}.txt", "x" * 99 + ".") for i in range(100)]  # 10,000 characters
    sizes = [sum(len(d.content) for d in p) for p in distributed.partitions(docs, lambda: 2)]
    # full tasks until the end is read; then the 2,000 characters left go in tasks of a quarter
    # of what is left (twice the workers), down to TAIL_CHARS
    assert sizes == [1000] * 8 + [500, 400, 300, 200, 200, 200, 200]


def test_partitions_read_one_partition_per_worker_ahead(monkeypatch):
    """The inputs are loaded as they are sent, not all at once: the lookahead is bounded."""
    monkeypatch.setattr(distributed, "PARTITION_CHARS", 100)
    read = []

    def inputs():
        for i in range(1000):
            read.append(i)
            yield load_text(f"{i}.txt", "x" * 9 + ".")

    parts = distributed.partitions(inputs(), lambda: 3)
    next(parts)
    assert len(read) == 40  # the first partition and one per worker behind it
    next(parts)
    assert len(read) == 50


def test_dask_is_imported_only_with_dask_option():
    code = ("import sys; from tqcheck.cli import main; main(['scan', '--no-model', 'seeds/']); "
            "print('distributed' in sys.modules, 'dask' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.stdout.splitlines()[-1] == "False False"


def test_unreachable_scheduler_is_one_line(capsys):
    import dask

    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        code = main(["scan", "--no-model", "--dask", "tcp://127.0.0.1:9", "seeds/"])
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("tqcheck: error: --dask tcp://127.0.0.1:9: no scheduler answers there")
    assert len(err.splitlines()) == 1


def test_a_task_that_fails_becomes_error_records_in_place(monkeypatch):
    """A task Dask gives up on (its workers lost, or it raised) costs its documents only, each an
    error in its place; the other tasks' results keep their order."""
    real = distributed.check_partition

    def fragile(part, options):
        if any(getattr(item, "text", "").startswith("boom") for item in part):
            raise RuntimeError("worker lost")
        return real(part, options)

    monkeypatch.setattr(distributed, "check_partition", fragile)
    monkeypatch.setattr(distributed, "PARTITION_DOCS", 2)
    docs = [load_text(f"{i}.txt", "boom." if i == 3 else "The 21e summit.") for i in range(6)]
    from dask.distributed import Client

    with Client(processes=False, n_workers=1, threads_per_worker=2, dashboard_address=":0") as client:
        outcomes = list(distributed.check_all(docs, Options(), client))
    assert [o.name for o in outcomes] == [f"{i}.txt" for i in range(6)]
    assert [o.error is None for o in outcomes] == [True, True, False, False, True, True]
    assert str(outcomes[2].error) == "2.txt: not checked: RuntimeError: worker lost"


def _upkeep() -> dict:
    import dask

    return {key: dask.config.get(key) for key in distributed.LOCAL_CONFIG}


def test_local_workers_spend_little_on_upkeep():
    """The statistical profiler (for a dashboard nobody opens) took half an idle worker's CPU, and
    the 20 ms event-loop check with the 100 ms memory check most of the rest: the workers of
    --dask local run with distributed.LOCAL_CONFIG."""
    client = distributed.connect("local", 1)
    try:
        client.wait_for_workers(1)
        assert list(client.run(_upkeep).values()) == [distributed.LOCAL_CONFIG]
    finally:
        distributed.close(client)


def test_workers_are_counted_once_a_second_not_per_task(monkeypatch):
    """Counting the workers asks the scheduler about every one of them: not once per task."""
    from dask.distributed import Client

    monkeypatch.setattr(distributed, "PARTITION_DOCS", 2)
    docs = [load_text(f"{i}.txt", "The 21e summit.") for i in range(40)]
    with Client(processes=False, n_workers=1, threads_per_worker=1, dashboard_address=":0") as client:
        calls = []
        real = client.scheduler_info
        monkeypatch.setattr(client, "scheduler_info", lambda *a, **k: calls.append(1) or real(*a, **k))
        monkeypatch.setattr(distributed, "RECOUNT_S", 3600.0)
        outcomes = list(distributed.check_all(docs, Options(), client))
    assert len(outcomes) == 40 and all(o.error is None for o in outcomes)
    assert len(calls) == 1


class _KillsItsWorker(Document):
    """A document whose first arrival on a worker kills that worker process (a node lost).  The
    client's process (where a LocalCluster's scheduler runs) may unpickle it too: not there."""

    def __setstate__(self, state: dict) -> None:
        import os

        self.__dict__.update(state)
        if os.getpid() != state["client_pid"] and not os.path.exists(state["marker"]):
            open(state["marker"], "w").close()
            os._exit(1)


def test_a_worker_lost_mid_task_is_retried(tmp_path):
    """Dask runs the task of a worker that died again elsewhere: nothing is lost, nothing fails."""
    docs = [load_text(f"{i}.txt", "The 21e summit.") for i in range(6)]
    fatal = _KillsItsWorker("3.txt", "The 21e summit.")
    fatal.__dict__.update(marker=str(tmp_path / "died"), client_pid=os.getpid())
    client = distributed.connect("local", 2)
    try:
        outcomes = list(distributed.check_all([*docs[:3], fatal, *docs[4:]], Options(), client))
    finally:
        distributed.close(client)
    assert (tmp_path / "died").exists()  # a worker did die
    assert [o.name for o in outcomes] == [f"{i}.txt" for i in range(6)]
    assert all(o.error is None and o.result.findings[0].rule == "fr-en/ordinal" for o in outcomes)


def test_the_progress_line_says_the_workers_load_the_model(monkeypatch):
    """Loading the model on every worker takes seconds before the first result: the line says so."""
    from dask.distributed import Client

    from tqcheck import progress

    said: list[str | None] = []
    monkeypatch.setattr(progress, "note", said.append)
    monkeypatch.setattr(distributed.ModelPlugin, "setup", lambda self, worker: None)  # no model here
    with Client(processes=False, n_workers=1, threads_per_worker=1, dashboard_address=":0") as client:
        assert list(distributed.check_all([], Options(model="smollm2"), client)) == []
    assert said[:2] == ["loading the fluency model on every worker", None]
