"""Every reader of a file format, chosen by the file's suffix (or its first bytes).

A reader module has ``load(path, content) -> Document``: plain text (:mod:`.text`), Markdown
(:mod:`.markdown`), HTML (:mod:`.html`), and the bilingual XLIFF, PO and TSV (:mod:`.xliff`,
:mod:`.po`, :mod:`.tsv`, built on :mod:`.units`).  :func:`load_path` reads and decodes a file;
:func:`load_text` dispatches already decoded content.
"""
from __future__ import annotations

import sys
from importlib import import_module
from pathlib import Path

from ..core.document import Document
from ..core.errors import EmptyInput, InputError

FORMATS_BY_SUFFIX = {
    ".txt": "txt", ".text": "txt",
    ".md": "md", ".markdown": "md",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    # Bilingual files (tqcheck.formats): the text is the target side, the source rides along.
    ".xlf": "xliff", ".xliff": "xliff", ".po": "po", ".tsv": "tsv",
}
#: Format → the module of this package that reads it.
READERS = {"txt": "text", "md": "markdown", "html": "html", "xliff": "xliff", "po": "po", "tsv": "tsv"}


def decode(path: str, data: bytes) -> tuple[str, bool]:
    """Decode UTF-8 bytes, refusing binary data; returns the text and whether it had a BOM."""
    if b"\x00" in data[:8192]:
        raise InputError(path, "binary file, not text")
    bom = data.startswith(b"\xef\xbb\xbf")
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not UTF-8 text (invalid byte 0x{data[exc.start]:02x} at offset {exc.start})") from None
    if not content.strip():
        raise EmptyInput(path, "empty input, nothing to check")
    return content, bom


def sniff_format(path: str, content: str) -> str:
    fmt = FORMATS_BY_SUFFIX.get(Path(path).suffix.lower())
    if fmt:
        return fmt
    head = content.lstrip()[:200].lower()
    if "<xliff" in head:  # standard input, or an unusual suffix
        return "xliff"
    return "html" if head.startswith(("<!doctype html", "<html")) else "txt"


def load_text(path: str, content: str, fmt: str | None = None, bom: bool = False) -> Document:
    """Build a document from already decoded ``content`` of format ``fmt`` (sniffed when None)."""
    fmt = fmt or sniff_format(path, content)
    doc: Document = import_module(f"{__name__}.{READERS[fmt]}").load(path, content)
    doc.bom = bom
    if not doc.text.strip():
        raise EmptyInput(path, f"no prose to check in this {fmt} file")
    return doc


#: The name standard input is read as and shown under (``--stdin-filename``; its suffix gives the format).
stdin_name = "<stdin>"


def load_path(path: str) -> Document:
    """Read and decode a file (``-`` is standard input) into a :class:`Document`."""
    if path == "-":
        data = sys.stdin.buffer.read()
        name = stdin_name
    else:
        p = Path(path)
        if not p.exists():
            raise InputError(path, "no such file")
        if p.is_dir():
            raise InputError(path, "is a directory")
        try:
            data = p.read_bytes()
        except OSError as exc:
            raise InputError(path, exc.strerror or "cannot be read") from None
        name = path
    content, bom = decode(name, data)
    return load_text(name, content, bom=bom)
