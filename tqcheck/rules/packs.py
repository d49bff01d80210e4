"""The pack registry: which rule packs exist (a directory each under ``packs/``, or one a third
party installs with a ``tqcheck.packs`` entry point) and their rules, loaded once per process."""
from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

from ..cache import cached_marshal
from ..core.errors import RuleError
from ..registry import PluginError, Registry
from .schema import Rule, parse_rule

PACKS_DIR = Path(__file__).parent / "packs"


def _pack_dir(name: str, obj: Any) -> tuple[str, Path]:
    """An entry point's pack: its name, and the directory its object names (a path, or a module
    whose folder holds the YAML files).  The pack's rule ids start with ``name/``."""
    path = Path(str(obj.__file__)).parent if isinstance(obj, ModuleType) else Path(os.fspath(obj))
    if not path.is_dir():
        raise PluginError("tqcheck.packs", name, f"{path} is not a directory of rule files")
    return name, path


#: Packs of other distributions (an entry point's name is the pack's: ``xx-en = acme:PACK_DIR``).
THIRD_PARTY: Registry[tuple[str, Path]] = Registry("packs", None, _pack_dir, lambda pack: pack[0])


def available_packs() -> dict[str, Path]:
    """Pack name (``fr-en``, ``en``) → directory: the built-in packs, then those of entry points."""
    packs = {p.name: p for p in sorted(PACKS_DIR.iterdir()) if p.is_dir()}
    for name, path in THIRD_PARTY.all():
        if name in packs:
            raise PluginError("tqcheck.packs", name, "a pack of this name is built in")
        packs[name] = path
    return packs


@lru_cache(maxsize=None)
def load_pack(name: str) -> tuple[Rule, ...]:
    """All rules of pack ``name``, in file then definition order."""
    directory = available_packs().get(name)
    if directory is None:
        raise RuleError(f"no rule pack named {name!r}")
    rules: list[Rule] = []
    for path in sorted(directory.glob("*.yaml")):
        rules.extend(load_rule_file(path, name))
    return tuple(rules)


def load_rule_file(path: Path, pack: str) -> list[Rule]:
    """Rules of one YAML file; ``pack`` is the prefix their ids must carry."""
    try:
        data = _read_yaml(path)
    except (OSError, yaml.YAMLError) as exc:
        raise RuleError(f"{path}: cannot load rule file: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise RuleError(f"{path}: a rule file holds a mapping with a 'rules' list")
    return [parse_rule(raw, pack, path) for raw in data["rules"]]


def _read_yaml(path: Path) -> Any:
    """The file's YAML data, kept in the cache under a digest of its bytes: parsing every pack
    costs a tenth of a second, and ``scan`` reads them all to check the rule ids it is given."""
    raw = path.read_bytes()

    def parse() -> Any:
        return yaml.load(raw.decode("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))

    try:
        return cached_marshal(f"yaml-{hashlib.sha256(raw).hexdigest()[:24]}.marshal", parse)
    except ValueError:  # a value marshal cannot store (a YAML date): parsed each time
        return parse()


def all_rules() -> list[Rule]:
    return [rule for name in available_packs() for rule in load_pack(name)]


def find_rule(rule_id: str) -> Rule | None:
    return next((r for r in all_rules() if r.id == rule_id), None)
