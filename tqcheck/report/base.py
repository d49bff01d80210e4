"""What every output format implements, the terminal's included: the :class:`Reporter` contract.

A reporter is one module under ``tqcheck/report/`` (or a third party's object behind an entry
point of the group ``tqcheck.reporters``) with:

- ``NAME``: what ``--format`` calls it (``text``, ``json``, ``sarif``);
- ``SUFFIXES``: the output file suffixes that choose it for ``tqcheck report -o FILE``
  (``(".sarif",)``; empty when no suffix does);
- ``render(results, gate, view=PLAIN) -> str``: the whole document.  ``gate`` decides what fails
  (levels, the verdict); ``view`` says how a person asked to see the results (colour, ``--quiet``,
  ``--statistics``), which formats for machines ignore.

Reporters never exit: the CLI writes what they return and decides the exit code.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

from ..registry import PluginError

if TYPE_CHECKING:
    from ..core.results import FileResult
    from ..gate import Gate


@dataclass(frozen=True)
class View:
    """How a person asked to see the results on a terminal."""

    color: bool = False
    #: Only the findings that fail the gate (``--quiet``).
    quiet: bool = False
    #: A count per rule instead of the findings (``--statistics``).
    statistics: bool = False


PLAIN = View()


@dataclass(frozen=True)
class Reporter:
    """An output format as the registry found it."""

    name: str
    suffixes: tuple[str, ...]
    #: ``render(results, gate, view) -> str`` of the module or object that defines it.
    render_document: Callable[..., str]

    def render(self, results: list[FileResult], gate: Gate, view: View = PLAIN) -> str:
        return self.render_document(results, gate, view)


def as_reporter(name: str, obj: Any) -> Reporter | None:
    """``obj`` as a :class:`Reporter`, None when it is none (a helper module such as ``links``)."""
    fmt, render = getattr(obj, "NAME", None), getattr(obj, "render", None)
    if fmt is None or not callable(render):
        return None
    suffixes = tuple(getattr(obj, "SUFFIXES", ()))
    if not isinstance(fmt, str) or not all(isinstance(s, str) and s.startswith(".") for s in suffixes):
        raise PluginError("tqcheck.reporters", name, "NAME must be a string and SUFFIXES like '.html'")
    return Reporter(fmt, tuple(s.lower() for s in suffixes), render)


__all__ = ["PLAIN", "Reporter", "View", "as_reporter"]
