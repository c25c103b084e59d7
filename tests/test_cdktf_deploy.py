"""A real `cdktf deploy` and `cdktf destroy` of the Python stack, offline, against moto.

`metaflow-minimal` (stacks/minimal.py, the Python twin of examples/minimal) is
deployed by the pinned cdktf CLI (`npm ci` installs it into node_modules/) from a
temporary copy of the project, whose cdktf.json runs this Python for the app and
sets the CDKTF context: the certificate imported into the emulator, and
`awsEndpoint`, which points the aws provider at a fresh moto server on 127.0.0.1
(the emulator settings are the app's own, not a test override).

What the emulator holds is checked with boto3 after the deploy, the state must
hold the module resources at the same addresses as a plain-Terraform plan of
examples/minimal, and after `cdktf destroy` nothing the deployment created may
remain, except what AWS itself keeps (DESTROY_KEEPS, as in test_apply.py).

Run with `pytest -m apply` (or `pytest tests/test_cdktf_deploy.py`); about 4 minutes.
"""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from harness.moto_server import (
    DESTROY_KEEPS,
    OUTPUT_TAIL_LINES,
    MotoServer,
    added,
    expected_target_groups,
    inventory,
    moto_version,
    tail,
    target_groups,
)
from project import EXAMPLES, REPO_ROOT, TERRAFORM_LEFTOVERS, TERRAFORM_ROOT, copy_project
from stacks.minimal import MINIMAL_STACK
from stacks.services import EMULATED_SERVICES

pytestmark = pytest.mark.apply

CDKTF = REPO_ROOT / "node_modules" / ".bin" / "cdktf"
# Measured: deploy ~2 min (synth ~15 s of it), destroy ~1.5 min on 2 cores.
CDKTF_TIMEOUT_S = 900
STOP_TIMEOUT_S = 10

# Flags every run gets:
# --skip-provider-lock: after `terraform init` cdktf runs `terraform providers lock
#   -platform=linux_amd64`, which ignores the CLI configuration's mirrors and asks
#   registry.terraform.io for checksums ("Could not retrieve providers for locking"
#   offline). init itself already writes the lock file, from the mirrors.
# --no-color: plain text for failure messages.
CDKTF_FLAGS = ("--auto-approve", "--skip-provider-lock", "--no-color")

# Root resources of the stack itself (named by their construct ids); everything else lives
# under module.metaflow, at the addresses plain Terraform gives it.
STACK_RESOURCES = {
    "aws_internet_gateway.gateway",
    "aws_route_table.public",
    "aws_route_table_association.public_1_routes",
    "aws_route_table_association.public_2_routes",
    "aws_subnet.public_1",
    "aws_subnet.public_2",
    "aws_vpc.vpc",
    "local_file.metaflow_config",
    "random_string.suffix",
}
METADATA = "module.metaflow.module.metaflow-metadata-service"
DATASTORE = "module.metaflow.module.metaflow-datastore"
COMPUTATION = "module.metaflow.module.metaflow-computation"
UI = "module.metaflow.module.metaflow-ui"


# --- running the cdktf CLI -------------------------------------------------------------------


def cdktf_env(terraform, home: Path) -> dict[str, str]:
    """The environment the cdktf CLI runs in: Terraform's (the mirrors-only CLI config, the
    isolated AWS settings) plus what makes the CLI non-interactive and offline."""
    env = terraform.env()
    env.update(
        # The same Terraform binary as the `terraform` fixture (cdktf's default: `terraform` on PATH).
        TERRAFORM_BINARY_NAME=terraform.binary,
        # Otherwise cdktf sets TF_PLUGIN_CACHE_DIR=~/.terraform.d/plugin-cache, which overrides the
        # CLI configuration's plugin_cache_dir.
        CDKTF_DISABLE_PLUGIN_CACHE_ENV="true",
        # Otherwise cdktf runs `pipenv run pip show cdktf` in the copy (pipenv would make a new
        # virtualenv for it) and, on a terminal, asks the npm registry for a newer cdktf.
        DISABLE_VERSION_CHECK="true",
        # No telemetry to checkpoint-api.hashicorp.com (terraform.env() sets it for Terraform too).
        CHECKPOINT_DISABLE="1",
        # cdktf's ink UI prints the static result only, without spinner frames and cursor codes.
        CI="true",
        # Nothing of cdktf's in ~/.cdktf.
        CDKTF_HOME=str(home),
    )
    return env


