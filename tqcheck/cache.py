"""The cache directory, and the one way tqcheck writes a file: atomically, with no temporary left.

``TQCHECK_CACHE`` overrides the location; otherwise ``$XDG_CACHE_HOME/tqcheck`` or
``~/.cache/tqcheck``.  It holds derived data that is slow to build (word tables, compiled rule
sets, the converted model); a cache that cannot be written only costs time, and a damaged entry
is detected (a checksum) and rebuilt, never trusted.  docs/reliability.md states the guarantees.

Temporary files are named ``.NAME.PID.XXXX.tmp`` next to their target, so a later run can tell
a temporary of a killed process (over an hour old, its process gone) from one being written now,
and sweep it.
"""
from __future__ import annotations

import glob
import hashlib
import marshal
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

#: A temporary file older than this (seconds) whose process is gone is swept.
STALE_AFTER = 3600
#: Compiled rule sets (``*.marshal``) kept in the cache, least recently used evicted first: one
#: entry per distinct ``--disable``/``--enable`` set is 3-4 MB.
MARSHAL_BUDGET = 64 * 1024 * 1024
#: Header of a cache entry: format tag, then the SHA-256 of the payload.
_MAGIC = b"tqcheck-cache-1\n"


def cache_dir() -> Path:
    if os.environ.get("TQCHECK_CACHE"):
        return Path(os.environ["TQCHECK_CACHE"]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tqcheck"


# -- checksummed entries --------------------------------------------------------------------------
def seal(payload: bytes) -> bytes:
    """``payload`` with the header that :func:`unseal` checks."""
    return _MAGIC + hashlib.sha256(payload).digest() + payload


def unseal(data: bytes) -> bytes | None:
    """The payload of a sealed entry, or None when it is truncated, flipped or of another format."""
    head = len(_MAGIC) + 32
    if not data.startswith(_MAGIC) or len(data) < head:
        return None
    payload = data[head:]
    return payload if hashlib.sha256(payload).digest() == data[len(_MAGIC):head] else None


def cached_marshal(name: str, build: Callable[[], Any]) -> Any:
    """Load ``name`` from the cache, or ``build()`` it and store it (marshal: fast for dicts).

    The entry is checksummed: a truncated or bit-flipped file is rebuilt, never unmarshalled, since
    a flipped compiled pattern could match wrongly or crash the regex engine.  A hit refreshes the
    entry's time, which eviction reads as "last used".
    """
    value = read_marshal(name)
    if value is None:
        value = build()
        write_marshal(name, value)
    return value


def read_marshal(name: str) -> Any:
    """The value of the entry ``name`` (checked as :func:`cached_marshal` says); None when there
    is none or it is damaged."""
    path = cache_dir() / name
    try:
        payload = unseal(path.read_bytes())
        if payload is not None:
            value = marshal.loads(payload)
            _touch(path)
            return value
    except (OSError, EOFError, ValueError, TypeError):
        pass
    return None


def write_marshal(name: str, value: Any) -> None:
    """Store ``value`` as the entry ``name``; a cache that cannot be written only costs time."""
    path = cache_dir() / name
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, seal(marshal.dumps(value)), mode=0o644)
        evict(path.parent, "*.marshal", MARSHAL_BUDGET, keep=path)
    except OSError:
        pass


def _touch(path: Path) -> None:
    """Mark an entry as just used (a read-only cache stays as it is)."""
    try:
        os.utime(path)
    except OSError:
        pass


def evict(folder: Path, pattern: str, budget: int, keep: Path) -> None:
    """Delete the least recently used ``pattern`` entries of ``folder`` until they fit ``budget``
    bytes (``keep``, the entry just written, stays)."""
    entries = []
    for entry in folder.glob(pattern):
        try:
            st = entry.stat()
        except OSError:
            continue
        entries.append((st.st_mtime, st.st_size, entry))
    total = sum(size for _, size, _ in entries)
    for _, size, entry in sorted(entries, key=lambda e: e[0]):
        if total <= budget:
            break
        if entry != keep:
            entry.unlink(missing_ok=True)
            total -= size


# -- temporary files ------------------------------------------------------------------------------
def _temp_prefix(path: Path) -> str:
    return f".{path.name}.{os.getpid()}."


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: someone else's live process
        return True
    return True


def sweep_stale(folder: Path, pattern: str) -> None:
    """Remove ``pattern`` temporaries of ``folder`` left by killed processes: over
    :data:`STALE_AFTER` seconds old, and the process named in them (``.NAME.PID.XXXX.tmp``) gone."""
    now = time.time()
    for stale in folder.glob(pattern):
        try:
            if now - stale.lstat().st_mtime <= STALE_AFTER:
                continue
        except OSError:
            continue
        pid = stale.name.rsplit(".", 3)[-3] if stale.name.count(".") >= 4 else ""
        if pid.isdigit() and _alive(int(pid)):
            continue
        if stale.is_dir() and not stale.is_symlink():
            shutil.rmtree(stale, ignore_errors=True)
        else:
            try:
                stale.unlink(missing_ok=True)
            except OSError:  # someone else's folder: theirs to sweep
                pass


def sweep_cache() -> None:
    """Sweep the cache folder's stale temporaries (entries, and SQLite journals of a build that a
    full disk or a kill interrupted)."""
    folder = cache_dir()
    for pattern in (".*.tmp", ".*.tmp-journal"):
        sweep_stale(folder, pattern)


def new_file_mode() -> int:
    """The permissions ``open()`` would give a new file: ``0666`` less the umask."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def _fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (best effort: some file systems refuse)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes, mode: int | None = None,
                 before_replace: Callable[[], None] | None = None) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename, so readers see the old
    file or the new one, never half of one.

    The folder must exist (a report or baseline aimed at a missing folder is a typo to report, not
    to create).  ``mode`` sets the new file's permissions (``tqcheck fix`` keeps the user's); by
    default they are those of any new file, ``0666`` less the umask.  ``before_replace`` runs just
    before the rename and may raise to abandon the write.  On any error or signal (SIGINT, and
    SIGTERM, which the CLI turns into an exception) the temporary file is removed and ``path`` is
    left untouched.
    """
    sweep_stale(path.parent, f".{glob.escape(path.name)}.*.tmp")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=_temp_prefix(path), suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, new_file_mode() if mode is None else mode)
        if before_replace is not None:
            before_replace()
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def replace_dir_atomic(path: Path, build: Callable[[Path], None]) -> None:
    """Fill a folder through ``build(temporary_folder)`` and rename it to ``path``, so ``path`` is
    never half built (the converted model: a crash mid-conversion leaves the old copy or none).

    Temporary folders left by a killed process are swept on the way.  When another process
    finished the same folder first, its copy is kept.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    sweep_stale(path.parent, f".{glob.escape(path.name)}.*.tmp")
    tmp = Path(tempfile.mkdtemp(dir=path.parent, prefix=_temp_prefix(path), suffix=".tmp"))
    try:
        build(tmp)
        if path.is_dir():
            old = Path(tempfile.mkdtemp(dir=path.parent, prefix=_temp_prefix(path), suffix=".tmp"))
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
