"""Word frequencies per language (wordfreq's Zipf scale), read word by word from a table in the cache.

A scan looks up a few hundred distinct words per language, so each language's list becomes an
SQLite table once (per installed wordfreq) and is queried, rather than loaded whole at every start.
"""
from __future__ import annotations

import importlib.util
import os
import sqlite3
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Callable

from ..cache import cache_dir, sweep_cache


@lru_cache(maxsize=None)
def _zipf_lookup(lang: str) -> Callable[[str], float]:
    """A function word → Zipf frequency for ``lang`` (wordfreq's large list, down to Zipf 1).

    The list is converted once per wordfreq version into an SQLite table in the cache and read
    word by word: a scan looks up a few hundred distinct words, and loading a whole 300,000-word
    list for each of five candidate languages would cost more than the rest of the scan.
    Without a writable cache the list is held in memory instead.
    """
    path = cache_dir() / f"zipf-{lang}-wordfreq-{_wordfreq_stamp()}.sqlite3"
    try:
        if not path.exists():
            _build_zipf_db(path, _zipf_buckets(lang))
        db = _open_zipf_db(path, lang)
    except (OSError, sqlite3.Error):
        return _memory_lookup(lang)
    query = "SELECT z FROM zipf WHERE w = ?"
    fallback: list[Callable[[str], float]] = []

    def lookup(word: str) -> float:
        if fallback:
            return fallback[0](word)
        try:
            row = db.execute(query, (word,)).fetchone()
        except sqlite3.DatabaseError:  # damaged past the first page: rebuilt on the next run
            path.unlink(missing_ok=True)
            fallback.append(_memory_lookup(lang))
            return fallback[0](word)
        return row[0] if row else 0.0

    return lookup


def _wordfreq_stamp() -> str:
    """What tells one installed wordfreq from another: its package file's size and modification
    time (a new version or a reinstall rewrites it).  Not its version: importing importlib.metadata
    to read it costs 0.04 s of CPU, a tenth of a rules-only scan of an article."""
    spec = importlib.util.find_spec("wordfreq")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("No module named 'wordfreq'", name="wordfreq")
    stat = os.stat(spec.origin)
    return f"{stat.st_size}-{stat.st_mtime_ns}"


def _memory_lookup(lang: str) -> Callable[[str], float]:
    """The list held in memory: without a usable cache."""
    table = {w: z for w, z in _zipf_buckets(lang)}
    return lambda word: table.get(word, 0.0)


def _open_zipf_db(path: Path, lang: str) -> sqlite3.Connection:
    """The cached table, checked: a truncated file (shorter than its pages) or one that is not a
    table of ours (garbage, another format) is deleted and built again, once."""
    db = _checked_zipf_db(path)
    if db is None:
        path.unlink(missing_ok=True)
        _build_zipf_db(path, _zipf_buckets(lang))
        db = _checked_zipf_db(path)
    if db is None:
        raise sqlite3.DatabaseError(f"{path}: damaged, and rebuilding it did not help")
    return db


def _checked_zipf_db(path: Path) -> sqlite3.Connection | None:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    try:
        size = db.execute("PRAGMA page_count").fetchone()[0] * db.execute("PRAGMA page_size").fetchone()[0]
        db.execute("SELECT z FROM zipf WHERE w = ?", ("the",)).fetchone()
        if size == path.stat().st_size:
            return db
    except sqlite3.DatabaseError:
        pass
    db.close()
    return None


def _zipf_buckets(lang: str) -> list[tuple[str, float]]:
    import wordfreq

    try:
        buckets = wordfreq.get_frequency_list(lang, wordlist="large")
    except LookupError:
        return []
    seen: dict[str, float] = {}
    for index, bucket in enumerate(buckets):
        zipf_value = round(9.0 - index / 100.0, 2)
        for word in bucket:
            seen.setdefault(word, zipf_value)
    return list(seen.items())


def _build_zipf_db(path: Path, rows: list[tuple[str, float]]) -> None:
    """Write the table to a temporary file and rename it, so readers never see half a table."""
    path.parent.mkdir(parents=True, exist_ok=True)
    sweep_cache()
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp")
    os.close(fd)
    try:
        db = sqlite3.connect(tmp)
        db.execute("PRAGMA journal_mode=OFF")  # a file no one reads yet needs no journal to leave behind
        db.execute("CREATE TABLE zipf (w TEXT PRIMARY KEY, z REAL) WITHOUT ROWID")
        db.executemany("INSERT INTO zipf VALUES (?, ?)", rows)
        db.commit()
        db.close()
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)


@lru_cache(maxsize=1 << 18)
def zipf(word: str, lang: str) -> float:
    """Zipf frequency of ``word`` (case-folded) in ``lang``; 0.0 when the word is not listed."""
    return _zipf_lookup(lang)(word.lower())


def log_odds(word: str, lang: str, other: str, floor: float = 1.0) -> float:
    """log10 of how much more frequent ``word`` is in ``lang`` than in ``other``.

    Unknown words get the Zipf ``floor`` so one missing entry does not make an infinite ratio.
    """
    return max(zipf(word, lang), floor) - max(zipf(word, other), floor)

