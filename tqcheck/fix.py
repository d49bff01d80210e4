"""Apply the best suggestion of each fixable finding to a file (``tqcheck fix``).

What is applied: findings whose ``fix`` is ``safe`` (typography, ordinals, exonyms, boilerplate
removal), and ``unsafe`` ones (false friends, calques, name variants) only when asked; never a
model's guess.  The first suggestion is taken; when the fluency model is on, the pipeline has
already ranked them.

What is never touched: an edit is applied only inside one text run of the file (prose with no
markup inside, :meth:`Document.run_around`), so tags, inline codes, PO quotes and TSV tabs keep
every byte; a deletion never leaves a localisation unit (or a whole document) without text.

Overlaps: edits never overlap.  Longer spans win (a deleted boilerplate line beats a name fix inside
it), then the earlier one.  A finding left out because it overlapped is not lost: like ruff, fix
checks the result again and applies what is still fixable, until a round changes nothing (at most
``MAX_ROUNDS``).  So fixing a fixed file changes nothing: fix is idempotent.

Deletions tidy up after themselves, inside their text run: a deleted whole line goes with its line
break and, when it is a paragraph of its own, the blank lines after it (at the end of the run: the
blank lines before it), so no pile-up of empty lines is left; a word deleted inside a line takes
one neighbouring space with it.  The whole HTML block element or Markdown list item whose text is
deleted goes too, so no empty ``<p></p>`` or ``-`` is left.

Writing never loses data and respects protection: a read-only file is refused.  The file is
written through ``cache.write_atomic`` (temporary file, fsync, rename) with its permissions and
BOM kept, and is refused when its bytes changed on disk since they were read (size, mtime and
SHA-256 compared just before the rename).
"""
from __future__ import annotations

import bisect
import dataclasses
import difflib
import hashlib
import html
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from .cache import write_atomic
from .core.document import LOCALISATION_FORMATS, Document
from .core.errors import InputError
from .core.findings import Finding, fixable
from .core.results import FileResult, Options
from .core.segments import Segment
from .formats import decode, load_text, sniff_format
from .formats.markdown import MD_LINE_PREFIX
from .pipeline import check_document

#: Rounds of check-and-apply before fix gives up converging (a round normally fixes everything;
#: the next finds nothing to do).
MAX_ROUNDS = 10
_BOM = b"\xef\xbb\xbf"
_BLANK_LINES = re.compile(r"(?:[ \t\r\f\v]*\n)*")
_SPACES = re.compile(r"[ \t]*")
#: In HTML, an element whose whole text a deletion removes goes with it: its opening tag just
#: before the deleted text ...
_OPENING_TAG = re.compile(r"<(p|li|h[1-6]|div|blockquote|figcaption|aside|section|dt|dd)\b[^<>]*>\s*\Z", re.I)
#: ... and its closing tag just after.
_CLOSING_TAG = r"\s*</{}\s*>"


@dataclass
class FixResult:
    """A file before and after fixing."""

    path: str
    original: str
    fixed: str
    #: Findings of the text as read, and of the fixed text (what is left).
    before: FileResult
    after: FileResult
    #: Findings whose suggestion was applied, over all rounds.
    applied: list[Finding]

    @property
    def changed(self) -> bool:
        return self.fixed != self.original

    def diff(self) -> str:
        """Unified diff from the file as read to the fixed text."""
        name = self.path
        lines = difflib.unified_diff(self.original.splitlines(keepends=True), self.fixed.splitlines(keepends=True),
                                     name, name)
        return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def applicable(findings: Iterable[Finding], doc: Document, unsafe: bool) -> list[Finding]:
    """The fixable findings whose edit keeps every byte of markup: the span lies inside one text
    run of the file, and a deletion leaves some text in its unit (a localisation string) or
    document."""
    units = _Units(doc)
    return [f for f in findings
            if fixable(f, unsafe) and doc.run_around(f.start, f.end) is not None and not units.emptied([f])]


def choose(findings: list[Finding], unsafe: bool) -> list[Finding]:
    """The fixable findings to apply together: no two overlap; longer spans first, then earlier."""
    chosen_starts: list[int] = []
    chosen: list[Finding] = []
    for f in sorted((f for f in findings if fixable(f, unsafe)), key=lambda f: (f.start - f.end, f.start)):
        i = bisect.bisect_right(chosen_starts, f.start)
        before = chosen[i - 1] if i else None
        after = chosen[i] if i < len(chosen) else None
        clear_before = before is None or (before.end <= f.start and before.start != f.start)
        clear_after = after is None or f.end <= after.start
        if clear_before and clear_after:
            chosen_starts.insert(i, f.start)
            chosen.insert(i, f)
    return chosen


def plan(result: FileResult, unsafe: bool) -> list[Finding]:
    """The edits of one round: applicable, not overlapping, and not emptying a unit together."""
    edits = choose(applicable(result.findings, result.doc, unsafe), unsafe)
    emptied = _Units(result.doc).emptied(edits)
    return [f for f in edits
            if f.suggestions[0] or not any(a <= f.start and f.end <= b for a, b in emptied)]


