"""How the model fails: shared by the loader, the converter and the scorer, which raise and
recognise these, and by the pipeline, which warns with :class:`ModelWarning` without importing
any of them."""
from __future__ import annotations


class ModelUnavailable(Exception):
    """The model exists but cannot be used here; ``str()`` is the one-line reason."""


def out_of_memory(exc: BaseException) -> bool:
    """A MemoryError, or torch's allocator failing (a RuntimeError that says so)."""
    text = str(exc).lower()
    return isinstance(exc, MemoryError) or (isinstance(exc, RuntimeError) and ("alloc" in text
                                                                                or "memory" in text))


class ModelWarning(UserWarning):
    """The check went on without the model (the CLI prints it as one line on stderr)."""
