"""The pieces the metadata service and the UI, Metaflow's two services on Fargate, share: the ECS
cluster, the task role, the tasks' security groups, the task definitions and always-on services
behind a load balancer, and the database connection of the image both run."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cdktf import TerraformIterator, TerraformResource, TerraformResourceLifecycle
from cdktf_cdktf_provider_aws.data_aws_iam_policy_document import (
    DataAwsIamPolicyDocument,
    DataAwsIamPolicyDocumentStatement,
)
from cdktf_cdktf_provider_aws.ecs_cluster import EcsCluster
from cdktf_cdktf_provider_aws.ecs_service import (
    EcsService,
    EcsServiceLoadBalancer,
    EcsServiceNetworkConfiguration,
)
from cdktf_cdktf_provider_aws.ecs_task_definition import EcsTaskDefinition
from cdktf_cdktf_provider_aws.iam_role_policy import IamRolePolicy
from cdktf_cdktf_provider_aws.lb_target_group import LbTargetGroup
from cdktf_cdktf_provider_aws.security_group import SecurityGroup, SecurityGroupEgress, SecurityGroupIngress
from cdktf_cdktf_provider_aws.ssm_parameter import SsmParameter

from metaflow_cdktf.modules.shared import SERVICE_TASK_ROLE_DESCRIPTION
from metaflow_cdktf.synthesis.aws import (
    POSTGRES_PORT,
    deny_presigned_urls,
    metaflow_tags,
    name_from_affixes,
    role_for,
    role_name_of,
    standard_tags,
    use_datastore_key,
)
from metaflow_cdktf.synthesis.building import at_address, expr, local, string_map
from metaflow_cdktf.synthesis.container_definitions import Expression, Value

# The ports the services' groups let out, besides the database's.
HTTPS_PORT = 443
DNS_PORT = 53

# --- The database connection of the metadata service's image (the UI backend runs it too) -------

# RDS serves TLS on every PostgreSQL version, and from 15 on its default parameter group refuses
# connections without it (rds.force_ssl = 1); "require" encrypts without verifying the server's
# certificate, whose CA bundle the image does not carry. Images before v2.4.4 ignore the variable
# and connect without TLS, which RDS refuses from PostgreSQL 15 on (the root module says so).
DATABASE_SSL_MODE = "require"

# The services take the host from the endpoint by removing the port they always connect on.
DATABASE_HOST = Expression(f'replace(var.rds_master_instance_endpoint, ":{POSTGRES_PORT}", "")')


def database_environment() -> dict[str, Value]:
    """The environment that connects the image to the database; the password is a secret
    (DATABASE_PASSWORD_SECRET)."""
    return {
        "MF_METADATA_DB_HOST": DATABASE_HOST,
        "MF_METADATA_DB_NAME": "${var.database_name}",
        "MF_METADATA_DB_PORT": str(POSTGRES_PORT),
        "MF_METADATA_DB_USER": "${var.database_username}",
        "MF_METADATA_DB_SSL_MODE": DATABASE_SSL_MODE,
    }


# Upstream passes the password in the containers' `environment`; a `secrets` entry names the
# parameter database_password_secret makes instead, under the same variable name.
DATABASE_PASSWORD_SECRET: dict[str, Value] = {
    "name": "MF_METADATA_DB_PSWD",
    "valueFrom": Expression("aws_ssm_parameter.database_password.arn"),
}

# The execution role is passed in by ARN (policies go to it by name).
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


# --- The task role ------------------------------------------------------------------------------


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


def task_role(scope, address_name: str, role_name: str):
    """The role a Metaflow service's ECS tasks run as: it may read the datastore."""
    role = role_for(scope, address_name, ["ecs-tasks.amazonaws.com"],
                    # upstream's UI module reuses the metadata service's address for this document
                    trust_policy="metadata_svc_ecs_task_assume_role",
                    name=role_name,
                    description=SERVICE_TASK_ROLE_DESCRIPTION,
                    tags=standard_tags())
    grant_datastore_read(scope, role)
    return role


# --- Security groups --------------------------------------------------------------------------


