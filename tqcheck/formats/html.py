"""HTML: the text outside scripts, styles and code, entities decoded, comments kept for suppressions."""
from __future__ import annotations

import re
from html.parser import HTMLParser

from ..core.collector import collector_paused
from ..core.document import PLACEHOLDER, Document, TextBuilder

_BLOCK_TAGS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol br tr td th table section article header footer aside nav "
    "blockquote pre title figure figcaption dt dd dl main form hr body head html caption".split()
)
#: Elements whose content is not prose; the inline ones read as :data:`PLACEHOLDER`.
_SKIP_TAGS = frozenset("script style noscript template svg code pre kbd samp var".split())
_INLINE_SKIP_TAGS = frozenset("code kbd samp var".split())


class _HTMLExtractor(HTMLParser):
    def __init__(self, content: str) -> None:
        super().__init__(convert_charrefs=False)
        self.content = content
        self.builder = TextBuilder()
        self.skip_depth = 0
        self.skip_start = 0  # where the outermost skipped element began
        self.skip_tag = ""  # and its name
        self.comments: list[tuple[int, str]] = []
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", content)]

    def _pos(self) -> int:
        line, col = self.getpos()
        return self._line_starts[line - 1] + col

    def _tag_span(self) -> tuple[int, int]:
        start = self._pos()
        text = self.get_starttag_text()
        return start, start + (len(text) if text else 0)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _SKIP_TAGS:
            if not self.skip_depth:
                self.skip_start, self.skip_tag = self._pos(), tag
            self.skip_depth += 1
        if tag in _BLOCK_TAGS:
            start, end = self._tag_span()
            self.builder.markup("\n\n", start, end)

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        if tag in _BLOCK_TAGS:
            start, end = self._tag_span()
            self.builder.markup("\n\n", start, end)

    def handle_endtag(self, tag: str) -> None:
        start = self._pos()
        end = self.content.find(">", start) + 1 or start
        if tag in _SKIP_TAGS and self.skip_depth:
            self.skip_depth -= 1
            if not self.skip_depth:
                text = PLACEHOLDER if self.skip_tag in _INLINE_SKIP_TAGS else ""
                self.builder.markup(text, self.skip_start, end)
        if tag in _BLOCK_TAGS:
            self.builder.markup("\n\n", start, end)

    def handle_data(self, data: str) -> None:
        if not self.skip_depth:
            start = self._pos()
            self.builder.copy(self.content, start, start + len(data))

    def _ref(self, raw: str, decoded: str) -> None:
        if not self.skip_depth:
            start = self._pos()
            self.builder.synth(decoded, start, start + len(raw))

    def handle_entityref(self, name: str) -> None:
        import html

        raw = f"&{name};" if self.content.startswith(f"&{name};", self._pos()) else f"&{name}"
        self._ref(raw, html.unescape(raw))

    def handle_charref(self, name: str) -> None:
        import html

        raw = f"&#{name};" if self.content.startswith(f"&#{name};", self._pos()) else f"&#{name}"
        self._ref(raw, html.unescape(raw))

    def handle_comment(self, data: str) -> None:
        self.comments.append((self._pos(), data))


#: The format's name, and the file suffixes read as it (``formats/__init__.py``).
FORMAT = "html"
SUFFIXES = (".html", ".htm", ".xhtml")


def sniff(head: str) -> bool:
    """A document that declares itself HTML."""
    return head.startswith(("<!doctype html", "<html"))


def load(path: str, content: str) -> Document:
    parser = _HTMLExtractor(content)
    with collector_paused():  # a few small objects per tag (core/collector.py)
        parser.feed(content)
        parser.close()
    text, offset_map = parser.builder.build()
    return Document(path, content, "html", text, offset_map, [], parser.comments)
