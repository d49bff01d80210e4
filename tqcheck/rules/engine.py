"""The rule engine: loads YAML rule packs and runs all their rules with one compiled matcher.

A rule is data (see ``docs/rules.md``): an id, an MQM category, a severity, a message, patterns or a
substitution table, context conditions and examples.  All rules of the selected packs compile into
one regular expression that walks the text once (``_scan_pattern``); at a hit every key that can
start with the hit's first characters is tried there (``RuleSet._identify``), so a termbase entry
is not hidden by a pack rule matching at the same place.  After each match the scan resumes one
character after its start, so rules may overlap (a misspelt name inside a boilerplate line is still
found) while the text is still walked only once.

Running time is linear in the text: every pattern is compiled with bounded repeats
(``compiled.compile_bounded``), context conditions read a bounded window around the hit
(``CONTEXT``), a key is not tried again inside its own last match, and the touching pieces one key
matches along a long run merge into one finding (``_merge_same_key``).
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ..cache import cached_marshal
from ..core.document import Document
from ..core.errors import RuleError
from ..core.findings import Finding, Severity, validate_category
from .compiled import compile_bounded, compile_cached
from .filters import check_template, expand
from .prefilter import DEPTH, GuardTrie, after_nonword, at_line_start, first_guards, guard_paths, without_captures

PACKS_DIR = Path(__file__).parent / "packs"
RULE_TYPES = ("existence", "substitution", "consistency")
_RULE_KEYS = {
    "id", "type", "category", "severity", "message", "why", "fix", "confidence", "ignorecase",
    "boundary", "patterns", "suggest", "swap", "literal", "unless", "when", "variants", "examples",
    "priority",
}
# Spans already used by markup: [[...]] in examples marks the span a rule must flag.
_MARK = re.compile(r"\[\[(.+?)\]\]")
#: Characters of the sentence read on each side of a hit by ``unless`` and ``when``: a sentence
#: without full stops can be a whole file, and reading all of it per hit is quadratic.
CONTEXT = 400


@dataclass
class Rule:
    """One rule of a pack, validated at load time."""

    id: str
    type: str
    category: str
    severity: Severity
    message: str
    why: str
    fix: str | None
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
    variants: list[list[str]] = field(default_factory=list)
    examples: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    priority: int = 0
    _compiled: dict[int, tuple[re.Pattern[str], list[str]]] = field(default_factory=dict, repr=False, compare=False)
    _context: tuple[list[re.Pattern[str]], list[re.Pattern[str]]] | None = field(
        default=None, repr=False, compare=False)

    @property
    def pack(self) -> str:
        return self.id.split("/", 1)[0]

    def wrap(self, pattern: str) -> str:
        """The pattern as it runs: word boundaries and case-insensitivity applied."""
        if self.boundary:
            pattern = rf"(?<![\w])(?:{pattern})(?![\w])"
        return f"(?i:{pattern})" if self.ignorecase else pattern

    def context_allows(self, sentence: str) -> bool:
        """False when ``unless`` matches the sentence or ``when`` is given and does not."""
        if self._context is None:
            self._context = ([compile_bounded(p, re.I) for p in self.unless],
                             [compile_bounded(p, re.I) for p in self.when])
        unless, when = self._context
        if any(p.search(sentence) for p in unless):
            return False
        return not when or any(p.search(sentence) for p in when)

    def compiled_key(self, index: int) -> tuple[re.Pattern[str], list[str]]:
        """Key ``index`` compiled alone, with its suggestion templates; compiled on first use
        (a pack has thousands of keys, and a text reaches few of them)."""
        found = self._compiled.get(index)
        if found is None:
            key, templates = self.keys[index]
            found = self._compiled[index] = (compile_bounded(self.wrap(re.escape(key) if self.literal else key)),
                                             templates)
        return found

    @property
    def compiled_keys(self) -> list[tuple[re.Pattern[str], list[str]]]:
        """Each key compiled alone, to tell which one matched."""
        return [self.compiled_key(i) for i in range(len(self.keys))]


def _trie_pattern(words: list[str]) -> str:
    """One regex for many literal strings, sharing prefixes so the matcher branches per character."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node: dict[str, Any]) -> str:
        end = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if end else body

    return build(trie)


