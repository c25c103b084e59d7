"""`computation`'s resources: the Batch compute environment, job queue, launch template and IAM roles."""

from __future__ import annotations

from cdktf import TerraformResourceLifecycle
from cdktf_cdktf_provider_aws.batch_compute_environment import (
    BatchComputeEnvironment,
    BatchComputeEnvironmentComputeResources,
)
from cdktf_cdktf_provider_aws.batch_job_queue import BatchJobQueue, BatchJobQueueComputeEnvironmentOrder
from cdktf_cdktf_provider_aws.data_aws_caller_identity import DataAwsCallerIdentity
from cdktf_cdktf_provider_aws.data_aws_iam_policy_document import (
    DataAwsIamPolicyDocument,
    DataAwsIamPolicyDocumentStatement,
    DataAwsIamPolicyDocumentStatementCondition,
)
from cdktf_cdktf_provider_aws.data_aws_region import DataAwsRegion
from cdktf_cdktf_provider_aws.ecs_tag import EcsTag
from cdktf_cdktf_provider_aws.iam_instance_profile import IamInstanceProfile
from cdktf_cdktf_provider_aws.iam_role_policy import IamRolePolicy
from cdktf_cdktf_provider_aws.iam_role_policy_attachment import IamRolePolicyAttachment
from cdktf_cdktf_provider_aws.launch_template import (
    LaunchTemplate,
    LaunchTemplateIamInstanceProfile,
    LaunchTemplateMetadataOptions,
)
from cdktf_cdktf_provider_aws.security_group import SecurityGroup, SecurityGroupEgress, SecurityGroupIngress

from metaflow_cdktf.modules.computation.spec import SPEC
from metaflow_cdktf.synthesis.aws import (
    ECS_IMAGE_TYPE,
    ECS_INSTANCE_POLICY_ARN,
    batch_instance_disk,
    execution_role_statements,
    name_from_affixes,
    role_for,
    standard_tags,
)
from metaflow_cdktf.synthesis.building import at_address, expr, local, number, string_map, strings

BATCH_EXECUTION_ROLE_DESCRIPTION = (
    "This role is passed to AWS Batch as a `service_role`. This allows AWS Batch to make calls to other "
    "AWS services on our behalf."
)
ECS_EXECUTION_ROLE_DESCRIPTION = (
    "This role is passed to our AWS ECS' task definition as the `execution_role`. This allows things like "
    "the correct image to be pulled and logs to be stored."
)
ECS_INSTANCE_ROLE_DESCRIPTION = (
    "This role is passed to AWS Batch as a `instance_role`. This allows our Metaflow Batch jobs to execute "
    "with proper permissions."
)

# Services the Batch service role may hand roles to (iam:PassedToService).
PASS_ROLE_TARGETS = ["ec2.amazonaws.com", "ec2.amazonaws.com.cn", "ecs-tasks.amazonaws.com"]

