"""`main.py docs [--check]` on a copy of the project."""

from __future__ import annotations

import pytest

from interface import ADDED_BY_HARDENING, readme_row
from metaflow_cdktf.construct_codegen import TARGET as GENERATED_CONSTRUCTS
from metaflow_cdktf.modules import SPECS
from metaflow_cdktf.paths import readme_file
from project import REPO_ROOT, UPSTREAM, copy_project, files_under, module_file, run_main


def test_committed_metadata_service_readme_is_upstreams_plus_the_rows_of_the_added_resources():
    """Byte for byte upstream's README once the Resources rows of ADDED_BY_HARDENING are taken out: so it
    alone has no usage block (its aws 6 copy has one; tests/test_docs_usage.py)."""
    committed = readme_file("metadata-service").read_text(encoding="utf-8")
    added_rows = [readme_row(address) for address in ADDED_BY_HARDENING["metadata-service"]]
    for row in added_rows:
        assert committed.count(row) == 1, f"no single row for an added resource: {row}"
    lines = committed.splitlines(keepends=True)
    without_added = "".join(line for line in lines if line not in added_rows)
    assert without_added.encode("utf-8") == (UPSTREAM / "metadata-service-README.md").read_bytes()


@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: spec.name)
def test_every_module_has_a_readme_with_a_generated_section(spec):
    readme = readme_file(spec.name).read_text()
    assert readme.count("<!-- BEGIN_TF_DOCS -->\n## Requirements\n") == 1
    assert readme.count("<!-- END_TF_DOCS -->") == 1


@pytest.fixture
def project(tmp_path):
    return copy_project(tmp_path / "project")


def test_check_passes_on_the_committed_project_and_changes_nothing(project):
    before = files_under(project)
    run = run_main(project, "docs", "--check")
    assert (run.returncode, run.stderr) == (0, "")
    assert files_under(project) == before


def test_check_fails_naming_an_edited_readme_and_docs_repairs_it(project):
    readme = project / "terraform" / "modules" / "computation" / "README.md"
    original = readme.read_text()
    readme.write_text(original.replace("| `\"ec2\"` |", "| `\"fargate\"` |"))
    edited = readme.read_text()
    assert edited != original

    check = run_main(project, "docs", "--check")
    assert check.returncode == 1
    assert "stale: terraform/modules/computation/README.md" in check.stderr
    assert readme.read_text() == edited

    repair = run_main(project, "docs")
    assert repair.returncode == 0, repair.stderr
    assert readme.read_text() == original


def test_check_fails_naming_the_modules_when_a_module_definition_changes(project):
    source = project / "metaflow_cdktf" / "modules" / "step_functions" / "spec.py"
    source.write_text(source.read_text().replace('"Batch job queue arn"', '"The Batch job queue ARN"'))

    check = run_main(project, "docs", "--check")

    assert check.returncode == 1
    for spec in SPECS:
        assert f"stale: {module_file(spec.name).relative_to(REPO_ROOT)}" in check.stderr


def test_check_fails_on_a_hand_edited_module_file(project):
    module = project / "terraform" / "modules" / "common" / "main.tf.json"
    module.write_text(module.read_text().replace("v2.3.0", "v2.4.0"))

    check = run_main(project, "docs", "--check")

    assert check.returncode == 1
    assert "stale: terraform/modules/common/main.tf.json" in check.stderr
    assert "stale: terraform/modules/datastore/main.tf.json" not in check.stderr


def test_broken_markers_are_an_error_naming_the_file_which_stays_untouched(project):
    readme = project / "terraform" / "modules" / "datastore" / "README.md"
    broken = readme.read_text().replace("<!-- END_TF_DOCS -->", "")
    readme.write_text(broken)
    before = files_under(project)

    run = run_main(project, "docs")

    assert run.returncode == 1
    assert "terraform/modules/datastore/README.md" in run.stderr
    assert files_under(project) == before


def test_check_fails_naming_stale_generated_constructs_and_synth_repairs_them(project):
    generated = project / GENERATED_CONSTRUCTS.relative_to(GENERATED_CONSTRUCTS.parents[1])
    original = generated.read_text()
    generated.write_text(original.replace("metadata_service_cpu: float | None", "metadata_service_cpu: str | None"))

    check = run_main(project, "docs", "--check")
    assert check.returncode == 1
    assert "stale: metaflow_cdktf/module_constructs.py" in check.stderr

    repair = run_main(project, "synth")
    assert repair.returncode == 0, repair.stderr
    assert generated.read_text() == original
