"""No import cycle between the modules of the domain, nor between those of the documents,
counting the imports written inside functions (a cycle hidden there is still a cycle)."""
import ast
from pathlib import Path

import pytest

import workflows

ROOT = Path(workflows.__file__).parent.parent


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path, known: set[str]) -> set[str]:
    """The modules of ``known`` that ``path`` imports, wherever the import statement is."""
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[:len(package.split(".")) - node.level + 1] if node.level else []
            target = ".".join(base + ([node.module] if node.module else []))
            # `from . import contexts` imports the submodule, not the package again
            found |= {f"{target}.{alias.name}" if f"{target}.{alias.name}" in known else target
                      for alias in node.names}
    return found & known


def cycle_in(graph: dict[str, set[str]]) -> list[str] | None:
    done, path = set(), []

    def visit(module):
        if module in path:
            return path[path.index(module):] + [module]
        if module in done:
            return None
        path.append(module)
        for target in sorted(graph[module]):
            found = visit(target)
            if found:
                return found
        path.pop()
        done.add(module)
        return None

    for module in sorted(graph):
        found = visit(module)
        if found:
            return found
    return None


@pytest.mark.parametrize("package", ["domain", "documents"])
def test_no_import_cycle(package):
    paths = sorted((ROOT / "workflows" / package).rglob("*.py"))
    known = {module_name(path) for path in paths}
    graph = {module_name(path): imported(path, known) - {module_name(path)} for path in paths}
    assert cycle_in(graph) is None, " -> ".join(cycle_in(graph))


def test_the_walk_sees_a_cycle_hidden_in_a_function():
    assert cycle_in({"a": {"b"}, "b": {"a"}}) == ["a", "b", "a"]
