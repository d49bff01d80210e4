"""A large plain-text or Markdown file that is never held whole: :class:`LargeDocument`.

``load_path`` makes one of a file too large to read whole; ``tqcheck/streaming.py`` reads it a
chunk at a time and records where each chunk lies (:class:`Bounds`).  Its text comes from disk
(:class:`OnDisk`) or, for standard input, from memory (:class:`Held`).
"""
from __future__ import annotations

import bisect
import codecs
import re
from dataclasses import dataclass
from typing import Any, Callable, Iterator

from ..core.document import Document

#: Bytes read from disk at a time.
READ_BYTES = 1 << 20


@dataclass(frozen=True)
class Bounds:
    """Where a chunk lies in the file: characters ``[start, end)``, bytes ``[byte_start,
    byte_end)`` on disk, and the line breaks before it."""

    start: int
    end: int
    byte_start: int
    byte_end: int
    lines: int


class OnDisk:
    """A UTF-8 file read from disk a block at a time (after a BOM of ``skip`` bytes).  ``decode``
    (``formats.decode``) reads the file whole where a block is not UTF-8, to raise the error it
    raises for any file, with the offset in the file."""

    def __init__(self, path: str, skip: int, decode: Callable[[str, bytes], tuple[str, bool]]) -> None:
        self.path, self.skip, self.decode = path, skip, decode

    def parts(self) -> Iterator[str]:
        decoder = codecs.getincrementaldecoder("utf-8")()
        with open(self.path, "rb") as f:
            f.seek(self.skip)
            try:
                while block := f.read(READ_BYTES):
                    yield decoder.decode(block)
                yield decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                self.whole()  # raises the error of the file read whole, with its offset
                raise

    def read(self, bounds: Bounds) -> str:
        with open(self.path, "rb") as f:
            f.seek(bounds.byte_start)
            return f.read(bounds.byte_end - bounds.byte_start).decode("utf-8")

    def whole(self) -> str:
        with open(self.path, "rb") as f:
            return self.decode(self.path, f.read())[0]


class Held:
    """Text already in memory (standard input)."""

    def __init__(self, content: str) -> None:
        self.content = content

    def parts(self) -> Iterator[str]:
        return (self.content[i:i + READ_BYTES] for i in range(0, len(self.content), READ_BYTES))

    def read(self, bounds: Bounds) -> str:
        return self.content[bounds.start:bounds.end]

    def whole(self) -> str:
        return self.content


class LargeDocument(Document):
    """A file checked a chunk at a time: its chunks are read from ``source`` when needed.  Its
    ``content`` is read whole only when something asks for it (an HTML or SARIF report, the
    baseline, ``report --from``); its ``text`` is never built (its chunks have theirs)."""

    def __init__(self, path: str, fmt: str, source: OnDisk | Held, bom: bool = False) -> None:
        self.source = source
        self._content: str | None = None
        super().__init__(path, "", fmt, bom=bom)
        #: Set by :class:`Plan`: where each chunk lies.
        self.bounds: list[Bounds] = []

    def __post_init__(self) -> None:  # no text: the chunks are read one at a time
        pass

    @property
    def content(self) -> str:
        if self._content is None:
            self._content = self.source.whole()
        return self._content

    @content.setter
    def content(self, value: str) -> None:
        self._content = value or None

    def line_column(self, offset: int) -> tuple[int, int]:
        """As :meth:`Document.line_column`, from the chunk that holds ``offset`` (the last one
        asked is kept: reports ask in file order)."""
        if self._content is not None or not self.bounds:
            return super().line_column(offset)
        if len(self.__dict__.get("_starts", ())) != len(self.bounds):
            self.__dict__["_starts"] = [b.start for b in self.bounds]
        i = max(bisect.bisect_right(self.__dict__["_starts"], offset) - 1, 0)
        starts = self._line_starts_of(i)
        line = bisect.bisect_right(starts, offset - self.bounds[i].start)
        return self.bounds[i].lines + line, offset - self.bounds[i].start - starts[line - 1] + 1

    def _line_starts_of(self, i: int) -> list[int]:
        cached = self.__dict__.get("_chunk_lines")
        if cached is None or cached[0] != i:
            text = self.source.read(self.bounds[i])
            cached = (i, [0] + [m.end() for m in re.finditer("\r\n|\r|\n", text)])
            self.__dict__["_chunk_lines"] = cached
        return cached[1]

    def __getstate__(self) -> dict[str, Any]:  # to a worker process and back: not the chunk cache
        return {k: v for k, v in self.__dict__.items() if k != "_chunk_lines"}