def run_cdktf(terraform, moto: MotoServer, project: Path, *args: str) -> str:
    """`cdktf <args>` in `project`, bounded by CDKTF_TIMEOUT_S; returns its stdout.

    The CLI runs in its own process group (it starts the Python app, Terraform, and the
    providers), so a timeout ends that whole group and nothing else.
    """
    command = [str(CDKTF), *args]
    process = subprocess.Popen(
        command,
        cwd=project,
        env=cdktf_env(terraform, project.parent / "cdktf-home"),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=CDKTF_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            stdout, stderr = process.communicate(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            stdout, stderr = process.communicate()
        problem = f"did not finish within {CDKTF_TIMEOUT_S} s"
    else:
        if process.returncode == 0:
            return stdout
        problem = f"exited {process.returncode}"
    pytest.fail(
        f"`cdktf {' '.join(args)}` {problem} against moto {moto_version()}\n"
        f"--- stderr (last {OUTPUT_TAIL_LINES} lines) ---\n{tail(stderr)}\n"
        f"--- stdout (last {OUTPUT_TAIL_LINES} lines) ---\n{tail(stdout)}\n"
        f"--- moto server (last 20 lines) ---\n{tail(moto.log_text(), 20)}",
        pytrace=False,
    )


# --- the deployment ----------------------------------------------------------------------------


def state_resources(state: dict) -> dict[str, dict]:
    """{address: attributes} of every managed resource instance in a Terraform state."""
    found = {}
    for resource in state.get("resources", []):
        if resource["mode"] != "managed":
            continue
        base = ".".join(filter(None, (resource.get("module"), resource["type"], resource["name"])))
        for instance in resource["instances"]:
            key = instance.get("index_key")
            index = "" if key is None else f"[{json.dumps(key)}]"
            found[base + index] = instance["attributes"]
    return found


@dataclass
class Deployment:
    project: Path
    outputs: dict
    state: dict[str, dict]
    baseline: dict[str, set[str]]
    created: dict[str, set[str]]
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def stack_dir(self) -> Path:
        """The stack's Terraform working directory, where local_file writes the profile."""
        return self.project / "cdktf.out" / "stacks" / MINIMAL_STACK

    @property
    def state_file(self) -> Path:
        # CDKTF's default backend: a local state file in the project directory, per stack.
        return self.project / f"terraform.{MINIMAL_STACK}.tfstate"

    def read_state(self) -> dict[str, dict]:
        return state_resources(json.loads(self.state_file.read_text()))

    def attributes(self, address: str) -> dict:
        return self.state[address]

    @property
    def suffix(self) -> str:
        return self.attributes("random_string.suffix")["result"]

    @property
    def subnet_ids(self) -> set[str]:
        return {self.attributes(f"aws_subnet.public_{index}")["id"] for index in (1, 2)}


@pytest.fixture(scope="module")
def cdktf_cli() -> Path:
    if not os.access(CDKTF, os.X_OK):
        pytest.fail(
            f"the cdktf CLI is not installed ({CDKTF.relative_to(REPO_ROOT)} is missing): run `npm ci` in "
            f"{REPO_ROOT} (package.json pins cdktf-cli)",
            pytrace=False,
        )
    return CDKTF


@pytest.fixture(scope="module")
def project(tmp_path_factory, cdktf_cli, moto, certificate_arn) -> Path:
    """A copy of the project whose cdktf.json runs this Python and deploys to the emulator."""
    project = copy_project(tmp_path_factory.mktemp("cdktf") / "project")
    config = json.loads((REPO_ROOT / "cdktf.json").read_text())
    config["app"] = f"{shlex.quote(sys.executable)} -m stacks"
    config["context"] = {"uiCertificateArn": certificate_arn, "awsEndpoint": moto.url, "awsRegion": moto.region}
    (project / "cdktf.json").write_text(json.dumps(config, indent=2) + "\n")
    return project


@pytest.fixture(scope="module")
def deployment(terraform, moto, project) -> Deployment:
    """`cdktf deploy metaflow-minimal` into the emulator, with what that added."""
    baseline = inventory(moto)
    started = time.monotonic()
    run_cdktf(terraform, moto, project, "deploy", MINIMAL_STACK, *CDKTF_FLAGS, "--outputs-file", "outputs.json")
    timings = {"deploy": time.monotonic() - started}
    outputs = json.loads((project / "outputs.json").read_text())
    deployed = Deployment(project, outputs, {}, baseline, added(baseline, inventory(moto)), timings)
    deployed.state = deployed.read_state()
    print(f"\nmoto {moto_version()}: cdktf deploy {timings['deploy']:.0f} s")
    return deployed


@pytest.fixture(scope="module")
def destroyed(terraform, moto, deployment) -> Deployment:
    started = time.monotonic()
    run_cdktf(terraform, moto, deployment.project, "destroy", MINIMAL_STACK, *CDKTF_FLAGS)
    deployment.timings["destroy"] = time.monotonic() - started
    print(f"\nmoto {moto_version()}: cdktf destroy {deployment.timings['destroy']:.0f} s")
    return deployment


def plain_terraform_plan_addresses(terraform, moto: MotoServer, workspace: Path, certificate_arn: str) -> set[str]:
    """Resource addresses of a plan of examples/minimal (plain HCL) with the stack's settings."""
    ignore = shutil.ignore_patterns(*TERRAFORM_LEFTOVERS)
    shutil.copytree(TERRAFORM_ROOT, workspace / "terraform", ignore=ignore)
    shutil.copytree(EXAMPLES, workspace / "examples", ignore=ignore)
    root = workspace / "examples" / "minimal"
    moto.write_provider_override(root)
    terraform.init(root)
    # The stack's settings: step functions off, public IPs on (the example's default).
    terraform.run(
        root, "plan", "-input=false", "-no-color", "-refresh=false", "-out=plan.tfplan",
        f"-var=ui_certificate_arn={certificate_arn}", "-var=enable_step_functions=false", timeout=CDKTF_TIMEOUT_S,
    )  # fmt: skip
    plan = json.loads(terraform.run(root, "show", "-json", "plan.tfplan").stdout)
    return {change["address"] for change in plan["resource_changes"] if change["mode"] == "managed"}


# --- after deploy ------------------------------------------------------------------------------


def test_the_app_sends_every_service_to_the_emulator(moto, deployment):
    document = json.loads((deployment.stack_dir / "cdk.tf.json").read_text())
    (provider,) = document["provider"]["aws"]
    assert provider["endpoints"] == [dict.fromkeys(EMULATED_SERVICES, moto.url)]
    assert provider["region"] == moto.region
    assert provider["skip_region_validation"] is True


def test_state_holds_the_modules_at_the_plain_terraform_addresses(
    terraform, moto, deployment, certificate_arn, tmp_path
):
    addresses = set(deployment.state)
    for address in (
        f"{METADATA}.aws_lb.this",
        f"{METADATA}.aws_ecs_service.this",
        f"{METADATA}.aws_api_gateway_stage.this",
        f"{DATASTORE}.aws_s3_bucket.this",
        f"{DATASTORE}.aws_db_instance.this[0]",
        f"{COMPUTATION}.aws_batch_compute_environment.this",
        f"{COMPUTATION}.aws_batch_job_queue.this",
        f"{UI}.aws_lb.this",
        "module.metaflow.aws_iam_role.batch_s3_task_role",
    ):
        assert address in addresses, f"{address} not in the state"
    assert {a for a in addresses if not a.startswith("module.")} == STACK_RESOURCES

    # Exactly what plain Terraform plans for the same module call, address for address.
    plain = plain_terraform_plan_addresses(terraform, moto, tmp_path, certificate_arn)
    in_modules = {a for a in addresses if a.startswith("module.metaflow.")}
    assert in_modules == {a for a in plain if a.startswith("module.metaflow.")}


def test_outputs_are_written_by_cdktf(moto, deployment):
    outputs = deployment.outputs[MINIMAL_STACK]
    api_id = deployment.attributes(f"{METADATA}.aws_api_gateway_rest_api.this")["id"]
    assert outputs["metaflow_api_gateway_rest_api_id"] == api_id
    assert outputs["METAFLOW_SERVICE_URL"] == f"https://{api_id}.execute-api.{moto.region}.amazonaws.com/api/"


def test_network_is_the_stacks_vpc_with_two_subnets(moto, deployment):
    ec2 = moto.client("ec2")
    vpc_id = deployment.attributes("aws_vpc.vpc")["id"]
    assert vpc_id in deployment.created["vpcs"]
    subnets = ec2.describe_subnets(SubnetIds=sorted(deployment.subnet_ids))["Subnets"]
    assert sorted(s["CidrBlock"] for s in subnets) == ["10.10.128.0/21", "10.10.136.0/21"]
    assert len({s["AvailabilityZone"] for s in subnets}) == 2
    assert all(s["VpcId"] == vpc_id and s["MapPublicIpOnLaunch"] for s in subnets)


def test_bucket_is_encrypted_with_the_datastore_kms_key(moto, deployment):
    s3 = moto.client("s3")
    bucket = deployment.attributes(f"{DATASTORE}.aws_s3_bucket.this")["bucket"]
    key_arn = deployment.attributes(f"{DATASTORE}.aws_kms_key.s3")["arn"]
    assert bucket in deployment.created["s3 buckets"]
    rules = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"]
    assert [r["ApplyServerSideEncryptionByDefault"] for r in rules] == [
        {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key_arn}
    ]
    key = moto.client("kms").describe_key(KeyId=key_arn)["KeyMetadata"]
    assert (key["KeyState"], key["KeyManager"]) == ("Enabled", "CUSTOMER")
    assert key["KeyId"] in deployment.created["kms keys"]


def test_database_is_an_encrypted_postgres_instance(moto, deployment):
    (identifier,) = deployment.created["rds instances"]
    assert identifier == deployment.attributes(f"{DATASTORE}.aws_db_instance.this[0]")["identifier"]
    instance = moto.client("rds").describe_db_instances(DBInstanceIdentifier=identifier)["DBInstances"][0]
    assert (instance["DBInstanceStatus"], instance["Engine"]) == ("available", "postgres")
    assert instance["StorageEncrypted"] is True
    assert instance["KmsKeyId"] == deployment.attributes(f"{DATASTORE}.aws_kms_key.rds")["arn"]
    assert {s["SubnetIdentifier"] for s in instance["DBSubnetGroup"]["Subnets"]} == deployment.subnet_ids


def test_ecs_cluster_runs_the_metadata_service_and_the_ui(moto, deployment):
    suffix, ecs = deployment.suffix, moto.client("ecs")
    cluster = f"metaflow-{suffix}"
    assert cluster in deployment.created["ecs clusters"]
    arns = ecs.list_services(cluster=cluster)["serviceArns"]
    services = {s["serviceName"]: s for s in ecs.describe_services(cluster=cluster, services=arns)["services"]}
    assert set(services) == {
        f"metaflow-metadata-service-{suffix}",
        f"metaflow-ui_backend-{suffix}",
        f"metaflow-ui_static-{suffix}",
    }
    for service in services.values():
        assert (service["status"], service["launchType"]) == ("ACTIVE", "FARGATE")
        network = service["networkConfiguration"]["awsvpcConfiguration"]
        assert set(network["subnets"]) == deployment.subnet_ids
        assert network["assignPublicIp"] == "ENABLED"  # the stack's with_public_ip
    assert services[f"metaflow-metadata-service-{suffix}"]["serviceArn"] == deployment.attributes(
        f"{METADATA}.aws_ecs_service.this"
    )["id"]


def test_nlb_and_alb_with_their_target_groups(moto, deployment, certificate_arn):
    suffix, elbv2 = deployment.suffix, moto.client("elbv2")
    assert deployment.created["load balancers"] == {f"metaflow-nlb-{suffix}", f"metaflow-alb-{suffix}"}
    balancers = {lb["LoadBalancerName"]: lb for lb in elbv2.describe_load_balancers()["LoadBalancers"]}
    nlb, alb = balancers[f"metaflow-nlb-{suffix}"], balancers[f"metaflow-alb-{suffix}"]
    assert nlb["LoadBalancerArn"] == deployment.attributes(f"{METADATA}.aws_lb.this")["arn"]
    assert alb["LoadBalancerArn"] == deployment.attributes(f"{UI}.aws_lb.this")["arn"]
    assert (nlb["Type"], nlb["Scheme"], alb["Type"]) == ("network", "internal", "application")

    expected_nlb_groups, expected_alb_groups = expected_target_groups(suffix)
    assert target_groups(elbv2, nlb) == expected_nlb_groups
    assert target_groups(elbv2, alb) == expected_alb_groups
    (https,) = elbv2.describe_listeners(LoadBalancerArn=alb["LoadBalancerArn"])["Listeners"]
    assert [c["CertificateArn"] for c in https["Certificates"]] == [certificate_arn]


def test_api_gateway_stage_and_api_key_in_a_usage_plan(moto, deployment):
    suffix, apigw = deployment.suffix, moto.client("apigateway")
    api_id = deployment.attributes(f"{METADATA}.aws_api_gateway_rest_api.this")["id"]
    assert apigw.get_rest_api(restApiId=api_id)["name"] == f"metaflow-api-{suffix}"
    stage = apigw.get_stage(restApiId=api_id, stageName="api")
    assert stage["deploymentId"] == deployment.attributes(f"{METADATA}.aws_api_gateway_deployment.this")["id"]

    key_id = deployment.attributes(f"{METADATA}.aws_api_gateway_api_key.this[0]")["id"]
    key = apigw.get_api_key(apiKey=key_id)
    assert (key["name"], key["enabled"]) == (f"metaflow-key-{suffix}", True)
    (plan,) = apigw.get_usage_plans(keyId=key_id)["items"]
    assert plan["apiStages"] == [{"apiId": api_id, "stage": "api"}]


def test_batch_compute_environment_and_job_queue(moto, deployment):
    suffix, batch = deployment.suffix, moto.client("batch")
    queue_arn = deployment.attributes(f"{COMPUTATION}.aws_batch_job_queue.this")["arn"]
    (queue,) = batch.describe_job_queues(jobQueues=[queue_arn])["jobQueues"]
    assert (queue["state"], queue["status"]) == ("ENABLED", "VALID")
    (order,) = queue["computeEnvironmentOrder"]
    environment_arn = deployment.attributes(f"{COMPUTATION}.aws_batch_compute_environment.this")["arn"]
    assert order["computeEnvironment"] == environment_arn

    (environment,) = batch.describe_compute_environments(computeEnvironments=[environment_arn])["computeEnvironments"]
    assert environment["computeEnvironmentName"].startswith(f"metaflow-cpu-{suffix}")
    assert (environment["type"], environment["state"], environment["status"]) == ("MANAGED", "ENABLED", "VALID")
    resources = environment["computeResources"]
    assert (resources["type"], resources["minvCpus"], resources["maxvCpus"]) == ("EC2", 8, 64)
    assert set(resources["subnets"]) == deployment.subnet_ids


def test_iam_roles(moto, deployment):
    suffix = deployment.suffix
    # The root module's and the modules' roles; Step Functions is off in the stack.
    names = ("batch_s3_task_role", "batch-execution-role", "ecs-execution-role", "ecs-iam-role",
             "lambda_ecs_execute", "metadata-ecs-task", "ui-ecs-task", "services-execution-role")  # fmt: skip
    assert deployment.created["iam roles"] == {f"metaflow-{name}-{suffix}" for name in names}
    task_role = deployment.attributes("module.metaflow.aws_iam_role.batch_s3_task_role")
    assert moto.client("iam").get_role(RoleName=task_role["name"])["Role"]["Arn"] == task_role["arn"]
    assert deployment.created["iam instance profiles"] == {f"metaflow-ecs-iam-role-{suffix}"}


def test_metaflow_profile_is_written_next_to_the_stack(deployment):
    path = deployment.stack_dir / "metaflow_profile.json"
    text = path.read_text()
    profile = json.loads(text)
    bucket = deployment.attributes(f"{DATASTORE}.aws_s3_bucket.this")["bucket"]
    assert profile["METAFLOW_DATASTORE_SYSROOT_S3"] == f"s3://{bucket}/metaflow"
    queue_arn = deployment.attributes(f"{COMPUTATION}.aws_batch_job_queue.this")["arn"]
    assert profile["METAFLOW_BATCH_JOB_QUEUE"] == queue_arn
    assert profile["METAFLOW_SERVICE_URL"] == deployment.outputs[MINIMAL_STACK]["METAFLOW_SERVICE_URL"]
    assert profile["METAFLOW_ECS_S3_ACCESS_IAM_ROLE"] == deployment.attributes(
        "module.metaflow.aws_iam_role.batch_s3_task_role"
    )["arn"]
    assert (profile["METAFLOW_DEFAULT_DATASTORE"], profile["METAFLOW_DEFAULT_METADATA"]) == ("s3", "service")
    written = deployment.attributes("local_file.metaflow_config")
    assert written["id"] == hashlib.sha1(text.encode()).hexdigest()
    assert Path(deployment.stack_dir, written["filename"]).resolve() == path.resolve()


# --- after destroy -----------------------------------------------------------------------------


def test_destroy_leaves_nothing_the_deployment_created(moto, destroyed):
    remaining = added(destroyed.baseline, inventory(moto))
    kept = {kind: remaining.pop(kind) for kind in DESTROY_KEEPS if kind in remaining}
    assert not remaining, f"left in moto {moto_version()} after cdktf destroy: {remaining}"
    snapshots = kept.get("db snapshots", set())
    assert len(snapshots) == 1, f"expected the one final snapshot, found {snapshots}"
    (snapshot,) = moto.client("rds").describe_db_snapshots(DBSnapshotIdentifier=snapshots.pop())["DBSnapshots"]
    assert snapshot["DBInstanceIdentifier"] in destroyed.created["rds instances"]


def test_destroy_empties_the_state_and_removes_the_profile(destroyed):
    assert destroyed.read_state() == {}
    assert not (destroyed.stack_dir / "metaflow_profile.json").exists()
