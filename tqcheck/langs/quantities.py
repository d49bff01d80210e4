"""Numbers, times, months and weekdays in text, read the way each language writes them.

A source and its translation write the same number differently: French "7 400", "5,5" and "12 h 00"
are English "7,400", "5.5" and "1200 GMT"; "sept" is "seven", "les années 70" "the 1970s".  Each
:class:`Quantity` carries every reading it may have (its keys), and two quantities agree when their
readings meet.  An ambiguous "1,500" (1500 in English, 1.5 in French) therefore matches both,
rather than being reported as a wrong number; the cost is a rare missed error, never a false one.
The word tables are data: the ``numbers``, ``months`` and ``weekdays`` of each language's file
(``langs/<code>.yaml``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from typing import Iterator

from .language import language
from .scripts import HAN

Key = tuple[str, float | str]
_SPACE = "[ \u00a0\u202f]"


@dataclass(frozen=True)
class Quantity:
    """A number found at ``text[start:end]`` with all its readings."""

    start: int
    end: int
    #: ``("n", value)`` numbers, ``("t", minutes)`` times of day, ``("m", month)`` month names,
    #: ``("w", weekday)`` days of the week,
    #: ``("s", text)`` digit strings that read as no number (version numbers, dates with dots).
    keys: frozenset[Key]
    #: Written with digits (words are often idiomatic: "trois fois rien" is "next to nothing").
    digits: bool
    #: False for words that are numbers only sometimes ("one", "first", "un", "neuf").
    reportable: bool = True


@dataclass(frozen=True)
class _Words:
    """The number words of one language (the kinds: the ``numbers`` of its language file).

    cardinal: words joined by hyphens, spaces or a connector ("and", "et") add up ("twenty-five",
      "quatre-vingt-dix"); a hundred or a scale multiplies what precedes it ("three hundred").
    vague: words that are numbers only in a compound or that usually are not numbers at all
      (English "one" is a pronoun, French "un"/"une" an article, "neuf" also means "new"): they may
      match a number of the other side but are never reported on their own.
    ordinal: read as the number they rank ("fifth" = 5); first/second are vague in most languages.
    multiplier: multiply the digit before them and add up within a group (Chinese 三千五百 3,500,
      二十 20, 十五 15); a hundred that is a cardinal does so too ("three hundred and five").
    scale: multiply a preceding number ("2.5 million") or group ("二十万" 200,000); alone they
      stand for their value.

    Han characters are words of their own: Chinese writes no spaces between words, so "三千五百人"
    is four number words and a noun.
    """

    values: dict[str, float]
    kinds: dict[str, str]  # word -> cardinal | vague | ordinal | multiplier | scale
    connectors: frozenset[str]
    #: Calendar words: month name → ("m", month), weekday → ("w", day of the week, Monday = 1).
    calendar: dict[str, tuple[str, int]]
    capitalised: bool
    #: Every word that can start a quantity (numbers and calendar words): a text with none of
    #: them, most sentences, is passed over without the word-by-word reading.
    vocabulary: frozenset[str]


@lru_cache(maxsize=None)
def _words(lang: str | None) -> _Words | None:
    """The words of ``lang``; None for a language with no number or calendar words."""
    known = language(lang)
    if not (known.numbers or known.months or known.weekdays):
        return None
    calendar = {**{k: ("m", v) for k, v in known.months.items()}, **{k: ("w", v) for k, v in known.weekdays.items()}}
    return _Words({w: v for w, (_, v) in known.numbers.items()}, {w: k for w, (k, _) in known.numbers.items()},
                  known.connectors, calendar, known.calendar_capitalised,
                  frozenset(known.numbers) | frozenset(calendar))


_TIME_HM = re.compile(rf"(?<![\d.,:])([01]?\d|2[0-3]){_SPACE}?(?:h|H|:){_SPACE}?([0-5]\d)(?![\d])")
_TIME_H = re.compile(rf"(?<![\d.,:])([01]?\d|2[0-3]){_SPACE}?h(?![\w])")
_TIME_HHMM = re.compile(rf"(?<![\d.,:])([01]\d|2[0-3])([0-5]\d)(?={_SPACE}?(?:GMT|UTC|Z\b|hours?\b|hrs\b))")
_TIME_AMPM = re.compile(rf"(?<![\d.,:])(1[0-2]|0?[1-9])(?:[:.]([0-5]\d))?{_SPACE}?([aApP])\.?{_SPACE}?[mM]\b\.?")
_NUMBER = re.compile(
    rf"(?<![\d.,])(?:\d{{1,3}}(?:{_SPACE}\d{{3}})+(?:,\d+)?(?![\d])|\d+(?:[.,]\d+)*)"
    r"(?P<decade>'?s\b)?"
)
#: A word: a run of letters, or one Han character (Chinese writes its words without spaces).
_WORD = re.compile(rf"[{HAN}]|[^\W\d_{HAN}]+")
_HAN_CHAR = re.compile(f"[{HAN}]")
_WORD_AFTER = re.compile(rf"{_SPACE}?({_WORD.pattern})")
_DIGIT = re.compile(r"\d")


def extract(text: str, lang: str | None, start: int = 0, end: int | None = None) -> list[Quantity]:
    """Every quantity in ``text[start:end]``, in order; number words need a known ``lang``."""
    end = len(text) if end is None else end
    words = _words(lang)
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = []
    # Times first (they hold numbers), then digit numbers, then number words; a quantity that
    # overlaps one found before is another reading of the same characters.
    for q in chain(_digit_quantities(text, start, end, words) if _DIGIT.search(text, start, end) else (),
                   _word_quantities(text, start, end, words) if words else ()):
        if not any(s < q.end and q.start < e for s, e in taken):
            found.append(q)
            taken.append((q.start, q.end))
    return sorted(found, key=lambda q: q.start)


def _digit_quantities(text: str, start: int, end: int, words: _Words | None) -> Iterator[Quantity]:
    """Times of day and numbers written with digits (with a scale word or decade suffix after)."""
    for m in _TIME_HM.finditer(text, start, end):
        h, mi = int(m.group(1)), int(m.group(2))
        keys: set[Key] = {("t", h * 60 + mi), ("n", h)} | ({("n", mi)} if mi else set())
        yield Quantity(m.start(), m.end(), frozenset(keys), True)
    for m in _TIME_HHMM.finditer(text, start, end):
        h, mi = int(m.group(1)), int(m.group(2))
        yield Quantity(m.start(), m.end(), frozenset({("t", h * 60 + mi), ("n", h * 100 + mi)}), True)
    for m in _TIME_AMPM.finditer(text, start, end):
        h, mi = int(m.group(1)) % 12, int(m.group(2) or 0)
        h += 12 if m.group(3).lower() == "p" else 0
        yield Quantity(m.start(), m.end(), frozenset({("t", h * 60 + mi), ("n", int(m.group(1)))}), True)
    for m in _TIME_H.finditer(text, start, end):
        h = int(m.group(1))
        yield Quantity(m.start(), m.end(), frozenset({("t", h * 60), ("n", h)}), True)
    for m in _NUMBER.finditer(text, start, end):
        raw = m.group()[: m.start("decade") - m.start()] if m.group("decade") else m.group()
        keys = {("n", v) for v in readings(raw)} or {("s", re.sub(_SPACE, "", raw))}
        q_end = m.end()
        if m.group("decade"):
            keys |= _decade(raw)
        elif words:
            scale = _scale_after(text, m.end(), end, words)
            if scale:
                factor, q_end = scale
                keys |= {("n", _round(v * factor)) for kind, v in keys if kind == "n" and not isinstance(v, str)}
        yield Quantity(m.start(), q_end, frozenset(keys), True)


def readings(raw: str) -> set[float]:
    """Values a digit string can have: "7,400" is 7400 (English) or 7.4 (French); "5,5" is 5.5;
    "1.234,5" is 1234.5; "7 400" is 7400. Empty for strings that read as no number ("1.2.3")."""
    s = re.sub(_SPACE, "", raw)
    if s.isdigit():
        return {float(s)}
    groups = re.split(r"[.,]", s)
    seps = re.findall(r"[.,]", s)
    out: set[float] = set()
    if len(set(seps)) == 1 and 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:]):
        out.add(float("".join(groups)))  # every separator groups thousands
    grouping = seps[:-1]
    if (not grouping or (len(set(grouping)) == 1 and grouping[0] != seps[-1]
                         and all(len(g) == 3 for g in groups[1:-1]))):
        out.add(_round(float("".join(groups[:-1]) + "." + groups[-1])))  # the last one is decimal
    return out


def _round(value: float) -> float:
    return round(value, 6)


def _decade(raw: str) -> set[Key]:
    """"1970s" is also "70s" ("les années 70"), and "70s" is "1970s" (or "2070s")."""
    value = int(raw) if raw.isdigit() else -1
    if 1000 <= value <= 2099 and value % 10 == 0:
        return {("n", float(value % 100))}
    if 0 <= value < 100 and value % 10 == 0:
        return {("n", float(1900 + value)), ("n", float(2000 + value))}
    return set()


def _scale_after(text: str, pos: int, end: int, words: _Words) -> tuple[float, int] | None:
    m = _WORD_AFTER.match(text, pos, end)
    if m and words.kinds.get(m.group(1).lower()) == "scale":
        return words.values[m.group(1).lower()], m.end()
    return None


def _word_quantities(text: str, start: int, end: int, words: _Words) -> list[Quantity]:
    """Number words: runs of cardinals joined by spaces, hyphens or a connector, ordinals, months."""
    if words.vocabulary.isdisjoint(map(str.lower, _WORD.findall(text, start, end))):
        return []
    out: list[Quantity] = []
    run: list[tuple[int, int, str]] = []  # (start, end, word) of the current run of number words

    def flush() -> None:
        while run and run[-1][2] in words.connectors:
            run.pop()  # a run does not end on "and"
        if run:
            parts = [w for _, _, w in run if w not in words.connectors]
            value = _combine([words.values[p] for p in parts], [words.kinds[p] for p in parts])
            kinds = {words.kinds[p] for p in parts}
            # Han multipliers and scales with no digit before them are mostly parts of words:
            # 十分 "very", 万物 "everything", 千万 "by all means".
            vague = kinds <= {"vague"} or (kinds <= {"multiplier", "scale"} and _HAN_CHAR.match(parts[0]) is not None)
            out.append(Quantity(run[0][0], run[-1][1], frozenset({("n", value)}), False, not vague))
        run.clear()

    for m in _WORD.finditer(text, start, end):
        token, lower = m.group(), m.group().lower()
        if run and text[run[-1][1]:m.start()].strip() not in ("", "-"):
            flush()
        day = _calendar(token, words)
        if day:
            flush()
            keys = {day, ("n", day[1])} if day[0] == "m" else {day}  # "9/11" is 11 September
            out.append(Quantity(m.start(), m.end(), frozenset(keys), False, True))
        elif words.kinds.get(lower) == "ordinal":
            flush()
            out.append(Quantity(m.start(), m.end(), frozenset({("n", words.values[lower])}), False, True))
        elif lower in words.values or (run and lower in words.connectors):
            run.append((m.start(), m.end(), lower))
        else:
            flush()
    flush()
    return out


def _calendar(word: str, words: _Words) -> tuple[str, int] | None:
    """``("m", month)`` or ``("w", weekday)`` when ``word`` names one (capitalised where the
    language requires it), else None."""
    day = words.calendar.get(word.lower())
    return day if day and (word[0].isupper() or not words.capitalised) else None


def _combine(values: list[float], kinds: list[str]) -> float:
    """Value of a run of number words: "quatre-vingt-dix" 90, "three hundred" 300, "deux mille" 2000,
    "三千五百" 3500, "一百万" 1,000,000."""
    total, group, current = 0.0, 0.0, 0.0  # scaled so far, this group's multiplied digits, the digit
    for value, kind in zip(values, kinds):
        if kind == "multiplier" or (value == 100 and kind != "scale"):
            group += max(current, 1.0) * value
            current = 0.0
        elif kind == "scale" or value >= 1000:
            total += max(group + current, 1.0) * value
            group = current = 0.0
        elif value == 20 and current == 4:
            current = 80.0  # quatre-vingt(s)
        else:
            current += value
    return _round(total + group + current)


def is_calendar_word(word: str, lang: str | None) -> bool:
    """Whether ``word`` names a month or a day of the week in ``lang``."""
    words = _words(lang)
    return bool(words and _calendar(word, words))


def keys_of(quantities: list[Quantity]) -> set[Key]:
    return {k for q in quantities for k in q.keys}
