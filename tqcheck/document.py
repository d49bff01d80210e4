"""Load files into :class:`Document` objects and split them into paragraphs and sentences.

Checks read ``Document.text``: the prose with markup removed.  Every text offset maps back to an
offset in ``Document.content`` (the decoded file) so a finding's ``text == content[start:end]``
whatever the format.  Plain text maps one to one; Markdown and HTML go through :class:`TextBuilder`.
"""
from __future__ import annotations

import bisect
import re
import sys
from dataclasses import dataclass, field
from functools import cached_property
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import EmptyInput, InputError

if TYPE_CHECKING:
    from .bilingual import Bilingual

FORMATS_BY_SUFFIX = {
    ".txt": "txt", ".text": "txt",
    ".md": "md", ".markdown": "md",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    # Bilingual files (tqcheck.formats): the text is the target side, the source rides along.
    ".xlf": "xliff", ".xliff": "xliff", ".po": "po", ".tsv": "tsv",
}
#: What the text reads in place of an inline element that is not prose (HTML ``<code>``, XLIFF
#: ``<ph>``): U+FFFC OBJECT REPLACEMENT CHARACTER, neither space nor word character, so that
#: ``The minister, <code>foo()</code> said`` has no double space and ``the <code>x</code> the`` no
#: repeated word, while ``<samp>y</samp> ,`` still has a space before its comma.
PLACEHOLDER = "\ufffc"
#: Localisation files: each unit is a string of a program or site, translated on its own.
LOCALISATION_FORMATS = frozenset({"xliff", "po", "tsv"})


@dataclass(frozen=True)
class Segment:
    """A paragraph or sentence: ``Document.text[start:end]``."""

    start: int
    end: int


class TextBuilder:
    """Builds checkable text from pieces of the original content and remembers where each came from.

    A piece is copied verbatim from ``content[c_start:c_end]``, or synthetic: text standing for the
    same text written otherwise (an HTML entity, a PO escape; :meth:`synth`), or standing for
    markup (a paragraph break for a block tag; :meth:`markup`).  A synthetic piece maps to its
    whole source span.

    The builder also records the *text runs* of the file: the stretches of content that are prose
    written in one piece, with no markup inside, where ``fix`` may replace characters.  An excluded
    inline element (HTML ``<code>``, an XLIFF ``<ph>``) is markup read as :data:`PLACEHOLDER`, so
    that the words and spaces on either side of it are not read as side by side.
    """

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.t_starts: list[int] = []
        self.pieces: list[tuple[int, int, int, bool]] = []  # (t_end, c_start, c_end, verbatim)
        self.length = 0
        self.runs: list[tuple[int, int]] = []  # content spans of text runs, in order
        self._run_open = False

    def copy(self, content: str, c_start: int, c_end: int) -> None:
        if c_end > c_start:
            self._add(content[c_start:c_end], c_start, c_end, True)
            self._extend_run(c_start, c_end)

    def synth(self, text: str, c_start: int, c_end: int) -> None:
        """``text`` written as ``content[c_start:c_end]`` (an entity, an escape): part of the prose."""
        if text:
            self._add(text, c_start, c_end, False)
            self._extend_run(c_start, c_end)

    def markup(self, text: str, c_start: int, c_end: int) -> None:
        """``content[c_start:c_end]`` is markup, read as ``text`` (a paragraph break, the
        placeholder of an inline element, or nothing): it ends the text run."""
        self._run_open = False
        if text:
            self._add(text, c_start, c_end, False)

    def _add(self, text: str, c_start: int, c_end: int, verbatim: bool) -> None:
        self.parts.append(text)
        self.t_starts.append(self.length)
        self.length += len(text)
        self.pieces.append((self.length, c_start, c_end, verbatim))

    def _extend_run(self, c_start: int, c_end: int) -> None:
        """A text piece continues the current run when nothing lies between them in the file."""
        if c_end == c_start:
            return
        if self._run_open and self.runs[-1][1] == c_start:
            self.runs[-1] = (self.runs[-1][0], c_end)
        else:
            self.runs.append((c_start, c_end))
        self._run_open = True

    def build(self) -> tuple[str, "OffsetMap"]:
        return "".join(self.parts), OffsetMap(self.t_starts, self.pieces, self.runs)


