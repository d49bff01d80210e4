"""One name spelled two ways in one document (Putin / Poutin): the rarer spelling is flagged.

Capitalised words that differ by one or two edits are taken as spellings of one name only with
real evidence, since clean text is full of similar names of different people (Jansen, Janssen;
Horan, Horgan):

- the rarer spelling is rare: at most ``MAX_RARE`` times, against the frequent one at least
  ``MIN_RATIO`` times as often;
- it is not itself a common word of the target language (Iran / Iraq, Austria / Australia);
- both stand in the same name: they share a neighbouring name word (Vladimir Putin, Vladimir
  Poutin).  Two full names with different first names (Anna Jansen, Erik Janssen) never match.

Candidates come from an index of deletions (a pair within two edits shares a string with at most
two letters deleted from each), so a document with thousands of names is not compared pair by pair.
"""
from __future__ import annotations

import bisect
import re
from collections import defaultdict
from typing import Callable, Generic, Iterator, TypeVar

from ..core.document import Document
from ..core.findings import Finding, Fix, Severity
from ..langs.frequency import zipf
from .base import CheckContext, CheckRule

VARIANT = CheckRule(
    id="tq/name-variant",
    category="terminology/inconsistent",
    severity=Severity.MAJOR,
    message="Name spelled two ways in this document",
    why=(
        "Machine translation transliterates names inconsistently (Putin and Poutin, Zelensky and "
        "Zelenski). Readers take two spellings for two people; use one, the one used most."
    ),
    fix=Fix.UNSAFE,
    examples={
        "flag": [{"text": "Vladimir Putin met Modi. Vladimir Putin spoke. Later, Vladimir [[Poutin]] left. "
                          "Vladimir Putin said so."}],
        "pass": [
            {"text": "Putin met Modi. Later, Vladimir Putin left."},
            {"text": "Iran and Iraq signed. Austria and Australia agreed."},
            {"text": "Anna Jansen met Erik Janssen. Erik Janssen spoke, and Erik Janssen left with Erik Janssen."},
            {"text": "Mr Peston wrote it. Mr Preston denied it, Mr Preston said, and Mr Preston left."},
        ],
    },
)
RULES = (VARIANT,)

T = TypeVar("T")

NAME = re.compile(r"\b[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]{3,}\b")
#: A run of capitalised words (and initials) separated by single spaces: one full name.
NAME_RUN = re.compile(r"\b[A-ZÀ-ÖØ-Þ][\w'’-]*(?: [A-ZÀ-ÖØ-Þ][\w'’-]*)*")
#: Titles shared by different people, and capitalised words of titles ("Chorlton And The
#: Wheelies"): not evidence that two spellings are one name.
NOT_NAMES = frozenset({"Mr", "Mrs", "Ms", "Miss", "Dr", "Sir", "Lord", "Lady", "President", "Prime",
                       "Minister", "The", "A", "An", "And", "Of", "In", "On", "At", "For", "To", "With"})
#: A rarer spelling must be rarer than this in the target language (Zipf) to be called a variant.
MAX_VARIANT_ZIPF = 3.0
#: The rarer spelling occurs at most this often, and the frequent one ``MIN_RATIO`` times as often.
MAX_RARE = 2
MIN_RATIO = 3
#: Words either side of a name that count as parts of the same name.
NAME_WINDOW = 3


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, giving up (returning ``limit + 1``) once it exceeds ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def deletions(word: str) -> set[str]:
    """``word`` with up to two letters deleted: two words within two edits share one of these."""
    once = {word[:k] + word[k + 1:] for k in range(len(word))}
    return {word} | once | {w[:k] + w[k + 1:] for w in once for k in range(len(w))}


