"""The characters a pattern can start with, as a regex class, so the combined matcher can skip
positions no rule can match at.

The engine compiles every rule into one regular expression; without a guard, Python's matcher
tries each rule at every character.  A leading ``(?=[...])`` of the possible first characters lets
it reject most positions with one test.  Works on the parsed pattern (``re._parser``); anything it
cannot bound (``.``, negated classes) returns None and the caller simply goes without the guard.
"""
from __future__ import annotations

import re
from re import _constants as C  # noqa: N812 - the parser's opcode names
from re import _parser

_CATEGORIES = {C.CATEGORY_DIGIT: r"\d", C.CATEGORY_SPACE: r"\s", C.CATEGORY_WORD: r"\w"}


class _Unbounded(Exception):
    """The pattern can start with too many characters to be worth a guard."""


def _char(code: int, ignorecase: bool) -> set[str]:
    ch = chr(code)
    chars = {ch, ch.lower(), ch.upper()} if ignorecase else {ch}
    return {re.escape(c) if len(c) == 1 else re.escape(ch) for c in chars}


def _in(items: list, ignorecase: bool) -> set[str]:
    out: set[str] = set()
    for op, arg in items:
        if op is C.LITERAL:
            out |= _char(arg, ignorecase)
        elif op is C.RANGE:
            lo, hi = arg
            out.add(f"{re.escape(chr(lo))}-{re.escape(chr(hi))}")
            if ignorecase:
                out.add(f"{re.escape(chr(lo).swapcase())}-{re.escape(chr(hi).swapcase())}")
        elif op is C.CATEGORY and arg in _CATEGORIES:
            out.add(_CATEGORIES[arg])
        else:
            raise _Unbounded
    return out


def _first(items: list, ignorecase: bool) -> tuple[set[str], bool]:
    """First characters of a sequence, and whether the sequence can match the empty string."""
    out: set[str] = set()
    for op, arg in items:
        if op in (C.ASSERT, C.ASSERT_NOT, C.AT):
            continue  # zero-width: look at what follows
        if op is C.LITERAL:
            return out | _char(arg, ignorecase), False
        if op is C.IN:
            return out | _in(arg, ignorecase), False
        if op is C.SUBPATTERN:
            _, add_flags, del_flags, sub = arg
            case = (ignorecase or bool(add_flags & re.I)) and not del_flags & re.I
            chars, empty = _first(list(sub), case)
        elif op is C.BRANCH:
            chars, empty = set(), False
            for branch in arg[1]:
                b_chars, b_empty = _first(list(branch), ignorecase)
                chars |= b_chars
                empty |= b_empty
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            low, _, sub = arg
            chars, empty = _first(list(sub), ignorecase)
            empty = empty or low == 0
        else:
            raise _Unbounded
        out |= chars
        if not empty:
            return out, False
    return out, True


def first_class(pattern: str) -> str | None:
    """``[...]`` of every character a match of ``pattern`` can start with, or None if unbounded."""
    try:
        chars, empty = _first(list(_parser.parse(pattern)), False)
    except (_Unbounded, re.error, TypeError, ValueError):
        return None
    if empty or not chars:
        return None
    return "[" + "".join(sorted(chars)) + "]"
