"""The versioned JSON document (``--format json``); its schema is in the README.

Bump ``JSON_VERSION`` when a field changes meaning or disappears; adding a field does not bump it.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._version import __version__
from ..core.results import FileResult
from . import own_signature, run_signature, summary, to_json
from .base import PLAIN, View

if TYPE_CHECKING:
    from ..core.results import CheckedFile
    from ..gate import Gate

JSON_VERSION = 1


def file_dict(result: CheckedFile, run: str | None = None, findings: bool = True) -> dict[str, Any]:
    """One file as JSON; its score's signature unless it is ``run``, the run's (JSON Lines, whose
    records stand alone, pass None: every file record carries its own); ``findings`` false: an
    empty list of findings, for a writer that writes them one by one."""
    fluency = getattr(result, "fluency", None)
    return {
        "path": result.doc.path,
        "format": result.doc.format,
        "source_lang": result.source_lang,
        "source_lang_guess": result.source_guess.to_dict() if result.source_guess else None,
        "target_lang": result.target_lang,
        "words": result.words,
        "penalty": round(result.penalty, 2),
        "score": result.score,
        "fluency": fluency.to_dict(result.fluency_penalty) if fluency is not None else None,
        **own_signature(result, run),
        "findings": [f.to_dict() for f in result.findings] if findings else [],
    }


def document(results: list[FileResult], extra_summary: dict[str, Any] | None = None) -> dict[str, Any]:
    total = summary(results)
    total.update(extra_summary or {})
    signature = run_signature(results)
    return {
        "version": JSON_VERSION,
        "tool": {"name": "tqcheck", "version": __version__},
        **({"signature": signature} if signature else {}),
        "files": [file_dict(r, signature) for r in results],
        "summary": total,
    }


#: ``--format`` name, and the output suffixes that choose this format (``report/base.py``).
NAME = "json"
SUFFIXES: tuple[str, ...] = (".json",)


def render(results: list[FileResult], gate: Gate, view: View = PLAIN) -> str:
    """The document, its summary with the gate's verdict."""
    return to_json(document(results, gate.summary(results))) + "\n"
