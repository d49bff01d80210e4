"""Rules-only speed: throughput of the checking pipeline and wall time of ``tqcheck scan seeds/``.

Prints a table. Throughput is measured in-process on one core (the pipeline is single-threaded)
over English text built from the DEMETR references and the seed, at least 2 MB of it, in CPU time
(the least of three runs): on a machine shared with other work, wall time measures the others.
The CLI's time on the seed is given both ways, wall and CPU (user + system).

    .venv/bin/python benchmarks/bench_scan.py
"""
from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from table import print_table  # benchmarks/ is on the path when a script here runs

ROOT = Path(__file__).resolve().parent.parent
DEMETR = ROOT.parent / "shared" / "data" / "demetr-fr-en-dev.jsonl"
RULES_ONLY = ["--no-model"]  # the fluency model is on by default


def corpus(min_bytes: int = 2_000_000) -> str:
    """Paragraphs of real English: DEMETR references and MT, and the seed article."""
    paragraphs = [(ROOT / "seeds" / "000_e6414ae541a6d4fd.txt").read_text(encoding="utf-8")]
    if DEMETR.exists():
        rows = [json.loads(line) for line in DEMETR.read_text(encoding="utf-8").splitlines()]
        sentences = sorted({r[k].strip() for r in rows for k in ("eng_sent", "mt_sent")})
        paragraphs += [" ".join(sentences[i:i + 5]) for i in range(0, len(sentences), 5)]
    text, size = [], 0
    while size < min_bytes:
        for p in paragraphs:
            text.append(p)
            size += len(p.encode()) + 2
    return "\n\n".join(text)


def throughput() -> tuple[float, float, int]:
    from tqcheck.core.results import Options
    from tqcheck.formats import load_text
    from tqcheck.pipeline import check_document

    text = corpus()
    options = Options(source_lang="fr", target_lang="en")
    check_document(load_text("warm", text[:20000], "txt"), options)  # load tables and packs once
    seconds = float("inf")
    for _ in range(3):
        start = time.process_time()
        result = check_document(load_text("bench", text, "txt"), options)
        seconds = min(seconds, time.process_time() - start)
    megabytes = len(text.encode()) / 1e6
    return megabytes, megabytes / seconds, len(result.findings)


def scan_wall(runs: int = 7) -> tuple[float, float, bool]:
    """Median wall time of the CLI on seeds/, its median CPU time (user + system: what a busy
    machine does not inflate), and whether torch got imported."""
    cmd = [sys.executable, "-X", "importtime", "-m", "tqcheck", "scan", *RULES_ONLY, "seeds/"]
    subprocess.run(cmd, cwd=ROOT, capture_output=True)  # warm the cache and the OS file cache
    times, cpu = [], []
    heavy = False
    for _ in range(runs):
        start, used = time.perf_counter(), _children_cpu()
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        cpu.append(_children_cpu() - used)
        heavy |= any(f" {m}\n" in proc.stderr or f" {m}." in proc.stderr for m in ("torch", "transformers"))
    return statistics.median(times), statistics.median(cpu), heavy


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    megabytes, rate, findings = throughput()
    wall, cpu, heavy = scan_wall()
    rows = [
        ("rules-only pipeline, English text (CPU time)", f"{megabytes:.1f} MB", f"{rate:.2f} MB/s", "≥ 1 MB/s"),
        ("findings in that text", str(findings), "", ""),
        ("tqcheck scan --no-model seeds/ (median of 7)", "1 file", f"{wall:.3f} s wall", "< 0.5 s"),
        ("the same, CPU time (user + system)", "1 file", f"{cpu:.3f} s", ""),
        ("torch/transformers imported on that path", "", "yes" if heavy else "no", "no"),
    ]
    print_table(("measure", "input", "result", "target"), rows)
    print(f"machine: {os.cpu_count()} cores visible, 1 used; python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
