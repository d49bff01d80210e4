"""The repeated-word check (``checks/repeated_words.py``): its possessive pattern finds what the
backtracking one did, and a pair decided once is reported alike wherever it comes again."""
from __future__ import annotations

import random
import re

from tqcheck.checks import repeated_words
from tqcheck.core.document import Document

#: The pattern as it was before the word was taken possessively.
_BACKTRACKING = re.compile(r"(?<![\w'’-])(?!\d{3}(?![\w'’-]))(\w+(?:['’-]\w+)*)((?:[ \t]+\1(?![\w'’-]))+)", re.I)


def test_the_possessive_word_finds_what_giving_letters_back_found() -> None:
    rng = random.Random(9)
    pieces = ["the", "The", "a", "non", "-", "'", "’", "believers", "000", "600", " ", " ", "\t", ".", "x", "6-2"]
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 40)))
        expected = [(m.span(), m.groups()) for m in _BACKTRACKING.finditer(text)]
        assert [(m.span(), m.groups()) for m in repeated_words._REPEAT.finditer(text)] == expected, text


def test_a_pair_that_comes_again_is_reported_alike_and_each_case_on_its_own() -> None:
    text = "the the end. The the end. the the end. Bora Bora. very very"
    found = repeated_words.run(Document("a.txt", text), None)  # type: ignore[arg-type]
    assert [(f.text, f.suggestions) for f in found] == [(" the", ("",)), ("The the", ("The",)), (" the", ("",))]
