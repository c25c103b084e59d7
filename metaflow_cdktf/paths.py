"""Where the project's files are: the synthesized Terraform tree laid out like upstream's
repository, the lambda sources, and a throwaway copy of what synthesis reads and writes.

    terraform/main.tf.json, README.md            the root module (`metaflow`)
    terraform/modules/<name>/main.tf.json, ...   every other module
    terraform-aws6/...                           the same, for hashicorp/aws 6 (lines.py)

In a checkout the data directories sit beside the package; a wheel carries them
inside it (pyproject.toml), so the same code finds them either way.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    packaged = PACKAGE_DIR / name
    return packaged if packaged.is_dir() else PACKAGE_DIR.parent / name


# The modules for hashicorp/aws 5, and the same for aws 6 (lines.py)
TERRAFORM_ROOT = _data_dir("terraform")
TERRAFORM_AWS6_ROOT = _data_dir("terraform-aws6")
LAMBDA_SRC = _data_dir("lambda_src")

ROOT_MODULE = "metaflow"
MODULE_FILE = "main.tf.json"
README_FILE = "README.md"
FINGERPRINTS_FILE = ".fingerprints.json"


def module_dir(name: str, terraform_root: Path = TERRAFORM_ROOT) -> Path:
    """The directory of module `name`: the tree's root for the root module, else modules/<name>."""
    return terraform_root if name == ROOT_MODULE else terraform_root / "modules" / name


def module_file(name: str, terraform_root: Path = TERRAFORM_ROOT) -> Path:
    return module_dir(name, terraform_root) / MODULE_FILE


def readme_file(name: str, terraform_root: Path = TERRAFORM_ROOT) -> Path:
    return module_dir(name, terraform_root) / README_FILE


def module_source(caller: str, callee: str) -> str:
    """The `source` with which module `caller` calls module `callee`: "./modules/datastore"
    from the root module, "../common" between submodules, as upstream's modules call them."""
    relative = os.path.relpath(module_dir(callee, Path("/t")), module_dir(caller, Path("/t")))
    return relative if relative.startswith("../") else f"./{relative}"


# The repository the package runs from, or None for an installed wheel.
CHECKOUT_ROOT = PACKAGE_DIR.parent if TERRAFORM_ROOT.parent == PACKAGE_DIR.parent else None
# What a copy of a checkout needs besides the package and its data: the CLI and the stacks.
_CHECKOUT_EXTRAS = ("main.py", "stacks", "cdktf.json")


def copy_project(destination: Path) -> Path:
    """Copy the package and its data to `destination`, where `python -m metaflow_cdktf` (and, for
    a checkout, `python main.py`) then works on the copy. No caches, no Terraform state."""
    destination.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__", ".terraform", "*.zip")
    shutil.copytree(PACKAGE_DIR, destination / PACKAGE_DIR.name, ignore=ignore)
    if CHECKOUT_ROOT is None:
        return destination
    for name in (TERRAFORM_ROOT.name, TERRAFORM_AWS6_ROOT.name, LAMBDA_SRC.name, *_CHECKOUT_EXTRAS):
        source = CHECKOUT_ROOT / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=ignore)
        elif source.is_file():
            shutil.copy2(source, destination / name)
    return destination
