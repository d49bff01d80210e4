"""Filters usable in suggestion templates: ``{1|ordinal}`` applies ``ordinal`` to group 1.

They let a rule stay data while its suggestion needs a little arithmetic (21e → 21st).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def ordinal(value: str) -> str:
    """``"21"`` → ``"21st"``."""
    n = int(value)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def roman(value: str) -> str:
    """``"XXI"`` → ``"21"``."""
    total = 0
    values = [_ROMAN[c] for c in value.upper()]
    for i, v in enumerate(values):
        total += -v if i + 1 < len(values) and values[i + 1] > v else v
    return str(total)


def number(value: str) -> str:
    """French number format to English: ``"5,5"`` → ``"5.5"``, ``"600 000"`` → ``"600,000"``."""
    value = re.sub(r"[\s\u00a0\u202f.](?=\d{3}\b)", ",", value)
    return re.sub(r",(?=\d{1,2}\b|\d{4,})", ".", value) if "," in value and not re.search(r",\d{3}\b", value) else value


def decimal(value: str) -> str:
    """Decimal comma to decimal point: ``"49,93"`` → ``"49.93"``."""
    return value.replace(",", ".")


def thousands(value: str) -> str:
    """A whole number with English thousands separators, whatever grouped it before (space, dot,
    apostrophe) or none: ``"600 000"`` → ``"600,000"``, ``"40000"`` → ``"40,000"``."""
    digits = re.sub(r"[\s\u00a0\u202f.',]", "", value)
    return re.sub(r"(?<=\d)(?=(?:\d{3})+$)", ",", digits)


def nospace(value: str) -> str:
    return re.sub(r"\s+", "", value)


FILTERS: dict[str, Callable[[str], str]] = {
    "ordinal": ordinal,
    "roman": roman,
    "number": number,
    "decimal": decimal,
    "thousands": thousands,
    "nospace": nospace,
    "lower": str.lower,
    "upper": str.upper,
    "capitalize": lambda s: s[:1].upper() + s[1:],
    "strip": str.strip,
}

_FIELD = re.compile(r"\{(\w+)((?:\|\w+)*)\}")


def check_template(template: str) -> None:
    """Raise ``ValueError`` for an unknown filter, so a bad pack fails at load time."""
    for m in _FIELD.finditer(template):
        for name in m.group(2).split("|")[1:]:
            if name not in FILTERS:
                raise ValueError(f"unknown filter {name!r} in {template!r}")


def expand(template: str, match: re.Match[str]) -> str:
    """Fill ``{N}`` / ``{N|filter}`` fields with group N of ``match`` (0 = the whole match)."""
    if "{" not in template:
        return template  # most messages and suggestions: nothing to fill, no substitution to run
    fields, tail = _fields(template)
    out: list[str] = []
    for text, group, filters in fields:
        value = match.group(group) or ""
        for f in filters:
            value = f(value)
        out += (text, value)
    out.append(tail)
    return "".join(out)


_Field = tuple[str, int | str, tuple[Callable[[str], str], ...]]


@lru_cache(maxsize=4096)
def _fields(template: str) -> tuple[tuple[_Field, ...], str]:
    """``template`` read once (a rule's templates are expanded at every hit): for each field, the
    text before it, its group and its filters; and the text after the last field."""
    out: list[_Field] = []
    pos = 0
    for m in _FIELD.finditer(template):
        key = m.group(1)
        out.append((template[pos:m.start()], int(key) if key.isdigit() else key,
                    tuple(FILTERS[name] for name in m.group(2).split("|")[1:])))
        pos = m.end()
    return tuple(out), template[pos:]
