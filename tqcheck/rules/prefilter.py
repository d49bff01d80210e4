"""What a pattern can start with, so the combined matcher tries each rule only where it can match.

The engine compiles every rule into one regular expression.  Left alone, Python's matcher would try
all of the few hundred rules at every word start.  Instead each key is filed in a trie under the
guards (case-folded character classes) that its first few characters must pass — ``[Tt][Hh][Ee]``
for ``the …`` — and the scanning pattern walks that trie before it tries any key (``GuardTrie``).
This works on the parsed pattern (``re._parser``); where a key's characters cannot be bounded
(``.``, negated classes) its path stops early, and a key whose first character cannot be bounded is
tried everywhere, so correctness never depends on the guards.
"""
from __future__ import annotations

# No fallback, on purpose: re._parser, re._constants, re._casefix and _sre are CPython's own regular
# expression engine, present in every CPython since 3.11 (requires-python), where ``sre_parse`` became
# ``re._parser``.  Guards must be computed by the parser that will run the pattern, so a hand-written
# stand-in could disagree with it; and tqcheck.rules.compiled needs the same modules to cache compiled
# patterns.  Another Python (PyPy) fails here at import, loudly, rather than matching differently.
import _sre
import re
import sys
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from re import _constants as C  # type: ignore[attr-defined]  # typeshed omits re's private modules
from re import _parser  # type: ignore[attr-defined]
from re._casefix import _EXTRA_CASES
from typing import Any, Generic, TypeVar

from ..cache import cached_marshal

_CATEGORIES = {C.CATEGORY_DIGIT: r"\d", C.CATEGORY_SPACE: r"\s", C.CATEGORY_WORD: r"\w"}
_ZERO_WIDTH = (C.ASSERT, C.ASSERT_NOT, C.AT)
_REPEATS = (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT)
#: How many characters deep the trie goes: after ``the`` the scanner tries only the keys that can
#: start with ``the``. A fourth level gained little on English text for a larger pattern.
DEPTH = 3
#: Under one first character, a key goes only as deep as it has at most this many paths: each path
#: carries a copy of the key, and the combined pattern's one-off compile time grows with its size.
MAX_PATHS = 8
#: Parser nodes visited per key before giving up on guards deeper than the first character.
_BUDGET = 5000

GuardPath = tuple[str, ...]
#: A parsed item with whether case is ignored where it stands: ``(opcode, argument, ignorecase)``.
_Item = tuple[Any, Any, bool]
T = TypeVar("T")


class _Unbounded(Exception):
    """The pattern can start with too many characters to be worth a guard."""


@lru_cache(maxsize=1)
def _upper_cases() -> dict[int, list[int]]:
    """Simple lower case → the other characters that lower-case to it (``k`` → ``K``, Kelvin sign).

    Kept in the cache: walking all code points costs 0.04-0.07 s of CPU, a tenth of a rules-only
    scan of an article (the first context condition of a rule that matches needs it).  The table
    depends only on the Unicode database of this Python, which its version fixes."""
    version = f"{sys.implementation.name}{'.'.join(map(str, sys.version_info[:3]))}-{unicodedata.unidata_version}"
    return cached_marshal(f"uppercases-{version}.marshal", _all_upper_cases)


def _all_upper_cases() -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for code in range(0x110000):
        lower = _sre.unicode_tolower(code)
        if lower != code:
            out.setdefault(lower, []).append(code)
    return out


def _char(code: int) -> str:
    """Guard for one character: every character that ``(?i)`` would match to it, so a key's guard
    holds whether or not it ignores case (Python compares simple lower cases, plus a few extra
    equivalences such as ``s``/``ſ``)."""
    variants = {code}
    if _sre.unicode_iscased(code):
        lower = _sre.unicode_tolower(code)
        for low in (lower, *_EXTRA_CASES.get(lower, ())):
            variants.add(low)
            variants.update(_upper_cases().get(low, ()))
    return "[" + "".join(re.escape(chr(c)) for c in sorted(variants)) + "]"


def _in(items: list, ignorecase: bool) -> set[str]:
    """Guards for a character class; a range only where case matters (``[a-z]`` ignoring case
    would need its other-case range too)."""
    out: set[str] = set()
    for op, arg in items:
        if op is C.LITERAL:
            out.add(_char(arg))
        elif op is C.RANGE and not ignorecase:
            lo, hi = arg
            out.add(f"[{re.escape(chr(lo))}-{re.escape(chr(hi))}]")
        elif op is C.CATEGORY and arg in _CATEGORIES:
            out.add(_CATEGORIES[arg])
        else:
            raise _Unbounded
    return out


