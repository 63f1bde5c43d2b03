"""The code's shape: dependencies run comments → blog, and a module holds one idea (300 lines at most)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_LINES = 300


def imported_modules(source, package):
    """Every module the source imports, at the top or inside a function (relative imports resolved)."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level:
            parts = package.split(".")[: len(package.split(".")) - node.level + 1]
            yield ".".join([*parts, node.module] if node.module else parts)
        elif isinstance(node, ast.ImportFrom):
            yield node.module


def blog_modules_importing_comments():
    found = {}
    for path in sorted((ROOT / "blog").rglob("*.py")):
        package = ".".join(path.relative_to(ROOT).parts[:-1])
        modules = imported_modules(path.read_text(encoding="utf-8"), package)
        if wrong := [module for module in modules if module == "comments" or module.startswith("comments.")]:
            found[str(path.relative_to(ROOT))] = wrong
    return found


def test_imported_modules_finds_imports_anywhere_in_a_file():
    source = "import comments.models\ndef f():\n    from comments import services\n    from .. import views\n"
    assert list(imported_modules(source, "blog.templatetags")) == ["comments.models", "comments", "blog"]


def test_no_blog_module_imports_comments():
    assert blog_modules_importing_comments() == {}


def test_no_module_outside_migrations_and_tests_is_over_300_lines():
    long = {
        str(path.relative_to(ROOT)): count
        for app in ("blog", "comments", "config")
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts and (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}
