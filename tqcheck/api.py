"""The Python API: :func:`check` a text, :func:`load_results` of a report, :func:`explain` a rule,
:func:`run_signature` of several results.

Editors, notebooks and CMS plug-ins call these instead of the CLI.  The result types are frozen
dataclasses that mirror one file of the ``--format json`` report (version 1): a checked text and a
report read back are the same objects, and the JSON schema documents both.  A finding is the
core's own immutable :class:`~tqcheck.core.findings.Finding`, as read back from the report: its
``start``, ``end``, ``text``, ``line`` and ``column`` are its place in the text checked.  This module imports
only light modules; the pipeline (and the model, when asked for) loads on the first :func:`check`.
docs/api.md lists it with examples that the test suite runs.
"""
from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from .core.errors import InputError, UsageError
from .core.findings import Finding as Finding  # re-exported: the API's finding is the core's
from .core.findings import Severity as Severity

if TYPE_CHECKING:
    from .core.results import FileResult, Options
    from .core.ruleinfo import RuleInfo



@dataclass(frozen=True)
class SentenceFluency:
    """The model's fluency of one sentence, at ``text[start:end]``: 0-100, higher reads better."""

    start: int
    end: int
    score: float


@dataclass(frozen=True)
class Fluency:
    """The fluency model's verdict on a whole text."""

    model: str
    score: float
    perplexity: float
    #: What fluency adds to the text's MQM penalty.
    penalty: float
    sentences: tuple[SentenceFluency, ...] = ()


@dataclass(frozen=True)
class CheckResult:
    """One checked text or file: its findings, MQM penalty and 0-100 score."""

    path: str
    format: str
    source_lang: str | None
    target_lang: str
    words: int
    penalty: float
    score: float
    #: None when the model did not run (``model=None``: rules only).
    fluency: Fluency | None
    findings: tuple[Finding, ...]
    #: What the score was computed with (version, rule packs, model, weights: the README's
    #: ``signature``), as sacrebleu signs BLEU: scores compare only under the same signature.  None
    #: for a report written before signatures.
    signature: str | None = None

    @classmethod
    def from_dict(cls, d: dict[str, Any], run: str | None = None) -> "CheckResult":
        """A file of the ``--format json`` report (version 1) as typed objects; ``run``: the
        report's top-level signature, which a file shares unless it carries its own."""
        fluency = d.get("fluency")
        return cls(
            d["path"], d.get("format", "txt"), d.get("source_lang"), d["target_lang"], d["words"], d["penalty"],
            d["score"], _fluency(fluency) if fluency else None, tuple(Finding.from_dict(f) for f in d["findings"]),
            d.get("signature", run))


def _fluency(d: dict[str, Any]) -> Fluency:
    return Fluency(d["model"], d["score"], d.get("perplexity", 0.0), d["penalty"],
                   tuple(SentenceFluency(s["start"], s["end"], s["score"]) for s in d.get("sentences", ())))


def check(text: str, source: str | None = None, source_lang: str | None = None, target_lang: str | None = None,
          model: str | None = None, format: str = "txt", path: str = "<text>") -> CheckResult:
    """Check ``text`` (a translation) and return its findings and score.

    ``source``: the source text it translates (runs the source-aware checks); ``source_lang`` and
    ``target_lang``: language codes (guessed from the text when None); ``model``: None for rules
    only (fast, no torch), else a model name as ``--model`` takes (``"auto"``, ``"smollm2"``, ...);
    ``format``: a reader's name (``txt``, ``md``, ``html``, ``xliff``, ``po``, ``tsv``, a plugin's);
    ``path``: the name results carry.  Raises ``ValueError``
    for a bad argument and :class:`~tqcheck.core.errors.InputError` for a text with no prose.
    """
    from .config import language
    from .core.results import Options
    from .formats import READERS

    known = [r.name for r in READERS.all()]
    if format not in known:
        raise ValueError(f"unknown format {format!r} (known: {', '.join(known)})")
    options = Options(source_lang=language(source_lang) if source_lang else None,
                      target_lang=language(target_lang) if target_lang else None, model=model)
    return CheckResult.from_dict(_file_dict(check_with(options, text, format, path, source)))


