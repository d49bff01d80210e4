"""End to end on corpora: the real CLI as a fresh process, quiet and beside one busy process.

Corpora, generated from ``../shared/data/bbc-news-dev.jsonl`` into a temporary folder:

* ``articles``: 300 news articles, one file each;
* ``sentences``: 2,000 one-sentence files, and the same sentences in one file (one per line);
* ``big``: one file of about 2 MB.

Each is checked by ``python -m tqcheck scan --format json`` in a fresh process (model on, warm
cache), and again while a CPU-bound process that this script starts and stops spins beside it.
The table gives the wall time, the tokens the model scored per second of that wall time, the
scorer's own tokens per second on the same texts in the same condition (``LanguageModel._score``
in one call, no pipeline), and the peak memory of the largest process (``ru_maxrss`` of the
children: with ``--jobs`` above 1 each worker peaks at about that).  The seed row is the warm
start: one article with the model.

``--policy`` adds a table of thread policies on the articles: processes × torch threads, and
OpenMP's wait policy, quiet and busy (docs/decisions.md quotes it).

    .venv/bin/python benchmarks/bench_corpus.py [--quick] [--policy]
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.table import print_table  # noqa: E402

BBC = ROOT.parent / "shared" / "data" / "bbc-news-dev.jsonl"
SEED = ROOT / "seeds"
#: Sizes of the full run and of ``--quick``.
#: ``scorer``: articles whose sentences the scorer-only measurement times (a rate needs no
#: whole corpus).
SIZES = {"full": {"articles": 300, "sentences": 2000, "big_mb": 2.0, "scorer": 40},
         "quick": {"articles": 20, "sentences": 100, "big_mb": 0.1, "scorer": 5}}
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")

#: Run in a fresh process: the command, its wall time and its children's peak memory.
_WRAP = """
import json, resource, subprocess, sys, time
started = time.perf_counter()
proc = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
wall = time.perf_counter() - started
print(json.dumps({"wall": wall, "rc": proc.returncode, "stderr": proc.stderr.decode()[-400:],
                  "peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
                  "out": proc.stdout.decode()}))
