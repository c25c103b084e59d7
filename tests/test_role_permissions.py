"""The user role's and the notebook's policies against what the Metaflow client does with them.

The policies are read from the synthesized modules (terraform/modules/<name>/main.tf.json, no
cdktf), filled with one deployment's values (tests/client_calls.py) and decided by the test-only
IAM evaluator; the calls and the IAM actions they need come from
tests/data/metaflow-client/calls.json, which tests/test_metaflow_client_calls.py keeps true to the
installed Metaflow.

Which commands each role serves:
- user-role: all of them, Batch and Step Functions;
- sagemaker-notebook: the Batch ones and the logs. It deploys nothing to Step Functions: the
  module receives neither the Step Functions role nor EventBridge's, and the Metaflow settings it
  writes name neither, so Metaflow in the notebook cannot deploy; a user deploys with the user role.
"""

from __future__ import annotations

import json
from functools import cache

import pytest
from client_calls import (
    ACCOUNT,
    CALLS,
    EC2,
    FARGATE,
    OTHER_ACCOUNT,
    OTHER_REGION,
    PARTITION,
    PLACEHOLDERS,
    REGION,
    Need,
    needs_of,
    role_arn,
)

from harness.iam import DENY, allows, decide
from harness.policy_documents import role_statements
from project import module_file

USER_ROLE, NOTEBOOK = "user-role", "sagemaker-notebook"
BATCH_COMMANDS = ("run --with batch", "batch list", "batch kill", "logs")
STEP_FUNCTIONS_COMMANDS = tuple(command for command in CALLS["commands"] if command.startswith("step-functions "))
COMMANDS_SERVED = {USER_ROLE: BATCH_COMMANDS + STEP_FUNCTIONS_COMMANDS, NOTEBOOK: BATCH_COMMANDS}
# Both modules name their role aws_iam_role.this.
ROLE = "this"
SIGNED_IN_HEADERS = {"s3:authType": "REST-HEADER"}


def deployment(compute: str) -> dict[str, str]:
    """The modules' variables and data sources, as a deployment whose queue runs on `compute` passes them."""
    return {
        "iam_partition": PARTITION,
        "data.aws_region.current.name": REGION,
        "data.aws_caller_identity.current.account_id": ACCOUNT,
        "resource_prefix": "metaflow-",
        "resource_suffix": "-test",
        "s3_bucket_arn": f"arn:{PARTITION}:s3:::{PLACEHOLDERS['bucket']}",
        "datastore_s3_bucket_kms_key_arn": PLACEHOLDERS["kms_key_arn"],
        "METAFLOW_BATCH_JOB_QUEUE": PLACEHOLDERS["queue_arn"],
        "METAFLOW_ECS_S3_ACCESS_IAM_ROLE": PLACEHOLDERS["task_role_arn"],
        "METAFLOW_ECS_FARGATE_EXECUTION_ROLE": PLACEHOLDERS["fargate_execution_role_arn"] if compute == FARGATE else "",
        "METAFLOW_SFN_IAM_ROLE": PLACEHOLDERS["sfn_role_arn"],
        "METAFLOW_EVENTS_SFN_ACCESS_IAM_ROLE": PLACEHOLDERS["events_role_arn"],
        "sagemaker_notebook_arn":
            f"arn:{PARTITION}:sagemaker:{REGION}:{ACCOUNT}:notebook-instance/metaflow-notebook-test",
    }


@cache
def policy(module: str, compute: str) -> tuple[dict, ...]:
    document = json.loads(module_file(module).read_text())
    return tuple(role_statements(document, ROLE, deployment(compute)))


def refused(module: str, compute: str, needs: list[Need]) -> list[str]:
    statements = policy(module, compute)
    return [str(need) for need in needs if not allows(statements, need.action, need.resource, need.context)]


@pytest.mark.parametrize("compute", [EC2, FARGATE])
@pytest.mark.parametrize(("module", "command"),
                         [(module, command) for module, commands in COMMANDS_SERVED.items() for command in commands])
