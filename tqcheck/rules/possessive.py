"""Make a repeat possessive where giving characters back can never help the match.

Python's matcher backtracks into every greedy repeat.  ``\\w+[”")]*(?=[ \\t]*\\n)`` (a word at
a paragraph's end) is tried at every word start of a text and fails at almost all of them, and
after each failure the matcher gives back the word's characters one by one, trying the rest again
after each: the cost of a failed attempt grows with the word.  When no character the repeat
matches can start what follows it, a shorter repeat cannot make the rest match (the rest would have
to start with a character the repeat would have taken), so the repeat may keep what it took
(``\\w++``): matches are the same, failures are found at once.  This is the auto-possessification
of PCRE, done here on the parsed pattern (``re._parser``) for the plain cases only; anything not
understood leaves the repeat as it was.
"""
from __future__ import annotations

import re
from re import _constants as C  # type: ignore[attr-defined]  # typeshed omits re's private modules
from re import _parser  # type: ignore[attr-defined]
from typing import Any

#: A character set as the parser gives it: the items of an ``IN`` (``[(LITERAL, 116), ...]``).
_Set = list[tuple[Any, Any]]
#: Categories that share no character.
_DISJOINT = {frozenset({C.CATEGORY_WORD, C.CATEGORY_SPACE}), frozenset({C.CATEGORY_DIGIT, C.CATEGORY_SPACE})}
#: Flags under which ``\\w``, ``\\s`` and ``\\d`` are not the Unicode classes the sets are compared with.
OTHER_CLASSES = C.SRE_FLAG_ASCII | C.SRE_FLAG_LOCALE
#: The most characters of a range spelt out to compare two sets.
_SPELT = 256


class _Unknown(Exception):
    """What may follow cannot be told (the end of the sequence, a back reference, case folding)."""


