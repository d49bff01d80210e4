"""Language identification (langdetect) and word frequencies (wordfreq), loaded once and lazily.

langdetect is non-deterministic unless seeded, so every call goes through one seeded factory. It
loads only the profiles of the languages tqcheck has packs for and their neighbours: it needs to tell
a target language from likely source languages, and loading all 55 profiles costs 0.2 s.
"""
from __future__ import annotations

import os
import re
import sqlite3
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Callable

from .cache import cache_dir, sweep_cache

PROFILES = "en fr de es it pt nl ca ro pl sv da".split()
LANGUAGE_NAMES = {
    "en": "English", "fr": "French", "de": "German", "es": "Spanish", "it": "Italian",
    "pt": "Portuguese", "nl": "Dutch", "ca": "Catalan", "ro": "Romanian", "pl": "Polish",
    "sv": "Swedish", "da": "Danish",
}
#: The codes ``--source-lang``/``--target-lang`` accept: the languages tqcheck can identify.
#: A code outside them could never match a pack or a detected language, so it is a typo.
KNOWN_CODES = tuple(sorted(PROFILES))


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)


@lru_cache(maxsize=1)
def _factory():
    from pathlib import Path

    import langdetect
    from langdetect.detector_factory import DetectorFactory

    factory = DetectorFactory()
    directory = Path(langdetect.__file__).parent / "profiles"
    factory.load_json_profile([(directory / code).read_text(encoding="utf-8") for code in PROFILES])
    factory.set_seed(0)
    return factory


#: Fewer words than this and langdetect alone does not decide what language a text is in: on
#: news sentences cut to a few words it names another language several times in a hundred, and
#: it stops doing so at about 15 words. A shorter text takes its language from its document or
#: its run.
MIN_WORDS = 15
#: Characters of a text langdetect reads to identify it: slices from across the text, so that an
#: untranslated first paragraph does not speak for the whole article.
SAMPLE_CHARS = 5000
_SLICES = 5
_WORD = re.compile(r"[^\W\d_]{2,}")


def identify(text: str) -> tuple[str, float] | None:
    """The language of ``text`` and its probability, when langdetect can tell it on its own;
    None for a text of fewer than :data:`MIN_WORDS` words."""
    if len(text) > SAMPLE_CHARS:
        step, width = len(text) // _SLICES, SAMPLE_CHARS // _SLICES
        text = "\n".join(text[i * step:i * step + width] for i in range(_SLICES))
    return _identify_sample(text)


@lru_cache(maxsize=64)
def _identify_sample(sample: str) -> tuple[str, float] | None:
    """Cached: the pipeline picks the target language and the wrong-language check compares with
    it, on the same sample."""
    if sum(1 for _ in zip(range(MIN_WORDS), _WORD.finditer(sample))) < MIN_WORDS:
        return None
    lang, prob = detect(sample)
    return None if lang == "und" else (lang, prob)


def detect(text: str) -> tuple[str, float]:
    """Most probable language of ``text`` and its probability; ``("und", 0.0)`` when unknown."""
    from langdetect.lang_detect_exception import LangDetectException

    detector = _factory().create()
    detector.append(text)
    try:
        best = detector.get_probabilities()[0]
    except (LangDetectException, IndexError):
        return "und", 0.0
    return best.lang, best.prob


@lru_cache(maxsize=None)
def _zipf_lookup(lang: str) -> Callable[[str], float]:
    """A function word → Zipf frequency for ``lang`` (wordfreq's large list, down to Zipf 1).

    The list is converted once per wordfreq version into an SQLite table in the cache and read
    word by word: a scan looks up a few hundred distinct words, and loading a whole 300,000-word
    list for each of five candidate languages would cost more than the rest of the scan.
    Without a writable cache the list is held in memory instead.
    """
    from importlib.metadata import version

    path = cache_dir() / f"zipf-{lang}-wordfreq-{version('wordfreq')}.sqlite3"
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

