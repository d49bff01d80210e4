"""Very large plain-text and Markdown files, checked a chunk at a time with exact file offsets,
never held whole.

A file checked whole is held with everything built from it: its text, offset map, paragraphs,
sentences, every finding before and after it is located, word lists; together about 12 times the
file.  A file of at least ``formats.STREAM_CHARS`` bytes (characters, from standard input) in one
of ``formats.STREAMED_FORMATS`` is instead a :class:`LargeDocument`: it is read from disk and
decoded a block at a time, cut into chunks of about :data:`CHUNK_CHARS` characters, each read
alone by its format's reader and checked as a document of its own (``pipeline.check_documents``);
its findings are put back at their place in the file and kept on disk (:class:`Spool`) for the
reports.  What is held is one chunk and what is built from it, plus what the whole file decides
(below), which grows with its vocabulary and its directives, not with its length.

Where a chunk is cut, and why its findings are those of the whole file:

- At a blank line, right after its last line break.  Paragraphs, hence sentences, never span a
  blank line, so a chunk splits into the same sentences as the file, and the context a rule reads
  (its sentence) lies in one chunk.  Markdown is never cut inside front matter, fenced code or a
  comment (each is read as one block), nor where the rest would open with ``---`` (front matter).
  Where a block opens and the text read so far does not close it, more is read first: a fence
  left open makes the rest of the file one chunk, as reading it whole does.
- A chunk starts at a line start: a finding's offset is the chunk's plus its own, its line the
  line breaks before the chunk plus its own, its column its own.

What is decided over the whole file, as when it is read whole, from a first pass over the chunks
(:class:`Plan`):

- its language (the target language when not given, tq/wrong-language): langdetect reads the
  sample :func:`~tqcheck.langs.identify` takes of the whole text, gathered from the chunks;
- tq/name-variant counts the names of every chunk (:class:`~tqcheck.checks.name_variants.Names`);
- tq/untranslated-* knows every capitalised word the file uses inside sentences;
- the suppressions of its directives (``suppressions.regions_of``); whether a deletion would
  leave the file without text (``fix``);
- words and score are sums over the chunks; the baseline reads the whole file (it is then read
  whole, for the words around each finding).

What is decided per chunk (docs/reliability.md): the majority form of a ``consistency`` rule
(en/spelling-consistency), and, without ``--source-lang``, the guessed source language (the file
reports the first chunk's guess).  A file with no blank line is one chunk.
"""
from __future__ import annotations

import os
import pickle
import re
import tempfile
from collections import Counter
from dataclasses import dataclass, fields
from typing import Any, Callable, Collection, Iterable, Iterator, TypeVar

from . import formats, suppressions
from .checks import untranslated
from .checks.name_variants import VARIANT, Names, message
from .checks.wrong_language import WRONG_LANGUAGE
from .core.document import Document
from .core.errors import EmptyInput
from .core.findings import FileSpan, Finding, Span
from .core.results import Options
from .core.segments import PARAGRAPH_BREAK
from .formats import reader
from .formats.large import Bounds, LargeDocument, OnDisk
from .formats.markdown import blocks
from .langs.identify import sample_spans

#: Characters in a chunk, about (a chunk ends at the first blank line after this many).
CHUNK_CHARS = 400_000
#: Rules decided over the whole file: the chunks do not report them.
WHOLE_FILE_RULES = frozenset({WRONG_LANGUAGE.id, VARIANT.id})
#: What opens a Markdown block (``formats.markdown.blocks``) that may close further on.
_MD_OPENER = re.compile(r"\A---\n|^[ \t]*(?:```|~~~)|<!--", re.M)

T = TypeVar("T")


def streamable(options: Options) -> bool:
    """Whether a run with ``options`` checks large files in chunks: not with the model (a file's
    fluency is one score over all its sentences), nor with ``--source`` (paragraphs aligned over
    the whole file)."""
    return not options.model and not options.source


def applies(doc: Document, options: Options) -> bool:
    """Whether ``doc`` is checked in chunks."""
    return isinstance(doc, LargeDocument) and streamable(options)


