"""AWS building blocks the Metaflow modules share."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup
from cdktf_cdktf_provider_aws.data_aws_caller_identity import DataAwsCallerIdentity
from cdktf_cdktf_provider_aws.data_aws_iam_policy_document import (
    DataAwsIamPolicyDocument,
    DataAwsIamPolicyDocumentStatement,
    DataAwsIamPolicyDocumentStatementCondition,
    DataAwsIamPolicyDocumentStatementPrincipals,
)
from cdktf_cdktf_provider_aws.data_aws_partition import DataAwsPartition
from cdktf_cdktf_provider_aws.data_aws_region import DataAwsRegion
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.kms_key import KmsKey
from cdktf_cdktf_provider_aws.launch_template import (
    LaunchTemplateBlockDeviceMappings,
    LaunchTemplateBlockDeviceMappingsEbs,
)
from cdktf_cdktf_provider_aws.security_group import SecurityGroupEgress

from metaflow_cdktf.synthesis.building import at_address, string_map

ACCOUNT_ROOT = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"


# --- Tags ----------------------------------------------------------------------------


def standard_tags():
    """The caller's `standard_tags`, as they are."""
    return string_map("var.standard_tags")


def metaflow_tags(*, name: str | None = None, merged_with: str | None = None):
    """The standard tags plus `Metaflow = "true"`, and `Name = <name>` when given.

    `name` and `merged_with` (another map of tags, applied over the standard ones)
    are Terraform expressions. Which resources carry the Metaflow tag is upstream's
    choice; the expression text matches upstream's so the output does too.
    """
    own = ([f"Name = {name}"] if name else []) + ['Metaflow = "true"']
    maps = ["var.standard_tags", *([merged_with] if merged_with else []), "{" + ", ".join(own) + "}"]
    return string_map(f"merge({', '.join(maps)})")


# --- Names -----------------------------------------------------------------------------


def name_from_affixes(prefix: str = "var.resource_prefix", suffix: str = "var.resource_suffix") -> str:
    """The expression of a name made of the resource prefix and suffix alone (Terraform expressions):
    replace() keeps it free of a doubled dash where the prefix ends and the suffix starts with one."""
    return f'replace("${{{prefix}}}${{{suffix}}}", "--", "-")'


# --- Account and region ------------------------------------------------------------


def current_account_and_region(scope) -> None:
    """`data.aws_caller_identity.current` and `data.aws_region.current`, which ARNs are built from."""
    at_address(DataAwsCallerIdentity, scope, "current")
    at_address(DataAwsRegion, scope, "current")


def arn(service: str, resource: str) -> str:
    """The ARN of `resource` of `service` in this account and region (see current_account_and_region)."""
    return ("arn:${var.iam_partition}:" + service
            + ":${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:" + resource)


# --- IAM -----------------------------------------------------------------------------


def assume_role_policy(scope, address_name: str, *services: str):
    """A policy document (data source `address_name`) letting these AWS services assume a role."""
    return at_address(DataAwsIamPolicyDocument, scope, address_name, statement=[DataAwsIamPolicyDocumentStatement(
        effect="Allow",
        actions=["sts:AssumeRole"],
        principals=[DataAwsIamPolicyDocumentStatementPrincipals(identifiers=list(services), type="Service")],
    )])


def role_for(scope, address_name: str, services: Sequence[str], *, trust_policy: str, **arguments: Any) -> IamRole:
    """The role `address_name`, which `services` may assume (its trust policy is the policy document
    `trust_policy`); `arguments` are the role's own (name, description, tags, ...)."""
    assume = assume_role_policy(scope, trust_policy, *services)
    return at_address(IamRole, scope, address_name, assume_role_policy=assume.json, **arguments)


def role_name_of(role_arn: str) -> str:
    """The expression of a role's name from the expression of its ARN (arn:...:role/<path>/<name>):
    the ARN's last path element. A role passed in by ARN gets policies by name."""
    return f'element(reverse(split("/", {role_arn})), 0)'