class _Units:
    """The units a deletion must leave some text in: each target of a localisation file (there
    "Subscribe now" is the string, not page furniture), otherwise the whole document (fix never
    deletes all the text it was given)."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        segments = [u.target for u in doc.bilingual.units] \
            if doc.format in LOCALISATION_FORMATS and doc.bilingual else [Segment(0, len(doc.text))]
        self.units = sorted(((doc.source_span(u.start, u.end), u) for u in segments), key=lambda pair: pair[0])
        self.starts = [span[0] for span, _ in self.units]

    def emptied(self, edits: list[Finding]) -> list[tuple[int, int]]:
        """Content spans of the units that the deletions among ``edits`` would leave without text."""
        deletions = sorted((f.start, f.end) for f in edits if not f.suggestions[0])
        if not deletions:
            return []
        starts = [a for a, _ in deletions]

        def deleted(t: int) -> bool:
            c = self.doc.source_span(t, t + 1)[0]
            i = bisect.bisect_right(starts, c) - 1
            return i >= 0 and c < deletions[i][1]

        touched = {bisect.bisect_right(self.starts, a) - 1 for a, _ in deletions} - {-1}
        out = []
        text = self.doc.text
        for i in sorted(touched):
            span, unit = self.units[i]
            if all(text[t].isspace() or deleted(t) for t in range(unit.start, unit.end)):
                out.append(span)
        return out


def apply(content: str, edits: list[Finding], fmt: str, doc: Document | None = None) -> str:
    """``content`` with each edit's first suggestion in place of its span (edits sorted, disjoint).

    ``doc`` (the document read from ``content``) bounds the tidying of a deletion to the text run
    it lies in, so that it never takes a tab between TSV columns or a quote of a PO string.
    """
    def run(start: int, end: int) -> tuple[int, int]:
        around = doc.run_around(start, end) if doc is not None else None
        return around or (0, len(content))

    spans = _merge_deletions(content, [(f.start, f.end, f.suggestions[0]) for f in edits], run)
    parts: list[str] = []
    pos = 0
    for start, end, replacement in spans:
        if replacement == "":
            lo, hi = run(start, end)
            whole = _whole_element(content, start, end) if fmt == "html" else \
                _whole_list_item(content, start, end) if fmt == "md" else None
            if whole is not None:  # the structure around the text goes with it
                (start, end), (lo, hi) = whole, (0, len(content))
            start, end = widen_deletion(content, start, end, lo, hi)
        else:
            replacement = escape(replacement, fmt)
        start = max(start, pos)
        parts.append(content[pos:start])
        parts.append(replacement)
        pos = max(end, pos)
    parts.append(content[pos:])
    return "".join(parts)


def escape(text: str, fmt: str) -> str:
    """A suggestion as the file's format writes it: escaped in markup, C-quoted in PO strings."""
    if fmt in ("html", "xliff"):
        return html.escape(text, quote=False)
    if fmt == "po":
        return text.replace("\\", "\\\\").replace('"', '\\"')
    return text


