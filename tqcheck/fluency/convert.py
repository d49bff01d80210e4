"""GGUF → safetensors, once per model, into ``<cache>/models/``.

transformers dequantises a GGUF file in 15-45 s; the result is saved once as safetensors
(``tqcheck model prepare``, or the first scan), after which a load takes a second or two.
"""
from __future__ import annotations

import contextlib
import importlib
import tempfile
from pathlib import Path
from typing import Any, Iterator

from ..cache import cache_dir, replace_dir_atomic
from ..progress import step
from .catalogue import ModelSource, resolve
from .environment import first_line, import_torch, import_transformers, quiet
from .failures import ModelUnavailable, out_of_memory
from .packaged import packaged

#: Seconds a conversion takes on a 2-core machine (README, bench_fluency.py), for the message.
CONVERT_S = {"smollm2": 20, "gemma3": 45}


def _read_gguf(gguf: Path) -> tuple[Any, Any]:
    """Dequantise a GGUF file into a float32 transformers model and its tokenizer (slow)."""
    torch = import_torch()
    import_transformers()
    from transformers import AutoModelForCausalLM, AutoTokenizer

    with quiet():
        tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name, local_files_only=True)
        model: Any = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name, dtype=torch.float32,
                                                          local_files_only=True)
    # The weights are plain float32 now; without this, transformers refuses to save a model it
    # still takes for a quantised one.
    model.hf_quantizer = None
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    return model, tokenizer


@contextlib.contextmanager
def gguf_file(source: ModelSource) -> Iterator[Path]:
    """The source's GGUF file; an assembled model's is joined from its parts into a temporary
    folder of the cache (same disk as the converted copy) and deleted afterwards."""
    model = packaged().get(source.spec) if source.kind == "packaged" else None
    if model is None or not model.assembled:
        yield Path(source.location)
        return
    folder = cache_dir() / "models"
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".assemble-", dir=folder) as tmp:
        module = importlib.import_module(model.package)
        yield Path(module.assemble(Path(tmp) / model.gguf))


def prepare(spec: str, force: bool = False) -> ModelSource:
    """Convert a GGUF model once into the cache (a no-op when done, or for other kinds)."""
    source = resolve(spec)
    target = source.converted
    if target is None or (target.is_dir() and not force):
        return source
    try:
        with step(f"converting the {source.spec} model once, about {CONVERT_S.get(source.spec, 30)} s"), \
                gguf_file(source) as gguf:
            model, tokenizer = _read_gguf(gguf)

        def save(folder: Path) -> None:
            with quiet():
                model.save_pretrained(folder)
                tokenizer.save_pretrained(folder)

        replace_dir_atomic(target, save)
    except ModelUnavailable:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged file can make the GGUF reader raise anything
        if out_of_memory(exc):
            raise ModelUnavailable(f"not enough memory to convert the model ({first_line(exc)})") from None
        raise ModelUnavailable(f"{source.location}: cannot convert the model: {first_line(exc)}") from None
    return source
