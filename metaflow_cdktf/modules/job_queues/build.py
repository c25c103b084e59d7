"""`job-queues`' resources: per entry of `var.queues` a compute environment and its job queue; for
the EC2 and Spot entries an instance role and a launch template they share; for the Fargate ones an
execution role; and the submitters' grants."""

from __future__ import annotations

import json

from cdktf import TerraformIterator, TerraformResourceLifecycle, Token
from cdktf_cdktf_provider_aws.batch_compute_environment import (
    BatchComputeEnvironment,
    BatchComputeEnvironmentComputeResources,
    BatchComputeEnvironmentComputeResourcesEc2Configuration,
    BatchComputeEnvironmentComputeResourcesLaunchTemplate,
)
from cdktf_cdktf_provider_aws.batch_job_queue import BatchJobQueue, BatchJobQueueComputeEnvironmentOrder
from cdktf_cdktf_provider_aws.data_aws_iam_policy_document import (
    DataAwsIamPolicyDocument,
)
from cdktf_cdktf_provider_aws.data_aws_iam_policy_document import (
    DataAwsIamPolicyDocumentStatement as Statement,
)
from cdktf_cdktf_provider_aws.iam_instance_profile import IamInstanceProfile
from cdktf_cdktf_provider_aws.iam_role_policy import IamRolePolicy
from cdktf_cdktf_provider_aws.iam_role_policy_attachment import IamRolePolicyAttachment
from cdktf_cdktf_provider_aws.launch_template import LaunchTemplate, LaunchTemplateMetadataOptions

from metaflow_cdktf.modules.job_queues.spec import EC2_TYPES, FARGATE_TYPES, SPEC
from metaflow_cdktf.synthesis.aws import (
    ECS_GPU_IMAGE_TYPE,
    ECS_IMAGE_TYPE,
    ECS_INSTANCE_POLICY_ARN,
    arn,
    batch_instance_disk,
    current_account_and_region,
    execution_role_statements,
    role_for,
    role_name_of,
    standard_tags,
)
from metaflow_cdktf.synthesis.building import at_address, expr, local, number, strings

NAME = "${var.resource_prefix}job-queues${var.resource_suffix}"
# Each entry's queue, and the prefix of its compute environment's name.
ENTRY_NAME = "${var.resource_prefix}${each.key}${var.resource_suffix}"

# Allocation strategies with which Batch updates a compute environment in place (with its
# service-linked role), rather than Terraform replacing it: BEST_FIT_PROGRESSIVE on demand, and on
# Spot the instance types least likely to be interrupted, what a long training step loses most to.
# https://docs.aws.amazon.com/batch/latest/userguide/allocation-strategies.html
ON_DEMAND_ALLOCATION = "BEST_FIT_PROGRESSIVE"
SPOT_ALLOCATION = "SPOT_CAPACITY_OPTIMIZED"

# The EC2-only resources exist when an entry runs on EC2, the Fargate-only ones when one runs on Fargate.
ON_EC2 = "length(local.ec2_queues) > 0"
ON_FARGATE = "length(local.fargate_queues) > 0"


def one_if(condition: str) -> float:
    """`count` of a resource that exists when `condition` holds."""
    return number(f"{condition} ? 1 : 0")


def first(address: str, attribute: str) -> str:
    """A reference to an attribute of the one instance of a resource created with `count`."""
    return f"${{{address}[0].{attribute}}}"


@SPEC.builds
def build(scope):
    current_account_and_region(scope)
    _locals(scope)

    instance_policy = _instance_role(scope)
    _launch_template(scope)
    _ec2_compute_environments(scope, instance_policy)
    _fargate_compute_environments(scope)
    _job_queues(scope)
    _fargate_execution_role(scope)
    _grant_submitters(scope)

    return {
        "job_queue_arns": expr("{ for key, queue in aws_batch_job_queue.this : key => queue.arn }"),
        "compute_environment_arns": expr(
            "{ for key, environment in local.compute_environments : key => environment.arn }"),
        "fargate_execution_role_arn": expr('join("", aws_iam_role.fargate_execution[*].arn)'),
    }


