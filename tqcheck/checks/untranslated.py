"""Text left in the source language: whole sentences (langdetect) and single words (wordfreq).

A word is suspicious when it is much more frequent in a source language than in the target
language (log-odds of their Zipf frequencies).  Only sentences where many words are suspicious go
to langdetect, which is slow (about 1 ms a call, whatever the length); clean sentences never reach
it, and consecutive suspicious ones go together, so that a page left untranslated costs a call per
run of sentences.

What clean English keeps on purpose is not flagged: names and their particles (van der Sar, Stade
de France, Arts et Techniques), quoted mentions, code, glossed foreign words and quotations.  A
word that is also English ("con", "on a par") needs a source-language word beside it to be a
major finding; alone it is a minor ``tq/untranslated-homograph`` (docs/decisions.md).
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Callable

from ..core.document import Document
from ..core.findings import Finding, Severity
from ..core.segments import Segment
from ..langs import combined, language, language_name
from ..langs.frequency import log_odds, zipf
from ..langs.identify import detect
from ..rules.scan import trie_pattern
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
            {"text": "Severe weather can occur anywhere, [[mais]] they can be of several kinds."},
            {"text": "The storm hit the coast [[et puis]] moved inland."},
            {"text": "MTR won the contract to run Crossrail [[pour eux]] for 8 years."},
            {"text": "We will meet [[demain matin]] at the office."},
        ],
        "pass": [
            {"text": "He studied animals in physiology and behaviour for years."},
            {"text": "It was a fait accompli, a sort of déjà vu for the regime."},
            {"text": "Jean-Pierre Raffarin met Le Monde journalists in Marseille."},
            {"text": "The café served a croissant and a crème brûlée."},
            {"text": "Luca di Montezemolo met Edwin van der Sar at the Stade de France."},
            {"text": "The musical tells the story of the von Trapp family."},
            {"text": "The film is now on a par with the best, and the Tories are trying to con you."},
            {"text": "He rues the day he signed, and the firms tout their programs."},
            {"text": "The Académie française (French Academy) rules on spelling."},
            {"text": "The \"del\" statement removes a name; see io.TextIOBase."},
            {"text": "Real Sociedad lost. Sociedad levelled the match later."},
            {"text": "The Academie des Arts et Techniques du Cinema changed the rules."},
            {"text": "TNT stands for TV numerique terrestre or digital terrestrial television."},
            {"text": "The song has the lyrics \"fire fi di man dem weh go ride\", translated by critics."},
            {"text": "The band sang hip-hop en espanol, and the album Encore sold well."},
        ],
    },
)
HOMOGRAPH = CheckRule(
    id="tq/untranslated-homograph",
    category="accuracy/untranslated",
    severity=Severity.MINOR,
    message="Word possibly left untranslated",
    why=(
        "A word far more frequent in the source language that is also an English word (\"pour\", "
        "\"con\", \"tout\", \"loin\"), with no other source-language word beside it: usually the "
        "English word (\"on a par\", \"he rues the day\"), sometimes a word machine translation "
        "left behind. Minor, so that clean English never fails on it."
    ),
    examples={
        "flag": [{"text": "MTR won the contract to operate Crossrail [[pour]] 8 years."}],
        "pass": [{"text": "MTR won the contract to operate Crossrail for 8 years."}],
    },
)
RULES = (SENTENCE, WORD, HOMOGRAPH)

#: log10 frequency ratio (source over target) above which a word counts as source-language.
WORD_LOG_ODDS = 2.0
#: Added to it when the source language is not known: every candidate language is tried, so a
#: word needs more evidence ("primer" is an English word and Spanish for "first").
UNKNOWN_SOURCE_MARGIN = 0.5
#: A flagged word must be at least this common in the source language (Zipf scale).
MIN_SOURCE_ZIPF = 3.0
#: A word of the target language too (its ``homographs``: "con", "par", "nous") needs this
#: much more log-odds, or a source-looking word beside it.
HOMOGRAPH_MARGIN = 1.5
#: The own confidence of a lone homograph (``tq/untranslated-homograph``), before calibration.
HOMOGRAPH_CONFIDENCE = 0.3
#: A quotation of at most this many words is a mention (the "del" statement), kept as written.
MENTION_WORDS = 3
#: A lower-case word of at most this many letters between two capitalised words joins one name.
JOINER_LETTERS = 3
#: Share of source-looking words that sends a sentence to langdetect.
SENTENCE_SHARE = 0.5
#: How sure langdetect must be of another language than the target to report a whole sentence.
SENTENCE_PROB = 0.8
#: Characters of consecutive such sentences judged together, and how many of them langdetect
#: reads (in :data:`_RUN_SLICES` slices from across the run).
RUN_CHARS = 4000
RUN_SAMPLE = 600
_RUN_SLICES = 4
#: Whole words only: the "e" of "21e" is an ordinal suffix, not the Italian "e".
TOKEN = re.compile(r"(?<![\w'’-])[^\W\d_]+(?:['’-][^\W\d_]+)*")
#: A flagged word or run: start, end, log-odds, and whether the evidence is strong.
Flagged = tuple[int, int, float, bool]


@lru_cache(maxsize=1)
def _elision() -> re.Pattern[str]:
    """An elided article or pronoun before a word (French ``l'``, ``qu'``): any known language's."""
    body = "|".join(re.escape(e) for e in sorted(combined("elisions"), key=len, reverse=True))
    return re.compile(rf"^(?:{body})['’](?=\w)", re.I)


