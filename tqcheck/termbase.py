"""A termbase: approved terms and their forbidden variants, read from CSV, turned into rules.

Translators and reviewers keep terminology in spreadsheets, so the format is a CSV with a header:

    source_term,target_term,forbidden,note,severity
    Premier ministre,Prime Minister,First Minister|Premier Minister,,major

``forbidden`` lists the variants to flag, separated by ``|`` or ``;``; ``note`` and ``severity``
(minor, major, critical; default major) are optional.  Each row becomes a substitution rule
``termbase/<slug>`` that runs in the same compiled matcher as the rule packs, so termbase rules
overlap, deduplicate, suppress and report exactly like YAML rules.  Forbidden forms written all in
lower case match any case; a form with a capital matches only as written (names, acronyms).
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .core.errors import InputError
from .core.findings import Severity
from .rules.schema import Rule, parse_rule

PACK = "termbase"
REQUIRED_COLUMNS = ("source_term", "target_term", "forbidden")
_SEPARATORS = re.compile(r"\s*[|;]\s*")
# Braces are template fields in rule messages and suggestions; refusing them keeps terms literal.
_RESERVED = re.compile(r"[{}]|\[\[|\]\]")


@dataclass(frozen=True)
class Term:
    """One row of the termbase."""

    source: str
    target: str
    forbidden: tuple[str, ...]
    note: str
    severity: Severity
    line: int


def read(path: str) -> list[Term]:
    """Parse the CSV at ``path``; a malformed row is an :class:`InputError` naming its line."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(path, "termbase not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(path, f"cannot read termbase: {exc}") from None
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise InputError(path, f"termbase header lacks column(s) {', '.join(missing)}")
    terms = []
    for row in reader:
        line = reader.line_num
        cells = {k: (v or "").strip() for k, v in row.items() if k is not None}
        if not any(cells.values()) or cells["source_term"].startswith("#"):
            continue
        if not cells["target_term"]:
            raise InputError(path, f"line {line}: no target_term")
        if any(_RESERVED.search(v) for v in cells.values()):
            raise InputError(path, f"line {line}: braces and [[ ]] are not allowed in terms")
        try:
            severity = Severity.parse(cells.get("severity") or "major")
        except ValueError as exc:
            raise InputError(path, f"line {line}: {exc}") from None
        forbidden = tuple(f for f in _SEPARATORS.split(cells["forbidden"]) if f)
        terms.append(Term(cells["source_term"], cells["target_term"], forbidden,
                          cells.get("note", ""), severity, line))
    return terms


def _slug(text: str, taken: set[str]) -> str:
    base = re.sub(r"\W+", "-", text.casefold()).strip("-_") or "term"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def term_rule(term: Term, rule_id: str, path: str) -> Rule:
    """The substitution rule for one term; refuses a term whose approved form it would flag."""
    for_source = f" (for “{term.source}”)" if term.source else ""
    why = f"The termbase {Path(path).name} (line {term.line}) approves “{term.target}”{for_source}."
    rule = parse_rule({
        "id": rule_id,
        "type": "substitution",
        "category": "terminology/wrong-term",
        "severity": term.severity.label,
        "message": f"Termbase: write “{{suggestion}}”, not “{{match}}”{for_source}",
        "why": f"{why} {term.note}".strip(),
        "literal": True,
        "ignorecase": all(f == f.lower() for f in term.forbidden),
        "swap": {f: term.target for f in term.forbidden},
        "examples": {"flag": [f"[[{f}]]" for f in term.forbidden], "pass": [term.target]},
    }, PACK, Path(path))
    for pattern, _ in rule.compiled_keys:
        if pattern.search(term.target):
            raise InputError(path, f"line {term.line}: a forbidden form occurs in the approved term "
                                   f"“{term.target}”")
    return rule


@lru_cache(maxsize=8)
def load_rules(path: str) -> tuple[Rule, ...]:
    """The rules of the termbase at ``path`` (rows without forbidden forms make none)."""
    taken: set[str] = set()
    return tuple(term_rule(t, f"{PACK}/{_slug(t.target, taken)}", path) for t in read(path) if t.forbidden)
