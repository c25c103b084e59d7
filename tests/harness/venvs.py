"""Fresh virtualenvs holding this package as users install it: the wheel, built from the checkout,
installed by `pip install` with its dependencies resolved from PyPI.

pip runs isolated from this machine's pip configuration (`--isolated`: no extra indexes, no local
wheel directories) against https://pypi.org/simple, so what lands in the virtualenv is what a user
gets. Downloads are kept in the tests' cache directory (`$METAFLOW_CDKTF_TEST_CACHE`, by default
~/.cache/metaflow-cdktf-tests, harness/provider_schema.py), so later runs resolve against PyPI
without downloading again. A failure to reach PyPI raises: the tests fail, they are not skipped.
"""

from __future__ import annotations

import json
import subprocess
import sys
import venv
from dataclasses import dataclass
from pathlib import Path

from harness.provider_schema import cache_dir

PYPI = "https://pypi.org/simple"


class InstallFailed(RuntimeError):
    """pip could not build or install something (PyPI unreachable, a conflict): its output."""


def build_wheel(source: Path, destination: Path) -> Path:
    """The wheel of the project at `source`, built into `destination` (its dependencies are not built)."""
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--isolated",
                            "--disable-pip-version-check", "-w", str(destination), str(source)],
                           capture_output=True, text=True)
    if build.returncode != 0:
        raise InstallFailed(f"building the wheel of {source} failed:\n{build.stderr[-3000:]}")
    (wheel,) = destination.glob("*.whl")
    return wheel


@dataclass(frozen=True)
class Virtualenv:
    root: Path
    home: Path  # HOME of what runs in it: jsii's package cache lives there, nothing of the user's

    @property
    def python(self) -> Path:
        return self.root / "bin" / "python"

    @property
    def site_packages(self) -> Path:
        (directory,) = (self.root / "lib").glob("python*/site-packages")
        return directory

    def run(self, command: list[str], cwd: Path, **environment: str) -> subprocess.CompletedProcess:
        """`command` with this virtualenv first on PATH and nothing else of the caller's environment."""
        return subprocess.run(command, cwd=cwd, capture_output=True, text=True,
                              env={"PATH": f"{self.root / 'bin'}:/usr/bin:/bin", "HOME": str(self.home),
                                   **environment})

    def installed(self) -> dict[str, str]:
        """{distribution: version} of what the virtualenv holds."""
        listing = self.run([str(self.python), "-m", "pip", "list", "--format=json", "--disable-pip-version-check"],
                           self.root)
        return {entry["name"].lower(): entry["version"] for entry in json.loads(listing.stdout)}


def fresh_virtualenv(root: Path, requirements: list[str]) -> Virtualenv:
    """A new virtualenv at `root` (with pip, as `python -m venv` makes it) where `pip install
    <requirements>` resolved everything from PyPI."""
    venv.EnvBuilder(with_pip=True).create(root / "venv")
    environment = Virtualenv(root / "venv", root / "home")
    environment.home.mkdir()
    install = environment.run(
        [str(environment.python), "-m", "pip", "install", "--isolated", "--disable-pip-version-check", "--no-input",
         "--index-url", PYPI, "--cache-dir", str(cache_dir() / "pip"), *requirements], root)
    if install.returncode != 0:
        raise InstallFailed(f"pip install {' '.join(requirements)} from {PYPI} failed:\n"
                            f"{install.stdout[-2000:]}\n{install.stderr[-3000:]}")
    return environment


def tree_size(directory: Path) -> int:
    """The bytes of every file under `directory` (what it holds, not the blocks the disk gives it)."""
    return sum(path.stat().st_size for path in directory.rglob("*") if path.is_file() and not path.is_symlink())
