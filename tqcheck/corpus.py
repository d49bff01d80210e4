"""Corpus files: JSONL, CSV and Parquet exports of a CMS or a database, one document per record.

A corpus is read as a stream, one record at a time, so a 100,000-article archive never sits in
memory: :func:`records` yields each record as a :class:`~tqcheck.core.document.Document` named
``corpus.jsonl#ID`` (the ``--id-field`` value, else the record's number, 1-based) or, for a record
that cannot be checked, the :class:`~tqcheck.core.errors.InputError` that names the file and the record.
A problem with the whole file (missing, no such column, not Parquet) is one error for the file.
"""
from __future__ import annotations

import csv
import io
import json
import sys
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, AbstractSet, Any, Callable, Iterable, Iterator

from .core.document import Document
from .core.errors import InputError
from .formats import load_text

if TYPE_CHECKING:  # the parser reads RECORD_FORMATS at every start; the runner loads to check files
    from .runner import Outcome

#: Suffix → corpus reader.  ``.tsv`` is not here: it is a bilingual file (source<TAB>target).
CORPUS_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet"}
#: Values of ``--record-format``: how the text of a record is read (``auto`` sniffs HTML).
RECORD_FORMATS = ("auto", "txt", "md", "html")
#: Records per Parquet batch: a few MB of articles at a time.
PARQUET_BATCH = 256
#: JSON Lines records read without the text or id field before the field is taken for misnamed:
#: one error for the file, not one per record of a 100,000-article archive.
FIELD_PROBE = 10


@dataclass(frozen=True)
class Fields:
    """Where a record keeps its text and its id (``--text-field``, ``--id-field``), and the
    format of the text (``--record-format``)."""

    text: str = "text"
    id: str | None = None
    format: str = "auto"


def is_corpus(path: str) -> bool:
    return Path(path).suffix.lower() in CORPUS_SUFFIXES


def expand(paths: Iterable[str], fields: Fields,
           skip: AbstractSet[str] = frozenset()) -> Iterator[str | Document | InputError]:
    """``paths`` with each corpus file replaced by its records, in order, lazily; the documents
    named in ``skip`` (done by an earlier run) left out."""
    for path in paths:
        items: Iterable[str | Document | InputError] = records(path, fields) if is_corpus(path) else (path,)
        for item in items:
            if isinstance(item, InputError) or (item if isinstance(item, str) else item.path) not in skip:
                yield item


def records(path: str, fields: Fields) -> Iterator[Document | InputError]:
    """The records of one corpus file as documents, or the error of each bad record."""
    kind = CORPUS_SUFFIXES[Path(path).suffix.lower()]
    reader = {"jsonl": _jsonl_rows, "csv": _csv_rows, "parquet": _parquet_rows}[kind]
    seen: dict[str, int] = {}
    probe = _FieldProbe(path, fields)
    try:
        for number, where, row in reader(path, fields):
            if isinstance(row, str):  # the row itself is malformed: ``row`` says why (nothing of fields)
                yield InputError(path, f"record {number}{where}: {row}")
                continue
            item = _document(path, number, where, row, fields, seen)
            if probe.hold(row, item):
                continue
            yield from probe.flush()
            yield item
        yield from probe.flush()
    except InputError as exc:
        yield exc
    except OSError as exc:
        yield InputError(path, exc.strerror or "cannot be read")


class _FieldProbe:
    """Holds back the errors of records that lack the text or id field until one record has it:
    if :data:`FIELD_PROBE` records in a row lack it from the start, the field is misnamed
    (``--text-field``), and that is one error for the file.  (CSV and Parquet name their columns
    in a header, checked once by :func:`_require`.)"""

    def __init__(self, path: str, fields: Fields) -> None:
        self.path = path
        self.names = [name for name in (fields.text, fields.id) if name is not None]
        self.found = False
        self.held: list[Document | InputError] = []

    def hold(self, row: dict[str, Any], item: Document | InputError) -> bool:
        """True when ``item`` is held back (or the file given up: :class:`InputError` raised)."""
        if self.found:
            return False
        missing = [name for name in self.names if name not in row]
        if not missing:
            self.found = True
            return False
        self.held.append(item)
        if len(self.held) >= FIELD_PROBE:
            flag = "--text-field" if missing[0] == self.names[0] else "--id-field"
            raise InputError(self.path, f"none of the first {FIELD_PROBE} records has a field {missing[0]!r} "
                                        f"(fields: {', '.join(map(str, row)) or 'none'}); is {flag} right?")
        return True

    def flush(self) -> list[Document | InputError]:
        held, self.held = self.held, []
        return held


def count(paths: Iterable[str]) -> int:
    """How many inputs :func:`expand` yields (about: a corpus counts its non-blank lines or rows),
    for a progress bar; cheap next to checking them."""
    total = 0
    for path in paths:
        if not is_corpus(path):
            total += 1
            continue
        try:
            kind = CORPUS_SUFFIXES[Path(path).suffix.lower()]
            if kind == "parquet":
                total += _parquet_file(path).metadata.num_rows
            else:
                with open(path, "rb") as f:
                    header = 1 if kind == "csv" else 0
                    total += sum(1 for line in f if line.strip()) - header
        except (OSError, InputError):
            total += 1
    return total


