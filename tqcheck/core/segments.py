"""Paragraphs and sentences: where the prose of a document breaks (in ``Document.text`` offsets)."""
from __future__ import annotations

import re
from typing import NamedTuple

from ..langs import combined


class Segment(NamedTuple):
    """A paragraph or sentence: ``Document.text[start:end]``.  A named tuple, not a dataclass: a
    page of short lines makes one every few characters, and a tuple is built and hashed in C."""

    start: int
    end: int


PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")

# A sentence ends at . ! ? … (and closing quotes/brackets after them) followed by space and a
# character that can start a sentence; at the ideographic 。！？ of Chinese and Japanese, which
# need no space after them (and have no capitals to look for), unless a closing quotation mark
# follows with no space ("“好！”他说" goes on: 「はい。」と言った); or at a line break that starts a
# new line of prose.
# Runs of spaces are taken possessively and the line-break alternative starts at the break, not
# at each space before it: tried at every space of a long run, the split would be quadratic.
# (Where it starts does not matter: the sentences are stripped of the spaces around them.)
# Every match opens with the mark or line break it follows, consumed, so that the pattern starts
# with one character class: the search then skips in C to the next such character instead of
# trying every alternative at every character (ten times faster on prose).  The empty group of
# each alternative marks where the sentence ends (after the mark; at the break itself for the
# last); the groups of the first three mark ends that are no line break.
_SENTENCE_END = re.compile(
    r"""[.!?…:;”"»。！？\n]"""
    r"""(?:(?<=[.!?…])()[”"’'»)\]]*+[ \t\u00a0]++(?=[«“"‘'(\[]?\s?[A-ZÀ-ÖØ-Þ0-9¿¡])"""
    r"""|(?<=[。！？])()[ \t\u00a0\u3000]*+(?=[^\s。！？”"’」』）》])"""
    r"""|(?<=[。！？])[”"’」』）》]()[ \t\u00a0\u3000]++(?=\S)"""
    r"""|(?<=[.!?…:;”"»])()[ \t]*+\n\s*+"""
    r"""|(?<=\n)(?<![a-z,]\n)\s*+(?=[A-ZÀ-ÖØ-Þ0-9«“"\-*•]))"""
)
_INLINE_ENDS = (1, 2, 3)
#: How far back ``split_sentences`` looks for the word before a full stop (longer words are no
#: abbreviation).
_LAST_WORD = 32

def split_at(text: str, pattern: re.Pattern[str], start: int, end: int) -> list[Segment]:
    out: list[Segment] = []
    pos = start
    for m in pattern.finditer(text, start, end):
        _append_stripped(out, text, pos, m.start())
        pos = m.end()
    _append_stripped(out, text, pos, end)
    return out


def _append_stripped(out: list[Segment], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Segment(start, end))


def split_sentences(text: str, start: int, end: int) -> list[Segment]:
    """Split ``text[start:end]`` into sentences, keeping abbreviations and initials together.
    ``start`` is where a text, paragraph or sentence starts: an end is found only after a mark
    inside the span (one right before it would end nothing but an empty sentence)."""
    out: list[Segment] = []
    pos = start
    # Every language's abbreviations: the splitter does not know the text's language, and an "M." or
    # "Mme" in English news is a French name's title.  Read once, at the first full stop inside the
    # text: short lines make many ends, and most units of a localisation file (each split alone)
    # have none.
    abbreviations: frozenset[str] | None = None
    for m in _SENTENCE_END.finditer(text, start, end):
        kind = m.lastindex
        cut = m.start(kind) if kind else m.start()
        if kind in _INLINE_ENDS:  # no line break: an abbreviation's full stop ends nothing
            if abbreviations is None:
                abbreviations = combined("abbreviations")
            if _abbreviation_before(text, pos, cut, abbreviations):
                continue
        _append_stripped(out, text, pos, cut)
        pos = m.end()
    _append_stripped(out, text, pos, end)
    return out


def _abbreviation_before(text: str, start: int, end: int, abbreviations: frozenset[str]) -> bool:
    """Whether ``text[start:end]`` ends with an abbreviation or an initial (its full stop does not
    end the sentence).  Reads a bounded window: a thousand ``Mr.`` in a row is one sentence, and
    rereading it from its start at each of them would be quadratic."""
    lo = max(start, end - _LAST_WORD)
    words = text[lo:end].rstrip("”\"’')]»").split()
    if not words or (len(words) == 1 and lo > start and not text[lo - 1].isspace() and not text[lo].isspace()):
        return False  # no word, or one longer than the window
    last_word = words[-1].lower().rstrip(".")
    return last_word in abbreviations or (len(last_word) == 1 and "a" <= last_word <= "z")