def _merge_deletions(content: str, spans: list[tuple[int, int, str]],
                     run: Callable[[int, int], tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Join deletions separated only by whitespace of the same text run (two boilerplate lines in
    a row) into one."""
    out: list[tuple[int, int, str]] = []
    for start, end, replacement in spans:
        if out and replacement == "" and out[-1][2] == "" and not content[out[-1][1]:start].strip() \
                and run(out[-1][0], out[-1][1]) == run(start, end):
            out[-1] = (out[-1][0], end, "")
        else:
            out.append((start, end, replacement))
    return out


def _whole_element(content: str, start: int, end: int) -> tuple[int, int] | None:
    """The element around ``start, end`` when they are all of its text, so that deleting a
    boilerplate paragraph leaves no empty ``<p></p>`` behind."""
    opening = _OPENING_TAG.search(content, max(0, start - 500), start)
    if opening is None:
        return None
    closing = re.compile(_CLOSING_TAG.format(opening.group(1)), re.I).match(content, end)
    return (opening.start(), closing.end()) if closing else None


def _whole_list_item(content: str, start: int, end: int) -> tuple[int, int] | None:
    """The Markdown line from its start when ``start, end`` are all of its text after a list,
    heading or quote marker, so that no empty ``-`` bullet is left behind."""
    line_start = content.rfind("\n", 0, start) + 1
    line_end = content.find("\n", end)
    prefix = MD_LINE_PREFIX.match(content, line_start, start)
    if prefix is None or not content[line_start:prefix.end()].strip() or content[prefix.end():start].strip() \
            or content[end:len(content) if line_end == -1 else line_end].strip():
        return None
    return line_start, end


def widen_deletion(content: str, start: int, end: int, lo: int = 0, hi: int | None = None) -> tuple[int, int]:
    """The span to delete so that removing ``content[start:end]`` leaves tidy text, never reaching
    outside ``content[lo:hi]`` (the text run of the span)."""
    hi = len(content) if hi is None else hi
    if not content[start:end].strip():
        return start, end  # deleting whitespace itself: exactly that
    line_start = content.rfind("\n", 0, start) + 1
    line_end = content.find("\n", end)
    line_end = len(content) if line_end == -1 else line_end
    if lo <= line_start and line_end <= hi and not content[line_start:start].strip() \
            and not content[end:line_end].strip():
        after = min(line_end + 1, hi)
        if line_start == lo or not content[lo:line_start - 1].rsplit("\n", 1)[-1].strip():
            after = _BLANK_LINES.match(content, after, hi).end()  # type: ignore[union-attr]  # a paragraph of its own
        if content[after:hi].strip():
            return line_start, after  # the line, its break and the blank lines after a paragraph
        # The last lines of the run: drop the blank lines before, keep the previous line's break.
        kept = lo + len(content[lo:line_start].rstrip())
        return (content.find("\n", kept) + 1 if kept > lo else lo), hi
    line_start, line_end = max(line_start, lo), min(line_end, hi)
    if content[end:end + 1] in (" ", "\t") and end < hi and (start == line_start or content[start - 1] in " \t"):
        end = _SPACES.match(content, end, hi).end()  # type: ignore[union-attr]  # a space is there
    elif content[end:line_end].strip() == "":
        while start > line_start and content[start - 1] in " \t":
            start -= 1
    return start, end


def fix_document(path: str, content: str, fmt: str, options: Options, unsafe: bool) -> FixResult:
    """Check, apply, and check again until nothing fixable is left (or ``MAX_ROUNDS``)."""
    before = check_document(load_text(path, content, fmt), options)
    # Later rounds keep the language found in the first, so a fix cannot switch the rule packs.
    options = dataclasses.replace(options, target_lang=before.target_lang)
    current, result, applied = content, before, []
    for _ in range(MAX_ROUNDS):
        edits = plan(result, unsafe)
        if not edits:
            break
        current = apply(current, edits, fmt, result.doc)
        applied.extend(edits)
        result = check_document(load_text(path, current, fmt), options)
    return FixResult(path, content, current, before, result, applied)


# -- files ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Snapshot:
    """What the file was when read: compared again just before the fixed text replaces it."""

    size: int
    mtime_ns: int
    digest: str

    @classmethod
    def of(cls, data: bytes, st: os.stat_result) -> "_Snapshot":
        return cls(st.st_size, st.st_mtime_ns, hashlib.sha256(data).hexdigest())


def read(path: str) -> tuple[Path, bytes, os.stat_result]:
    """The real file behind ``path`` (symlinks followed, so a link is not replaced by a copy), its
    bytes and its status taken before reading."""
    real = Path(path).resolve()
    try:
        st = real.stat()
        if real.is_dir():
            raise InputError(path, "is a directory")
        data = real.read_bytes()
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except OSError as exc:
        raise InputError(path, exc.strerror or "cannot be read") from None
    return real, data, st


def writable(real: Path, st: os.stat_result) -> bool:
    """A file its owner may write: some write bit set (a 0444 file is protected even from root,
    who ``os.access`` says may write anything) and writable by this user."""
    return bool(st.st_mode & 0o222) and os.access(real, os.W_OK)


def fix_path(path: str, options: Options, unsafe: bool, write: bool) -> FixResult:
    """Fix one file (``-``: standard input, never written); with ``write`` replace the file
    atomically, refusing if it changed since it was read."""
    if path == "-":
        from . import formats

        name = formats.stdin_name
        content, _ = decode(name, sys.stdin.buffer.read())
        return fix_document(name, content, sniff_format(name, content), options, unsafe)
    real, data, st = read(path)
    if write and not writable(real, st):
        raise InputError(path, "read-only file, not fixed (make it writable, or use --diff)")
    content, bom = decode(path, data)
    result = fix_document(path, content, sniff_format(path, content), options, unsafe)
    if write and result.changed:
        snapshot = _Snapshot.of(data, st)

        def unchanged() -> None:
            try:
                now = real.stat()
                same = (now.st_size, now.st_mtime_ns) == (snapshot.size, snapshot.mtime_ns) and \
                    hashlib.sha256(real.read_bytes()).hexdigest() == snapshot.digest
            except OSError:
                same = False
            if not same:
                raise InputError(path, "changed on disk while it was being fixed; left as it is (run fix again)")

        encoded = (_BOM if bom else b"") + result.fixed.encode("utf-8")
        write_atomic(real, encoded, mode=st.st_mode & 0o7777, before_replace=unchanged)
    return result


def summary(results: list[FixResult], unsafe: bool, dry_run: bool) -> str:
    """One line in ruff's manner: how many findings were (or would be) fixed, and how many remain."""
    applied = sum(len(r.applied) for r in results)
    files = sum(1 for r in results if r.changed)
    left = [f for r in results for f in r.after.findings]
    more = 0 if unsafe else sum(len(applicable(r.after.findings, r.after.doc, True)) for r in results)
    verb = "Would fix" if dry_run else "Fixed"
    line = f"{verb} {applied} finding{'s' * (applied != 1)} in {files} file{'s' * (files != 1)}; {len(left)} left"
    return line + (f" ({more} fixable with --unsafe)" if more else "")
