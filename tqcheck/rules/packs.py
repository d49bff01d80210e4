"""The pack registry: which rule packs exist (a directory each under ``packs/``) and their rules,
loaded once per process."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from ..core.errors import RuleError
from .schema import Rule, parse_rule

PACKS_DIR = Path(__file__).parent / "packs"


def available_packs() -> dict[str, Path]:
    """Pack name (``fr-en``, ``en``) → directory."""
    return {p.name: p for p in sorted(PACKS_DIR.iterdir()) if p.is_dir()}


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
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, yaml.YAMLError) as exc:
        raise RuleError(f"{path}: cannot load rule file: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise RuleError(f"{path}: a rule file holds a mapping with a 'rules' list")
    return [parse_rule(raw, pack, path) for raw in data["rules"]]


def all_rules() -> list[Rule]:
    return [rule for name in available_packs() for rule in load_pack(name)]


def find_rule(rule_id: str) -> Rule | None:
    return next((r for r in all_rules() if r.id == rule_id), None)
