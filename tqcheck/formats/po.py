"""Gettext PO files (polib reads the entries; the ``msgstr`` strings are then found in the file).

Each translated ``msgstr`` (each plural form ``msgstr[n]``) is a unit; its source is ``msgid``
(``msgid_plural`` for the plural forms).  The header entry, obsolete entries and untranslated ones
are skipped.  A ``msgstr`` spans one or more quoted strings; C escapes (``\\n``, ``\\"``) stand for
the characters they decode to, everything else is copied, so offsets stay exact.
"""
from __future__ import annotations

import re

from ..core.document import Document
from ..core.errors import InputError
from .units import Located, Piece, build

_MSGSTR = re.compile(r"^msgstr(?:\[(?P<index>\d+)\])?[ \t]*", re.M)
_STRING = re.compile(r'\s*"(?P<body>(?:[^"\\\n]|\\.)*)"')
_ESCAPE = re.compile(r"\\(.)")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b",
            "f": "\f", "v": "\v"}


#: The format's name, and the file suffixes read as it (``formats/__init__.py``).
FORMAT = "po"
SUFFIXES = (".po",)


def load(path: str, content: str) -> Document:
    return build(path, content, "po", *read(path, content))


def read(path: str, content: str) -> tuple[list[Located], str | None, str | None]:
    import polib

    try:
        catalogue = polib.pofile(content)
    except (OSError, ValueError) as exc:
        raise InputError(path, f"not a valid PO file: {exc}") from None
    line_starts = [0] + [m.end() for m in re.finditer("\n", content)]
    located: list[Located] = []
    for entry in catalogue:
        if entry.obsolete or not entry.msgid:
            continue
        pos = line_starts[min(entry.linenum, len(line_starts)) - 1]
        forms = ({0: entry.msgstr} if not entry.msgid_plural
                 else {int(k): v for k, v in entry.msgstr_plural.items()})
        context = f"{entry.msgctxt}::" if entry.msgctxt else ""
        for m in _MSGSTR.finditer(content, pos):
            index = int(m.group("index") or 0)
            if index not in forms:
                break  # the next entry's msgstr
            pieces, pos = _string_pieces(content, m.end())
            source = entry.msgid_plural if index and entry.msgid_plural else entry.msgid
            unit_id = context + entry.msgid + (f"[{index}]" if entry.msgid_plural else "")
            located.append(Located(unit_id, source, pieces, expected=forms.pop(index)))
            if not forms:
                break
    return located, None, catalogue.metadata.get("Language")


def _string_pieces(content: str, pos: int) -> tuple[list[Piece], int]:
    """Pieces of the quoted strings starting at ``pos``, and the offset after the last one."""
    pieces: list[Piece] = []
    while (m := _STRING.match(content, pos)) is not None:
        start = m.start("body")
        for esc in _ESCAPE.finditer(content, start, m.end("body")):
            if esc.start() > start:
                pieces.append((None, start, esc.start()))
            decoded = _ESCAPES.get(esc.group(1))
            pieces.append((decoded, esc.start(), esc.end()) if decoded is not None
                          else (None, esc.start(), esc.end()))
            start = esc.end()
        if m.end("body") > start:
            pieces.append((None, start, m.end("body")))
        pos = m.end()
    return pieces, pos