@lru_cache(maxsize=None)
def _loan_phrases(target: str) -> re.Pattern[str]:
    """Foreign phrases the target language has adopted (``loan_phrases`` of its language file)."""
    phrases = language(target).loan_phrases
    if not phrases:
        return re.compile(r"(?!x)x")
    # A trie (one branch per character, in lower case: the pattern ignores case) so that a word
    # start costs a step or two, not one per phrase; a space stands for spaces or hyphens.
    body = trie_pattern([p.lower() for p in phrases]).replace(r"\ ", r"[\s-]+")
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
        if _foreign_letters(lower, source, target) and zipf(lower, target) < MIN_SOURCE_ZIPF - 1:
            return max(odds, WORD_LOG_ODDS)
        return min(odds, 0.0)
    parts = [p for p in re.split(r"['-]", lower) if p]
    if _elision().match(lower) and len(parts) > 1:
        return max(word_odds(parts[-1], source, target), 0.0) + 1.0
    if len(parts) > 1:
        scores = [word_odds(p, source, target) for p in parts]
        return sum(scores) / len(scores)
    return 0.0


def _foreign_letters(word: str, source: str, target: str) -> bool:
    """Whether ``word`` has a letter of the source language that the target language lacks."""
    return any(ch in _letters_only_in(source, target) for ch in word)


@lru_cache(maxsize=None)
def _letters_only_in(source: str, target: str) -> frozenset[str]:
    return frozenset(language(source).letters) - frozenset(language(target).letters)


