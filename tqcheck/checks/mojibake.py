"""Mojibake: text encoded as UTF-8 and decoded again as Windows-1252 or Latin-1 ("Ã©" for "é",
"â€™" for "’", "Â£" for "£"), the damage a scraper or a converter leaves in an article.

A code check built on ftfy, the library that knows which byte sequences this produces and how to
undo them.  ftfy's badness pattern finds the suspicious characters; the words around each one (a
mojibake sequence may run over a space, as in "Ã " for "à") are given to ``ftfy.fix_encoding``,
and what it changes, narrowed to the characters that differ, is the finding and its fix.  ftfy
only re-decodes when the result is plainly better text, so legitimate accented words ("São",
"NÃO", "Âmbito") stay as they are.
"""
from __future__ import annotations

import re

from ..core.document import Document
from ..core.findings import Finding, Fix, Severity
from .base import CheckContext, CheckRule

MOJIBAKE = CheckRule(
    id="tq/mojibake",
    category="linguistic-conventions/character-encoding",
    severity=Severity.MAJOR,
    message="“{match}” is mojibake (text decoded with the wrong encoding): write “{fixed}”",
    why=(
        "UTF-8 text decoded as Windows-1252 or Latin-1 turns every accented letter, curly quote "
        "and currency sign into two or three characters: “cafÃ©”, “Itâ€™s”, “Â£5”. Every reader "
        "sees it, and it means a step of the pipeline (a scraper, a converter, a database) read "
        "bytes with the wrong encoding, so it usually damages the whole text. ftfy decides which "
        "sequences are mojibake and undoes them; the fix is its repair of the span, which changes "
        "nothing but the damaged characters."
    ),
    fix=Fix.SAFE,
    examples={
        "flag": [
            {"text": "The ticket costs [[Â£]]5.", "suggest": "£"},
            {"text": "We met at the caf[[Ã©]] near the station.", "suggest": "é"},
            {"text": "It[[â€™]]s the end of an era.", "suggest": "’"},
            {"text": "He said [[â€œnoâ€\u009d]] twice.", "suggest": "“no”"},
            {"text": "Paris [[â€“]] Berlin, a night train.", "suggest": "–"},
            {"text": "The São Paulo office, not the S[[Ã£]]o Paulo one.", "suggest": "ã"},
        ],
        "pass": [
            {"text": "The ticket costs £5 at the café."},
            {"text": "It’s the end of an era in São Paulo."},
            {"text": "NÃO is Portuguese for no; Âmbito means scope."},
            {"text": "Ångström, Øresund, Ærø and Œdipe are spelt right."},
        ],
    },
)
RULES = (MOJIBAKE,)

#: Where a run of words to repair may start and end: ordinary white space (a no-break space can be
#: the second byte of a mojibake sequence, "Ã\xa0" for "à").
_SPACE = re.compile(r"[ \t\r\n]")


def run(doc: Document, ctx: CheckContext) -> list[Finding]:
    from ftfy import badness  # imported here: most texts have no suspicious character at all

    text = doc.text
    out: list[Finding] = []
    for start, end in _runs(text, badness.BADNESS_RE.finditer(text)):
        out.extend(_repair(doc, start, end))
    return out


def _runs(text: str, matches) -> list[tuple[int, int]]:
    """The words around each suspicious match, merged where they touch or are one space apart."""
    runs: list[tuple[int, int]] = []
    for m in matches:
        start = _word_start(text, m.start())
        end = _word_end(text, max(m.end(), m.start() + 1))
        if runs and start <= runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], max(runs[-1][1], end))
        else:
            runs.append((start, end))
    return runs


def _word_start(text: str, pos: int) -> int:
    while pos > 0 and not _SPACE.match(text, pos - 1):
        pos -= 1
    return pos


def _word_end(text: str, pos: int) -> int:
    """The end of the word at or after ``pos`` (a match ending in a space runs into the next word)."""
    while pos < len(text) and _SPACE.match(text, pos) and pos > 0 and not _SPACE.match(text, pos - 1):
        pos += 1
    while pos < len(text) and not _SPACE.match(text, pos):
        pos += 1
    return pos


def _repair(doc: Document, start: int, end: int) -> list[Finding]:
    """One finding per stretch of ``doc.text[start:end]`` that ftfy changes."""
    from ftfy import fix_encoding

    original = doc.text[start:end]
    fixed = fix_encoding(original)
    if fixed == original:
        return []
    out = []
    for (a, b), (c, d) in _changes(original, fixed):
        message = MOJIBAKE.message.format(match=original[a:b], fixed=fixed[c:d])
        out.append(MOJIBAKE.finding(doc, start + a, start + b, message, [fixed[c:d]], confidence=0.95))
    return out


def _changes(original: str, fixed: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Pairs of spans (in ``original``, in ``fixed``) that differ, as a reader would name them:
    changes a character or two apart inside a word are one ("â€œ" → "“"), and a pure deletion
    takes the next character along ("Â£" → "£", not "Â" → "").  ftfy reads an ordinary space after
    "Ã" or "â€" as the no-break space a copy lost ("Ã " is "à"); a change that swallows a space is
    kept only when a letter comes of it, never a "†" from "â€ "."""
    from difflib import SequenceMatcher

    blocks: list[list[int]] = []
    for op, a, b, c, d in SequenceMatcher(None, original, fixed, autojunk=False).get_opcodes():
        if op == "equal" or (" " in original[a:b] and not fixed[c:d].isalpha()):
            continue
        gap = original[blocks[-1][1]:a] if blocks else " "
        if len(gap) <= 2 and not _SPACE.search(gap):
            blocks[-1][1], blocks[-1][3] = b, d
        else:
            blocks.append([a, b, c, d])
    for block in blocks:
        a, b, c, d = block
        if c == d or a == b:  # nothing on one side: widen by one character both share
            if b < len(original) and d < len(fixed):
                block[1], block[3] = b + 1, d + 1
            elif a > 0 and c > 0:
                block[0], block[2] = a - 1, c - 1
    return [((a, b), (c, d)) for a, b, c, d in blocks]
