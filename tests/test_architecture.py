"""The package's import graph has no cycles (issue 10): a cycle means two modules cannot be
understood, tested or moved apart, and it is how a layered core quietly decays.

The graph is built statically with ``ast`` from every ``import`` and ``from ... import`` in the
package, at module level and inside functions alike (a deferred import is still a dependency; it
only hides the cycle from the interpreter). Imports under ``if TYPE_CHECKING:`` are left out: they
never run, and they are the sanctioned way to name a type across a layer boundary.
"""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "tqcheck"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST, module: str, is_package: bool, modules: set[str]) -> set[str]:
    """Every module named by an import in ``tree`` (absolute names), outside ``TYPE_CHECKING`` blocks.
    ``from pkg import name`` names the submodule ``pkg.name`` when there is one, else ``pkg`` itself."""
    found: set[str] = set()
    base = module.split(".") if is_package else module.split(".")[:-1]

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                anchor = base[: len(base) - node.level + 1]
                target = ".".join(anchor + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                submodule = f"{target}.{alias.name}"
                found.add(submodule if submodule in modules else target)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def import_graph() -> dict[str, set[str]]:
    """Module → the package modules it imports. Importing ``a.b.c`` runs ``a`` and ``a.b`` too, so
    those are edges as well, except a module's own parent packages (they always run before it)."""
    sources = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for module, path in sources.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        edges: set[str] = set()
        for name in _imports(tree, module, path.name == "__init__.py", set(sources)):
            if name in sources and name != module:
                edges.add(name)
            parts = name.split(".")
            for i in range(1, len(parts)):
                parent = ".".join(parts[:i])
                if parent in sources and parent != module and not module.startswith(parent + "."):
                    edges.add(parent)
        graph[module] = edges
    return graph


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def strongconnect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                strongconnect(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            strongconnect(node)
    return sorted(components)


def _path_through(graph: dict[str, set[str]], component: list[str]) -> str:
    """One concrete cycle inside a component, as ``a -> b -> a``, so the failure says what to cut."""
    members = set(component)
    start = component[0]
    parents: dict[str, str] = {}
    frontier = [start]
    while frontier:
        nxt_frontier = []
        for node in frontier:
            for nxt in sorted(graph[node] & members):
                if nxt == start:
                    path = [start]
                    while node != start:
                        path.append(node)
                        node = parents[node]
                    path.append(start)
                    return " -> ".join([path[0], *reversed(path[1:-1]), path[-1]])
                if nxt not in parents:
                    parents[nxt] = node
                    nxt_frontier.append(nxt)
        frontier = nxt_frontier
    return " -> ".join(component)


def test_the_graph_sees_the_package() -> None:
    graph = import_graph()
    assert "tqcheck.cli" in graph and "tqcheck.pipeline" in graph["tqcheck.cli"]


def test_finds_a_cycle_through_a_function_level_import() -> None:
    tree = ast.parse("def f():\n    from . import b\n")
    assert "tqcheck.b" in _imports(tree, "tqcheck.a", is_package=False, modules={"tqcheck.b"})
    assert find_cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]


def test_type_checking_imports_are_not_edges() -> None:
    tree = ast.parse("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .b import B\n")
    assert "tqcheck.b" not in _imports(tree, "tqcheck.a", is_package=False, modules={"tqcheck.b"})


def test_no_import_cycles() -> None:
    graph = import_graph()
    cycles = find_cycles(graph)
    assert not cycles, "import cycles in tqcheck:\n" + "\n".join(
        _path_through(graph, c) for c in cycles)


#: The layers of the package, bottom first (docs/architecture.md).  A module may import its own
#: layer and those below it, never one above: the core never knows about checks, checks never
#: about the pipeline, the pipeline never about reports or the CLI.  Keys are the first name under
#: ``tqcheck`` (a module or a subpackage).
LAYERS: tuple[tuple[str, frozenset[str]], ...] = (
    ("base", frozenset({"_version", "cache", "cores", "interrupts", "orphans", "progress"})),
    ("langs", frozenset({"langs"})),
    ("core", frozenset({"core", "registry"})),
    ("formats", frozenset({"formats"})),
    ("plugins", frozenset({"rules", "checks", "fluency", "termbase"})),
    ("run", frozenset({"pipeline", "langguess", "suppressions", "baseline", "gate", "runner", "fix",
                       "corpus", "distributed", "metrics", "suggest", "process", "inputs", "scoring", "streaming"})),
    ("reports", frozenset({"report"})),
    ("app", frozenset({"cli", "config", "api", "lsp", "docs_gen", "completion", "__main__", ""})),
)


def layer_of(module: str) -> int:
    """Index in :data:`LAYERS` of a package module (``tqcheck.core.findings`` → the core's)."""
    head = module.split(".")[1] if "." in module else ""
    for index, (_, members) in enumerate(LAYERS):
        if head in members:
            return index
    raise AssertionError(f"{module} is in no layer of LAYERS: add it where it belongs")


def test_imports_only_go_down_the_layers() -> None:
    upward = sorted(f"{a} ({LAYERS[layer_of(a)][0]}) imports {b} ({LAYERS[layer_of(b)][0]})"
                    for a, targets in import_graph().items() for b in targets
                    if b.startswith("tqcheck") and layer_of(b) > layer_of(a))
    assert not upward, "imports that go up a layer:\n" + "\n".join(upward)


def test_layer_check_sees_an_upward_import() -> None:
    assert layer_of("tqcheck.core.findings") < layer_of("tqcheck.pipeline") < layer_of("tqcheck.cli")
