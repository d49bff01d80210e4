"""Results as JSON Lines (``--format jsonl``, ``--resume``): one record per document, written and
flushed as soon as the document is done, so a run killed after hours loses at most the record it
was writing.  The schema is in the README, next to the JSON schema.

Records (``type``):

* ``file``: the fields of a file in ``--format json`` plus ``content`` (the document's text, so
  reports can be built later without the inputs: ``tqcheck report --from``);
* ``error``: ``path`` and ``problem`` of an input that could not be checked;
* ``summary``: the last line of a run that went through all its inputs: the ``--format json``
  summary, gate included.  A resumed run removes it and writes a new one at its end;
* ``resume``: where a resumed run started appending.  It checks again every input that failed
  before, so readers drop the ``error`` records above it: the errors are the last run's.

Readers ignore a last line cut off mid-write (it has no newline yet).
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Collection, Iterator, Sequence

from .._version import __version__
from ..core.document import Document
from ..core.errors import InputError
from ..core.findings import Finding
from ..formats.large import LargeDocument
from ..langguess import LangGuess
from ..streaming import Spool
from .base import PLAIN, View
from .json_report import JSON_VERSION, file_dict

if TYPE_CHECKING:
    from ..core.results import CheckedFile, FileResult
    from ..gate import Gate


def file_record(result: "CheckedFile") -> dict[str, Any]:
    return {"type": "file", **file_dict(result), "content": result.doc.content}


def error_record(error: InputError) -> dict[str, Any]:
    return {"type": "error", "path": error.path, "problem": error.problem}


def summary_record(results: Sequence["CheckedFile"], gate: "Gate") -> dict[str, Any]:
    from . import run_signature, summary

    signature = run_signature(results)
    return {"type": "summary", "version": JSON_VERSION, "tool": {"name": "tqcheck", "version": __version__},
            **({"signature": signature} if signature else {}), **summary(results), **gate.summary(results)}


def line(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False) + "\n"


#: ``--format`` name, and the output suffixes that choose this format (``report/base.py``).
NAME = "jsonl"
SUFFIXES: tuple[str, ...] = (".jsonl",)


def render(results: list["FileResult"], gate: "Gate", view: View = PLAIN) -> str:
    """The whole file at once (``tqcheck report -o results.jsonl``)."""
    return "".join(line(file_record(r)) for r in results) + line(summary_record(results, gate))


class Writer:
    """Appends records to a stream, each flushed (and, for a file, handed to the OS) at once."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream

    def write(self, record: dict[str, Any]) -> None:
        self.stream.write(line(record))
        self.stream.flush()

    def write_file(self, result: "CheckedFile") -> "StoredResult":
        """The ``file`` record of ``result``, as :func:`file_record` makes it, written a finding
        and a chunk of text at a time (a large file's are read from disk, never held: the record
        of a 50 MB file is larger than the file); returns what the summary keeps of it."""
        head = file_dict(result, findings=False)
        start = line({"type": "file", **head, "content": ""})
        assert start.endswith(_TAIL), "findings and content close a file record"
        self.stream.write(start[:-len(_TAIL)] + '"findings": [')
        for i, f in enumerate(result.findings):
            self.stream.write((", " if i else "") + json.dumps(f.to_dict(), ensure_ascii=False))
        self.stream.write('], "content": "')
        for piece in _content(result.doc):
            self.stream.write(json.dumps(piece, ensure_ascii=False)[1:-1])
        self.stream.write('"}\n')
        self.stream.flush()
        stored = StoredResult.from_record(head)
        stored.findings = _Reread(result.findings) if isinstance(result.findings, Spool) else \
            [Finding.from_dict(f.to_dict()) for f in result.findings]
        return stored


#: How a ``file`` record ends before its findings and content are written.
_TAIL = '"findings": [], "content": ""}\n'


def _content(doc: Document) -> Iterator[str]:
    """The text of ``doc`` in pieces: a large file's chunk by chunk, from disk."""
    if isinstance(doc, LargeDocument):
        yield from (doc.source.read(b) for b in doc.bounds)
    else:
        yield doc.content


class _Reread(Collection[Finding]):
    """Findings on disk as a results file gives them back (``Finding.from_dict``), read anew
    each time: what the summary record counts of a large file, without holding them."""

    def __init__(self, findings: Spool[Finding]) -> None:
        self.findings = findings

    def __iter__(self) -> Iterator[Finding]:
        return (Finding.from_dict(f.to_dict()) for f in self.findings)

    def __len__(self) -> int:
        return len(self.findings)

    def __contains__(self, item: object) -> bool:
        return any(item == mine for mine in self)


# -- reading ------------------------------------------------------------------------------------
@dataclass
class StoredFluency:
    """A file's fluency as a results file holds it: what reports and scores read."""

    record: dict[str, Any]
    sentences: list[Any] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.sentences = [_Sentence(s["start"], s["end"], s["score"]) for s in self.record.get("sentences", [])]

    @property
    def model(self) -> str:
        return self.record["model"]

    @property
    def score(self) -> float:
        return self.record["score"]

    @property
    def penalty(self) -> float:
        return self.record["penalty"]

    def to_dict(self, penalty: float) -> dict[str, Any]:
        """The record as read (``penalty`` is in it already)."""
        return self.record


