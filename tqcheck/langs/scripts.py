"""Scripts that write words without spaces and without capitals: Chinese, Japanese, Korean.

Checks built for alphabets take a word to be a run of letters and a name to be a capitalised word.
In Chinese neither holds: "其中有一个叫LIGO的实验" is one run of letters with a capital inside,
and the names of its text are written in Han characters with no capital to find.  These ranges let
the word patterns cut such text at every character and tell a source written in such a script.
"""
from __future__ import annotations

#: Han ideographs (CJK Unified Ideographs, Extension A, Compatibility), as a character-class body.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
#: Han, Japanese kana and Korean Hangul syllables, as a character-class body.
CJK = HAN + "\u3040-\u30ff\uac00-\ud7af"


def mostly_uncased(text: str) -> bool:
    """Whether most letters of ``text`` belong to scripts with no capitals (Han, kana, Hangul,
    Arabic, ...): such a text writes the names a translation spells in Latin letters its own way."""
    letters = [c for c in text if c.isalpha()]
    return sum(not (c.isupper() or c.islower()) for c in letters) * 2 > len(letters)
