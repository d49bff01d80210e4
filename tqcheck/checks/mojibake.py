"""Mojibake: text encoded as UTF-8 and decoded again as Windows-1252 or Latin-1 ("Ã©" for "é",
"â€™" for "’", "Â£" for "£"), the damage a scraper or a converter leaves in an article.

A code check built on ftfy, the library that knows which byte sequences this produces and how to
undo them.  ftfy's badness pattern finds the suspicious characters; the words around each one (a
mojibake sequence may run over a space, as in "Ã " for "à") are given to ``ftfy.fix_encoding``,
and what it changes, narrowed to the characters that differ (to the words, where it changes several
words of a run), is the finding and its fix.  ftfy
only re-decodes when the result is plainly better text, so legitimate accented words ("São",
"NÃO", "Âmbito") stay as they are.
"""
from __future__ import annotations

import hashlib
import importlib.util
import itertools
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from ..cache import cached_marshal
from ..core.document import PLACEHOLDER, Document
from ..core.findings import Finding, Fix, Severity
from ..rules.compiled import compile_cached
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
_SPACES = " \t\r\n"
_SPACE = re.compile(f"[{_SPACES}]")
#: More than the longest sequence ftfy's badness pattern matches (7 characters).
_REACH = 8
#: Non-ASCII characters fewer than ``2 * _REACH`` apart: their windows would overlap, so they are one.
#: The placeholder of excluded markup (an HTML ``<code>``) is no mojibake, and counts as ASCII.
_NON_ASCII = re.compile(rf"[^\x00-\x7f{PLACEHOLDER}](?:[\x00-\x7f{PLACEHOLDER}]{{0,{2 * _REACH - 1}}}"
                        rf"[^\x00-\x7f{PLACEHOLDER}])*")


def run(doc: Document, ctx: CheckContext) -> list[Finding]:
    text = doc.text
    out: list[Finding] = []
    for start, end in _runs(text, _suspicious(text)):
        out.extend(_repair(doc, start, end))
    return out


def _suspicious(text: str) -> Iterator[tuple[int, int]]:
    """The spans of ftfy's badness matches in ``text``, looked for only near non-ASCII characters.

    Every sequence ftfy's pattern knows holds a non-ASCII character other than
    :data:`~tqcheck.core.document.PLACEHOLDER` and spans at most ``_REACH`` characters
    (``tests/test_mojibake.py`` checks both on the installed ftfy), so a match lies
    inside the window of its cluster: ASCII text is not scanned at all, and English prose only
    around its curly quotes and dashes.  The windows do not touch, and ftfy's pattern has no
    lookaround and anchors only at the very start, so the matches are the ones a scan of the
    whole text finds.  For the same reasons a window's matches depend on its text alone (the
    window at the very start aside), so a window of text seen before in the document is not
    scanned again: a scraped page repeats its lines ("Publicité"), and a window costs about as
    much as the rest of the check on it.
    """
    clusters = _NON_ASCII.finditer(text)
    first = next(clusters, None)
    if first is None:
        return
    badness = _badness()
    seen: dict[str, list[tuple[int, int]]] = {}  # a window's text → its matches, from its start
    for cluster in itertools.chain((first,), clusters):
        start, end = max(cluster.start() - _REACH, 0), cluster.end() + _REACH
        window = text[start:end]
        found = seen.get(window) if start else None
        if found is None:
            found = [(m.start() - start, m.end() - start) for m in badness.finditer(text, start, end)]
            if start:
                seen[window] = found
        yield from ((start + a, start + b) for a, b in found)


@lru_cache(maxsize=1)
def _badness() -> re.Pattern[str]:
    """ftfy's badness pattern (``ftfy.badness.BADNESS_RE``), without importing ftfy.

    Importing the package loads its codecs, character tables and a terminal-width library: a
    tenth of the CPU time of a rules-only scan of an article, which needs ftfy only where a window
    looks damaged (most non-ASCII text is curly quotes and accented names).  So the pattern's
    text is kept in the cache under the identity of the installed ``ftfy/badness.py`` (path, size,
    modification time; another ftfy reads its own), and compiled from the cached program
    (``rules.compiled``; the pattern has no unbounded repeat for the caps to change)."""
    spec = importlib.util.find_spec("ftfy")
    if spec is None or not spec.submodule_search_locations:
        return _read_badness_pattern()  # not installed as a package: let the import say why
    source = Path(next(iter(spec.submodule_search_locations)), "badness.py")
    try:
        stat = source.stat()
    except OSError:
        return _read_badness_pattern()
    key = hashlib.sha256(f"{source}\0{stat.st_size}\0{stat.st_mtime_ns}".encode()).hexdigest()[:24]
    pattern, flags = cached_marshal(f"ftfy-badness-{key}.marshal", lambda: _badness_source(_read_badness_pattern()))
    return compile_cached(pattern, flags)


def _read_badness_pattern() -> re.Pattern[str]:
    from ftfy import badness

    return badness.BADNESS_RE


def _badness_source(pattern: re.Pattern[str]) -> tuple[str, int]:
    return pattern.pattern, pattern.flags