"""

#: The scorer alone, in a fresh process: tokens per second over the given texts in one call.
_SCORER = """
import json, sys, time
from tqcheck.fluency.loader import load
texts = json.load(open(sys.argv[1]))
lm = load("smollm2")
lm._score(texts[:8])
started = time.perf_counter()
tokens = sum(s.tokens for s in lm._score(texts))
print(json.dumps({"tokens_per_s": tokens / (time.perf_counter() - started), "precision": lm.precision}))
"""


def articles(n: int) -> list[str]:
    texts = []
    with BBC.open(encoding="utf-8") as f:
        for line in f:
            text = json.loads(line).get("text", "").strip() if line.strip() else ""
            if text:
                texts.append(text)
            if len(texts) == n:
                break
    return texts


def build(folder: Path, size: dict) -> dict[str, list[str]]:
    """Write the corpora; each is the list of command-line paths that checks it."""
    texts = articles(max(size["articles"], 400))
    corpora: dict[str, list[str]] = {}
    (folder / "articles").mkdir()
    for i, text in enumerate(texts[:size["articles"]]):
        (folder / "articles" / f"{i:04d}.txt").write_text(text + "\n", encoding="utf-8")
    corpora["articles"] = [str(folder / "articles")]
    sentences = [s.strip() for t in texts for p in t.split("\n") for s in _SENTENCE.split(p)
                 if len(s.split()) >= 4][:size["sentences"]]
    (folder / "sentences").mkdir()
    for i, s in enumerate(sentences):
        (folder / "sentences" / f"{i:05d}.txt").write_text(s + "\n", encoding="utf-8")
    corpora["sentences"] = [str(folder / "sentences")]
    (folder / "one-file.txt").write_text("\n".join(sentences) + "\n", encoding="utf-8")
    corpora["sentences, one file"] = [str(folder / "one-file.txt")]
    big, i = [], 0
    while sum(len(t) + 2 for t in big) < size["big_mb"] * 1e6:
        big.append(texts[i % len(texts)])
        i += 1
    (folder / "big.txt").write_text("\n\n".join(big) + "\n", encoding="utf-8")
    corpora[f"one {size['big_mb']:g} MB file"] = [str(folder / "big.txt")]
    sample = [s.strip() for t in texts[:size["scorer"]] for p in t.split("\n") for s in _SENTENCE.split(p)]
    (folder / "scorer.json").write_text(json.dumps([s for s in sample if s]), encoding="utf-8")
    return corpora


@contextmanager
def busy(on: bool) -> Iterator[None]:
    """One CPU-bound process beside the measured one (when ``on``), stopped afterwards."""
    proc = subprocess.Popen([sys.executable, "-c", "while True: pass"]) if on else None
    try:
        time.sleep(0.5 if on else 0)  # it is running, and counted as running, before we start
        yield
    finally:
        if proc is not None:
            proc.kill()
            proc.wait()


def scan(paths: list[str], *flags: str, env: dict | None = None) -> dict:
    """``tqcheck scan --format json`` in a fresh process: wall, peak memory, tokens scored."""
    cmd = [sys.executable, "-m", "tqcheck", "scan", "--format", "json", "--fail-on", "never", *flags, *paths]
    proc = subprocess.run([sys.executable, "-c", _WRAP, *cmd], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, **(env or {})})
    result = json.loads(proc.stdout)
    if result["rc"] not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)}: exit {result['rc']}: {result['stderr']}")
    files = json.loads(result.pop("out"))["files"]
    result["tokens"] = sum((f.get("fluency") or {}).get("tokens", 0) for f in files)
    result["findings"] = sum(len(f["findings"]) for f in files)
    return result


def scorer_rate(folder: Path) -> float:
    proc = subprocess.run([sys.executable, "-c", _SCORER, str(folder / "scorer.json")], capture_output=True,
                          text=True, cwd=ROOT, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])["tokens_per_s"]


def main_table(folder: Path, corpora: dict[str, list[str]]) -> dict[str, dict]:
    rows, measured = [], {}
    for load in ("quiet", "busy"):
        with busy(load == "busy"):
            rate = scorer_rate(folder)
            seed = scan([str(SEED)])
            rows.append(["seed (warm cache)", load, f"{seed['wall']:.1f} s", f"{seed['tokens']:,}",
                         f"{seed['tokens'] / seed['wall']:,.0f}", f"{rate:,.0f}", f"{seed['peak_mb']:,.0f} MB"])
            measured[f"seed {load}"] = seed
            for name, paths in corpora.items():
                r = scan(paths)
                measured[f"{name} {load}"] = r
                rows.append([name, load, f"{r['wall']:.1f} s", f"{r['tokens']:,}", f"{r['tokens'] / r['wall']:,.0f}",
                             f"{rate:,.0f}", f"{r['peak_mb']:,.0f} MB"])
    print_table(["corpus", "machine", "wall", "tokens", "tokens/s end to end", "scorer tokens/s", "peak memory"],
                rows)
    return measured


def goals(measured: dict[str, dict]) -> None:
    quiet, loaded = measured["articles quiet"], measured["articles busy"]
    rate_quiet, rate_busy = quiet["tokens"] / quiet["wall"], loaded["tokens"] / loaded["wall"]
    files, one = measured["sentences quiet"]["wall"], measured["sentences, one file quiet"]["wall"]
    rows = [["articles, end to end, quiet", f"{rate_quiet:,.0f} tokens/s", ">= 1,500", _ok(rate_quiet >= 1500)],
            ["articles, busy / quiet", f"{rate_busy / rate_quiet:.0%}", ">= 70 %", _ok(rate_busy >= 0.7 * rate_quiet)],
            ["one-sentence files / one file", f"{files / one:.2f} x", "<= 1.5 x", _ok(files <= 1.5 * one)],
            ["seed with the model, warm, quiet", f"{measured['seed quiet']['wall']:.1f} s", "<= 4 s",
             _ok(measured["seed quiet"]["wall"] <= 4)]]
    print()
    print_table(["goal", "measured", "target", "met"], rows)


def _ok(flag: bool) -> str:
    return "yes" if flag else "no"


def policy_table(paths: list[str]) -> None:
    """Processes × threads × OpenMP wait policy on the articles, quiet and busy."""
    settings = [("1", "2", "ACTIVE"), ("1", "2", "PASSIVE"), ("1", "1", "PASSIVE"), ("2", "1", "PASSIVE"),
                ("1", "auto", "PASSIVE")]
    rows = []
    for load in ("quiet", "busy"):
        with busy(load == "busy"):
            for jobs, threads, wait in settings:
                env = {"OMP_WAIT_POLICY": wait}
                if threads != "auto":
                    env["OMP_NUM_THREADS"] = threads
                r = scan(paths, "--jobs", jobs, env=env)
                rows.append([load, jobs, threads, wait, f"{r['wall']:.1f} s", f"{r['tokens'] / r['wall']:,.0f}"])
    print()
    print_table(["machine", "processes", "threads each", "OMP_WAIT_POLICY", "wall", "tokens/s"], rows)


def main() -> int:
    if not BBC.exists():
        print(f"{BBC}: not found", file=sys.stderr)
        return 2
    size = SIZES["quick" if "--quick" in sys.argv else "full"]
    before = os.getloadavg()[0]
    subprocess.run([sys.executable, "-m", "tqcheck", "model", "prepare", "--model", "smollm2"], cwd=ROOT,
                   check=True, capture_output=True)  # warm cache: conversion and precision probe done
    with tempfile.TemporaryDirectory() as tmp:
        corpora = build(Path(tmp), size)
        measured = main_table(Path(tmp), corpora)
        goals(measured)
        if "--policy" in sys.argv:
            policy_table(corpora["articles"])
    print(f"\nmachine: {len(os.sched_getaffinity(0))} cores usable; load average before the run "
          f"{before:.1f}; python {sys.version.split()[0]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
