"""What every kind of rule tells about itself, whoever defines it.

A pack's YAML rule (:class:`tqcheck.rules.schema.Rule`), a code check's rule and the model's
(:class:`~tqcheck.core.findings.CheckRule`) are built differently, but ``tqcheck rules``,
``explain``, the SARIF rule descriptors, configuration checks and the documentation pages only
read the few fields below.  Naming them in one protocol lets those places take "a rule of either
kind" with a real type, and lets a registry hold rules of every origin in one list.
"""
from __future__ import annotations

from typing import Protocol

from .findings import Fix, Severity


class RuleInfo(Protocol):
    """Read-only description of one finding type (properties, so frozen dataclasses satisfy it)."""

    @property
    def id(self) -> str:
        """``pack/name``, as findings, selectors and suppressions name the rule."""
        ...

    @property
    def category(self) -> str:
        """MQM ``dimension/subtype`` (:data:`~tqcheck.core.findings.CATEGORIES`)."""
        ...

    @property
    def severity(self) -> Severity: ...

    @property
    def message(self) -> str:
        """What a finding says by default."""
        ...

    @property
    def why(self) -> str:
        """Why it matters, for ``explain`` and the rule's page (may be empty)."""
        ...

    @property
    def examples(self) -> dict[str, list[dict[str, str]]]:
        """``{"flag": [...], "pass": [...]}``, each example a dict with at least ``text``."""
        ...

    @property
    def fix(self) -> Fix | None:
        """How ``tqcheck fix`` may apply its suggestions; None: the rule offers no fix."""
        ...
