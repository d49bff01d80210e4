"""tqcheck: find machine-translation artifacts in translated text.

The Python API (docs/api.md): :func:`check`, :func:`load_results`, :func:`explain`,
:func:`run_signature`, the result types and :class:`InputError`.  They load on first use, so that
``import tqcheck`` stays light (no pipeline, no torch).
"""
from __future__ import annotations

# Nothing else is imported here: the CLI (``tqcheck`` and ``python -m tqcheck``) runs this module
# before it can install its signal handlers (``interrupts.py``), and a Ctrl-C meanwhile would be a
# traceback.
from ._version import __version__

#: Names of :mod:`tqcheck.api` exported here.
_API = ("check", "load_results", "explain", "run_signature", "CheckResult", "Finding", "Fluency", "SentenceFluency",
        "Severity", "InputError")
__all__ = ["__version__", *_API]


def __getattr__(name: str) -> object:
    if name in _API:
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'tqcheck' has no attribute {name!r}")