# The Batch service role's own permissions, after version 13 (December 2023, still the newest) of
# the AWS managed policy arn:aws:iam::aws:policy/service-role/AWSBatchServiceRole.
BATCH_SERVICE_ACTIONS = [
    "ec2:DescribeAccountAttributes",
    "ec2:DescribeInstances",
    "ec2:DescribeInstanceStatus",
    "ec2:DescribeInstanceAttribute",
    "ec2:DescribeSubnets",
    "ec2:DescribeSecurityGroups",
    "ec2:DescribeKeyPairs",
    "ec2:DescribeImages",
    "ec2:DescribeImageAttribute",
    "ec2:DescribeSpotInstanceRequests",
    "ec2:DescribeSpotFleetInstances",
    "ec2:DescribeSpotFleetRequests",
    "ec2:DescribeSpotPriceHistory",
    "ec2:DescribeSpotFleetRequestHistory",
    "ec2:DescribeVpcClassicLink",
    "ec2:DescribeLaunchTemplateVersions",
    "ec2:CreateLaunchTemplate",
    "ec2:DeleteLaunchTemplate",
    "ec2:RequestSpotFleet",
    "ec2:CancelSpotFleetRequests",
    "ec2:ModifySpotFleetRequest",
    "ec2:TerminateInstances",
    "ec2:RunInstances",
    "autoscaling:DescribeAccountLimits",
    "autoscaling:DescribeAutoScalingGroups",
    "autoscaling:DescribeLaunchConfigurations",
    "autoscaling:DescribeAutoScalingInstances",
    "autoscaling:DescribeScalingActivities",
    "autoscaling:CreateLaunchConfiguration",
    "autoscaling:CreateAutoScalingGroup",
    "autoscaling:UpdateAutoScalingGroup",
    "autoscaling:SetDesiredCapacity",
    "autoscaling:DeleteLaunchConfiguration",
    "autoscaling:DeleteAutoScalingGroup",
    "autoscaling:CreateOrUpdateTags",
    "autoscaling:SuspendProcesses",
    "autoscaling:PutNotificationConfiguration",
    "autoscaling:TerminateInstanceInAutoScalingGroup",
    "ecs:DescribeClusters",
    "ecs:DescribeContainerInstances",
    "ecs:DescribeTaskDefinition",
    "ecs:DescribeTasks",
    "ecs:ListAccountSettings",
    "ecs:ListClusters",
    "ecs:ListContainerInstances",
    "ecs:ListTaskDefinitionFamilies",
    "ecs:ListTaskDefinitions",
    "ecs:ListTasks",
    "ecs:CreateCluster",
    "ecs:DeleteCluster",
    "ecs:RegisterTaskDefinition",
    "ecs:DeregisterTaskDefinition",
    "ecs:RunTask",
    "ecs:StartTask",
    "ecs:StopTask",
    "ecs:UpdateContainerAgent",
    "ecs:DeregisterContainerInstance",
    "logs:CreateLogGroup",
    "logs:CreateLogStream",
    "logs:PutLogEvents",
    "logs:DescribeLogGroups",
    "iam:GetInstanceProfile",
    "iam:GetRole",
]

ON_EC2 = "!local.enable_fargate_on_batch"


@SPEC.builds
def build(scope):
    at_address(DataAwsRegion, scope, "current")
    at_address(DataAwsCallerIdentity, scope, "current")
    _locals(scope)

    batch_role, batch_role_policies = _batch_execution_role(scope)
    ecs_execution_role = _ecs_execution_role(scope)
    instance_role = _ecs_instance_role(scope)
    instance_profile = _instance_profile(scope, instance_role)
    _launch_template(scope, instance_profile)
    security_group = _security_group(scope)
    environment = _compute_environment(scope, batch_role, batch_role_policies, security_group)
    queue = _job_queue(scope, environment)
    _name_batch_cluster(scope, environment)

    return {
        "METAFLOW_BATCH_JOB_QUEUE": queue.arn,
        "batch_job_queue_arn": queue.arn,
        "ecs_execution_role_arn": ecs_execution_role.arn,
        "ecs_instance_role_arn": instance_role.arn,
        "batch_compute_environment_security_group_id": security_group.id,
    }


def _locals(scope):
    local(scope, "batch_security_group_name",
          "${var.resource_prefix}batch-compute-environment-security-group${var.resource_suffix}")
    local(scope, "compute_env_prefix_name", "${var.resource_prefix}cpu${var.resource_suffix}")
    local(scope, "batch_queue_name", expr(name_from_affixes()))
    local(scope, "ecs_execution_role_name", "${var.resource_prefix}ecs-execution-role${var.resource_suffix}")
    local(scope, "batch_execution_role_name", "${var.resource_prefix}batch-execution-role${var.resource_suffix}")
    local(scope, "ecs_instance_role_name", "${var.resource_prefix}ecs-iam-role${var.resource_suffix}")
    local(scope, "enable_fargate_on_batch", expr('var.batch_type == "fargate"'))


def _allow_all(actions, *, test=None, variable=None, values=None):
    """A statement allowing `actions` on every resource, optionally under one condition."""
    condition = None
    if test is not None:
        condition = [DataAwsIamPolicyDocumentStatementCondition(test=test, variable=variable, values=values)]
    return DataAwsIamPolicyDocumentStatement(actions=actions, effect="Allow", resources=["*"], condition=condition)


