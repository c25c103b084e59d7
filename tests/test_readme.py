"""README's layout table matches the tree: every path it names exists, and every entry of the
repository's top level and of the package is in it."""

from __future__ import annotations

import fnmatch
import re

from project import REPO_ROOT

README = (REPO_ROOT / "README.md").read_text()


def layout_cells() -> list[str]:
    section = README.split("\n## Layout\n", 1)[1].split("\n## ", 1)[0]
    return [line.split(" | ")[0].lstrip("| ") for line in section.splitlines()
            if line.startswith("| `")]


def named_paths() -> list[str]:
    """Every path the layout table's first column names; a bare name is beside the cell's first path."""
    paths = []
    for cell in layout_cells():
        names = re.findall(r"`([^`]+)`", cell)
        first = names[0]
        base = first.rstrip("/") if first.endswith("/") else (first.rsplit("/", 1)[0] if "/" in first else "")
        for name in names:
            paths.append(name if "/" in name or not base else f"{base}/{name}")
    return paths


def ignored(name: str) -> bool:
    patterns = [line.strip().strip("/") for line in (REPO_ROOT / ".gitignore").read_text().splitlines()
                if line.strip() and not line.startswith("#")]
    return name == ".git" or any(fnmatch.fnmatch(name, pattern) for pattern in patterns)


def test_every_path_the_layout_table_names_exists():
    missing = [path for path in named_paths()
               if not list(REPO_ROOT.glob(path.replace("<name>", "*").rstrip("/")))]
    assert not missing, f"README's layout table names paths that do not exist: {missing}"


def test_every_top_level_entry_and_every_package_entry_is_in_the_layout_table():
    table = "\n".join(layout_cells())
    top_level = [p.name for p in REPO_ROOT.iterdir() if not ignored(p.name)]
    package = [f"metaflow_cdktf/{p.name}" for p in (REPO_ROOT / "metaflow_cdktf").iterdir()
               if p.name not in ("__pycache__", "py.typed")]
    named = set(named_paths())
    absent = [entry for entry in top_level if entry not in table] + \
             [entry for entry in package if entry not in named and f"{entry}/" not in named
              and not any(name.startswith(f"{entry}/") for name in named)]
    assert not absent, f"README's layout table does not mention: {absent}"
