"""Compile the combined rule pattern once per rule set and keep the compiled program in the cache.

The combined pattern of all English-target packs is a few hundred kilobytes; Python's regex
compiler (written in Python) takes a few tenths of a second on it, more than a whole scan of an
article should.
The compiled program is a list of integers that ``_sre.compile`` accepts directly, so it is stored
(marshal) under a key made of the pattern, the Python version and the ``_sre`` magic number.  Any
mismatch or error falls back to ``re.compile``: the cache can only save time, never change results.
"""
from __future__ import annotations

import hashlib
import re
import sys
from typing import Any

from ..cache import cached_marshal


def _program(pattern: str) -> dict[str, Any]:
    from re import _compiler, _parser

    parsed = _parser.parse(pattern, 0)
    code = _compiler._code(parsed, 0)
    groupindex = dict(parsed.state.groupdict)
    indexgroup = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return {
        "pattern": pattern, "flags": int(parsed.state.flags), "code": [int(c) for c in code],
        "groups": parsed.state.groups - 1, "groupindex": groupindex, "indexgroup": tuple(indexgroup),
    }


def compile_cached(pattern: str) -> re.Pattern[str]:
    """``re.compile(pattern)``, reusing a cached compiled program when one matches exactly."""
    try:
        import _sre

        digest = hashlib.sha256(pattern.encode("utf-8")).hexdigest()[:24]
        version = f"{sys.implementation.name}{sys.version_info[0]}{sys.version_info[1]}-{_sre.MAGIC}"
        program = cached_marshal(f"matcher-{version}-{digest}.marshal", lambda: _program(pattern))
        if program.get("pattern") != pattern:
            raise ValueError("cache entry for another pattern")
        return _sre.compile(pattern, program["flags"], program["code"], program["groups"],
                            program["groupindex"], tuple(program["indexgroup"]))
    except Exception:  # noqa: BLE001 - any surprise from private APIs: compile the normal way
        return re.compile(pattern)
