"""Checks that need code rather than a pattern. ``CHECKS`` is the list the pipeline runs."""
from __future__ import annotations

from . import name_variants, untranslated
from .base import CheckContext, CheckRule

CHECKS = (untranslated, name_variants)


def check_rules() -> list[CheckRule]:
    return [rule for check in CHECKS for rule in check.RULES]


__all__ = ["CHECKS", "CheckContext", "CheckRule", "check_rules"]
