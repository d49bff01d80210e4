"""Worker processes die with their parent: SIGKILL of the CLI leaves no ``--jobs`` worker, nor a
``--dask local`` worker, running."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from .conftest import ROOT
from .test_corpus import articles, scan, write_jsonl

psutil = pytest.importorskip("psutil")
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX process tree")


def _descendants_once_busy(proc: subprocess.Popen, results, workers: int) -> list:
    """The CLI's descendants once it has ``workers`` children and written some results."""
    parent = psutil.Process(proc.pid)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the run ended before it could be killed"
        family = parent.children(recursive=True)
        if len(parent.children()) >= workers and results.exists() and results.stat().st_size > 2000:
            return family
        time.sleep(0.05)
    raise AssertionError("the run never started its workers")


def _alive(processes: list) -> list:
    left = []
    for p in processes:
        try:
            if p.status() != psutil.STATUS_ZOMBIE:
                left.append(p)
        except psutil.NoSuchProcess:
            pass
    return left


@pytest.mark.parametrize("backend", [["--jobs", "2"], ["--jobs", "2", "--dask", "local"]],
                         ids=["jobs", "dask-local"])
def test_workers_die_when_the_cli_is_killed(tmp_path, backend):
    if "--dask" in backend:
        pytest.importorskip("distributed")
    corpus = write_jsonl(tmp_path / "c.jsonl", articles(4000, sentences=3))
    results = tmp_path / "results.jsonl"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "tqcheck", *scan("--resume", str(results), *backend,
                                                                     str(corpus))],
                            cwd=ROOT, env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        family = _descendants_once_busy(proc, results, 2)
        os.kill(proc.pid, signal.SIGKILL)  # the CLI alone, as the OOM killer does
        proc.wait(timeout=10)
        deadline = time.monotonic() + 10
        while _alive(family) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(family), [" ".join(p.cmdline())[:120] for p in _alive(family)]
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # whatever is left, so a failure does not leak
        except ProcessLookupError:
            pass


def test_the_fallback_watch_ends_an_orphan():
    """Where the kernel cannot be asked (not Linux), a thread notices the parent is gone."""
    child = ("import os, sys, time; from tqcheck.orphans import watch; watch(os.getppid()); "
             "print(os.getpid(), flush=True); time.sleep(60)")
    middle = ("import subprocess, sys, time; "
              f"subprocess.Popen([sys.executable, '-c', {child!r}]); time.sleep(60)")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", middle], cwd=ROOT, env=env, start_new_session=True,
                            stdout=subprocess.PIPE, text=True)
    try:
        orphan = psutil.Process(int(proc.stdout.readline()))
        proc.kill()
        proc.wait(timeout=10)
        orphan.wait(timeout=5)  # psutil.TimeoutExpired if it outlives its parent
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
