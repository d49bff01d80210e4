"""Very large plain-text and Markdown files, checked a chunk at a time with exact file offsets.

A file checked whole is held with everything built from it: its text, offset map, paragraphs,
sentences, every finding before and after it is located, word lists; together about 12 times the
file.  A file of at least ``formats.STREAM_CHARS`` characters in one of
``formats.STREAMED_FORMATS`` is instead cut into chunks of about :data:`CHUNK_CHARS` characters,
each read alone by its format's reader and checked as a document of its own
(``pipeline.check_documents``); its findings are put back at their place in the file.  The
decoded file, its findings and one chunk are what is held.

Where a chunk is cut, and why its findings are those of the whole file:

- At a blank line, right after its last line break.  Paragraphs, hence sentences, never span a
  blank line, so a chunk splits into the same sentences as the file, and the context a rule reads
  (its sentence) lies in one chunk.  Markdown is never cut inside front matter, fenced code or a
  comment (each is read as one block), nor where the rest would open with ``---`` (front matter).
- A chunk starts at a line start: a finding's offset is the chunk's plus its own, its line the
  line breaks before the chunk plus its own, its column its own.

What is decided over the whole file, as when it is read whole:

- its language (the target language when not given, tq/wrong-language): langdetect reads the
  sample :func:`~tqcheck.langs.identify` takes of the whole text, gathered from the chunks;
- tq/name-variant counts the names of every chunk (:class:`~tqcheck.checks.name_variants.Names`);
- tq/untranslated-* knows every capitalised word the file uses inside sentences (a first pass);
- words and score are sums over the chunks; suppressions and the baseline read the whole file.

What is decided per chunk (docs/reliability.md): the majority form of a ``consistency`` rule
(en/spelling-consistency), and, without ``--source-lang``, the guessed source language (the file
reports the first chunk's guess).  A file with no blank line is one chunk.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator

from . import formats
from .checks import untranslated
from .checks.name_variants import VARIANT, Names, message
from .checks.wrong_language import WRONG_LANGUAGE
from .core.document import Document
from .core.errors import EmptyInput
from .core.findings import FileSpan, Finding
from .core.results import Options
from .core.segments import PARAGRAPH_BREAK
from .formats import STREAMED_FORMATS, reader
from .formats.markdown import blocks
from .langs.identify import sample_spans

#: Characters in a chunk, about (a chunk ends at the first blank line after this many).
CHUNK_CHARS = 400_000
#: Rules decided over the whole file: the chunks do not report them.
WHOLE_FILE_RULES = frozenset({WRONG_LANGUAGE.id, VARIANT.id})


def streamable(options: Options) -> bool:
    """Whether a run with ``options`` checks large files in chunks: not with the model (a file's
    fluency is one score over all its sentences), nor with ``--source`` (paragraphs aligned over
    the whole file)."""
    return not options.model and not options.source


def applies(doc: Document, options: Options) -> bool:
    """Whether ``doc`` is checked in chunks."""
    return (streamable(options) and doc.format in STREAMED_FORMATS and doc.bilingual is None
            and len(doc.content) >= formats.STREAM_CHARS)


def cuts(content: str, fmt: str, size: int = CHUNK_CHARS) -> list[int]:
    """Where the chunks of ``content`` start: 0, then after the last line break of the first blank
    line at least ``size`` characters further (never inside a Markdown block)."""
    spans = blocks(content) if fmt == "md" else iter(())
    block = next(spans, None)
    starts = [0]
    pos = size
    while (m := PARAGRAPH_BREAK.search(content, pos)) is not None and m.end() < len(content):
        cut = content.rindex("\n", m.start(), m.end()) + 1
        while block is not None and block[1] <= cut:
            block = next(spans, None)
        if block is not None and block[0] < cut:
            pos = block[1]  # inside a block: the first blank line after it
        elif fmt == "md" and content.startswith("---", cut):
            pos = cut  # the chunk would open with front matter
        else:
            starts.append(cut)
            pos = cut + size
    return starts


@dataclass
class Chunk:
    """``content[start:end]`` of a file, read alone by its format's reader."""

    doc: Document
    start: int
    #: Line breaks in the file before the chunk.
    lines: int

    def place(self, located: list[Finding]) -> list[Finding]:
        """Findings located in the chunk (``pipeline.locate``), located in the file (their text
        spans stay the chunk's: only the file span is read once a finding is located)."""
        out = []
        for f in located:
            s = f.file_span
            assert s is not None, "located by pipeline.locate"
            out.append(f.evolve(file_span=FileSpan(s.start + self.start, s.end + self.start, s.text,
                                                     s.line + self.lines, s.column)))
        return out


#: Locates findings of a document in it: ``pipeline.locate`` with the run's options.
Locate = Callable[[Document, list[Finding]], list[Finding]]


