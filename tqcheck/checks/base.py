"""What every code check shares: its rule descriptions and the context it runs in.

A check is a module with ``RULES`` (one :class:`CheckRule` per finding type it emits, with examples
that the tests run, like YAML rules) and ``run(doc, ctx) -> list[Finding]`` returning findings in
``doc.text`` offsets.  Checks never print and never exit.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

#: Defined in :mod:`tqcheck.core.findings` (the fluency stage describes its rules with it without
#: importing the checks); re-exported here, where checks look for it.
from ..core.findings import CheckRule

if TYPE_CHECKING:
    from ..core.bilingual import Pair


@dataclass
class CheckContext:
    """Languages and options a check may read."""

    source_lang: str | None
    target_lang: str
    #: Candidate source languages when the source language is not given.
    source_candidates: tuple[str, ...] = ()
    options: dict[str, Any] = field(default_factory=dict)
    #: Target sentences aligned with their source (bilingual files, ``--source``); empty otherwise.
    aligned: tuple["Pair", ...] = ()

    @property
    def sources(self) -> tuple[str, ...]:
        return (self.source_lang,) if self.source_lang else self.source_candidates


__all__ = ["CheckContext", "CheckRule"]
