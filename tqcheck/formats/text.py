"""Plain text: the file is its own prose, offsets one to one."""
from __future__ import annotations

from ..core.document import Document


def load(path: str, content: str) -> Document:
    return Document(path, content, "txt")
