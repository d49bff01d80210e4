"""What ``tqcheck model info`` prints: the models, their files and converted copies, the
packages, threads and precision.  It loads no model."""
from __future__ import annotations

from importlib import metadata
from pathlib import Path

from ..cache import cache_dir
from . import precision
from .calibration import languages
from .catalogue import AUTO, resolve
from .environment import REQUIRED, forced_bfloat16, import_torch, missing_packages
from .failures import ModelUnavailable
from .packaged import packaged


def describe(spec: str = AUTO) -> list[tuple[str, str]]:
    """``(label, value)`` lines (every packaged model for ``auto``)."""
    lines: list[tuple[str, str]] = []
    for name in packaged() if spec == AUTO else [spec]:
        lines += _describe_model(name)
    for name in (*REQUIRED, *(m.distribution for m in packaged().values())):
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "not installed"
        lines.append((f"package {name}", version))
    if not missing_packages():
        lines.append(("threads", str(import_torch().get_num_threads())))
        for name in packaged() if spec == AUTO else [spec]:
            lines.append((f"precision {name}", precision.describe(name, forced_bfloat16())))
    lines.append(("cache", str(cache_dir() / "models")))
    return lines


def _describe_model(spec: str) -> list[tuple[str, str]]:
    known = languages(spec)
    lines = [("model", spec), ("calibrated for", ", ".join(sorted(known)) if known else
                               "no language (SmolLM2's English constants; docs/fluency.md)")]
    try:
        source = resolve(spec)
    except ModelUnavailable as exc:
        return lines + [("status", f"unavailable: {exc}")]
    lines += [("kind", source.kind), ("location", source.location)]
    if Path(source.location).is_file():
        lines.append(("file size", _size(Path(source.location))))
    converted = source.converted
    if converted is not None:
        state = f"{converted} ({_size(converted)})" if converted.is_dir() else \
            f"{converted} (not yet converted: tqcheck model prepare)"
        lines.append(("converted copy", state))
    return lines


def _size(path: Path) -> str:
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    return f"{sum(p.stat().st_size for p in files) / 1e6:.0f} MB"
