"""``source_names._similar`` and ``_names`` take shortcuts (issue 9: they were 40 % of checking a bilingual file);
they must not change what they say."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tqcheck.checks.name_variants import edit_distance
from tqcheck.checks.source_names import _capital_runs, _names, _similar


def _reference(a: str, b: str) -> bool:
    """The definition: equal, a shared stem of at least 4 letters and half the shorter word, or
    at most 1 edit (2 from 6 letters) apart."""
    if a == b:
        return True
    short = min(len(a), len(b))
    if short < 4:
        return False
    prefix = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), short)
    if prefix >= max(4, (short + 1) // 2):
        return True
    limit = 1 if short <= 5 else 2
    return edit_distance(a, b, limit) <= limit


WORDS = st.text(alphabet="abcdeé", min_size=0, max_size=10)


@settings(max_examples=1000, deadline=None)
@given(WORDS, WORDS)
def test_similar_is_its_definition(a, b):
    assert _similar(a, b) == _reference(a, b)


@settings(max_examples=300, deadline=None)
@given(WORDS, st.integers(0, 3), WORDS)
def test_similar_on_words_sharing_a_stem(stem, cut, rest):
    a, b = stem + rest, stem + rest[cut:]
    assert _similar(a, b) == _reference(a, b)


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet="aBéÉ ǅϒ1-.'\n", min_size=0, max_size=24), st.integers(0, 4))
def test_names_shortcut_finds_what_reading_every_capital_finds(text, start):
    """``_names`` skips reading the words of a sentence with no capital after its first word."""
    assert _names(text, start, len(text)) == _capital_runs(text, start, len(text))
