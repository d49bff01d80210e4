"""Fluency model speed and memory: load times, tokens per second, peak memory of a scan.

Each figure comes from a fresh Python process (``--child``), so load times include the imports and
peak memory is that process's own.  The rows are what tqcheck does: the model loaded as a scan
loads it (SmolLM2 by ``fluency/llama.py`` with its bf16 weights kept in the cache, Gemma by
transformers), texts batched as the scorer batches them (sorted by length, rows padded to a
multiple of 8 positions, one width per batch), torch's threads set as tqcheck sets them (one per
core this process may use that no other program keeps busy at start: run it on a quiet 2-core
machine, or under ``taskset -c 0,1``), and the precision tqcheck measured and cached for this CPU
(``fluency/precision.py``) beside both precisions timed here.  Throughput is over DEMETR English
sentences spread evenly over the set (its lengths), after a warm-up over the same widths; the
median of the runs is shown (a shared machine has outliers), with tokens per CPU-second (user +
system of the process: what a busy machine's neighbours do not change much) and the share of
the padded positions that are real tokens.  One row compares ONNX Runtime with int8 dynamic
quantisation with torch bf16 (when ``onnxruntime`` and ``onnx`` are installed; tqcheck does not use
them: docs/decisions.md).  Each row is printed as soon as it is measured.  End-to-end figures on
corpora: ``bench_corpus.py``; where a scan's CPU time goes: ``profile_model.py``.

    .venv/bin/python benchmarks/bench_fluency.py [--model gemma3] [--quick] [--no-onnx]

``--quick``: one run per setting on fewer sentences (about a minute for SmolLM2 on a quiet
machine, against about five); ``--no-onnx``: no ONNX Runtime row (its export and quantisation
take a minute).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEMETR = ROOT.parent / "shared" / "data" / "demetr-fr-en-dev.jsonl"
SEED = ROOT / "seeds"
#: Per run size: throughput runs per setting (the median is shown), DEMETR sentences scored
#: batched, one at a time, and by the ONNX Runtime comparison.
SIZES = {"full": {"runs": 3, "batched": 400, "single": 150, "onnx": 300},
         "quick": {"runs": 1, "batched": 150, "single": 40, "onnx": 80}}
#: Width of the measure column.
LABEL = 72
sys.path.insert(0, str(ROOT))


def sentences(limit: int | None = None) -> list[str]:
    """The DEMETR English sentences (references, translations, perturbed ones), sorted; ``limit``
    of them taken evenly over the sorted list."""
    rows = [json.loads(line) for line in DEMETR.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = sorted({r[k].strip() for r in rows for k in ("eng_sent", "mt_sent", "pert_sent")} - {"."})
    if limit is None or limit >= len(texts):
        return texts
    return [texts[n * len(texts) // limit] for n in range(limit)]


# -- children: each prints one JSON object -----------------------------------------------------------
def child_throughput(model: str, precision: str, mode: str, count: str) -> dict:
    """Tokens per second and per CPU-second of the scorer in ``precision`` (``bf16``, ``fp32``),
    ``batched`` as a scan batches, or ``single`` (one sentence per call, as a one-sentence file)."""
    import torch

    from tqcheck.fluency.loader import load
    from tqcheck.fluency.scorer import _width

    lm = load(model, bfloat16=precision == "bf16")
    texts = sentences(int(count))
    positions: list[int] = []
    forward = lm._forward

    def counted(rows: list[list[int]]) -> Any:
        positions.append(len(rows) * _width(max(map(len, rows))))
        return forward(rows)

    lm._forward = counted  # type: ignore[method-assign]

    def run() -> list:
        return lm._score(texts) if mode == "batched" else [s for t in texts for s in lm._score([t])]

    lm._score(texts[::8] if mode == "batched" else texts[:8])  # warm-up: oneDNN builds its kernels once
    positions.clear()
    started, cpu = time.perf_counter(), time.process_time()
    tokens = sum(s.tokens for s in run())
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {"tokens": tokens, "tokens_per_s": tokens / wall, "tokens_per_cpu_s": tokens / cpu,
            "real": (tokens + len(texts)) / sum(positions), "threads": torch.get_num_threads()}


def child_onnx(model: str, count: str) -> dict:
    """ONNX Runtime with int8 dynamic quantisation (issue 12) against torch bf16 autocast, on the
    same sentences in one process: tokens/s of each, and how far the int8 surprisals move from
    torch's (the calibrated thresholds are in nats, so a shift is a change of every finding).
    The model is exported (``torch.onnx``, float32, to surprisal and entropy per position) and
    quantised into a temporary folder; needs ``onnxruntime`` and ``onnx``, which tqcheck does not
    install (docs/decisions.md: not adopted)."""
    try:
        import onnxruntime
        from onnxruntime.quantization import quantize_dynamic
    except ImportError as exc:
        return {"skipped": f"{exc.name} not installed (pip install onnxruntime onnx)"}
    import numpy as np
    import torch

    from tqcheck.fluency.loader import load
    from tqcheck.fluency.scorer import _width

    texts = sentences(int(count))
    reference = load(model, bfloat16=True)
    reference._score(texts[:64])
    started, cpu = time.perf_counter(), time.process_time()
    expected = reference._score(texts)
    tokens = sum(s.tokens for s in expected)
    torch_rate, torch_cpu = tokens / (time.perf_counter() - started), tokens / (time.process_time() - cpu)
    fp32 = load(model, bfloat16=False)
    with tempfile.TemporaryDirectory() as tmp:
        exported, quantised = Path(tmp) / "model.onnx", Path(tmp) / "model-int8.onnx"
        ids = torch.full((2, 16), fp32.pad_id, dtype=torch.long)
        mask = torch.ones_like(ids)
        mask[1, 10:] = 0  # a padded row: the graph is traced, and must keep the padding mask's path
        torch.onnx.export(_surprisal_module(fp32.model), (ids, mask), str(exported), dynamo=False,
                          opset_version=17,
                          input_names=["ids", "mask"], output_names=["surprisal", "entropy"],
                          dynamic_axes={name: {0: "rows", 1: "width"} for name in ("ids", "mask")})
        quantize_dynamic(str(exported), str(quantised))
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = torch.get_num_threads()
        session = onnxruntime.InferenceSession(str(quantised), options, providers=["CPUExecutionProvider"])

    def forward(rows: list[list[int]]) -> list[tuple[list[float], list[float]]]:
        ids = np.full((len(rows), _width(max(len(r) for r in rows))), fp32.pad_id, dtype=np.int64)
        mask = np.zeros_like(ids)
        for n, row in enumerate(rows):
            ids[n, :len(row)], mask[n, :len(row)] = row, 1
        surprisal, entropy = session.run(None, {"ids": ids, "mask": mask})
        return [(surprisal[n, :len(r) - 1].tolist(), entropy[n, :len(r) - 1].tolist()) for n, r in enumerate(rows)]

    fp32._forward = forward  # type: ignore[method-assign]
    fp32._score(texts[:64])
    started, cpu = time.perf_counter(), time.process_time()
    scored = fp32._score(texts)
    onnx_rate, onnx_cpu = tokens / (time.perf_counter() - started), tokens / (time.process_time() - cpu)
    shift = np.concatenate([np.abs(np.subtract(a.surprisal, b.surprisal)) for a, b in zip(scored, expected)])
    return {"onnx_tokens_per_s": onnx_rate, "torch_tokens_per_s": torch_rate, "texts": len(texts),
            "onnx_tokens_per_cpu_s": onnx_cpu, "torch_tokens_per_cpu_s": torch_cpu,
            "mean_shift": float(shift.mean()), "max_shift": float(shift.max()), "threads": torch.get_num_threads()}


def _surprisal_module(model: Any) -> Any:
    """What the ONNX graph computes: surprisal and entropy of tokens 1.. of each row, float32 (the
    scorer's ``_forward`` without its chunking of the vocabulary projection)."""
    import torch

    class Surprisal(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, ids: Any, mask: Any) -> tuple[Any, Any]:
            hidden = self.model.base_model(input_ids=ids, attention_mask=mask)
            hidden = getattr(hidden, "last_hidden_state", hidden)  # transformers wraps it, llama.py does not
            logits = torch.nn.functional.linear(hidden[:, :-1], self.model.get_output_embeddings().weight)
            logp = torch.log_softmax(logits.float(), dim=-1)
            return -logp.gather(2, ids[:, 1:, None])[..., 0], -(logp.exp() * logp).sum(-1)

    return Surprisal().eval()


def child_load(model: str) -> dict:
    """A cached load as a scan does it: torch imported with tqcheck's settings, then the model."""
    started = time.perf_counter()
    from tqcheck.fluency.environment import import_torch

    import_torch()
    imported = time.perf_counter()
    from tqcheck.fluency.loader import load

    lm = load(model)
    return {"import_s": imported - started, "load_s": time.perf_counter() - imported, "precision": lm.precision,
            "runner": "transformers" if "transformers" in sys.modules else "llama.py"}


def child_prepare(model: str) -> dict:
    """What ``tqcheck model prepare`` does in an empty cache: convert the GGUF file, then the first
    load, which measures bf16 against float32 and caches the choice (and, for a Llama in bf16,
    its bf16 weights)."""
    from tqcheck.fluency import precision
    from tqcheck.fluency.convert import prepare
    from tqcheck.fluency.loader import load

    started = time.perf_counter()
    prepare(model)
    converted = time.perf_counter()
    lm = load(model)
    return {"convert_s": converted - started, "first_load_s": time.perf_counter() - converted,
            "precision": lm.precision, "probe": (precision.cached(model) or {}).get("tokens_per_s")}


def child_scan(model: str, *args: str) -> dict:
    from tqcheck.cli import main

    started = time.perf_counter()
    with open(os.devnull, "w") as sink:
        stdout, sys.stdout = sys.stdout, sink
        try:
            main(["scan", "--fail-on", "never", "--model", model, *args, str(SEED)])
        finally:
            sys.stdout = stdout
    return {"wall_s": time.perf_counter() - started}


CHILDREN = {"throughput": child_throughput, "load": child_load, "prepare": child_prepare, "scan": child_scan,
            "onnx": child_onnx}


def run_child(name: str, *args: str, env: dict | None = None) -> dict:
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, __file__, "--child", name, *args], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, **(env or {})})
    if proc.returncode != 0:
        raise SystemExit(f"{name}: {proc.stderr.strip().splitlines()[-1:]}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["process_s"] = time.perf_counter() - started
    return result


def row(label: str, value: str) -> None:
    print(f"{label:<{LABEL}}  {value}", flush=True)


def rates(probe: dict | None) -> str:
    return ", ".join(f"{k} {v:,}" for k, v in sorted((probe or {}).items())) or "none stored"


def throughput(model: str, precision: str, mode: str, count: int, runs: int) -> dict:
    """The median of ``runs`` fresh processes, with the range, as one row's value."""
    results = sorted((run_child("throughput", model, precision, mode, str(count)) for _ in range(runs)),
                     key=lambda r: r["tokens_per_s"])
    median = results[len(results) // 2]
    spread = f" (runs {results[0]['tokens_per_s']:,.0f}-{results[-1]['tokens_per_s']:,.0f})" if runs > 1 else ""
    median["value"] = (f"{median['tokens_per_s']:,.0f}{spread}; {median['tokens_per_cpu_s']:,.0f} per CPU-second; "
                       f"{median['tokens']:,} tokens, {median['real']:.0%} of positions real")
    return median


def main() -> int:
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        result = CHILDREN[sys.argv[2]](*sys.argv[3:])
        result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default="smollm2", help="the packaged model (default smollm2)")
    parser.add_argument("--quick", action="store_true", help="one run per setting, fewer sentences")
    parser.add_argument("--no-onnx", action="store_true", help="no ONNX Runtime row")
    args = parser.parse_args()
    if not DEMETR.exists():
        print(f"{DEMETR}: not found", file=sys.stderr)
        return 2
    size, model = SIZES["quick" if args.quick else "full"], args.model
    load_before = os.getloadavg()[0]
    row("measure", "value")
    with tempfile.TemporaryDirectory() as cold:
        prepared = run_child("prepare", model, env={"TQCHECK_CACHE": cold})
    row("cold: convert the GGUF into the cache (once; tqcheck model prepare)",
        f"{prepared['convert_s']:.1f} s")
    row("cold: first load, bf16 against float32 measured (tokens/s)",
        f"{prepared['first_load_s']:.1f} s, peak {prepared['peak_mb']:,.0f} MB; chose {prepared['precision']} "
        f"({rates(prepared['probe'])})")
    run_child("prepare", model)  # the user's cache, as a scan would find it
    loaded = run_child("load", model)
    row("cached load: import torch", f"{loaded['import_s']:.1f} s")
    row(f"cached load: model and tokenizer ({loaded['runner']})", f"{loaded['load_s']:.1f} s")
    from tqcheck.fluency.precision import cached

    row("precision a scan uses here (cached probe, tokens/s)",
        f"{loaded['precision']} ({rates((cached(model) or {}).get('tokens_per_s'))})")
    for precision, mode, count, label in (("bf16", "batched", size["batched"], "bf16 autocast, batched"),
                                          ("fp32", "batched", size["batched"], "fp32, batched"),
                                          ("bf16", "single", size["single"], "bf16 autocast, one sentence at a time")):
        result = throughput(model, precision, mode, count, size["runs"])
        runs = f"median of {size['runs']}, " if size["runs"] > 1 else ""
        threads = f"{result['threads']} thread{'s' if result['threads'] > 1 else ''}"
        row(f"tokens/s, {label} ({runs}{threads})", result["value"])
    if not args.no_onnx:
        onnx = run_child("onnx", model, str(size["onnx"]))
        row(f"tokens/s, ONNX Runtime int8 dynamic, batched ({onnx.get('threads', '-')} threads)",
            onnx["skipped"] if "skipped" in onnx else
            f"{onnx['onnx_tokens_per_s']:,.0f} against torch bf16 {onnx['torch_tokens_per_s']:,.0f} on the same "
            f"{onnx['texts']:,} sentences (per CPU-second {onnx['onnx_tokens_per_cpu_s']:,.0f} against "
            f"{onnx['torch_tokens_per_cpu_s']:,.0f}); surprisal moved {onnx['mean_shift']:.2f} nats a token on "
            f"average (at most {onnx['max_shift']:.1f})")
    scan = run_child("scan", model)
    row(f"tqcheck scan --model {model} seeds/: wall, peak memory",
        f"{scan['process_s']:.1f} s, {scan['peak_mb']:,.0f} MB")
    rules = run_child("scan", model, "--no-model")
    row("tqcheck scan --no-model seeds/: wall, peak memory", f"{rules['process_s']:.2f} s, {rules['peak_mb']:,.0f} MB")
    print(f"\nmodel {model}; cores available: {len(os.sched_getaffinity(0))}; load average {load_before:.1f} "
          f"before, {os.getloadavg()[0]:.1f} after; python {sys.version.split()[0]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
