"""Language identification (langdetect) and word frequencies (wordfreq), loaded once and lazily.

langdetect is non-deterministic unless seeded, so every call goes through one seeded factory. It
loads only the profiles of the languages tqcheck has packs for and their neighbours: it needs to tell
a target language from likely source languages, and loading all 55 profiles costs 0.2 s.
"""
from __future__ import annotations

from functools import lru_cache

from .cache import cached_marshal

PROFILES = "en fr de es it pt nl ca ro pl sv da".split()
LANGUAGE_NAMES = {
    "en": "English", "fr": "French", "de": "German", "es": "Spanish", "it": "Italian",
    "pt": "Portuguese", "nl": "Dutch", "ca": "Catalan", "ro": "Romanian", "pl": "Polish",
}


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)


@lru_cache(maxsize=1)
def _factory():  # type: ignore[no-untyped-def]
    from pathlib import Path

    import langdetect
    from langdetect.detector_factory import DetectorFactory

    factory = DetectorFactory()
    directory = Path(langdetect.__file__).parent / "profiles"
    factory.load_json_profile([(directory / code).read_text(encoding="utf-8") for code in PROFILES])
    factory.set_seed(0)
    return factory


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
def zipf_table(lang: str) -> dict[str, float]:
    """Word → Zipf frequency (log10 of occurrences per billion words) from wordfreq's large lists.

    Built once per wordfreq version and kept in the cache: importing wordfreq and unpacking a
    list takes 0.15 s, loading the cached table a tenth of that.
    """
    from importlib.metadata import version

    return cached_marshal(f"zipf-{lang}-wordfreq-{version('wordfreq')}.marshal", lambda: _build_zipf(lang))


def _build_zipf(lang: str) -> dict[str, float]:
    import wordfreq

    try:
        buckets = wordfreq.get_frequency_list(lang, wordlist="large")
    except LookupError:
        return {}
    table: dict[str, float] = {}
    for index, bucket in enumerate(buckets):
        zipf = round(9.0 - index / 100.0, 2)
        for word in bucket:
            table.setdefault(word, zipf)
    return table


def zipf(word: str, lang: str) -> float:
    return zipf_table(lang).get(word.lower(), 0.0)


def log_odds(word: str, lang: str, other: str, floor: float = 1.0) -> float:
    """log10 of how much more frequent ``word`` is in ``lang`` than in ``other``.

    Unknown words get the Zipf ``floor`` so one missing entry does not make an infinite ratio.
    """
    return max(zipf(word, lang), floor) - max(zipf(word, other), floor)