def check_with(options: "Options", text: str, format: str, path: str, source: str | None = None) -> "FileResult":
    """:func:`check` with pipeline options as the CLI builds them from a configuration (the
    language server does this): the pipeline's result, for callers inside tqcheck."""
    from dataclasses import replace

    from .core.align import length_model
    from .core.bilingual import attach_source
    from .formats import load_text
    from .pipeline import check_document, settle_targets

    doc = load_text(path, text, format)
    if source is not None:
        attach_source(doc, load_text(f"{path} (source)", source),
                      length_model(options.source_lang, options.target_lang))
    options = replace(options, source=None)
    result = check_document(doc, options)
    if not options.target_lang:  # as the CLI does for a file checked alone
        (result,) = settle_targets([result], options)
    return result


def to_result(result: "FileResult") -> CheckResult:
    """A pipeline result as the API's typed result."""
    return CheckResult.from_dict(_file_dict(result))


def _file_dict(result: "FileResult") -> dict[str, Any]:
    from .report.json_report import file_dict

    return file_dict(result)


def load_results(path: str | Path) -> list[CheckResult]:
    """The files of a ``--format json`` report, or of a JSON Lines results file (``--format
    jsonl``, ``--resume``), as :class:`CheckResult` objects.  Raises
    :class:`~tqcheck.core.errors.InputError` for a missing file or one that is neither."""
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(str(path), "no such results file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"cannot be read: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError:
        data = None  # several lines of JSON: a results file
    if isinstance(data, dict) and "files" in data:
        if data.get("version") != 1:
            raise InputError(str(path), f"report version {data.get('version')!r}; this tqcheck reads version 1")
        return [CheckResult.from_dict(f, data.get("signature")) for f in data["files"]]
    from .report import jsonl
    from .report.json_report import file_dict

    contents = jsonl.read(path)
    if not contents.files and not raw.lstrip().startswith('{"type"'):
        raise InputError(str(path), "neither a tqcheck --format json report nor a JSONL results file")
    return [CheckResult.from_dict(file_dict(r)) for r in contents.results()]


def run_signature(results: Iterable[CheckResult]) -> str | None:
    """The signature of several results' scores together, as a report's top-level ``signature``:
    the union of theirs (``packs:en#…,fr-en#…`` when files used different packs).  None when no
    result has one."""
    from .scoring import combine

    return combine(r.signature for r in results)


def explain(rule_id: str) -> str:
    """What ``tqcheck explain RULE`` prints: the rule's severity, category, fix safety, why, its
    first patterns and the examples it flags and passes.  Raises
    :class:`~tqcheck.core.errors.UsageError` for an unknown rule."""
    from .checks import find

    rule = find(rule_id)
    if rule is None:
        raise UsageError(f"unknown rule {rule_id!r} (tqcheck rules lists them)")
    return describe_rule(rule)


def describe_rule(rule: RuleInfo) -> str:
    """The explanation of a pack rule or a code check's rule (see :func:`explain`)."""
    lines = [f"{rule.id}  [{rule.severity.label}, {rule.category}, fix: {rule.fix or 'none'}]", "",
             textwrap.fill(rule.why or rule.message, 96), ""]
    keys = getattr(rule, "keys", [])
    if keys:
        lines.append(f"{len(keys)} pattern(s); first ones:")
        for pattern, suggestions in keys[:8]:
            lines.append(f"  {pattern}" + (f"  →  {', '.join(repr(s) for s in suggestions)}" if suggestions else ""))
        lines.append("")
    for kind, label in (("flag", "Flagged"), ("pass", "Not flagged")):
        lines.append(f"{label}:")
        for example in rule.examples.get(kind, []):
            suggest = f"   → {example['suggest']}" if example.get("suggest") is not None else ""
            lines.append(f"  {example['text']}{suggest}")
            if example.get("source"):  # source-aware rules: the source the example translates
                lines.append(f"      source: {example['source']}")
    return "\n".join(lines) + "\n"