@dataclass(frozen=True)
class _Sentence:
    start: int
    end: int
    score: float


@dataclass
class StoredResult:
    """A checked document read back from a ``file`` record: it has what every report, the summary
    and the gate read of a :class:`~tqcheck.core.results.FileResult`."""

    doc: Document
    source_lang: str | None
    target_lang: str
    findings: Collection[Finding]
    source_guess: LangGuess | None
    fluency: StoredFluency | None
    words: int
    penalty: float
    score: float
    signature: str | None

    @property
    def fluency_penalty(self) -> float:
        return self.fluency.penalty if self.fluency is not None else 0.0

    @property
    def omission_penalty(self) -> float:
        """Not in the record: what its penalty holds beyond its findings and fluency (to the
        record's rounding)."""
        from ..scoring import DEFAULT

        return max(self.penalty - DEFAULT.penalty(self.findings, self.words) - self.fluency_penalty, 0.0)

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> "StoredResult":
        guess = record.get("source_lang_guess")
        fluency = record.get("fluency")
        return cls(Document(record["path"], record.get("content", ""), record.get("format", "txt")),
                   record.get("source_lang"), record["target_lang"],
                   [Finding.from_dict(f) for f in record["findings"]],
                   LangGuess(guess["lang"], guess["confidence"], guess["basis"]) if guess else None,
                   StoredFluency(fluency) if fluency else None,
                   record["words"], record["penalty"], record["score"], record.get("signature"))


@dataclass
class Contents:
    """What a results file holds: the ``file`` records by path, the last run's ``error`` records."""

    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    error_records: list[dict[str, Any]] = field(default_factory=list)
    #: Bytes of the file up to the end of its last document record (``--resume`` truncates there:
    #: a trailing summary and a line cut off mid-write go).
    end: int = 0
    #: The file read, and the line of each ``file`` record, to name a record that cannot be used.
    source: str = ""
    lines: dict[str, int] = field(default_factory=dict)

    def results(self) -> list[StoredResult]:
        """The documents; :class:`InputError` naming the line of a ``file`` record that lacks a
        field or holds one of the wrong kind (a file edited by hand or written by another tool)."""
        out = []
        for path, record in self.files.items():
            try:
                out.append(StoredResult.from_record(record))
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                why = f"no field {exc}" if isinstance(exc, KeyError) else f"{type(exc).__name__}: {exc}"
                raise InputError(self.source, f"line {self.lines[path]}: not a complete file record ({why})") from None
        return out

    def errors(self) -> list[InputError]:
        return [InputError(r["path"], r["problem"]) for r in self.error_records]

    def done(self) -> frozenset[str]:
        """Documents checked already (an input that failed is tried again)."""
        return frozenset(self.files)


def read(path: str | Path, content: bool = True) -> Contents:
    """Read a results file; a missing file reads as empty.  Raises :class:`InputError` for a line
    that is not a tqcheck record, except a last line cut off mid-write (no newline at its end).
    ``content=False`` drops the documents' text as it reads (``--resume`` needs only the rest)."""
    contents = Contents(source=str(path))
    offset = 0
    try:
        f = open(path, "rb")
    except FileNotFoundError:
        return contents
    except OSError as exc:
        raise InputError(str(path), exc.strerror or "cannot be read") from None
    with f:
        for number, raw in enumerate(f, 1):
            offset += len(raw)
            if not raw.endswith(b"\n"):
                break  # killed mid-write: the document is checked again
            record = _parse(raw)
            if record is None:
                raise InputError(str(path), f"line {number} is not a tqcheck results record")
            if not content:
                record.pop("content", None)
            kind = record["type"]
            if kind == "file":
                contents.files[record["path"]] = record
                contents.lines[record["path"]] = number
            elif kind == "error":
                contents.error_records.append(record)
            elif kind == "resume":
                contents.error_records.clear()
            if kind != "summary":
                contents.end = offset
    return contents


def _parse(raw: bytes) -> dict[str, Any] | None:
    try:
        record = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
    ok = isinstance(record, dict) and (record.get("type") in ("summary", "resume") or
                                       (record.get("type") in ("file", "error") and isinstance(record.get("path"), str)
                                        and (record["type"] == "file" or "problem" in record)))
    return record if ok else None


def open_for_resume(path: str | Path, contents: Contents) -> IO[str]:
    """The results file opened for appending after its last document record (what follows, a
    summary or a cut-off line, is removed first), with a ``resume`` record when it had some."""
    try:
        f = open(path, "r+" if os.path.exists(path) else "w", encoding="utf-8")
        f.truncate(contents.end)
        f.seek(contents.end)
    except OSError as exc:
        raise InputError(str(path), f"cannot write the results: {exc.strerror or exc}") from None
    if contents.end:
        Writer(f).write({"type": "resume", "done": len(contents.files)})
    return f
