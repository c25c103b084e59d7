"""examples/full, everything the CloudFormation template deploys, applied against moto, then used
by the real Metaflow client: the profile it writes is imported with `metaflow configure import`
and a flow runs on the S3 datastore, its artifacts landing under the profile's sysroot.

The metadata service itself cannot run in the emulator (no container runs there), so the flow
records its metadata locally (`--metadata=local`); everything else comes from the profile.

Run with `pytest -m apply` (or `pytest tests/test_full_example.py`); about 5 minutes.
"""

from __future__ import annotations

import base64
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from botocore.exceptions import ClientError

from harness.deploy import Deployment, apply_example, destroy, example_workspace, unexpected_changes
from harness.iam import allows
from harness.moto_server import (
    ACCOUNT_ID,
    DESTROY_KEEPS,
    FAKE_ACCESS_KEY,
    FAKE_SECRET_KEY,
    added,
    inventory,
    moto_version,
)
from project import DATA, EXAMPLES, TERRAFORM_LEFTOVERS, TERRAFORM_ROOT

pytestmark = pytest.mark.apply

FLOW = DATA / "flows" / "hello_flow.py"
METAFLOW = Path(sys.executable).parent / "metaflow"
# The CloudFormation template's outputs, each named for what it is.
TEMPLATE_OUTPUTS = (
    "MetaflowDataStoreS3Url", "MetaflowDataToolsS3Url", "BatchJobQueueArn", "ECSJobRoleForBatchJobs", "ServiceUrl",
    "InternalServiceUrl", "ApiKeyId", "MetaflowUserRoleArn", "SageMakerNoteBookURL", "EventBridgeRoleArn",
    "StepFunctionsRoleArn", "DDBTableName", "MigrationFunctionName", "VPCId", "Subnet1Id", "Subnet2Id",
    "LoadBalancerUIDNSName",
)
# The job-queues module's two queues beside the default one: {output: (key, type, image type,
# allocation strategy)}.
EXTRA_QUEUES = {
    "GpuJobQueueArn": ("gpu", "EC2", "ECS_AL2023_NVIDIA", "BEST_FIT_PROGRESSIVE"),
    "SpotJobQueueArn": ("spot", "SPOT", "ECS_AL2023", "SPOT_CAPACITY_OPTIMIZED"),
}
BATCH_SERVICE_LINKED_ROLE = (f"arn:aws:iam::{ACCOUNT_ID}:role/aws-service-role/batch.amazonaws.com/"
                             "AWSServiceRoleForBatch")


@pytest.fixture(scope="module")
def deployment(tmp_path_factory, terraform, moto, certificate_arn) -> Deployment:
    workspace = example_workspace(tmp_path_factory.mktemp("full"), TERRAFORM_ROOT, EXAMPLES, TERRAFORM_LEFTOVERS)
    return apply_example(terraform, moto, workspace / "examples" / "full", {"ui_certificate_arn": certificate_arn})


@pytest.fixture(scope="module")
def destroyed(terraform, moto, deployment) -> Deployment:
    # The root module keeps the datastore bucket's force_destroy off (upstream's default), so, as a
    # user would, empty it of the flow's artifacts first.
    bucket = deployment.output("MetaflowDataStoreS3Url").removeprefix("s3://").split("/")[0]
    s3 = moto.client("s3")
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            s3.delete_object(Bucket=bucket, Key=item["Key"])
    return destroy(terraform, moto, deployment)


def suffix_of(deployment: Deployment) -> str:
    return deployment.output("ResourceSuffix")


@pytest.fixture(scope="module")
def profile_path(deployment) -> Path:
    return deployment.root / deployment.output("MetaflowProfilePath")


# --- after apply ---------------------------------------------------------------------------------


def test_outputs_are_named_like_the_templates(deployment):
    assert set(TEMPLATE_OUTPUTS) <= set(deployment.outputs)
    assert deployment.output("MigrationFunctionName") == f"metaflow-db_migrate-{suffix_of(deployment)}"


