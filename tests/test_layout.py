"""The layout shows the flow: each layer imports only from the layers beneath it, and no module imports itself back."""

from __future__ import annotations

import ast
from pathlib import Path

from .conftest import REPO

PACKAGE = REPO / "src" / "agency_rules"
LAYERS = [
    {"errors", "tomlfiles", "domain", "regions", "messages", "shown", "version", "worker_ids"},
    {"inputs", "written"},
    {"engine"},
    {"report", "rules_view", "columns_view", "quarterly", "explained", "report_diff"},
    {"board"},
    {"renderers"},
    {"api", "pseudonyms"},
    {"cli", "help_text", "entry", "__main__", "__init__"},
]


def layer_of(module: str) -> int:
    top = module.split(".")[0]
    return next(index for index, names in enumerate(LAYERS) if top in names)


def imports(path: Path) -> set[str]:
    """Modules of the package that `path` imports, as dotted names relative to the package."""
    here = path.relative_to(PACKAGE).with_suffix("").parts
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = list(here[: len(here) - node.level])
            target = ".".join(base + ([node.module] if node.module else []))
            names = [target] if node.module else [".".join(base + [a.name]) for a in node.names]
            found.update(n for n in names if is_module(n))
    return found


def is_module(name: str) -> bool:
    place = PACKAGE.joinpath(*name.split("."))
    return place.with_suffix(".py").exists() or (place / "__init__.py").exists()


def test_every_module_imports_only_from_its_own_or_lower_layers() -> None:
    wrong = []
    for path in PACKAGE.rglob("*.py"):
        module = ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
        for imported in imports(path):
            if layer_of(imported) > layer_of(module):
                wrong.append(f"{module} imports {imported}")
    assert wrong == []


def test_no_import_cycles() -> None:
    graph = {}
    for path in PACKAGE.rglob("*.py"):
        module = ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
        graph[module] = {i for i in imports(path) if i != module}
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        if state.get(node) == 1:
            raise AssertionError("import cycle: " + " -> ".join(trail + [node]))
        if state.get(node) == 2 or node not in graph:
            return
        state[node] = 1
        for nxt in graph[node]:
            visit(nxt if nxt in graph else nxt + ".__init__", trail + [node])
        state[node] = 2

    for module in graph:
        visit(module, [])


def test_nothing_shipped_or_documented_points_outside_the_repository() -> None:
    """The rules' decisions cite the project's own docs/semantics.md; the README and the package stand alone."""
    root = Path(__file__).parents[1]
    shipped = [root / "README.md", *root.glob("docs/*.md"), *root.glob("rules/**/*.toml"), *root.glob("src/agency_rules/**/*.py")]
    for path in shipped:
        text = path.read_text(encoding="utf-8")
        assert "rules.md" not in text and "../shared" not in text and "shared/domain" not in text, path
    assert (root / "docs" / "semantics.md").is_file()


def test_every_package_under_src_is_installed() -> None:
    """The wheel lists its packages (the shipped rules live outside src/), so a new subpackage must be listed too."""
    import tomllib

    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(PACKAGE.parent).parts) for p in PACKAGE.rglob("__init__.py")}
    assert found <= listed, found - listed
