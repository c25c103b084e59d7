"""The Metaflow client's AWS calls (tests/data/metaflow-client/calls.json), and one deployment's
values for the placeholders of the resources they are made on."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from project import DATA

CALLS_FILE = DATA / "metaflow-client" / "calls.json"
CALLS = json.loads(CALLS_FILE.read_text())

# The compute a deployment's Batch queue runs on; a need marked `"when": "fargate"` exists on Fargate only.
EC2, FARGATE = "ec2", "fargate"

PARTITION, REGION, ACCOUNT = "aws", "us-west-2", "123456789012"
# somewhere else, for what the roles must not reach
OTHER_REGION, OTHER_ACCOUNT = "eu-central-1", "210987654321"


def role_arn(name: str, account: str = ACCOUNT) -> str:
    return f"arn:{PARTITION}:iam::{account}:role/{name}"


PLACEHOLDERS = {
    "partition": PARTITION,
    "region": REGION,
    "account": ACCOUNT,
    "bucket": "metaflow-s3-test",
    "object_key": "metaflow/HelloFlow/data/4a/4a1f2c",
    "kms_key_arn": f"arn:{PARTITION}:kms:{REGION}:{ACCOUNT}:key/0b5f7c1e-5a4b-4d8e-9f6a-2c1d3e4f5a6b",
    "queue_arn": f"arn:{PARTITION}:batch:{REGION}:{ACCOUNT}:job-queue/metaflow-test",
    "task_role_arn": role_arn("metaflow-batch_s3_task_role-test"),
    "fargate_execution_role_arn": role_arn("metaflow-ecs-execution-role-test"),
    "sfn_role_arn": role_arn("metaflow-step_functions_role-test"),
    "events_role_arn": role_arn("metaflow-eventbridge_role-test"),
    "job_definition_name": "metaflow_" + "5e" * 28,
    "revision": "3",
    "job_id": "8c1d1a3e-4f5b-4c6d-9e7f-0a1b2c3d4e5f",
    "state_machine_name": "metaflow-test_HelloFlow",
    "execution_name": "b1e2c3d4-0000-4a5b-8c6d-7e8f9a0b1c2d",
}


@dataclass(frozen=True)
class Need:
    """One IAM action a call needs on one resource, with the request's condition keys."""

    command: str
    call: str
    action: str
    resource: str
    context: dict = field(default_factory=dict, compare=False)

    def __str__(self) -> str:
        return f"{self.command}: {self.call} needs {self.action} on {self.resource}"


def call_name(call: dict) -> str:
    return f"{call['client']}.{call['method']}"


def needs_of(command: str, compute: str) -> list[Need]:
    """What `command` needs, on a deployment whose Batch queue runs on `compute`."""
    return [Need(command, call_name(call), need["action"], need["resource"].format_map(PLACEHOLDERS),
                 call.get("context", {}))
            for call in CALLS["calls"] if command in call["commands"]
            for need in call["needs"] if need.get("when", compute) == compute]
