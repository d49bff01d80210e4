"""Settings: command-line flags over a configuration file over defaults, with where each came from.

The configuration is the ``[tool.tqcheck]`` table of ``pyproject.toml`` or the top level of
``.tqcheck.toml``, the nearest one found from the current directory upwards (``.tqcheck.toml`` first
in a folder), or the file given with ``--config``.  Keys are the long flag names without ``--``:

    [tool.tqcheck]
    source-lang = "fr"
    disable = ["en/boilerplate-scraper-id"]   # rule ids or whole packs
    severity = {"fr-en/ordinal" = "minor"}
    fail-on = "major"
    min-score = 80
    min-confidence = 0.5                       # findings below it are shown, never fail
    ignore = ["drafts/*"]                      # globs relative to the configuration file
    termbase = "terms.csv"                     # relative to the configuration file
    baseline = ".tqcheck-baseline.json"

    [tool.tqcheck.per-path."docs/legal/**"]    # files matching the glob (relative to the file),
    disable = ["fr-en/calques"]                # as ruff's per-file-ignores and Vale's sections
    severity = {"tq/awkward-sentence" = "minor"}

A flag replaces the file's value; ``--severity`` entries replace the file's entries for the same
rules.  ``ignore`` globs of a file are relative to that file (those of ``--ignore``, to the current
folder), so a configuration means the same from any folder.  ``tqcheck config`` prints every
setting with its origin.
"""
from __future__ import annotations

import argparse
import fnmatch
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from .core.errors import InputError
from .core.findings import Severity
from .gate import DEFAULT_MIN_CONFIDENCE, FAIL_ON, Gate
from .rules import selectors

if TYPE_CHECKING:
    from .core.results import Options

DEFAULT_ORIGIN = "default"


# -- values ---------------------------------------------------------------------------------------
def language(value: Any) -> str:
    """A language code tqcheck knows, such as ``en`` or ``fr``."""
    from .langs import known_codes

    text = str(value).strip().lower()
    if text not in known_codes():
        raise ValueError(f"unknown language code {value!r} (known: {', '.join(known_codes())})")
    return text


def names(value: Any) -> list[str]:
    """Rule ids, packs or globs: a TOML list, or a comma-separated string on the command line."""
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
        raise ValueError(f"expected a list of strings, got {value!r}")
    return [v.strip() for v in items if v.strip()]


def severities(value: Any) -> dict[str, str]:
    """``{rule: severity}``: a TOML table, or ``RULE=LEVEL,RULE=LEVEL`` on the command line."""
    if isinstance(value, str):
        pairs = [item.split("=", 1) for item in names(value)]
        if any(len(p) != 2 for p in pairs):
            raise ValueError(f"expected RULE=SEVERITY pairs, got {value!r}")
        value = {k.strip(): v.strip() for k, v in pairs}
    if not isinstance(value, dict):
        raise ValueError(f"expected a table of rule = severity, got {value!r}")
    return {str(k): Severity.parse(str(v)).label for k, v in value.items()}


def fail_on(value: Any) -> str:
    if value not in FAIL_ON:
        raise ValueError(f"fail-on must be one of {', '.join(FAIL_ON)}, got {value!r}")
    return str(value)


def _bounded(key: str, value: Any, top: float) -> float:
    """``value`` as a number from 0 to ``top``, or a ValueError that names ``key``."""
    number = float(value) if isinstance(value, (int, float, str)) and not isinstance(value, bool) else -1.0
    if not 0 <= number <= top:
        raise ValueError(f"{key} must be a number from 0 to {top:g}, got {value!r}")
    return number


def min_score(value: Any) -> float:
    return _bounded("min-score", value, 100)


def min_confidence(value: Any) -> float:
    return _bounded("min-confidence", value, 1)


#: ``model-findings``: the fluency model's likely word errors only, or every word it flags
#: (``fluency/spans.py``).
MODEL_FINDINGS = ("likely", "all")


def model_findings(value: Any) -> str:
    if value not in MODEL_FINDINGS:
        raise ValueError(f"model-findings must be one of {', '.join(MODEL_FINDINGS)}, got {value!r}")
    return str(value)


