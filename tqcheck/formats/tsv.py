"""Bilingual TSV: one unit a line, tab-separated, no quoting (as sacrebleu, OPUS and most aligners
write it).

Columns are ``source<TAB>target``, or named by a header line with ``source`` and ``target``
(``src``/``tgt`` also do) and optionally ``id``.  Without quoting a field is the raw text between
tabs, so every target maps one to one to the file; a field may be of any length.

A line without a header has exactly two columns: a third could be a note, an id or a second
target, and guessing would check the wrong text, so it is an error that asks for a header.  Under a
header, columns with other names (``note``, ``context``) are the user's own and are not checked,
and a line with more or fewer fields than the header is an error.
"""
from __future__ import annotations

import re

from ..core.document import Document
from ..core.errors import InputError
from .units import Located, build

_NAMES = {"source": "source", "src": "source", "target": "target", "tgt": "target",
          "translation": "target", "id": "id"}
_LINE = re.compile(r"[^\n]*\n?")


def _lines(content: str) -> list[tuple[int, int, str]]:
    """``(line number, offset, text without its line break)`` of every non-blank line, in one pass."""
    out = []
    for number, m in enumerate(_LINE.finditer(content), start=1):
        line = m.group().rstrip("\n").rstrip("\r")
        if line.strip():
            out.append((number, m.start(), line))
    return out


def _header(cells: list[str]) -> dict[str, int] | None:
    """Column of each known name, when the line names both a source and a target column."""
    named = {_NAMES[c.strip().lower()]: i for i, c in enumerate(cells) if c.strip().lower() in _NAMES}
    return named if "source" in named and "target" in named else None


#: The format's name, and the file suffixes read as it (``formats/__init__.py``).
FORMAT = "tsv"
SUFFIXES = (".tsv",)


def load(path: str, content: str) -> Document:
    return build(path, content, "tsv", *read(path, content))


def read(path: str, content: str) -> tuple[list[Located], str | None, str | None]:
    lines = _lines(content)
    header = _header(lines[0][2].split("\t")) if lines else None
    width = len(lines[0][2].split("\t")) if header else 2
    columns = header or {"source": 0, "target": 1}
    located: list[Located] = []
    for number, line_start, line in lines[1:] if header else lines:
        row = line.split("\t")
        if len(row) < 2:
            raise InputError(path, f"line {number}: expected source and target separated by a tab")
        if len(row) != width:
            why = (f"{len(row)} fields where the header has {width}" if header else
                   f"{len(row)} fields; a line holds source<TAB>target, or name the columns in a header "
                   "line (source, target, id, others are ignored)")
            raise InputError(path, f"line {number}: {why}")
        column = columns["target"]
        start = line_start + sum(map(len, row[:column])) + column  # the cells before it and their tabs
        unit_id = row[columns["id"]] if "id" in columns else str(number)
        located.append(Located(unit_id, row[columns["source"]], [(None, start, start + len(row[column]))]))
    return located, None, None
