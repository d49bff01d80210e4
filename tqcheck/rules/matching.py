"""Matching: the rules of some packs run over a text with one compiled matcher (:class:`RuleSet`).

All rules of the selected packs (``packs.py``; a rule's schema in ``schema.py``) compile into one
regular expression that walks the text once (``scan.scan_pattern``); at a hit every key that can
start with the hit's first characters is tried there (``RuleSet._identify``), so a termbase entry
is not hidden by a pack rule matching at the same place.  After each match the scan resumes one
character after its start, so rules may overlap (a misspelt name inside a boilerplate line is still
found) while the text is still walked only once.

Running time is linear in the text: every pattern is compiled with bounded repeats
(``compiled.compile_bounded``), context conditions read a bounded window around the hit
(``CONTEXT``), a key is not tried again inside its own last match, and the pieces one rule
matches along a long run are one finding (``core.runs.Runs``), built as they come: a piece that
continues its rule's run is never a finding of its own.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from ..cache import cached_marshal
from ..core.document import Document
from ..core.findings import Finding, Fix, Span
from ..core.runs import Runs
from .compiled import compile_cached
from .filters import expand
from .packs import load_pack
from .prefilter import DEPTH
from .scan import fingerprint, guard_table, scan_pattern
from .schema import Rule, validate_patterns

#: Characters of the sentence read on each side of a hit by ``unless`` and ``when``, at least, and
#: of the text before it by ``after``: a sentence without full stops can be a whole file, and
#: reading all of it per hit is quadratic.  The sentence window's ends are rounded out to multiples
#: of ``CONTEXT`` (so it reaches 400 to 800 characters on each side), so that hits near each other
#: read the same window, searched once.
CONTEXT = 400


#: A key as ``RuleSet._identify`` tries it: its number in the rule set, its compiled pattern's
#: ``match`` and its suggestion templates.
_Key = tuple[int, Callable[[str, int], "re.Match[str] | None"], list[str]]
#: A row of the guard table as ``RuleSet`` keeps it (``RuleSet._guarded``).
_Row = tuple[int, tuple[str, ...], int, int, int, frozenset[int]]
#: What precedes a hit: a line start (or the text's start), a word character, anything else.
_LINE_START, _AFTER_WORD, _ELSEWHERE = range(3)
#: Where the keys of each lane (``scan.LANES``) can start.
_PLACES = {"line": frozenset({_LINE_START}), "word": frozenset({_LINE_START, _ELSEWHERE}),
           "any": frozenset({_LINE_START, _AFTER_WORD, _ELSEWHERE})}


def _suggestions(key_match: re.Match[str], templates: list[str], matched: str) -> tuple[str, ...]:
    """The key's suggestion templates filled in for this hit, each once, none equal to the text."""
    suggestions: list[str] = []
    for template in templates:
        s = _match_case(expand(template, key_match), matched)
        if s != matched and s not in suggestions:
            suggestions.append(s)
    return tuple(suggestions)


def _message(rule: Rule, key_match: re.Match[str], matched: str, suggestions: tuple[str, ...]) -> str:
    """The rule's message for this hit: the matched text, the first suggestion, the key's groups."""
    message = rule.message
    if "{" in message:  # most messages are fixed: nothing to fill
        message = expand(message.replace("{match}", matched).replace(
            "{suggestion}", suggestions[0] if suggestions else ""), key_match)
    return message


def _match_case(suggestion: str, matched: str) -> str:
    """Carry the capital of the matched word over to a lower-case suggestion."""
    if suggestion and matched[:1].isupper() and suggestion[:1].islower():
        return suggestion[:1].upper() + suggestion[1:]
    return suggestion


