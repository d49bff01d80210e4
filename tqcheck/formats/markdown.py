"""Markdown: prose without front matter, fenced or inline code, URLs and markup."""
from __future__ import annotations

import re
from typing import Iterator

from ..core.document import Document, TextBuilder

_MD_BLOCK = re.compile(
    r"\A---\n.*?\n---\n"  # front matter
    r"|^[ \t]*(```|~~~).*?^[ \t]*\1[^\n]*$"  # fenced code
    r"|<!--(?P<comment>.*?)-->",
    re.S | re.M,
)
#: The markup that opens a Markdown line: indentation, heading, quote and list markers.
MD_LINE_PREFIX = re.compile(r"[ \t]*(?:#{1,6}[ \t]+|>[ \t]?|[-*+][ \t]+|\d+[.)][ \t]+)*")
_MD_INLINE = re.compile(
    r"(?P<code>`+)(?P<code_body>.+?)(?P=code)"  # inline code: kept, but ignored
    r"|!?\[(?P<link_text>[^\]\n]*)\]\((?P<url>[^)\s]*)(?:[^\S\n]+\"[^\"\n]*\")?\)"  # [text](url)
    r"|<(?P<autolink>https?://[^>\s]+)>"
    r"|(?P<bare_url>https?://\S+[^\s.,;:!?)\]])"
    r"|</?[A-Za-z][^>\n]*>"  # inline HTML tags
    r"|(?P<emph>\*{1,3}|_{1,3})(?=\S)|(?<=\S)(?P<emph_end>\*{1,3}|_{1,3})"
)
#: What the reader acts on: the opening markup of a line after the first (dropped) or an inline
#: element.  No alternative crosses a line end, so one pass over a stretch of lines finds what a
#: pass over each line would, and lines without markup cost no Python work of their own.
_MD_MARKUP = re.compile(rf"(?m:^)(?=[ \t#>*+\-\d])(?P<prefix>{MD_LINE_PREFIX.pattern})|{_MD_INLINE.pattern}")


#: The format's name, and the file suffixes read as it (``formats/__init__.py``).
FORMAT = "md"
SUFFIXES = (".md", ".markdown")


def blocks(content: str) -> Iterator[tuple[int, int]]:
    """The spans of ``content`` read as one block (front matter, fenced code, comments): a reader
    of part of the file (``streaming.py``) must not start or end inside one."""
    return (m.span() for m in _MD_BLOCK.finditer(content))


def load(path: str, content: str) -> Document:
    builder = TextBuilder()
    ignored: list[tuple[int, int]] = []
    comments: list[tuple[int, str]] = []
    pos = 0
    for block in _MD_BLOCK.finditer(content):
        _markdown_inline(builder, content, pos, block.start(), ignored)
        if block.group("comment") is not None:
            comments.append((block.start(), block.group("comment")))
        builder.markup("\n\n", block.start(), block.end())
        pos = block.end()
    _markdown_inline(builder, content, pos, len(content), ignored)
    text, offset_map = builder.build()
    return Document(path, content, "md", text, offset_map, ignored, comments)


def _markdown_inline(builder: TextBuilder, content: str, start: int, end: int, ignored: list) -> None:
    """The lines of ``content[start:end]`` into ``builder``: each line's opening markup dropped
    (the first line's too: after a block it opens a line of its own), inline code and URLs kept
    but ignored, a link read as its text."""
    if start >= end:
        return
    pos = MD_LINE_PREFIX.match(content, start, end).end()  # type: ignore[union-attr]  # it matches ""
    for m in _MD_MARKUP.finditer(content, pos, end):
        kind = m.lastgroup  # the alternative that matched: its last group (None: an HTML tag)
        if kind == "prefix":
            if m.end() > m.start():
                builder.copy(content, pos, m.start())
                pos = m.end()
            continue
        builder.copy(content, pos, m.start())
        if kind == "code_body" or kind == "autolink" or kind == "bare_url":  # kept, but ignored
            t0 = builder.length
            builder.copy(content, m.start(kind), m.end(kind))
            ignored.append((t0, builder.length))
        elif kind == "url":  # a link: its text
            builder.copy(content, m.start("link_text"), m.end("link_text"))
        pos = m.end()
    builder.copy(content, pos, end)
