"""Real `terraform validate` of every synthesized module and of roots that consume them."""

from __future__ import annotations

import shutil

import pytest

from project import REPO_ROOT, TERRAFORM_ROOT
from modules import SPECS

CONSUMERS = REPO_ROOT / "tests" / "data" / "consumers"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    """A copy of terraform/ and the consumers, laid out as in the repo, so no .terraform lands there."""
    root = tmp_path_factory.mktemp("validate")
    shutil.copytree(TERRAFORM_ROOT, root / "terraform")
    shutil.copytree(CONSUMERS, root / "consumers")
    return root


@pytest.mark.parametrize("name", [spec.name for spec in SPECS])
def test_module_validates_without_errors_or_warnings(workspace, terraform, name):
    result = terraform.validate(workspace / "terraform" / name)
    assert result["valid"], terraform.format_diagnostics(result)
    assert result["warning_count"] == 0, terraform.format_diagnostics(result)


@pytest.mark.parametrize("consumer", sorted(p.name for p in CONSUMERS.iterdir()))
def test_plain_terraform_root_consuming_the_modules_validates(workspace, terraform, consumer):
    result = terraform.validate(workspace / "consumers" / consumer)
    assert result["valid"], terraform.format_diagnostics(result)
    assert result["warning_count"] == 0, terraform.format_diagnostics(result)