def run(doc: Document, ctx: CheckContext) -> list[Finding]:
    out: list[Finding] = []

    @cache
    def names() -> frozenset[str]:
        """Read only once a sentence has a foreign-looking word: most documents have none."""
        return names_in_sentences(doc) if ctx.names_in_sentences is None else ctx.names_in_sentences

    threshold = WORD_LOG_ODDS + (0.0 if ctx.source_lang else UNKNOWN_SOURCE_MARGIN)
    foreign: dict[str, bool] = {}

    def looks_foreign(word: str) -> bool:
        """Whether ``word`` reaches the threshold for a candidate source language."""
        if word not in foreign:
            foreign[word] = any(word_odds(word, source, ctx.target_lang) >= threshold
                                for source in ctx.sources if source != ctx.target_lang)
        return foreign[word]

    # Scraped pages repeat their boilerplate lines ("Publicité", "Read also"): a sentence is
    # judged once per document and per context its judgement reads (:func:`_edges`), its words
    # kept from the sentence's start.
    seen: dict[tuple[str, str, str], _Suspect | None] = {}
    text = doc.text
    suspects: list[tuple[Segment, _Suspect]] = []  # the sentences with foreign-looking words
    for sentence in doc.sentences:
        start, end = sentence
        key = (text[start:end], *_edges(text, start, end))
        if key in seen:
            known = seen[key]
        else:
            found = _suspect(doc, sentence, ctx, names, threshold, looks_foreign)
            known = seen[key] = found and found.shifted(-start)
        if known is not None:
            suspects.append((sentence, known.shifted(start)))
    name_of = cache(language_name)  # a language's name once per document, not per sentence
    whole = [sentence for sentence, suspect in suspects if suspect.whole]
    said = dict(zip(whole, _languages(doc.text, whole, ctx.target_lang)))
    for sentence, suspect in suspects:
        lang, prob = said.get(sentence, ("und", 0.0))
        if suspect.whole and lang != ctx.target_lang and prob >= SENTENCE_PROB:
            out.append(SENTENCE.finding(doc, sentence.start, sentence.end, confidence=prob,
                                        message=f"Sentence left in {name_of(lang)}, not translated"))
        else:
            quotes = [m.start() for m in _STRAIGHT_QUOTE.finditer(doc.text, sentence.start, sentence.end)]
            out.extend(_word_finding(doc, start, end, odds, strong, name_of(suspect.source))
                       for start, end, odds, strong in _merge(doc.text, suspect.flagged)
                       if not _glossed(doc.text, quotes, end))
    return out


def _edges(text: str, start: int, end: int) -> tuple[str, str]:
    """What the judgement of the sentence ``text[start:end]`` reads outside it: the character
    before (a word starts after no letter, apostrophe or hyphen), and on either side a code joiner
    with the character beyond it (``io.mais`` is code, :func:`_glued`)."""
    before = text[start - 1:start] if start else ""
    after = text[end:end + 2] if text[end:end + 1] in _CODE_JOINERS else ""
    if before.isspace():  # most sentences: after a space or a line break, no pattern to run
        return "", after
    if before in _CODE_JOINERS:
        before = text[max(start - 2, 0):start]
    elif not _WORD_EDGE.match(before):
        before = ""  # a space, a line break or the start of the text: all the same to the words
    return before, after


def _languages(text: str, sentences: list[Segment], target: str) -> list[tuple[str, float]]:
    """The language (langdetect) of each of ``sentences``, those that look untranslated as a whole.

    A call of langdetect costs about a millisecond, so consecutive sentences (nothing but white
    space between them) are read together, up to :data:`RUN_CHARS` at a time and from a sample
    of it: a page left untranslated costs one call per run, not one per sentence.  Where a run is
    not clearly in another language than ``target``, each of its sentences is read alone, as a
    lone one is.  A text read once is not read again in the document: scraped pages repeat their
    boilerplate lines ("Read also: ..."), and langdetect, seeded, says the same of the same text.
    """
    said: dict[str, tuple[str, float]] = {}

    def language_of(sample: str) -> tuple[str, float]:
        if sample not in said:
            said[sample] = detect(sample)
        return said[sample]

    out: list[tuple[str, float]] = []
    for run in _runs(text, sentences):
        if len(run) > 1:
            lang, prob = language_of(_sample("\n".join(text[s.start:s.end] for s in run)))
            if lang != target and prob >= SENTENCE_PROB:
                out.extend([(lang, prob)] * len(run))
                continue
        out.extend(language_of(text[s.start:s.end]) for s in run)
    return out


