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
from typing import Callable, Iterable

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
    fallback: list[Callable[[str], float]] = []
    read = _held.setdefault(lang, {})

    def lookup(word: str) -> float:
        if fallback:
            return fallback[0](word)
        if word not in read:
            if len(read) >= READ_AHEAD_WORDS:
                read.clear()
            try:
                _read_many(db, [word, *(w for w in _pending.pop(lang, ()) if w not in read)], read)
            except sqlite3.DatabaseError:  # damaged past the first page: rebuilt on the next run
                path.unlink(missing_ok=True)
                fallback.append(_memory_lookup(lang))
                return fallback[0](word)
        return read[word]

    return lookup


#: Words held per language once read (then the table starts again: memory stays bounded).
READ_AHEAD_WORDS = 1 << 16
_held: dict[str, dict[str, float]] = {}
#: The words a check last announced it will look up, per language, not read yet (:func:`read_ahead`).
_pending: dict[str, list[str]] = {}


def _read_many(db: sqlite3.Connection, words: list[str], into: dict[str, float]) -> None:
    """Read ``words`` in a few queries: one query per word costs about 10 µs, most of it the
    query's own round trip, and a document's words are read for every candidate language."""
    for i in range(0, len(words), 500):
        chunk = words[i:i + 500]
        into.update(dict.fromkeys(chunk, 0.0))
        into.update(db.execute(f"SELECT w, z FROM zipf WHERE w IN ({','.join('?' * len(chunk))})", chunk))


def read_ahead(words: Iterable[str], lang: str) -> None:
    """Announce the (case-folded) words a check is about to look up in ``lang``: the next lookup
    that reaches the table reads them all at once.  A later announcement replaces one not read yet
    (its words are then read one by one, if at all)."""
    held = _held.get(lang, {})
    _pending[lang] = [w for w in words if w not in held]


#: Punctuation stripped from the ends of a whitespace-separated word (:func:`read_text_ahead`).
_WORD_EDGES = ".,;:!?\"'()[]{}«»“”‘’—–-…/*"


def read_text_ahead(text: str, langs: Iterable[str]) -> None:
    """:func:`read_ahead` the words of ``text`` in each of ``langs``: the checks look a document's
    words up in the target and in every candidate source.  Split at whitespace, at half the cost
    of the checks' token pattern: a word announced but never looked up costs one row read, and one
    looked up but not announced is read alone, as before."""
    words = {w.strip(_WORD_EDGES).replace("’", "'") for w in set(text.lower().split())}
    for lang in dict.fromkeys(langs):
        read_ahead(words, lang)


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

