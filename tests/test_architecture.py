"""The house shows its pipeline: no import cycle, imports flow one way, and docs/architecture.md maps every folder."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from etl.config import PROJECT_ROOT

PACKAGES = ("etl", "dashboard")
DOC = PROJECT_ROOT / "docs" / "architecture.md"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PROJECT_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for package in PACKAGES for path in (PROJECT_ROOT / package).rglob("*.py")}


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """The project's modules a file imports, at module level or inside a function alike."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name in modules}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                found.add(submodule if submodule in modules else node.module)
    return found & set(modules)


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(path, modules) - {name} for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return out


def test_no_module_imports_itself_through_others():
    assert cycles(import_graph()) == []


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def imported_roots(source: str) -> set[str]:
    """The top-level names a source file imports (`import a.b`, `from a.b import c`), at any depth in the file."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def _importers_of(folders: tuple[str, ...], forbidden: set[str]) -> dict[str, list[str]]:
    """The files under `folders` that import one of `forbidden`, and which."""
    return {
        path.relative_to(PROJECT_ROOT).as_posix(): sorted(found)
        for folder in folders
        for path in sorted((PROJECT_ROOT / folder).rglob("*.py"))
        if (found := imported_roots(path.read_text(encoding="utf-8")) & forbidden)
    }


def test_the_import_finder_sees_both_forms_at_any_depth():
    source = "import tests.e2e\nfrom bench.harness import server\ndef f():\n    from tests import helpers\n"
    assert imported_roots(source) == {"tests", "bench"}
    assert imported_roots("import testsuite\nfrom . import tests\n") == {"testsuite"}


def test_the_benchmarks_import_nothing_from_the_tests():
    """What both use lives in bench/harness/; bench/ never reaches into tests/."""
    assert _importers_of(("bench",), {"tests"}) == {}


def test_the_product_imports_neither_the_benchmarks_nor_the_tests():
    assert _importers_of(PACKAGES, {"bench", "tests"}) == {}


def _mapped_folders() -> list[str]:
    """The folders the map at the top of docs/architecture.md names, in its order."""
    text = DOC.read_text(encoding="utf-8")
    block = re.search(r"```text\n(.*?)```", text, re.S)
    assert block and text.index(block.group(0)) < text.index("\n## "), "the document opens with the map"
    return [line.split()[0] for line in block.group(1).splitlines() if line.strip()]


def test_every_folder_the_map_names_exists():
    for folder in _mapped_folders():
        assert folder.endswith("/") and (PROJECT_ROOT / folder).is_dir(), folder


def test_the_map_names_every_package_folder():
    mapped = set(_mapped_folders())
    packages = {
        f"{path.parent.relative_to(PROJECT_ROOT).as_posix()}/"
        for package in PACKAGES
        for path in (PROJECT_ROOT / package).rglob("__init__.py")
    }
    assert packages <= mapped, sorted(packages - mapped)
    assert {f"{package}/" for package in PACKAGES} <= mapped


MAX_MODULE_LINES = 400  # issue 14: a module a reader can hold in one sitting


def test_no_module_of_the_product_or_the_harness_is_over_400_lines():
    long = {
        str(path.relative_to(PROJECT_ROOT)): lines
        for folder in (*PACKAGES, "bench")
        for path in (PROJECT_ROOT / folder).rglob("*.py")
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}


CODE_PATH = re.compile(r"`((?:etl|dashboard|bench|tests|docs)/[\w./-]+)`")  # data/ is made at run time


def test_every_code_path_the_docs_name_exists():
    missing = [
        (doc.name, path)
        for doc in [*sorted((PROJECT_ROOT / "docs").glob("*.md")), PROJECT_ROOT / "README.md"]
        for path in CODE_PATH.findall(doc.read_text(encoding="utf-8"))
        if not (PROJECT_ROOT / path.split(":")[0]).exists()
    ]
    assert missing == []
