"""A rule pack's schema: the :class:`Rule` one YAML rule mapping becomes, validated at load time.

A rule is data (see ``docs/rules.md``): an id, an MQM category, a severity, a message, patterns or a
substitution table, context conditions and examples.  :func:`parse_rule` refuses anything else with
a :class:`RuleError` that names the file and the rule, so a broken pack fails at load, not mid-scan.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from ..core.errors import RuleError
from ..core.findings import Fix, Severity, validate_category
from .compiled import compile_stored
from .filters import check_template
from .prefilter import GuardTrie, guard_paths, without_captures

RULE_TYPES = ("existence", "substitution", "consistency")
_RULE_KEYS = {
    "id", "type", "category", "severity", "message", "why", "fix", "confidence", "ignorecase",
    "boundary", "patterns", "suggest", "swap", "literal", "unless", "when", "after", "variants", "examples",
    "priority", "source_names",
}


@dataclass
class Rule:
    """One rule of a pack, validated at load time."""

    id: str
    type: str
    category: str
    severity: Severity
    message: str
    why: str
    fix: Fix | None
    confidence: float
    source: Path
    #: ``(pattern, suggestion templates)``; one entry per pattern or swap key.
    keys: list[tuple[str, list[str]]]
    ignorecase: bool = False
    boundary: bool = True
    literal: bool = False
    #: Context conditions, as written; compiled on first use (see ``context``).
    unless: list[str] = field(default_factory=list)
    when: list[str] = field(default_factory=list)
    #: Conditions on the text before the match (the previous paragraph for a rule on paragraph
    #: starts): the sentence alone cannot tell a new paragraph from one that continues a list
    #: item or the prose before a code block.
    after: list[str] = field(default_factory=list)
    variants: list[list[str]] = field(default_factory=list)
    examples: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    priority: int = 0
    #: The rule's table maps names as the source language writes them to the target language's
    #: (exonyms: Allemagne → Germany): the source-aware name check reads it as well.
    source_names: bool = False
    _compiled: dict[int, tuple[re.Pattern[str], list[str]]] = field(default_factory=dict, repr=False, compare=False)
    _context: tuple[re.Pattern[str] | None, re.Pattern[str] | None, re.Pattern[str] | None] | None = field(
        default=None, repr=False, compare=False)

    @property
    def pack(self) -> str:
        return self.id.split("/", 1)[0]

    @property
    def family(self) -> str:
        """``pack/file``: the YAML file of the pack the rule is written in (``fr-en/exonyms``), a
        name selectors accept for all its rules."""
        return f"{self.pack}/{self.source.stem}"

    def wrap(self, pattern: str) -> str:
        """The pattern as it runs: word boundaries and case-insensitivity applied."""
        if self.boundary:
            pattern = rf"(?<![\w])(?:{pattern})(?![\w])"
        return f"(?i:{pattern})" if self.ignorecase else pattern

    @cached_property
    def has_context(self) -> bool:
        """Whether a condition reads the words around a hit (asked at every hit of the rule)."""
        return bool(self.unless or self.when or self.after)

    def context_allows(self, sentence: str, before: str = "") -> bool:
        """False when ``unless`` matches the sentence, ``when`` is given and does not, or
        ``after`` is given and matches no part of ``before``, the text before the match.  Each
        list runs as one alternation (:func:`_any_of`): a rule has up to 32 conditions, read
        around every hit, and one search of the window costs about what one condition did."""
        if self._context is None:
            self._context = (_any_of(self.unless), _any_of(self.when), _any_of(self.after))
        unless, when, after = self._context
        if unless is not None and unless.search(sentence):
            return False
        if after is not None and not after.search(before):
            return False
        return when is None or when.search(sentence) is not None

    def compiled_key(self, index: int) -> tuple[re.Pattern[str], list[str]]:
        """Key ``index`` compiled alone, with its suggestion templates; compiled on first use
        (a pack has thousands of keys, and a text reaches few of them)."""
        found = self._compiled.get(index)
        if found is None:
            key, templates = self.keys[index]
            found = self._compiled[index] = (compile_stored(self.wrap(re.escape(key) if self.literal else key)),
                                             templates)
        return found

    @property
    def compiled_keys(self) -> list[tuple[re.Pattern[str], list[str]]]:
        """Each key compiled alone, to tell which one matched."""
        return [self.compiled_key(i) for i in range(len(self.keys))]


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _examples(raw: Any, where: str) -> dict[str, list[dict[str, str]]]:
    if not isinstance(raw, dict) or not raw.get("flag") or not raw.get("pass"):
        raise RuleError(f"{where}: every rule needs examples with both 'flag' and 'pass' lists")
    out: dict[str, list[dict[str, str]]] = {}
    for kind in ("flag", "pass"):
        out[kind] = [e if isinstance(e, dict) else {"text": str(e)} for e in _as_list(raw[kind])]
    return out


def parse_rule(raw: dict[str, Any], pack: str, source: Path) -> Rule:
    """Validate one rule mapping from a pack file and build the :class:`Rule`."""
    rid = str(raw.get("id", ""))
    where = f"{source.name}: rule {rid or '?'}"
    unknown = set(raw) - _RULE_KEYS
    if unknown:
        raise RuleError(f"{where}: unknown keys {sorted(unknown)}")
    if not rid.startswith(pack + "/"):
        raise RuleError(f"{where}: id must start with '{pack}/'")
    rtype = raw.get("type")
    if rtype not in RULE_TYPES:
        raise RuleError(f"{where}: type must be one of {RULE_TYPES}")
    try:
        category = validate_category(str(raw.get("category")))
        severity = Severity.parse(str(raw.get("severity", "minor")))
    except ValueError as exc:
        raise RuleError(f"{where}: {exc}") from None
    suggest = [str(s) for s in _as_list(raw.get("suggest"))]
    keys: list[tuple[str, list[str]]] = []
    variants: list[list[str]] = []
    if rtype == "existence":
        keys = [(str(p), suggest) for p in _as_list(raw.get("patterns"))]
    elif rtype == "substitution":
        swap = raw.get("swap") or {}
        if not isinstance(swap, dict):
            raise RuleError(f"{where}: 'swap' must map patterns to suggestions")
        keys = [(str(k), [str(s) for s in _as_list(v)]) for k, v in swap.items()]
    else:
        variants = [[str(v) for v in group] for group in _as_list(raw.get("variants"))]
        if not variants or any(len(g) < 2 for g in variants):
            raise RuleError(f"{where}: 'variants' needs groups of two or more forms")
        keys = [(v, []) for group in variants for v in group]
    if not keys:
        raise RuleError(f"{where}: no patterns")
    try:
        fix = Fix.parse(raw.get("fix", "safe" if any(s for _, s in keys) else None))
    except ValueError:
        raise RuleError(f"{where}: fix must be safe, unsafe or none") from None
    rule = Rule(
        id=rid, type=rtype, category=category, severity=severity,
        message=str(raw.get("message") or ""), why=str(raw.get("why") or "").strip(),
        fix=fix, confidence=float(raw.get("confidence", 1.0)),
        source=source, keys=keys, ignorecase=bool(raw.get("ignorecase", False)),
        boundary=bool(raw.get("boundary", True)),
        literal=bool(raw.get("literal", rtype == "consistency")),
        unless=[str(p) for p in _as_list(raw.get("unless"))], when=[str(p) for p in _as_list(raw.get("when"))],
        after=[str(p) for p in _as_list(raw.get("after"))],
        variants=variants, examples=_examples(raw.get("examples"), where),
        priority=int(raw.get("priority", 0)), source_names=bool(raw.get("source_names", False)),
    )
    if not rule.message:
        raise RuleError(f"{where}: no message")
    if rule.source_names and not (rule.type == "substitution" and rule.literal):
        raise RuleError(f"{where}: source_names needs a literal substitution (source form: target names)")
    try:
        for _, templates in keys:
            for template in templates:
                check_template(template)
    except ValueError as exc:
        raise RuleError(f"{where}: {exc}") from None
    return rule


#: A back reference (``\1``, ``(?P=name)``): in an alternation of conditions it would name another
#: condition's group.
_BACK_REFERENCE = re.compile(r"\\[1-9]|\(\?P=")


def _any_of(patterns: list[str]) -> re.Pattern[str] | None:
    """One case-insensitive pattern that matches where any of ``patterns`` does; None for none.
    A ``re.error`` for a condition with a back reference (``validate_patterns`` names the rule).

    The conditions sit in a trie by their first characters (``prefilter.GuardTrie``, as the keys
    do in the scanning pattern): a plain alternation of ``\\b…`` conditions made the matcher enter
    every condition at every position of the window, the cost of most context checks."""
    for pattern in patterns:
        if _BACK_REFERENCE.search(pattern):
            raise re.error(f"no back reference allowed in unless, when or after: {pattern!r}")
    if not patterns:
        return None
    trie: GuardTrie[str] = GuardTrie()
    for pattern in patterns:
        re.compile(pattern)  # a bad condition fails here, before guard_paths would file it unguarded
        for path in guard_paths(pattern, True) or [()]:
            trie.add(path, pattern)
    return compile_stored(trie.pattern(lambda found: "(?i:" + "|".join(f"(?:{without_captures(p)})" for p in found)
                                        + ")"))


def validate_patterns(rule: Rule) -> None:
    """Compile each pattern of ``rule`` alone (the tests do this for every rule; at run time the
    combined matcher is compiled once and single patterns only when their rule matches)."""
    where = f"{rule.source.name}: rule {rule.id}"
    try:
        for pattern, _ in rule.compiled_keys:
            if pattern.groupindex:
                raise RuleError(f"{where}: named groups are not allowed in patterns")
        rule.context_allows("")
        for key, _ in rule.keys:
            re.compile(without_captures(key))
    except re.error as exc:
        raise RuleError(f"{where}: {exc}") from None

