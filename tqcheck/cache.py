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


def write_atomic(path: Path, data: bytes, mode: int | None = None,
                 before_replace: Callable[[], None] | None = None) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename, so readers see the old
    file or the new one, never half of one.

    ``mode`` sets the new file's permissions (``tqcheck fix`` keeps the user's; a temporary file
    is created 0600).  ``before_replace`` runs just before the rename and may raise to abandon the
    write: the temporary file is removed and ``path`` is left untouched.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        if before_replace is not None:
            before_replace()
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def replace_dir_atomic(path: Path, build: Callable[[Path], None]) -> None:
    """Fill a folder through ``build(temporary_folder)`` and rename it to ``path``, so ``path`` is
    never half built (the converted model: a crash mid-conversion leaves the old copy or none).

    Temporary folders left by a killed process (over an hour old) are removed on the way.  When
    another process finished the same folder first, its copy is kept.
    """
    import shutil
    import time

    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in path.parent.glob(f".{path.name}.*.tmp"):
        if stale.is_dir() and time.time() - stale.stat().st_mtime > 3600:
            shutil.rmtree(stale, ignore_errors=True)
    tmp = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"))
    try:
        build(tmp)
        if path.is_dir():
            old = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"))
            os.replace(path, old)  # an empty folder is replaced by the rename
            os.replace(tmp, path)
            shutil.rmtree(old, ignore_errors=True)
        else:
            try:
                os.replace(tmp, path)
            except OSError:
                if not path.is_dir():
                    raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
