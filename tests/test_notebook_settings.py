"""The Metaflow settings the notebook's lifecycle configuration writes, as Terraform renders them
(`terraform console` on the synthesized module; no AWS call). On Fargate they name the execution
role, without which Metaflow registers no job definition; on EC2 they hold no such setting, which
Metaflow would hand to Batch as an empty role."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from client_calls import PLACEHOLDERS

from project import module_file

NOTEBOOK = "sagemaker-notebook"
CONFIG_HEREDOC = "<<'METAFLOW_CONFIG'\n${", "}\nMETAFLOW_CONFIG\n"
VARIABLES = {
    "resource_prefix": "metaflow-", "resource_suffix": "-test", "standard_tags": "{}",
    "metaflow_vpc_id": "vpc-123", "subnet_id": "subnet-1",
    "s3_bucket_arn": f"arn:aws:s3:::{PLACEHOLDERS['bucket']}",
    "datastore_s3_bucket_kms_key_arn": PLACEHOLDERS["kms_key_arn"],
    "METAFLOW_DATASTORE_SYSROOT_S3": f"s3://{PLACEHOLDERS['bucket']}/metaflow",
    "METAFLOW_DATATOOLS_S3ROOT": f"s3://{PLACEHOLDERS['bucket']}/data",
    "METAFLOW_SERVICE_INTERNAL_URL": "http://metaflow-nlb-test.elb.us-west-2.amazonaws.com/",
    "METAFLOW_BATCH_JOB_QUEUE": PLACEHOLDERS["queue_arn"],
    "METAFLOW_ECS_S3_ACCESS_IAM_ROLE": PLACEHOLDERS["task_role_arn"],
}


@pytest.fixture(scope="module")
def notebook_module(tmp_path_factory, terraform, aws_env):
    workdir = tmp_path_factory.mktemp("notebook")
    shutil.copy(module_file(NOTEBOOK), workdir)
    terraform.init(workdir, "-backend=false")
    return workdir


def written_settings(terraform, workdir, **variables: str) -> dict:
    """The JSON the on-start script writes to ~/.metaflowconfig/config.json, given `variables`."""
    script = json.loads(module_file(NOTEBOOK).read_text())["locals"]["on_start"]
    opening, closing = CONFIG_HEREDOC
    expression = script.split(opening, 1)[1].split(closing, 1)[0]
    arguments = [f"-var={name}={value}" for name, value in {**VARIABLES, **variables}.items()]
    console = subprocess.run([terraform.binary, "console", "-no-color", *arguments], input=expression, cwd=workdir,
                             env=terraform.env(), capture_output=True, text=True, timeout=120, check=False)
    assert console.returncode == 0, console.stderr
    return json.loads(json.loads(console.stdout))


def test_on_fargate_the_settings_name_the_execution_role(terraform, notebook_module):
    role = PLACEHOLDERS["fargate_execution_role_arn"]
    settings = written_settings(terraform, notebook_module, METAFLOW_ECS_FARGATE_EXECUTION_ROLE=role)
    assert settings["METAFLOW_ECS_FARGATE_EXECUTION_ROLE"] == role
    assert settings["METAFLOW_BATCH_JOB_QUEUE"] == PLACEHOLDERS["queue_arn"]


def test_on_ec2_the_settings_hold_no_execution_role(terraform, notebook_module):
    settings = written_settings(terraform, notebook_module)
    assert "METAFLOW_ECS_FARGATE_EXECUTION_ROLE" not in settings
    assert settings["METAFLOW_ECS_S3_ACCESS_IAM_ROLE"] == PLACEHOLDERS["task_role_arn"]