def _with_case(items: Sequence, ignorecase: bool) -> list[_Item]:
    """Parsed items tagged with the case flag in force, so that a group's flags end with it."""
    return [(op, arg, ignorecase) for op, arg in items]


def _paths(items: list[_Item], depth: int, budget: list[int]) -> set[GuardPath]:
    """Guard paths covering the first ``depth`` characters of every match of ``items``.

    A path shorter than ``depth`` means a match may end, or its next character cannot be bounded,
    after it; ``()`` therefore means the first character is unknown or the match may be empty.
    Groups, alternatives and repeats are expanded in place, so flags travel with each item.
    """
    budget[0] -= 1
    if budget[0] < 0:
        raise _Unbounded
    if depth == 0 or not items:
        return {()}
    (op, arg, ignorecase), rest = items[0], items[1:]
    if op in _ZERO_WIDTH:
        return _paths(rest, depth, budget)
    if op is C.SUBPATTERN:
        _, add_flags, del_flags, sub = arg
        inner = (ignorecase or bool(add_flags & C.SRE_FLAG_IGNORECASE)) and not del_flags & C.SRE_FLAG_IGNORECASE
        return _paths(_with_case(sub, inner) + rest, depth, budget)
    if op is C.BRANCH:
        return {p for branch in arg[1] for p in _paths(_with_case(branch, ignorecase) + rest, depth, budget)}
    if op in _REPEATS:
        low, high, sub = arg
        out = _paths(rest, depth, budget) if low == 0 else set()
        if high != 0:  # one repetition, then what is left of the repeat
            left = (max(low - 1, 0), high if high == C.MAXREPEAT else high - 1, sub)
            more = [(op, left, ignorecase)] if high != 1 else []
            out |= _paths(_with_case(sub, ignorecase) + more + rest, depth, budget)
        return out
    try:
        if op is C.LITERAL:
            guards = {_char(arg)}
        elif op is C.IN:
            guards = _in(arg, ignorecase)
        else:
            return {()}
    except _Unbounded:
        return {()}
    tails = _paths(rest, depth - 1, budget)
    return {(guard, *tail) for guard in guards for tail in tails}


def _at_line_start(items: list) -> bool:
    """Whether every match of the sequence starts with ``^`` or ``\\A``."""
    for op, arg in items:
        if op is C.AT:
            return arg in (C.AT_BEGINNING_LINE, C.AT_BEGINNING, C.AT_BEGINNING_STRING)
        if op is C.SUBPATTERN:
            return _at_line_start(list(arg[3]))
        if op is C.BRANCH:
            return all(_at_line_start(list(branch)) for branch in arg[1])
        if op not in (C.ASSERT, C.ASSERT_NOT):
            return False
    return False


def at_line_start(pattern: str) -> bool:
    """True when every match of ``pattern`` starts at a line start (``^``, ``\\A``)."""
    try:
        return _at_line_start(list(_parser.parse(pattern)))
    except (re.error, TypeError, ValueError):
        return False


def guard_paths(pattern: str, ignorecase: bool = False, depth: int = DEPTH) -> list[GuardPath] | None:
    """The guard paths a match of ``pattern`` can start with, each ``depth`` guards at most; None
    when the first character cannot be bounded (or the match can be empty).

    Under each first character the paths stop at the deepest level with at most ``MAX_PATHS`` of
    them, and a path that only extends a shorter one is left out, so each key sits in the trie as
    few times as possible. A key anchored at line starts (the boilerplate rules) fails at its first
    test anywhere else, so it gets first characters only: deeper, it would only be copied.
    """
    try:
        parsed = _parser.parse(pattern)
    except (re.error, TypeError, ValueError):
        return None
    items = _with_case(parsed, ignorecase or bool(parsed.state.flags & C.SRE_FLAG_IGNORECASE))
    if _at_line_start(list(parsed)):
        depth = 1
    try:
        try:
            paths = _paths(items, depth, [_BUDGET])
        except _Unbounded:  # too intricate to look deeper: the first character only
            paths = _paths(items, 1, [_BUDGET])
    except _Unbounded:
        return None
    if () in paths:
        return None
    out: list[GuardPath] = []
    for first in sorted({p[0] for p in paths}):
        branch = [p for p in paths if p[0] == first]
        level = max(d for d in range(1, depth + 1) if d == 1 or len({p[:d] for p in branch}) <= MAX_PATHS)
        cut = {p[:level] for p in branch}
        out += sorted(p for p in cut if not any(p[:len(q)] == q for q in cut if len(q) < len(p)))
    return out


