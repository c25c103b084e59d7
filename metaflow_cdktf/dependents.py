"""Which modules a save can change, so that `watch` synthesizes only those.

A module's file is made by its build function from what its build file imports, directly or
through other files of the package (its spec, the shared variables, the synthesis helpers,
`interface.py`, ...). Which files those are is read off the import statements of the files as
they are now (no code runs). A saved file that synthesis reads but no build file imports (the
synthesizer, the post-processing, the lambda source, a file just added or deleted) can change
every module; a saved file synthesis does not read (the docs generator) changes none.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Iterable, Iterator, Mapping, Sequence

from metaflow_cdktf.fingerprint import SOURCE_INPUTS
from metaflow_cdktf.interface import ModuleSpec
from metaflow_cdktf.modules import build_file
from metaflow_cdktf.paths import PACKAGE_DIR


def affected_modules(specs: Sequence[ModuleSpec], saved: Iterable[Path]) -> list[ModuleSpec]:
    """The modules of `specs` whose synthesized file the saves of `saved` can change, in order."""
    try:
        changed = changed_modules({spec.name: build_file(spec) for spec in specs}, saved)
    except (SyntaxError, ValueError, OSError):  # what the round's imports did not already fail on
        return list(specs)
    return [spec for spec in specs if spec.name in changed]


def changed_modules(build_files: Mapping[str, Path], saved: Iterable[Path]) -> set[str]:
    """The names, among those of `build_files` ({module name: its build file}), of the modules the
    saves of `saved` can change."""
    read_by_synthesis = {path for path in saved if _read_by_synthesis(path)}
    if not read_by_synthesis:
        return set()
    graph = ImportGraph(PACKAGE_DIR)
    uses = {name: graph.closure(file) for name, file in build_files.items()}
    if not read_by_synthesis <= set().union(*uses.values()):
        return set(build_files)
    return {name for name, files in uses.items() if files & read_by_synthesis}


def _read_by_synthesis(path: Path) -> bool:
    return any(path == source or path.is_relative_to(source) for source in SOURCE_INPUTS)


class ImportGraph:
    """The files of the package rooted at `package_dir` that each of its files imports."""

    def __init__(self, package_dir: Path) -> None:
        self.package_dir = package_dir.resolve()
        self._imports: dict[Path, set[Path]] = {}

    def closure(self, root: Path) -> set[Path]:
        """`root` and every file of the package it imports, directly or not."""
        seen, pending = set(), [root]
        while pending:
            path = pending.pop()
            if path not in seen:
                seen.add(path)
                pending.extend(self.imports(path))
        return seen

    def imports(self, path: Path) -> set[Path]:
        """The files of the package that `path`'s import statements name: for `from a.b import c`,
        a/b's file and, when c is a module, c's."""
        if path not in self._imports:
            names: list[str] = []
            for node in _statements(ast.parse(path.read_bytes(), filename=str(path)).body):
                if isinstance(node, ast.Import):
                    names.extend(alias.name for alias in node.names)
                elif isinstance(node, ast.ImportFrom):
                    base = self._absolute(path, node.module, node.level)
                    names.append(base)
                    if self._is_package(base):  # then an imported name may be a module of it
                        names.extend(f"{base}.{alias.name}" for alias in node.names)
            self._imports[path] = {file for name in names if (file := self.module_file(name)) is not None}
        return self._imports[path]

    def _is_package(self, name: str) -> bool:
        file = self.module_file(name)
        return file is not None and file.name == "__init__.py"

    def module_file(self, name: str) -> Path | None:
        """The file of module `name` if it is one of the package's."""
        parts = name.split(".")
        if parts[0] != self.package_dir.name:
            return None
        base = self.package_dir.parent.joinpath(*parts)
        return next((file for file in (base / "__init__.py", base.with_suffix(".py")) if file.is_file()), None)

    def _absolute(self, path: Path, module: str | None, level: int) -> str:
        """The absolute name a `from` import refers to (`from .spec import SPEC` in x/build.py: x.spec)."""
        if level == 0:
            return module or ""
        package = path.parent.relative_to(self.package_dir.parent).parts
        anchor = package[:len(package) - (level - 1)]
        return ".".join([*anchor, *([module] if module else [])])


def _statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Every statement of `body`, nested ones included (an import inside a function or an `if`);
    expressions, where no import statement can be, are not visited."""
    for statement in body:
        yield statement
        for field in ("body", "orelse", "finalbody", "handlers", "cases"):
            nested = getattr(statement, field, None)
            if isinstance(nested, list):
                yield from _statements(nested)
