"""Compile rule patterns with bounded repeats, and keep the combined pattern's program in the cache.

**Bounded repeats.**  Python's matcher backtracks: a pattern such as ``[ \\t]*”`` tried at every
position of a run of 100,000 spaces walks to the end of the run each time (quadratic), and
``\\d{1,3}(?:[ ]\\d{3})+`` matches from every digit group of a long run of groups to its end.  Every
rule pattern is therefore compiled with each unbounded repeat (``*``, ``+``, ``{n,}``) capped:
``MAX_LEADING`` for a repeat a match starts with (tried again at each position of a run),
``MAX_CHARS`` repetitions of a single character further in (``[^\\n]*``: a boilerplate line),
``MAX_GROUPS`` of anything longer (``(?:[ ]\\d{3})+``: a number's digit groups).  A match attempt
then costs a bounded number of steps wherever it starts, so a scan is linear in the text.  A cap
can only make a positive pattern match less: repeats inside negative lookarounds are left alone, so
``(?!…)`` never succeeds where it would have failed.  A run longer than a cap is matched piece by
piece; the engine does not match a key again inside its own last match, and the pieces are one
finding (``core.runs.merge_runs``).

**The cache.**  The combined pattern of all English-target packs is a few hundred kilobytes;
Python's regex compiler (written in Python) takes a few tenths of a second on it, more than a whole
scan of an article should.  The compiled program is a list of integers that ``_sre.compile``
accepts directly, so it is stored (marshal) under a key made of the pattern, the caps, the Python
version and the ``_sre`` magic number.  Any mismatch or error falls back to compiling again: the
cache can only save time, never change results.  The patterns compiled alone (each key a text
reaches, each rule's context conditions: a few hundred for an article, a tenth of its rules-only
scan to compile) share one entry instead (:func:`compile_stored`).
"""
from __future__ import annotations

import _sre
import atexit
import hashlib
import re
import sys
from array import array
from pathlib import Path
from re import _compiler, _parser  # type: ignore[attr-defined]  # typeshed omits re's private modules
from re import _constants as C  # type: ignore[attr-defined]
from typing import Any

from .._version import __version__
from ..cache import cached_marshal, read_marshal, write_marshal
from . import possessive
from .possessive import OTHER_CLASSES, make_possessive

#: Cap on an unbounded repeat of one character: a line, a word or a run of spaces longer than
#: this is matched in pieces.
MAX_CHARS = 1000
#: Cap on an unbounded repeat of a group (``(?:[ ]\d{3})+``): its items are several characters.
MAX_GROUPS = 20
#: Cap on a repeat a match starts with (``[ \t]*”``): it is tried again at each position of a run,
#: so its cap costs steps at every character of the run.
MAX_LEADING = 16


def _rewrites() -> str:
    """A digest of the code that rewrites a parsed pattern (this module's caps and
    ``possessive.make_possessive``): part of the cache key, so a program stored by other rewriting
    code is never used, without a number to bump by hand when that code changes."""
    digest = hashlib.sha256()
    for module in (__file__, possessive.__file__):
        try:
            digest.update(Path(module).read_bytes())
        except (OSError, TypeError):  # no source file (a frozen build): the package's version
            digest.update(__version__.encode())
    return digest.hexdigest()[:12]


#: Which rewrites of the parsed pattern a stored program has (see :func:`_rewrites`).
REWRITES = _rewrites()
_ONE_CHAR = (C.LITERAL, C.NOT_LITERAL, C.IN, C.ANY, C.CATEGORY)
_REPEATS = (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT)


def _bound(sub: _parser.SubPattern, positive: bool = True, leading: bool = True) -> None:
    """Cap the unbounded repeats of ``sub`` in place, outside negative lookarounds.

    ``leading``: ``sub`` stands where a match (or a lookahead) starts, so its first repeat is
    tried afresh at every position of a run and gets the smaller cap ``MAX_LEADING``.
    """
    sub.width = None  # the parser caches widths; they change with the caps
    for i, (op, av) in enumerate(sub.data):
        if op in _REPEATS:
            low, high, item = av
            if high == C.MAXREPEAT and positive:
                single = len(item.data) == 1 and item.data[0][0] in _ONE_CHAR
                cap = MAX_LEADING if leading else MAX_CHARS if single else MAX_GROUPS
                sub.data[i] = (op, (low, max(low, cap), item))
            _bound(item, positive, False)
        elif op is C.SUBPATTERN:
            _bound(av[3], positive, leading)
        elif op is C.ATOMIC_GROUP:
            _bound(av, positive, leading)
        elif op is C.BRANCH:
            for branch in av[1]:
                _bound(branch, positive, leading)
        elif op is C.ASSERT:
            _bound(av[1], positive, True)
        elif op is C.ASSERT_NOT:
            _bound(av[1], not positive, True)
        elif op is C.GROUPREF_EXISTS:
            _bound(av[1], positive, False)
            if av[2] is not None:
                _bound(av[2], positive, False)
        if op not in (C.AT, C.ASSERT, C.ASSERT_NOT):
            leading = False