def path(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError(f"expected a file path, got {value!r}")
    return value


def _argument_type(parse: Callable[[Any], Any]) -> Callable[[str], Any]:
    """``parse`` as an argparse ``type=``, keeping its message."""

    def convert(text: str) -> Any:
        try:
            return parse(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return convert


@dataclass(frozen=True)
class Setting:
    """One setting: its key in the file (and flag ``--key``), default, and value parser."""

    key: str
    default: Any
    parse: Callable[[Any], Any]
    help: str
    metavar: str
    #: A path in a configuration file is relative to that file.
    is_path: bool = False
    short: str | None = None
    #: Another flag for it, as other linters spell it (``--select`` for ``--enable``, as ruff).
    alias: str | None = None

    @property
    def dest(self) -> str:
        return self.key.replace("-", "_")


SETTINGS = (
    Setting("source-lang", None, language, "language translated from (e.g. fr)", "LANG", short="-s"),
    Setting("target-lang", None, language, "language of the text (detected if not given)", "LANG", short="-t"),
    Setting("enable", [], names, "comma-separated rules, packs, families (en/boilerplate) or id prefixes "
            "(fr-en/ff): only these run", "RULES", alias="--select"),
    Setting("disable", [], names, "comma-separated rules or packs to skip", "RULES"),
    Setting("severity", {}, severities, "severity overrides, e.g. fr-en/ordinal=minor,en=major", "RULE=LEVEL"),
    Setting("termbase", None, path, "CSV of approved terms and forbidden variants", "CSV", is_path=True),
    Setting("baseline", None, path, "JSON of known findings that are not reported", "FILE", is_path=True),
    Setting("ignore", [], names, "comma-separated globs of files not to check, or rules to turn off "
            "(id, pack, family, prefix)", "GLOBS"),
    Setting("fail-on", "major", fail_on, "lowest severity that fails: minor, major, critical, never "
            "(default: major)", "LEVEL"),
    Setting("min-score", None, min_score, "a file scoring below this (0-100) fails", "N"),
    Setting("min-confidence", DEFAULT_MIN_CONFIDENCE, min_confidence, "findings less confident than this "
            f"(0-1, a rule's measured precision) are shown but never fail (default: {DEFAULT_MIN_CONFIDENCE:g})", "P"),
    Setting("model-findings", "likely", model_findings, "the fluency model's word findings shown: likely "
            "(misspellings and near-certain words; default) or all", "WHICH"),
)
_BY_KEY = {s.key: s for s in SETTINGS}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """One flag per setting (default None, so resolution can tell a flag from its absence)."""
    parser.add_argument("--config", metavar="TOML", help="configuration file (default: the nearest "
                        ".tqcheck.toml or pyproject.toml with [tool.tqcheck])")
    for s in SETTINGS:
        flags = [f"--{s.key}", *(f for f in (s.alias, s.short) if f)]
        parser.add_argument(*flags, dest=s.dest, type=_argument_type(s.parse), metavar=s.metavar, help=s.help)


# -- the configuration file -----------------------------------------------------------------------
def find_config(start: Path) -> Path | None:
    """The nearest ``.tqcheck.toml``, or ``pyproject.toml`` with ``[tool.tqcheck]``, at or above ``start``."""
    for folder in (start, *start.parents):
        candidate = folder / ".tqcheck.toml"
        if candidate.is_file():
            return candidate
        candidate = folder / "pyproject.toml"
        if candidate.is_file() and "tqcheck" in _table(_read_toml(candidate), "tool", candidate):
            return candidate
    return None


def _read_toml(file: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(str(file), "configuration file not found") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(str(file), f"bad configuration file: {exc}") from None


def _table(data: dict[str, Any], key: str, file: Path) -> dict[str, Any]:
    """``data[key]`` when it is a table ({} when absent): ``tool = 5`` is a bad file, not a crash."""
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise InputError(str(file), f"bad configuration file: {key} must be a table, not {value!r}")
    return value


PER_PATH = "per-path"
#: What a ``per-path`` section may change.
_PER_PATH_KEYS = {"disable": names, "severity": severities}


@dataclass(frozen=True)
class PathRules:
    """A ``per-path`` section: rules off and severities for the files its glob matches."""

    glob: str
    base: str
    disabled: frozenset[str]
    severity: dict[str, Severity]

    def matches(self, path: str) -> bool:
        return path != "-" and _glob_matches(path, self.glob, self.base)


def _glob_matches(path: str, glob: str, base: str) -> bool:
    """True when ``glob`` matches ``path`` relative to the folder ``base``, or its file name."""
    rel = Path(os.path.relpath(os.path.abspath(path), base)).as_posix()
    return fnmatch.fnmatch(rel, glob) or fnmatch.fnmatch(Path(rel).name, glob)


def _per_path(raw: Any, file: Path) -> dict[str, dict[str, Any]]:
    """The validated ``per-path`` table: glob → {disable: [...], severity: {...}}."""
    if not isinstance(raw, dict) or not all(isinstance(v, dict) for v in raw.values()):
        raise InputError(str(file), f'bad configuration file: {PER_PATH} must be tables, as [{PER_PATH}."GLOB"]')
    out: dict[str, dict[str, Any]] = {}
    for glob, section in raw.items():
        unknown = set(section) - set(_PER_PATH_KEYS)
        if unknown:
            raise InputError(str(file), f"{PER_PATH}.{glob}: unknown setting {sorted(unknown)[0]!r} "
                             f"(known: {', '.join(_PER_PATH_KEYS)})")
        try:
            out[glob] = {key: _PER_PATH_KEYS[key](value) for key, value in section.items()}
        except ValueError as exc:
            raise InputError(str(file), f"{PER_PATH}.{glob}: {exc}") from None
    return out


def read_config(file: Path) -> dict[str, Any]:
    """The validated settings of a configuration file, paths made relative to the current folder."""
    data: Any = _read_toml(file)  # a table, or tool.tqcheck: anything until checked below
    if file.name == "pyproject.toml":
        data = _table(data, "tool", file).get("tqcheck")
        if not isinstance(data, dict):
            raise InputError(str(file), "no [tool.tqcheck] table")
    out: dict[str, Any] = {}
    for key, raw in data.items():
        if key == PER_PATH:
            out[key] = _per_path(raw, file)
            continue
        setting = _BY_KEY.get(key)
        if setting is None:
            raise InputError(str(file), f"unknown setting {key!r} (known: {', '.join(_BY_KEY)})")
        try:
            value = setting.parse(raw)
        except ValueError as exc:
            raise InputError(str(file), f"{key}: {exc}") from None
        out[key] = os.path.relpath(file.parent / value) if setting.is_path else value
    return out


# -- resolution -----------------------------------------------------------------------------------
@dataclass
class Settings:
    """The effective settings and, for each, ``default``, a flag, or the configuration file."""

    values: dict[str, Any]
    origins: dict[str, str]
    config: Path | None
    #: The configuration file's ``per-path`` sections: glob → {disable, severity}.
    per_path: dict[str, dict[str, Any]] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    @property
    def gate(self) -> Gate:
        return Gate(self["fail-on"], self["min-score"], self["min-confidence"])

    def ignores(self, file: str) -> bool:
        """True when ``file`` matches an ``ignore`` glob (whole path relative to the folder of the
        configuration file that declares the globs, or to the current folder for ``--ignore``;
        or the file name)."""
        if file == "-":
            return False
        return any(_glob_matches(file, g, self._base("ignore")) for g in self["ignore"])

    def _base(self, key: str) -> str:
        """The folder globs of setting ``key`` are relative to: the configuration file's, when they
        come from it."""
        return self._folder() if self.origins[key] == str(self.config) else os.getcwd()

    def _folder(self) -> str:
        return str(self.config.parent.absolute()) if self.config else os.getcwd()

    def _rules_in_ignore(self, known: frozenset[str]) -> frozenset[str]:
        """``ignore`` entries that name rules (ruff's ``--ignore en/boilerplate``) and no file: the
        rules they name are turned off.  Every other entry is a file glob (ruff's ``--exclude``)."""
        rule_entries = [entry for entry in self["ignore"]
                        if not os.path.exists(os.path.join(self._base("ignore"), entry))
                        and any(selectors.selects(entry, r) for r in known)]
        return frozenset(selectors.expand(rule_entries, known, self.where("ignore"))) if rule_entries else frozenset()

    def _path_rules(self, known: frozenset[str]) -> tuple[PathRules, ...]:
        """The ``per-path`` sections with their rule names checked and expanded."""
        out = []
        for glob, section in self.per_path.items():
            where = f"{self.config}: {PER_PATH}.{glob}"
            disabled = selectors.expand(section.get("disable", []), known, f"{where}.disable")
            severity = {rule_id: Severity.parse(level) for selector, level in section.get("severity", {}).items()
                        for rule_id in selectors.expand([selector], known, f"{where}.severity")}
            out.append(PathRules(glob, self._folder(), disabled, severity))
        return tuple(out)

    def options(self, baseline: bool = True) -> "Options":
        """Pipeline options; rule names are checked against the rules that exist."""
        from .baseline import Baseline
        from .core.results import Options

        known = known_rule_ids(self["termbase"])
        enabled = self["enable"]
        disabled = selectors.expand(self["disable"], known, self.where("disable")) | self._rules_in_ignore(known)
        if enabled:
            disabled |= known - selectors.expand(enabled, known, self.where("enable"))
        overrides = {
            rule_id: Severity.parse(level)
            for selector, level in self["severity"].items()
            for rule_id in selectors.expand([selector], known, self.where("severity"))
        }
        return Options(
            source_lang=self["source-lang"], target_lang=self["target-lang"], disabled=frozenset(disabled),
            severity_overrides=overrides, termbase=self["termbase"], selected=frozenset(enabled) & known,
            baseline=Baseline.load(self["baseline"]) if baseline and self["baseline"] else None,
            per_path=self._path_rules(known), model_findings=self["model-findings"],
        )

    def where(self, key: str) -> str:
        """Where a setting came from, to start an error message: ``--disable`` or ``FILE: disable``."""
        origin = self.origins[key]
        return origin if origin.startswith("--") else f"{origin}: {key}"

    def describe(self) -> list[str]:
        """Lines for ``tqcheck config``: setting, value, origin."""
        lines = [f"configuration file: {self.config or '(none found)'}"]
        for s in SETTINGS:
            lines.append(f"{s.key:<12} {_show(self.values[s.key]):<40} {self.origins[s.key]}")
        for glob, section in self.per_path.items():
            shown = "; ".join(f"{key} {_show(value)}" for key, value in section.items())
            lines.append(f"{PER_PATH} {glob}: {shown:<40} {self.config}")
        return lines


def _show(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, list):
        return ", ".join(value) or "-"
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in value.items()) or "-"
    return f"{value:g}" if isinstance(value, float) else str(value)


def known_rule_ids(termbase: str | None) -> frozenset[str]:
    """Every rule id a setting may name: packs, code checks and the termbase."""
    from .checks import rules
    from .termbase import load_rules

    ids = {r.id for r in rules()}
    return frozenset(ids | {r.id for r in (load_rules(termbase) if termbase else ())})


def resolve(args: argparse.Namespace) -> Settings:
    """Flags given on the command line (not None) over the configuration file over defaults."""
    explicit = getattr(args, "config", None)
    file = Path(explicit) if explicit else find_config(Path.cwd())
    from_file = read_config(file) if file else {}
    values: dict[str, Any] = {}
    origins: dict[str, str] = {}
    for s in SETTINGS:
        flag = getattr(args, s.dest, None)
        if s.key in from_file:
            values[s.key], origins[s.key] = from_file[s.key], str(file)
        else:
            values[s.key], origins[s.key] = s.default, DEFAULT_ORIGIN
        if flag is not None and s.key == "severity" and s.key in from_file:
            values[s.key], origins[s.key] = {**values[s.key], **flag}, f"{file} + --severity"
        elif flag is not None:
            values[s.key], origins[s.key] = flag, f"--{s.key}"
    return Settings(values, origins, file, from_file.get(PER_PATH, {}))
