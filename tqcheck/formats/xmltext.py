"""The text of one XML element, as pieces that map back to the characters of the file.

A parser (lxml, under translate-toolkit) gives the text but not where each character came from;
this walks the element's raw inner XML once: plain text is copied, an entity or CDATA section
stands for its raw form, inline codes are markup (their native code, e.g. XLIFF 1.2 ``<ph>``,
with them; a placeholder code reads as one character) and a line break with its indentation
reads as one space, as XML whitespace does.
"""
from __future__ import annotations

import html
import re

from ..core.document import PLACEHOLDER

_TOKEN = re.compile(
    r"<!\[CDATA\[(?P<cdata>.*?)\]\]>"
    r"|<!--.*?-->|<\?.*?\?>"
    r"|<(?P<close>/)?(?:[\w.-]+:)?(?P<name>[\w.-]+)(?P<attrs>[^>]*?)(?P<empty>/)?>"
    r"|(?P<entity>&#?\w+;)"
    r"|(?P<newline>[ \t\r]*\n\s*)",
    re.S,
)
_HEX = re.compile(r"""\bhex\s*=\s*["']([0-9A-Fa-f]+)["']""")


def element_pieces(content: str, start: int, end: int, native: frozenset[str],
                   placeholders: frozenset[str]) -> list[tuple[str | None, int, int]]:
    """Pieces of ``content[start:end]``, the raw inner XML of an element.

    ``native`` names the inline elements whose content is native code, not text; ``placeholders``
    those that stand for content the text leaves out (XLIFF ``<ph>``, ``<x/>``), which read as
    :data:`~tqcheck.core.document.PLACEHOLDER`.  An inline element is a piece that starts with ``<``
    (markup); the tags around text (``<g>``, ``<mrk>``) are left out, as gaps.
    """
    pieces: list[tuple[str | None, int, int]] = []
    depth = 0  # inside how many native-code elements
    element_start = start
    pos = start
    for m in _TOKEN.finditer(content, start, end):
        if not depth and m.start() > pos:
            pieces.append((None, pos, m.start()))
        pos = m.end()
        if m.group("name"):
            name = m.group("name")
            if name in native and not m.group("empty"):
                if not depth:
                    element_start = m.start()
                depth += -1 if m.group("close") else 1
                if not depth:
                    pieces.append((PLACEHOLDER if name in placeholders else "", element_start, m.end()))
            elif depth:
                continue
            elif name == "cp":  # XLIFF 2.0 code point
                hex_value = _HEX.search(m.group("attrs") or "")
                if hex_value:
                    pieces.append((chr(int(hex_value.group(1), 16)), m.start(), m.end()))
            elif name in placeholders and m.group("empty"):
                pieces.append((PLACEHOLDER, m.start(), m.end()))
        elif depth:
            continue
        elif m.group("cdata") is not None:
            pieces.append((None, m.start("cdata"), m.end("cdata")))
        elif m.group("entity"):
            pieces.append((html.unescape(m.group("entity")), m.start(), m.end()))
        elif m.group("newline") is not None:
            pieces.append((" ", m.start(), m.end()))
    if not depth and end > pos:
        pieces.append((None, pos, end))
    return pieces
