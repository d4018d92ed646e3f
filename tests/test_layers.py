"""Import rules: the core under app/ never imports Qt or the UI; the CLI imports Qt only inside commands."""
import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"
QT_MODULES = ("PySide6", "shiboken6")


def imports(tree: ast.AST, top_level_only: bool) -> list[tuple[int, str]]:
    """(line, module) of import statements; with top_level_only, not those inside functions."""
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            nested = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))
            if isinstance(child, ast.Import) and not (top_level_only and in_function):
                found.extend((child.lineno, a.name) for a in child.names)
            elif isinstance(child, ast.ImportFrom) and child.module and not (top_level_only and in_function):
                found.append((child.lineno, child.module))
            visit(child, nested)

    visit(tree, False)
    return found


def core_files() -> list[Path]:
    return [p for p in APP.rglob("*.py") if "ui" not in p.relative_to(APP).parts[:1] and p.parts[-2] != "cli"]


@pytest.mark.parametrize("path", core_files(), ids=lambda p: str(p.relative_to(APP)))
def test_core_module_imports_no_qt_and_no_ui(path):
    for line, module in imports(ast.parse(path.read_text(encoding="utf-8")), top_level_only=False):
        assert not module.startswith(QT_MODULES), f"{path.relative_to(APP)}:{line} imports {module}"
        assert not module.startswith("app.ui"), f"{path.relative_to(APP)}:{line} imports {module}"


@pytest.mark.parametrize("path", sorted((APP / "cli").glob("*.py")), ids=lambda p: p.name)
def test_cli_imports_qt_only_inside_commands(path):
    for line, module in imports(ast.parse(path.read_text(encoding="utf-8")), top_level_only=True):
        assert not module.startswith(QT_MODULES + ("app.ui",)), f"cli/{path.name}:{line} imports {module} at module level"


def test_core_is_importable_without_qt_loaded():
    import subprocess
    import sys

    modules = sorted(".".join(p.relative_to(APP.parent).with_suffix("").parts).removesuffix(".__init__")
                     for p in core_files() if p.name != "__main__.py")
    code = (
        "import sys, importlib\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "assert not any(k.startswith('PySide6') for k in sys.modules), [k for k in sys.modules if 'PySide6' in k]\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
