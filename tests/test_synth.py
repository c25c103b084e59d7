"""Synthesis: committed modules are current, output is deterministic and clean."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from cdktf import App

from metaflow_cdktf.interface import ModuleSpec, Output
from metaflow_cdktf.lines import LINES
from metaflow_cdktf.modules import DATASTORE, SPECS
from metaflow_cdktf.paths import LAMBDA_SRC
from metaflow_cdktf.synthesis.building import call_module
from metaflow_cdktf.synthesis.synthesizer import BuildMismatch, module_stack, synthesize
from project import REPO_ROOT, copy_project, files_under, module_file, run_main


def test_committed_modules_equal_a_fresh_synth(synthesized):
    assert set(synthesized) == {module_file(spec.name, line.root) for line in LINES for spec in SPECS}
    for committed, text in synthesized.items():
        assert committed.exists(), f"{committed} is missing: run `python main.py synth`"
        assert committed.read_text() == text, f"{committed} is stale: run `python main.py synth`"


def test_the_tree_is_laid_out_like_upstreams_repository():
    terraform = REPO_ROOT / "terraform"
    assert module_file("metaflow") == terraform / "main.tf.json"
    assert {p.name for p in (terraform / "modules").iterdir()} == {s.name for s in SPECS if s.name != "metaflow"}
    calls = json.loads(module_file("metaflow").read_text())["module"]
    # the modules upstream's root module calls, by upstream's names: not every module of SPECS
    assert {name: call["source"] for name, call in calls.items()} == {
        "metaflow-common": "./modules/common",
        "metaflow-computation": "./modules/computation",
        "metaflow-datastore": "./modules/datastore",
        "metaflow-metadata-service": "./modules/metadata-service",
        "metaflow-step-functions": "./modules/step-functions",
        "metaflow-ui": "./modules/ui",
    }
    for name in ("metadata-service", "ui"):
        common = json.loads(module_file(name).read_text())["module"]["metaflow-common"]
        assert common == {"source": "../common"}


def test_a_second_synthesis_is_byte_identical(synthesized):
    assert synthesize(SPECS) == synthesized


@pytest.mark.parametrize("line", LINES, ids=lambda line: line.name)
@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: spec.name)
def test_module_has_no_cdktf_metadata_provider_or_backend(synthesized, spec, line):
    text = synthesized[module_file(spec.name, line.root)]
    module = json.loads(text)
    assert '"//"' not in text
    assert "provider" not in module
    assert "backend" not in module.get("terraform", {})
    assert text == json.dumps(module, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def test_db_migrate_archive_embeds_the_handler_source(synthesized):
    archive = json.loads(synthesized[module_file("metadata-service")])["data"]["archive_file"]["db_migrate_lambda"]
    handler = (LAMBDA_SRC / "db_migrate" / "index.py").read_text()
    assert archive["source"] == [{"content": handler.replace("${", "$${").replace("%{", "%%{"),
                                  "filename": "index.py"}]
    assert archive["type"] == "zip"


def test_task_definition_image_falls_back_to_commons_default(synthesized):
    module = json.loads(synthesized[module_file("metadata-service")])
    definitions = module["resource"]["aws_ecs_task_definition"]["this"]["container_definitions"]
    assert '"image": "${local.metadata_service_container_image}"' in definitions
    assert "module.metaflow-common.default_metadata_service_container_image" in \
        module["locals"]["metadata_service_container_image"]


# --- the root module's calls are checked against the callee's spec --------------------------------

DATASTORE_CALL = {
    "metadata_service_security_group_id": "sg", "metaflow_vpc_id": "vpc", "resource_prefix": "p-",
    "resource_suffix": "-s", "standard_tags": {}, "subnet1_id": "a", "subnet2_id": "b",
}


def calling_datastore_with(arguments: dict) -> ModuleSpec:
    spec = ModuleSpec(name="caller", title="Caller", description="", variables=(), outputs=(),
                      required_providers={}, required_version=None)

    @spec.builds
    def build(scope):
        call_module(scope, "metaflow-datastore", DATASTORE, arguments)
        return {}

    return spec


@pytest.mark.parametrize(("arguments", "message"), [
    ({**DATASTORE_CALL, "subnet3_id": "c"}, r"unknown argument\(s\) subnet3_id"),
    ({**DATASTORE_CALL, "db_instnace_type": "db.t3.small"}, r"unknown argument\(s\) db_instnace_type"),
    ({k: v for k, v in DATASTORE_CALL.items() if k != "metaflow_vpc_id"},
     r"missing required argument\(s\) metaflow_vpc_id"),
])
def test_a_module_call_with_a_misspelt_or_missing_argument_fails_synthesis_naming_it(synthesized, arguments, message):
    with pytest.raises(ValueError, match=rf"module caller, module.metaflow-datastore: .*{message}"):
        module_stack(App(), calling_datastore_with(arguments))


def test_a_correct_module_call_passes_the_check(synthesized):
    module_stack(App(), calling_datastore_with(DATASTORE_CALL))


def test_a_build_that_returns_other_outputs_than_its_spec_declares_fails(synthesized):
    spec = ModuleSpec(name="liar", title="Liar", description="", variables=(), outputs=(Output("declared"),),
                      required_providers={}, required_version=None)
    spec.builds(lambda scope: {"returned": "x"})
    with pytest.raises(BuildMismatch, match=r"module liar: build returned outputs \['returned'\]"):
        module_stack(App(), spec)


# --- the CLI ----------------------------------------------------------------------------------------


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


@pytest.mark.parametrize("command", [[], ["synth"], ["docs"], ["watch"], ["bench"]])
def test_every_command_has_help(command):
    run = subprocess.run([sys.executable, "main.py", *command, "--help"], cwd=REPO_ROOT,
                         capture_output=True, text=True)
    assert run.returncode == 0
    assert run.stdout.startswith("usage: main.py")


def test_python_dash_m_runs_the_same_command_line():
    run = subprocess.run([sys.executable, "-m", "metaflow_cdktf", "docs", "--help"], cwd=REPO_ROOT,
                         capture_output=True, text=True)
    assert run.returncode == 0
    assert run.stdout.startswith("usage: python -m metaflow_cdktf docs")
