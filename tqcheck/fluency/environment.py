"""The model path's dependencies: whether they are installed, importing them quietly and with
the thread settings tqcheck wants, and the precision the user forces.

Every module that needs torch or transformers gets them through :func:`import_torch` and
:func:`import_transformers`, so the environment variables below are set before torch first loads,
whichever module loads it first.  transformers is imported only where it is used (converting a
GGUF file, models that ``llama.py`` does not run): its imports cost seconds.
"""
from __future__ import annotations

import contextlib
import importlib.util
import io
import os
import warnings
from typing import Any, Iterator

from ..cores import free_cores, usable_cores
from .failures import ModelUnavailable

#: Import names the model path needs (accelerate: transformers requires it to read GGUF files).
REQUIRED = ("torch", "transformers", "gguf", "accelerate")
#: ``TQCHECK_DTYPE=float32`` forces full precision (``bfloat16`` forces autocast).
DTYPE_ENV = "TQCHECK_DTYPE"


def missing_packages() -> list[str]:
    """Required packages that cannot be imported (found without importing them)."""
    missing = []
    for name in REQUIRED:
        try:
            if importlib.util.find_spec(name) is None:
                missing.append(name)
        except (ImportError, ValueError):  # blocked in sys.modules, or a broken install
            missing.append(name)
    return missing


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """Silence transformers' warnings and progress bars: a check prints findings, not logs."""
    import_transformers()
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
        warnings.simplefilter("ignore")
        yield


def import_torch() -> Any:
    """Import torch with tqcheck's thread settings, or say which package is missing."""
    missing = missing_packages()
    if missing:
        raise ModelUnavailable(f"{', '.join(missing)} not installed (pip install 'tqcheck[model]')")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    # OpenMP threads that wait at a barrier sleep rather than spin, so a thread of ours never
    # burns the core that the thread it waits for needs (docs/decisions.md: threads under load).
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    try:
        import torch
    except (ImportError, OSError, MemoryError) as exc:  # OSError: a broken shared library
        raise ModelUnavailable(f"cannot import torch: {first_line(exc)}") from None
    if "OMP_NUM_THREADS" not in os.environ:
        torch.set_num_threads(free_cores())
    return torch


def pass_threads() -> int:
    """Forward passes the scorer may run side by side, one torch thread each: the usable cores,
    or ``OMP_NUM_THREADS`` where the user or a ``--jobs`` worker set it.

    Not the free cores that size one pass's torch threads (:func:`import_torch`): those meet at a
    barrier after every operation, and a thread that shares its core with a busy process stalls
    the others; whole passes never wait for each other, so beside a busy process two of them get
    the kernel's fair share of both cores, where one gets one core (docs/decisions.md)."""
    try:
        return max(int(os.environ["OMP_NUM_THREADS"]), 1)
    except (KeyError, ValueError):
        return usable_cores()


def import_transformers() -> Any:
    """Import transformers (after torch, with its settings), or say why it cannot be."""
    import_torch()
    try:
        import transformers
    except (ImportError, OSError, MemoryError) as exc:
        raise ModelUnavailable(f"cannot import transformers: {first_line(exc)}") from None
    return transformers


def forced_bfloat16() -> bool | None:
    """What ``TQCHECK_DTYPE`` forces (None: nothing), else False where oneDNN cannot run bf16
    natively (no AVX-512-bf16 or AMX): there fp32 is the only sensible choice.  Otherwise None:
    which precision is faster must be measured (``precision.py``)."""
    choice = os.environ.get(DTYPE_ENV, "").lower()
    if choice in ("float32", "fp32"):
        return False
    torch = import_torch()
    if choice in ("bfloat16", "bf16"):
        return True
    try:
        return None if torch.ops.mkldnn._is_mkldnn_bf16_supported() else False
    except (AttributeError, RuntimeError):
        return False


def first_line(exc: BaseException) -> str:
    """An exception as one line for a warning or an error message."""
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__
