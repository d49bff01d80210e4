"""Naming rules in settings, flags and comments, as ruff's ``--select`` does.

A selector is one of:

* a rule id: ``fr-en/ordinal``;
* a pack: ``fr-en`` (never a prefix of another pack: ``fr`` is not ``fr-en``);
* a family, the YAML file of a pack the rule is written in: ``en/boilerplate`` for every rule of
  ``packs/en/boilerplate.yaml``;
* a prefix of rule ids after the pack: ``fr-en/ff`` for ``fr-en/ff-actual``, ``fr-en/ff-sortie``, ...

Configuration (enable, disable, severity, per-path), suppression comments and the baseline all
name rules the same way, through these functions, so a selector means one thing everywhere.
"""
from __future__ import annotations

import difflib
from functools import lru_cache
from typing import Iterable

from ..core.errors import UsageError


@lru_cache(maxsize=None)
def _families() -> dict[str, str]:
    """Rule id → ``pack/family`` for the rules of the YAML packs (code checks have no family)."""
    from .packs import all_rules

    return {rule.id: rule.family for rule in all_rules()}


def selects(selector: str, rule_id: str) -> bool:
    """True when ``selector`` names ``rule_id``: the id, its pack, its family or a prefix of it."""
    if selector == rule_id or rule_id.split("/", 1)[0] == selector:
        return True
    if "/" not in selector:  # a bare word is a pack, never the start of one
        return False
    return rule_id.startswith(selector) or _families().get(rule_id) == selector


def expand(selectors: Iterable[str], known: Iterable[str], where: str) -> frozenset[str]:
    """The known rule ids the selectors name; a selector naming none is a usage error."""
    known = sorted(known)
    out: set[str] = set()
    for selector in selectors:
        chosen = {rule_id for rule_id in known if selects(selector, rule_id)}
        if not chosen:
            raise UsageError(f"{where}: unknown rule or pack {selector!r}{did_you_mean(selector, names(known))}"
                             " (tqcheck rules lists them)")
        out |= chosen
    return frozenset(out)


def names(known: Iterable[str]) -> list[str]:
    """Every name a selector may be: the rule ids, their packs and their families."""
    ids = list(known)
    families = _families()
    return sorted({*ids, *(i.split("/", 1)[0] for i in ids), *(families[i] for i in ids if i in families)})


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for the nearest choice, or ``""`` when none is near."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""
