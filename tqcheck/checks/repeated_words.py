"""A word written twice in a row ("the same subject subject"): a slip of editing or of a
segment join.  A code check because a YAML pattern cannot refer back to the word it matched (all
rules share one compiled matcher, so group numbers are not their own).
"""
from __future__ import annotations

import re

from ..core.document import Document
from ..core.findings import Finding, Fix, Severity
from .base import CheckContext, CheckRule

REPEAT = CheckRule(
    id="tq/repeated-word",
    category="linguistic-conventions/grammar",
    severity=Severity.MINOR,
    message="“{word}” repeated",
    why=(
        "A word written twice in a row is almost always a slip: an edit left both the old and the "
        "new word, or two segments were joined on a shared word. The fix deletes the repetition. "
        "Doublings English uses (had had, that that, very very, bye bye), capitalised pairs "
        "written once (Baden Baden, Bora Bora), a word followed by itself capitalised (a title run "
        "into its article: \"Takeover lifts shares Shares in…\"; a name's title: \"law lord Lord "
        "Bingham\") and a repeated set score (\"won 6-2 6-2\") are left alone."
    ),
    fix=Fix.SAFE,
    examples={
        "flag": [
            {"text": "always seems obsessed with the same subject[[ subject]].", "suggest": ""},
            {"text": "to operate Crossrail for 8 years[[ years years]]."},
            {"text": "by interpreting micro-expressions[[ micro-expressions]]."},
            {"text": "35 hours instead of 17[[ 17 17]]."},
            {"text": "bypassing Airbnb[[ Airbnb Airbnb]]."},
            {"text": "[[The the]] talks ended.", "suggest": "The"},
        ],
        "pass": [
            {"text": "Whatever he had had before was gone."},
            {"text": "He said that that was all."},
            {"text": "A holiday in Bora Bora, then Baden Baden."},
            {"text": "It was a very, very long day."},
            {"text": "They were non-believers, believers and micro-expressions experts."},
            {"text": "Takeover rumour lifts Exel shares Shares in Exel closed up 9%."},
            {"text": "On Thursday, senior law lord Lord Bingham said the rules were unlawful."},
            {"text": "Coria lost the semi-final 6-4 6-4 to Rochus."},
            {"text": "The project cost 1 000 000 euros, then 600 000 000 more."},
        ],
    },
)
RULES = (REPEAT,)

#: A word, then the same word again after spaces.  A group of three digits is not a word: "1 000 000"
#: and "600 000 000" are numbers written in digit groups (``fr-en/space-thousands`` flags them in
#: English), not "000" repeated.  The word is taken whole, possessively: only a space may follow it,
#: and a shorter part of it would end before a letter or a hyphen, so giving letters back one by
#: one after each failed comparison could never match (it halved the search on prose).
_REPEAT = re.compile(r"(?<![\w'’-])(?!\d{3}(?![\w'’-]))(\w++(?:['’-]\w++)*+)((?:[ \t]+\1(?![\w'’-]))+)", re.I)
#: A set score: a match won "6-2 6-2" took two sets of the same score.
_SCORE = re.compile(r"\d+-\d+")
#: Words English doubles on purpose; lower case.
DOUBLINGS = frozenset(
    "had that is very really so no bye ha hah ho la tut tsk chop knock yada blah bla hip aye go "
    "boo dum night pooh hush now there well many much more far long".split()
)


def run(doc: Document, ctx: CheckContext) -> list[Finding]:
    out: list[Finding] = []
    #: (word, what repeats it) → the finding's message and suggestion and whether it covers the
    #: word too, or None where the pair is left alone: worked out once per pair (a page repeats its
    #: lines, and the tests and the message cost as much as the rest of a finding).
    decided: dict[tuple[str, str], tuple[str, str, bool] | None] = {}
    for m in _REPEAT.finditer(doc.text):
        pair = (m[1], m[2])
        if pair in decided:
            verdict = decided[pair]
        else:
            verdict = decided[pair] = _verdict(*pair)
        if verdict is None:
            continue
        message, suggestion, whole = verdict
        start, end = m.span() if whole else m.span(2)
        out.append(REPEAT.finding(doc, start, end, message, (suggestion,), confidence=0.9))
    return out


def _verdict(word: str, repeat: str) -> tuple[str, str, bool] | None:
    """The message, the suggestion and whether the finding covers ``word`` too, for ``word``
    followed by ``repeat`` (its repetitions with the spaces before them); None where English
    writes it so."""
    again = repeat.strip()
    name = word[:1].isupper() and again[:1].isupper() and len(again.split()) == 1
    if word.lower() in DOUBLINGS or name or _SCORE.fullmatch(word):
        return None  # a doubling English uses, a name made of one word twice (Bora Bora), a score
    if word[:1].islower() and again[:1].isupper():
        return None  # a new start without its full stop: a title run into its text, a name's title
    message = REPEAT.message.format(word=word)
    if word[:1].isupper() and not again[:1].isupper():  # "The the talks": keep the capital
        return message, word, True
    return message, "", False
