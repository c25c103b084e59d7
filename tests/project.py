"""Where the project's files are, and a throwaway copy of it for tests that write."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from metaflow_cdktf.paths import REPO_ROOT, TERRAFORM_ROOT, copy_project  # noqa: F401 (the tests' one import of them)

SEEDS = REPO_ROOT.parent / "shared" / "seeds"


def run_main(project: Path, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "main.py", *arguments], cwd=project, capture_output=True, text=True)


def files_under(directory: Path) -> dict[Path, bytes]:
    return {path.relative_to(directory): path.read_bytes() for path in sorted(directory.rglob("*")) if path.is_file()}
