"""bf16 autocast or float32: measured once per model and CPU, then cached.

Which is faster cannot be told from the CPU flags.  On machines of one type, bf16 autocast ran
SmolLM2 at 1,664 tokens/s against 568 in float32 on an AMD EPYC, but at 497 against 840 on an
Intel Xeon with AVX-512-bf16 and no AMX.  So the first load on a machine (``tqcheck model
prepare``, or the first scan) times both on a fixed text and stores the winner in
``<cache>/models/precision.json``, keyed by the model and the CPU, so that a cache folder shared
between machines keeps one answer per CPU.  ``TQCHECK_DTYPE`` overrides the choice; a CPU that
cannot run bf16 natively never probes (``environment.forced_bfloat16``).
"""
from __future__ import annotations

import copy
import json
import platform
import time
from pathlib import Path
from typing import Any

from ..cache import cache_dir, write_atomic
from ..progress import step
from .scorer import LanguageModel

#: The probe's text: ordinary sentences of several lengths, scored as one batch.
PROBE = [
    "The committee will publish its report on Thursday.",
    "Prices rose again last month, driven by the cost of energy and food.",
    "She said the talks had been difficult but that both sides wanted an agreement before the end "
    "of the year, when the current arrangement expires.",
    "Rain is expected across the north of the country.",
    "The museum, which reopened in the spring after two years of work, now shows the collection "
    "in chronological order.",
    "He declined to comment.",
    "Officials said the new line would cut the journey between the two cities by almost an hour.",
    "Several schools closed early because of the storm.",
] * 3
#: Timed rounds per precision (alternating, the fastest kept: a shared machine has outliers).
ROUNDS = 2


def cache_file() -> Path:
    return cache_dir() / "models" / "precision.json"


def cpu() -> str:
    """The CPU model, as /proc/cpuinfo names it (the platform's processor string elsewhere)."""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _key(model: str) -> str:
    return f"{model} on {cpu()}"


def _read() -> dict[str, Any]:
    try:
        data = json.loads(cache_file().read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def cached(model: str) -> dict[str, Any] | None:
    """The stored measurement of ``model`` on this CPU: ``{"bfloat16": bool, "tokens_per_s":
    {"bfloat16": float, "float32": float}}``, or None."""
    entry = _read().get(_key(model))
    return entry if isinstance(entry, dict) and isinstance(entry.get("bfloat16"), bool) else None


def fastest(model: Any, tokenizer: Any, source: Any) -> LanguageModel:
    """A scorer of ``model`` in the precision that is faster on this CPU (measured now unless
    cached).  The float32 one is timed on ``model``, the bf16 one on a copy (casting to bf16
    changes the model in place); the loser is dropped."""
    entry = cached(source.spec)
    if entry is not None:
        return LanguageModel(model, tokenizer, source.spec, entry["bfloat16"])
    fp32 = LanguageModel(model, tokenizer, source.spec, False)
    bf16 = LanguageModel(copy.deepcopy(model), tokenizer, source.spec, True)
    with step("measuring once whether bf16 or float32 is faster on this CPU"):
        rates = _measure({"float32": fp32, "bfloat16": bf16})
    winner = rates["bfloat16"] > rates["float32"]
    _store(source.spec, {"bfloat16": winner, "tokens_per_s": {k: round(v) for k, v in rates.items()}})
    return bf16 if winner else fp32


def _measure(scorers: dict[str, LanguageModel]) -> dict[str, float]:
    """Tokens per second of each scorer on :data:`PROBE`, the best of :data:`ROUNDS` after a
    warm-up (the first call picks kernels and casts weights)."""
    best = {name: 0.0 for name in scorers}
    for scorer in scorers.values():
        scorer._score(PROBE[:2])
    for _ in range(ROUNDS):
        for name, scorer in scorers.items():
            started = time.perf_counter()
            tokens = sum(s.tokens for s in scorer._score(PROBE))
            best[name] = max(best[name], tokens / (time.perf_counter() - started))
    return best


def _store(model: str, entry: dict[str, Any]) -> None:
    """Add the entry to the cache file; a cache that cannot be written only means probing again."""
    data = _read()
    data[_key(model)] = entry
    try:
        cache_file().parent.mkdir(parents=True, exist_ok=True)
        write_atomic(cache_file(), json.dumps(data, indent=1, sort_keys=True).encode("utf-8"))
    except OSError:
        pass


def describe(model: str, forced: bool | None) -> str:
    """The precision line of ``tqcheck model info``."""
    if forced is not None:
        return "bfloat16 autocast (TQCHECK_DTYPE)" if forced else "float32"
    entry = cached(model)
    if entry is None:
        return "not measured yet (measured at the first load: tqcheck model prepare)"
    rates = ", ".join(f"{k} {v} tokens/s" for k, v in sorted(entry.get("tokens_per_s", {}).items()))
    return f"{'bfloat16 autocast' if entry['bfloat16'] else 'float32'} (measured: {rates})"