# -- loading ------------------------------------------------------------------------------------
def available_packs() -> dict[str, Path]:
    """Pack name (``fr-en``, ``en``) → directory."""
    return {p.name: p for p in sorted(PACKS_DIR.iterdir()) if p.is_dir()}


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
    fix = raw.get("fix", "safe" if any(s for _, s in keys) else None)
    if fix not in ("safe", "unsafe", None, "none"):
        raise RuleError(f"{where}: fix must be safe, unsafe or none")
    rule = Rule(
        id=rid, type=rtype, category=category, severity=severity,
        message=str(raw.get("message") or ""), why=str(raw.get("why") or "").strip(),
        fix=None if fix == "none" else fix, confidence=float(raw.get("confidence", 1.0)),
        source=source, keys=keys, ignorecase=bool(raw.get("ignorecase", False)),
        boundary=bool(raw.get("boundary", True)),
        literal=bool(raw.get("literal", rtype == "consistency")),
        unless=[str(p) for p in _as_list(raw.get("unless"))], when=[str(p) for p in _as_list(raw.get("when"))],
        variants=variants, examples=_examples(raw.get("examples"), where),
        priority=int(raw.get("priority", 0)),
    )
    if not rule.message:
        raise RuleError(f"{where}: no message")
    try:
        for _, templates in keys:
            for template in templates:
                check_template(template)
    except ValueError as exc:
        raise RuleError(f"{where}: {exc}") from None
    return rule


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


@lru_cache(maxsize=None)
def load_pack(name: str) -> tuple[Rule, ...]:
    """All rules of pack ``name``, in file then definition order."""
    directory = available_packs().get(name)
    if directory is None:
        raise RuleError(f"no rule pack named {name!r}")
    rules: list[Rule] = []
    for path in sorted(directory.glob("*.yaml")):
        rules.extend(load_rule_file(path, name))
    return tuple(rules)


