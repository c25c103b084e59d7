"""The job-queues module applied alone against moto with one queue of each kind
(tests/data/consumers/job-queues-every-kind): the Fargate kinds, their execution role and the
grant to hand it on, which examples/full (a GPU and a Spot queue) does not deploy. Then destroyed.

Run with `pytest -m apply` (or `pytest tests/test_job_queues_apply.py`); about a minute.
"""

from __future__ import annotations

import json
import shutil

import pytest

from harness.deploy import Deployment, apply_example, destroy, unexpected_changes
from harness.iam import allows
from harness.moto_server import ACCOUNT_ID, DESTROY_KEEPS, added, inventory, moto_version
from project import DATA, TERRAFORM_LEFTOVERS, TERRAFORM_ROOT

pytestmark = pytest.mark.apply

ROOT = DATA / "consumers" / "job-queues-every-kind"
# {key: (compute resource type, image type or None on Fargate, allocation strategy or None)}
QUEUES = {
    "gpu": ("EC2", "ECS_AL2023_NVIDIA", "BEST_FIT_PROGRESSIVE"),
    "spot": ("SPOT", "ECS_AL2023", "SPOT_CAPACITY_OPTIMIZED"),
    "fargate": ("FARGATE", None, None),
    "fargate_spot": ("FARGATE_SPOT", None, None),
}
SUBMITTERS = ("job-queues-test-tasks", "job-queues-test-users")
# what Fargate refuses, and the module therefore never sends for a Fargate queue
EC2_ONLY = {"instanceRole", "instanceTypes", "minvCpus", "desiredvCpus", "allocationStrategy", "launchTemplate",
            "ec2Configuration", "tags"}


@pytest.fixture(scope="module")
def deployment(tmp_path_factory, terraform, moto) -> Deployment:
    workspace = tmp_path_factory.mktemp("job-queues")
    ignore = shutil.ignore_patterns(*TERRAFORM_LEFTOVERS)
    shutil.copytree(TERRAFORM_ROOT, workspace / "terraform", ignore=ignore)
    root = workspace / "consumers" / ROOT.name
    shutil.copytree(ROOT, root, ignore=ignore)
    return apply_example(terraform, moto, root, {})


@pytest.fixture(scope="module")
def destroyed(terraform, moto, deployment) -> Deployment:
    return destroy(terraform, moto, deployment)


def environment_of(moto, deployment, key: str) -> dict:
    (environment,) = moto.client("batch").describe_compute_environments(
        computeEnvironments=[deployment.output("compute_environment_arns")[key]])["computeEnvironments"]
    return environment


@pytest.mark.parametrize("key", QUEUES)
def test_each_queue_runs_on_a_compute_environment_of_its_kind(moto, deployment, key):
    type_, image_type, allocation = QUEUES[key]
    (queue,) = moto.client("batch").describe_job_queues(
        jobQueues=[deployment.output("job_queue_arns")[key]])["jobQueues"]
    assert (queue["jobQueueName"], queue["state"]) == (f"metaflow-{key}-test", "ENABLED")
    assert queue["priority"] == (2 if key == "spot" else 1)
    environment = environment_of(moto, deployment, key)
    assert [order["computeEnvironment"] for order in queue["computeEnvironmentOrder"]] == [
        environment["computeEnvironmentArn"]]
    resources = environment["computeResources"]
    assert resources["type"] == type_
    assert environment["serviceRole"].endswith(":role/aws-service-role/batch.amazonaws.com/AWSServiceRoleForBatch")
    if image_type is None:
        assert not EC2_ONLY & set(resources), f"Fargate refuses {sorted(EC2_ONLY & set(resources))}"
    else:
        assert resources["ec2Configuration"] == [{"imageType": image_type}]
        assert resources["allocationStrategy"] == allocation
        assert resources["instanceRole"].endswith(":instance-profile/metaflow-job-queues-instance-test")


def test_the_fargate_queues_share_an_execution_role_that_pulls_images_and_ships_logs(moto, deployment):
    iam = moto.client("iam")
    arn = deployment.output("fargate_execution_role_arn")
    role = iam.get_role(RoleName=arn.rsplit("/", 1)[1])["Role"]
    assert role["Arn"] == arn
    (trust,) = role["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"Service": "ecs-tasks.amazonaws.com"}
    policy = iam.get_role_policy(RoleName=role["RoleName"], PolicyName="ecs_execution")["PolicyDocument"]
    # (IAM gives a statement's one action as a string, several as a list)
    actions = {action for statement in policy["Statement"]
               for action in ([statement["Action"]] if isinstance(statement["Action"], str) else statement["Action"])}
    assert actions == {"ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer",
                       "ecr:BatchGetImage", "logs:CreateLogStream", "logs:PutLogEvents"}


@pytest.mark.parametrize("role", SUBMITTERS)
def test_each_submitter_submits_to_every_queue_and_hands_on_the_execution_role_only(moto, deployment, role):
    iam = moto.client("iam")
    names = iam.list_role_policies(RoleName=role)["PolicyNames"]
    assert sorted(names) == ["metaflow-job-queues-fargate-test", "metaflow-job-queues-test"]
    statements = [statement for name in names
                  for statement in iam.get_role_policy(RoleName=role, PolicyName=name)["PolicyDocument"]["Statement"]]
    for queue in deployment.output("job_queue_arns").values():
        assert allows(statements, "batch:SubmitJob", queue)
    assert not allows(statements, "batch:SubmitJob", f"arn:aws:batch:us-west-2:{ACCOUNT_ID}:job-queue/production")
    assert allows(statements, "iam:PassRole", deployment.output("fargate_execution_role_arn"))
    assert not allows(statements, "iam:PassRole", f"arn:aws:iam::{ACCOUNT_ID}:role/admin")


def test_second_plan_shows_only_the_emulators_known_read_back_gaps(terraform, moto, deployment):
    unexpected = unexpected_changes(terraform, moto, deployment)
    assert not unexpected, f"changes right after apply (moto {moto_version()}), not known emulator gaps: {unexpected}"


def test_destroy_leaves_nothing_the_module_created(moto, destroyed):
    remaining = added(destroyed.baseline, inventory(moto))
    for kind in DESTROY_KEEPS:
        remaining.pop(kind, None)
    assert not remaining, f"left in moto {moto_version()} after destroy: {json.dumps(remaining, default=sorted)}"
