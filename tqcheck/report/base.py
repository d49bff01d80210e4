"""What every output format implements, the terminal's included: the :class:`Reporter` contract.

A reporter is one module under ``tqcheck/report/`` (or a third party's object behind an entry
point of the group ``tqcheck.reporters``) with:

- ``NAME``: what ``--format`` calls it (``text``, ``json``, ``sarif``);
- ``SUFFIXES``: the output file suffixes that choose it for ``tqcheck report -o FILE``
  (``(".sarif",)``; empty when no suffix does);
- ``render(results, gate, view=PLAIN) -> str``: the whole document.  ``gate`` decides what fails
  (levels, the verdict); ``view`` says how a person asked to see the results (colour, ``--quiet``,
  ``--statistics``), which formats for machines ignore;
- optionally ``write(results, gate, view, out)``: the same document written to the text stream
  ``out`` piece by piece, so that it is never held whole (a large file's findings are read from
  disk as they are written: ``streaming.py``).  Without it, what ``render`` returns is written.

Reporters never exit: the CLI writes what they return and decides the exit code.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, TextIO

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
    #: ``write(results, gate, view, out)`` of the module or object, where it has one.
    write_document: Callable[..., None] | None = None

    def render(self, results: list[FileResult], gate: Gate, view: View = PLAIN) -> str:
        return self.render_document(results, gate, view)

    def write(self, results: list[FileResult], gate: Gate, view: View, out: TextIO) -> None:
        """The document written to ``out``, piece by piece where the format can."""
        if self.write_document is not None:
            self.write_document(results, gate, view, out)
        else:
            out.write(self.render_document(results, gate, view))


def as_reporter(name: str, obj: Any) -> Reporter | None:
    """``obj`` as a :class:`Reporter`, None when it is none (a helper module such as ``links``)."""
    fmt, render = getattr(obj, "NAME", None), getattr(obj, "render", None)
    if fmt is None or not callable(render):
        return None
    suffixes = tuple(getattr(obj, "SUFFIXES", ()))
    if not isinstance(fmt, str) or not all(isinstance(s, str) and s.startswith(".") for s in suffixes):
        raise PluginError("tqcheck.reporters", name, "NAME must be a string and SUFFIXES like '.html'")
    write = getattr(obj, "write", None)
    return Reporter(fmt, tuple(s.lower() for s in suffixes), render, write if callable(write) else None)


__all__ = ["PLAIN", "Reporter", "View", "as_reporter"]
