"""Which language a text is in (langdetect), loaded once and lazily.

langdetect is non-deterministic unless seeded, so every call goes through one seeded factory. It
loads only the profiles of the languages tqcheck has a file for: it needs to tell a target language
from likely source languages, and loading all 55 profiles costs 0.2 s.
"""
from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..cache import cached_marshal
from .language import known_codes


@lru_cache(maxsize=4)
def _factory(codes: tuple[str, ...]) -> Any:
    """A seeded factory with the profiles of ``codes`` that langdetect ships (a language of one's
    own that langdetect has no profile for is simply never identified)."""
    import langdetect
    from langdetect.detector_factory import DetectorFactory

    directory = Path(langdetect.__file__).parent / "profiles"
    profiles = [(directory / code).read_text(encoding="utf-8") for code in codes if (directory / code).is_file()]

    def build() -> tuple[dict[str, list[float]], list[str]]:
        built = DetectorFactory()
        built.load_json_profile(profiles)
        return built.word_lang_prob_map, built.langlist

    # What load_json_profile builds, kept in the cache under a digest of the profiles: parsing
    # them costs 0.04 s of CPU, a tenth of a rules-only scan of an article; loading the tables
    # 0.01 s.  The two attributes are all a DetectorFactory holds besides its seed.
    digest = hashlib.sha256("\0".join(profiles).encode()).hexdigest()[:24]
    factory = DetectorFactory()
    factory.word_lang_prob_map, factory.langlist = cached_marshal(f"langdetect-{digest}.marshal", build)
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
    return identify_sample("\n".join(text[start:end] for start, end in sample_spans(len(text))))


def sample_spans(length: int) -> list[tuple[int, int]]:
    """The spans of a text of ``length`` characters that :func:`identify` reads (joined by line
    breaks): a text checked in chunks (``streaming.py``) gathers the same sample piece by piece."""
    if length <= SAMPLE_CHARS:
        return [(0, length)]
    step, width = length // _SLICES, SAMPLE_CHARS // _SLICES
    return [(i * step, i * step + width) for i in range(_SLICES)]


@lru_cache(maxsize=64)
def identify_sample(sample: str) -> tuple[str, float] | None:
    """:func:`identify` on the sample it reads.  Cached: the pipeline picks the target language
    and the wrong-language check compares with it, on the same sample."""
    if sum(1 for _ in zip(range(MIN_WORDS), _WORD.finditer(sample))) < MIN_WORDS:
        return None
    lang, prob = detect(sample)
    return None if lang == "und" else (lang, prob)


def detect(text: str) -> tuple[str, float]:
    """Most probable language of ``text`` and its probability; ``("und", 0.0)`` when unknown."""
    from langdetect.lang_detect_exception import LangDetectException

    detector = _factory(known_codes()).create()
    detector.append(text)
    try:
        best = detector.get_probabilities()[0]
    except (LangDetectException, IndexError):
        return "und", 0.0
    return best.lang, best.prob
