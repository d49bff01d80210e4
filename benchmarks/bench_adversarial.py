"""Running time on adversarial text: is every pattern linear, and how fast is the slowest?

For each pattern that once made tqcheck quadratic (or worse), and for every rule's own trigger
repeated, the rules-only pipeline (reader, rules, code checks; no model) runs in-process on one
core over an input of size S and of 2S (the least CPU time of ``--repeat`` runs each).  The table
prints MB/s at both sizes and the time ratio: about 2 means linear, about 4 quadratic.  The goal is
at least 0.5 MB/s on each.

    .venv/bin/python benchmarks/bench_adversarial.py [--size KB] [--repeat N] [--rules] [--only TEXT]
                                                     [--memory MB] [--no-patterns]

``--rules`` prints one row per rule instead of the summary row; ``--memory MB`` also measures the
peak memory of ``tqcheck scan --no-model`` on a plain-text file of that size (a file of 2 MB or more
is checked in chunks: tqcheck/streaming.py); ``--no-patterns`` measures only that; ``--only TEXT``
times only the patterns whose name holds TEXT.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

from table import print_table  # benchmarks/ is on the path when a script here runs

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tqcheck.core.results import Options  # noqa: E402
from tqcheck.formats import load_text  # noqa: E402
from tqcheck.pipeline import check_document  # noqa: E402

GOAL = 0.5  # MB/s
#: How many of the slowest and of the steepest rules are timed again (``rule_rows``).
SUSPECTS = 8
FR_EN = Options(source_lang="fr", target_lang="en")


def _repeat(unit: str, sep: str = "") -> Callable[[int], str]:
    """A builder: ``unit`` repeated (joined by ``sep``) to about ``size`` characters."""
    return lambda size: sep.join([unit] * max(1, size // (len(unit) + len(sep))))


def _random_prose(size: int) -> str:
    """Words of the seed in random order, mixed scripts and control characters, no full stop."""
    rnd = random.Random(7)
    words = (ROOT / "seeds" / "000_e6414ae541a6d4fd.txt").read_text(encoding="utf-8").split()
    words += ["Москва", "北京", "القاهرة", "\u200b", "\x0b", "\x1b[31m", "600 000", "«", "»"]
    out, n = [], 0
    while n < size:
        w = rnd.choice(words)
        out.append(w)
        n += len(w) + 1
    return " ".join(out)


#: (name, format, builder of a text of about ``size`` characters)
PATTERNS: list[tuple[str, str, Callable[[int], str]]] = [
    ("digit groups '600 000 000' joined by spaces", "txt", _repeat("600 000 000", " ")),
    ("one run of spaces", "txt", lambda size: "a" + " " * size + "b"),
    ("'Mr. ' repeated (one sentence)", "txt", _repeat("Mr. ")),
    ("'\" ' repeated", "txt", _repeat('" ')),
    ("a sentence with findings, no full stop", "txt",
     _repeat("the reunion of the council in Moscou with 21e delegates  and the the family ", "")),
    ("random words, mixed scripts, control chars", "txt", _random_prose),
    ("TSV rows", "tsv", _repeat("Le chat dort.\tThe cat sleeps .\n")),
    ("one TSV field (no tab but one)", "tsv", lambda size: "x\t" + "word " * (size // 5)),
    ("HTML inline code between words", "html", _repeat("<p>a <code>f()</code> b  , c</p>\n")),
    ("Markdown emphasis and code", "md", _repeat("*a* `b` __c__ [d](http://e) ")),
    ("Markdown code span and a finding on every line", "md", _repeat("`x` the the, ok\n\n")),
    ("a suppression comment before every paragraph", "md",
     _repeat("<!-- tqcheck-disable-next-line tq/repeated-word -->\nthe the ok\n\nthe the.\n\n")),
    ("mojibake words 'cafÃ© ' (one run of damaged words)", "txt", _repeat("cafÃ© ")),
    ("one mojibake word 'Ã©Ã©…' (no space)", "txt", _repeat("Ã©")),
]


def _time(text: str, fmt: str, options: Options) -> float:
    """CPU seconds of reading and checking ``text``: the machine is shared, and CPU time is what
    grows with the input."""
    start = time.process_time()
    check_document(load_text(f"bench.{fmt}", text, fmt), options)
    return time.process_time() - start


def measure(build: Callable[[int], str], fmt: str, size: int, options: Options,
            repeat: int = 1) -> tuple[float, float, float]:
    """MB/s at ``size`` and at twice that, and the ratio of their times; each time the least of
    ``repeat`` runs (on a loaded machine a run is only ever slowed down by the others)."""
    _time(build(size), fmt, options)  # warm: packs, caches, the keys the text reaches
    rates, times = [], []
    for n in (size, 2 * size):
        text = build(n)
        seconds = min(_time(text, fmt, options) for _ in range(repeat))
        times.append(seconds)
        rates.append(len(text.encode()) / 1e6 / seconds)
    return rates[0], rates[1], times[1] / times[0]


def _rule_options(pack: str) -> Options:
    source, _, target = pack.rpartition("-")
    return Options(source_lang=source or None, target_lang=target)


def rule_rows(size: int, each: bool, repeat: int) -> list[tuple[str, ...]]:
    """Every YAML rule's first flagged example repeated; one row per rule, or the worst of all.

    A rule's input is small (a few hundredths of a second of CPU at ``size``), so each is timed
    once, and then the rules that decide the table are timed again, the least of ``repeat`` runs
    at each size: the :data:`SUSPECTS` slowest, the :data:`SUSPECTS` steepest and any that misses
    the goal.  One run alone reads noise as growth now and then (a different rule each time); a
    rule that really grows faster than linear stays steep in every run, so it still shows."""
    from tqcheck.rules.examples import example_text
    from tqcheck.rules.packs import all_rules

    inputs = {}
    for rule in all_rules():
        trigger, _ = example_text(rule.examples["flag"][0]["text"])
        inputs[rule.id] = (_repeat(trigger, " "), _rule_options(rule.pack))
    results = {rid: measure(build, "txt", size, options) for rid, (build, options) in inputs.items()}
    by_rate = sorted(results, key=lambda rid: min(results[rid][:2]))
    by_growth = sorted(results, key=lambda rid: -results[rid][2])
    suspects = {*by_rate[:SUSPECTS], *by_growth[:SUSPECTS],
                *(rid for rid, r in results.items() if not _ok(*r))}
    for rid in suspects:
        build, options = inputs[rid]
        results[rid] = measure(build, "txt", size, options, max(repeat, 2))
    if each:
        return [_row(f"trigger of {rid}", size, *r) for rid, r in results.items()]
    slowest = min(results, key=lambda rid: min(results[rid][:2]))
    steepest = max(results, key=lambda rid: results[rid][2])
    return [_row(f"every rule's trigger ({len(results)} rules): slowest, {slowest}", size, *results[slowest]),
            _row(f"every rule's trigger: steepest growth, {steepest}", size, *results[steepest])]


def _row(name: str, size: int, rate1: float, rate2: float, ratio: float) -> tuple[str, ...]:
    return (name, f"{size // 1000} KB", f"{rate1:.2f}", f"{rate2:.2f}", f"{ratio:.2f}",
            "yes" if _ok(rate1, rate2, ratio) else "NO")


def _ok(rate1: float, rate2: float, ratio: float) -> bool:
    """At least the goal at both sizes, and linear."""
    return min(rate1, rate2) >= GOAL and ratio < 2.6


def peak_memory(megabytes: int) -> list[tuple[str, ...]]:
    """Peak resident memory and CPU time of ``tqcheck scan --no-model`` on a text file of
    ``megabytes`` MB: with the text report (every finding a line), with ``--statistics`` (a line
    per rule), and with ``--format jsonl`` (one record with every finding and the whole text)."""
    paragraph = (ROOT / "seeds" / "000_e6414ae541a6d4fd.txt").read_text(encoding="utf-8")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.txt"
        with path.open("w", encoding="utf-8") as out:
            written = 0
            while written < megabytes * 1_000_000:
                written += out.write(paragraph + "\n\n")
        for report in ([], ["--statistics"], ["--format", "jsonl"]):
            with tempfile.TemporaryFile("w+b") as output:
                child = subprocess.Popen([sys.executable, "-m", "tqcheck", "scan", "--no-model", "-s", "fr", "-t", "en",
                                          *report, str(path)], cwd=ROOT, stdout=output, stderr=subprocess.DEVNULL)
                _, _, usage = os.wait4(child.pid, 0)  # this child's own peak, not the largest so far
                # only the end of the output: a child forked from a large process starts as large
                output.seek(max(output.seek(0, os.SEEK_END) - 65536, 0))
                lines = output.read().decode("utf-8", "replace").splitlines()
            if report == ["--statistics"]:  # a line per rule: its count first
                findings = sum(int(line.split("\t")[0]) for line in lines if line.split("\t")[0].isdigit())
            elif report:  # the summary record
                findings = json.loads(lines[-1])["findings"]
            else:  # the summary line
                counts = (re.match(r"(\d+) findings? in 1 file", line) for line in lines)
                findings = next((int(m.group(1)) for m in counts if m), 0)
            peak = usage.ru_maxrss / 1024  # KiB → MiB
            rows.append((f"tqcheck scan --no-model {' '.join(report) or '(text report)'}, {megabytes} MB text file",
                         f"{findings:,}", f"{peak:,.0f} MiB peak", f"{peak / (written / 2**20):.1f}x the file",
                         f"{usage.ru_utime + usage.ru_stime:.1f} s"))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=256, help="S in KB for the patterns (default 256)")
    parser.add_argument("--rule-size", type=int, default=32, help="S in KB for each rule's trigger (default 32)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per size; the least counts (default 3)")
    parser.add_argument("--rules", action="store_true", help="one row per rule")
    parser.add_argument("--memory", type=int, default=0, metavar="MB", help="also measure peak memory on MB of text")
    parser.add_argument("--patterns", action=argparse.BooleanOptionalAction, default=True,
                        help="time the patterns and rules (default; --no-patterns: only the memory)")
    parser.add_argument("--only", metavar="TEXT", help="only the patterns whose name holds TEXT (no rules)")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    size = args.size * 1000
    if args.patterns:
        rows = [_row(name, size, *measure(build, fmt, size, FR_EN, args.repeat)) for name, fmt, build in PATTERNS
                if args.only is None or args.only in name]
        rows += rule_rows(args.rule_size * 1000, args.rules, args.repeat) if args.only is None else []
        print_table(("pattern (rules only, fr→en packs)", "S", "MB/s at S", "MB/s at 2S", "time 2S/S",
                     f"≥ {GOAL} MB/s and linear"), rows)
        print()
    if args.memory:
        print_table(("measure", "findings", "peak memory", "ratio", "CPU time"), peak_memory(args.memory))
    print(f"machine: {os.cpu_count()} cores visible, 1 used; python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
