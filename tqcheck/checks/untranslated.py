"""Text left in the source language: whole sentences (langdetect) and single words (wordfreq).

A word is suspicious when it is much more frequent in a source language than in the target
language (log-odds of their Zipf frequencies).  Only sentences where many words are suspicious go
to langdetect, which is slow (about 1 ms a sentence); clean sentences never reach it.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from ..document import Document, Segment
from ..findings import Finding, Severity
from ..langs import detect, language_name, log_odds, zipf
from .base import CheckContext, CheckRule

SENTENCE = CheckRule(
    id="tq/untranslated-sentence",
    category="accuracy/untranslated",
    severity=Severity.CRITICAL,
    message="Sentence left untranslated",
    why=(
        "A whole sentence is in the source language: the translation skipped it (or a caption, "
        "quote or site element was never translated). MQM counts a non-translation as critical."
    ),
    examples={
        "flag": [{"text": "The summit ended. [[Les deux dirigeants ont signé un accord sur la défense.]]"}],
        "pass": [{"text": "The summit ended. The two leaders signed a defence agreement."}],
    },
)
WORD = CheckRule(
    id="tq/untranslated-word",
    category="accuracy/untranslated",
    severity=Severity.MAJOR,
    message="Word left untranslated",
    why=(
        "A word of the source language sits inside a target-language sentence: it is far more "
        "frequent in the source language than in the target (wordfreq frequencies), is not a proper "
        "noun and is not a loan phrase that English uses (déjà vu, de facto, coup d'état)."
    ),
    examples={
        "flag": [
            {"text": "He studied animals in physiology and [[comportement]] for years."},
            {"text": "The vehicle [[lui-même]] was removed from the site."},
            {"text": "Severe weather can occur anywhere, [[et]] they can be of several kinds."},
            {"text": "We will meet [[demain matin]] at the office."},
        ],
        "pass": [
            {"text": "He studied animals in physiology and behaviour for years."},
            {"text": "It was a fait accompli, a sort of déjà vu for the regime."},
            {"text": "Jean-Pierre Raffarin met Le Monde journalists in Marseille."},
            {"text": "The café served a croissant and a crème brûlée."},
        ],
    },
)
RULES = (SENTENCE, WORD)

#: log10 frequency ratio (source over target) above which a word counts as source-language.
WORD_LOG_ODDS = 2.0
#: Added to it when the source language is not known: every candidate language is tried, so a
#: word needs more evidence ("primer" is an English word and Spanish for "first").
UNKNOWN_SOURCE_MARGIN = 0.5
#: A flagged word must be at least this common in the source language (Zipf scale).
MIN_SOURCE_ZIPF = 3.0
#: Share of source-looking words that sends a sentence to langdetect.
SENTENCE_SHARE = 0.5
#: Whole words only: the "e" of "21e" is an ordinal suffix, not the Italian "e".
TOKEN = re.compile(r"(?<![\w'’-])[^\W\d_]+(?:['’-][^\W\d_]+)*")
_ELISION = re.compile(r"^(?:[ldjmnstc]|qu|jusqu|lorsqu|puisqu)['’](?=\w)", re.I)


@lru_cache(maxsize=None)
def _loan_phrases(target: str) -> re.Pattern[str]:
    """Foreign phrases the target language has adopted (data file ``loan_phrases_<lang>.txt``)."""
    path = Path(__file__).parent / "data" / f"loan_phrases_{target}.txt"
    phrases = []
    if path.exists():
        phrases = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()
                   if ln.strip() and not ln.startswith("#")]
    if not phrases:
        return re.compile(r"(?!x)x")
    body = "|".join(re.escape(p).replace(r"\ ", r"[\s-]+") for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.I)


@lru_cache(maxsize=1 << 17)
def word_odds(word: str, source: str, target: str) -> float:
    """How strongly ``word`` looks like ``source`` rather than ``target`` (log10 odds).

    A rare source word counts only when it carries letters the target language does not use
    (``promulgué``), since rare words are where frequency lists are least reliable.
    """
    lower = word.lower().replace("’", "'")
    if zipf(lower, source) or zipf(lower, target):
        odds = log_odds(lower, source, target)
        if zipf(lower, source) >= MIN_SOURCE_ZIPF:
            return odds
        if _foreign_letters(lower, target) and zipf(lower, target) < MIN_SOURCE_ZIPF - 1:
            return max(odds, WORD_LOG_ODDS)
        return min(odds, 0.0)
    parts = [p for p in re.split(r"['-]", lower) if p]
    if _ELISION.match(lower) and len(parts) > 1:
        return max(word_odds(parts[-1], source, target), 0.0) + 1.0
    if len(parts) > 1:
        scores = [word_odds(p, source, target) for p in parts]
        return sum(scores) / len(scores)
    return 0.0


def _foreign_letters(word: str, target: str) -> bool:
    return target == "en" and any(ch in _NOT_ENGLISH_LETTERS for ch in word)


_NOT_ENGLISH_LETTERS = frozenset("àâäçéèêëîïôöùûüÿœæñßìòóúíá")


def run(doc: Document, ctx: CheckContext) -> list[Finding]:
    out: list[Finding] = []
    for sentence in doc.sentences:
        out.extend(_check_sentence(doc, sentence, ctx))
    return out


def _check_sentence(doc: Document, sentence: Segment, ctx: CheckContext) -> list[Finding]:
    text = doc.text
    loans = [m.span() for m in _loan_phrases(ctx.target_lang).finditer(text, sentence.start, sentence.end)]
    tokens = [m for m in TOKEN.finditer(text, sentence.start, sentence.end)
              if not any(s <= m.start() < e for s, e in loans)]
    if not tokens:
        return []
    best: tuple[str, list[tuple[int, int, float]]] | None = None
    threshold = WORD_LOG_ODDS + (0.0 if ctx.source_lang else UNKNOWN_SOURCE_MARGIN)
    for source in ctx.sources:
        if source == ctx.target_lang:
            continue
        flagged = []
        for i, m in enumerate(tokens):
            word = m.group()
            if len(word) < 2 or word.isupper() or (word[:1].isupper() and (i > 0 or _name_follows(tokens))):
                continue  # a lone letter, a name ("El Pais") or an acronym: not an untranslated word
            odds = word_odds(word, source, ctx.target_lang)
            if odds >= threshold:
                flagged.append((m.start(), m.end(), odds))
        if flagged and (best is None or len(flagged) > len(best[1])):
            best = (source, flagged)
    if best is None:
        return []
    source, flagged = best
    if len(tokens) >= 4 and len(flagged) / len(tokens) >= SENTENCE_SHARE:
        lang, prob = detect(text[sentence.start:sentence.end])
        if lang != ctx.target_lang and prob >= 0.8:
            return [SENTENCE.finding(
                doc, sentence.start, sentence.end, confidence=prob,
                message=f"Sentence left in {language_name(lang)}, not translated",
            )]
    return [
        WORD.finding(doc, start, end, confidence=min(0.5 + odds / 8.0, 0.99),
                     message=f"“{text[start:end]}” looks {language_name(source)}, not translated")
        for start, end, odds in _merge(text, flagged)
    ]


def _name_follows(tokens: list[re.Match[str]]) -> bool:
    """A capitalised first word followed by another capitalised word starts a name."""
    return len(tokens) > 1 and tokens[1].group()[:1].isupper()


def _merge(text: str, spans: list[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    """Join flagged words separated only by spaces into one span (``demain matin``)."""
    merged: list[tuple[int, int, float]] = []
    for start, end, odds in spans:
        if merged and not text[merged[-1][1]:start].strip():
            merged[-1] = (merged[-1][0], end, max(merged[-1][2], odds))
        else:
            merged.append((start, end, odds))
    return merged
