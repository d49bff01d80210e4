"""Findings (immutable, with their text and file spans), their MQM categories, severities and
fix applicability (:class:`Fix`), and :class:`CheckRule`, the description of a
finding type that a code check or the fluency model reports.

Every check returns :class:`Finding` objects and nothing else, so every output format, the
scorer (``tqcheck/scoring.py``) and ``fix`` read the same spans.
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from enum import IntEnum, StrEnum
from typing import TYPE_CHECKING, Any, Sequence

if TYPE_CHECKING:
    from .document import Document


class Severity(IntEnum):
    """Ordered so that ``finding.severity >= threshold`` works for gates."""

    MINOR = 1
    MAJOR = 2
    CRITICAL = 3

    @classmethod
    def parse(cls, name: str) -> "Severity":
        try:
            return cls[name.upper()]
        except KeyError:
            raise ValueError(f"unknown severity {name!r} (minor, major, critical)") from None

    @property
    def label(self) -> str:
        return self.name.lower()


class Fix(StrEnum):
    """How ``tqcheck fix`` may apply a finding's best suggestion; None where no fix is offered.

    A string enum, so that reports, configuration and rule files keep the words ``safe`` and
    ``unsafe`` they have always used, while code compares members, not strings.
    """

    #: Applied by ``tqcheck fix``: the suggestion keeps the meaning.
    SAFE = "safe"
    #: Applied only with ``--unsafe``: it may change the meaning or be wrong in context.
    UNSAFE = "unsafe"

    @classmethod
    def parse(cls, name: str | None) -> "Fix | None":
        """``safe``, ``unsafe``, or ``none``/None (no fix), as rule files and reports write it."""
        if name is None or name == "none":
            return None
        try:
            return cls(name)
        except ValueError:
            raise ValueError(f"unknown fix {name!r} (safe, unsafe, none)") from None


def fixable(finding: "Finding", unsafe: bool) -> bool:
    """A suggestion ``fix`` may apply: the rule's own, safe (or unsafe when asked), never a model's
    guess (a spelling neighbour the model liked: "dead" → "deal" is a guess, not a fix).  Here,
    not in ``fix.py``, because the pipeline asks too: a large file's chunks count what ``fix``
    could apply (``--statistics``) while they are at hand."""
    return bool(finding.suggestions) and finding.origin != "model" and \
        (finding.fix is Fix.SAFE or (unsafe and finding.fix is Fix.UNSAFE))


#: MQM dimensions (themqm.org) used as the first part of every category, e.g. ``accuracy/untranslated``.
CATEGORIES: dict[str, tuple[str, ...]] = {
    "accuracy": ("mistranslation", "omission", "addition", "untranslated"),
    "terminology": ("wrong-term", "inconsistent"),
    "linguistic-conventions": ("grammar", "spelling", "punctuation", "character-encoding"),
    "style": ("unidiomatic", "inconsistent"),
    "locale-conventions": ("number-format", "date-format", "currency-format", "name-format"),
    "fluency": ("unnatural",),
}


def validate_category(category: str) -> str:
    """Return ``category`` if it is ``dimension/subtype`` from :data:`CATEGORIES`, else raise."""
    dimension, _, subtype = category.partition("/")
    if subtype not in CATEGORIES.get(dimension, ()):
        raise ValueError(f"unknown MQM category {category!r}")
    return category


@dataclass(frozen=True, slots=True, init=False)
class Span:
    """``[start, end)`` of a string, and the characters there.  Slotted, as is :class:`FileSpan`:
    every finding holds one or two, and a large input holds hundreds of thousands of findings
    (:class:`Finding` itself keeps a ``__dict__``, which :meth:`Finding.evolve` copies in one go)."""

    start: int
    end: int
    text: str

    def __init__(self, start: int, end: int, text: str) -> None:
        """The fields set through their slots' own setters: the ``__init__`` a frozen dataclass
        writes looks ``object.__setattr__`` up for each field and costs half as much again, per
        finding and stage on an input with a finding every few characters."""
        _set_start(self, start)
        _set_end(self, end)
        _set_text(self, text)


@dataclass(frozen=True, slots=True, init=False)
class FileSpan(Span):
    """A span of the file as read (``Document.content``), with the 1-based line and column (in
    characters) of its start: where every report, ``fix`` and an editor point."""

    line: int
    column: int

    def __init__(self, start: int, end: int, text: str, line: int, column: int) -> None:
        """As :meth:`Span.__init__`."""
        _set_start(self, start)
        _set_end(self, end)
        _set_text(self, text)
        _set_line(self, line)
        _set_column(self, column)


_set_start, _set_end, _set_text = (Span.__dict__[name].__set__ for name in ("start", "end", "text"))
_set_line, _set_column = (FileSpan.__dict__[name].__set__ for name in ("line", "column"))


@dataclass(frozen=True, init=False)
class Finding:
    """One problem, immutable: a stage that changes a finding (ranked suggestions, a raised
    confidence, a severity override) builds a new one with :meth:`evolve`.

    Checks find problems in ``Document.text`` (markup and entities resolved) and report
    ``text_span``; :func:`tqcheck.pipeline.locate` adds ``file_span``, the same words in the file
    as written.  The two are kept apart, because they differ wherever the file has markup.
    ``start``, ``end``, ``text``, ``line`` and ``column`` read the file span once there is one
    (what every report shows), and the text span before.
    """

    rule: str
    category: str
    severity: Severity
    message: str
    text_span: Span
    #: Replacements for the text, best first; ``""`` deletes it.
    suggestions: tuple[str, ...] = ()
    #: The rule's measured precision (0-1); below ``min-confidence`` a finding never fails a run.
    confidence: float = 1.0
    origin: str = "rule"  # rule | check | model | termbase | source
    fix: Fix | None = None
    file_span: FileSpan | None = None

    def __init__(self, rule: str, category: str, severity: Severity, message: str, text_span: Span,
                 suggestions: tuple[str, ...] = (), confidence: float = 1.0, origin: str = "rule",
                 fix: Fix | None = None, file_span: FileSpan | None = None) -> None:
        """The fields set in one go, as :meth:`evolve` copies them: the ``__init__`` a frozen
        dataclass writes sets each field through ``object.__setattr__``, and costs about three
        times as much; an input with a finding every few characters pays it per finding."""
        self.__dict__.update(rule=rule, category=category, severity=severity, message=message,
                             text_span=text_span, suggestions=suggestions, confidence=confidence,
                             origin=origin, fix=fix, file_span=file_span)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Finding":
        """A finding of a report (``to_dict``) read back.  A report holds only the place in the
        file, which then stands for the text span as well."""
        place = FileSpan(d["start"], d["end"], d["text"], d.get("line", 0), d.get("column", 0))
        return cls(d["rule"], d["category"], Severity.parse(d["severity"]), d["message"], place,
                   tuple(d.get("suggestions", ())), d.get("confidence", 1.0), d.get("origin", "rule"),
                   Fix.parse(d.get("fix")), place)

    def evolve(self, **changes: Any) -> "Finding":
        """A copy with ``changes`` applied: :func:`dataclasses.replace` without running
        ``__init__`` again (cheaper: no field defaults or checks to run), because every stage copies each finding and an
        input with a finding every few characters pays that per finding (bench_adversarial.py)."""
        copy = object.__new__(Finding)
        fields = copy.__dict__
        fields.update(self.__dict__, **changes)  # frozen: fields are set through __dict__
        if len(fields) != len(_FIELDS):  # a name that is no field added one (cheaper than a set test first)
            raise TypeError(f"Finding has no field {sorted(changes.keys() - _FIELDS)[0]!r}")
        return copy

    @property
    def place(self) -> Span:
        """Where the finding is as far as it is known: in the file once located, else in the text."""
        return self.file_span or self.text_span

    @property
    def start(self) -> int:
        return self.place.start

    @property
    def end(self) -> int:
        return self.place.end

    @property
    def text(self) -> str:
        return self.place.text

    @property
    def line(self) -> int:
        """1-based line of ``start`` in the file; 0 before the finding is located."""
        return self.file_span.line if self.file_span else 0

    @property
    def column(self) -> int:
        """1-based column (characters) of ``start`` in the file; 0 before it is located."""
        return self.file_span.column if self.file_span else 0

    def to_dict(self) -> dict:
        return {
            "rule": self.rule,
            "category": self.category,
            "severity": self.severity.label,
            "message": self.message,
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "column": self.column,
            "text": self.text,
            "suggestions": list(self.suggestions),
            "confidence": round(self.confidence, 3),
            "origin": self.origin,
            "fix": self.fix.value if self.fix else None,
        }


#: What :meth:`Finding.evolve` may change.
_FIELDS = frozenset(f.name for f in fields(Finding))


@dataclass(frozen=True)
class CheckRule:
    """Description of one finding type of a code check (shown by ``tqcheck rules``/``explain``)."""

    id: str
    category: str
    severity: Severity
    message: str
    why: str
    examples: dict[str, list[dict[str, str]]]
    fix: Fix | None = None
    #: Languages ``source->target`` the examples are run with.
    example_langs: tuple[str, str] = ("fr", "en")

    def finding(self, doc: "Document", start: int, end: int, message: str | None = None,
                suggestions: Sequence[str] | None = None, confidence: float = 1.0,
                origin: str = "check") -> Finding:
        return Finding(
            rule=self.id, category=self.category, severity=self.severity,
            message=message or self.message, text_span=Span(start, end, doc.text[start:end]),
            suggestions=tuple(suggestions or ()), confidence=confidence, origin=origin,
            fix=self.fix if suggestions else None,
        )