def _locals(scope):
    for name, types in (("ec2_queues", EC2_TYPES), ("fargate_queues", FARGATE_TYPES)):
        local(scope, name, expr(f"{{ for key, queue in var.queues : key => queue if contains({json.dumps(types)}, "
                                f"queue.type) }}"))
    local(scope, "compute_environments",
          expr("merge(aws_batch_compute_environment.ec2, aws_batch_compute_environment.fargate)"))


def _instance_role(scope):
    """The role of the EC2 and Spot entries' instances (ECS container instances), and its profile."""
    role_for(scope, "instance", ["ec2.amazonaws.com"], trust_policy="instance_assume_role",
             count=one_if(ON_EC2),
             name="${var.resource_prefix}job-queues-instance${var.resource_suffix}",
             description="The role of the instances of the Metaflow job queues on EC2: they join their ECS cluster",
             tags=standard_tags())
    policy = at_address(IamRolePolicyAttachment, scope, "instance",
                count=one_if(ON_EC2), role=first("aws_iam_role.instance", "name"), policy_arn=ECS_INSTANCE_POLICY_ARN)
    # Terraform, unlike the console, does not create the profile that hands the role to instances
    at_address(IamInstanceProfile, scope, "instance",
       count=one_if(ON_EC2),
       name="${var.resource_prefix}job-queues-instance${var.resource_suffix}",
       role=first("aws_iam_role.instance", "name"),
       tags=standard_tags())
    return policy


def _launch_template(scope):
    """The EC2 and Spot entries' instances: a larger disk, and instance metadata only through IMDSv2
    (2 hops: containers on the instance reach it too). Batch takes the instance profile from the
    compute environment."""
    at_address(LaunchTemplate, scope, "this",
       count=one_if(ON_EC2),
       name=NAME,
       block_device_mappings=[batch_instance_disk()],
       ebs_optimized="true",
       metadata_options=LaunchTemplateMetadataOptions(http_endpoint="enabled", http_tokens="required",
                                                      http_put_response_hop_limit=2),
       tags=standard_tags())


def _lifecycle():
    return TerraformResourceLifecycle(
        # Batch cannot change every setting in place: a replacement, named from the prefix, is
        # created and takes the queue over before the old environment is destroyed
        create_before_destroy=True,
        # Batch scales desired_vcpus itself; a redeploy must not reset it
        ignore_changes=["compute_resources[0].desired_vcpus"],
    )


# Where every compute environment of the module runs: the network computation's Batch runs in.
SECURITY_GROUP_IDS = ["${var.batch_compute_environment_security_group_id}"]
SUBNETS = ["${var.subnet1_id}", "${var.subnet2_id}"]


def _ec2_compute_environments(scope, instance_policy):
    """One per EC2 or SPOT entry. No service role: Batch uses its service-linked role, whose
    permissions AWS keeps current and with which it updates environments in place. A Spot Fleet
    role is required only with the BEST_FIT allocation strategy, which no entry uses."""
    _compute_environments(
        scope, "ec2", "local.ec2_queues", lambda queue: BatchComputeEnvironmentComputeResources(
            type=queue.get_string("type"),
            allocation_strategy=expr(f'each.value.type == "SPOT" ? "{SPOT_ALLOCATION}" : "{ON_DEMAND_ALLOCATION}"'),
            instance_role=first("aws_iam_instance_profile.instance", "arn"),
            instance_type=queue.get_list("instance_types"),
            min_vcpus=queue.get_number("min_vcpus"),
            max_vcpus=queue.get_number("max_vcpus"),
            desired_vcpus=queue.get_number("desired_vcpus"),
            security_group_ids=SECURITY_GROUP_IDS,
            subnets=SUBNETS,
            launch_template=BatchComputeEnvironmentComputeResourcesLaunchTemplate(
                launch_template_id=first("aws_launch_template.this", "id"),
                version=first("aws_launch_template.this", "latest_version")),
            ec2_configuration=[BatchComputeEnvironmentComputeResourcesEc2Configuration(
                image_type=expr(f'each.value.gpu ? "{ECS_GPU_IMAGE_TYPE}" : "{ECS_IMAGE_TYPE}"'))],
            tags=standard_tags()),
        lifecycle=_lifecycle(),
        # instances started at creation (min_vcpus) join their cluster with the role's permissions
        depends_on=[instance_policy])


