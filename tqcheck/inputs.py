"""Turn command-line paths (files, folders, globs, ``-``) into the list of files to check.

Nothing is skipped silently: a folder that cannot be listed (permission denied, a name past
``PATH_MAX``) is an error line of its own, so a locked sub-folder cannot hide a finding from the
gate.  Folders and ``**`` globs are walked with an explicit stack, so depth costs no recursion.
"""
from __future__ import annotations

import fnmatch
import glob
import os
from pathlib import Path
from typing import Iterator

from .core.errors import InputError, UsageError
from .formats import formats_by_suffix

_SKIP_DIRS = frozenset({"node_modules", "__pycache__", "venv"})


def _problem(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def _entries(folder: str, errors: list[InputError]) -> list[os.DirEntry[str]]:
    """The entries of ``folder``, sorted by name; an error line when it cannot be listed."""
    try:
        with os.scandir(folder) as it:
            return sorted(it, key=lambda e: e.name)
    except OSError as exc:
        errors.append(InputError(folder, _problem(exc)))
        return []


def _is_dir(entry: os.DirEntry[str], errors: list[InputError]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)  # a link to a parent folder would loop
    except OSError as exc:
        errors.append(InputError(entry.path, _problem(exc)))
        return False


def _walk(folder: str, errors: list[InputError], skip: bool) -> Iterator[str]:
    """Every path under ``folder`` but hidden ones (as glob's ``**``), folders before their
    contents; symbolic links to folders are not followed; with ``skip``, not into the folders of
    :data:`_SKIP_DIRS` either."""
    stack = [folder]
    while stack:
        entries = _entries(stack.pop(), errors)
        below = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            yield entry.path
            if _is_dir(entry, errors) and not (skip and entry.name in _SKIP_DIRS):
                below.append(entry.path)
        stack.extend(reversed(below))


def _text_files(folder: str, errors: list[InputError]) -> list[str]:
    suffixes = formats_by_suffix()
    return sorted((str(Path(p)) for p in _walk(folder, errors, skip=True)
                   if Path(p).suffix.lower() in suffixes and os.path.isfile(p)), key=_path_order)


def _path_order(path: str) -> tuple[str, ...]:
    """Sort as ``pathlib`` does, part by part (``a/x`` before ``a-b/x``)."""
    return Path(path).parts


def _glob(pattern: str, errors: list[InputError]) -> list[str]:
    """``glob.glob(pattern, recursive=True)``, except that a folder it cannot list is an error.

    Part by part: a plain part is joined, a magic one matched against the folder's entries
    (hidden ones only when the part starts with a dot, as glob does), ``**`` any depth of folders
    (and, last, of files too).
    """
    head, *parts = Path(pattern).parts if os.path.isabs(pattern) else ("", *Path(pattern).parts)
    found = [head]
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        step: list[str] = []
        for base in found:
            if part == "**":
                step.append(base)
                step.extend(_relative(p, base) for p in _walk(base or os.curdir, errors, skip=False)
                            if last or os.path.isdir(p))
            elif glob.has_magic(part):
                if os.path.isdir(base or os.curdir):
                    step.extend(os.path.join(base, e.name) for e in _entries(base or os.curdir, errors)
                                if fnmatch.fnmatch(e.name, part)
                                and (part.startswith(".") or not e.name.startswith(".")))
            elif os.path.lexists(os.path.join(base, part)):
                step.append(os.path.join(base, part))
        found = step
    return sorted(p for p in dict.fromkeys(found) if p and os.path.isfile(p))


def _relative(path: str, base: str) -> str:
    """A path under the current folder as glob spells it: ``a``, not ``./a``."""
    return path[len(os.curdir) + 1:] if not base else path


def expand(paths: list[str]) -> tuple[list[str], list[InputError]]:
    """Files to check, in order and without repeats, and an error for each path that yields none
    and each folder that cannot be read."""
    files: list[str] = []
    errors: list[InputError] = []
    for raw in paths:
        if raw == "-":
            files.append("-")
            continue
        if not raw:
            raise UsageError("an empty PATH names no file (use . for the current folder)")
        path = Path(raw)
        if path.is_dir():
            before = len(errors)
            found = _text_files(str(path), errors)
            if not found and len(errors) == before:
                suffixes = ", ".join(sorted(formats_by_suffix()))
                errors.append(InputError(raw, f"folder holds no text files ({suffixes})"))
            files.extend(found)
        elif path.exists() or not glob.has_magic(raw):
            files.append(raw)  # a missing plain path is reported when it is loaded
        else:
            before = len(errors)
            matches = _glob(raw, errors)
            if not matches and len(errors) == before:
                errors.append(InputError(raw, "no file matches this pattern"))
            files.extend(matches)
    unique = {str(e): e for e in errors}  # a folder under several patterns is one line
    return list(dict.fromkeys(files)), list(unique.values())