def _sample(text: str) -> str:
    """At most :data:`RUN_SAMPLE` characters of ``text``, in slices from across it: langdetect's
    cost grows with the text, and a run of sentences that each look untranslated shows its
    language in a part of it."""
    if len(text) <= RUN_SAMPLE:
        return text
    width = RUN_SAMPLE // _RUN_SLICES
    step = (len(text) - width) // (_RUN_SLICES - 1)
    return "\n".join(text[i * step:i * step + width] for i in range(_RUN_SLICES))


def _runs(text: str, sentences: list[Segment]) -> list[list[Segment]]:
    """``sentences`` (in order) in runs of consecutive ones of at most :data:`RUN_CHARS`."""
    runs: list[list[Segment]] = []
    for s in sentences:
        last = runs[-1] if runs else None
        if last and not text[last[-1].end:s.start].strip() and s.end - last[0].start <= RUN_CHARS:
            last.append(s)
        else:
            runs.append([s])
    return runs


def names_in_sentences(doc: Document) -> frozenset[str]:
    """Capitalised words the document uses inside sentences: names, also where one starts a
    sentence ("Sociedad levelled the match" after "Real Sociedad")."""
    names: set[str] = set()
    text = doc.text
    for start, end in doc.sentences:
        if (text[start + 1:end] + "a").islower():
            continue  # most sentences: no capital after the first letter ("a": a cased letter for islower)
        first = TOKEN.search(text, start, end)
        if first is None or (text[first.end():end] + "a").islower():
            continue  # no capital after the first word
        # the words as strings, each capitalised one once: a long sentence of names repeats them
        capitalised = {w for w in TOKEN.findall(text, first.end(), end) if w[:1].isupper()}
        names.update(_POSSESSIVE.sub("", w) for w in capitalised)
    return frozenset(names)


@dataclass(frozen=True)
class _Suspect:
    """A sentence with words that look like ``source``: the ``flagged`` ones, and whether enough
    of them are to ask langdetect whether the whole sentence is in another language."""

    source: str
    flagged: list[Flagged]
    whole: bool

    def shifted(self, by: int) -> _Suspect:
        """The same with its words ``by`` characters further on: a repeated sentence's."""
        return _Suspect(self.source, [(s + by, e + by, o, strong) for s, e, o, strong in self.flagged],
                        self.whole)


def _suspect(doc: Document, sentence: Segment, ctx: CheckContext, names: Callable[[], frozenset[str]],
             threshold: float, looks_foreign: Callable[[str], bool]) -> _Suspect | None:
    text = doc.text
    if not any(looks_foreign(word) for word in TOKEN.findall(text, sentence.start, sentence.end)):
        return None  # most sentences: no word looks foreign, so loans and kept words do not matter
    loans = [m.span() for m in _loan_phrases(ctx.target_lang).finditer(text, sentence.start, sentence.end)]
    tokens = list(TOKEN.finditer(text, sentence.start, sentence.end))
    if loans:
        tokens = [m for m in tokens if not _within(loans, m.start(), m.start() + 1)]
    if not tokens:
        return None
    all_odds = {source: [word_odds(m.group(), source, ctx.target_lang) for m in tokens]
                for source in ctx.sources if source != ctx.target_lang}
    foreign = {i for odds_of in all_odds.values() for i, o in enumerate(odds_of) if o >= threshold}
    if not foreign:
        return None  # the foreign-looking words were part of loan phrases
    kept = _kept_on_purpose(text, sentence, tokens, names(), foreign)
    homographs = language(ctx.target_lang).homographs
    best: tuple[str, list[Flagged]] | None = None
    for source, odds_of in all_odds.items():
        odds = {i: o for i, o in enumerate(odds_of) if i not in kept}
        candidates = {i for i, o in odds.items() if o >= threshold}
        flagged = [(tokens[i].start(), tokens[i].end(), odds[i],
                    _enough_evidence(text, tokens, i, odds[i], threshold, candidates, homographs))
                   for i in sorted(candidates)]
        if flagged and (best is None or len(flagged) > len(best[1])):
            best = (source, flagged)
    if best is None:
        return None
    source, flagged = best
    return _Suspect(source, flagged, len(tokens) >= 4 and len(flagged) / len(tokens) >= SENTENCE_SHARE)


