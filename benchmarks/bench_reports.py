"""Report speed: ``tqcheck report`` over 200 articles, rules only, for each report format.

The articles are built in a temporary folder from the seed's paragraphs and DEMETR machine
translations (a third each as .txt, .md and .html), so they carry real artifacts.  Prints a table
with the wall time of the whole command (start-up, checking and writing) and the time spent
rendering alone.

    .venv/bin/python benchmarks/bench_reports.py
"""
from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_scan import DEMETR, ROOT
from table import print_table

RULES_ONLY = ["--no-model"]
ARTICLES = 200
FORMATS = ("html", "md", "json", "sarif", "junit")
TARGET_S = 10.0


def write_articles(folder: Path, count: int = ARTICLES) -> int:
    """``count`` articles in ``folder``; returns their total size in bytes."""
    rng = random.Random(4)
    seed = (ROOT / "seeds" / "000_e6414ae541a6d4fd.txt").read_text(encoding="utf-8").split("\n\n")
    sentences = []
    if DEMETR.exists():
        sentences = [json.loads(line)["mt_sent"] for line in DEMETR.read_text(encoding="utf-8").splitlines()]
    size = 0
    for i in range(count):
        paragraphs = rng.sample(seed[1:], k=min(5, len(seed) - 1))
        paragraphs += [" ".join(rng.sample(sentences, 5)) for _ in range(3) if sentences]
        rng.shuffle(paragraphs)
        title = seed[0]
        if i % 3 == 0:
            name, text = f"a{i:03}.txt", "\n\n".join([title, *paragraphs])
        elif i % 3 == 1:
            name, text = f"a{i:03}.md", "\n\n".join([f"# {title}", *paragraphs])
        else:
            body = "".join(f"<p>{p.replace('&', '&amp;').replace('<', '&lt;')}</p>\n" for p in paragraphs)
            name, text = f"a{i:03}.html", f"<!doctype html>\n<html><body><h1>{title}</h1>\n{body}</body></html>\n"
        (folder / name).write_text(text, encoding="utf-8")
        size += len(text.encode())
    return size


def report_wall(folder: Path, fmt: str, runs: int = 3) -> tuple[float, int]:
    """Median wall time of ``tqcheck report`` and the report's size."""
    out = folder.parent / f"report.{ {'md': 'md', 'junit': 'xml'}.get(fmt, fmt)}"
    cmd = [sys.executable, "-m", "tqcheck", "report", *RULES_ONLY, str(folder), "-o", str(out)]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times), out.stat().st_size


def render_only(folder: Path) -> dict[str, float]:
    """Seconds to render each format from results already checked (in-process)."""
    from tqcheck.core.results import Options
    from tqcheck.formats import load_path
    from tqcheck.gate import Gate
    from tqcheck.pipeline import check_document
    from tqcheck.report import render

    results = [check_document(load_path(str(p)), Options()) for p in sorted(folder.iterdir())]
    out = {}
    for fmt in FORMATS:
        start = time.perf_counter()
        render(fmt, results, Gate())
        out[fmt] = time.perf_counter() - start
    return out


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        folder.mkdir()
        size = write_articles(folder)
        subprocess.run([sys.executable, "-m", "tqcheck", "scan", *RULES_ONLY, str(folder)], cwd=ROOT,
                       capture_output=True)  # warm the cache
        rendering = render_only(folder)
        rows = []
        for fmt in FORMATS:
            wall, out_size = report_wall(folder, fmt)
            rows.append((f"tqcheck report -f {fmt} ({ARTICLES} articles, {size / 1e6:.2f} MB)",
                         f"{wall:.2f} s", f"{rendering[fmt]:.3f} s", f"{out_size / 1e6:.2f} MB",
                         "yes" if wall < TARGET_S else "NO"))
    head = ("command (rules only, median of 3)", "wall", "render only", "report size", f"< {TARGET_S:g} s")
    print_table(head, rows)
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