class OffsetMap:
    """Maps offsets in the checked text to offsets in the original content."""

    def __init__(self, t_starts: list[int], pieces: list[tuple[int, int, int, bool]],
                 runs: list[tuple[int, int]] | None = None) -> None:
        self.t_starts = t_starts
        self.pieces = pieces
        self.runs = runs or []
        self._run_starts = [start for start, _ in self.runs]

    def _piece(self, t: int) -> int:
        return max(bisect.bisect_right(self.t_starts, t) - 1, 0)

    def start(self, t: int) -> int:
        i = self._piece(t)
        _, c_start, c_end, verbatim = self.pieces[i]
        return min(c_start + (t - self.t_starts[i]), c_end) if verbatim else c_start

    def end(self, t: int) -> int:
        if t <= 0:
            return self.start(0)
        i = self._piece(t - 1)
        _, c_start, c_end, verbatim = self.pieces[i]
        return min(c_start + (t - self.t_starts[i]), c_end) if verbatim else c_end

    def run_around(self, c_start: int, c_end: int) -> tuple[int, int] | None:
        """The text run that holds content ``[c_start, c_end)``, None when no one run does."""
        i = bisect.bisect_right(self._run_starts, c_start) - 1
        return self.runs[i] if i >= 0 and c_end <= self.runs[i][1] else None


@dataclass
class Document:
    """One input: the decoded file (``content``) and the prose that checks read (``text``)."""

    path: str
    content: str
    format: str = "txt"
    text: str = ""
    offset_map: OffsetMap | None = None
    #: Spans of ``text`` (code, URLs) where no finding is reported.
    ignored: list[tuple[int, int]] = field(default_factory=list)
    #: ``(content_offset, comment_body)`` of every HTML/Markdown comment, for suppressions.
    comments: list[tuple[int, str]] = field(default_factory=list)
    bom: bool = False
    #: The source side (units aligned to spans of ``text``) of a bilingual file or ``--source``.
    bilingual: "Bilingual | None" = None

    def __post_init__(self) -> None:
        if not self.text and self.offset_map is None:
            self.text = self.content

    # -- offsets -------------------------------------------------------------------------------
    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of ``text`` to the span of ``content`` it came from."""
        if self.offset_map is None:
            return start, end
        return self.offset_map.start(start), self.offset_map.end(end)

    @cached_property
    def _line_starts(self) -> list[int]:
        return [0] + [m.end() for m in re.finditer("\r\n|\r|\n", self.content)]

    def line_column(self, offset: int) -> tuple[int, int]:
        """1-based line and column (in characters) of a content offset.  A line ends at ``\\n``,
        ``\\r\\n`` or a lone ``\\r`` (old Mac files), as editors count them."""
        line = bisect.bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1

    def is_ignored(self, start: int, end: int) -> bool:
        return any(s < end and start < e for s, e in self.ignored)

    def run_around(self, start: int, end: int) -> tuple[int, int] | None:
        """The span of content, written as prose in one piece (no markup inside), that holds
        ``[start, end)``; None when none does.  Plain text is one run.  ``fix`` edits only inside
        a run."""
        if self.offset_map is None:
            return (0, len(self.content)) if 0 <= start <= end <= len(self.content) else None
        return self.offset_map.run_around(start, end)

    # -- segments ------------------------------------------------------------------------------
    @cached_property
    def paragraphs(self) -> list[Segment]:
        return [s for s in _split(self.text, PARAGRAPH_BREAK, 0, len(self.text))]

    @cached_property
    def sentences(self) -> list[Segment]:
        out: list[Segment] = []
        for para in self.paragraphs:
            out.extend(split_sentences(self.text, para.start, para.end))
        return out

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [s.start for s in self.sentences]

    def sentence_at(self, offset: int) -> Segment:
        """The sentence that holds text offset ``offset`` (the nearest one before it otherwise)."""
        i = max(bisect.bisect_right(self._sentence_starts, offset) - 1, 0)
        return self.sentences[i] if self.sentences else Segment(0, len(self.text))

    @cached_property
    def words(self) -> int:
        return len(WORD.findall(self.text))


WORD = re.compile(r"\w+(?:[’'-]\w+)*")
PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")

# A sentence ends at . ! ? … (and closing quotes/brackets after them) followed by space and a
# character that can start a sentence; or at a line break that starts a new line of prose.
# Runs of spaces are taken possessively and the line-break alternative starts at the break, not
# at each space before it: tried at every space of a long run, the split would be quadratic.
# (Where it starts does not matter: the sentences are stripped of the spaces around them.)
_SENTENCE_END = re.compile(
    r"""(?<=[.!?…])[”"’'»)\]]*+[ \t\u00a0]++(?=[«“"‘'(\[]?\s?[A-ZÀ-ÖØ-Þ0-9¿¡])"""
    r"""|(?<=[.!?…:;”"»])[ \t]*+\n\s*+"""
    r"""|(?<![a-z,])\n\s*+(?=[A-ZÀ-ÖØ-Þ0-9«“"\-*•])"""
)
#: How far back ``split_sentences`` looks for the word before a full stop (longer words are no
#: abbreviation).
_LAST_WORD = 32
# Words after which a full stop does not end a sentence.
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st jr sr vs etc e.g i.e no nos fig figs al gen gov sen rep lt col capt "
    "sgt inc ltd co corp dept est approx jan feb mar apr jun jul aug sep sept oct nov dec "
    "mme mlle m p pp vol art ch cf u.s u.k u.n ph.d".split()
)