class RuleSet:
    """The rules of some packs compiled into one matcher."""

    def __init__(self, rules: list[Rule]) -> None:
        self.rules = sorted(rules, key=lambda r: -r.priority)
        scan, table = cached_marshal(f"ruleset-{fingerprint(self.rules)}.marshal",
                                     lambda: (scan_pattern(self.rules), guard_table(self.rules)))
        try:
            self.pattern = compile_cached(scan)
        except re.error:
            for rule in self.rules:  # name the rule that broke the combined pattern
                validate_patterns(rule)
            raise
        numbers: dict[tuple[int, int], int] = {}
        #: ``(row, guards of the key's first characters, rule index, key index, key number, places)``
        #: by the first guard (``""``: none), each group in table order; the number is the index of
        #: the key's reach in ``run``, the places those where its lane lets it start (``_PLACES``).
        #: Grouped so that a character is tested once per distinct first guard, not once per row.
        self._guarded: dict[str, list[_Row]] = {}
        for row, (path, r, i, lane) in enumerate(table):
            self._guarded.setdefault(path[0] if path else "", []).append(
                (row, tuple(path), r, i, numbers.setdefault((r, i), len(numbers)), _PLACES[lane]))
        #: Each guard compiled on first use, once: the table names the same few dozen in thousands
        #: of rows.
        self._guards: dict[str, re.Pattern[str]] = {}
        self._keys = len(numbers)
        self._first: dict[str, list[_Row]] = {}
        self._candidates: dict[tuple[str, int], list[tuple[Rule, list[_Key]]]] = {}
        #: The same lists by the character before a hit and the head (one lookup per hit).
        self._by_around: dict[str, list[tuple[Rule, list[_Key]]]] = {}

    @classmethod
    def for_packs(cls, packs: list[str], disabled: frozenset[str] = frozenset()) -> "RuleSet":
        return cls([r for p in packs for r in load_pack(p) if r.id not in disabled])

    def run(self, doc: Document) -> list[Finding]:
        """Findings in ``doc.text`` offsets (the pipeline maps them to the file)."""
        text = doc.text
        runs = Runs(doc)
        variant_hits: dict[int, tuple[Rule, list[tuple[int, int, str]]]] = {}
        reach = [0] * self._keys
        verdicts: dict[tuple[str, int, int], bool] = {}  # (rule, window) → its conditions allow it
        read: dict[tuple[str, str, str], bool] = {}  # (rule, window's text, text before) → the same
        #: (key, matched text, its groups) → suggestions and message: a page that repeats its
        #: lines repeats their hits, and filling the templates costs as much as the rest of a hit.
        worded: dict[tuple[int, str, tuple[str | None, ...]], tuple[tuple[str, ...], str]] = {}
        pos = 0
        search = self.pattern.search
        while (m := search(text, pos)) is not None:
            pos = m.start() + 1
            start, end = m.span()
            if end <= start:
                continue
            for rule, key_match, templates, key_id in self._identify(text, start, reach):
                if rule.type == "consistency":
                    variant_hits.setdefault(id(rule), (rule, []))[1].append((*key_match.span(), key_match.group()))
                    continue
                hit_start, hit_end = key_match.span()
                if rule.has_context and not self._allowed(rule, doc, hit_start, hit_end, verdicts, read):
                    continue
                matched = text[hit_start:hit_end]
                words = (key_id, matched, key_match.groups())  # all that the templates read
                wording = worded.get(words)
                if wording is None:
                    suggestions = _suggestions(key_match, templates, matched)
                    wording = worded[words] = (suggestions, _message(rule, key_match, matched, suggestions))
                suggestions, message = wording
                # A hit that continues its rule's run is a part of it, never a Finding of its own.
                fix = rule.fix if suggestions else None
                if not runs.extend(rule.id, hit_start, hit_end, suggestions, rule.severity, rule.confidence, fix):
                    runs.start(Finding(rule.id, rule.category, rule.severity, message,
                                       Span(hit_start, hit_end, matched), suggestions, rule.confidence, "rule", fix))
        for rule, hits in variant_hits.values():
            for finding in sorted(self._consistency(rule, doc, hits), key=lambda f: f.text_span.start):
                runs.add(finding)
        return runs.findings()

    def _identify(self, text: str, start: int, reach: list[int]) -> list[tuple[Rule, re.Match[str], list[str], int]]:
        """Every rule that matches at ``start``, each with its longest key match, its templates and
        the key's number.

        The scanning pattern has no groups (capture marks make Python's matcher slower with every
        rule added) and tells only where some key matches.  At a hit the keys that can start with
        the hit's character are tried one by one, so every rule that matches there is found.  A
        key is not tried again inside its own last match (``reach``): like ``finditer``, each key's
        matches do not overlap, so a run of 10,000 digit groups is not matched again from each
        group.  A rule of lower ``priority`` is left out where a rule of higher priority matches
        further from the same start (Hô Chi Minh-Ville is a city, not the leader inside it); rules
        on the same span are all kept and the pipeline reports the most severe.
        """
        hits: list[tuple[Rule, re.Match[str], list[str], int]] = []
        around = text[start - 1:start + DEPTH] if start else "\n" + text[:DEPTH]  # the character before, the head
        candidates = self._by_around.get(around)
        if candidates is None:
            before = around[0]
            place = _LINE_START if before == "\n" else _AFTER_WORD if before.isalnum() or before == "_" else _ELSEWHERE
            candidates = self._candidates.get((around[1:], place)) or self._candidates_for(around[1:], place)
            self._by_around[around] = candidates
        for rule, keys in candidates:
            best: tuple[re.Match[str], list[str], int] | None = None
            best_end = start
            for key_id, match, templates in keys:
                if reach[key_id] > start:
                    continue
                key_match = match(text, start)
                if key_match is not None:
                    end = key_match.end()
                    if end > start:
                        reach[key_id] = end
                        if end > best_end:
                            best, best_end = (key_match, templates, key_id), end
            if best is not None:
                hits.append((rule, *best))
        if len(hits) < 2:
            return hits
        return [h for h in hits if not any(o[0].priority > h[0].priority and o[1].end() > h[1].end() for o in hits)]

    def _candidates_for(self, head: str, place: int) -> list[tuple[Rule, list[_Key]]]:
        """Rules (by priority) and their keys that can start with ``head`` (the next ``DEPTH``
        characters, or fewer at the end) at a ``place`` of that kind; built once per first
        character, then once per head and place (``_identify`` keeps them).

        A key's lane (``scan.lane_of``) says where it can start at all: a boilerplate line's key
        only at a line start, a key bounded by a lookbehind only where no word character precedes.
        Trying it elsewhere would fail, after a Python-level attempt at every space of a run.
        """
        first = self._first.get(head[0])
        if first is None:  # the rows in table order, so that a rule's keys keep theirs
            first = sorted((e for guard, rows in self._guarded.items() if not guard or self._passes(guard, head[0])
                            for e in rows), key=lambda e: e[0])
            self._first[head[0]] = first
        by_rule: dict[int, list[_Key]] = {}
        for _, path, r, i, n, places in first:
            if place in places and all(self._passes(guard, ch) for guard, ch in zip(path[1:], head[1:])):
                keys = by_rule.setdefault(r, [])
                if not keys or keys[-1][0] != n:
                    pattern, templates = self.rules[r].compiled_key(i)
                    keys.append((n, pattern.match, templates))
        found = [(self.rules[r], keys) for r, keys in sorted(by_rule.items())]
        self._candidates[(head, place)] = found
        return found

    def _passes(self, guard: str, ch: str) -> bool:
        """Whether ``ch`` passes ``guard`` (a character class), compiled on first use."""
        pattern = self._guards.get(guard)
        if pattern is None:
            pattern = self._guards[guard] = re.compile(guard)
        return pattern.fullmatch(ch) is not None

    def _allowed(self, rule: Rule, doc: Document, start: int, end: int,
                 verdicts: dict[tuple[str, int, int], bool], read: dict[tuple[str, str, str], bool]) -> bool:
        """Whether the rule's context conditions allow its hit at ``start:end``, read in a bounded
        window (:data:`CONTEXT`); hits in one window share one verdict (``verdicts``; not those of
        a rule with ``after``, which reads the text before each hit), and so do windows of the
        same text (``read``): the conditions read nothing but the window and the
        text before the hit, and a scraped page repeats its lines (menus, bylines, one unit per
        line of a localisation file), each of them a window of its own."""
        text = doc.text
        sentence_start, sentence_end = doc.sentence_at(start)
        first = (start - CONTEXT) // CONTEXT * CONTEXT  # a window clipped to the sentence (per hit: no max/min calls)
        if first < sentence_start:
            first = sentence_start
        last = -(-(end + CONTEXT) // CONTEXT) * CONTEXT
        if last > sentence_end:
            last = sentence_end
        window = (rule.id, first, last)
        allowed = None if rule.after else verdicts.get(window)  # ``after`` reads the text just before each hit
        if allowed is None:
            words = (rule.id, text[first:last], text[max(0, start - CONTEXT):start] if rule.after else "")
            allowed = read.get(words)
            if allowed is None:
                allowed = read[words] = rule.context_allows(words[1], words[2])
            if not rule.after:
                verdicts[window] = allowed
        return allowed

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
                        message=message, text_span=Span(s, e, doc.text[s:e]), suggestions=(best,),
                        confidence=rule.confidence, origin="rule", fix=rule.fix or Fix.UNSAFE,
                    ))
        return out