def make_possessive(sub: _parser.SubPattern, ignorecase: bool) -> None:
    """Turn the greedy single-character repeats of ``sub`` (and of its groups) possessive where
    no character they match can start what follows them in their own sequence.  Not for a
    pattern compiled with ``OTHER_CLASSES`` flags (the caller checks)."""
    data = sub.data
    for i, (op, av) in enumerate(data):
        if op is C.MAX_REPEAT:
            item = av[2]
            repeated = _single(item)
            if repeated is not None and not ignorecase and _never_next(repeated, data[i + 1:], ignorecase):
                data[i] = (C.POSSESSIVE_REPEAT, av)
            else:
                make_possessive(item, ignorecase)
        elif op in (C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            make_possessive(av[2], ignorecase)
        elif op is C.SUBPATTERN and not av[1] & OTHER_CLASSES:
            make_possessive(av[3], _case(ignorecase, av))
        elif op is C.ATOMIC_GROUP:
            make_possessive(av, ignorecase)
        elif op is C.BRANCH:
            for branch in av[1]:
                make_possessive(branch, ignorecase)
        elif op in (C.ASSERT, C.ASSERT_NOT):
            make_possessive(av[1], ignorecase)


def _case(ignorecase: bool, av: Any) -> bool:
    """Whether case is ignored inside a group with these flags."""
    _, add_flags, del_flags, _ = av
    return (ignorecase or bool(add_flags & C.SRE_FLAG_IGNORECASE)) and not del_flags & C.SRE_FLAG_IGNORECASE


def _single(item: _parser.SubPattern) -> _Set | None:
    """The set a repeated item matches when it is one plain character test, else None."""
    if len(item.data) != 1:
        return None
    try:
        op, av = item.data[0]
        return _plain(op, av, False)
    except _Unknown:
        return None


def _never_next(repeated: _Set, rest: list, ignorecase: bool) -> bool:
    """Whether no character of ``repeated`` can be the first one that ``rest`` consumes."""
    try:
        return all(_disjoint(repeated, follower) for follower in _firsts(rest, ignorecase))
    except _Unknown:
        return False


def _firsts(items: list, ignorecase: bool) -> list[_Set]:
    """The sets the next consumed character must be in, one of them; ``_Unknown`` when ``items``
    may end (or its start cannot be told) before consuming, since what follows them is unknown.
    Zero-width assertions are passed over (they only remove matches), except a lookahead whose
    body cannot match without consuming or reaching the end: the next character starts it."""
    out: list[_Set] = []
    for index, (op, av) in enumerate(items):
        rest = items[index + 1:]
        if op is C.LITERAL or op is C.IN:
            return out + [_plain(op, av, ignorecase)]
        if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            low, _, item = av
            if low:
                return out + _firsts(list(item.data) + rest, ignorecase)
            if len(item.data) != 1:
                raise _Unknown
            out += _firsts(list(item.data), ignorecase)
        elif op is C.SUBPATTERN:
            if av[1] & OTHER_CLASSES:
                raise _Unknown
            inner = _case(ignorecase, av)
            if _consumes(av[3], inner):
                return out + _firsts(list(av[3].data), inner)
            if inner != ignorecase:
                raise _Unknown
            return out + _firsts(list(av[3].data) + rest, ignorecase)
        elif op is C.BRANCH:
            return out + [s for branch in av[1] for s in _firsts(list(branch.data) + rest, ignorecase)]
        elif op is C.AT and av == C.AT_END_STRING:
            return out  # nothing follows the end of the text
        elif op is C.AT and av == C.AT_END:
            return out + [[(C.LITERAL, ord("\n"))]]  # the end, or a line break
        elif op is C.ASSERT and av[0] == 1 and _consumes(av[1], ignorecase):
            return out + _firsts(list(av[1].data), ignorecase)
        elif op not in (C.AT, C.ASSERT, C.ASSERT_NOT):
            raise _Unknown
    raise _Unknown


def _plain(op: Any, av: Any, ignorecase: bool) -> _Set:
    """The set of one character test (``LITERAL`` or ``IN`` of literals, ranges and categories)."""
    if ignorecase:
        raise _Unknown
    if op is C.LITERAL:
        return [(C.LITERAL, av)]
    if op is C.IN and all(o in (C.LITERAL, C.RANGE, C.CATEGORY) for o, _ in av):
        return list(av)
    raise _Unknown


def _consumes(sub: _parser.SubPattern, ignorecase: bool) -> bool:
    """Whether every match of ``sub`` consumes a character or reaches the text's end (or a line
    break) before it can end, so that :func:`_firsts` knows its first characters."""
    try:
        _firsts(list(sub.data), ignorecase)
        return True
    except _Unknown:
        return False


def _disjoint(a: _Set, b: _Set) -> bool:
    """Whether no character is in both sets, item by item: an item spelt out against the other,
    or two categories known to share none."""
    for x in a:
        for y in b:
            spelt, other = (x, y) if _spell([x]) is not None else (y, x)
            chars = _spell([spelt])
            if chars is None:
                if not (x[0] is C.CATEGORY and y[0] is C.CATEGORY and frozenset({x[1], y[1]}) in _DISJOINT):
                    return False
            elif any(re.compile(_parser_class([other])).fullmatch(ch) for ch in chars):
                return False
    return True


def _spell(items: _Set) -> list[str] | None:
    """The characters of a set of literals and short ranges, None for categories or long ranges."""
    chars: list[str] = []
    for op, av in items:
        if op is C.LITERAL:
            chars.append(chr(av))
        elif op is C.RANGE and av[1] - av[0] < _SPELT:
            chars += [chr(c) for c in range(av[0], av[1] + 1)]
        else:
            return None
    return chars


_CATEGORY_CLASS = {C.CATEGORY_WORD: r"\w", C.CATEGORY_DIGIT: r"\d", C.CATEGORY_SPACE: r"\s",
                   C.CATEGORY_NOT_WORD: r"\W", C.CATEGORY_NOT_DIGIT: r"\D", C.CATEGORY_NOT_SPACE: r"\S"}


def _parser_class(items: _Set) -> str:
    """A character class for a parsed set (literals, ranges, categories)."""
    parts = []
    for op, av in items:
        if op is C.LITERAL:
            parts.append(re.escape(chr(av)))
        elif op is C.RANGE:
            parts.append(f"{re.escape(chr(av[0]))}-{re.escape(chr(av[1]))}")
        elif op is C.CATEGORY and av in _CATEGORY_CLASS:
            parts.append(_CATEGORY_CLASS[av])
        else:
            raise _Unknown
    return "[" + "".join(parts) + "]"