@dataclass(frozen=True)
class _Prose:
    """The prose of one chunk, as a tq/wrong-language finding over the whole file needs it: where
    it starts and ends in the file, and whether an ignored span (code, a URL) lies in it, after its
    start, before its end, or anywhere in the chunk (``Document.is_ignored`` drops the finding)."""

    start: int
    end: int
    line: int
    column: int
    ignored_inside: bool
    ignored_after_start: bool
    ignored_before_end: bool
    ignored_anywhere: bool

    @classmethod
    def of(cls, chunk: Chunk) -> "_Prose | None":
        doc = chunk.doc
        t0, t1 = len(doc.text) - len(doc.text.lstrip()), len(doc.text.rstrip())
        if t1 <= t0:
            return None
        start, end = doc.source_span(t0, t1)
        line, column = doc.line_column(start)
        return cls(start + chunk.start, end + chunk.start, line + chunk.lines, column,
                   any(s < t1 and t0 < e for s, e in doc.ignored), any(e > t0 for _, e in doc.ignored),
                   any(s < t1 for s, _ in doc.ignored), bool(doc.ignored))


def _line_breaks(text: str) -> int:
    """Line breaks as ``Document.line_column`` counts them (``\\r\\n``, ``\\r``, ``\\n``); a cut
    never falls inside ``\\r\\n``."""
    return text.count("\n") + text.count("\r") - text.count("\r\n")


class Plan:
    """A file's chunks, and what a first pass over them tells of the whole file: the capitalised
    words it uses inside sentences, the sample langdetect reads, its comments (for suppressions),
    and the span of its prose (for tq/wrong-language)."""

    def __init__(self, doc: Document, size: int = CHUNK_CHARS) -> None:
        self.doc = doc
        self.starts = cuts(doc.content, doc.format, size)
        names: set[str] = set()
        lengths: list[int] = []
        self.comments: list[tuple[int, str]] = []
        first: _Prose | None = None
        last: _Prose | None = None
        ignored_between = False  # in a chunk between the first and the last with prose
        for chunk in self.chunks():
            names.update(untranslated.names_in_sentences(chunk.doc))
            lengths.append(len(chunk.doc.text))
            self.comments.extend((offset + chunk.start, body) for offset, body in chunk.doc.comments)
            if (prose := _Prose.of(chunk)) is not None:
                if last is not None and last is not first:
                    ignored_between = ignored_between or last.ignored_anywhere
                first, last = first or prose, prose
        if first is None or last is None:
            raise EmptyInput(doc.path, f"no prose to check in this {doc.format} file")
        self.names = frozenset(names)
        self.sample = self._sample(lengths)
        self._prose = (first, last, ignored_between)

    def _bounds(self) -> Iterator[tuple[int, int, int]]:
        """``(start, end, line breaks before)`` of each chunk."""
        content = self.doc.content
        lines = 0
        for start, end in zip(self.starts, [*self.starts[1:], len(content)]):
            yield start, end, lines
            lines += _line_breaks(content[start:end])

    def _read(self, start: int, end: int, lines: int) -> Chunk:
        return Chunk(reader(self.doc.format).load(self.doc.path, self.doc.content[start:end]), start, lines)

    def chunks(self) -> Iterator[Chunk]:
        return (self._read(*bounds) for bounds in self._bounds())

    def _sample(self, lengths: list[int]) -> str:
        """What :func:`~tqcheck.langs.identify` reads of the whole text, taken from the chunks
        it falls in (the text of the file is theirs end to end); the others are not read again."""
        spans = sample_spans(sum(lengths))
        pieces: list[list[str]] = [[] for _ in spans]
        offset = 0
        for bounds, length in zip(self._bounds(), lengths):
            if any(s < offset + length and offset < e for s, e in spans):
                text = self._read(*bounds).doc.text
                for piece, (s, e) in zip(pieces, spans):
                    if s < offset + length and offset < e:
                        piece.append(text[max(s - offset, 0):e - offset])
            offset += length
        return "\n".join("".join(piece) for piece in pieces)

    def wrong_language(self, message: str, confidence: float) -> Finding | None:
        """The tq/wrong-language finding over the file's prose, located; None where code or a URL
        lies in that span (``pipeline.locate`` drops it in a file read whole)."""
        first, last, ignored_between = self._prose
        if first is last:
            if first.ignored_inside:
                return None
        elif ignored_between or first.ignored_after_start or last.ignored_before_end:
            return None
        finding = WRONG_LANGUAGE.finding(self.doc, 0, 0, message, confidence=confidence)
        return finding.evolve(file_span=FileSpan(first.start, last.end, self.doc.content[first.start:last.end],
                                                   first.line, first.column))


class Gathered:
    """The findings of a file's chunks, located in the file, and its names counted over all of
    them: tq/name-variant is decided once the last chunk is in."""

    def __init__(self) -> None:
        self.found: list[Finding] = []
        self.words = 0
        self.names: Names[list[Finding]] = Names()

    def add(self, chunk: Chunk, located: list[Finding], locate: Locate) -> None:
        """``located``: the chunk's findings, located in it; ``locate`` locates a name's."""
        self.found.extend(chunk.place(located))
        self.words += chunk.doc.words
        self.names.add(chunk.doc.text, lambda s, e: chunk.place(
            locate(chunk.doc, [VARIANT.finding(chunk.doc, s, e, confidence=0.7)])))

    def name_variants(self, target: str) -> list[Finding]:
        return [f.evolve(message=message(rare, common), suggestions=(common,), fix=VARIANT.fix)
                for rare, common, places in self.names.variants(target) for located in places for f in located]