# -- where chunks start --------------------------------------------------------------------------
def _cut(text: str, fmt: str, size: int, final: bool) -> int | None:
    """Where the first chunk of ``text`` ends: after the last line break of the first blank line
    at least ``size`` characters in (never inside a Markdown block); None where there is none, or
    where ``text`` is not ``final`` (more follows) and what follows could change the answer."""
    spans = blocks(text) if fmt == "md" else iter(())
    block = next(spans, None)
    pos = size
    while (m := PARAGRAPH_BREAK.search(text, pos)) is not None and m.end() < len(text):
        cut = text.rindex("\n", m.start(), m.end()) + 1
        while block is not None and block[1] <= cut:
            block = next(spans, None)
        if block is not None and block[0] < cut:
            pos = block[1]  # inside a block: the first blank line after it
        elif fmt == "md" and text.startswith("---", cut):
            pos = cut  # the chunk would open with front matter
        elif fmt == "md" and not final and (len(text) < cut + 3 or _open_block(text, cut)):
            return None
        else:
            return cut
    return None


def _open_block(text: str, cut: int) -> bool:
    """Whether a Markdown block opens before ``cut`` in ``text`` without closing there: read
    further, it may hold the cut."""
    pos = 0
    for start, end in blocks(text[:cut]):
        if _MD_OPENER.search(text, pos, start):
            return True
        pos = end
    return _MD_OPENER.search(text, pos, cut) is not None


def pieces(parts: Iterable[str], fmt: str, size: int = CHUNK_CHARS) -> Iterator[str]:
    """The chunks of the text that ``parts`` gives in order, each as soon as it is known."""
    buffer = ""
    parts = iter(parts)
    final = False
    while True:
        cut = _cut(buffer, fmt, size, final)
        if cut is not None:
            yield buffer[:cut]
            buffer = buffer[cut:]
        elif final:
            if buffer:
                yield buffer
            return
        elif (part := next(parts, None)) is None:
            final = True
        else:
            buffer += part


def cuts(content: str, fmt: str, size: int = CHUNK_CHARS) -> list[int]:
    """Where the chunks of ``content`` start."""
    starts = [0]
    for piece in pieces([content], fmt, size):
        starts.append(starts[-1] + len(piece))
    return starts[:-1]


def read_whole(doc: Document) -> Document:
    """``doc`` read whole by its format's reader where it is a :class:`LargeDocument` (a run with
    the model or ``--source`` checks it so)."""
    if not isinstance(doc, LargeDocument):
        return doc
    return formats.load_text(doc.path, doc.content, doc.format, doc.bom)


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
    start, before its end, or anywhere in the chunk (``Document.is_ignored`` drops the finding);
    and where its last character starts (a deletion from ``start`` past it empties the file)."""

    start: int
    end: int
    last: int
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
        return cls(start + chunk.start, end + chunk.start, doc.source_span(t1 - 1, t1)[0] + chunk.start,
                   line + chunk.lines, column,
                   any(s < t1 and t0 < e for s, e in doc.ignored), any(e > t0 for _, e in doc.ignored),
                   any(s < t1 for s, _ in doc.ignored), bool(doc.ignored))


def _line_breaks(text: str) -> int:
    """Line breaks as ``Document.line_column`` counts them (``\\r\\n``, ``\\r``, ``\\n``); a cut
    never falls inside ``\\r\\n``."""
    return text.count("\n") + text.count("\r") - text.count("\r\n")


class Plan:
    """A file's chunks, and what a first pass over them tells of the whole file: the capitalised
    words it uses inside sentences, the sample langdetect reads, its suppressed regions, and the
    span of its prose (for tq/wrong-language and ``fix``)."""

    def __init__(self, doc: LargeDocument, size: int = CHUNK_CHARS) -> None:
        self.doc = doc
        names: set[str] = set()
        lengths: list[int] = []
        directives: list[suppressions.Directive] = []
        first: _Prose | None = None
        last: _Prose | None = None
        ignored_between = False  # in a chunk between the first and the last with prose
        doc.bounds = []
        start, byte, lines = 0, doc.source.skip if isinstance(doc.source, OnDisk) else 0, 0
        for text in pieces(doc.source.parts(), doc.format, size):
            size_on_disk = len(text.encode("utf-8"))
            bounds = Bounds(start, start + len(text), byte, byte + size_on_disk, lines)
            doc.bounds.append(bounds)
            chunk = self._load(bounds, text)
            start, byte, lines = bounds.end, bounds.byte_end, lines + _line_breaks(text)
            names.update(untranslated.names_in_sentences(chunk.doc))
            lengths.append(len(chunk.doc.text))
            directives.extend(d.shifted(chunk.start) for d in suppressions.directives(chunk.doc))
            if (prose := _Prose.of(chunk)) is not None:
                if last is not None and last is not first:
                    ignored_between = ignored_between or last.ignored_anywhere
                first, last = first or prose, prose
        if first is None or last is None:
            if not any(not self._read(b).isspace() for b in doc.bounds):
                raise EmptyInput(doc.path, "empty input, nothing to check")
            raise EmptyInput(doc.path, f"no prose to check in this {doc.format} file")
        suppressions.check_names(doc, directives)
        self.regions = suppressions.Suppressed(suppressions.regions_of(directives, doc.format, start))
        self.names = frozenset(names)
        self.sample = self._sample(lengths)
        self._prose = (first, last, ignored_between)

    def _read(self, bounds: Bounds) -> str:
        return self.doc.source.read(bounds)

    def _load(self, bounds: Bounds, text: str) -> Chunk:
        return Chunk(reader(self.doc.format).load(self.doc.path, text), bounds.start, bounds.lines)

    def chunks(self) -> Iterator[Chunk]:
        return (self._load(b, self._read(b)) for b in self.doc.bounds)

    def _sample(self, lengths: list[int]) -> str:
        """What :func:`~tqcheck.langs.identify` reads of the whole text, taken from the chunks
        it falls in (the text of the file is theirs end to end); the others are not read again."""
        spans = sample_spans(sum(lengths))
        pieces: list[list[str]] = [[] for _ in spans]
        offset = 0
        for bounds, length in zip(self.doc.bounds, lengths):
            if any(s < offset + length and offset < e for s, e in spans):
                text = self._load(bounds, self._read(bounds)).doc.text
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
        text = "".join(self._read(b)[max(first.start - b.start, 0):last.end - b.start]
                       for b in self.doc.bounds if b.start < last.end and first.start < b.end)
        finding = WRONG_LANGUAGE.finding(self.doc, 0, 0, message, confidence=confidence)
        return finding.evolve(file_span=FileSpan(first.start, last.end, text, first.line, first.column))

    def empties(self, f: Finding) -> bool:
        """Whether deleting ``f``'s span would leave the file without text (``fix`` never does)."""
        first, last, _ = self._prose
        return f.start <= first.start and last.last < f.end

    def suppressed(self, f: Finding) -> bool:
        return self.regions.covers(f)


