"""Where the project's files are, and a throwaway copy of it for tests that write."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
TERRAFORM_ROOT = REPO_ROOT / "terraform"
SEEDS = REPO_ROOT.parent / "shared" / "seeds"

# What `python main.py synth` and `docs` read and write.
PROJECT_FILES = ("main.py", "Pipfile", "Pipfile.lock", "metaflow_cdktf", "modules", "lambda_src", "docs", "terraform")


def copy_project(destination: Path) -> Path:
    destination.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__", ".terraform", "*.zip")
    for name in PROJECT_FILES:
        source = REPO_ROOT / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=ignore)
        else:
            shutil.copy2(source, destination / name)
    return destination


def run_main(project: Path, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "main.py", *arguments], cwd=project, capture_output=True, text=True)


def files_under(directory: Path) -> dict[Path, bytes]:
    return {path.relative_to(directory): path.read_bytes() for path in sorted(directory.rglob("*")) if path.is_file()}