def first_guards(pattern: str, ignorecase: bool = False) -> set[str] | None:
    """Regex classes (``[Aa]``, ``\\d``, ``[0-9]``) covering every first character of a match of
    ``pattern``, case-folded; None when that cannot be bounded."""
    paths = guard_paths(pattern, ignorecase, 1)
    return None if paths is None else {p[0] for p in paths}


@dataclass
class GuardTrie(Generic[T]):
    """Entries (keys) filed under guard paths, turned into one pattern that tests each character
    once per level.

    Python's matcher tries the alternatives of ``a|b|…`` in turn, but skips one without entering it
    when it starts with a plain character or class test. So each level's guard consumes its
    character (``[Tt](?:[Hh]…|[Oo]…)``), and at a trie node a lookbehind steps back over the path
    and a lookahead runs the node's keys from where the path began. The match therefore spans the
    path, not the key: it tells where some key matches, and the caller finds which.
    """

    children: dict[str, GuardTrie[T]] = field(default_factory=dict)
    entries: list[T] = field(default_factory=list)

    def add(self, path: GuardPath, entry: T) -> None:
        """File ``entry`` under ``path``, once."""
        node = self
        for guard in path:
            node = node.children.setdefault(guard, GuardTrie())
        if entry not in node.entries:
            node.entries.append(entry)

    def pattern(self, render: Callable[[list[T]], str], depth: int = 0) -> str:
        """The regex for this node, ``depth`` characters into a match; ``render`` turns a node's
        entries into one pattern of alternatives. The root's own entries run without a guard."""
        alternatives = [guard + child.pattern(render, depth + 1) for guard, child in sorted(self.children.items())]
        if self.entries:
            keys = render(self.entries)
            alternatives.append(f"(?<=(?={keys})(?s:.{{{depth}}}))" if depth else keys)
        if len(alternatives) == 1 and depth:
            return alternatives[0]
        return "(?:" + "|".join(alternatives) + ")"


def _ends_nonword(items: list) -> bool:
    """Whether the last character a (lookbehind) sequence matches is never a word character."""
    if not items:
        return False
    op, arg = items[-1]
    if op is C.LITERAL:
        return not re.match(r"\w", chr(arg))
    if op is C.IN:
        return all((o is C.LITERAL and not re.match(r"\w", chr(a))) or (o is C.CATEGORY and a == C.CATEGORY_SPACE)
                   for o, a in arg)
    if op is C.SUBPATTERN:
        return _ends_nonword(list(arg[3]))
    if op is C.BRANCH:
        return all(_ends_nonword(list(b)) for b in arg[1])
    if op in (C.MAX_REPEAT, C.MIN_REPEAT) and arg[0] >= 1:
        return _ends_nonword(list(arg[2]))
    return False


def _after_nonword(items: list) -> bool:
    """Whether the sequence can only match where no word character precedes it."""
    for op, arg in items:
        if op is C.AT:
            return arg in (C.AT_BEGINNING_LINE, C.AT_BEGINNING, C.AT_BEGINNING_STRING)
        if op is C.ASSERT_NOT and arg[0] == -1:
            sub = list(arg[1])
            return len(sub) == 1 and sub[0][0] is C.IN and (C.CATEGORY, C.CATEGORY_WORD) in sub[0][1]
        if op is C.ASSERT and arg[0] == -1:
            return _ends_nonword(list(arg[1]))
        if op is C.SUBPATTERN:
            return _after_nonword(list(arg[3]))
        if op is C.BRANCH:
            return all(_after_nonword(list(branch)) for branch in arg[1])
        return False
    return False


def after_nonword(pattern: str) -> bool:
    """True when every match of ``pattern`` starts where no word character precedes it: it opens
    with ``^``/``\\A``, ``(?<![\\w…])`` or a lookbehind ending in a non-word character. Such keys
    share the combined matcher's word-start lane and are never tried inside words."""
    try:
        return _after_nonword(list(_parser.parse(pattern)))
    except (re.error, TypeError, ValueError):
        return False


def without_captures(pattern: str) -> str:
    """``pattern`` with its capturing groups made non-capturing.

    In the combined matcher capture groups only cost time (see ``RuleSet._identify``); a key's own
    groups are read from the key compiled alone.  Backreferences therefore cannot be used in rules.
    """
    out: list[str] = []
    i, in_class = 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if in_class:
            if ch == "]" and not (pattern[i - 1] == "[" or pattern[i - 2:i] == "[^"):
                in_class = False
        elif ch == "[":
            in_class = True
        elif ch == "(" and not pattern.startswith("?", i + 1):
            out.append("(?:")
            i += 1
            continue
        out.append(ch)
        i += 1
    return "".join(out)