def batch_jobs(*actions_without_resource: str):
    """Statements to run jobs on Batch: `actions_without_resource` (describing, listing) take no
    resource, so "*"; registering a job definition and terminating a job take one, here any of this
    account and region."""
    return [
        DataAwsIamPolicyDocumentStatement(sid="Jobs", effect="Allow", actions=list(actions_without_resource),
                                          resources=["*"]),
        DataAwsIamPolicyDocumentStatement(sid="JobDefinitions", effect="Allow",
                                          actions=["batch:RegisterJobDefinition"],
                                          resources=[arn("batch", "job-definition/*")]),
        DataAwsIamPolicyDocumentStatement(sid="EndJobs", effect="Allow", actions=["batch:TerminateJob"],
                                          resources=[arn("batch", "job/*")]),
    ]


# What a task run with an ECS execution role needs to pull its image and ship its logs. AWS's
# suggested policy grants these on "*":
# https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html
# Images stay pullable from any ECR repository (a task names its image, possibly in another
# account or region); logs go only to log groups of this account and region.
PULL_IMAGE_ACTIONS = [
    "ecr:BatchCheckLayerAvailability",
    "ecr:GetDownloadUrlForLayer",
    "ecr:BatchGetImage",
]
ANY_REPOSITORY = "arn:${var.iam_partition}:ecr:*:*:repository/*"
SHIP_LOGS_ACTIONS = ["logs:CreateLogStream", "logs:PutLogEvents"]


def execution_role_statements():
    """Statements of an ECS execution role: the registry login (which takes no resource), image pulls
    from any ECR repository, logs to log groups of this account and region (see
    current_account_and_region)."""
    log_groups_here = arn("logs", "log-group:*")
    return [
        DataAwsIamPolicyDocumentStatement(actions=["ecr:GetAuthorizationToken"], effect="Allow", resources=["*"]),
        DataAwsIamPolicyDocumentStatement(actions=PULL_IMAGE_ACTIONS, effect="Allow", resources=[ANY_REPOSITORY]),
        # (a log stream's ARN is its group's followed by :log-stream:<name>)
        DataAwsIamPolicyDocumentStatement(actions=SHIP_LOGS_ACTIONS, effect="Allow",
                                          resources=[log_groups_here, f"{log_groups_here}:log-stream:*"]),
    ]


