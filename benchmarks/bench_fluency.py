"""Fluency model speed and memory: tokens per second, load times, peak memory of a scan.

Each figure comes from a fresh Python process (``--child``), so load times include the imports and
peak memory is that process's own.  Throughput is measured over the DEMETR sentences (about 40,000
tokens) after a warm-up batch, with torch's threads set as tqcheck sets them (one per core this
process may use that no other program keeps busy at start: run it on a quiet 2-core machine, or
under ``taskset -c 0,1``); the median of three runs is shown, since a shared machine has outliers.
The load average is printed too.  One row compares ONNX Runtime with int8 dynamic quantisation
with torch bf16 on the same sentences (when ``onnxruntime`` and ``onnx`` are installed; tqcheck
does not use them: docs/decisions.md).  End-to-end figures on corpora: ``bench_corpus.py``.

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
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEMETR = ROOT.parent / "shared" / "data" / "demetr-fr-en-dev.jsonl"
SEED = ROOT / "seeds"
#: Throughput runs per setting (the median is shown: a shared machine has outliers).
RUNS = 3
#: Sentences of the ONNX Runtime comparison (export and quantisation take a minute already).
ONNX_TEXTS = 500
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


def child_onnx(model: str) -> dict:
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

    texts = sentences()[:ONNX_TEXTS]
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
    onnx = run_child("onnx", model)
    rows.append((f"tokens/s, ONNX Runtime int8 dynamic, batched ({onnx.get('threads', '-')} threads)",
                 onnx["skipped"] if "skipped" in onnx else
                 f"{onnx['onnx_tokens_per_s']:,.0f} against torch bf16 {onnx['torch_tokens_per_s']:,.0f} on the same "
                 f"{onnx['texts']:,} sentences (per CPU-second {onnx['onnx_tokens_per_cpu_s']:,.0f} against "
                 f"{onnx['torch_tokens_per_cpu_s']:,.0f}); surprisal moved {onnx['mean_shift']:.2f} nats a token on "
                 f"average (at most {onnx['max_shift']:.1f})"))
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