# -- findings kept on disk -------------------------------------------------------------------------
def _same(item: Any) -> Any:
    return item


#: The fields of a finding, in order (a finding is spooled as the tuple of their values).
_FIELDS = tuple(field.name for field in fields(Finding))


def _pack_span(span: Span | None) -> tuple[Any, ...] | None:
    if span is None:
        return None
    if isinstance(span, FileSpan):
        return span.start, span.end, span.text, span.line, span.column
    return span.start, span.end, span.text


def _unpack_span(values: tuple[Any, ...] | None) -> Span | None:
    if values is None:
        return None
    return FileSpan(*values) if len(values) == 5 else Span(*values)


def pack(f: Finding) -> tuple[Any, ...]:
    """``f`` as plain values: a slotted span read back by pickle costs a call of
    ``dataclasses.fields`` each, and a report reads a large file's findings several times."""
    d = f.__dict__
    return tuple(_pack_span(d[name]) if name in ("text_span", "file_span") else d[name] for name in _FIELDS)


def unpack(values: tuple[Any, ...]) -> Finding:
    """The finding :func:`pack` gave ``values`` of (built as :meth:`Finding.evolve` builds one)."""
    f = object.__new__(Finding)
    f.__dict__.update(zip(_FIELDS, values), text_span=_unpack_span(values[_TEXT]),
                      file_span=_unpack_span(values[_FILE]))
    return f


_TEXT, _FILE = _FIELDS.index("text_span"), _FIELDS.index("file_span")


