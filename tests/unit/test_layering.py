"""The layering of docs/architecture.md, enforced: each part imports only the parts under it,
only the engine imports SpiffWorkflow, and no two modules import each other, even through
imports inside functions (they run later, but they still tie the modules together)."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("workflows", "server")

SHARED = ("workflows.errors", "workflows.config", "workflows.roles", "workflows.states")
# Who may import what of ours (prefixes); a module's own part is always allowed.
ALLOWED = {
    "workflows.domain": (),
    "workflows.engine": SHARED,
    "workflows.store": SHARED,
    "workflows.documents": SHARED + ("workflows.domain",),
    "workflows.model_functions": SHARED + ("workflows.domain",),
    "workflows.services": SHARED + ("workflows.domain", "workflows.engine", "workflows.store",
                                    "workflows.documents"),
    "workflows.jobs": SHARED + ("workflows.services", "workflows.store", "workflows.cli_support"),
    "workflows.cli_support": SHARED + ("workflows.services",),
    "server": SHARED + ("workflows.services", "workflows.cli_support"),
}
SHARED_ALLOWED = {"workflows.errors": (), "workflows.config": (), "workflows.roles": (),
                  "workflows.states": (), "workflows": ()}
# The command line launches the other processes of the installation: the Celery worker and
# beat, and the jobs run inside `conventio serve`. Those are entry points, not use cases.
LAUNCHERS = {"server.cli": ("workflows.jobs.cli",), "server.commands": ("workflows.jobs.embedded",)}


def module_name(path):
    relative = path.relative_to(ROOT).with_suffix("")
    parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
    return ".".join(parts)


def all_modules():
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            found[module_name(path)] = path
    return found


MODULES = all_modules()


def _resolve(module, path, node):
    """The modules of ours (and the external top-level names) one import statement names."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:
        package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
        base = ".".join(package[:len(package) - node.level + 1] + ([node.module] if node.module else []))
    else:
        base = node.module
    targets = []
    for alias in node.names:
        submodule = f"{base}.{alias.name}"
        targets.append(submodule if submodule in MODULES else base)
    return targets


def imports_of(module):
    path = MODULES[module]
    tree = ast.parse(path.read_text("utf-8"))
    return {(target, node.lineno) for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))
            for target in _resolve(module, path, node)}


GRAPH = {module: imports_of(module) for module in MODULES}


def _part(module):
    parts = {**ALLOWED, **SHARED_ALLOWED}
    return max((p for p in parts if module == p or module.startswith(p + ".")), key=len, default=None)


def _ours(target):
    return target.split(".")[0] in PACKAGES


def test_every_module_belongs_to_a_part():
    assert [m for m in MODULES if _part(m) is None] == []


def test_imports_follow_the_layering():
    parts = {**ALLOWED, **SHARED_ALLOWED}
    crossings = []
    for module, targets in GRAPH.items():
        own = _part(module)
        allowed = parts[own] + LAUNCHERS.get(module, ())
        for target, line in sorted(targets):
            if not _ours(target) or _part(target) == own:
                continue
            if not any(target == a or target.startswith(a + ".") for a in allowed):
                crossings.append(f"{MODULES[module].relative_to(ROOT)}:{line} imports {target}")
    assert crossings == []


def test_only_the_engine_imports_spiffworkflow():
    outside = [f"{MODULES[m].relative_to(ROOT)}:{line}" for m, targets in GRAPH.items()
               for target, line in targets
               if target.split(".")[0] == "SpiffWorkflow" and _part(m) != "workflows.engine"]
    assert outside == []


def _cycles():
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    edges = {m: sorted({t for t, _ in targets if t in MODULES and t != m}) for m, targets in GRAPH.items()}
    index, low, stack, on_stack, components, counter = {}, {}, [], set(), [], [0]
    for root in edges:
        if root in index:
            continue
        work = [(root, iter(edges[root]))]
        index[root] = low[root] = counter[0]; counter[0] += 1
        stack.append(root); on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = set()
                    while True:
                        member = stack.pop(); on_stack.discard(member); component.add(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        components.append(sorted(component))
            elif child not in index:
                index[child] = low[child] = counter[0]; counter[0] += 1
                stack.append(child); on_stack.add(child)
                work.append((child, iter(edges[child])))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return components


def test_no_import_cycle_between_modules():
    assert _cycles() == []


@pytest.mark.parametrize("module, forbidden", [("workflows.domain.money", "workflows.store"),
                                               ("server.cli", "workflows.store.models")])
def test_the_layering_test_sees_a_crossing(module, forbidden, monkeypatch):
    """The test above would fail on a crossing, including one inside a function."""
    monkeypatch.setitem(GRAPH, module, GRAPH[module] | {(forbidden, 1)})
    with pytest.raises(AssertionError):
        test_imports_follow_the_layering()


def test_the_cycle_finder_sees_a_cycle(monkeypatch):
    monkeypatch.setitem(GRAPH, "workflows.errors", GRAPH["workflows.errors"] | {("workflows.config", 1)})
    monkeypatch.setitem(GRAPH, "workflows.config", GRAPH["workflows.config"] | {("workflows.errors", 1)})
    assert ["workflows.config", "workflows.errors"] in _cycles()