def _parse(pattern: str, flags: int) -> tuple[_parser.SubPattern, list[int], tuple[str | None, ...]]:
    """The parsed pattern with its repeats capped, its compiled code and its group names."""
    parsed = _parser.parse(pattern, flags)
    _bound(parsed)
    if not parsed.state.flags & OTHER_CLASSES:
        make_possessive(parsed, bool(parsed.state.flags & C.SRE_FLAG_IGNORECASE))
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in parsed.state.groupdict.items():
        indexgroup[index] = name
    return parsed, _compiler._code(parsed, flags), tuple(indexgroup)


def _program(pattern: str, flags: int = 0) -> dict[str, Any]:
    parsed, code, indexgroup = _parse(pattern, flags)
    return {
        "pattern": pattern, "flags": int(parsed.state.flags), "code": [int(c) for c in code],
        "groups": parsed.state.groups - 1, "groupindex": dict(parsed.state.groupdict), "indexgroup": indexgroup,
    }


def compile_bounded(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)`` with the repeats capped (a ``re.error`` for a bad pattern)."""
    try:
        parsed, code, indexgroup = _parse(pattern, flags)
        return _sre.compile(pattern, parsed.state.flags, code, parsed.state.groups - 1,
                            dict(parsed.state.groupdict), indexgroup)
    except re.error:
        raise
    except Exception:  # noqa: BLE001 - a surprise from private APIs: the plain compile
        return re.compile(pattern, flags)


def compile_cached(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """:func:`compile_bounded`, reusing a cached compiled program when one matches exactly."""
    try:
        caps = f"{MAX_CHARS}\0{MAX_GROUPS}\0{MAX_LEADING}\0{REWRITES}"
        digest = hashlib.sha256(f"{pattern}\0{flags}\0{caps}".encode()).hexdigest()[:24]
        version = f"{sys.implementation.name}{sys.version_info[0]}{sys.version_info[1]}-{_sre.MAGIC}"
        program = cached_marshal(f"matcher-{version}-{digest}.marshal", lambda: _program(pattern, flags))
        if program.get("pattern") != pattern:
            raise ValueError("cache entry for another pattern")
        return _sre.compile(pattern, program["flags"], program["code"], program["groups"],
                            program["groupindex"], tuple(program["indexgroup"]))
    except Exception:  # noqa: BLE001 - any surprise from private APIs or the cache: compile again
        return compile_bounded(pattern, flags)


#: The most programs :func:`compile_stored` keeps between runs (the most recently added).
MAX_STORED = 2000
#: What a stored program is valid for: the Python, its matcher, the caps, the size of a code word.
_STORE = (f"programs-{sys.implementation.name}{sys.version_info[0]}{sys.version_info[1]}-{_sre.MAGIC}-"
          f"{MAX_CHARS}-{MAX_GROUPS}-{MAX_LEADING}-{REWRITES}-{array('I').itemsize}.marshal")
#: A stored program: flags, code (``array("I")`` bytes), groups, group index, index group.
_Stored = tuple[int, bytes, int, dict[str, int], tuple[str | None, ...]]


class _Programs:
    """The programs of patterns compiled alone, kept in one cache entry between runs.

    Read on first use; written back when the process ends if it compiled new ones (a process that
    is killed first only loses those).  The code is kept as bytes, which marshal reads in one
    copy, and becomes the list of integers ``_sre.compile`` takes only for the patterns a run
    uses: an entry of thousands of programs is read in a few milliseconds."""

    def __init__(self) -> None:
        self._programs: dict[str, _Stored] | None = None
        self._added = False

    def compile(self, pattern: str) -> re.Pattern[str]:
        if self._programs is None:
            stored = read_marshal(_STORE)
            self._programs = stored if isinstance(stored, dict) else {}
        program = self._programs.get(pattern)
        if program is None:
            parsed, words, indexgroup = _parse(pattern, 0)
            program = (int(parsed.state.flags), array("I", words).tobytes(), parsed.state.groups - 1,
                       dict(parsed.state.groupdict), indexgroup)
            self._programs[pattern] = program
            if not self._added:
                self._added = True
                atexit.register(self.save)
        flags, code, groups, groupindex, indexgroup = program
        return _sre.compile(pattern, flags, array("I", code).tolist(), groups, groupindex, tuple(indexgroup))

    def save(self) -> None:
        """Write the programs back, the :data:`MAX_STORED` most recently added."""
        if self._programs is not None and self._added:
            write_marshal(_STORE, dict(list(self._programs.items())[-MAX_STORED:]))
            self._added = False


_PROGRAMS = _Programs()


def compile_stored(pattern: str) -> re.Pattern[str]:
    """:func:`compile_bounded` for a pattern compiled alone (a rule's key, its context conditions),
    its program kept between runs (:class:`_Programs`); a ``re.error`` for a bad pattern."""
    try:
        return _PROGRAMS.compile(pattern)
    except re.error:
        raise
    except Exception:  # noqa: BLE001 - a surprise from private APIs or a damaged entry: compile again
        return compile_bounded(pattern)
