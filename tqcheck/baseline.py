"""A baseline: the findings known when it was made, so CI fails on new findings only.

An entry is keyed on the rule, the flagged text and the words around it (lower-cased, markup and
spacing ignored), never on line numbers, so it survives edits elsewhere in the file and lines
moving.  Entries carry a count, so a file with the same phrase flagged twice needs two entries, and
a third copy is new.  Paths are stored relative to the baseline file, so the check can run from
any directory.
"""
from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ._version import __version__
from .cache import write_atomic
from .core.document import WORD, Document
from .core.errors import InputError
from .core.findings import Finding

if TYPE_CHECKING:
    from .core.results import FileResult

VERSION = 1
DEFAULT_PATH = ".tqcheck-baseline.json"
#: Words on each side of a finding that identify it.
CONTEXT_WORDS = 4
#: How far to look for those words (characters), so a long run of markup costs nothing.
_REACH = 400

Key = tuple[str, str, str]


def context(content: str, start: int, end: int) -> str:
    """The words around ``content[start:end]``, normalised: ``before … after``."""
    before = WORD.findall(content[max(0, start - _REACH):start])[-CONTEXT_WORDS:]
    after = WORD.findall(content[end:end + _REACH])[:CONTEXT_WORDS]
    return f"{' '.join(before)} … {' '.join(after)}".lower()


def fingerprint(doc: Document, finding: Finding) -> Key:
    """What identifies a finding across edits: rule, text and context."""
    return finding.rule, finding.text, context(doc.content, finding.start, finding.end)


def file_key(path: str, base_dir: Path) -> str:
    """``path`` relative to the baseline's folder, with ``/`` separators (stdin stays ``<stdin>``)."""
    if path == "<stdin>":
        return path
    return Path(os.path.relpath(os.path.abspath(path), base_dir.resolve())).as_posix()


@dataclass
class Baseline:
    """Known findings per file: ``entries[file_key][(rule, text, context)] = count``."""

    path: Path
    entries: dict[str, Counter[Key]]

    @classmethod
    def load(cls, path: str) -> "Baseline":
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise InputError(path, "baseline not found (tqcheck baseline create writes one)") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InputError(path, f"not a baseline file: {exc}") from None
        if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("files"), dict):
            raise InputError(path, f"not a version {VERSION} tqcheck baseline")
        try:
            entries = {
                name: Counter({(e["rule"], e["text"], e["context"]): int(e["count"]) for e in items})
                for name, items in data["files"].items()
            }
        except (KeyError, TypeError, ValueError):
            raise InputError(path, "malformed baseline entry (needs rule, text, context, count)") from None
        return cls(Path(path), entries)

    def filter(self, doc: Document, findings: list[Finding]) -> list[Finding]:
        """The findings of ``doc`` that the baseline does not know (each entry absorbs ``count``)."""
        known = Counter(self.entries.get(file_key(doc.path, self.path.parent), ()))
        new = []
        for f in findings:
            key = fingerprint(doc, f)
            if known[key] > 0:
                known[key] -= 1
            else:
                new.append(f)
        return new


def build(results: list["FileResult"], path: Path) -> dict:
    """The baseline document for ``results``, to be stored at ``path``."""
    files: dict[str, list[dict]] = {}
    for r in results:
        counts = Counter(fingerprint(r.doc, f) for f in r.findings)
        if counts:
            files[file_key(r.doc.path, path.parent)] = [
                {"rule": rule, "text": text, "context": ctx, "count": n}
                for (rule, text, ctx), n in sorted(counts.items())
            ]
    return {"version": VERSION, "tool": f"tqcheck {__version__}", "files": dict(sorted(files.items()))}


def write(results: list["FileResult"], path: str) -> int:
    """Store the baseline for ``results`` at ``path`` atomically; returns the number of findings."""
    document = build(results, Path(path))
    write_atomic(Path(path), (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    return sum(e["count"] for entries in document["files"].values() for e in entries)
