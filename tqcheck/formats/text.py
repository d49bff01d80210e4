"""Plain text: the file is its own prose, offsets one to one."""
from __future__ import annotations

from ..core.document import Document

#: The format's name, and the file suffixes read as it (``formats/__init__.py``).
FORMAT = "txt"
SUFFIXES = (".txt", ".text")


def load(path: str, content: str) -> Document:
    return Document(path, content, "txt")
