"""Every reader of a file format, chosen by the file's suffix (or its first bytes).

A reader is one module of this package (or a third party's object behind an entry point of the
group ``tqcheck.formats``) with ``FORMAT`` (its name: ``txt``, ``md``, ``xliff``), ``SUFFIXES``
(``(".md", ".markdown")``), ``load(path, content) -> Document`` and, optionally,
``sniff(head) -> bool``, which recognises its content when the suffix does not tell (standard
input, an unusual suffix; ``head`` is the first 200 characters, lower-cased).  :data:`READERS`
finds them: plain text (:mod:`.text`), Markdown (:mod:`.markdown`), HTML (:mod:`.html`), and the
bilingual XLIFF, PO and TSV (:mod:`.xliff`, :mod:`.po`, :mod:`.tsv`, built on :mod:`.units`).
Adding a format is adding a file.  :func:`load_path` reads and decodes a file; :func:`load_text`
dispatches already decoded content.
"""
from __future__ import annotations

import codecs
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from ..core.document import Document
from ..core.errors import EmptyInput, InputError
from ..registry import PluginError, Registry
from .large import READ_BYTES, Held, LargeDocument, OnDisk

#: What a file is read as when neither its suffix nor its content tells.
PLAIN_TEXT = "txt"


@dataclass(frozen=True)
class Reader:
    """A file format as the registry found it."""

    name: str
    suffixes: tuple[str, ...]
    load: Callable[[str, str], Document]
    sniff: Callable[[str], bool] | None


def _as_reader(name: str, obj: Any) -> Reader | None:
    fmt, load = getattr(obj, "FORMAT", None), getattr(obj, "load", None)
    if fmt is None or not callable(load):
        return None  # a helper module (units, xmltext)
    suffixes = tuple(getattr(obj, "SUFFIXES", ()))
    if not isinstance(fmt, str) or not all(isinstance(s, str) and s.startswith(".") for s in suffixes):
        raise PluginError("tqcheck.formats", name, "FORMAT must be a string and SUFFIXES like '.md'")
    return Reader(fmt, tuple(s.lower() for s in suffixes), load, getattr(obj, "sniff", None))


#: Every reader: the modules of this package, then entry points; loaded when first asked.
READERS: Registry[Reader] = Registry("formats", __name__, _as_reader, lambda r: r.name)


def formats_by_suffix() -> dict[str, str]:
    """File suffix (``.md``) → format name, for every reader; the first reader to claim a suffix
    keeps it."""
    found: dict[str, str] = {}
    for reader in READERS.all():
        for suffix in reader.suffixes:
            found.setdefault(suffix, reader.name)
    return found


def reader(fmt: str) -> Reader:
    found = READERS.get(fmt)
    if found is None:
        raise ValueError(f"no reader of format {fmt!r}")
    return found
#: Formats whose large files are checked a chunk at a time (``tqcheck/streaming.py``): their prose
#: breaks into paragraphs at blank lines, and a stretch of the file read alone gives its part of
#: the text.  HTML is parsed whole; XLIFF, PO and TSV are units read whole.
STREAMED_FORMATS = frozenset({"txt", "md"})
#: Files of at least this many bytes (characters, from standard input) in a streamed format are
#: checked in chunks.
STREAM_CHARS = 2_000_000


def decode(path: str, data: bytes) -> tuple[str, bool]:
    """Decode UTF-8 bytes, refusing binary data; returns the text and whether it had a BOM."""
    if b"\x00" in data[:8192]:
        raise InputError(path, "binary file, not text")
    bom = data.startswith(b"\xef\xbb\xbf")
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not UTF-8 text (invalid byte 0x{data[exc.start]:02x} at offset {exc.start})") from None
    if not content or content.isspace():  # not strip(): a copy of a large file
        raise EmptyInput(path, "empty input, nothing to check")
    return content, bom


def sniff_format(path: str, content: str) -> str:
    """The format of a file: by its suffix, else the first reader that recognises its content."""
    fmt = formats_by_suffix().get(Path(path).suffix.lower())
    if fmt:
        return fmt
    head = content.lstrip()[:200].lower()
    return next((r.name for r in READERS.all() if r.sniff is not None and r.sniff(head)), PLAIN_TEXT)


def load_text(path: str, content: str, fmt: str | None = None, bom: bool = False) -> Document:
    """Build a document from already decoded ``content`` of format ``fmt`` (sniffed when None)."""
    fmt = fmt or sniff_format(path, content)
    doc = reader(fmt).load(path, content)
    doc.bom = bom
    if not doc.text.strip():
        raise EmptyInput(path, f"no prose to check in this {fmt} file")
    return doc


#: The name standard input is read as and shown under (``--stdin-filename``; its suffix gives the format).
stdin_name = "<stdin>"


def load_path(path: str, whole: bool = True) -> Document:
    """Read and decode a file (``-`` is standard input) into a :class:`Document`.  With ``whole``
    false, a file of :data:`STREAM_CHARS` bytes or more in one of :data:`STREAMED_FORMATS` is not
    read here: it is a ``large.LargeDocument``, which the pipeline reads from disk and checks a
    chunk at a time; standard input of as many characters is held, and checked the same way."""
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
            if not whole and (large := _large(path)) is not None:
                return large
            data = p.read_bytes()
        except OSError as exc:
            raise InputError(path, exc.strerror or "cannot be read") from None
        name = path
    content, bom = decode(name, data)
    del data  # a large file is not held twice
    fmt = sniff_format(name, content)
    if not whole and fmt in STREAMED_FORMATS and len(content) >= STREAM_CHARS:
        return LargeDocument(name, fmt, Held(content), bom=bom)
    return load_text(name, content, fmt, bom)


def _large(path: str) -> Document | None:
    """``path`` as a ``large.LargeDocument`` when it is that large and in a streamed format, told
    from its first bytes; None otherwise, and where those bytes are not clearly text (the file is
    then read whole, which names the problem)."""
    if os.path.getsize(path) < STREAM_CHARS:
        return None
    with open(path, "rb") as f:
        head = f.read(READ_BYTES)
    bom = head.startswith(b"\xef\xbb\xbf")
    try:
        text = codecs.getincrementaldecoder("utf-8")().decode(head[3 if bom else 0:])
    except UnicodeDecodeError:
        return None
    if b"\x00" in head[:8192] or len(text.lstrip()) < 200:
        return None
    fmt = sniff_format(path, text)
    return LargeDocument(path, fmt, OnDisk(path, 3 if bom else 0, decode), bom=bom) if fmt in STREAMED_FORMATS else None
