"""Errors that the CLI turns into one line on stderr and an exit code, never a traceback."""
from __future__ import annotations


class TqcheckError(Exception):
    """Base class: ``str(error)`` is the one line the user sees."""

    exit_code = 2


class InputError(TqcheckError):
    """A file that cannot be checked: missing, binary, not UTF-8, empty, or of an unknown layout."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem

    def __reduce__(self) -> tuple:
        """Pickled by its two parts, so that an error travels back from a worker process."""
        return type(self), (self.path, self.problem)


class EmptyInput(InputError):
    """A file with nothing to check (no bytes, only spaces, or no prose in its markup): an error
    when the user named it, a warning when a folder or glob brought it in (a folder may hold an
    empty placeholder, and it should not fail the run of all the others)."""


class UsageError(TqcheckError):
    """Bad options or arguments."""


class RuleError(TqcheckError):
    """A rule pack that does not load or whose rule is malformed."""
