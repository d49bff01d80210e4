"""What the bilingual readers (XLIFF 1.2 and 2.0, PO, TSV) share: units located in the file, and the
document built from them.

Each reader uses a library for the structure (translate-toolkit for XLIFF, polib for PO, ``csv``
for TSV) and then finds every target string in the file itself, so that ``Document.text`` — the
targets joined by blank lines — maps back through :class:`~tqcheck.core.document.TextBuilder` to the
exact characters of the file: a finding in an XLIFF target points into the XLIFF, escapes and all.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..core.bilingual import Bilingual, Unit
from ..core.document import PLACEHOLDER, Document, TextBuilder
from ..core.errors import InputError
from ..core.segments import Segment

#: A piece of a target: ``(None, start, end)`` copies ``content[start:end]``; ``(text, start, end)``
#: is ``text`` standing for ``content[start:end]`` (an entity, an escape, a line break; an inline
#: code when that starts with ``<``: ``PLACEHOLDER``, or ``""`` for formatting).
Piece = tuple["str | None", int, int]


@dataclass
class Located:
    """One unit as a reader found it: its source text and where its target lies in the file."""

    id: str
    source: str
    pieces: list[Piece]
    source_codes: tuple[str, ...] = ()
    target_codes: tuple[str, ...] = ()
    #: The target as the library decoded it, to check the pieces against (None: no check).
    expected: str | None = field(default=None, compare=False)

    def text(self, content: str) -> str:
        """The target as checks will read it."""
        return "".join(content[a:b] if text is None else text for text, a, b in self.pieces)


def build(path: str, content: str, fmt: str, located: list[Located],
          source_lang: str | None = None, target_lang: str | None = None) -> Document:
    """The document whose text is the non-empty targets, one paragraph each."""
    builder = TextBuilder()
    units: list[Unit] = []
    for loc in located:
        if not loc.text(content).replace(PLACEHOLDER, "").strip():
            continue  # untranslated unit, or only inline codes: nothing to check
        if loc.expected is not None and _squash(loc.text(content)) != _squash(loc.expected):
            raise InputError(path, f"unit {loc.id!r}: its target could not be located in the file")
        if builder.length:
            at = loc.pieces[0][1]
            builder.synth("\n\n", at, at)
        start = builder.length
        for text, a, b in loc.pieces:
            if text is None:
                builder.copy(content, a, b)
            elif content.startswith("<", a):  # an inline code: markup, not prose
                builder.markup(text, a, b)
            else:
                builder.synth(text, a, b)
        units.append(Unit(Segment(start, builder.length), loc.source, loc.id,
                          loc.source_codes, loc.target_codes))
    text, offset_map = builder.build()
    doc = Document(path, content, fmt, text, offset_map)
    doc.bilingual = Bilingual(units, _lang(source_lang), _lang(target_lang), origin=path)
    return doc


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _lang(code: str | None) -> str | None:
    """``fr-FR``, ``fr_FR`` → ``fr``."""
    if not code:
        return None
    return code.replace("_", "-").split("-")[0].lower() or None
