"""The package import graph, function-level imports included (grimp reads every import statement):

- no capability imports another capability's tables (`fupin.<other>.models`): reads go through its queries,
  writes through its services, everything else through the hooks its plugin declares;
- the packages form no cycle (core and the web toolkit below the capabilities, the assembly above them).

`KNOWN_*` list exceptions still to remove (none since issue 13 was done); the test fails on anything new and on any
entry that no longer occurs, so the lists can only shrink.
"""

from __future__ import annotations

import grimp
import pytest

from fupin.core.capability import CAPABILITY_MODULES

ASSEMBLY = {"cli", "__main__", "migrations"}  # assemble the capabilities; may import their plugins and services
LAYERS_BELOW_CAPABILITIES = {"core", "web"}

KNOWN_MODEL_IMPORTS: set[tuple[str, str]] = set()
KNOWN_CYCLES: set[frozenset[str]] = set()


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("fupin", include_external_packages=False)


def _package(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def test_no_capability_imports_another_capabilitys_tables(graph):
    found: set[tuple[str, str]] = set()
    for module in graph.modules:
        source = _package(module)
        if source is None:
            continue
        for imported in graph.find_modules_directly_imported_by(module):
            target = _package(imported)
            if target in CAPABILITY_MODULES and target != source and imported == f"fupin.{target}.models":
                found.add((module, imported))
    assert found - KNOWN_MODEL_IMPORTS == set(), "new imports of another capability's tables"
    assert KNOWN_MODEL_IMPORTS - found == set(), "fixed: remove these from KNOWN_MODEL_IMPORTS"


def _package_edges(graph) -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {}
    for module in graph.modules:
        source = _package(module)
        if source is None or source in ASSEMBLY:
            continue
        for imported in graph.find_modules_directly_imported_by(module):
            target = _package(imported)
            if target is not None and target != source and target not in ASSEMBLY:
                edges.setdefault(source, set()).add(target)
    return edges


def _cycles(edges: dict[str, set[str]]) -> set[frozenset[str]]:
    """Strongly connected components of more than one package (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: set[frozenset[str]] = set()
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in edges.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.add(top)
                if top == node:
                    break
            if len(component) > 1:
                components.add(frozenset(component))

    for node in sorted(set(edges) | {t for ts in edges.values() for t in ts}):
        if node not in index:
            visit(node)
    return components


def test_the_packages_form_no_cycle(graph):
    found = _cycles(_package_edges(graph))
    assert found - KNOWN_CYCLES == set(), "new import cycles between packages"
    assert KNOWN_CYCLES - found == set(), "fixed: remove these from KNOWN_CYCLES"


def test_core_and_the_web_toolkit_import_no_capability(graph):
    edges = _package_edges(graph)
    for lower in LAYERS_BELOW_CAPABILITIES:
        assert edges.get(lower, set()) & set(CAPABILITY_MODULES) == set(), lower


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == {frozenset("abc")}
