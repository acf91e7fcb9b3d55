"""The domain package stays plain: no import of the rest of Conventio, no I/O."""
import ast
import sys
from pathlib import Path

import workflows.domain

DOMAIN = Path(workflows.domain.__file__).parent
ALLOWED_THIRD_PARTY = {"holidays"}
FORBIDDEN_CALLS = {"open", "print", "input", "exec", "eval"}


def modules():
    return sorted(DOMAIN.glob("*.py"))


def test_domain_imports_only_stdlib_holidays_and_itself():
    for path in modules():
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                assert node.level == 1, f"{path.name} leaves the domain package"
                continue
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module] if isinstance(node, ast.ImportFrom) else [])
            for name in names:
                top = name.split(".")[0]
                assert top in sys.stdlib_module_names or top in ALLOWED_THIRD_PARTY, \
                    f"{path.name} imports {name}"


def test_domain_does_no_io():
    for path in modules():
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in FORBIDDEN_CALLS, f"{path.name} calls {node.func.id}()"


def test_package_docstring_only():
    tree = ast.parse((DOMAIN / "__init__.py").read_text("utf-8"))
    assert len(tree.body) == 1 and isinstance(tree.body[0].value, ast.Constant)
