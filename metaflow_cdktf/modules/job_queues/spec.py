"""`job-queues`' interface: one map whose entries are a compute environment and its job queue each,
where they run (another module's outputs), and the roles allowed to submit to them."""

from __future__ import annotations

import json
import re

from metaflow_cdktf.interface import EveryEntry, ModuleSpec, Output, Variable
from metaflow_cdktf.modules.shared import (
    AWS_FROM_5_40,
    IAM_PARTITION,
    RESOURCE_PREFIX,
    RESOURCE_SUFFIX,
    STANDARD_TAGS,
    SUBNET1_ID,
    SUBNET2_ID,
)

# AWS Batch's compute resource types: https://docs.aws.amazon.com/batch/latest/APIReference/API_ComputeResource.html
EC2_TYPES = ("EC2", "SPOT")
FARGATE_TYPES = ("FARGATE", "FARGATE_SPOT")
QUEUE_TYPES = EC2_TYPES + FARGATE_TYPES

# One entry of `queues`: each attribute's Terraform type, and the default of those an entry may
# leave out (None: null).
REQUIRED_ATTRIBUTES = {"type": "string", "max_vcpus": "number"}
OPTIONAL_ATTRIBUTES = {
    "instance_types": ("list(string)", []),
    "gpu": ("bool", False),
    "min_vcpus": ("number", 0),
    "desired_vcpus": ("number", None),
    "priority": ("number", 1),
}
QUEUE_DEFAULTS = {name: default for name, (_, default) in OPTIONAL_ATTRIBUTES.items()}


def _queue_type() -> str:
    """The Terraform type of one entry (optional attributes with defaults need Terraform 1.3)."""
    attributes = [f"{name} = {type_}" for name, type_ in REQUIRED_ATTRIBUTES.items()] + [
        f"{name} = optional({type_})" if default is None else f"{name} = optional({type_}, {json.dumps(default)})"
        for name, (type_, default) in OPTIONAL_ATTRIBUTES.items()]
    return "object({ " + ", ".join(attributes) + " })"


def _queue_rule(message: str, terraform: str, python) -> EveryEntry:
    return EveryEntry(message, terraform=terraform, python=python, defaults=QUEUE_DEFAULTS)


# A queue's name and its compute environment's are made of the key: AWS takes letters, digits,
# hyphens and underscores (https://docs.aws.amazon.com/batch/latest/APIReference/API_CreateJobQueue.html).
KEY_PATTERN = r"^[A-Za-z0-9_-]+$"
QUEUE_RULES = (
    EveryEntry(
        "Each key of queues becomes part of AWS names: letters, digits, hyphens and underscores only.",
        terraform=f"can(regex({json.dumps(KEY_PATTERN)}, key))",
        python=lambda key, queue: re.search(KEY_PATTERN, key) is not None),
    _queue_rule(
        f"Each queue's type must be one of {', '.join(QUEUE_TYPES)}.",
        f"contains({json.dumps(QUEUE_TYPES)}, entry.type)",
        lambda key, queue: queue["type"] in QUEUE_TYPES),
    _queue_rule(
        "Fargate has no GPUs: a queue with gpu = true needs the type EC2 or SPOT.",
        f"!(entry.gpu && contains({json.dumps(FARGATE_TYPES)}, entry.type))",
        lambda key, queue: not (queue["gpu"] and queue["type"] in FARGATE_TYPES)),
    _queue_rule(
        "A queue's vCPUs must be 0 <= min_vcpus <= desired_vcpus (when given) <= max_vcpus.",
        # coalesce(): a desired count left out is the minimum (Batch's own default)
        "0 <= entry.min_vcpus && entry.min_vcpus <= coalesce(entry.desired_vcpus, entry.min_vcpus) && "
        "coalesce(entry.desired_vcpus, entry.min_vcpus) <= entry.max_vcpus",
        lambda key, queue: 0 <= queue["min_vcpus"] <= (queue["desired_vcpus"] if queue["desired_vcpus"] is not None
                                                        else queue["min_vcpus"]) <= queue["max_vcpus"]),
    _queue_rule(
        "An EC2 or SPOT queue needs at least one instance type in instance_types (such as \"c5.large\"); "
        "a FARGATE or FARGATE_SPOT queue takes none.",
        f"contains({json.dumps(EC2_TYPES)}, entry.type) == (length(entry.instance_types) > 0)",
        lambda key, queue: (queue["type"] in EC2_TYPES) == (len(queue["instance_types"]) > 0)),
)

QUEUES = Variable(
    "queues", f"map({_queue_type()})",
    "The job queues, by a key of your choosing that their names and the outputs use. Each is a compute "
    "environment and its queue: type EC2 (on-demand), SPOT (Spot, capacity-optimized), FARGATE or FARGATE_SPOT; "
    "instance_types for EC2 and SPOT; gpu = true for the ECS GPU image (EC2 and SPOT only); min_vcpus, "
    "max_vcpus and desired_vcpus (EC2 and SPOT; Fargate uses max_vcpus only); the queue's priority",
    rules=QUEUE_RULES)

ROLE_ARN_PATTERN = r"^arn:[^:]+:iam::[0-9]{12}:role/"
SUBMITTERS = Variable(
    "submitters", "map(string)",
    "IAM role ARNs allowed to submit jobs to every queue, by names of your choosing that must be known before "
    "apply (such as batch_tasks, step_functions, user_role); each role gets an inline policy",
    {},
    rules=(EveryEntry(
        "Each submitter must be an IAM role ARN (arn:<partition>:iam::<account>:role/<name>): the module grants "
        "it an inline policy.",
        terraform=f"can(regex({json.dumps(ROLE_ARN_PATTERN)}, entry))",
        python=lambda key, role: re.search(ROLE_ARN_PATTERN, role) is not None),))

SPEC = ModuleSpec(
    name="job-queues",
    title="Job Queues",
    description=(
        "More AWS Batch job queues beside the one of the computation module: GPU instances, Spot instances, "
        "Fargate and Fargate Spot, each queue on a compute environment of its own, so that a flow picks one per "
        "step with `@batch(queue=...)`. The roles named in `submitters` may submit jobs to all of them."
    ),
    variables=(
        RESOURCE_PREFIX,
        RESOURCE_SUFFIX,
        STANDARD_TAGS,
        IAM_PARTITION,
        QUEUES,
        SUBNET1_ID,
        SUBNET2_ID,
        Variable("batch_compute_environment_security_group_id", "string",
                 "ID of the security group of the queues' instances and Fargate tasks: the root module's or the "
                 "computation module's output of that name"),
        SUBMITTERS,
    ),
    outputs=(
        Output("job_queue_arns", "ARNs of the job queues, by key: what `@batch(queue=...)` takes"),
        Output("compute_environment_arns", "ARNs of the compute environments, by key"),
        Output("fargate_execution_role_arn",
               "ARN of the ECS execution role of jobs on the FARGATE and FARGATE_SPOT queues "
               "(METAFLOW_ECS_FARGATE_EXECUTION_ROLE, or `@batch(execution_role=...)`); empty without such a queue"),
    ),
    # compute_environment_order on the job queue needs 5.40, as in computation
    # its job queues take compute_environment_order
    required_providers={"aws": AWS_FROM_5_40},
    # optional object attributes with defaults
    required_version=">= 1.3",
)