def test_the_notebook_instance_runs_in_the_vpc_with_its_role_and_lifecycle(moto, deployment):
    sagemaker, name = moto.client("sagemaker"), f"metaflow-notebook-{suffix_of(deployment)}"
    notebook = sagemaker.describe_notebook_instance(NotebookInstanceName=name)
    assert notebook["NotebookInstanceStatus"] == "InService"
    assert notebook["InstanceType"] == "ml.t3.medium"
    assert notebook["SubnetId"] == deployment.output("Subnet1Id")
    assert notebook["RoleArn"].endswith(f":role/metaflow-notebook-{suffix_of(deployment)}")
    assert deployment.output("SageMakerNoteBookURL") == f"https://{name}.notebook.us-west-2.sagemaker.aws/tree"
    (group,) = moto.client("ec2").describe_security_groups(GroupIds=notebook["SecurityGroups"])["SecurityGroups"]
    assert (group["VpcId"], group["IpPermissions"]) == (deployment.output("VPCId"), [])  # outbound only

    lifecycle = sagemaker.describe_notebook_instance_lifecycle_config(
        NotebookInstanceLifecycleConfigName=notebook["NotebookInstanceLifecycleConfigName"])
    script = base64.b64decode(lifecycle["OnStart"][0]["Content"]).decode()
    config = json.loads(script.split("<<'METAFLOW_CONFIG'\n", 1)[1].split("\nMETAFLOW_CONFIG\n", 1)[0])
    assert config == {
        "METAFLOW_DATASTORE_SYSROOT_S3": deployment.output("MetaflowDataStoreS3Url"),
        "METAFLOW_DATATOOLS_S3ROOT": deployment.output("MetaflowDataToolsS3Url"),
        "METAFLOW_SERVICE_URL": deployment.output("InternalServiceUrl"),
        "METAFLOW_DEFAULT_DATASTORE": "s3",
        "METAFLOW_DEFAULT_METADATA": "service",
        "METAFLOW_BATCH_JOB_QUEUE": deployment.output("BatchJobQueueArn"),
        "METAFLOW_ECS_S3_ACCESS_IAM_ROLE": deployment.output("ECSJobRoleForBatchJobs"),
    }


def test_the_notebooks_role_reaches_the_datastore_the_queue_and_its_own_notebook(moto, deployment):
    iam, role = moto.client("iam"), f"metaflow-notebook-{suffix_of(deployment)}"
    policies = {name: iam.get_role_policy(RoleName=role, PolicyName=name)["PolicyDocument"]
                for name in iam.list_role_policies(RoleName=role)["PolicyNames"]}
    # the module's own four, and job-queues' grant (examples/full names the notebook a submitter)
    assert set(policies) == {"datastore", "batch", "logs", "notebook", f"metaflow-job-queues-{suffix_of(deployment)}"}
    resources = {statement.get("Sid"): statement["Resource"]
                 for document in policies.values() for statement in document["Statement"]}
    bucket = deployment.output("MetaflowDataStoreS3Url").removeprefix("s3://").split("/")[0]
    assert resources["ListBucket"] == f"arn:aws:s3:::{bucket}"
    assert set(resources["Submit"]) >= {deployment.output("BatchJobQueueArn")}
    assert resources["PassJobRole"] == deployment.output("ECSJobRoleForBatchJobs")
    assert f"notebook-instance/metaflow-notebook-{suffix_of(deployment)}" in " ".join(resources["OwnNotebook"])
    # job definitions and jobs of this account and region only
    assert (resources["JobDefinitions"], resources["EndJobs"]) == (
        f"arn:aws:batch:us-west-2:{ACCOUNT_ID}:job-definition/*", f"arn:aws:batch:us-west-2:{ACCOUNT_ID}:job/*")


