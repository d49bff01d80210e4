"""What every code check shares: its contract, its rule descriptions and the context it runs in.

A check is one module under ``tqcheck/checks/`` (or a third party's object behind an entry point
of the group ``tqcheck.checks``) with:

- ``RULES``: one :class:`CheckRule` per finding type it emits, with examples that the tests run,
  like YAML rules;
- ``NEEDS`` (optional): what it needs besides the target text, ``()`` by default, ``("source",)``
  for the aligned source sentences (it runs only when the translation comes with its source),
  ``("model",)`` for the fluency model (it runs only with the model on);
- ``run(doc, ctx) -> list[Finding]`` returning findings in ``doc.text`` offsets; a check that needs
  the model gets every document of the run at once instead, so the model fills its batches:
  ``run(batch, options)`` with ``batch`` a list of ``(doc, findings so far, target language)``,
  returning per document ``(findings, fluency)``, or None where no model serves its language.

Only enabled checks run: one whose rules are all disabled is not run at all (unless it ``SCORES``:
the model's fluency counts in the score even with its word findings off).  Checks never print and
never exit.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

#: Defined in :mod:`tqcheck.core.findings` (the fluency stage describes its rules with it without
#: importing the checks); re-exported here, where checks look for it.
from ..core.findings import CheckRule
from ..registry import PluginError

if TYPE_CHECKING:
    from ..core.bilingual import Pair

#: The values of ``NEEDS``, each the stage of the pipeline where such checks run.
NEEDS: tuple[frozenset[str], ...] = (frozenset(), frozenset({"source"}), frozenset({"model"}))


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
    #: Capitalised words the whole file uses inside sentences (``untranslated.py``) when it is
    #: checked in chunks (``streaming.py``); None: the document checked is the whole file.
    names_in_sentences: frozenset[str] | None = None

    @property
    def sources(self) -> tuple[str, ...]:
        return (self.source_lang,) if self.source_lang else self.source_candidates


@dataclass(frozen=True)
class Check:
    """A check as the registry found it."""

    name: str
    rules: tuple[CheckRule, ...]
    needs: frozenset[str]
    #: The check's ``run`` (signature by ``needs``: see the module's docstring).
    run: Callable[..., Any]
    #: Whether it runs even with every rule of it disabled (its output enters the score).
    scores: bool
    #: The module or object that defines it (its rules' documentation says where they come from).
    origin: Any

    def enabled(self, disabled: frozenset[str]) -> bool:
        """Whether the check has anything to do when the rules ``disabled`` are off."""
        return self.scores or any(rule.id not in disabled for rule in self.rules)


def as_check(name: str, obj: Any) -> Check | None:
    """``obj`` as a :class:`Check`, None when it is no check (a helper module such as this one)."""
    rules, run = getattr(obj, "RULES", None), getattr(obj, "run", None)
    if rules is None or not callable(run):
        return None
    needs = frozenset(getattr(obj, "NEEDS", ()))
    if needs not in NEEDS:
        raise PluginError("tqcheck.checks", name, f"NEEDS {sorted(needs)}: use (), ('source',) or ('model',)")
    if not rules or not all(isinstance(rule, CheckRule) for rule in rules):
        raise PluginError("tqcheck.checks", name, "RULES must hold one CheckRule per finding type")
    return Check(name, tuple(rules), needs, run, bool(getattr(obj, "SCORES", False)), obj)


__all__ = ["Check", "CheckContext", "CheckRule", "as_check"]