def _runs(text: str, matches: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The words around each suspicious match (its span), merged where they touch or are one
    space apart.

    The matches come in order, so the last word start found and the last word end found are
    reused: a long word full of matches is walked once, not once per match.
    """
    runs: list[tuple[int, int]] = []
    scanned = word_start = 0  # no space in text[word_start:scanned]
    end_from = word_end = -1  # no space in text[end_from:word_end]
    for m_start, m_end in matches:
        inside = bool(runs) and m_start <= runs[-1][1]  # its word starts inside the last run
        if m_start > scanned and not inside:
            space = max(text.rfind(c, scanned, m_start) for c in _SPACES)
            word_start, scanned = (space + 1 if space >= 0 else word_start), m_start
        pos = max(m_end, m_start + 1)
        if pos < len(text) and text[pos] in _SPACES and pos > 0 and text[pos - 1] not in _SPACES:
            pos += 1  # a match ending in a space runs into the next word
        if not end_from <= pos <= word_end:
            space_after = _SPACE.search(text, pos)
            end_from, word_end = pos, space_after.start() if space_after else len(text)
        if inside or (runs and word_start <= runs[-1][1] + 1):
            runs[-1] = (runs[-1][0], max(runs[-1][1], word_end))
        else:
            runs.append((word_start, word_end))
    return runs


def _repair(doc: Document, start: int, end: int) -> list[Finding]:
    """The finding of the run of words ``doc.text[start:end]``, if ftfy changes it: the changed
    characters where there is one change, else the words from the first change to the last.

    Damaged words side by side are one slip of one converter, and one finding: a paragraph of
    them would otherwise make a finding every few characters (docs/decisions.md)."""
    from ftfy import fix_encoding

    original = doc.text[start:end]
    fixed = fix_encoding(original)
    if fixed == original:
        return []
    changes = _changes(original, fixed)
    (a, _), (c, _) = changes[0]
    (_, b), (_, d) = changes[-1]
    if len(changes) > 1:  # the words: the text around the changes is the same in both
        word_start = max(original.rfind(ch, 0, a) for ch in _SPACES) + 1
        after = _SPACE.search(original, b)
        word_end = after.start() if after else len(original)
        a, c = word_start, c - (a - word_start)
        b, d = word_end, d + (word_end - b)
    message = MOJIBAKE.message.format(match=_shown(original[a:b]), fixed=_shown(fixed[c:d]))
    return [MOJIBAKE.finding(doc, start + a, start + b, message, [fixed[c:d]], confidence=0.95)]


#: The most characters of a stretch a message quotes.
_SHOWN = 40


def _shown(text: str) -> str:
    """``text`` as a message quotes it: a long stretch by its start."""
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "…"


def _changes(original: str, fixed: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Pairs of spans (in ``original``, in ``fixed``) that differ, as a reader would name them:
    changes a character or two apart inside a word are one ("â€œ" → "“"), and a pure deletion
    takes the next character along ("Â£" → "£", not "Â" → "").  ftfy reads an ordinary space after
    "Ã" or "â€" as the no-break space a copy lost ("Ã " is "à"); a change that swallows a space is
    kept only when a letter comes of it, never a "†" from "â€ "."""
    blocks: list[list[int]] = []
    for a, b, c, d in _differences(original, fixed):
        if " " in original[a:b] and not fixed[c:d].isalpha():
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


#: The most characters of either text one change may take, and how many equal characters after it
#: end it.
_MAX_CHANGE = 16
_AGREE = 4


def _differences(original: str, fixed: str) -> list[tuple[int, int, int, int]]:
    """The stretches ``original[a:b]`` that ``fixed[c:d]`` replaces, left to right, in linear time.

    difflib's matcher on a whole run costs the cube of its length (seconds for a paragraph of
    damaged words).  ftfy's repairs are local, two or three characters becoming one, so the texts
    are walked side by side; where they part, the nearest positions from which ``_AGREE``
    characters agree again close a short stretch, and difflib names the changes inside it
    (changes a few characters apart, "â€œnoâ€", fall in one stretch).  Equal text is skipped by
    comparing slices.
    """
    from difflib import SequenceMatcher

    out: list[tuple[int, int, int, int]] = []
    i = j = 0
    n, m = len(original), len(fixed)
    while True:
        step = 4
        while i < n and j < m:  # skip the equal stretch: long slices first, then shorter ones
            if original[i:i + step] == fixed[j:j + step]:
                i, j = i + step, j + step
                step *= 2
            elif step > 1:
                step //= 2
            else:
                break
        if i >= n and j >= m:
            return out
        a, c = _agree(original, fixed, i, j)
        if set(original[i:a]).isdisjoint(fixed[j:c]):  # nothing in common: one change, as difflib says
            out.append((i, a, j, c))
        else:
            matcher = SequenceMatcher(None, original[i:a], fixed[j:c], autojunk=False)
            out.extend((i + a1, i + b1, j + c1, j + d1)
                       for op, a1, b1, c1, d1 in matcher.get_opcodes() if op != "equal")
        i, j = a, c


def _agree(original: str, fixed: str, i: int, j: int) -> tuple[int, int]:
    """The nearest positions after ``i`` and ``j`` (fewest characters skipped in all, then fewest
    in ``fixed``) from which the texts agree for ``_AGREE`` characters, or to both ends;
    ``_MAX_CHANGE`` further on each side when there are none."""
    n, m = len(original), len(fixed)
    best: tuple[int, int, int] | None = None
    for b in range(min(_MAX_CHANGE, m - j) + 1):
        if best is not None and b >= best[0]:
            break  # nothing nearer is left
        y = j + b
        anchor = fixed[y:y + _AGREE]
        if len(anchor) == _AGREE:  # its first place in the next _MAX_CHANGE characters
            x = original.find(anchor, i, i + _MAX_CHANGE + _AGREE)
        else:  # the end of ``fixed``: the same last characters
            x = n - len(anchor) if i <= n - len(anchor) <= i + _MAX_CHANGE and original.endswith(anchor) else -1
        if x >= 0 and (best is None or x - i + b < best[0]):
            best = (x - i + b, x, y)
    if best is None:
        return min(i + _MAX_CHANGE, n), min(j + _MAX_CHANGE, m)
    return best[1], best[2]