def load_rule_file(path: Path, pack: str) -> list[Rule]:
    """Rules of one YAML file; ``pack`` is the prefix their ids must carry."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, yaml.YAMLError) as exc:
        raise RuleError(f"{path}: cannot load rule file: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise RuleError(f"{path}: a rule file holds a mapping with a 'rules' list")
    return [parse_rule(raw, pack, path) for raw in data["rules"]]


def all_rules() -> list[Rule]:
    return [rule for name in available_packs() for rule in load_pack(name)]


def find_rule(rule_id: str) -> Rule | None:
    return next((r for r in all_rules() if r.id == rule_id), None)


# -- matching -----------------------------------------------------------------------------------
#: A key as ``RuleSet._identify`` tries it: its rule, its index there, its number in the rule set.
_Key = tuple["Rule", int, int]


def _match_case(suggestion: str, matched: str) -> str:
    """Carry the capital of the matched word over to a lower-case suggestion."""
    if suggestion and matched[:1].isupper() and suggestion[:1].islower():
        return suggestion[:1].upper() + suggestion[1:]
    return suggestion


class RuleSet:
    """The rules of some packs compiled into one matcher."""

    def __init__(self, rules: list[Rule]) -> None:
        self.rules = sorted(rules, key=lambda r: -r.priority)
        scan, table = cached_marshal(f"ruleset-{_fingerprint(self.rules)}.marshal",
                                     lambda: (_scan_pattern(self.rules), _guard_table(self.rules)))
        try:
            self.pattern = compile_cached(scan)
        except re.error:
            for rule in self.rules:  # name the rule that broke the combined pattern
                validate_patterns(rule)
            raise
        guards: dict[str, re.Pattern[str]] = {}
        numbers: dict[tuple[int, int], int] = {}
        #: ``(guards of the key's first characters, rule index, key index, key number)``; the
        #: number is the index of the key's reach in ``run``.
        self._guarded = [(tuple(guards.setdefault(g, re.compile(g)) for g in path), r, i,
                          numbers.setdefault((r, i), len(numbers))) for path, r, i in table]
        self._keys = len(numbers)
        self._first: dict[str, list[tuple[tuple[re.Pattern[str], ...], int, int, int]]] = {}
        self._candidates: dict[str, list[tuple[Rule, list[_Key]]]] = {}

    @classmethod
    def for_packs(cls, packs: list[str], disabled: frozenset[str] = frozenset()) -> "RuleSet":
        return cls([r for p in packs for r in load_pack(p) if r.id not in disabled])

    def run(self, doc: Document) -> list[Finding]:
        """Findings in ``doc.text`` offsets (the pipeline maps them to the file)."""
        text = doc.text
        found: list[tuple[Finding, str]] = []
        variant_hits: dict[int, tuple[Rule, list[tuple[int, int, str]]]] = {}
        reach = [0] * self._keys
        pos = 0
        search = self.pattern.search
        while (m := search(text, pos)) is not None:
            pos = m.start() + 1
            start, end = m.span()
            if end <= start:
                continue
            for rule, key_match, templates in self._identify(text, start, reach):
                if rule.type == "consistency":
                    variant_hits.setdefault(id(rule), (rule, []))[1].append((*key_match.span(), key_match.group()))
                    continue
                finding = self._finding(rule, doc, key_match, templates)
                if finding is not None:
                    found.append((finding, key_match.re.pattern))
        for rule, hits in variant_hits.values():
            found.extend((f, "") for f in self._consistency(rule, doc, hits))
        return _merge_same_key(found)

    def _identify(self, text: str, start: int, reach: list[int]) -> list[tuple[Rule, re.Match[str], list[str]]]:
        """Every rule that matches at ``start``, each with its longest key match and its templates.

        The scanning pattern has no groups (capture marks make Python's matcher slower with every
        rule added) and tells only where some key matches.  At a hit the keys that can start with
        the hit's character are tried one by one, so every rule that matches there is found.  A
        key is not tried again inside its own last match (``reach``): like ``finditer``, each key's
        matches do not overlap, so a run of 10,000 digit groups is not matched again from each
        group.  A rule of lower ``priority`` is left out where a rule of higher priority matches
        further from the same start (Hô Chi Minh-Ville is a city, not the leader inside it); rules
        on the same span are all kept and the pipeline reports the most severe.
        """
        hits: list[tuple[Rule, re.Match[str], list[str]]] = []
        for rule, keys in self._candidates_for(text[start:start + DEPTH]):
            best: tuple[re.Match[str], list[str]] | None = None
            for _, index, key_id in keys:
                if reach[key_id] > start:
                    continue
                pattern, templates = rule.compiled_key(index)
                key_match = pattern.match(text, start)
                if key_match is not None and key_match.end() > start:
                    reach[key_id] = key_match.end()
                    if best is None or key_match.end() > best[0].end():
                        best = (key_match, templates)
            if best is not None:
                hits.append((rule, *best))
        if len(hits) < 2:
            return hits
        return [h for h in hits if not any(o[0].priority > h[0].priority and o[1].end() > h[1].end() for o in hits)]

    def _candidates_for(self, head: str) -> list[tuple[Rule, list[_Key]]]:
        """Rules (by priority) and their keys that can start with ``head`` (the next ``DEPTH``
        characters, or fewer at the end); built once per first character, then once per head."""
        found = self._candidates.get(head)
        if found is None:
            first = self._first.get(head[0])
            if first is None:
                first = [e for e in self._guarded if not e[0] or e[0][0].fullmatch(head[0])]
                self._first[head[0]] = first
            by_rule: dict[int, list[_Key]] = {}
            for path, r, i, n in first:
                if all(guard.fullmatch(ch) for guard, ch in zip(path[1:], head[1:])):
                    keys = by_rule.setdefault(r, [])
                    if not keys or keys[-1][2] != n:
                        keys.append((self.rules[r], i, n))
            found = [(self.rules[r], keys) for r, keys in sorted(by_rule.items())]
            self._candidates[head] = found
        return found

    def _finding(self, rule: Rule, doc: Document, key_match: re.Match[str], templates: list[str]) -> Finding | None:
        text = doc.text
        start, end = key_match.span()
        if rule.unless or rule.when:
            sentence = doc.sentence_at(start)
            window = text[max(sentence.start, start - CONTEXT):min(sentence.end, end + CONTEXT)]
            if not rule.context_allows(window):
                return None
        matched = text[start:end]
        suggestions: list[str] = []
        for template in templates:
            s = _match_case(expand(template, key_match), matched)
            if s != matched and s not in suggestions:
                suggestions.append(s)
        message = rule.message.replace("{match}", matched).replace(
            "{suggestion}", suggestions[0] if suggestions else ""
        )
        return Finding(
            rule=rule.id, category=rule.category, severity=rule.severity,
            message=expand(message, key_match), start=start, end=end, text=matched,
            suggestions=suggestions, confidence=rule.confidence, origin="rule",
            fix=rule.fix if suggestions else None,
        )

    def _consistency(self, rule: Rule, doc: Document, hits: list[tuple[int, int, str]]) -> list[Finding]:
        out: list[Finding] = []
        for group in rule.variants:
            forms = {v.casefold(): v for v in group} if rule.ignorecase else {v: v for v in group}
            key = (lambda s: s.casefold()) if rule.ignorecase else (lambda s: s)
            mine = [(s, e, forms[key(t)]) for s, e, t in hits if key(t) in forms]
            counts: dict[str, int] = {}
            for _, _, form in mine:
                counts[form] = counts.get(form, 0) + 1
            if len(counts) < 2:
                continue
            # Majority wins; on a tie the form listed first in the rule (the preferred one).
            best = max(counts, key=lambda f: (counts[f], -group.index(f)))
            for s, e, form in mine:
                if form != best:
                    message = rule.message.replace("{match}", doc.text[s:e]).replace("{suggestion}", best)
                    out.append(Finding(
                        rule=rule.id, category=rule.category, severity=rule.severity,
                        message=message, start=s, end=e, text=doc.text[s:e], suggestions=[best],
                        confidence=rule.confidence, origin="rule", fix=rule.fix or "unsafe",
                    ))
        return out


def _fingerprint(rules: list[Rule]) -> str:
    """Identifies what ``_scan_pattern`` builds from: the rules' patterns and this engine's code."""
    digest = hashlib.sha256()
    for source in (Path(__file__), Path(__file__).with_name("prefilter.py")):
        digest.update(source.read_bytes())
    for r in rules:
        digest.update(repr((r.id, r.keys, r.boundary, r.literal, r.ignorecase)).encode("utf-8"))
    return digest.hexdigest()[:24]


#: The lanes and what each opens with: keys anchored at line starts (boilerplate lines) are tried
#: only there; keys that can only start where no word character precedes, and not with a space,
#: share one ``(?<!\w)(?!\s)``; the rest are tried at any character.
_LANES = (("line", r"(?m:^)"), ("word", r"(?<![\w])(?!\s)"), ("any", ""))
#: Every character ``\s`` matches: a key that may start with one is kept out of the word lane,
#: whose lead refuses them so that a run of spaces does not enter the lane at each space.
_SPACES = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B)))
           + "\u2028\u2029\u202f\u205f\u3000")


def _body(rule: Rule, keys: list[str]) -> str:
    """Some keys of one rule as one pattern without groups, as they run in the combined matcher."""
    if rule.literal:
        body = _trie_pattern(keys)
    else:
        body = "|".join(f"(?:{without_captures(k)})" for k in keys)
    if rule.boundary:
        body = rf"(?:{body})(?![\w])"
    return f"(?i:{body})" if rule.ignorecase else body


def _scan_pattern(rules: list[Rule]) -> str:
    """The scanning pattern: it matches wherever some key matches, and nowhere else.

    In each lane the keys sit in a trie by their first characters (``prefilter.GuardTrie``), so at
    a word start the matcher tests a few character classes and then tries only the keys that can
    begin with the word's first letters (up to ``prefilter.DEPTH``). A match spans at least one
    character, except where a key without guards matches the empty string (``_identify`` skips
    those); which key matched is left to ``_named_pattern``.
    """
    tries: dict[str, GuardTrie[tuple[int, str]]] = {lane: GuardTrie() for lane, _ in _LANES}
    for index, rule in enumerate(rules):
        for key, _ in rule.keys:
            lane = _lane(rule, key)
            source = re.escape(key) if rule.literal else key
            for path in (guard_paths(source, rule.ignorecase) if key else None) or [()]:
                tries[lane].add(path, (index, key))

    def render(entries: list[tuple[int, str]]) -> str:
        keys: dict[int, list[str]] = {}
        for index, key in sorted(entries, key=lambda e: e[0]):
            keys.setdefault(index, []).append(key)
        return "|".join(_body(rules[index], k) for index, k in keys.items())

    parts = []
    for lane, lead in _LANES:
        if tries[lane].children or tries[lane].entries:
            parts.append(lead + tries[lane].pattern(render))
    return "|".join(parts) or r"(?!x)x"


def _lane(rule: Rule, key: str) -> str:
    """``line`` when the key can only start at a line start (boilerplate lines); ``word`` when it
    can only start where no word character precedes, and not at a space; else ``any``."""
    if rule.literal:
        return "word" if rule.boundary and key[:1] and not key[:1].isspace() else "any"
    if at_line_start(key):
        return "line"
    if not (rule.boundary or after_nonword(key)):
        return "any"
    guards = first_guards(key, rule.ignorecase)
    spaced = guards is None or any(re.match(guard, c) for guard in guards for c in _SPACES)
    return "any" if spaced else "word"


def _guard_table(rules: list[Rule]) -> list[tuple[tuple[str, ...], int, int]]:
    """``(guard path, rule index, key index)`` for every key, one row per path of its first
    characters (``()``: it may start with anything), rows of one key together."""
    table: list[tuple[tuple[str, ...], int, int]] = []
    for r, rule in enumerate(rules):
        for i, (key, _) in enumerate(rule.keys):
            source = re.escape(key) if rule.literal else key
            paths = guard_paths(source, rule.ignorecase) if key else None
            table += [(tuple(path), r, i) for path in paths or [()]]
    return table


def _keys_by_guard(rule: Rule) -> dict[tuple[str, str], list[int]]:
    """Indices of the rule's keys grouped by (lane, first-character guard); guard ``""`` means
    anywhere."""
    out: dict[tuple[str, str], list[int]] = {}
    for index, (key, _) in enumerate(rule.keys):
        source = re.escape(key[:1]) if rule.literal else key
        guards = first_guards(source, rule.ignorecase) if key else None
        for guard in guards or {""}:
            out.setdefault((_lane(rule, key), guard), []).append(index)
    return out


def _merge_same_key(found: list[tuple[Finding, str]]) -> list[Finding]:
    """One finding per stretch of text one key of a rule flags.

    ``found`` pairs each finding with the key that matched it.  A span nested in another of the
    same rule is dropped (whatever the key); spans of the same key that overlap or touch merge into
    one: a long run is matched in pieces (see ``compiled.py``), and ``600 000 000 600 000`` is one
    slip.  Touching pieces keep their fix, the pieces' first suggestions joined; overlapping ones
    lose it, since no piece's suggestion covers the union.
    """
    found.sort(key=lambda item: (item[0].start, -item[0].end))
    out: list[Finding] = []
    reach: dict[str, int] = {}
    last: dict[tuple[str, str], Finding] = {}
    for f, key in found:
        if reach.get(f.rule, -1) >= f.end:
            continue  # nested in a finding of the same rule
        reach[f.rule] = f.end
        prev = last.get((f.rule, key))
        if prev is not None and f.start <= prev.end:
            joined = f.start == prev.end and bool(prev.suggestions) and bool(f.suggestions)
            prev.suggestions = [prev.suggestions[0] + f.suggestions[0]] if joined else []
            prev.fix = prev.fix if joined else None
            prev.text += f.text[prev.end - f.start:]
            prev.end = f.end
            continue
        last[(f.rule, key)] = f
        out.append(f)
    return out


def example_text(example: str) -> tuple[str, list[tuple[int, int]]]:
    """Strip ``[[ ]]`` markers from an example; returns the text and the marked spans."""
    spans: list[tuple[int, int]] = []
    parts: list[str] = []
    pos = 0
    length = 0
    for m in _MARK.finditer(example):
        parts.append(example[pos:m.start()])
        length += m.start() - pos
        spans.append((length, length + len(m.group(1))))
        parts.append(m.group(1))
        length += len(m.group(1))
        pos = m.end()
    parts.append(example[pos:])
    return "".join(parts), spans
