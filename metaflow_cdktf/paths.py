"""Where the project's files are, and how to make a throwaway copy of it."""

from __future__ import annotations

import shutil
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
TERRAFORM_ROOT = REPO_ROOT / "terraform"

# What `python main.py synth` and `docs` read and write.
PROJECT_FILES = ("main.py", "Pipfile", "Pipfile.lock", "metaflow_cdktf", "modules", "lambda_src", "docs", "terraform")


def copy_project(destination: Path, root: Path = REPO_ROOT) -> Path:
    """Copy what synth and docs need to `destination` (no caches, no Terraform working state)."""
    destination.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__", ".terraform", "*.zip")
    for name in PROJECT_FILES:
        source = root / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=ignore)
        else:
            shutil.copy2(source, destination / name)
    return destination