def _split(text: str, pattern: re.Pattern[str], start: int, end: int) -> list[Segment]:
    out: list[Segment] = []
    pos = start
    for m in pattern.finditer(text, start, end):
        _append_stripped(out, text, pos, m.start())
        pos = m.end()
    _append_stripped(out, text, pos, end)
    return out


def _append_stripped(out: list[Segment], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Segment(start, end))


def split_sentences(text: str, start: int, end: int) -> list[Segment]:
    """Split ``text[start:end]`` into sentences, keeping abbreviations and initials together."""
    out: list[Segment] = []
    pos = start
    for m in _SENTENCE_END.finditer(text, start, end):
        if "\n" not in m.group() and _abbreviation_before(text, pos, m.start()):
            continue
        _append_stripped(out, text, pos, m.start())
        pos = m.end()
    _append_stripped(out, text, pos, end)
    return out


def _abbreviation_before(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` ends with an abbreviation or an initial (its full stop does not
    end the sentence).  Reads a bounded window: a thousand ``Mr.`` in a row is one sentence, and
    rereading it from its start at each of them would be quadratic."""
    lo = max(start, end - _LAST_WORD)
    words = text[lo:end].rstrip("”\"’')]»").split()
    if not words or (len(words) == 1 and lo > start and not text[lo - 1].isspace() and not text[lo].isspace()):
        return False  # no word, or one longer than the window
    last_word = words[-1].lower().rstrip(".")
    return last_word in _ABBREVIATIONS or re.fullmatch(r"[a-z]", last_word) is not None


# -- loading ------------------------------------------------------------------------------------
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
    if fmt == "html":
        doc = _html_document(path, content)
    elif fmt == "md":
        doc = _markdown_document(path, content)
    elif fmt in ("xliff", "po", "tsv"):
        from .formats import load_bilingual

        doc = load_bilingual(path, content, fmt)
    else:
        doc = Document(path, content, "txt")
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


# -- Markdown -----------------------------------------------------------------------------------
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
    r"|!?\[(?P<link_text>[^\]\n]*)\]\((?P<url>[^)\s]*)(?:\s+\"[^\"]*\")?\)"  # [text](url)
    r"|<(?P<autolink>https?://[^>\s]+)>"
    r"|(?P<bare_url>https?://\S+[^\s.,;:!?)\]])"
    r"|</?[A-Za-z][^>\n]*>"  # inline HTML tags
    r"|(?P<emph>\*{1,3}|_{1,3})(?=\S)|(?<=\S)(?P<emph_end>\*{1,3}|_{1,3})"
)


def _markdown_document(path: str, content: str) -> Document:
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
    for line in re.finditer(r"[^\n]*\n?", content[start:end]):
        if not line.group():
            continue
        l_start = start + line.start()
        l_end = start + line.end()
        prefix = MD_LINE_PREFIX.match(content, l_start, l_end)
        pos = prefix.end() if prefix else l_start
        for m in _MD_INLINE.finditer(content, pos, l_end):
            builder.copy(content, pos, m.start())
            if m.group("code_body") is not None:
                t0 = builder.length
                builder.copy(content, m.start("code_body"), m.end("code_body"))
                ignored.append((t0, builder.length))
            elif m.group("link_text") is not None:
                builder.copy(content, m.start("link_text"), m.end("link_text"))
            elif m.group("autolink") or m.group("bare_url"):
                t0 = builder.length
                group = "autolink" if m.group("autolink") else "bare_url"
                builder.copy(content, m.start(group), m.end(group))
                ignored.append((t0, builder.length))
            pos = m.end()
        builder.copy(content, pos, l_end)


# -- HTML ---------------------------------------------------------------------------------------
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


def _html_document(path: str, content: str) -> Document:
    parser = _HTMLExtractor(content)
    parser.feed(content)
    parser.close()
    text, offset_map = parser.builder.build()
    return Document(path, content, "html", text, offset_map, [], parser.comments)