def use_datastore_key(key_arn: str):
    """A statement allowing use of the KMS key the datastore bucket is encrypted with."""
    return DataAwsIamPolicyDocumentStatement(
        effect="Allow",
        actions=["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
        resources=[key_arn],
    )


def use_datastore(bucket_arn: str, key_arn: str):
    """Statements to list the datastore bucket, read, write and delete its objects, and use its key."""
    return [
        DataAwsIamPolicyDocumentStatement(sid="ListBucket", actions=["s3:ListBucket"], resources=[bucket_arn]),
        # boto3 aborts a multipart upload that failed, so its parts are not left billed
        DataAwsIamPolicyDocumentStatement(
            sid="Objects", actions=["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"],
            resources=[f"{bucket_arn}/*"]),
        use_datastore_key(key_arn),
    ]


def run_batch_jobs(queue_arn: str):
    """What Metaflow's Batch commands call (tests/data/metaflow-client/calls.json): submit jobs to
    `queue_arn`, register job definitions, end jobs, and describe and list them."""
    return [
        # `batch list` and `batch kill` list the jobs of every enabled queue
        *batch_jobs("batch:DescribeJobs", "batch:DescribeJobDefinitions", "batch:DescribeJobQueues",
                    "batch:DescribeComputeEnvironments", "batch:ListJobs"),
        DataAwsIamPolicyDocumentStatement(sid="Submit", actions=["batch:SubmitJob"],
                                          resources=[queue_arn, arn("batch", "job-definition/*")]),
    ]


# Where Batch jobs log: the log group AWS Batch creates for them.
BATCH_JOB_LOG_GROUP = "/aws/batch/job"


def read_batch_job_logs():
    """A statement allowing to read the logs of Batch jobs (`logs` of Metaflow's CLI)."""
    return DataAwsIamPolicyDocumentStatement(sid="BatchJobLogs", actions=["logs:GetLogEvents"],
                                             resources=[arn("logs", f"log-group:{BATCH_JOB_LOG_GROUP}:log-stream:*")])


def deny_presigned_urls():
    """A statement denying S3 requests not signed in their headers.

    Presigned URLs would let anyone holding one reach the datastore outside of IAM.
    """
    return DataAwsIamPolicyDocumentStatement(
        sid="DenyPresignedBatch",
        effect="Deny",
        actions=["s3:*"],
        resources=["*"],
        condition=[DataAwsIamPolicyDocumentStatementCondition(
            test="StringNotEquals", values=["REST-HEADER"], variable="s3:authType")],
    )


# --- Networking and logs ------------------------------------------------------------------

# The port the metadata database listens on, which the services connect to.
POSTGRES_PORT = 5432


def egress_anywhere():
    """A security group rule letting members reach anything (images, AWS APIs, the internet)."""
    return SecurityGroupEgress(from_port=0, to_port=0, protocol="-1", cidr_blocks=["0.0.0.0/0"],
                               description="Allow all external communication")


def log_group(scope, name: str):
    """`aws_cloudwatch_log_group.this`, which the module's containers send their logs to, encrypted
    with a key of its own (`aws_kms_key.logs`, rotated yearly) that CloudWatch Logs may use for this
    log group only."""
    at_address(DataAwsPartition, scope, "current")
    key = at_address(KmsKey, scope, "logs",
             description=f"Encrypts the log group {name}",
             enable_key_rotation=True,
             policy=key_policy(scope, "logs_key", logs_may_use_key_for(name, sid="CloudWatchLogs")).json,
             tags=standard_tags())
    return at_address(CloudwatchLogGroup, scope, "this", name=name, kms_key_id=key.arn, tags=standard_tags())


def key_policy(scope, address_name: str, *statements):
    """A key policy stated in full: KMS's default (IAM policies of the account decide who may use the
    key), plus `statements`. Needs `data.aws_partition.current` and current_account_and_region."""
    return at_address(DataAwsIamPolicyDocument, scope, address_name, statement=[
        DataAwsIamPolicyDocumentStatement(
            sid="EnableIAMPolicies", effect="Allow", actions=["kms:*"], resources=["*"],
            principals=[DataAwsIamPolicyDocumentStatementPrincipals(type="AWS", identifiers=[ACCOUNT_ROOT])],
        ),
        *statements,
    ])


def logs_may_use_key_for(log_group_name: str, *, sid: str):
    """CloudWatch Logs may encrypt and decrypt with the key for that one log group."""
    region = "${data.aws_region.current.name}"
    log_group_arn = (f"arn:${{data.aws_partition.current.partition}}:logs:{region}:"
                     f"${{data.aws_caller_identity.current.account_id}}:log-group:{log_group_name}")
    return DataAwsIamPolicyDocumentStatement(
        sid=sid, effect="Allow",
        actions=["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
        resources=["*"],
        principals=[DataAwsIamPolicyDocumentStatementPrincipals(
            type="Service", identifiers=[f"logs.{region}.${{data.aws_partition.current.dns_suffix}}"])],
        condition=[DataAwsIamPolicyDocumentStatementCondition(
            test="ArnEquals", variable="kms:EncryptionContext:aws:logs:arn", values=[log_group_arn])],
    )


# --- AWS Batch instances --------------------------------------------------------------

# AWS's predefined permissions for an ECS container instance:
# https://docs.aws.amazon.com/AmazonECS/latest/developerguide/instance_IAM_role.html
ECS_INSTANCE_POLICY_ARN = "arn:${var.iam_partition}:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role"

# The ECS-optimized Amazon Linux 2023 images, Batch's default for new compute environments since
# January 2026, and its GPU variant with the NVIDIA driver ("ECS_AL2023_NVIDIA", which does not run
# on P3 and G3 instances): https://docs.aws.amazon.com/batch/latest/APIReference/API_Ec2Configuration.html
ECS_IMAGE_TYPE = "ECS_AL2023"
ECS_GPU_IMAGE_TYPE = "ECS_AL2023_NVIDIA"

# https://docs.aws.amazon.com/ebs/latest/userguide/general-purpose.html#gp3-ebs-volume-type
GP3_BASELINE_IOPS = 3000


def batch_instance_disk():
    """A Batch instance's root volume, larger than the default 8 GB so steps can download training
    data: 150 GB of gp3 at its baseline IOPS (included in its price; EBS refuses fewer), encrypted,
    deleted with the instance."""
    return LaunchTemplateBlockDeviceMappings(
        device_name="/dev/xvda",
        ebs=LaunchTemplateBlockDeviceMappingsEbs(volume_size=150, delete_on_termination="true", encrypted="true",
                                                 iops=GP3_BASELINE_IOPS, volume_type="gp3"),
    )
