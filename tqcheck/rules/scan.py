"""The scanning pattern: every key of the selected rules compiled into one regular expression that
walks the text once and matches wherever some key matches (``scan_pattern``), and the table of
first-character guards that tells which keys can start at a hit (``guard_table``).
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from .prefilter import (
    DEPTH,
    GuardPath,
    GuardTrie,
    after_nonword,
    at_line_start,
    first_guards,
    guard_paths,
    without_captures,
)
from .schema import Rule


def trie_pattern(words: list[str]) -> str:
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


def fingerprint(rules: list[Rule]) -> str:
    """Identifies what ``scan_pattern`` builds from: the rules' patterns and the code that builds it."""
    digest = hashlib.sha256()
    for source in (Path(__file__), Path(__file__).with_name("prefilter.py")):
        digest.update(source.read_bytes())
    for r in rules:
        digest.update(repr((r.id, r.keys, r.boundary, r.literal, r.ignorecase)).encode("utf-8"))
    return digest.hexdigest()[:24]


#: The lanes and what each opens with: keys anchored at line starts (boilerplate lines) are tried
#: only there; keys that can only start where no word character precedes, and not with a space,
#: share one ``(?<!\w)(?!\s)``; the rest are tried at any character.
LANES = (("line", r"(?m:^)"), ("word", r"(?<![\w])(?!\s)"), ("any", ""))
#: Every character ``\s`` matches: a key that may start with one is kept out of the word lane,
#: whose lead refuses them so that a run of spaces does not enter the lane at each space.
_SPACES = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B)))
           + "\u2028\u2029\u202f\u205f\u3000")


#: A trie node at ``prefilter.DEPTH`` that holds more keys than this is crowded (``the``, ``in ``:
#: two dozen keys each, tried one after the other at every such word): its keys are filed
#: ``DEEP`` characters deep instead, so that ``the`` followed by a space and ``da`` tries only the
#: keys that can go on with `` da``.  Elsewhere the trie stays ``DEPTH`` deep: a deeper level
#: costs a test per character and a copy of a key per path, for keys that are few anyway.
CROWDED = 8
DEEP = 6


def keys_pattern(rule: Rule, keys: list[str]) -> str:
    """Some keys of one rule as one pattern without groups, as they run in the combined matcher."""
    if rule.literal:
        body = trie_pattern(keys)
    else:
        body = "|".join(f"(?:{without_captures(k)})" for k in keys)
    if rule.boundary:
        body = rf"(?:{body})(?![\w])"
    return f"(?i:{body})" if rule.ignorecase else body


def scan_pattern(rules: list[Rule]) -> str:
    """The scanning pattern: it matches wherever some key matches, and nowhere else.

    In each lane the keys sit in a trie by their first characters (``prefilter.GuardTrie``), so at
    a word start the matcher tests a few character classes and then tries only the keys that can
    begin with the word's first letters (up to ``prefilter.DEPTH``, ``DEEP`` at a crowded node). A
    match spans at least one character, except where a key without guards matches the empty string (``_identify`` skips
    those); which key matched is left to ``matching.RuleSet._identify``.
    """
    filed: list[tuple[str, tuple[int, str], list[GuardPath], str, bool]] = []  # lane, entry, paths
    crowd: dict[tuple[str, GuardPath], int] = {}  # (lane, path) → keys filed there
    for index, rule in enumerate(rules):
        for key, _ in rule.keys:
            lane = lane_of(rule, key)
            source = re.escape(key) if rule.literal else key
            paths = (guard_paths(source, rule.ignorecase) if key else None) or [()]
            filed.append((lane, (index, key), paths, source, rule.ignorecase))
            for path in paths:
                crowd[(lane, path)] = crowd.get((lane, path), 0) + 1
    tries: dict[str, GuardTrie[tuple[int, str]]] = {lane: GuardTrie() for lane, _ in LANES}
    for lane, entry, paths, source, ignorecase in filed:
        if any(len(path) == DEPTH and crowd[(lane, path)] > CROWDED for path in paths):
            paths = guard_paths(source, ignorecase, DEEP) or paths
        for path in paths:
            tries[lane].add(path, entry)

    def render(entries: list[tuple[int, str]]) -> str:
        keys: dict[int, list[str]] = {}
        for index, key in sorted(entries, key=lambda e: e[0]):
            keys.setdefault(index, []).append(key)
        return "|".join(keys_pattern(rules[index], k) for index, k in keys.items())

    parts = []
    for lane, lead in LANES:
        if tries[lane].children or tries[lane].entries:
            parts.append(lead + tries[lane].pattern(render))
    return "|".join(parts) or r"(?!x)x"


def lane_of(rule: Rule, key: str) -> str:
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


def guard_table(rules: list[Rule]) -> list[tuple[tuple[str, ...], int, int, str]]:
    """``(guard path, rule index, key index, lane)`` for every key, one row per path of its first
    characters (``()``: it may start with anything), rows of one key together."""
    table: list[tuple[tuple[str, ...], int, int, str]] = []
    for r, rule in enumerate(rules):
        for i, (key, _) in enumerate(rule.keys):
            source = re.escape(key) if rule.literal else key
            paths = guard_paths(source, rule.ignorecase) if key else None
            lane = lane_of(rule, key)
            table += [(tuple(path), r, i, lane) for path in paths or [()]]
    return table


def keys_by_guard(rule: Rule) -> dict[tuple[str, str], list[int]]:
    """Indices of the rule's keys grouped by (lane, first-character guard); guard ``""`` means
    anywhere."""
    out: dict[tuple[str, str], list[int]] = {}
    for index, (key, _) in enumerate(rule.keys):
        source = re.escape(key[:1]) if rule.literal else key
        guards = first_guards(source, rule.ignorecase) if key else None
        for guard in guards or {""}:
            out.setdefault((lane_of(rule, key), guard), []).append(index)
    return out
