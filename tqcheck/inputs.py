"""Turn command-line paths (files, folders, globs, ``-``) into the list of files to check."""
from __future__ import annotations

import glob
from pathlib import Path

from .document import FORMATS_BY_SUFFIX
from .errors import InputError

_SKIP_DIRS = frozenset({"node_modules", "__pycache__", "venv"})


def _walk(folder: Path) -> list[Path]:
    out = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).parts
        if any(p.startswith(".") or p in _SKIP_DIRS for p in rel[:-1]) or rel[-1].startswith("."):
            continue
        if path.is_file() and path.suffix.lower() in FORMATS_BY_SUFFIX:
            out.append(path)
    return out


def expand(paths: list[str]) -> tuple[list[str], list[InputError]]:
    """Files to check, in order and without repeats, and an error for each path that yields none."""
    files: list[str] = []
    errors: list[InputError] = []
    for raw in paths:
        if raw == "-":
            files.append("-")
            continue
        path = Path(raw)
        if path.is_dir():
            found = _walk(path)
            if not found:
                suffixes = ", ".join(sorted(FORMATS_BY_SUFFIX))
                errors.append(InputError(raw, f"folder holds no text files ({suffixes})"))
            files.extend(str(p) for p in found)
        elif path.exists() or not glob.has_magic(raw):
            files.append(raw)  # a missing plain path is reported when it is loaded
        else:
            matches = sorted(p for p in glob.glob(raw, recursive=True) if Path(p).is_file())
            if not matches:
                errors.append(InputError(raw, "no file matches this pattern"))
            files.extend(matches)
    return list(dict.fromkeys(files)), errors