def test_the_role_allows_every_call_the_command_makes(module, command, compute):
    assert needs_of(command, compute), f"no call of {command!r} in the list"
    assert not refused(module, compute, needs_of(command, compute))


@pytest.mark.parametrize("module", COMMANDS_SERVED)
def test_no_role_passes_roles_other_than_the_deployments(module):
    for compute in (EC2, FARGATE):
        for other in (role_arn("admin"), role_arn("metaflow-batch_s3_task_role-test", OTHER_ACCOUNT),
                      role_arn("metaflow-batch_s3_task_role-test-2")):
            assert not allows(policy(module, compute), "iam:PassRole", other), other


@pytest.mark.parametrize("module", COMMANDS_SERVED)
def test_on_ec2_no_role_passes_a_fargate_execution_role(module):
    fargate = [need for need in needs_of("run --with batch", FARGATE) if need not in needs_of("run --with batch", EC2)]
    assert [need.resource for need in fargate] == [PLACEHOLDERS["fargate_execution_role_arn"]]
    assert refused(module, EC2, fargate) == [str(need) for need in fargate]


@pytest.mark.parametrize("module", COMMANDS_SERVED)
def test_what_the_role_reaches_in_its_account_and_region_it_reaches_nowhere_else(module):
    """Every call's resource, moved to another account or region, is refused: e.g. stopping
    another account's executions, or registering job definitions in another region."""
    here = f":{REGION}:{ACCOUNT}:"
    elsewhere = [
        Need(need.command, need.call, need.action, need.resource.replace(here, moved), need.context)
        for command in COMMANDS_SERVED[module] for need in needs_of(command, FARGATE) if here in need.resource
        for moved in (f":{OTHER_REGION}:{ACCOUNT}:", f":{REGION}:{OTHER_ACCOUNT}:")
    ]
    assert len(elsewhere) > 10
    assert refused(module, FARGATE, elsewhere) == [str(need) for need in elsewhere]


@pytest.mark.parametrize("module", COMMANDS_SERVED)
def test_no_role_submits_to_another_queue_or_reaches_another_bucket(module):
    statements = policy(module, EC2)
    other_queue = PLACEHOLDERS["queue_arn"].replace("metaflow-test", "production")
    assert not allows(statements, "batch:SubmitJob", other_queue)
    assert not allows(statements, "s3:GetObject", f"arn:{PARTITION}:s3:::another-bucket/key", SIGNED_IN_HEADERS)
    assert not allows(statements, "s3:ListBucket", f"arn:{PARTITION}:s3:::another-bucket", SIGNED_IN_HEADERS)


def test_the_user_role_puts_only_scheduled_rules_not_rules_on_other_services_events():
    rule = f"arn:{PARTITION}:events:{REGION}:{ACCOUNT}:rule/{PLACEHOLDERS['state_machine_name']}"
    assert allows(policy(USER_ROLE, EC2), "events:PutRule", rule, {})
    assert not allows(policy(USER_ROLE, EC2), "events:PutRule", rule, {"events:source": "aws.s3"})


def test_the_notebook_reaches_the_datastore_only_with_requests_signed_in_headers():
    statements = policy(NOTEBOOK, EC2)
    object_arn = f"arn:{PARTITION}:s3:::{PLACEHOLDERS['bucket']}/{PLACEHOLDERS['object_key']}"
    assert allows(statements, "s3:GetObject", object_arn, SIGNED_IN_HEADERS)
    assert decide(statements, "s3:GetObject", object_arn, {"s3:authType": "REST-QUERY-STRING"}) == DENY


def test_the_notebook_deploys_nothing_to_step_functions():
    needs = [need for command in STEP_FUNCTIONS_COMMANDS for need in needs_of(command, EC2)
             if (need.action.startswith(("states:", "events:")) and need.action != "states:ListStateMachines")
             or need.resource in (PLACEHOLDERS["sfn_role_arn"], PLACEHOLDERS["events_role_arn"])]
    assert {need.action for need in needs} >= {"states:CreateStateMachine", "states:StopExecution", "iam:PassRole"}
    assert refused(NOTEBOOK, EC2, needs) == [str(need) for need in needs]