class Spool(Collection[T]):
    """Items (findings) written a batch at a time to an unnamed temporary file and read back in
    order, as often as asked: a report reads a large file's findings more than once (the lines,
    then the counts), and holding them all would take more memory than the file.  A copy sent to
    another process carries its items."""

    def __init__(self, items: Iterable[T] = (), pack: Callable[[T], Any] = _same,
                 unpack: Callable[[Any], T] = _same) -> None:
        self.pack, self.unpack = pack, unpack
        self._file = tempfile.TemporaryFile()
        self._batches: list[tuple[int, int]] = []
        self._end = 0
        self._count = 0
        self.extend(items)

    def extend(self, items: Iterable[T]) -> None:
        batch: list[T] = []
        for item in items:
            batch.append(item)
            if len(batch) >= 4096:
                self._write(batch)
                batch = []
        self._write(batch)

    def _write(self, batch: list[T]) -> None:
        if batch:
            data = pickle.dumps([self.pack(item) for item in batch], pickle.HIGHEST_PROTOCOL)
            os.pwrite(self._file.fileno(), data, self._end)
            self._batches.append((self._end, len(data)))
            self._end += len(data)
            self._count += len(batch)

    def __iter__(self) -> Iterator[T]:
        for offset, length in self._batches:
            yield from map(self.unpack, pickle.loads(os.pread(self._file.fileno(), length, offset)))

    def __len__(self) -> int:
        return self._count

    def __contains__(self, item: object) -> bool:
        return any(item == mine for mine in self)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (list(self), self.pack, self.unpack))


class Findings(Spool[Finding]):
    """A large file's findings as every report reads them, with how many of each rule ``fix``
    applies without ``--unsafe`` (``--statistics``: the chunks knew, the report does not)."""

    def __init__(self, items: Iterable[tuple[Finding, bool]] = (), fixable: Counter[str] | None = None) -> None:
        self.fixable: Counter[str] = Counter(fixable or {})
        super().__init__((), pack, unpack)
        self.extend(self._counted(items))

    def _counted(self, items: Iterable[tuple[Finding, bool]]) -> Iterator[Finding]:
        for f, applicable in items:
            self.fixable[f.rule] += applicable
            yield f

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), ([(f, False) for f in self], self.fixable))


class Gathered:
    """The findings of a file's chunks, located in the file and spooled with whether ``fix`` may
    apply each, and its names counted over all of them: tq/name-variant is decided once the last
    chunk is in."""

    def __init__(self, plan: Plan, applicable: Callable[[Finding, Chunk], bool]) -> None:
        self.plan = plan
        self.applicable = applicable
        self.found: Spool[tuple[Finding, bool]] = Spool((), lambda pair: (pack(pair[0]), pair[1]),
                                                        lambda pair: (unpack(pair[0]), pair[1]))
        self.words = 0
        self.names: Names[list[Finding]] = Names()

    def add(self, chunk: Chunk, located: list[Finding], locate: Locate) -> None:
        """``located``: the chunk's findings, located in it; ``locate`` locates a name's."""
        flags = [self.applicable(f, chunk) for f in located]
        self.found.extend((f, ok and not self.plan.empties(f)) for f, ok in zip(chunk.place(located), flags))
        self.words += chunk.doc.words
        self.names.add(chunk.doc.text, lambda s, e: chunk.place(
            locate(chunk.doc, [VARIANT.finding(chunk.doc, s, e, confidence=0.7)])))

    def name_variants(self, target: str) -> list[Finding]:
        return [f.evolve(message=message(rare, common), suggestions=(common,), fix=VARIANT.fix)
                for rare, common, places in self.names.variants(target) for located in places for f in located]


def with_best(located: Iterable[tuple[Finding, bool]], more: list[Finding],
              rank: Callable[[Finding], Any]) -> Iterator[tuple[Finding, bool]]:
    """``located`` (one finding per span, in file order) and ``more`` merged in file order, one
    finding per span as ``pipeline.locate`` keeps it: a finding of ``more`` takes a span only from
    a lower-ranked one.  ``fix`` never applies a finding of ``more`` (a name variant's fix is
    unsafe; tq/wrong-language has none)."""
    best: dict[tuple[int, int], Finding] = {}
    for f in more:
        other = best.get((f.start, f.end))
        if other is None or rank(f) > rank(other):
            best[(f.start, f.end)] = f
    waiting = sorted(best.values(), key=lambda f: (f.start, f.end))
    i = 0
    for f, applicable in located:
        span = (f.start, f.end)
        while i < len(waiting) and (waiting[i].start, waiting[i].end) < span:
            if best.get((waiting[i].start, waiting[i].end)) is waiting[i]:
                yield waiting[i], False
            i += 1
        other = best.get(span)
        if other is not None and rank(other) > rank(f):
            continue
        best.pop(span, None)
        yield f, applicable
    yield from ((w, False) for w in waiting[i:] if best.get((w.start, w.end)) is w)
