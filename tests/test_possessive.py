"""Possessive repeats (``rules/possessive.py``): made only where giving characters back cannot
help, so every pattern matches exactly where and what it matched before."""
from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from tqcheck.rules.compiled import _parse, compile_bounded

# Shorter than every cap of ``compiled``: on these texts the caps change nothing, so the rewritten
# pattern must match exactly as Python's own compile of the pattern does.
ALPHABET = ["a", "b", "x", "A", "1", "7", " ", "\t", "\n", "”", ")", ".", ",", "é"]
PATTERNS = [
    r"(?<![\w.])\w+[”\"’')\]]*(?=[ \t]*(?:\n[ \t]*\n|\s*\Z))",
    r"\d+\s", r"\w+\w", r"a+b", r"(?i:a+A)", r"a+(?=b)", r"a+$", r"(?m:a+$)", r"\d{1,3}(?:[ ]\d{3})+",
    r"\w+(?:x)?", r"[a-z]+ ", r"a+", r"[ab]+(?:b|x)", r"[^a]+a", r"\s+\S", r"\w+(?=\s|\Z)", r"x*(?:a|1)+\.",
    r"[a-z]+\d", r"\d*[.,]?\d+", r"(?:ab)+a", r"a*(?!b)b", r"(a+)\1", r"\w+\b\.", r"[1-7]+[0-9]",
    r"(?a:[é]+\W)", r"(?a)[é]+\W", r"[é]+\W",
]


def _ops(pattern: str) -> list[str]:
    return [str(op) for op, _ in _parse(pattern, 0)[0].data]


def test_a_repeat_is_possessive_only_where_what_follows_cannot_start_with_its_characters():
    assert _ops(r"\d+\s") == ["POSSESSIVE_REPEAT", "IN"]
    assert _ops(r"(?<![\w.])\w+[”\"’')\]]*(?=[ \t]*(?:\n[ \t]*\n|\s*\Z))")[1:3] == ["POSSESSIVE_REPEAT"] * 2
    assert _ops(r"[a-z]+ ")[0] == "POSSESSIVE_REPEAT"
    assert _ops(r"\w+\w")[0] == "MAX_REPEAT"  # \w can follow: it must give one back
    assert _ops(r"[1-7]+[0-9]")[0] == "MAX_REPEAT"
    assert _ops(r"a+")[0] == "MAX_REPEAT"  # what follows the pattern is unknown
    assert _ops(r"\w+(?:x)?")[0] == "MAX_REPEAT"
    assert _ops(r"[é]+\W")[0] == "POSSESSIVE_REPEAT" and _ops(r"(?a)[é]+\W")[0] == "MAX_REPEAT"  # é is \W in ASCII
    ignoring_case = _parse(r"(?i:a+A)", 0)[0].data[0][1][3]  # the group's own items
    assert str(ignoring_case.data[0][0]) == "MAX_REPEAT"  # "a" and "A" are one letter here


@pytest.mark.parametrize("pattern", PATTERNS)
def test_possessive_repeats_match_exactly_as_before(pattern):
    rnd = random.Random(pattern)
    ours, plain = compile_bounded(pattern), re.compile(pattern)
    for _ in range(400):
        text = "".join(rnd.choice(ALPHABET) for _ in range(rnd.randint(0, 12)))
        assert [m.span() for m in ours.finditer(text)] == [m.span() for m in plain.finditer(text)], text
        for pos in range(len(text) + 1):
            a, b = ours.match(text, pos), plain.match(text, pos)
            assert (a and a.span()) == (b and b.span()), (text, pos)


def test_stored_programs_are_keyed_by_the_rewriting_code(tmp_path, monkeypatch):
    """A program stored by other rewriting code is never reused: the cache key holds a digest of
    the rewriting modules' source, so a change to ``possessive.py`` makes a new key by itself."""
    from tqcheck.rules import compiled, possessive

    assert compiled.REWRITES == compiled._rewrites()
    changed = tmp_path / "possessive.py"
    changed.write_text(Path(possessive.__file__).read_text() + "\n# another rewrite\n")
    monkeypatch.setattr(possessive, "__file__", str(changed))
    assert compiled._rewrites() != compiled.REWRITES
