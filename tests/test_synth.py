"""Synthesis: committed modules are current, output is deterministic and clean."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from project import REPO_ROOT, TERRAFORM_ROOT, copy_project, files_under, run_main
from metaflow_cdktf.synth import synthesize
from modules import SPECS


def test_committed_modules_equal_a_fresh_synth(synthesized):
    for name, text in synthesized.items():
        committed = TERRAFORM_ROOT / name / "main.tf.json"
        assert committed.exists(), f"{committed} is missing: run `python main.py synth`"
        assert committed.read_text() == text, f"{committed} is stale: run `python main.py synth`"


def test_a_second_synthesis_is_byte_identical(synthesized):
    assert synthesize(SPECS) == synthesized


@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: spec.name)
def test_module_has_no_cdktf_metadata_provider_or_backend(synthesized, spec):
    text = synthesized[spec.name]
    module = json.loads(text)
    assert '"//"' not in text
    assert "provider" not in module
    assert "backend" not in module.get("terraform", {})
    assert text == json.dumps(module, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def test_db_migrate_archive_embeds_the_handler_source(synthesized):
    archive = json.loads(synthesized["metadata-service"])["data"]["archive_file"]["db_migrate_lambda"]
    handler = (REPO_ROOT / "lambda_src" / "db_migrate" / "index.py").read_text()
    assert archive["source"] == [{"content": handler.replace("${", "$${").replace("%{", "%%{"),
                                  "filename": "index.py"}]
    assert archive["type"] == "zip"


def test_task_definition_image_falls_back_to_commons_default(synthesized):
    module = json.loads(synthesized["metadata-service"])
    definitions = module["resource"]["aws_ecs_task_definition"]["this"]["container_definitions"]
    assert '"image": "${local.metadata_service_container_image}"' in definitions
    assert "module.metaflow-common.default_metadata_service_container_image" in \
        module["locals"]["metadata_service_container_image"]


def test_main_py_synth_in_a_fresh_copy_rewrites_nothing_and_is_repeatable(tmp_path):
    project = copy_project(tmp_path / "project")
    before = files_under(project / "terraform")
    (project / "terraform" / ".fingerprints.json").unlink()  # forces a real synthesis

    first = run_main(project)
    assert first.returncode == 0, first.stderr
    assert "synthesized metadata-service" in first.stdout
    assert files_under(project / "terraform") == before

    forced = run_main(project, "synth", "--force", "--quiet")
    assert forced.returncode == 0, forced.stderr
    assert forced.stdout == ""
    assert files_under(project / "terraform") == before


def test_unknown_command_prints_usage_and_exits_2():
    run = subprocess.run([sys.executable, "main.py", "frobnicate"], cwd=REPO_ROOT, capture_output=True, text=True)
    assert run.returncode == 2
    assert run.stderr.startswith("usage: main.py")
    assert "invalid choice: 'frobnicate'" in run.stderr


@pytest.mark.parametrize("command", [[], ["synth"], ["docs"]])
def test_every_command_has_help(command):
    run = subprocess.run([sys.executable, "main.py", *command, "--help"], cwd=REPO_ROOT,
                         capture_output=True, text=True)
    assert run.returncode == 0
    assert run.stdout.startswith("usage: main.py")
