"""Load a fluency model once per process, ready to score.

Local models never touch the network; a hub id is tried from the hub cache first, then
downloaded.  A model that is there but cannot be loaded (missing package, corrupt file, out of
memory) raises :class:`ModelUnavailable`, which the pipeline turns into one warning and a
rules-only check.  A damaged converted copy is rebuilt once.
"""
from __future__ import annotations

import os
import socket
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from ..core.errors import UsageError
from ..progress import step
from . import precision
from .catalogue import ModelSource, resolve
from .convert import prepare
from .environment import first_line, forced_bfloat16, import_torch, import_transformers, quiet
from .failures import ModelUnavailable, out_of_memory
from .scorer import LanguageModel


def load(spec: str, bfloat16: bool | None = None) -> LanguageModel:
    """The model named by ``spec``, loaded once per process, in bf16 autocast or float32 (by
    default: as ``TQCHECK_DTYPE`` forces, else the faster on this CPU, measured once and
    cached: ``precision.py``)."""
    source = resolve(spec)  # a name that is nothing fails here, before torch loads
    return _load(source, forced_bfloat16() if bfloat16 is None else bfloat16)


@lru_cache(maxsize=2)
def _load(source: ModelSource, bfloat16: bool | None) -> LanguageModel:
    try:
        entry = precision.cached(source.spec) if bfloat16 is None else None
        with step(f"loading the {source.spec} fluency model"):
            model, tokenizer = _load_source(source, bfloat16 if entry is None else entry["bfloat16"])
        if bfloat16 is None:
            return precision.fastest(model.eval(), tokenizer, source)
        return LanguageModel(model.eval(), tokenizer, source.spec, bfloat16)
    except (ModelUnavailable, UsageError):
        raise
    except Exception as exc:  # noqa: BLE001 - same for a damaged model folder
        if out_of_memory(exc):
            raise ModelUnavailable(f"not enough memory to load the model ({first_line(exc)})") from None
        raise ModelUnavailable(f"{source.location}: cannot load the model: {first_line(exc)}") from None


def _load_source(source: ModelSource, bfloat16: bool | None) -> tuple[Any, Any]:
    """The model and its tokenizer; ``bfloat16``: the precision when it is known before the load
    (a model of tqcheck's cache then keeps its bf16 weights: ``llama.load``)."""
    if source.kind == "hub":
        try:
            return _from_pretrained(source.location, local=True)  # already in the hub cache
        except OSError:
            pass
        if not _hub_reachable():
            raise UsageError(f"--model {source.spec}: a hub id needs a network to download the model "
                             "the first time, and none is reachable; give a local folder instead")
        try:
            return _from_pretrained(source.location, local=False)
        except OSError as exc:
            raise UsageError(f"--model {source.spec}: cannot download it: {first_line(exc)}") from None
    if source.converted is not None:
        prepare(source.spec)
        try:
            return _from_folder(source.converted, bfloat16, keep=True)
        except Exception as exc:
            if out_of_memory(exc):
                raise
            prepare(source.spec, force=True)  # a damaged cache copy is rebuilt once
            return _from_folder(source.converted, bfloat16, keep=True)
    return _from_folder(Path(source.location), bfloat16, keep=False)


def _from_folder(folder: Path, bfloat16: bool | None, keep: bool) -> tuple[Any, Any]:
    """A local model folder: a Llama by ``llama.py`` without importing transformers (seconds
    saved per process), any other architecture by transformers."""
    import_torch()  # first: tqcheck's thread settings apply only before torch loads
    from . import llama

    if not llama.supports(folder):
        return _from_pretrained(str(folder), local=True)
    return llama.load(folder, bool(bfloat16), keep), llama.Tokenizer(folder)


def _from_pretrained(location: str, local: bool) -> tuple[Any, Any]:
    torch = import_torch()
    import_transformers()
    from transformers import AutoModelForCausalLM, AutoTokenizer

    with quiet():
        tokenizer = AutoTokenizer.from_pretrained(location, local_files_only=local)
        model = AutoModelForCausalLM.from_pretrained(location, dtype=torch.float32, local_files_only=local)
    return model, tokenizer


def _hub_reachable() -> bool:
    """One quick connection attempt, so that a hub id without a network fails in seconds rather
    than after huggingface_hub's retries (half a minute)."""
    host = urlparse(os.environ.get("HF_ENDPOINT", "https://huggingface.co")).hostname or "huggingface.co"
    try:
        socket.create_connection((host, 443), timeout=3).close()
        return True
    except OSError:
        return False