def _word_finding(doc: Document, start: int, end: int, odds: float, strong: bool, language: str) -> Finding:
    """A source-language word; one that is also an English word and stands alone is only a minor
    ``tq/untranslated-homograph``."""
    word = doc.text[start:end]
    if not strong:
        return HOMOGRAPH.finding(doc, start, end, confidence=HOMOGRAPH_CONFIDENCE,
                                 message=f"“{word}” may be {language} left untranslated (or the English word)")
    return WORD.finding(doc, start, end, confidence=min(0.5 + odds / 8.0, 0.99),
                        message=f"“{word}” looks {language}, not translated")


def _enough_evidence(text: str, tokens: list[re.Match[str]], i: int, odds: float, threshold: float,
                     candidates: set[int], homographs: frozenset[str]) -> bool:
    """Strong evidence: a word that is also a target-language word ("con", "on a par", "tout",
    "nous") needs far higher odds or another source-looking word beside it ("pour eux")."""
    if tokens[i].group().lower() not in homographs or odds >= threshold + HOMOGRAPH_MARGIN:
        return True
    return any(j in candidates and _adjacent(text, tokens[min(i, j)], tokens[max(i, j)]) for j in (i - 1, i + 1))


def _glossed(text: str, quotes: list[int], end: int) -> bool:
    """Whether the foreign run ending at ``end`` is glossed, so kept on purpose: a translation in
    brackets or after "or", "meaning", "literally" ("Festen (The Celebration)", "TV numerique
    terrestre or digital terrestrial television"), right after it or after the quotation it
    stands in ("\"fire fi di man dem\", translated by ...").  ``quotes``: where the sentence's
    straight quotes are, so that a long sentence of many foreign words is not recounted for each."""
    if _GLOSS.match(text, end):
        return True
    before = bisect_left(quotes, end)
    if before % 2 == 0:
        return False  # not inside a straight-quoted passage
    return before < len(quotes) and bool(_QUOTE_GLOSS.match(text, quotes[before] + 1))