def test_the_user_role_trusts_the_account_and_reaches_only_the_deployment(moto, deployment):
    iam = moto.client("iam")
    role = iam.get_role(RoleName=f"metaflow-user-{suffix_of(deployment)}")["Role"]
    assert role["Arn"] == deployment.output("MetaflowUserRoleArn")
    (trust,) = role["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"AWS": "arn:aws:iam::123456789012:root"}
    (attached,) = iam.list_attached_role_policies(RoleName=role["RoleName"])["AttachedPolicies"]
    policy = iam.get_policy(PolicyArn=attached["PolicyArn"])["Policy"]
    document = iam.get_policy_version(PolicyArn=policy["Arn"], VersionId=policy["DefaultVersionId"])
    statements = {s.get("Sid"): s for s in document["PolicyVersion"]["Document"]["Statement"]}
    assert set(statements["PassRoles"]["Resource"]) == {
        deployment.output(name) for name in ("ECSJobRoleForBatchJobs", "StepFunctionsRoleArn", "EventBridgeRoleArn")}
    notebook = moto.client("sagemaker").describe_notebook_instance(
        NotebookInstanceName=f"metaflow-notebook-{suffix_of(deployment)}")
    assert statements["Notebook"]["Resource"] == notebook["NotebookInstanceArn"]
    assert deployment.output("BatchJobQueueArn") in statements["Submit"]["Resource"]
    assert statements["EndJobs"]["Resource"] == f"arn:aws:batch:us-west-2:{ACCOUNT_ID}:job/*"


def test_the_profile_holds_the_api_keys_value_and_only_its_owner_reads_it(moto, deployment, profile_path):
    assert stat.S_IMODE(profile_path.stat().st_mode) == 0o600
    profile = json.loads(profile_path.read_text())
    key = moto.client("apigateway").get_api_key(apiKey=deployment.output("ApiKeyId"), includeValue=True)
    assert profile["METAFLOW_SERVICE_AUTH_KEY"] == key["value"]
    assert profile["METAFLOW_SERVICE_URL"] == deployment.output("ServiceUrl")
    assert profile["METAFLOW_DATASTORE_SYSROOT_S3"] == deployment.output("MetaflowDataStoreS3Url")
    assert profile["METAFLOW_SFN_DYNAMO_DB_TABLE"] == deployment.output("DDBTableName")


def compute_environment_of(batch, queue_arn: str) -> dict:
    (queue,) = batch.describe_job_queues(jobQueues=[queue_arn])["jobQueues"]
    (order,) = queue["computeEnvironmentOrder"]
    (environment,) = batch.describe_compute_environments(
        computeEnvironments=[order["computeEnvironment"]])["computeEnvironments"]
    return environment


@pytest.mark.parametrize("output", EXTRA_QUEUES)
def test_the_gpu_and_spot_queues_run_on_compute_environments_of_their_own(moto, deployment, output):
    key, type_, image_type, allocation = EXTRA_QUEUES[output]
    batch, suffix = moto.client("batch"), suffix_of(deployment)
    (queue,) = batch.describe_job_queues(jobQueues=[deployment.output(output)])["jobQueues"]
    assert (queue["jobQueueName"], queue["state"]) == (f"metaflow-{key}-{suffix}", "ENABLED")
    environment = compute_environment_of(batch, queue["jobQueueArn"])
    resources = environment["computeResources"]
    assert environment["computeEnvironmentName"].startswith(f"metaflow-{key}-{suffix}")
    assert (resources["type"], resources["allocationStrategy"]) == (type_, allocation)
    assert resources["ec2Configuration"] == [{"imageType": image_type}]
    assert resources["minvCpus"] == 0  # nothing runs, nothing is paid, while the queue is empty
    assert "spotIamFleetRole" not in resources
    # no service role given: Batch's service-linked role, which the emulator created as AWS does
    assert environment["serviceRole"] == BATCH_SERVICE_LINKED_ROLE
    assert resources["instanceRole"].endswith(f":instance-profile/metaflow-job-queues-instance-{suffix}")
    (template,) = moto.client("ec2").describe_launch_templates(
        LaunchTemplateIds=[resources["launchTemplate"]["launchTemplateId"]])["LaunchTemplates"]
    version = moto.client("ec2").describe_launch_template_versions(
        LaunchTemplateId=template["LaunchTemplateId"])["LaunchTemplateVersions"][-1]
    assert version["LaunchTemplateData"]["MetadataOptions"]["HttpTokens"] == "required"
    # the default queue's environment is untouched: on-demand CPU instances
    default = compute_environment_of(batch, deployment.output("BatchJobQueueArn"))
    assert default["computeResources"]["ec2Configuration"] == [{"imageType": "ECS_AL2023"}]


@pytest.mark.parametrize("role_output", ["ECSJobRoleForBatchJobs", "StepFunctionsRoleArn", "MetaflowUserRoleArn",
                                         "notebook"])
def test_the_batch_tasks_step_functions_the_user_role_and_the_notebook_may_submit_to_the_new_queues(
        moto, deployment, role_output):
    suffix = suffix_of(deployment)
    role = (f"metaflow-notebook-{suffix}" if role_output == "notebook"
            else deployment.output(role_output).rsplit("/", 1)[1])
    document = moto.client("iam").get_role_policy(RoleName=role, PolicyName=f"metaflow-job-queues-{suffix}")
    statements = document["PolicyDocument"]["Statement"]
    for output in EXTRA_QUEUES:
        assert allows(statements, "batch:SubmitJob", deployment.output(output))
    assert allows(statements, "batch:SubmitJob", f"arn:aws:batch:us-west-2:{ACCOUNT_ID}:job-definition/metaflow_x:1")
    another = deployment.output("GpuJobQueueArn").replace(f"metaflow-gpu-{suffix}", "production")
    assert not allows(statements, "batch:SubmitJob", another)
    # no Fargate queue, so no execution role to hand on
    names = moto.client("iam").list_role_policies(RoleName=role)["PolicyNames"]
    assert f"metaflow-job-queues-fargate-{suffix}" not in names


@pytest.fixture(scope="module")
def metaflow_env(moto, tmp_path_factory) -> dict[str, str]:
    """The environment of the real Metaflow client: a METAFLOW_HOME of its own, the emulator's S3."""
    home = tmp_path_factory.mktemp("metaflow-home")
    env = {name: value for name, value in os.environ.items() if not name.startswith(("AWS_", "METAFLOW_"))}
    env.update(
        METAFLOW_HOME=str(home), HOME=str(home), USERNAME="tester",
        AWS_ACCESS_KEY_ID=FAKE_ACCESS_KEY, AWS_SECRET_ACCESS_KEY=FAKE_SECRET_KEY, AWS_DEFAULT_REGION=moto.region,
        AWS_CONFIG_FILE=str(home / "aws-config"), AWS_SHARED_CREDENTIALS_FILE=str(home / "aws-credentials"),
        # the emulator's S3, for a client that would otherwise talk to AWS's
        METAFLOW_S3_ENDPOINT_URL=moto.url,
    )
    return env


def run_metaflow(command: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    completed = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, timeout=300,
                               stdin=subprocess.DEVNULL)
    assert completed.returncode == 0, \
        f"{command} exited {completed.returncode}:\n{completed.stdout}\n{completed.stderr}"
    return completed


def test_metaflow_imports_the_profile_and_runs_a_flow_on_the_deployments_datastore(
        moto, deployment, profile_path, metaflow_env, tmp_path):
    run_metaflow([str(METAFLOW), "configure", "import", str(profile_path)], metaflow_env, tmp_path)
    imported = json.loads((Path(metaflow_env["METAFLOW_HOME"]) / "config.json").read_text())
    assert imported == json.loads(profile_path.read_text())

    run = run_metaflow([sys.executable, str(FLOW), "--metadata=local", "run"], metaflow_env, tmp_path)
    assert "hello from the emulator" in run.stdout + run.stderr

    sysroot = deployment.output("MetaflowDataStoreS3Url")
    bucket, prefix = sysroot.removeprefix("s3://").split("/", 1)
    keys = [item["Key"] for page in moto.client("s3").get_paginator("list_objects_v2").paginate(
        Bucket=bucket, Prefix=f"{prefix}/HelloFlow/") for item in page.get("Contents", [])]
    assert any(key.endswith("/end/2/0.data.json") for key in keys), keys
    assert any("/data/" in key for key in keys), "no artifact stored under the sysroot"

    read_back = run_metaflow([sys.executable, "-c", (
        "from metaflow import Flow, metadata, namespace; metadata('local'); namespace(None); "
        "print(Flow('HelloFlow').latest_run.data.message)")], metaflow_env, tmp_path)
    assert read_back.stdout.strip().splitlines()[-1] == "hello from the emulator"


def test_second_plan_shows_only_the_emulators_known_read_back_gaps(terraform, moto, deployment):
    unexpected = unexpected_changes(terraform, moto, deployment)
    assert not unexpected, f"changes right after apply (moto {moto_version()}), not known emulator gaps: {unexpected}"


# --- after destroy -------------------------------------------------------------------------------


def test_destroy_removes_the_extra_queues_and_their_compute_environments(moto, destroyed):
    batch = moto.client("batch")
    queues = [destroyed.output(output) for output in EXTRA_QUEUES]
    assert batch.describe_job_queues(jobQueues=queues)["jobQueues"] == []
    names = {environment["computeEnvironmentName"]
             for environment in batch.describe_compute_environments()["computeEnvironments"]}
    assert not {name for name in names for key, *_ in EXTRA_QUEUES.values()
                if name.startswith(f"metaflow-{key}-{suffix_of(destroyed)}")}


def test_destroy_leaves_nothing_the_deployment_created(moto, destroyed):
    remaining = added(destroyed.baseline, inventory(moto))
    for kind in DESTROY_KEEPS:
        remaining.pop(kind, None)
    assert not remaining, f"left in moto {moto_version()} after destroy: {remaining}"
    assert not (destroyed.root / "metaflow_profile.json").exists()
    with pytest.raises(ClientError, match="does not exist"):
        moto.client("sagemaker").describe_notebook_instance_lifecycle_config(
            NotebookInstanceLifecycleConfigName=f"metaflow-notebook-{suffix_of(destroyed)}")
