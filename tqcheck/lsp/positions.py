"""Python ``str`` offsets ↔ LSP positions (line, character in the negotiated encoding's code units).

Findings carry offsets in code points; LSP positions count UTF-16 code units unless the client and
server agree on UTF-8 or UTF-32, so a character outside the Basic Multilingual Plane (an emoji)
counts 2 there.  Lines end at ``\\n``, ``\\r\\n`` or a lone ``\\r``: the three line ends LSP knows
(``str.splitlines`` would also split at U+2028 and form feeds, and shift every line after them).
"""
from __future__ import annotations

import bisect
import re

_LINE_END = re.compile("\r\n|\r|\n")
#: The position encodings of LSP 3.17 (``PositionEncodingKind``).
ENCODINGS = ("utf-8", "utf-16", "utf-32")


def units(text: str, encoding: str = "utf-16") -> int:
    """Length of ``text`` in code units of ``encoding`` (``utf-8``, ``utf-16`` or ``utf-32``)."""
    if encoding == "utf-8":
        return len(text.encode("utf-8", "surrogatepass"))
    if encoding == "utf-32":
        return len(text)
    return len(text) + sum(1 for c in text if ord(c) > 0xFFFF)


class Lines:
    """The line starts of a text, to convert offsets both ways."""

    def __init__(self, text: str, encoding: str = "utf-16") -> None:
        self.text = text
        self.encoding = encoding if encoding in ENCODINGS else "utf-16"
        self.starts = [0] + [m.end() for m in _LINE_END.finditer(text)]

    def position(self, offset: int) -> tuple[int, int]:
        """``(line, character)``, both 0-based, of ``offset`` (clamped to the text)."""
        offset = min(max(offset, 0), len(self.text))
        line = bisect.bisect_right(self.starts, offset) - 1
        return line, units(self.text[self.starts[line]:offset], self.encoding)

    def offset(self, line: int, character: int) -> int:
        """The offset of a position; past the end of its line, the line's end (as LSP says)."""
        if line >= len(self.starts):
            return len(self.text)
        start = self.starts[max(line, 0)]
        end = self.starts[line + 1] if line + 1 < len(self.starts) else len(self.text)
        content = self.text[start:end].rstrip("\r\n")  # a line holds no \r or \n but its end
        counted = 0
        for i, char in enumerate(content):
            if counted >= character:
                return start + i
            counted += units(char, self.encoding)
        return start + len(content)
