"""Naming rules in settings and comments: a rule id (``fr-en/ordinal``) or a whole pack (``fr-en``).

Configuration (enable, disable, severity), suppression comments and the baseline all name rules
the same way, through these two functions.
"""
from __future__ import annotations

from typing import Iterable

from ..errors import UsageError


def selects(selector: str, rule_id: str) -> bool:
    """True when ``selector`` is ``rule_id`` or the pack ``rule_id`` belongs to."""
    return selector == rule_id or rule_id.split("/", 1)[0] == selector


def expand(selectors: Iterable[str], known: Iterable[str], where: str) -> frozenset[str]:
    """The known rule ids the selectors name; an unknown selector is a usage error."""
    known = sorted(known)
    out: set[str] = set()
    for selector in selectors:
        chosen = {rule_id for rule_id in known if selects(selector, rule_id)}
        if not chosen:
            raise UsageError(f"{where}: unknown rule or pack {selector!r} (tqcheck rules lists them)")
        out |= chosen
    return frozenset(out)