def _batch_execution_role(scope):
    """The Batch service role, and the inline policies a compute environment must outlive."""
    role = role_for(scope, "batch_execution_role", ["batch.amazonaws.com"],
                    trust_policy="batch_execution_role_assume_role",
                    name="${local.batch_execution_role_name}",
                    description=BATCH_EXECUTION_ROLE_DESCRIPTION,
                    tags=standard_tags())

    pass_role = _allow_all(["iam:PassRole"], test="StringEquals", variable="iam:PassedToService",
                           values=PASS_ROLE_TARGETS)
    documents = {
        "iam_pass_role": [pass_role],
        "custom_access_policy": [
            _allow_all(BATCH_SERVICE_ACTIONS),
            DataAwsIamPolicyDocumentStatement(actions=["ecs:TagResource"], effect="Allow",
                                              resources=["arn:${var.iam_partition}:ecs:*:*:task/*_Batch_*"]),
        ],
        "iam_custom_policies": [
            pass_role,
            _allow_all(["iam:CreateServiceLinkedRole"], test="StringEquals", variable="iam:AWSServiceName",
                       values=["spot.amazonaws.com", "spotfleet.amazonaws.com", "autoscaling.amazonaws.com",
                               "ecs.amazonaws.com"]),
        ],
        "ec2_custom_policies": [
            _allow_all(["ec2:CreateTags"], test="StringEquals", variable="ec2:CreateAction",
                       values=["RunInstances"]),
        ],
    }
    grants = (
        ("grant_iam_pass_role", "iam_pass_role", "iam_pass_role"),
        ("grant_custom_access_policy", "custom_access", "custom_access_policy"),
        ("grant_iam_custom_policies", "iam_custom", "iam_custom_policies"),
        ("grant_ec2_custom_policies", "ec2_custom", "ec2_custom_policies"),
    )
    policies = []
    for address, policy_name, document_name in grants:
        document = at_address(DataAwsIamPolicyDocument, scope, document_name, statement=documents[document_name])
        policies.append(at_address(IamRolePolicy, scope, address, name=policy_name, role=role.name,
                                   policy=document.json))
    return role, policies


def _ecs_execution_role(scope):
    role = role_for(scope, "ecs_execution_role",
                    ["ec2.amazonaws.com", "ecs.amazonaws.com", "ecs-tasks.amazonaws.com", "batch.amazonaws.com"],
                    trust_policy="ecs_execution_role_assume_role",
                    name="${local.ecs_execution_role_name}",
                    description=ECS_EXECUTION_ROLE_DESCRIPTION,
                    tags=standard_tags())
    execution = at_address(DataAwsIamPolicyDocument, scope, "ecs_task_execution_policy",
                   statement=execution_role_statements())
    at_address(IamRolePolicy, scope, "grant_ecs_access", name="ecs_access", role=role.name, policy=execution.json)
    return role


def _ecs_instance_role(scope):
    role = role_for(scope, "ecs_instance_role", ["ec2.amazonaws.com"], trust_policy="ecs_instance_role_assume_role",
                    name="${local.ecs_instance_role_name}",
                    description=ECS_INSTANCE_ROLE_DESCRIPTION)
    at_address(IamRolePolicyAttachment, scope, "ecs_instance_role", role=role.name, policy_arn=ECS_INSTANCE_POLICY_ARN)
    return role


def _instance_profile(scope, instance_role):
    """Terraform, unlike the console, does not create the profile that hands the role to EC2 instances."""
    return at_address(IamInstanceProfile, scope, "ecs_instance_role",
              name="${local.ecs_instance_role_name}", role=instance_role.name)


def _launch_template(scope, instance_profile):
    """EC2 only: a disk larger than the default 8 GB, so steps can download training data.

    The compute environment follows the template's latest version, so resizing the
    disk here does not replace the compute environment.
    """
    return at_address(
        LaunchTemplate, scope, "cpu",
        count=number("local.enable_fargate_on_batch ? 0 : 1"),
        name="${var.resource_prefix}batch-launch-tmpl-cpu-100gb${var.resource_suffix}",
        # the role behind this profile must be able to use the key that encrypts the volume
        iam_instance_profile=LaunchTemplateIamInstanceProfile(arn=instance_profile.arn),
        # upstream asks for 1000 IOPS, fewer than gp3's baseline, which EBS refuses
        block_device_mappings=[batch_instance_disk()],
        ebs_optimized="true",
        metadata_options=LaunchTemplateMetadataOptions(
            http_endpoint="${var.launch_template_http_endpoint}",
            http_tokens="${var.launch_template_http_tokens}",
            http_put_response_hop_limit=number("var.launch_template_http_put_response_hop_limit"),
        ),
        tags=standard_tags(),
    )


