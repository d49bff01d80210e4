"""How the model fails: shared by the loader (:mod:`.model`) and the scorer (:mod:`.scorer`),
which both raise and recognise these, so that neither has to import the other."""
from __future__ import annotations


class ModelUnavailable(Exception):
    """The model exists but cannot be used here; ``str()`` is the one-line reason."""


def out_of_memory(exc: BaseException) -> bool:
    """A MemoryError, or torch's allocator failing (a RuntimeError that says so)."""
    text = str(exc).lower()
    return isinstance(exc, MemoryError) or (isinstance(exc, RuntimeError) and ("alloc" in text
                                                                                or "memory" in text))
