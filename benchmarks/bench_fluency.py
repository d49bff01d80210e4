"""Fluency model speed and memory: tokens per second, load times, peak memory of a scan.

Each figure comes from a fresh Python process (``--child``), so load times include the imports and
peak memory is that process's own.  Throughput is measured over the DEMETR sentences (about 40,000
tokens) after a warm-up batch, with torch's threads set as tqcheck sets them (one per core this
process may use that no other program keeps busy at start: run it on a quiet 2-core machine, or
under ``taskset -c 0,1``); the median of three runs is shown, since a shared machine has outliers.
The load average is printed too.  End-to-end figures on corpora: ``bench_corpus.py``.

    .venv/bin/python benchmarks/bench_fluency.py [--model gemma3]
"""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMETR = ROOT.parent / "shared" / "data" / "demetr-fr-en-dev.jsonl"
SEED = ROOT / "seeds"
#: Throughput runs per setting (the median is shown: a shared machine has outliers).
RUNS = 3
sys.path.insert(0, str(ROOT))


def sentences() -> list[str]:
    rows = [json.loads(line) for line in DEMETR.read_text(encoding="utf-8").splitlines() if line.strip()]
    return sorted({r[k].strip() for r in rows for k in ("eng_sent", "mt_sent", "pert_sent")} - {"."})


# -- children: each prints one JSON object -----------------------------------------------------------
def child_throughput(model: str, precision: str, mode: str) -> dict:
    import torch

    from tqcheck.fluency.loader import load

    lm = load(model, bfloat16=precision == "bf16")
    texts = sentences()
    lm._score(texts[:64])  # warm-up: kernels chosen, weights cast
    started, cpu = time.perf_counter(), time.process_time()
    scored = lm._score(texts) if mode == "batched" else [s for t in texts[:300] for s in lm._score([t])]
    wall = time.perf_counter() - started
    tokens = sum(s.tokens for s in scored)
    return {"tokens": tokens, "tokens_per_s": tokens / wall, "cpu_s": time.process_time() - cpu,
            "threads": torch.get_num_threads()}


def child_load(model: str) -> dict:
    started = time.perf_counter()
    import torch  # noqa: F401
    import transformers  # noqa: F401

    imported = time.perf_counter()
    from tqcheck.fluency.loader import load

    load(model)
    return {"import_s": imported - started, "load_s": time.perf_counter() - imported}


def child_prepare(model: str) -> dict:
    from tqcheck.fluency.convert import prepare

    started = time.perf_counter()
    prepare(model)
    return {"convert_s": time.perf_counter() - started}


def child_scan(model: str, *args: str) -> dict:
    from tqcheck.cli import main

    started = time.perf_counter()
    with open(os.devnull, "w") as sink:
        stdout, sys.stdout = sys.stdout, sink
        try:
            main(["scan", "--model", model, *args, str(SEED)])
        finally:
            sys.stdout = stdout
    return {"wall_s": time.perf_counter() - started}


CHILDREN = {"throughput": child_throughput, "load": child_load, "prepare": child_prepare, "scan": child_scan}


def run_child(name: str, *args: str, env: dict | None = None) -> dict:
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, __file__, "--child", name, *args], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, **(env or {})})
    if proc.returncode != 0:
        raise SystemExit(f"{name}: {proc.stderr.strip().splitlines()[-1:]}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["process_s"] = time.perf_counter() - started
    return result


def main() -> int:
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        result = CHILDREN[sys.argv[2]](*sys.argv[3:])
        result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
        return 0
    if not DEMETR.exists():
        print(f"{DEMETR}: not found", file=sys.stderr)
        return 2
    model = sys.argv[sys.argv.index("--model") + 1] if "--model" in sys.argv else "smollm2"
    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as cold:
        prepared = run_child("prepare", model, env={"TQCHECK_CACHE": cold})
        rows.append(("cold load: convert the GGUF into the cache", f"{prepared['convert_s']:.1f} s, peak "
                                                                   f"{prepared['peak_mb']:.0f} MB"))
    run_child("prepare", model)  # the user's cache, as a scan would find it
    loaded = run_child("load", model)
    rows.append(("cached load: import torch + transformers", f"{loaded['import_s']:.1f} s"))
    rows.append(("cached load: model and tokenizer from safetensors", f"{loaded['load_s']:.1f} s"))
    for precision, mode, label in (("bf16", "batched", "bf16 autocast, batched"),
                                   ("fp32", "batched", "fp32, batched"),
                                   ("bf16", "single", "bf16 autocast, one sentence at a time")):
        runs = sorted((run_child("throughput", model, precision, mode) for _ in range(RUNS)),
                      key=lambda r: r["tokens_per_s"])
        result = runs[len(runs) // 2]
        rows.append((f"tokens/s, {label} ({result['threads']} threads)",
                     f"{result['tokens_per_s']:,.0f} (median of {RUNS}: {runs[0]['tokens_per_s']:,.0f}"
                     f"-{runs[-1]['tokens_per_s']:,.0f}; {result['tokens']:,} tokens)"))
    scan = run_child("scan", model)
    rows.append(("tqcheck scan seeds/ (model on): wall, peak memory",
                 f"{scan['process_s']:.1f} s, {scan['peak_mb']:.0f} MB"))
    rules = run_child("scan", model, "--no-model")
    rows.append(("tqcheck scan --no-model seeds/: wall, peak memory",
                 f"{rules['process_s']:.2f} s, {rules['peak_mb']:.0f} MB"))
    width = max(len(label) for label, _ in rows)
    print(f"{'measure':<{width}}  value")
    for label, value in rows:
        print(f"{label:<{width}}  {value}")
    print(f"\nmodel {model}; cores available: {len(os.sched_getaffinity(0))}; "
          f"load average {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
