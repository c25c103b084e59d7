"""The package's modules import one another in layers: none imports, directly or through others, a
module that imports it back. Read off the source (dependents.ImportGraph): an import inside a
function counts, and so does `importlib.import_module("<a literal name>")`, which `watch` uses to
import the project afresh each round."""

from __future__ import annotations

import ast
from pathlib import Path

from metaflow_cdktf.dependents import ImportGraph
from metaflow_cdktf.paths import PACKAGE_DIR
from project import write_package


def package_files(package_dir: Path) -> list[Path]:
    return sorted(path for path in package_dir.rglob("*.py") if "__pycache__" not in path.parts)


def imports(graph: ImportGraph, path: Path) -> set[Path]:
    """The package's files `path` imports: by import statements, or by import_module with a literal name."""
    named = {node.args[0].value for node in ast.walk(ast.parse(path.read_bytes()))
             if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None)) ==
             "import_module" and node.args and isinstance(node.args[0], ast.Constant)}
    by_name = {file for name in named if (file := graph.module_file(name)) is not None}
    return graph.imports(path) | by_name


def find_cycle(package_dir: Path) -> list[Path] | None:
    """A chain of the package's files each importing the next, the last the first again; None if
    there is none."""
    graph = ImportGraph(package_dir)
    edges = {path: sorted(imports(graph, path)) for path in package_files(package_dir)}
    done: set[Path] = set()

    def visit(path: Path, chain: list[Path]) -> list[Path] | None:
        if path in chain:
            return chain[chain.index(path):] + [path]
        if path in done:
            return None
        for imported in edges.get(path, []):
            if cycle := visit(imported, [*chain, path]):
                return cycle
        done.add(path)
        return None

    return next((cycle for path in edges if (cycle := visit(path, []))), None)


def test_no_module_of_the_package_imports_one_that_imports_it_back():
    cycle = find_cycle(PACKAGE_DIR)
    assert cycle is None, "an import cycle: " + " -> ".join(str(p.relative_to(PACKAGE_DIR)) for p in cycle)


def test_the_command_line_sits_above_watch_and_bench_which_share_the_layers_below():
    graph = ImportGraph(PACKAGE_DIR)

    def reached(name: str) -> set[str]:
        closure = graph.closure(PACKAGE_DIR / f"{name}.py")
        return {path.stem for path in closure if path.parent == PACKAGE_DIR} - {name}

    assert {"watch", "bench", "generate"} <= reached("cli")
    assert {"generate", "process"} <= reached("watch") and not {"cli", "bench"} & reached("watch")
    assert "process" in reached("bench") and not {"cli", "watch", "generate"} & reached("bench")
    assert not {"cli", "watch", "bench"} & (reached("generate") | reached("process"))


def test_a_deferred_import_that_closes_a_cycle_is_found(tmp_path):
    package = write_package(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/a.py": "from pkg.b import helper\n",
        "pkg/b.py": "def helper():\n    from pkg import a\n    return a\n",
        "pkg/c.py": "import pkg.a\n",
    })
    assert find_cycle(package) == [package / "a.py", package / "b.py", package / "a.py"]


def test_an_import_module_call_that_closes_a_cycle_is_found(tmp_path):
    package = write_package(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/a.py": "import importlib\n\ndef later():\n    return importlib.import_module('pkg.b')\n",
        "pkg/b.py": "from pkg.a import later\n",
    })
    assert find_cycle(package) == [package / "a.py", package / "b.py", package / "a.py"]


def test_imports_without_a_cycle_pass(tmp_path):
    package = write_package(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/a.py": "from pkg import b\nfrom pkg.c import x\n",
        "pkg/b.py": "import pkg.c\n",
        "pkg/c.py": "x = 1\n",
    })
    assert find_cycle(package) is None
