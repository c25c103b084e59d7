"""AWS building blocks the Metaflow modules share."""

from __future__ import annotations

from cdktf import TerraformIterator
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
from cdktf_cdktf_provider_aws.ecs_cluster import EcsCluster
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.iam_role_policy import IamRolePolicy
from cdktf_cdktf_provider_aws.kms_key import KmsKey
from cdktf_cdktf_provider_aws.launch_template import (
    LaunchTemplateBlockDeviceMappings,
    LaunchTemplateBlockDeviceMappingsEbs,
)
from cdktf_cdktf_provider_aws.security_group import SecurityGroupEgress, SecurityGroupIngress
from cdktf_cdktf_provider_aws.ssm_parameter import SsmParameter

from metaflow_cdktf.modules.shared import SERVICE_TASK_ROLE_DESCRIPTION
from metaflow_cdktf.synthesis.building import at_address, expr, local, string_map

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


def grant_datastore_read(scope, role) -> None:
    """Let `role` read the datastore bucket (and its key), but never through presigned URLs.

    Upstream gives the metadata service's and the UI's task roles these same
    policies at the same addresses, so both modules' state keeps matching.
    """
    read_objects = DataAwsIamPolicyDocumentStatement(
        sid="ObjectAccessMetadataService",
        effect="Allow",
        actions=["s3:GetObject", "s3:ListBucket"],
        resources=["${var.s3_bucket_arn}/*", "${var.s3_bucket_arn}"],
    )
    for document_name, policy_name, statement in (
        ("s3_kms", "s3_kms", use_datastore_key("${var.datastore_s3_bucket_kms_key_arn}")),
        ("custom_s3_batch", "custom_s3", read_objects),
        ("deny_presigned_batch", "deny_presigned", deny_presigned_urls()),
    ):
        document = at_address(DataAwsIamPolicyDocument, scope, document_name, statement=[statement])
        at_address(IamRolePolicy, scope, f"grant_{document_name}", name=policy_name, role=role.name,
                   policy=document.json)


def service_task_role(scope, address_name: str, role_name: str):
    """The role a Metaflow service's ECS tasks run as: it may read the datastore."""
    # upstream's UI module reuses the metadata service's address for this document
    assume = assume_role_policy(scope, "metadata_svc_ecs_task_assume_role", "ecs-tasks.amazonaws.com")
    role = at_address(IamRole, scope, address_name,
                      name=role_name,
                      description=SERVICE_TASK_ROLE_DESCRIPTION,
                      assume_role_policy=assume.json,
                      tags=standard_tags())
    grant_datastore_read(scope, role)
    return role


# --- The services' database connection ---------------------------------------------------

# How the metadata service and the UI backend (the same image) connect to the database. RDS
# serves TLS on every PostgreSQL version, and from 15 on its default parameter group refuses
# connections without it (rds.force_ssl = 1); "require" encrypts without verifying the server's
# certificate, whose CA bundle the image does not carry. Images before v2.4.4 ignore the variable
# and connect without TLS, which RDS refuses from PostgreSQL 15 on (the root module says so).
DATABASE_SSL_MODE = "require"

# --- The database password, for the services' containers -----------------------------


def role_name_of(role_arn: str) -> str:
    """The expression of a role's name from the expression of its ARN (arn:...:role/<path>/<name>):
    the ARN's last path element. A role passed in by ARN gets policies by name."""
    return f'element(reverse(split("/", {role_arn})), 0)'


EXECUTION_ROLE_NAME = role_name_of("var.fargate_execution_role_arn")


def database_password_secret(scope, name: str):
    """`var.database_password` as an SSM SecureString only the execution role is granted.

    A container's `environment` is part of its task definition, readable by anyone allowed
    ecs:DescribeTaskDefinition, in every revision; a `secrets` entry holds the parameter's
    ARN instead, and ECS fetches the value with the execution role when a task starts.
    Returns the parameter and the grant, which the ECS service must wait for.
    """
    parameter = at_address(
        SsmParameter, scope, "database_password",
        name=name,
        description="Password of the Metaflow metadata database",
        type="SecureString",
        # the AWS-managed key, whose key policy lets SSM decrypt for callers in the account:
        # the execution role needs no KMS grant of its own
        key_id="alias/aws/ssm",
        value="${var.database_password}",
        tags=standard_tags(),
    )
    read = at_address(DataAwsIamPolicyDocument, scope, "read_database_password", statement=[
        DataAwsIamPolicyDocumentStatement(sid="ReadDatabasePassword", effect="Allow",
                                          actions=["ssm:GetParameters"], resources=[parameter.arn]),
    ])
    grant = at_address(IamRolePolicy, scope, "grant_read_database_password",
                       # unique per deployment: several may share one execution role
                       name=name,
                       role=expr(EXECUTION_ROLE_NAME),
                       policy=read.json)
    return parameter, grant


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


# --- Networking and ECS ----------------------------------------------------------------

# The ports the modules' groups open towards each other or let out.
HTTPS_PORT = 443
POSTGRES_PORT = 5432
DNS_PORT = 53


def ingress_within_group():
    """A security group rule letting members of the group reach each other on any port."""
    return SecurityGroupIngress(from_port=0, to_port=0, protocol="-1", self_attribute=True,
                                description="Internal communication")


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


def egress_to(port: int, what: str):
    """A security group rule letting members reach TCP `port` anywhere (`what` says what is there)."""
    return SecurityGroupEgress(from_port=port, to_port=port, protocol="tcp", cidr_blocks=["0.0.0.0/0"],
                               description=what)


def egress_to_dns_in(cidr_blocks):
    """Rules letting members reach DNS servers in `cidr_blocks` (the VPC's), over UDP and TCP.

    The VPC's own resolver (Route 53 Resolver) is reached whatever a security group says; DNS
    servers the VPC's DHCP options name instead (directory services, appliances) are not."""
    return [SecurityGroupEgress(from_port=DNS_PORT, to_port=DNS_PORT, protocol=protocol, cidr_blocks=cidr_blocks,
                                description="DNS servers in the VPC")
            for protocol in ("udp", "tcp")]


def ecs_cluster(scope):
    """`aws_ecs_cluster.this`, named `local.ecs_cluster_name`, with the caller's `ecs_cluster_settings`."""


    # replace() keeps names made of just prefix + suffix free of a doubled dash
    local(scope, "ecs_cluster_name", expr('replace("${var.resource_prefix}${var.resource_suffix}", "--", "-")'))
    settings = TerraformIterator.from_map(string_map("var.ecs_cluster_settings"))
    return at_address(
        EcsCluster, scope, "this",
        name="${local.ecs_cluster_name}",
        setting=settings.dynamic({"name": settings.key, "value": settings.value}),
        tags=metaflow_tags(name="local.ecs_cluster_name"),
    )