def _document(path: str, number: int, where: str, row: dict[str, Any], fields: Fields,
              seen: dict[str, int]) -> Document | InputError:
    record = f"record {number}{where}"
    if fields.text not in row:
        return InputError(path, f"{record}: no field {fields.text!r} (fields: {', '.join(map(str, row)) or 'none'})")
    text = row[fields.text]
    if not isinstance(text, str):
        return InputError(path, f"{record}: field {fields.text!r} is {_kind(text)}, not text")
    key = str(number)
    if fields.id is not None:
        value = row.get(fields.id)
        if value is None or isinstance(value, (dict, list)) or str(value).strip() == "":
            return InputError(path, f"{record}: no usable {fields.id!r} (id field)")
        key = str(value).strip()
    if key in seen:  # two documents of one name: resume and reports could not tell them apart
        return InputError(path, f"{record}: id {key!r} repeats record {seen[key]}")
    seen[key] = number
    if not text.strip():
        return InputError(f"{path}#{key}", "empty text, nothing to check")
    try:
        return load_text(f"{path}#{key}", text, None if fields.format == "auto" else fields.format)
    except InputError as exc:
        return exc


def _kind(value: Any) -> str:
    """A value's type as JSON calls it (``null``, ``a number``, ``an array``, ...)."""
    kinds = {type(None): "null", bool: "a boolean", int: "a number", float: "a number", list: "an array",
             dict: "an object", str: "a string"}
    return kinds.get(type(value), f"a {type(value).__name__}")


Row = tuple[int, str, "dict[str, Any] | str"]


def _jsonl_rows(path: str, fields: Fields) -> Iterator[Row]:
    """One JSON object per line; blank lines are skipped, a bad line is a bad record."""
    with open(path, "rb") as f:
        number = 0
        for line_no, raw in enumerate(f, 1):
            if not raw.strip():
                continue
            number += 1
            where = f" (line {line_no})"
            try:
                row = json.loads(raw.decode("utf-8-sig" if line_no == 1 else "utf-8").rstrip("\r\n"))
            except UnicodeDecodeError as exc:
                yield number, where, f"not UTF-8 (invalid byte 0x{raw[exc.start]:02x})"
                continue
            except json.JSONDecodeError as exc:
                yield number, where, f"not valid JSON: {exc.msg} (column {exc.colno})"
                continue
            yield number, where, row if isinstance(row, dict) else f"{_kind(row)}, not a JSON object"


def _csv_rows(path: str, fields: Fields) -> Iterator[Row]:
    """A header row names the fields; articles may hold newlines inside quoted fields."""
    csv.field_size_limit(sys.maxsize)  # an article is longer than csv's 128 KB default
    with open(path, "rb") as raw:
        f = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        reader = csv.reader(f)
        try:
            header = next(reader, None)
            if header is None:
                raise InputError(path, "empty CSV file, no header row")
            _require(path, header, fields, "column")
            for number, values in enumerate(reader, 1):
                where = f" (line {reader.line_num})"
                if not any(v.strip() for v in values):
                    continue
                if len(values) != len(header):
                    yield number, where, f"{len(values)} fields where the header has {len(header)}"
                else:
                    yield number, where, dict(zip(header, values))
        except UnicodeDecodeError as exc:
            raise InputError(path, f"not UTF-8 text (invalid byte 0x{exc.object[exc.start]:02x})") from None
        except csv.Error as exc:  # an unterminated quote: the rest of the file cannot be split
            raise InputError(path, f"line {reader.line_num}: malformed CSV ({exc}); "
                                   "records after it not read") from None


def _parquet_file(path: str) -> Any:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError(path, "reading Parquet needs pyarrow: pip install 'tqcheck[corpus]'") from None
    try:
        return pq.ParquetFile(path)
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except Exception as exc:  # noqa: BLE001 - pyarrow raises its own types for a file that is not Parquet
        raise InputError(path, f"not a Parquet file ({exc})") from None


def _parquet_rows(path: str, fields: Fields) -> Iterator[Row]:
    """Only the text and id columns are read, a batch of rows at a time."""
    parquet = _parquet_file(path)
    names = parquet.schema_arrow.names
    _require(path, names, fields, "column")
    columns = [fields.text] + ([fields.id] if fields.id and fields.id != fields.text else [])
    number = 0
    batches = parquet.iter_batches(batch_size=PARQUET_BATCH, columns=columns)
    while True:
        try:
            batch = next(batches, None)
        except Exception as exc:  # noqa: BLE001 - pyarrow's own types for a damaged page
            raise InputError(path, f"records after {number} not read: damaged ({' '.join(str(exc).split())})") from None
        if batch is None:
            return
        for row in batch.to_pylist():
            number += 1
            yield number, "", row


def _require(path: str, names: list[str], fields: Fields, what: str) -> None:
    """A missing text or id column is one error for the whole file, not one per record."""
    for name in (fields.text, fields.id):
        if name is not None and name not in names:
            raise InputError(path, f"no {what} {name!r} ({what}s: {', '.join(names) or 'none'})")



def interleave(items: Iterable[str | Document | InputError],
               check: Callable[[Iterator[str | Document]], Iterator[Outcome]]) -> Iterator[Outcome]:
    """``check(inputs)`` (``runner.check_all`` or the Dask back end) over the inputs of ``items``,
    with each :class:`InputError` of ``items`` (a bad record) put back in its place as an
    outcome of its own, so that outcomes stay in input order."""
    from .runner import Outcome

    waiting: deque[tuple[int, InputError]] = deque()  # (inputs before it, error), in order
    passed = 0

    def inputs() -> Iterator[str | Document]:
        nonlocal passed
        for item in items:
            if isinstance(item, InputError):
                waiting.append((passed, item))
            else:
                passed += 1
                yield item

    done = 0
    for outcome in check(inputs()):
        while waiting and waiting[0][0] <= done:
            error = waiting.popleft()[1]
            yield Outcome(error.path, error=error)
        yield outcome
        done += 1
    for _, error in waiting:
        yield Outcome(error.path, error=error)
