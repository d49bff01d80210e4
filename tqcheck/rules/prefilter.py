"""What a pattern can start with, so the combined matcher tries each rule only where it can match.

The engine compiles every rule into one regular expression.  Left alone, Python's matcher would try
all of the few hundred rules at every word start.  Instead each rule key goes into buckets by its
possible first character, and the combined pattern tests a bucket's first character once (a cheap
lookahead) before trying only that bucket's rules — a one-level trie over all rules.  This works on
the parsed pattern (``re._parser``); a key whose start cannot be bounded (``.``, negated classes)
goes into an unguarded bucket that is tried everywhere, so correctness never depends on it.
"""
from __future__ import annotations

import re
from re import _constants as C  # noqa: N812 - the parser's opcode names
from re import _parser

_CATEGORIES = {C.CATEGORY_DIGIT: r"\d", C.CATEGORY_SPACE: r"\s", C.CATEGORY_WORD: r"\w"}


class _Unbounded(Exception):
    """The pattern can start with too many characters to be worth a guard."""


def _char(code: int) -> str:
    """Guard for one character, folding case so both cases share a bucket."""
    ch = chr(code)
    variants = sorted({ch, ch.lower(), ch.upper()} - {""}, key=ord)
    variants = [v for v in variants if len(v) == 1]
    return "[" + "".join(re.escape(v) for v in variants) + "]"


def _in(items: list) -> set[str]:
    out: set[str] = set()
    for op, arg in items:
        if op is C.LITERAL:
            out.add(_char(arg))
        elif op is C.RANGE:
            lo, hi = arg
            out.add(f"[{re.escape(chr(lo))}-{re.escape(chr(hi))}]")
        elif op is C.CATEGORY and arg in _CATEGORIES:
            out.add(_CATEGORIES[arg])
        else:
            raise _Unbounded
    return out


def _first(items: list) -> tuple[set[str], bool]:
    """Guards for the first character of a sequence, and whether it can match the empty string."""
    out: set[str] = set()
    for op, arg in items:
        if op in (C.ASSERT, C.ASSERT_NOT, C.AT):
            continue  # zero-width: look at what follows
        if op is C.LITERAL:
            return out | {_char(arg)}, False
        if op is C.IN:
            return out | _in(arg), False
        if op is C.SUBPATTERN:
            chars, empty = _first(list(arg[3]))
        elif op is C.BRANCH:
            chars, empty = set(), False
            for branch in arg[1]:
                b_chars, b_empty = _first(list(branch))
                chars |= b_chars
                empty |= b_empty
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            low, _, sub = arg
            chars, empty = _first(list(sub))
            empty = empty or low == 0
        else:
            raise _Unbounded
        out |= chars
        if not empty:
            return out, False
    return out, True


def first_guards(pattern: str) -> set[str] | None:
    """Regex classes (``[aA]``, ``\\d``, ``[0-9]``) covering every first character of a match of
    ``pattern``, case-folded; None when that cannot be bounded."""
    try:
        guards, empty = _first(list(_parser.parse(pattern)))
    except (_Unbounded, re.error, TypeError, ValueError):
        return None
    return None if empty or not guards else guards


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
