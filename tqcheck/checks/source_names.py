"""Names of the source that the translation changed, dropped or invented.

Names are capitalised words (and acronyms, and mixed-case brands like iPhone).  A source name is
found in the translation when one of its words comes back, allowing for accents, endings and small
spelling changes (Haïti/Haiti, Slovénie/Slovenia), for the pair's exonyms (Allemagne/Germany,
Malouines/Falklands: the rules of the pair's pack that declare ``source_names: true``) and for
acronyms whose letters are reordered (ONU/UN, OTAN/NATO) or listed in ``data/acronyms.yaml``.

A capitalised target word that nothing in the source explains is a candidate.  When a source name
is missing too, the candidate nearest to the name's place in the sentence is reported as the name
changed (capitalised common words are translations of titles and institutions, so they are weighed
down).  A candidate with no missing name to pair with is reported only when it is clearly a name
(a rare word, or an acronym), and a missing name with no candidate is reported on the sentence.
A source in a script without capitals (Chinese) has only the names it writes in Latin letters
("LIGO") to miss or change, and none to be added.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import yaml

from ..core.bilingual import Pair
from ..core.document import Document
from ..core.findings import Finding, Fix, Severity
from ..core.segments import split_sentences
from ..langs.frequency import zipf
from ..langs.quantities import is_calendar_word
from ..langs.scripts import CJK, mostly_uncased
from ..rules.scan import trie_pattern
from .base import CheckContext, CheckRule
from .name_variants import edit_distance

CHANGED = CheckRule(
    id="tq/source-name-changed",
    category="accuracy/mistranslation",
    severity=Severity.CRITICAL,
    message="Name not in the source",
    why=(
        "The translation names someone or something the source does not, where the source's own "
        "name is missing: the name was replaced (a known failure of neural MT on rare names)."
    ),
    fix=Fix.UNSAFE,
    examples={
        "flag": [
            {"text": "After seven days of defeats, [[Corona]] announced his plan.",
             "source": "Après sept jours de défaites, Bush a fait part de son projet."},
            {"text": "France is the seventh [[Asaram]] country to suffer the virus.",
             "source": "La France est le septième pays de l’UE à subir le virus."},
            {"text": "An experiment called [[Virgo]] will detect these waves.", "source_lang": "zh",
             "source": "一个叫LIGO的实验将能检测到这些波。"},
        ],
        "pass": [
            {"text": "France is the seventh EU country, after Austria and Germany.",
             "source": "La France est le septième pays de l’UE, après l’Autriche et l’Allemagne."},
            {"text": "UN peacekeepers arrived in Haiti after the earthquake.",
             "source": "Les soldats de la paix de l'ONU sont arrivés en Haïti après le séisme."},
            {"text": "An experiment called LIGO will detect these waves.", "source_lang": "zh",
             "source": "一个叫LIGO的实验将能检测到这些波。"},
        ],
    },
)
ADDED = CheckRule(
    id="tq/source-name-added",
    category="accuracy/addition",
    severity=Severity.MAJOR,
    message="Name not in the source",
    why=(
        "A rare capitalised word of the translation matches no word of the source: a name the "
        "translation made up or took from elsewhere."
    ),
    examples={
        "flag": [{"text": "The accused are [[Beijing Bangzi Troupe]], Bhutha Kanjar and Gaza Kanjar.",
                  "source": "Les accusés s'appellent Baba Kanjar, Bhutha Kanjar et Gaza Kanjar."}],
        "pass": [{"text": "The accused are Baba Kanjar, Bhutha Kanjar and Gaza Kanjar.",
                  "source": "Les accusés s'appellent Baba Kanjar, Bhutha Kanjar et Gaza Kanjar."},
                 # A Chinese source writes the names in its own characters.
                 {"text": "The Cylons attacked Caprica at dawn.", "source_lang": "zh",
                  "source": "赛昂人在黎明时分袭击了卡布里卡。"}],
    },
)
MISSING = CheckRule(
    id="tq/source-name-missing",
    category="accuracy/omission",
    severity=Severity.MAJOR,
    message="Name of the source missing",
    why="A name of the source does not appear in its translation: the sentence lost who or where.",
    examples={
        "flag": [{"text": "[[They cancelled the tour after the singer fell off stage.]]",
                  "source": "Ils ont annulé la tournée après que Steven Tyler est tombé de scène."}],
        "pass": [{"text": "They cancelled the tour after Steven Tyler fell off stage.",
                  "source": "Ils ont annulé la tournée après que Steven Tyler est tombé de scène."}],
    },
)
RULES = (CHANGED, ADDED, MISSING)
#: Runs only when the translation comes with its source (checks/base.py).
NEEDS = ("source",)

#: Letters of one cased script: "其中有一个叫LIGO的实验" has the one name "LIGO".
_WORD = re.compile(rf"[^\W\d_{CJK}]+")
#: A source word this common (Zipf) is a capitalised common noun ("la Chambre", "ma Ville", "Il"),
#: not a name, unless the exonym table knows it; a sentence-initial word must be rarer than
#: SOURCE_INITIAL_ZIPF, since any word can start a sentence.
SOURCE_COMMON_ZIPF = 5.0
SOURCE_INITIAL_ZIPF = 3.0
#: ... but a word that common in the target language too is a name both share (France, Paris).
SHARED_NAME_ZIPF = 4.7
#: An unpaired target candidate is reported only when one of its words is this rare (Zipf).
ADDED_MAX_ZIPF = 2.5
#: Sentence-initial target words this common are function words, never a replaced name.
FUNCTION_ZIPF = 5.5
#: How much a capitalised common word is weighed down as the replacement of a missing name.
COMMONNESS_WEIGHT = 0.1


class _Name(NamedTuple):
    """A run of capitalised words at ``text[start:end]`` (a named tuple: every sentence of a
    bilingual file has one or two, and a tuple is built several times faster than a dataclass)."""

    start: int
    end: int
    words: tuple[str, ...]
    initial: bool

    def acronyms(self) -> list[str]:
        return [w for w in self.words if len(w) > 1 and w.isupper()]

    def initials(self) -> str:
        return "".join(w[0] for w in self.words).upper()


@lru_cache(maxsize=65536)
def _fold(word: str) -> str:
    """Lower case without accents: Haïti → haiti."""
    return "".join(c for c in unicodedata.normalize("NFD", word.casefold()) if not unicodedata.combining(c))


@lru_cache(maxsize=65536)
def _is_capitalised(word: str) -> bool:
    """Cached: a unit's names are looked for in its source and its target, word by word."""
    return len(word) > 1 and (word[0].isupper() or any(c.isupper() for c in word[1:]))


