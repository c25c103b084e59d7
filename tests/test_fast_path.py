"""`synth` with unchanged inputs leaves the modules alone without loading jsii; a change to anything
synthesis reads makes every module stale, and a change to anything else makes none stale."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from metaflow_cdktf import bench, fingerprint
from metaflow_cdktf.lines import LINES
from metaflow_cdktf.modules import SPECS
from metaflow_cdktf.paths import PACKAGE_DIR
from project import REPO_ROOT, copy_project, files_under, run_main


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


def stale_module_files(project) -> list[str]:
    check = run_main(project, "docs", "--check")
    return re.findall(r"^stale: (\S+/main\.tf\.json)$", check.stderr, flags=re.M)


def test_nothing_stale_in_the_committed_project():
    assert fingerprint.stale_modules(SPECS) == []


def test_unchanged_inputs_skip_synthesis_without_jsii(project, jsii_forbidden):
    before = files_under(project)
    run = run_main(project, "synth")

    assert run.returncode == 0, run.stderr
    assert "modules up to date" in run.stdout
    assert files_under(project) == before


def _inputs() -> list[str]:
    return [str(path.relative_to(REPO_ROOT)) for source in fingerprint.SOURCE_INPUTS
            for path in fingerprint.input_files(source)]


@pytest.mark.parametrize("relative", _inputs())
def test_a_change_to_anything_synthesis_reads_makes_every_module_stale(project, jsii_forbidden, relative):
    path = project / relative
    path.write_bytes(path.read_bytes() + b"\n")
    assert len(stale_module_files(project)) == len(SPECS) * len(LINES)


def test_a_new_file_among_the_inputs_makes_every_module_stale(project, jsii_forbidden):
    (project / "metaflow_cdktf" / "modules" / "extra.py").write_text("# a new shared definition\n")
    assert len(stale_module_files(project)) == len(SPECS) * len(LINES)


@pytest.mark.parametrize("relative", [
    "metaflow_cdktf/bench.py", "metaflow_cdktf/cli.py", "metaflow_cdktf/docs/inject.py", "main.py",
    "stacks/minimal.py",
])
def test_a_change_to_what_synthesis_does_not_read_leaves_every_module_current(project, jsii_forbidden, relative):
    path = project / relative
    path.write_bytes(path.read_bytes() + b"# edited\n")
    assert stale_module_files(project) == []


@pytest.fixture(scope="module")
def synthesis_imports() -> dict[str, list[str]]:
    """What one real synthesis process imports (bench's probe)."""
    return bench.synthesis_imports(REPO_ROOT)


def test_readme_states_how_many_binding_submodules_the_floor_imports(synthesis_imports):
    count = len(synthesis_imports["binding_submodules"])
    readme = (REPO_ROOT / "README.md").read_text()
    assert f"exactly the {count} provider binding submodules" in readme
    assert f"(a) floor: import the {count} binding submodules" in readme


def test_the_inputs_cover_every_project_file_a_real_synthesis_loads(synthesis_imports):
    ours = set(map(Path, synthesis_imports["project_files"]))
    covered = {path for source in fingerprint.SOURCE_INPUTS for path in fingerprint.input_files(source)}
    # the package's __init__ only silences a warning and names the public constructs
    uncovered = sorted(str(p.relative_to(REPO_ROOT)) for p in ours - covered - {PACKAGE_DIR / "__init__.py"})
    assert PACKAGE_DIR / "synthesis" / "synthesizer.py" in ours
    assert not uncovered, f"synthesis loads files the fingerprint does not hash: {uncovered}"


def test_a_template_change_reaches_the_readmes_on_the_fast_path(project, jsii_forbidden):
    template = project / "metaflow_cdktf" / "docs" / "templates" / "tf_docs.md.j2"
    template.write_text(template.read_text().replace("## Inputs", "## Input variables"))

    run = run_main(project, "synth")

    assert run.returncode == 0, run.stderr
    assert "## Input variables" in (project / "terraform" / "modules" / "datastore" / "README.md").read_text()


def test_an_editors_swap_and_backup_files_are_not_inputs(project, jsii_forbidden):
    spec = project / "metaflow_cdktf" / "modules" / "datastore"
    for name in (".spec.py.swp", "#spec.py#", "spec.py~"):
        (spec / name).write_text("an editor's scratch copy\n")
    assert stale_module_files(project) == []
