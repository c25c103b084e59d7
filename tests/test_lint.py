"""The house rules CI holds the code to: ruff (pyproject.toml's [tool.ruff]) over the whole
checkout, and mypy over the package and the deployable stacks, both reporting nothing.

The same two commands run in .pre-commit-config.yaml; `tests/test_typing.py` checks the
constructs as users' scripts see them."""

from __future__ import annotations

import subprocess
import sys

from harness.provider_schema import cache_dir
from project import REPO_ROOT

RUFF = [sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise", "."]
MYPY = [sys.executable, "-m", "mypy", "--no-error-summary", "metaflow_cdktf", "stacks"]


def run(command: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, check=False)


def test_ruff_reports_nothing():
    result = run(RUFF)
    assert (result.returncode, result.stderr) == (0, ""), result.stdout + result.stderr


def test_ruff_reports_a_violation_with_its_file_and_line(tmp_path):
    """The rule set is live: an unused import and a line past 120 columns are both reported."""
    (tmp_path / "pyproject.toml").write_text((REPO_ROOT / "pyproject.toml").read_text())
    (tmp_path / "bad.py").write_text("import os\n\nLONG = '" + "x" * 120 + "'\n")
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise",
                             "bad.py"], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "bad.py:1:8: F401" in result.stdout and "bad.py:3:121: E501" in result.stdout


def test_mypy_reports_nothing_in_the_package_and_the_stacks():
    # a cache of its own, kept between runs as the other test caches are
    result = run([*MYPY, "--cache-dir", str(cache_dir() / "mypy-house")])
    assert result.returncode == 0, result.stdout + result.stderr