def _security_group(scope):
    return at_address(
        SecurityGroup, scope, "this",
        name="${local.batch_security_group_name}",
        vpc_id="${var.metaflow_vpc_id}",
        egress=[SecurityGroupEgress(from_port=0, to_port=0, protocol="-1",
                                    cidr_blocks=strings("var.compute_environment_egress_cidr_blocks"))],
        ingress=[SecurityGroupIngress(from_port=0, to_port=0, protocol="-1", self_attribute=True,
                                      description="internal traffic")],
    )


def _compute_environment(scope, batch_role, batch_role_policies, security_group):

    def ec2_only(expression):
        """`expression` on EC2; null (unset) on Fargate, which rejects these arguments."""
        return f"{ON_EC2} ? {expression} : null"

    environment = at_address(
        BatchComputeEnvironment, scope, "this",
        # A prefix, not a fixed name: Batch cannot edit a compute environment in place, so a
        # change creates a uniquely named replacement before the old one is destroyed.
        compute_environment_name_prefix="${local.compute_env_prefix_name}",
        service_role=batch_role.arn,
        type="MANAGED",
        # on destroy, the service role keeps its permissions until the environment is gone
        depends_on=batch_role_policies,
        compute_resources=BatchComputeEnvironmentComputeResources(
            instance_role=expr(ec2_only("aws_iam_instance_profile.ecs_instance_role.arn")),
            instance_type=strings(ec2_only("var.compute_environment_instance_types")),
            max_vcpus=number("var.compute_environment_max_vcpus"),
            min_vcpus=number(ec2_only("var.compute_environment_min_vcpus")),
            desired_vcpus=number(ec2_only("var.compute_environment_desired_vcpus")),
            allocation_strategy=expr(ec2_only('"BEST_FIT"')),
            security_group_ids=[security_group.id],
            subnets=["${var.subnet1_id}", "${var.subnet2_id}"],
            type=expr('local.enable_fargate_on_batch ? "FARGATE" : "EC2"'),
            tags=string_map(ec2_only("var.standard_tags")),
        ),
        lifecycle=TerraformResourceLifecycle(
            # https://github.com/terraform-providers/terraform-provider-aws/issues/11077#issuecomment-560416740
            create_before_destroy=True,
            # Metaflow scales desired_vcpus itself; a redeploy must not reset it
            ignore_changes=["compute_resources[0].desired_vcpus"],
        ),
    )
    # The binding types launch_template as a single struct and rejects a dynamic block,
    # which is what makes it follow aws_launch_template.cpu's count (none on Fargate).
    environment.add_override("compute_resources.dynamic.launch_template", {
        "for_each": "${aws_launch_template.cpu}",
        "content": {
            "launch_template_id": "${launch_template.value.id}",
            "version": "${launch_template.value.latest_version}",
        },
    })
    # The same for the image (Fargate refuses any): stated, so that an environment Batch created
    # on Amazon Linux 2, its default until January 2026 and past its end of support since June
    # 2026, moves to Amazon Linux 2023 too.
    environment.add_override("compute_resources.dynamic.ec2_configuration", {
        "for_each": expr(f'local.enable_fargate_on_batch ? [] : ["{ECS_IMAGE_TYPE}"]'),
        "content": {"image_type": "${ec2_configuration.value}"},
    })
    return environment


def _job_queue(scope, environment):
    return at_address(
        BatchJobQueue, scope, "this",
        name="${local.batch_queue_name}",
        state="ENABLED",
        priority=1,
        # upstream's compute_environments is deprecated on aws 5.x; this form (aws >= 5.40,
        # hence the module's constraint) says the same: one environment, tried first
        compute_environment_order=[BatchJobQueueComputeEnvironmentOrder(
            compute_environment=environment.arn, order=0)],
        tags=standard_tags(),
    )


def _name_batch_cluster(scope, environment):
    at_address(EcsTag, scope, "batch",
       count=number('var.batch_cluster_name != "" ? 1 : 0'),
       resource_arn=environment.ecs_cluster_arn,
       key="Name",
       value="${var.batch_cluster_name}")
