"""Words that surprise the model far more than it expected to be surprised there.

For each word we add up, over its tokens, the surprisal minus the entropy of the model's
prediction (the surprisal it expected): a word is notable when it is improbable *where the model
knew what should come*, not merely rare.  Rare words are where machine translation goes wrong
(false friends, source-language words, misspellings), so the word's frequency in the target
language also counts.  The two combine in a logistic model fitted per model and language
(``calibration.py``, ``benchmarks/calibrate_fluency.py``): its output is the finding's confidence,
the share of words flagged at that level that were the injected error.  The first word of a
sentence is left alone (the model has no context there to expect anything).  A capitalised word inside a sentence
is a name; an unknown name surprises any model, so a name is flagged only where the model was
confident about what came next (a misspelt well-known name: "Vladimir Poutin").

By default only the words that are likely errors are reported (``likely``): on clean news the
model's raw findings were almost all false (3 right of 134), because a rare but right word (a
compound, jargon, a surname) surprises it as much as a wrong one.  What holds up is a word that
is no word of the language (rare in it, even part by part for a compound) and either has a
common spelling neighbour that makes its sentence much likelier (a misspelling) or is written in
lower case (not a name) with high confidence (a word left in the source language), and that
the document does not use as a term of its own: code (an identifier's shape, or a word written as
code somewhere in the document) or, without a likelier spelling, a word it repeats.
``--model-findings all`` shows every word as well; the model's judgement enters the score
through the file fluency either way.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from ..core.document import WORD, Document
from ..core.findings import CheckRule, Finding, Fix, Severity
from ..core.segments import Segment
from ..langs import language
from ..langs.frequency import zipf
from .awkward import AWKWARD
from .calibration import Calibration
from .scorer import TokenScores

UNEXPECTED = CheckRule(
    id="tq/unexpected-word",
    category="fluency/unnatural",
    severity=Severity.MINOR,
    message="“{word}” is unexpected here",
    why=(
        "The fluency model (a small language model) finds this word far less likely than the words "
        "it expected in this place: often a false friend, a word left in the source language, a "
        "misspelling or a name spelled the source language's way. The confidence is calibrated: of "
        "the words flagged at confidence 0.6, about 60% were real errors on the development data. "
        "Suggestions are common words of the text's language one edit away that the model "
        "prefers in this sentence. "
        "Minor, since a model cannot tell a bold word from a wrong one; a rule that flags the same "
        "word gets its confidence raised instead. By default only likely errors are shown: words that "
        "are no word of the language, misspelt (with a correction) or, in lower case, flagged with "
        "high confidence; rare but real words surprise the model too, and --model-findings all "
        "shows them."
    ),
    fix=Fix.UNSAFE,
    examples={
        "flag": [
            {"text": "The president made his first [[sortie]] abroad since the start of the pandemic."},
            {"text": "In Geneva, Joe Biden and Vladimir [[Poutin]] started a dialogue."},
            {"text": "The proportion is [[alwyas]] the same, here or in Bahrain.", "suggest": "always"},
        ],
        "pass": [
            {"text": "The president made his first trip abroad since the start of the pandemic."},
            {"text": "Indian Foreign Secretary Harsh Vardhan Shringla said the deliveries had begun."},
        ],
    },
)
RULES = (UNEXPECTED, AWKWARD)  # the model's findings: words here, sentences in awkward.py

#: Lowest confidence reported.
MIN_CONFIDENCE = 0.3
#: By default a word is reported only when it, or a part of a hyphenated compound, is rarer than
#: this in the language (Zipf): no word of it ...
NON_WORD_ZIPF = 2.0
#: ... and, without a spelling correction, only in lower case and from this confidence.
NON_WORD_CONFIDENCE = 0.7
#: Where a word splits into the parts that are looked up: compounds, possessives, contractions.
_PARTS = re.compile(r"[-'’]")
#: A name is checked only where the entropy of the prediction was below this (nats).
NAME_ENTROPY = 2.0
#: Spelling neighbours must be at least this common in the language (Zipf) ...
NEIGHBOUR_ZIPF = 3.0
#: ... and at most this many of the most common are tried in the sentence.
MAX_NEIGHBOURS = 6
#: What a spelling neighbour may add or substitute besides the language's ``letters``.
_JOINERS = "'-"
#: A word right after one of these characters is written as code: a dotted name or file
#: (".pdbrc", "pdb.runeval"), a path, an option list in brackets ("[bpnumber ...]").
_CODE_BEFORE = "./\\[<`$@#"
#: ... or right before one of these: a call, a keyword argument, a subscript ("runeval(",
#: "attr=", "argv["); or before a dot and a letter or underscore ("os.path", "it.__next__").
_CODE_AFTER = "(=[/`"
_CAMEL = re.compile(r"[a-z][A-Z]")


@dataclass
class WordSurprise:
    """One word of a sentence: text offsets, surprisal beyond expectation, calibrated confidence."""

    start: int
    end: int
    word: str
    excess: float
    confidence: float


def confidence(excess: float, word: str, calibration: Calibration, lang: str) -> float:
    """How likely ``word`` (in a ``lang`` text) is an error, from its excess surprisal."""
    z = calibration.excess_weight * excess + calibration.zipf_weight * zipf(word, lang) + calibration.bias
    return 1.0 / (1.0 + math.exp(-z))


def word_surprises(sentence: Segment, scored: TokenScores, calibration: Calibration,
                   lang: str) -> list[WordSurprise]:
    """Every word of a scored sentence that may be reported, with its excess surprisal."""
    out = []
    tokens = list(zip(scored.spans, scored.surprisal, scored.entropy))
    for m in WORD.finditer(scored.text):
        if m.start() == 0 or not any(ch.isalpha() for ch in m.group()):
            continue  # a first word has no context to be expected from; numbers surprise by nature
        mine = [(s, h) for (a, b), s, h in tokens
                if a < m.end() and b > m.start() and scored.text[a:b].strip()]
        if not mine:
            continue
        if m.group()[:1].isupper() and mine[0][1] >= NAME_ENTROPY:
            continue
        excess = sum(s - h for s, h in mine)
        out.append(WordSurprise(sentence.start + m.start(), sentence.start + m.end(), m.group(), excess,
                                confidence(excess, m.group(), calibration, lang)))
    return out


def findings(doc: Document, sentences: list[Segment], scores: list[TokenScores], calibration: Calibration,
             lang: str) -> list[Finding]:
    """A minor finding for every word whose calibrated confidence reaches ``MIN_CONFIDENCE``."""
    return [
        UNEXPECTED.finding(doc, w.start, w.end, message=UNEXPECTED.message.format(word=w.word),
                           confidence=w.confidence, origin="model")
        for sentence, scored in zip(sentences, scores)
        for w in word_surprises(sentence, scored, calibration, lang)
        if w.confidence >= MIN_CONFIDENCE
    ]


@dataclass(frozen=True)
class Terms:
    """Words a document uses as its own terms rather than as slips (:func:`document_terms`)."""

    #: Words written as code somewhere in the document.
    code: frozenset[str] = frozenset()
    #: Words the document writes more than once.
    repeated: frozenset[str] = frozenset()


def code_shaped(word: str) -> bool:
    """Whether ``word`` has the shape of an identifier: digits or underscores ("subpkg2",
    "co_positions"), camelCase ("isDir") or all capitals ("PYTHONPATH", an acronym)."""
    return (any(ch.isdigit() or ch == "_" for ch in word) or bool(_CAMEL.search(word))
            or (len(word) > 1 and word.isupper()))


def document_terms(text: str) -> Terms:
    """The words of ``text`` written as code somewhere (:data:`_CODE_BEFORE`, :data:`_CODE_AFTER`:
    "pdb.runeval(", ".pdbrc", "attr=", "[bpnumber ...]"), and those it writes more than once.

    Documentation prose names functions, options and files that are no words of the language; on
    the Python docs they were the model's only findings.  Wherever one is written as code, every
    mention of it is code.  A word repeated letter for letter is the writer's choice (a term of the
    field, an identifier), while a slip of the keyboard is rarely made twice the same way."""
    seen: set[str] = set()
    code: set[str] = set()
    repeated: set[str] = set()
    for m in WORD.finditer(text):
        word, start, end = m.group(), m.start(), m.end()
        (repeated if word in seen else seen).add(word)
        after = text[end:end + 2]
        if (start and text[start - 1] in _CODE_BEFORE) or after[:1] in _CODE_AFTER or \
                (after[:1] == "." and (after[1:2].isalpha() or after[1:2] == "_")):
            code.add(word)
    return Terms(frozenset(code), frozenset(repeated))


def likely(finding: Finding, lang: str, terms: Terms = Terms()) -> bool:
    """Whether a ranked ``tq/unexpected-word`` finding is shown by default (thresholds from
    ``benchmarks/eval_clean.py`` and the DEMETR pairs, docs/fluency.md).  A word of the language
    used rarely ("wins" → "wings", "cross-country") is no error by itself, however surprising; a
    non-word is one when the model found a likelier spelling (the rerank gave it a suggestion) or,
    written in lower case (a name is not), was nearly sure of it, and the document does not use it
    as a term of its own (``terms``: written as code, or repeated without a likelier spelling).
    Without a likelier spelling, a word that the language's frequency list knows at all, however
    rare ("vacuity", "eightieth", "outturn"), is the writer's: a word left in the source language
    is unknown to it ("respectivement", "tournée"), or common enough there for
    ``tq/untranslated-word`` to report it ("continuer").
    A capitalised word the document repeats letter for letter is a name spelled as its writer
    spells it ("Mr Karger" four times in a review is no misspelt "Larger"), even with a likelier
    spelling: a misspelt famous name is a slip made once ("Vladimir Poutin"), and the same name
    misspelt throughout is the name rules' and ``tq/name-variant``'s to find.
    Code is never the language: an identifier ("co_positions", "isDir", "PYTHONPATH") or a word
    the document writes as code is not shown.  A word is looked up part by part, split at hyphens
    and apostrophes ("cross-country", "manager’s", "doesn’t"), whose endings of one or two
    letters are no words."""
    word = finding.text
    if code_shaped(word) or word in terms.code:
        return False
    parts = [part for part in _PARTS.split(word) if len(part) > 2]
    if all(zipf(part, lang) >= NON_WORD_ZIPF for part in parts):
        return False
    if word[:1].isupper() and word in terms.repeated:
        return False  # a name the document spells the same way again is its writer's spelling
    if finding.suggestions:
        return True
    return (word[:1].islower() and finding.confidence >= NON_WORD_CONFIDENCE and word not in terms.repeated
            and not all(zipf(part, lang) > 0 or derived(part, lang) for part in parts))


def derived(word: str, lang: str) -> bool:
    """Whether ``word`` is a word of the language with one of its prefixes or suffixes
    ("textually", "broadbanders"; a final e or a doubled consonant restored: "formattable"), or a
    word itself.  Frequency lists miss most derivations of rare words, so
    without a likelier spelling such a word is the writer's, not a slip; a misspelt derivation
    ("arguement") has a likelier spelling and is still shown."""
    lower = word.lower()
    data = language(lang)
    stems = {lower}
    for suffix in data.suffixes:
        stem = lower[:-len(suffix)]
        if lower.endswith(suffix) and len(stem) >= 3:
            stems |= {stem, stem + "e"} | ({stem[:-1]} if stem[-1] == stem[-2] else set())
    stems |= {lower[len(prefix):] for prefix in data.prefixes
              if lower.startswith(prefix) and len(lower) - len(prefix) >= 3}
    return any(zipf(stem, lang) >= NON_WORD_ZIPF for stem in stems)


def neighbours(word: str, lang: str) -> list[str]:
    """Common words one edit (deletion, transposition, substitution, insertion) from ``word``,
    most frequent first, in the word's case: candidate corrections of a misspelling."""
    lower = word.lower()
    splits = [(lower[:i], lower[i:]) for i in range(len(lower) + 1)]
    edits = {a + b[1:] for a, b in splits if b}
    edits |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    letters = language(lang).letters + _JOINERS
    edits |= {a + c + b[1:] for a, b in splits if b for c in letters}
    edits |= {a + c + b for a, b in splits for c in letters}
    edits.discard(lower)
    frequency = {e: zipf(e, lang) for e in edits}
    common = sorted((e for e in edits if frequency[e] >= NEIGHBOUR_ZIPF), key=lambda e: (-frequency[e], e))
    return [_same_case(e, word) for e in common[:MAX_NEIGHBOURS]]


def _same_case(candidate: str, word: str) -> str:
    if word.isupper() and len(word) > 1:
        return candidate.upper()
    return candidate[:1].upper() + candidate[1:] if word[:1].isupper() else candidate
