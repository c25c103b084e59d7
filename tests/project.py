"""Where the project's files are, for the tests, and helpers to run the CLI on a copy."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from metaflow_cdktf.paths import TERRAFORM_ROOT, copy_project, module_dir, module_file  # noqa: F401

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA = REPO_ROOT / "tests" / "data"
# Upstream's own files the tests compare with (tests/data/upstream/README.md says where from).
UPSTREAM = DATA / "upstream"
EXAMPLES = REPO_ROOT / "examples"
# The examples of each provider line (metaflow_cdktf/lines.py), and the one both lines' call.
AWS5_EXAMPLES = ("full", "minimal", "network")
AWS6_EXAMPLES = ("aws6",)
SHARED_EXAMPLES = ("examples/network",)
# The security scan's checkov configuration and the findings accepted with their reasons.
SECURITY = REPO_ROOT / "tests" / "security"
# Files of every kind a run in the tests may leave in a copied Terraform root.
TERRAFORM_LEFTOVERS = (".terraform", "*.tfstate*", ".terraform.lock.hcl", "*.zip", "metaflow_profile.json")


def run_main(project: Path, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "main.py", *arguments], cwd=project, capture_output=True, text=True)


def files_under(directory: Path) -> dict[Path, bytes]:
    return {path.relative_to(directory): path.read_bytes() for path in sorted(directory.rglob("*")) if path.is_file()}


def write_package(root: Path, files: dict[str, str]) -> Path:
    """Writes {relative path: text} under root; returns root/pkg, the package they make."""
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root / "pkg"