def _names(text: str, start: int, end: int) -> list[_Name]:
    """Runs of capitalised words (joined by a space or a hyphen) in ``text[start:end]``."""
    first = _WORD.search(text, start, end)
    if first is None:
        return []
    if (text[first.end():end] + "a").islower():
        # Most sentences: no capital after the first word (every cased character lower case, in
        # C; "a" gives islower a cased letter where the rest has none), so the first word is the
        # only one that can be a name, and it starts the sentence.
        return [_name([first], True)] if _is_capitalised(first.group()) else []
    return _capital_runs(text, start, end)


def _capital_runs(text: str, start: int, end: int) -> list[_Name]:
    """:func:`_names` without its first shortcut: every capitalised word read."""
    capitals = [m for m in _WORD.finditer(text, start, end)
                if not m.group().islower() and _is_capitalised(m.group())]  # islower: most words, in C
    if not capitals:
        return []
    if len(capitals) == 1 and _WORD.search(text, start, capitals[0].start()) is None:
        # Only the first word, as in most sentences: it starts the first sentence, and no
        # sentence needs splitting off to tell.
        return [_name(capitals, True)]
    out: list[_Name] = []
    for sentence in split_sentences(text, start, end):
        run: list[re.Match[str]] = []
        initial = False  # whether the current run starts the sentence
        for i, m in enumerate(_WORD.finditer(text, sentence.start, sentence.end)):
            word = m.group()
            if word.islower() or not _is_capitalised(word):
                if run:
                    out.append(_name(run, initial))
                    run = []
            elif run and text[run[-1].end():m.start()] in (" ", "-"):
                run.append(m)
            else:
                if run:
                    out.append(_name(run, initial))
                run, initial = [m], i == 0
        if run:
            out.append(_name(run, initial))
    return out


def _name(run: list[re.Match[str]], initial: bool) -> _Name:
    return _Name(run[0].start(), run[-1].end(), tuple(m.group() for m in run), initial)