def security_group(scope, address_name: str, *, name: str, description: str,
                           ingress: Sequence[SecurityGroupIngress], egress: Sequence[SecurityGroupEgress]):
    """A security group in `var.metaflow_vpc_id` whose members also reach each other on any port."""
    return at_address(
        SecurityGroup, scope, address_name,
        name=name,
        description=description,
        vpc_id="${var.metaflow_vpc_id}",
        ingress=[*ingress, ingress_within_group()],
        egress=list(egress),
        tags=metaflow_tags(),
    )


def task_egress(dns_servers_in, *more: SecurityGroupEgress) -> list[SecurityGroupEgress]:
    """What a service's tasks reach: images and AWS APIs over HTTPS, the metadata database, `more`,
    and DNS servers in `dns_servers_in` (the VPC's address ranges)."""
    return [
        egress_to(HTTPS_PORT, "Images and AWS APIs"),
        egress_to(POSTGRES_PORT, "Metadata database"),
        *more,
        *egress_to_dns_in(dns_servers_in),
    ]


def ingress_within_group():
    """A security group rule letting members of the group reach each other on any port."""
    return SecurityGroupIngress(from_port=0, to_port=0, protocol="-1", self_attribute=True,
                                description="Internal communication")


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


# --- The cluster, task definitions and services ------------------------------------------------


def ecs_cluster(scope):
    """`aws_ecs_cluster.this`, named `local.ecs_cluster_name`, with the caller's `ecs_cluster_settings`."""
    local(scope, "ecs_cluster_name", expr(name_from_affixes()))
    settings = TerraformIterator.from_map(string_map("var.ecs_cluster_settings"))
    return at_address(
        EcsCluster, scope, "this",
        name="${local.ecs_cluster_name}",
        setting=settings.dynamic({"name": settings.key, "value": settings.value}),
        tags=metaflow_tags(name="local.ecs_cluster_name"),
    )


def task(scope, address_name: str, *, family: str, container_definitions: str, cpu: str, memory: str,
                 task_role, **more: Any) -> EcsTaskDefinition:
    """A Fargate task definition whose tasks start with `var.fargate_execution_role_arn` (image pulls,
    logs, the database password) and run as `task_role`; `more` are further arguments."""
    return at_address(
        EcsTaskDefinition, scope, address_name,
        family=family,
        container_definitions=container_definitions,
        network_mode="awsvpc",
        requires_compatibilities=["FARGATE"],
        task_role_arn=task_role.arn,
        execution_role_arn="${var.fargate_execution_role_arn}",
        cpu=cpu,
        memory=memory,
        tags=metaflow_tags(),
        **more,
    )


@dataclass(frozen=True)
class Route:
    """A target group, the listener or listener rule that sends it traffic, and the container port
    it forwards to. ECS registers a service's tasks only with a target group a load balancer already
    routes to, so the service waits for `via`."""

    target_group: LbTargetGroup
    via: TerraformResource
    container_port: int


def service(scope, address_name: str, *, name: str, cluster, task: EcsTaskDefinition,
                    container_name: str, routes: Sequence[Route], security_groups: list[str],
                    assign_public_ip: Any, depends_on: Sequence[TerraformResource] = ()) -> EcsService:
    """One always-on task of `task` in the two subnets, registered through each route with its
    target group; scaling happens outside Terraform."""
    return at_address(
        EcsService, scope, address_name,
        name=name,
        cluster=cluster.id,
        task_definition=task.arn,
        desired_count=1,
        launch_type="FARGATE",
        network_configuration=EcsServiceNetworkConfiguration(
            security_groups=security_groups,
            assign_public_ip=assign_public_ip,
            subnets=["${var.subnet1_id}", "${var.subnet2_id}"],
        ),
        load_balancer=[EcsServiceLoadBalancer(target_group_arn=route.target_group.arn,
                                              container_name=container_name, container_port=route.container_port)
                       for route in routes],
        lifecycle=TerraformResourceLifecycle(ignore_changes=["desired_count"]),
        depends_on=[*depends_on, *(route.via for route in routes)],
        tags=standard_tags(),
    )
