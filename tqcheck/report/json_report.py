"""The versioned JSON document (``--format json``); its schema is in the README.

Bump ``JSON_VERSION`` when a field changes meaning or disappears; adding a field does not bump it.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._version import __version__
from ..core.results import FileResult
from . import summary, to_json

if TYPE_CHECKING:
    from ..core.results import CheckedFile

JSON_VERSION = 1


def file_dict(result: CheckedFile) -> dict[str, Any]:
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
        "fluency": fluency.to_dict() if fluency is not None else None,
        "findings": [f.to_dict() for f in result.findings],
    }


def document(results: list[FileResult], extra_summary: dict[str, Any] | None = None) -> dict[str, Any]:
    total = summary(results)
    total.update(extra_summary or {})
    return {
        "version": JSON_VERSION,
        "tool": {"name": "tqcheck", "version": __version__},
        "files": [file_dict(r) for r in results],
        "summary": total,
    }


def render(results: list[FileResult], extra_summary: dict[str, Any] | None = None) -> str:
    return to_json(document(results, extra_summary)) + "\n"
