"""The cache directory: derived data that is slow to build (word tables, the converted model).

``TQCHECK_CACHE`` overrides the location; otherwise ``$XDG_CACHE_HOME/tqcheck`` or
``~/.cache/tqcheck``.  Entries are written atomically, so a crash never leaves a half file, and a
cache that cannot be written only costs time.
"""
from __future__ import annotations

import marshal
import os
import tempfile
from pathlib import Path
from typing import Any, Callable


def cache_dir() -> Path:
    if os.environ.get("TQCHECK_CACHE"):
        return Path(os.environ["TQCHECK_CACHE"]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tqcheck"


def cached_marshal(name: str, build: Callable[[], Any]) -> Any:
    """Load ``name`` from the cache, or ``build()`` it and store it (marshal: fast for dicts)."""
    path = cache_dir() / name
    try:
        return marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        pass
    value = build()
    try:
        write_atomic(path, marshal.dumps(value))
    except OSError:
        pass
    return value


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