class Names(Generic[T]):
    """The capitalised words of a document, added a piece at a time (a file checked in chunks,
    ``streaming.py``, adds each chunk): how often each occurs, the name words near it in its run of
    capitalised words, and where it stands (``place`` of its span) while it is rare enough to be a
    variant; beyond :data:`MAX_RARE` only the count matters, so memory grows with the vocabulary,
    not with the text."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = defaultdict(int)
        self.places: dict[str, list[T]] = defaultdict(list)
        self.neighbours: dict[str, set[str]] = defaultdict(set)

    def add(self, text: str, place: Callable[[int, int], T]) -> None:
        counts, places, neighbours_of = self.counts, self.places, self.neighbours  # read per name
        # A run's names are read once per text of the run: a page repeats its capitalised words
        # (a byline, a menu line).
        seen: dict[str, list[tuple[str, int, int, tuple[str, ...]]]] = {}
        for run_match in NAME_RUN.finditer(text):
            run, start = run_match.group(), run_match.start()
            names = seen.get(run)
            if names is None:
                names = seen[run] = _names_in_run(run)
            for form, a, b, near in names:
                counts[form] += 1
                if counts[form] <= MAX_RARE:
                    places[form].append(place(start + a, start + b))
                else:
                    places.pop(form, None)
                neighbours_of[form].update(near)

    def variants(self, lang: str) -> Iterator[tuple[str, str, list[T]]]:
        """``(rare, common, places of rare)`` for each spelling the evidence calls a variant."""
        counts = self.counts
        # Only spellings frequent enough to be the majority go into the index.
        index: dict[str, list[str]] = defaultdict(list)
        for form, n in counts.items():
            if n >= MIN_RATIO:
                for key in deletions(form):
                    index[key].append(form)
        for rare in sorted(counts):
            if counts[rare] > MAX_RARE or zipf(rare, lang) >= MAX_VARIANT_ZIPF:
                continue
            candidates = {f for key in deletions(rare) for f in index.get(key, ())}
            for common in sorted(candidates, key=lambda f: (-counts[f], -zipf(f, lang), f)):
                if _variant(rare, common, counts, self.neighbours):
                    yield rare, common, self.places[rare]
                    break


def _names_in_run(run: str) -> list[tuple[str, int, int, tuple[str, ...]]]:
    """The names of a run of capitalised words (:data:`NAME_RUN`), each with its span in the run
    and its neighbours: the run's own words within :data:`NAME_WINDOW` words of it, so that a long
    run of capitalised words (a headline, a repeated token) costs linear time, not quadratic.
    Read in the run alone: the run starts and ends at a word boundary, all :data:`NAME` reads."""
    words = run.split(" ")
    starts = [0]
    for w in words[:-1]:
        starts.append(starts[-1] + len(w) + 1)
    out = []
    for m in NAME.finditer(run):
        form = m.group()
        i = bisect.bisect_right(starts, m.start()) - 1
        near = words[max(i - NAME_WINDOW, 0):i + NAME_WINDOW + 1]
        out.append((form, m.start(), m.end(), tuple(w for w in near if w != form and w not in NOT_NAMES)))
    return out


def run(doc: Document, ctx: CheckContext) -> list[Finding]:
    names: Names[tuple[int, int]] = Names()
    names.add(doc.text, lambda start, end: (start, end))
    return [VARIANT.finding(doc, s, e, suggestions=[common], confidence=0.7, message=message(rare, common))
            for rare, common, spans in names.variants(ctx.target_lang) for s, e in spans]


def message(rare: str, common: str) -> str:
    return f"“{rare}” is spelled “{common}” elsewhere in this document"


def _variant(rare: str, common: str, counts: dict[str, int], neighbours: dict[str, set[str]]) -> bool:
    """True when the evidence says ``rare`` is a misspelling of ``common`` (module docstring)."""
    if rare.startswith(common) or common.startswith(rare) or rare[0] != common[0]:
        return False  # Putin / Putins, Modi / Modis: inflection, not a variant
    if counts[common] < MIN_RATIO * counts[rare] or not neighbours[rare] & neighbours[common]:
        return False
    limit = 1 if len(common) < 6 else 2
    return edit_distance(common, rare, limit) <= limit
