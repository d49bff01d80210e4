"""The document model: a decoded file (``content``), the prose that checks read (``text``), and the
map between their offsets.

Checks read ``Document.text``: the prose with markup removed.  Every text offset maps back to an
offset in ``Document.content`` (the decoded file) so a finding's ``text == content[start:end]``
whatever the format.  Plain text maps one to one; the readers of :mod:`tqcheck.formats` build the
text of other formats with :class:`TextBuilder`.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from .intervals import Intervals
from .segments import PARAGRAPH_BREAK, Segment, split_at, split_sentences

if TYPE_CHECKING:
    from .bilingual import Bilingual

#: What the text reads in place of an inline element that is not prose (HTML ``<code>``, XLIFF
#: ``<ph>``): U+FFFC OBJECT REPLACEMENT CHARACTER, neither space nor word character, so that
#: ``The minister, <code>foo()</code> said`` has no double space and ``the <code>x</code> the`` no
#: repeated word, while ``<samp>y</samp> ,`` still has a space before its comma.
PLACEHOLDER = "\ufffc"
#: Localisation files: each unit is a string of a program or site, translated on its own.
LOCALISATION_FORMATS = frozenset({"xliff", "po", "tsv"})


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
            self._add(content[c_start:c_end], c_start, c_end, True, True)

    def synth(self, text: str, c_start: int, c_end: int) -> None:
        """``text`` written as ``content[c_start:c_end]`` (an entity, an escape): part of the prose."""
        if text:
            self._add(text, c_start, c_end, False, True)

    def markup(self, text: str, c_start: int, c_end: int) -> None:
        """``content[c_start:c_end]`` is markup, read as ``text`` (a paragraph break, the
        placeholder of an inline element, or nothing): it ends the text run."""
        self._run_open = False
        if text:
            self._add(text, c_start, c_end, False, False)

    def _add(self, text: str, c_start: int, c_end: int, verbatim: bool, prose: bool) -> None:
        """A piece; one of prose extends the text run, or starts one when something lies between
        it and the run in the file (one call per piece: a reader adds a few per line)."""
        self.parts.append(text)
        self.t_starts.append(self.length)
        self.length += len(text)
        self.pieces.append((self.length, c_start, c_end, verbatim))
        if not prose or c_end == c_start:
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

    def start(self, t: int) -> int:
        i = bisect.bisect_right(self.t_starts, t) - 1  # the piece that holds t
        if i < 0:
            i = 0
        _, c_start, c_end, verbatim = self.pieces[i]
        return min(c_start + (t - self.t_starts[i]), c_end) if verbatim else c_start

    def end(self, t: int) -> int:
        if t <= 0:
            return self.start(0)
        i = bisect.bisect_right(self.t_starts, t - 1) - 1  # the piece that holds t - 1
        if i < 0:
            i = 0
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
        starts = self._line_starts
        line = bisect.bisect_right(starts, offset)
        return line, offset - starts[line - 1] + 1

    def is_ignored(self, start: int, end: int) -> bool:
        return bool(self.ignored) and self._ignored_index.overlaps(start, end)

    @cached_property
    def _ignored_index(self) -> Intervals:
        """The ignored spans, asked by bisection (read once the document is built, as the
        readers leave ``ignored``)."""
        return Intervals(self.ignored)

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
        return [s for s in split_at(self.text, PARAGRAPH_BREAK, 0, len(self.text))]

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
        sentences = self.sentences
        i = bisect.bisect_right(self._sentence_starts, offset) - 1
        return sentences[i if i > 0 else 0] if sentences else Segment(0, len(self.text))

    @cached_property
    def words(self) -> int:
        return len(WORD.findall(self.text))


WORD = re.compile(r"\w+(?:[’'-]\w+)*")