def _within(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether ``start:end`` lies inside one of ``spans`` (in order, not overlapping: a pattern's
    matches): only the last span starting before it can hold it, so a long sentence of many loan
    phrases or quotations is not searched through once per word."""
    i = bisect_right(spans, start, key=lambda span: span[0]) - 1
    return i >= 0 and end <= spans[i][1]


def _adjacent(text: str, first: re.Match[str], second: re.Match[str]) -> bool:
    return not text[first.end():second.start()].strip()


def _kept_on_purpose(text: str, sentence: Segment, tokens: list[re.Match[str]],
                     names: frozenset[str], among: set[int]) -> set[int]:
    """Those of the tokens ``among`` (indices: the foreign-looking words, the only ones whose fate
    matters) that are not words to translate: names and their particles, acronyms, lone letters,
    quoted mentions ("the "del" statement") and pieces of code (``io.TextIOBase``).  A long
    sentence of names and common words is not read word by word for a few foreign ones."""
    mentions = [m.span(1) for m in _MENTION.finditer(text, sentence.start, sentence.end)
                if len(m.group(1).split()) <= MENTION_WORDS]
    particles = combined("name_particles")
    in_name: dict[int, bool] = {}  # token → whether it is a name or a particle joined to one

    def name_part(i: int) -> bool:
        """Whether token ``i`` is a name or a particle of one; a chain of particles is read once,
        from its end: a sentence of nothing but particles costs linear time."""
        chain: list[int] = []
        j = i
        while j not in in_name:
            if _is_name(tokens[j].group(), j, tokens, names):
                in_name[j] = True
                break
            word = tokens[j].group()
            if not (j + 1 < len(tokens) and _adjacent(text, tokens[j], tokens[j + 1])
                    and (word.lower() in particles or _joins_names(text, tokens, j))):
                in_name[j] = False
                break
            chain.append(j)  # a particle ("van der", "Arts et Techniques") if a name follows
            j += 1
        for k in reversed(chain):
            in_name[k] = in_name[k + 1]
        return in_name[i]

    kept: set[int] = set()
    for i in among:
        m, word = tokens[i], tokens[i].group()
        if name_part(i) or len(word) < 2 or word.isupper() or _glued(text, m.start(), m.end()) \
                or _within(mentions, m.start(), m.end()):
            kept.add(i)
    return kept


def _joins_names(text: str, tokens: list[re.Match[str]], i: int) -> bool:
    """A short lower-case word between two capitalised words is part of one name: the "et" of
    "Academie des Arts et Techniques", the "y" of "Ortega y Gasset"."""
    word = tokens[i].group()
    return (len(word) <= JOINER_LETTERS and word.islower() and i > 0
            and tokens[i - 1].group()[:1].isupper() and _adjacent(text, tokens[i - 1], tokens[i]))


def _is_name(word: str, i: int, tokens: list[re.Match[str]], names: frozenset[str]) -> bool:
    """Capitalised inside a sentence, before another capitalised word, used as a name elsewhere in
    the document, or an elided name (L'Esquive, d'Artagnan)."""
    if _ELIDED_NAME.match(word):
        return True
    return word[:1].isupper() and (i > 0 or _name_follows(tokens) or _POSSESSIVE.sub("", word) in names)


def _glued(text: str, start: int, end: int) -> bool:
    """Part of code or an identifier: joined to other letters by a dot or bracket (``io.TextIOBase``,
    ``unt(il)``)."""
    before = start >= 2 and text[start - 1] in _CODE_JOINERS and text[start - 2].isalnum()
    after = end + 1 < len(text) and text[end] in _CODE_JOINERS and text[end + 1].isalnum()
    return before or after


#: Quoted or emphasised words: "del", “liberati”, *Lo*, `io`.
_MENTION = re.compile(r'["“*`](\S(?:[^"”*`\n]*\S)?)["”*`]')
#: A foreign phrase glossed right after it is kept on purpose: "Festen (The Celebration)", "TV
#: numerique terrestre or digital terrestrial television", "Weltschmerz, meaning world-weariness".
_GLOSS = re.compile(r"\s*\(|,?\s+(?:or|meaning|which means|literally)\s")
#: After a quotation: its translation follows ("...", translated as ...; "...", or ...).
_QUOTE_GLOSS = re.compile(r",?\s*(?:\(|(?:or|meaning|which means|literally|translated|translating as)\b)")
_STRAIGHT_QUOTE = re.compile('"')
#: An elided article before a capitalised name: L'Esquive, d'Artagnan.
_ELIDED_NAME = re.compile(r"^\w{1,3}['’][^\W\d_]*?[A-ZÀ-ÖØ-Þ]")
_CODE_JOINERS = frozenset(".([_/")
#: A character that a word cannot follow (:data:`TOKEN`'s and the loan phrases' lookbehind).
_WORD_EDGE = re.compile(r"[\w'’-]")
_POSSESSIVE = re.compile(r"['’]s$")

def _name_follows(tokens: list[re.Match[str]]) -> bool:
    """A capitalised first word followed by another capitalised word starts a name."""
    return len(tokens) > 1 and tokens[1].group()[:1].isupper()


def _merge(text: str, spans: list[Flagged]) -> list[Flagged]:
    """Join flagged words separated only by spaces into one span (``demain matin``)."""
    merged: list[Flagged] = []
    for start, end, odds, strong in spans:
        if merged and not text[merged[-1][1]:start].strip():
            last = merged[-1]
            merged[-1] = (last[0], end, max(last[2], odds), last[3] or strong)
        else:
            merged.append((start, end, odds, strong))
    return merged
