"""Checks that need code rather than a pattern, found by :data:`CHECKS` (one module each: adding a
check is adding a file; third parties add theirs with a ``tqcheck.checks`` entry point).

The contract is in :mod:`.base`.  :func:`rules` is the one list of every rule tqcheck can report
(the packs' and the checks'); ``tqcheck rules``, ``explain``, SARIF rule descriptors, settings
validation and the example tests all read it.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..registry import Registry
from .base import NEEDS, Check, CheckContext, CheckRule, as_check

if TYPE_CHECKING:
    from ..core.ruleinfo import RuleInfo

#: Every check: the modules of this package, then entry points.  Nothing is imported until asked.
CHECKS: Registry[Check] = Registry("checks", __name__, as_check, lambda c: c.name)


def enabled(needs: frozenset[str], disabled: frozenset[str]) -> list[Check]:
    """The checks of one stage (what they need) that have a rule not in ``disabled``, in order."""
    return [check for check in CHECKS.all() if check.needs == needs and check.enabled(disabled)]


def by_stage() -> list[Check]:
    """Every check in the order of the pipeline's stages: those on the target alone, then those
    that need the source, then the model's."""
    return sorted(CHECKS.all(), key=lambda check: NEEDS.index(check.needs))


def check_rules() -> list[CheckRule]:
    """Every rule a check can report, in the order of :func:`by_stage`."""
    return [rule for check in by_stage() for rule in check.rules]


def rules() -> list[RuleInfo]:
    """Every rule tqcheck can report: each pack's (:class:`~tqcheck.rules.schema.Rule`), then each
    check's (:class:`CheckRule`)."""
    from ..rules.packs import all_rules

    return [*all_rules(), *check_rules()]


def find(rule_id: str) -> RuleInfo | None:
    """The rule with this id, None if unknown."""
    return next((rule for rule in rules() if rule.id == rule_id), None)


__all__ = ["CHECKS", "Check", "CheckContext", "CheckRule", "by_stage", "check_rules", "enabled", "find", "rules"]