def _fargate_compute_environments(scope):
    """One per FARGATE or FARGATE_SPOT entry: Fargate takes no instance settings at all."""
    _compute_environments(
        scope, "fargate", "local.fargate_queues", lambda queue: BatchComputeEnvironmentComputeResources(
            type=queue.get_string("type"), max_vcpus=queue.get_number("max_vcpus"),
            security_group_ids=SECURITY_GROUP_IDS, subnets=SUBNETS),
        lifecycle=TerraformResourceLifecycle(create_before_destroy=True))


def _compute_environments(scope, address: str, entries: str, resources, lifecycle, depends_on=None):
    """A managed compute environment for each entry of `entries` (a local holding some of
    var.queues), named from the entry's prefix; `resources(queue)` gives its compute resources."""
    queue = TerraformIterator.from_map(Token.as_any_map(expr(entries)))
    at_address(BatchComputeEnvironment, scope, address,
       for_each=queue,
       compute_environment_name_prefix=ENTRY_NAME,
       type="MANAGED",
       compute_resources=resources(queue),
       depends_on=depends_on,
       lifecycle=lifecycle,
       tags=standard_tags())


def _job_queues(scope):
    queue = TerraformIterator.from_map(Token.as_any_map(expr("var.queues")))
    at_address(BatchJobQueue, scope, "this",
       for_each=queue,
       name=ENTRY_NAME,
       state="ENABLED",
       priority=queue.get_number("priority"),
       compute_environment_order=[BatchJobQueueComputeEnvironmentOrder(
           compute_environment="${local.compute_environments[each.key].arn}", order=0)],
       tags=standard_tags())


def _fargate_execution_role(scope):
    """The role ECS starts Fargate jobs with: it pulls their image and ships their logs."""
    role_for(scope, "fargate_execution", ["ecs-tasks.amazonaws.com"], trust_policy="fargate_execution_assume_role",
             count=one_if(ON_FARGATE),
             name="${var.resource_prefix}job-queues-execution${var.resource_suffix}",
             description="The execution role of Metaflow jobs on the Fargate job queues "
                         "[METAFLOW_ECS_FARGATE_EXECUTION_ROLE]",
             tags=standard_tags())
    document = at_address(DataAwsIamPolicyDocument, scope, "fargate_execution", statement=execution_role_statements())
    at_address(IamRolePolicy, scope, "fargate_execution",
       count=one_if(ON_FARGATE),
       name="ecs_execution",
       role=first("aws_iam_role.fargate_execution", "name"),
       policy=document.json)


def _grant_submitters(scope):
    """Each submitter may submit jobs to every queue (with job definitions of this account and
    region) and, with Fargate entries, hand their execution role to the job definitions it registers.
    The policies are named after the deployment: a role may submit to several."""
    submit = at_address(DataAwsIamPolicyDocument, scope, "submit", statement=[Statement(
        sid="SubmitToQueues", effect="Allow", actions=["batch:SubmitJob"],
        resources=strings(f'concat(values(aws_batch_job_queue.this)[*].arn, ["{arn("batch", "job-definition/*")}"])'),
    )])
    submitter = TerraformIterator.from_map(Token.as_string_map(expr("var.submitters")))
    at_address(IamRolePolicy, scope, "submit",
       for_each=submitter,
       name=NAME,
       role=expr(role_name_of("each.value")),
       policy=submit.json)

    pass_role = at_address(DataAwsIamPolicyDocument, scope, "pass_fargate_execution_role", statement=[Statement(
        sid="PassFargateExecutionRole", effect="Allow", actions=["iam:PassRole"],
        resources=strings("aws_iam_role.fargate_execution[*].arn"),
    )])
    with_fargate = TerraformIterator.from_map(
        Token.as_string_map(expr(f"{ON_FARGATE} ? var.submitters : {{}}")))
    at_address(IamRolePolicy, scope, "pass_fargate_execution_role",
       for_each=with_fargate,
       name="${var.resource_prefix}job-queues-fargate${var.resource_suffix}",
       role=expr(role_name_of("each.value")),
       policy=pass_role.json)
