"""Apply the best suggestion of each fixable finding to a file (``tqcheck fix``).

What is applied: findings whose ``fix`` is ``safe`` (typography, ordinals, exonyms, boilerplate
removal), and ``unsafe`` ones (false friends, calques, name variants) only when asked.  The first
suggestion is taken; when the fluency model is on, the pipeline has already ranked them.

Overlaps: edits never overlap.  Longer spans win (a deleted boilerplate line beats a name fix inside
it), then the earlier one.  A finding left out because it overlapped is not lost: like ruff, fix
checks the result again and applies what is still fixable, until a round changes nothing (at most
``MAX_ROUNDS``).  So fixing a fixed file changes nothing: fix is idempotent.

Deletions tidy up after themselves: a deleted whole line goes with its line break and the blank
lines after it (at the end of the file: the blank lines before it), so no pile-up of empty lines is
left; a word deleted inside a line takes one neighbouring space with it.

Writing never loses data: the file is written through ``cache.write_atomic`` (temporary file,
fsync, rename) with its permissions and BOM kept, and is refused when its bytes changed on disk
since they were read (size, mtime and SHA-256 compared just before the rename).
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

from .cache import write_atomic
from .document import decode, load_text, sniff_format
from .errors import InputError
from .findings import Finding
from .pipeline import FileResult, Options, check_document

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


def fixable(finding: Finding, unsafe: bool) -> bool:
    return bool(finding.suggestions) and (finding.fix == "safe" or (unsafe and finding.fix == "unsafe"))


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


def apply(content: str, edits: list[Finding], fmt: str) -> str:
    """``content`` with each edit's first suggestion in place of its span (edits sorted, disjoint)."""
    spans = _merge_deletions(content, [(f.start, f.end, f.suggestions[0]) for f in edits])
    parts: list[str] = []
    pos = 0
    for start, end, replacement in spans:
        if replacement == "":
            if fmt == "html":
                start, end = _whole_element(content, start, end)
            start, end = widen_deletion(content, start, end)
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


def _merge_deletions(content: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Join deletions separated only by whitespace (two boilerplate lines in a row) into one."""
    out: list[tuple[int, int, str]] = []
    for start, end, replacement in spans:
        if out and replacement == "" and out[-1][2] == "" and not content[out[-1][1]:start].strip():
            out[-1] = (out[-1][0], end, "")
        else:
            out.append((start, end, replacement))
    return out


def _whole_element(content: str, start: int, end: int) -> tuple[int, int]:
    """``start, end`` widened to the element around them when they are all of its text, so that
    deleting a boilerplate paragraph leaves no empty ``<p></p>`` behind."""
    opening = _OPENING_TAG.search(content, max(0, start - 500), start)
    if opening is None:
        return start, end
    closing = re.compile(_CLOSING_TAG.format(opening.group(1)), re.I).match(content, end)
    return (opening.start(), closing.end()) if closing else (start, end)


def widen_deletion(content: str, start: int, end: int) -> tuple[int, int]:
    """The span to delete so that removing ``content[start:end]`` leaves tidy text."""
    if not content[start:end].strip():
        return start, end  # deleting whitespace itself: exactly that
    line_start = content.rfind("\n", 0, start) + 1
    line_end = content.find("\n", end)
    line_end = len(content) if line_end == -1 else line_end
    if not content[line_start:start].strip() and not content[end:line_end].strip():
        after = _BLANK_LINES.match(content, min(line_end + 1, len(content))).end()
        if content[after:].strip():
            return line_start, after  # the line, its break and the blank lines after it
        # The last lines of the file: drop the blank lines before, keep the previous line's break.
        kept = len(content[:line_start].rstrip())
        return (content.find("\n", kept) + 1 if kept else 0), len(content)
    if content[end:end + 1] in (" ", "\t") and (start == line_start or content[start - 1] in " \t"):
        end = _SPACES.match(content, end).end()
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
        edits = choose(result.findings, unsafe)
        if not edits:
            break
        current = apply(current, edits, fmt)
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


def fix_path(path: str, options: Options, unsafe: bool, write: bool) -> FixResult:
    """Fix one file (``-``: standard input, never written); with ``write`` replace the file
    atomically, refusing if it changed since it was read."""
    if path == "-":
        content, _ = decode("<stdin>", sys.stdin.buffer.read())
        return fix_document("<stdin>", content, sniff_format("<stdin>", content), options, unsafe)
    real, data, st = read(path)
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
    more = sum(1 for f in left if not unsafe and fixable(f, True))
    verb = "Would fix" if dry_run else "Fixed"
    line = f"{verb} {applied} finding{'s' * (applied != 1)} in {files} file{'s' * (files != 1)}; {len(left)} left"
    return line + (f" ({more} fixable with --unsafe)" if more else "")