@lru_cache(maxsize=65536)
def _similar(a: str, b: str) -> bool:
    """Folded words ``a`` and ``b`` spell one name: equal, sharing most of a stem (persane/Persian),
    or a couple of edits apart (Slovénie/Slovenia).  Cached: every capitalised word of a
    translation is compared with every word of its source, and a document repeats its names."""
    if a == b:
        return True
    short = min(len(a), len(b))
    if short < 4:
        return False
    limit = 1 if short <= 5 else 2
    if a[:4] != b[:4]:  # most pairs: no shared stem, and words of lengths far apart are many edits apart
        return abs(len(a) - len(b)) <= limit and edit_distance(a, b, limit) <= limit
    prefix = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), short)
    if prefix >= max(4, (short + 1) // 2):
        return True
    return edit_distance(a, b, limit) <= limit


def _acronym_match(a: str, b: str) -> bool:
    """ONU/UN, OTAN/NATO, UE/EU: the same letters, reordered, one more or less at most."""
    if len(a) < 2 or len(b) < 2 or not (a.isupper() and b.isupper()) or abs(len(a) - len(b)) > 1:
        return False
    longer, shorter = (a, b) if len(a) >= len(b) else (b, a)
    rest = list(longer)
    for ch in shorter:
        if ch not in rest:
            return False
        rest.remove(ch)
    return True


@lru_cache(maxsize=None)
def _exonyms(source: str, target: str) -> tuple[re.Pattern[str] | None, dict[str, list[str]]]:
    """Source-language forms → target-language names, from the pair pack's rules that declare
    ``source_names`` (the exonyms) and the acronym table, with one pattern that finds the forms in
    a source text."""
    from ..rules.packs import available_packs, load_pack

    table: dict[str, list[str]] = {}
    pack = f"{source}-{target}"
    if pack in available_packs():
        for rule in load_pack(pack):
            if rule.source_names:
                for key, suggestions in rule.keys:
                    table.setdefault(key, []).extend(suggestions)
    for key, names in (_acronym_table().get(pack) or {}).items():
        table.setdefault(str(key), []).extend(str(n) for n in names)
    if not table:
        return None, table
    # A trie: a source word costs a step or two, not one per form.  Forms found at one position are
    # prefixes of each other, and the trie tries the longer first, as a longest-first list would.
    return re.compile(r"(?<!\w)(?:" + trie_pattern(list(table)) + r")(?!\w)"), table


@lru_cache(maxsize=1)
def _acronym_table() -> dict:
    return yaml.safe_load((Path(__file__).parent / "data" / "acronyms.yaml").read_text(encoding="utf-8"))


def run(doc: Document, ctx: CheckContext) -> list[Finding]:
    out: list[Finding] = []
    for pair in ctx.aligned:
        if pair.source.strip() and pair.target.end > pair.target.start:
            out.extend(_check_pair(doc, pair, ctx))
    return out


def _check_pair(doc: Document, pair: Pair, ctx: CheckContext) -> list[Finding]:
    text, source = doc.text, pair.source
    src_lang, tgt_lang = ctx.source_lang, ctx.target_lang
    src_names = _names(source, 0, len(source))
    tgt_names = _names(text, pair.target.start, pair.target.end)
    pattern, table = _exonyms(src_lang, tgt_lang) if src_lang else (None, {})
    expected: dict[tuple[int, int], list[str]] = {}  # source span → target forms it should have
    if pattern is not None:
        for m in pattern.finditer(source):
            expected[m.span()] = table[m.group()]
    src_real = [n for n in src_names if _is_name(n, expected, src_lang, tgt_lang)]
    if not src_real and all(n.initial and len(n.words) == 1 for n in tgt_names):
        # Most sentences: no source name to lose, and the translation's only capitalised word is
        # its first, which is reported only as the replacement of a lost name.
        return []
    expected_words = {_fold(w) for forms in expected.values() for f in forms for w in _WORD.findall(f)}
    known = {_fold(w) for w in _WORD.findall(source)} | expected_words
    tgt_words = [m.group() for m in _WORD.finditer(text, pair.target.start, pair.target.end)]
    tgt_folded = {_fold(w) for w in tgt_words}
    tgt_acronyms = [w for w in tgt_words if len(w) > 1 and w.isupper()]
    # Acronyms and the names they abbreviate: UE / European Union, OMS / World Health Organization.
    tgt_acronyms += [n.initials() for n in tgt_names if len(n.words) > 1]
    src_acronyms = [a for n in src_names for a in n.acronyms()] + [
        f for forms in expected.values() for f in forms if f.isupper()]

    def found(name: _Name) -> bool:
        forms = [f for (s, e), fs in expected.items() if s < name.end and name.start < e for f in fs]
        words = [*name.words, *(w for f in forms for w in _WORD.findall(f))]
        acronyms = [*name.acronyms(), *(f for f in forms if f.isupper())]
        return any(_similar(_fold(w), t) for w in words for t in tgt_folded) or any(
            _acronym_match(a, t) for a in acronyms for t in tgt_acronyms)

    def explained(word: str) -> bool:
        folded = _fold(word)
        return (folded in known or any(_similar(folded, s) for s in known)
                or any(_acronym_match(word, a) for a in src_acronyms) or is_calendar_word(word, tgt_lang))

    missing = [n for n in src_real if not found(n)]
    candidates = [c for n in tgt_names
                  if not (len(n.words) > 1 and any(_acronym_match(n.initials(), a) for a in src_acronyms))
                  for c in _unexplained_parts(n, text, explained) if c.words != ("I",)]
    out: list[Finding] = []
    length = max(pair.target.end - pair.target.start, 1)
    for name in missing:
        place = name.start / max(len(source), 1)
        usable = [c for c in candidates if not c.initial or len(c.words) > 1
                  or zipf(c.words[0], tgt_lang) < FUNCTION_ZIPF]
        if not usable:
            out.append(MISSING.finding(
                doc, pair.target.start, pair.target.end, confidence=0.6,
                message=f"“{source[name.start:name.end]}” of the source is missing from the translation"))
            continue
        best = min(usable, key=lambda c: abs((c.start - pair.target.start) / length - place)
                   + COMMONNESS_WEIGHT * max(_rarity(c, tgt_lang) - ADDED_MAX_ZIPF, 0.0))
        candidates.remove(best)
        wanted = _wanted(name, source, expected)
        out.append(CHANGED.finding(
            doc, best.start, best.end, suggestions=[wanted], confidence=0.8,
            message=f"“{text[best.start:best.end]}” is not in the source, which names “{wanted}”"))
    # A source in Han (or Arabic, ...) letters spells the names it has its own way (赛昂人 for the
    # Cylons): only the Latin names it writes as such can be missed or changed.
    for cand in candidates if not mostly_uncased(source) else ():
        if (not cand.initial or len(cand.words) > 1) and (
                _rarity(cand, tgt_lang) < ADDED_MAX_ZIPF or any(w.isupper() for w in cand.words)):
            out.append(ADDED.finding(
                doc, cand.start, cand.end, confidence=0.6,
                message=f"“{text[cand.start:cand.end]}” is a name the source does not have"))
    return out


def _unexplained_parts(name: _Name, text: str, explained) -> list[_Name]:
    """The runs of words of a target name that the source does not explain ("California Governor
    Muddy Waters" → "Governor Muddy Waters" when the source has "Californie")."""
    parts: list[_Name] = []
    run: list[re.Match[str]] = []
    first = True
    for m in _WORD.finditer(text, name.start, name.end):
        if explained(m.group()):
            if run:
                parts.append(_name(run, name.initial and first))
            run, first = [], False
        else:
            run.append(m)
    if run:
        parts.append(_name(run, name.initial and first))
    return parts


def _rarity(name: _Name, lang: str) -> float:
    """Zipf frequency of the rarest word of a name (low: surely a name)."""
    return min(zipf(w, lang) for w in name.words)


def _is_name(name: _Name, expected: dict[tuple[int, int], list[str]], lang: str | None, target: str) -> bool:
    """Whether a capitalised source run is a name whose absence matters (not "la Chambre")."""
    if any(s < name.end and name.start < e for s, e in expected):
        return True
    single_initial = name.initial and len(name.words) == 1
    limit = SOURCE_INITIAL_ZIPF if single_initial else SOURCE_COMMON_ZIPF
    return any(w.isupper() or any(c.isupper() for c in w[1:]) or not lang or zipf(w, lang) < limit
               or (not single_initial and zipf(w, target) >= SHARED_NAME_ZIPF) for w in name.words)


def _wanted(name: _Name, source: str, expected: dict[tuple[int, int], list[str]]) -> str:
    """What the translation should say: the exonym when there is one, else the source's form."""
    for (s, e), forms in expected.items():
        if (s <= name.start and name.end <= e) or name.start <= s < name.end:
            return forms[0]
    return source[name.start:name.end]
