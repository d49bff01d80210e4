"""Where a warm scan with the model spends its CPU time, and the scorer's rate per CPU-second.

CPU time (``time.process_time``: user + system of this process, all threads), not wall time: on
a shared machine the wall clock measures the neighbours, CPU time the work.  Three parts:

* the stages of ``tqcheck scan PATH`` (default ``seeds/``) with the model, in this process:
  importing the CLI, importing torch, loading the model (tokenizer and weights; transformers'
  imports too for a model ``fluency/llama.py`` does not run), the precision choice (the probe
  when not cached, the bf16 cast of the weights), the rules, the model stage and, inside it,
  the scorer's forward passes and the rerank;
* the forward passes: how many, rows, tokens and padded positions, and the CPU time of the busiest
  of the threads that ran them side by side (``OMP_NUM_THREADS=2`` shows the split on a machine
  too busy for tqcheck to take two threads itself);
* the scorer alone, tokens per CPU-second, on the sentences ``bench_corpus.py`` times (BBC
  articles) and on those ``bench_fluency.py`` times (DEMETR), in one call each as they do;
* its bound: the matrix products' FLOPs per token (decoder and output projection) at the rate
  one matrix product of a batch's shape runs here (GFLOP per CPU-second, the scorer's
  precision): what the scorer would reach if nothing but those products cost anything.

    .venv/bin/python benchmarks/profile_model.py [PATH ...]
"""
from __future__ import annotations

import collections
import functools
import io
import sys
import threading
import time
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.table import print_table  # noqa: E402

#: CPU seconds and calls per timed function.
SPENT: collections.Counter[str] = collections.Counter()
CALLS: collections.Counter[str] = collections.Counter()
#: Each forward pass: (rows, padded width, tokens scored).
PASSES: list[tuple[int, int, int]] = []
#: CPU seconds of the scan's forward passes per thread that ran them (they may run side by side:
#: on an idle machine the busiest thread's share is their wall time).
BY_THREAD: collections.Counter[int] = collections.Counter()


def timed(owner: Any, name: str, label: str) -> None:
    """Replace ``owner.name`` by a wrapper that adds its CPU time to ``SPENT[label]`` (rows
    are shown in the order they are set up)."""
    original: Callable[..., Any] = getattr(owner, name)
    SPENT[label] += 0.0

    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            SPENT[label] += time.process_time() - started
            CALLS[label] += 1

    setattr(owner, name, wrapper)


def scan(paths: list[str]) -> float:
    """The scan with every stage timed; its total CPU time."""
    started = time.process_time()
    from tqcheck import cli, pipeline
    from tqcheck.fluency import environment, loader, precision, rerank, scorer, stage

    SPENT["import the CLI"] = time.process_time() - started
    timed(pipeline, "_rules", "rules and code checks")
    timed(environment, "import_torch", "import torch")
    timed(loader, "_load_source", "load: tokenizer, weights")
    timed(precision, "fastest", "precision: cached choice (or probe), bf16 cast")
    timed(stage, "apply_many", "model stage")
    timed(rerank, "rank", "  of which the rerank")
    forward = scorer.LanguageModel._forward

    def counted(self: Any, rows: list[list[int]]) -> Any:
        PASSES.append((len(rows), scorer._width(max(map(len, rows))), sum(len(r) - 1 for r in rows)))
        started = time.thread_time()
        try:
            return forward(self, rows)
        finally:
            BY_THREAD[threading.get_ident()] += time.thread_time() - started

    scorer.LanguageModel._forward = counted  # type: ignore[method-assign]
    # the passes of one call may run side by side: timed together (process time counts all threads)
    timed(scorer.LanguageModel, "_passes", "  of which forward passes")
    with redirect_stdout(io.StringIO()):
        cli.main(["scan", "--fail-on", "never", "--jobs", "1", *paths])
    return time.process_time() - started


def scorer_rates() -> tuple[Any, list[list[str]]]:
    """The model, and tokens per CPU-second of the scorer alone on both benchmarks' sentences."""
    import torch

    from benchmarks.bench_corpus import _SENTENCE, articles
    from benchmarks.bench_fluency import sentences
    from tqcheck.fluency.loader import load

    lm = load("smollm2")
    bbc = [s.strip() for t in articles(10) for p in t.split("\n") for s in _SENTENCE.split(p) if s.strip()]
    rows = []
    for name, texts in (("BBC article sentences (bench_corpus.py)", bbc),
                        ("DEMETR sentences (bench_fluency.py)", sentences()[:2 * len(bbc)])):
        lm._score(texts[:8])
        before = len(PASSES)
        started = time.process_time()
        tokens = sum(s.tokens for s in lm._score(texts))
        spent = time.process_time() - started
        padded = sum(r * w for r, w, _ in PASSES[before:])
        rows.append([name, f"{len(texts):,}", f"{tokens:,}", f"{tokens / padded:.0%}",
                     f"{tokens / spent:,.0f}", f"{lm.precision}, {torch.get_num_threads()} threads"])
    return lm, rows


def bound(lm: Any) -> list[str]:
    """The matrix products alone: FLOPs per token, the rate of one product of a batch's shape
    (1,280 positions by the MLP's matrix, the best of three timings of ten), and the tokens per
    CPU-second that rate allows."""
    import torch

    linears = [m.weight for m in lm.model.base_model.modules() if isinstance(m, torch.nn.Linear)]
    flops = 2 * (sum(w.numel() for w in linears) + lm.head.numel())
    weight = max(linears, key=lambda w: w.numel())
    states = torch.randn(1280, weight.shape[1]).to(weight.dtype)
    best = float("inf")
    with torch.inference_mode():
        for _ in range(3):
            started = time.process_time()
            for _ in range(10):
                torch.nn.functional.linear(states, weight)
            best = min(best, (time.process_time() - started) / 10)
    rate = 2 * states.shape[0] * weight.numel() / best
    return [f"{flops / 1e6:,.0f} MFLOP", f"{rate / 1e9:,.0f} GFLOP per CPU-second ({weight.dtype})",
            f"{rate / flops:,.0f}"]


def main() -> int:
    total = scan(sys.argv[1:] or [str(ROOT / "seeds")])
    rows = [[label, f"{spent:.2f} s", str(CALLS[label] or "")] for label, spent in SPENT.items()]
    rows.append(["total", f"{total:.2f} s", ""])
    print_table(["stage of the scan", "CPU time", "calls"], rows)
    tokens = sum(t for _, _, t in PASSES)
    print(f"\nforward passes: {len(PASSES)}, rows {sum(r for r, _, _ in PASSES)}, tokens {tokens:,}, "
          f"padded positions {sum(r * w for r, w, _ in PASSES):,}; widths {sorted({w for _, w, _ in PASSES})}; "
          f"run by {len(BY_THREAD)} thread(s), the busiest {max(BY_THREAD.values(), default=0):.2f} s of CPU\n")
    lm, rates = scorer_rates()
    print_table(["scorer alone", "texts", "tokens", "positions real", "tokens per CPU-s", "setting"], rates)
    print()
    print_table(["matrix products per token", "one product's rate", "their bound, tokens per CPU-s"], [bound(lm)])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
