"""SARIF 2.1.0, the format code-scanning tools read (GitHub code scanning, Azure DevOps, IDEs).

Regions give lines and columns in Unicode code points (``columnKind``) and the character offset
and length, so they match the JSON output's spans; safe and unsafe fixes become SARIF ``fixes``.
``partialFingerprints`` come from the baseline's key (rule, text, surrounding words), so a code
scanning service tracks a finding across edits the way ``--baseline`` does.
"""
from __future__ import annotations

import hashlib
import os
from collections import Counter
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from .._version import __version__
from ..baseline import fingerprint
from ..core.document import Document
from ..core.findings import Finding
from ..core.results import FileResult
from ..gate import Gate
from . import own_signature, rule_doc, run_signature, suggestion_label, to_json
from .base import PLAIN, View
from .links import rule_url

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"


def artifact_uri(path: str) -> str:
    """A URI reference for a path: relative ones stay relative (to the run's folder).  The path's
    bytes are percent-encoded, so a file name that is not UTF-8 keeps its exact bytes."""
    p = PurePath(path)
    if p.is_absolute():
        return "file://" + quote(os.fsencode(p.as_posix()), safe="/")
    return quote(os.fsencode(p.as_posix()), safe="/")


def rule_descriptor(rule_id: str, example: Finding, gate: Gate) -> dict[str, Any]:
    doc = rule_doc(rule_id)
    why = (doc.why if doc is not None else "") or example.category
    return {
        "id": rule_id,
        "shortDescription": {"text": why.split(". ")[0].rstrip(".") + "."},
        "fullDescription": {"text": why},
        "help": {"text": f"{why}\n\nRun `tqcheck explain {rule_id}` for examples."},
        "helpUri": rule_url(rule_id),
        "defaultConfiguration": {"level": gate.level(example)},
        "properties": {"category": example.category, "severity": example.severity.label,
                       "tags": ["translation", example.category.split("/")[0]]},
    }


def _region(doc: Document, f: Finding) -> dict[str, Any]:
    line, column = doc.line_column(f.start)
    end_line, end_column = doc.line_column(f.end)
    return {"startLine": line, "startColumn": column, "endLine": end_line, "endColumn": end_column,
            "charOffset": f.start, "charLength": f.end - f.start, "snippet": {"text": f.text}}


def _fixes(uri: str, f: Finding) -> list[dict[str, Any]]:
    if not f.fix or not f.suggestions:
        return []
    best = f.suggestions[0]
    return [{
        "description": {"text": f"Replace “{f.text}” with “{suggestion_label(best)}” ({f.fix} fix)"},
        "artifactChanges": [{
            "artifactLocation": {"uri": uri},
            "replacements": [{"deletedRegion": {"charOffset": f.start, "charLength": f.end - f.start},
                              "insertedContent": {"text": best}}],
        }],
    }]


def result_dict(doc: Document, f: Finding, uri: str, index: int, rule_index: int, print_id: str,
                gate: Gate) -> dict[str, Any]:
    fix = f" (suggestion: {', '.join(suggestion_label(s) for s in f.suggestions[:3])})" if f.suggestions else ""
    out = {
        "ruleId": f.rule,
        "ruleIndex": rule_index,
        "level": gate.level(f),
        "message": {"text": f.message + fix},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri, "index": index},
                                            "region": _region(doc, f)}}],
        "partialFingerprints": {"tqcheckFinding/v1": print_id},
        "properties": {"severity": f.severity.label, "category": f.category,
                       "confidence": round(f.confidence, 3), "origin": f.origin},
    }
    fixes = _fixes(uri, f)
    if fixes:
        out["fixes"] = fixes
    return out


def document(results: list[FileResult], gate: Gate) -> dict[str, Any]:
    rule_ids = sorted({f.rule for r in results for f in r.findings})
    examples: dict[str, Finding] = {}  # the first finding of each rule in the last file that has it
    for r in results:
        first: dict[str, Finding] = {}
        for f in r.findings:
            first.setdefault(f.rule, f)
        examples.update(first)
    rule_index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    artifacts, sarif_results = [], []
    signature = run_signature(results)
    for index, r in enumerate(results):
        uri = artifact_uri(r.doc.path)
        artifacts.append({"location": {"uri": uri}, "length": len(r.doc.content.encode("utf-8")),
                          "properties": {"words": r.words, "penalty": round(r.penalty, 2), "score": r.score,
                                         **own_signature(r, signature)}})
        seen: Counter[tuple[str, str, str]] = Counter()
        for f in r.findings:
            key = fingerprint(r.doc, f)
            print_id = hashlib.sha256("\x1f".join((*key, str(seen[key]))).encode()).hexdigest()[:32]
            seen[key] += 1
            sarif_results.append(result_dict(r.doc, f, uri, index, rule_index[f.rule], print_id, gate))
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "tqcheck", "version": __version__,
                                "rules": [rule_descriptor(i, examples[i], gate) for i in rule_ids]}},
            "columnKind": "unicodeCodePoints",
            **({"properties": {"signature": signature}} if signature else {}),
            "artifacts": artifacts,
            "results": sarif_results,
            "invocations": [{"executionSuccessful": True,
                             "properties": gate.summary(results)}],
        }],
    }


#: ``--format`` name, and the output suffixes that choose this format (``report/base.py``).
NAME = "sarif"
SUFFIXES: tuple[str, ...] = (".sarif",)


def render(results: list[FileResult], gate: Gate, view: View = PLAIN) -> str:
    return to_json(document(results, gate)) + "\n"
