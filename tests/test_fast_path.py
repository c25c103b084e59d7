"""`synth` with unchanged inputs returns at once, without jsii; any input change invalidates it."""

from __future__ import annotations

import time

import pytest

from metaflow_cdktf import fingerprint
from project import copy_project, files_under, run_main
from modules import SPECS


@pytest.fixture
def project(tmp_path):
    return copy_project(tmp_path / "project")


@pytest.fixture
def jsii_forbidden(tmp_path, monkeypatch):
    """Make any import of jsii (hence cdktf and the bindings) fail loudly."""
    trap = tmp_path / "trap" / "jsii"
    trap.mkdir(parents=True)
    (trap / "__init__.py").write_text("raise ImportError('jsii was imported on the fast path')\n")
    monkeypatch.setenv("PYTHONPATH", str(trap.parent))


def test_nothing_stale_in_the_committed_project(project):
    assert fingerprint.stale_modules(SPECS, root=project) == []


def test_unchanged_inputs_skip_synthesis_quickly_and_without_jsii(project, jsii_forbidden):
    before = files_under(project)
    started = time.monotonic()
    run = run_main(project, "synth")
    elapsed = time.monotonic() - started

    assert run.returncode == 0, run.stderr
    assert "modules up to date" in run.stdout
    assert elapsed < 1.0
    assert files_under(project) == before


def _inputs():
    root = fingerprint.REPO_ROOT
    return [str(path.relative_to(root)) for relative in fingerprint.INPUTS
            for path in fingerprint.input_files(root, relative)]


@pytest.mark.parametrize("relative", _inputs())
def test_any_input_change_makes_every_module_stale(project, relative):
    path = project / relative
    path.write_bytes(path.read_bytes() + b"\n")
    assert fingerprint.stale_modules(SPECS, root=project) == [spec.name for spec in SPECS]


def test_a_new_file_among_the_inputs_makes_every_module_stale(project):
    (project / "modules" / "extra.py").write_text("# a new module file\n")
    assert fingerprint.stale_modules(SPECS, root=project) == [spec.name for spec in SPECS]


def test_a_template_change_reaches_the_readmes_on_the_fast_path(project, jsii_forbidden):
    template = project / "docs" / "tf_docs.md.j2"
    template.write_text(template.read_text().replace("## Inputs", "## Input variables"))

    run = run_main(project, "synth")

    assert run.returncode == 0, run.stderr
    assert "## Input variables" in (project / "terraform" / "datastore" / "README.md").read_text()
