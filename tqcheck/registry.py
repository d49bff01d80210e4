"""How tqcheck finds what is pluggable: checks, rule packs, readers, reporters and models.

One mechanism for every kind, the way flake8 finds its plugins:

- **built-ins are discovered**: every public module of the kind's package that fits the kind's
  contract is one plugin (a module with ``RULES`` and ``run`` under ``tqcheck/checks/`` is a check,
  one with ``NAME`` and ``render`` under ``tqcheck/report/`` a reporter), so adding one is adding a
  file; helper modules (``checks/base.py``, ``formats/units.py``) do not fit and are passed over;
- **third parties register entry points** in the group ``tqcheck.<kind>`` (``tqcheck.checks``,
  ``tqcheck.packs``, ``tqcheck.reporters``, ``tqcheck.formats``, ``tqcheck.models``) of their
  distribution's metadata; the object an entry point loads must fit the same contract.

Nothing is imported when tqcheck is: a registry imports its modules the first time it is asked,
so a rules-only scan never loads a reporter it does not write nor a model it does not run.
Built-ins come first, sorted by module name, then entry points sorted by name: the order, and so
the order of findings, never depends on how the packages were installed.
"""
from __future__ import annotations

import importlib
import importlib.util
import os
import pkgutil
import sys
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Callable, Generic, Iterable, TypeVar

from .core.errors import TqcheckError

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint, SelectableGroups

T = TypeVar("T")


class PluginError(TqcheckError):
    """A third-party plugin that cannot be loaded or does not fit its kind's contract."""

    def __init__(self, group: str, name: str, problem: str) -> None:
        super().__init__(f"plugin {name} ({group}): {problem}")


def entry_points(group: str) -> Iterable[EntryPoint]:
    """The installed distributions' entry points of ``group``.  Tests replace this function to
    install a fake plugin without building a distribution."""
    installed = _installed()
    return installed.select(group=group) if installed is not None else ()


@lru_cache(maxsize=1)
def _installed() -> SelectableGroups | None:
    """Every entry point of every installed distribution, read once per process (every kind of
    plugin asks); None when no ``entry_points.txt`` on the path names a ``tqcheck.`` group, which
    spares the usual run parsing every installed distribution's metadata.  Distributions that only
    a custom import finder can see are missed by that first look."""
    if not _declares_plugins():
        return None
    from importlib import metadata

    return metadata.entry_points()


def _declares_plugins() -> bool:
    """Whether an installed distribution's ``entry_points.txt`` mentions a ``[tqcheck.`` group."""
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:  # a zip file, a missing folder
            continue
        for name in names:
            if name.endswith((".dist-info", ".egg-info")):
                try:
                    with open(os.path.join(folder or ".", name, "entry_points.txt"), encoding="utf-8") as f:
                        if "[tqcheck." in f.read():
                            return True
                except (OSError, UnicodeDecodeError):
                    continue
    return False


class Registry(Generic[T]):
    """The plugins of one kind: the built-in modules of ``package`` and the entry points of
    ``tqcheck.<kind>``, each turned into a ``T`` by ``adapt``.

    ``adapt(name, obj)`` returns the plugin, or None when ``obj`` does not fit the contract: a
    built-in helper module is then skipped, a third-party object is an error (its author meant it
    as a plugin).  ``name_of`` gives a plugin's name (``--format text``)."""

    def __init__(self, kind: str, package: str | None, adapt: Callable[[str, Any], T | None],
                 name_of: Callable[[T], str]) -> None:
        self.group = f"tqcheck.{kind}"
        self._package = package
        self._adapt = adapt
        self._name_of = name_of
        self._plugins: tuple[T, ...] | None = None

    def get(self, name: str) -> T | None:
        """The plugin called ``name``, None if none is.  A built-in module of that name is tried
        alone first, so that a scan asking for one reporter does not import all of them."""
        if self._plugins is None and self._package is not None and name.isidentifier() \
                and not name.startswith("_"):
            module = f"{self._package}.{name}"
            if importlib.util.find_spec(module) is not None:
                plugin = self._adapt(name, importlib.import_module(module))
                if plugin is not None and self._name_of(plugin) == name:
                    return plugin
        return next((p for p in self.all() if self._name_of(p) == name), None)

    def names(self) -> list[str]:
        return [self._name_of(p) for p in self.all()]

    def all(self) -> tuple[T, ...]:
        """Every plugin of this kind, loaded on the first call."""
        if self._plugins is None:
            self._plugins = (*self._builtins(), *self._third_party())
        return self._plugins

    def reset(self) -> None:
        """Forget what was loaded: the next :meth:`all` discovers again (after installing a plugin)."""
        self._plugins = None

    def _builtins(self) -> list[T]:
        if self._package is None:
            return []
        package = importlib.import_module(self._package)
        found = []
        for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
            if info.name.startswith("_") or info.ispkg:
                continue
            plugin = self._adapt(info.name, importlib.import_module(f"{self._package}.{info.name}"))
            if plugin is not None:
                found.append(plugin)
        return found

    def _third_party(self) -> list[T]:
        found = []
        for point in sorted(entry_points(self.group), key=lambda p: p.name):
            try:
                obj = point.load()
            except Exception as exc:  # noqa: BLE001 - a broken plugin can raise anything: it is named
                raise PluginError(self.group, point.name, f"cannot be loaded: {exc}") from None
            plugin = self._adapt(point.name, obj)
            if plugin is None:
                raise PluginError(self.group, point.name, f"{point.value} is not a {self.group} plugin")
            found.append(plugin)
        return found


__all__ = ["PluginError", "Registry", "entry_points"]
