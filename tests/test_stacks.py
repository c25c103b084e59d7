"""The deployable stacks (stacks/): `metaflow-minimal` composed through the module constructs."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess

import pytest
from cdktf import App

from project import EXAMPLES, REPO_ROOT
from stacks.full import FULL_STACK, build_full_stack
from stacks.minimal import MINIMAL_STACK, build_minimal_stack
from stacks.provider import MissingContext
from stacks.services import EMULATED_SERVICES

CERTIFICATE = "arn:aws:acm:us-west-2:123456789012:certificate/abc"


def _synth(outdir, context, build=build_minimal_stack, stack_id=MINIMAL_STACK):
    app = App(outdir=str(outdir), context=context)
    build(app)
    app.synth()
    return outdir / "stacks" / stack_id


@pytest.fixture(scope="module")
def minimal_stack(tmp_path_factory):
    return _synth(tmp_path_factory.mktemp("app"), {"uiCertificateArn": CERTIFICATE})


@pytest.fixture(scope="module")
def full_stack(tmp_path_factory):
    return _synth(tmp_path_factory.mktemp("full"), {"uiCertificateArn": CERTIFICATE}, build_full_stack, FULL_STACK)


def test_minimal_stack_calls_the_root_module_with_the_vpc_it_creates(minimal_stack):
    document = json.loads((minimal_stack / "cdk.tf.json").read_text())
    metaflow = document["module"]["metaflow"]
    assert metaflow["source"].startswith("./assets/metaflow-cdktf-modules/")
    assert (minimal_stack / metaflow["source"] / "main.tf.json").is_file()
    assert metaflow["vpc_id"] == "${aws_vpc.vpc.id}"
    assert metaflow["subnet1_id"] == "${aws_subnet.public_1.id}"
    assert metaflow["ui_certificate_arn"] == CERTIFICATE
    assert metaflow["enable_step_functions"] is False
    config = document["resource"]["local_file"]["metaflow_config"]
    assert config["content"] == "${module.metaflow.metaflow_profile_json}"
    assert "endpoints" not in document["provider"]["aws"][0]


@pytest.mark.parametrize("stack", ["minimal_stack", "full_stack"])
def test_a_stack_moved_alone_to_an_empty_directory_validates(request, stack, terraform, tmp_path):
    """What a CI job that runs `terraform plan/apply` on the synthesized stack as an artifact sees."""
    synthesized = request.getfixturevalue(stack)
    moved = tmp_path / "artifact" / synthesized.name
    shutil.copytree(synthesized, moved)
    result = terraform.validate(moved)
    assert result["valid"], terraform.format_diagnostics(result)
    assert result["warning_count"] == 0, terraform.format_diagnostics(result)


def test_full_stack_is_the_twin_of_examples_full(full_stack):
    document = json.loads((full_stack / "cdk.tf.json").read_text())
    assert set(document["module"]) == {"metaflow", "sagemaker_notebook", "user_role", "job_queues"}
    assert document["module"]["metaflow"]["enable_step_functions"] is True
    notebook, role = document["module"]["sagemaker_notebook"], document["module"]["user_role"]
    assert notebook["METAFLOW_SERVICE_INTERNAL_URL"] == "${module.metaflow.METAFLOW_SERVICE_INTERNAL_URL}"
    assert role["sagemaker_notebook_arn"] == "${module.sagemaker_notebook.notebook_instance_arn}"
    profile = document["resource"]["local_sensitive_file"]["metaflow_profile"]
    assert profile["file_permission"] == "0600"
    assert "data.aws_api_gateway_api_key.metadata_service.value" in profile["content"]
    example_outputs = set(re.findall(r'^output "(\w+)"', (EXAMPLES / "full" / "outputs.tf").read_text(), re.M))
    assert set(document["output"]) <= example_outputs
    assert {"ServiceUrl", "ApiKeyId", "MetaflowUserRoleArn", "SageMakerNoteBookURL"} <= set(document["output"])


def test_full_stack_adds_a_gpu_and_a_spot_queue_as_examples_full_does(full_stack):
    document = json.loads((full_stack / "cdk.tf.json").read_text())
    queues = document["module"]["job_queues"]
    kinds = {key: (queue["type"], queue.get("gpu", False), queue["min_vcpus"])
             for key, queue in queues["queues"].items()}
    assert kinds == {"gpu": ("EC2", True, 0), "spot": ("SPOT", False, 0)}
    assert queues["batch_compute_environment_security_group_id"] == (
        "${module.metaflow.batch_compute_environment_security_group_id}")
    assert queues["submitters"] == {
        "batch_tasks": "${module.metaflow.METAFLOW_ECS_S3_ACCESS_IAM_ROLE}",
        "step_functions": "${module.metaflow.METAFLOW_SFN_IAM_ROLE}",
        "user_role": "${module.user_role.user_role_arn}",
        "notebook": "${module.sagemaker_notebook.execution_role_arn}",
    }
    assert document["output"]["GpuJobQueueArn"]["value"] == "${module.job_queues.job_queue_arns.gpu}"
    # the example's module call has the same queues
    example = (EXAMPLES / "full" / "main.tf").read_text()
    for key, queue in queues["queues"].items():
        assert re.search(rf'^\s*{key}\s*=\s*{{ type = "{queue["type"]}",', example, re.M), key
        sizes = (f'instance_types = {json.dumps(queue["instance_types"])}, min_vcpus = 0, '
                 f'max_vcpus = {queue["max_vcpus"]} }}')
        assert sizes in example, key


def test_an_emulator_endpoint_reaches_every_service_with_fake_credentials(tmp_path):
    stack = _synth(tmp_path, {"uiCertificateArn": CERTIFICATE, "awsEndpoint": "http://127.0.0.1:5000",
                              "awsRegion": "us-east-1"})
    provider = json.loads((stack / "cdk.tf.json").read_text())["provider"]["aws"][0]
    assert provider["region"] == "us-east-1"
    assert provider["endpoints"] == [{service: "http://127.0.0.1:5000" for service in EMULATED_SERVICES}]
    assert provider["skip_credentials_validation"] is True
    assert provider["access_key"] == "emulator"


def test_missing_certificate_context_is_a_clear_error(tmp_path):
    with pytest.raises(MissingContext, match="uiCertificateArn"):
        _synth(tmp_path, {})


def test_the_cdktf_cli_run_through_the_projects_script_is_quiet_offline(tmp_path):
    """cdktf checks npm for a newer release at every interactive run; with no network that check
    hangs, then logs an error. package.json's `cdktf` script turns it off."""
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(REPO_ROOT / "package.json", project)
    (project / "cdktf.json").write_text(json.dumps({"language": "python", "app": "true"}))
    (project / "node_modules").symlink_to(REPO_ROOT / "node_modules")
    env = {**os.environ, "npm_config_registry": "http://127.0.0.1:9"}  # nothing listens there
    env.pop("TF_CLI_CONFIG_FILE", None)
    # `script` gives the CLI a terminal, where it checks; `get` with no providers does nothing else
    run = subprocess.run(["script", "-qec", "npm run --silent cdktf -- get", "/dev/null"], cwd=project, env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "version check" not in run.stdout + run.stderr
    assert "No providers or modules found" in run.stdout
