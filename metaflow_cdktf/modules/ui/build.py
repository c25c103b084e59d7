"""`ui`'s resources: the ALB, the two Fargate services and their task definitions, optional Cognito."""

from __future__ import annotations

from dataclasses import dataclass

from cdktf import TerraformResource, TerraformResourceLifecycle
from cdktf_cdktf_provider_aws.data_aws_vpc import DataAwsVpc
from cdktf_cdktf_provider_aws.ecs_service import (
    EcsService,
    EcsServiceLoadBalancer,
    EcsServiceNetworkConfiguration,
)
from cdktf_cdktf_provider_aws.ecs_task_definition import EcsTaskDefinition, EcsTaskDefinitionEphemeralStorage
from cdktf_cdktf_provider_aws.lb import Lb
from cdktf_cdktf_provider_aws.lb_listener import LbListener, LbListenerDefaultAction
from cdktf_cdktf_provider_aws.lb_listener_rule import (
    LbListenerRule,
    LbListenerRuleAction,
    LbListenerRuleCondition,
    LbListenerRuleConditionPathPattern,
)
from cdktf_cdktf_provider_aws.lb_target_group import LbTargetGroup, LbTargetGroupHealthCheck
from cdktf_cdktf_provider_aws.security_group import SecurityGroup, SecurityGroupIngress

from metaflow_cdktf.modules.common.spec import SPEC as COMMON
from metaflow_cdktf.modules.ui.spec import SPEC
from metaflow_cdktf.synthesis.aws import (
    DATABASE_SSL_MODE,
    HTTPS_PORT,
    POSTGRES_PORT,
    current_account_and_region,
    database_password_secret,
    ecs_cluster,
    egress_to,
    egress_to_dns_in,
    ingress_within_group,
    log_group,
    metaflow_tags,
    service_task_role,
    standard_tags,
)
from metaflow_cdktf.synthesis.building import at_address, boolean, call_module, expr, local, strings

BACKEND_NAME = "${var.resource_prefix}ui_backend${var.resource_suffix}"
STATIC_NAME = "${var.resource_prefix}ui_static${var.resource_suffix}"
BACKEND_PORT = 8083
STATIC_PORT = 3000

# TLS 1.2 and 1.3 with forward-secret ciphers only: AWS's recommended policy (upstream left the
# listener on the 2016 default, which still accepts TLS 1.0 and 1.1).
TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06"

# The cognito step runs before the forward (order 1 < 100), and only when a user pool is given.
COGNITO_ENABLED = 'var.cognito_user_pool_arn != "" ? [1] : []'

# Container definitions stay Terraform expressions: the environment is a `for`
# over a map merged at plan time, which has no Python-side equivalent.
# Upstream gives var.ui_backend_container_image / var.ui_static_container_image
# to the containers as they are, so their default "" registers an image-less
# task; the locals fall back to the images of the `common` module.
# Upstream puts the database password in the backend's environment; it comes from
# `secrets` here (synthesis/aws.py, database_password_secret), under the same name.
BACKEND_CONTAINER_DEFINITIONS = """jsonencode([
  {
    name      = "${var.resource_prefix}ui_backend${var.resource_suffix}"
    image     = local.metadata_service_container_image
    essential = true
    cpu       = 2048
    memory    = 16384
    portMappings = [
      {
        containerPort = 8083
        hostPort      = 8083
      }
    ]
    environment = [for k, v in merge(local.default_ui_backend_env_vars, var.extra_ui_backend_env_vars) : { name = k, value = v }]
    secrets = [
      {
        name      = "MF_METADATA_DB_PSWD"
        valueFrom = aws_ssm_parameter.database_password.arn
      }
    ]
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        "awslogs-group"         = aws_cloudwatch_log_group.this.name
        "awslogs-region"        = data.aws_region.current.name
        "awslogs-stream-prefix" = "ui_backend"
      }
    }
    command = [
      "/opt/latest/bin/python3",
      "-m",
      "services.ui_backend_service.ui_server"
    ]
  }
])"""

STATIC_CONTAINER_DEFINITIONS = """jsonencode([
  {
    name      = "${var.resource_prefix}ui_static${var.resource_suffix}"
    image     = local.ui_static_container_image
    essential = true
    cpu       = 512
    memory    = 1024
    portMappings = [
      {
        containerPort = 3000
        hostPort      = 3000
      }
    ]
    environment = [for k, v in merge(local.default_ui_static_env_vars, var.extra_ui_static_env_vars) : { name = k, value = v }]
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        "awslogs-group"         = aws_cloudwatch_log_group.this.name
        "awslogs-region"        = data.aws_region.current.name
        "awslogs-stream-prefix" = "ui_static"
      }
    }
  }
])"""


@SPEC.builds
def build(scope):
    call_module(scope, "metaflow-common", COMMON)
    current_account_and_region(scope)
    _locals(scope)

    log_group(scope, "${var.resource_prefix}ui${var.resource_suffix}")
    lb_security_group, fargate_security_group = _security_groups(scope)
    lb, backend_route, static_route = _load_balancer(scope, lb_security_group)
    task_role = service_task_role(scope, "metadata_ui_ecs_task_role",
                                  "${var.resource_prefix}ui-ecs-task${var.resource_suffix}")
    cluster = ecs_cluster(scope)
    _ui_backend(scope, cluster, task_role, fargate_security_group, backend_route)
    _ui_static(scope, cluster, task_role, fargate_security_group, static_route)

    return {
        "alb_dns_name": lb.dns_name,
        "alb_arn": lb.arn,
    }


def _locals(scope):
    local(scope, "is_gov", expr('var.iam_partition == "aws-us-gov"'))
    local(scope, "ui_backend_security_group_name", "${var.resource_prefix}ui-backend-sg${var.resource_suffix}")
    local(scope, "alb_security_group_name", "${var.resource_prefix}alb-sg${var.resource_suffix}")
    local(scope, "cloudwatch_logs_arn_prefix",
          "arn:${var.iam_partition}:logs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}")
    local(scope, "default_ui_backend_env_vars", {
        "MF_METADATA_DB_HOST": expr('replace(var.rds_master_instance_endpoint, ":5432", "")'),
        "MF_METADATA_DB_NAME": "${var.database_name}",
        "MF_METADATA_DB_PORT": "5432",
        "MF_METADATA_DB_USER": "${var.database_username}",
        "PATH_PREFIX": "/api/",
        "MF_DATASTORE_ROOT": "${var.METAFLOW_DATASTORE_SYSROOT_S3}",
        "METAFLOW_DATASTORE_SYSROOT_S3": "${var.METAFLOW_DATASTORE_SYSROOT_S3}",
        "LOGLEVEL": "DEBUG",
        "METAFLOW_SERVICE_URL": "http://localhost:8083/api/metadata",
        "METAFLOW_DEFAULT_DATASTORE": "s3",
        "METAFLOW_DEFAULT_METADATA": "service",
        "MF_METADATA_DB_SSL_MODE": DATABASE_SSL_MODE,
    })
    local(scope, "default_ui_static_env_vars", {})
    local(scope, "metadata_service_container_image", expr(
        'var.ui_backend_container_image == "" ? '
        'module.metaflow-common.default_metadata_service_container_image : var.ui_backend_container_image'
    ))
    local(scope, "ui_static_container_image", expr(
        'var.ui_static_container_image == "" ? '
        'module.metaflow-common.default_ui_static_container_image : var.ui_static_container_image'
    ))


def _security_groups(scope):
    """The ALB's group (HTTPS from the allow list) and the Fargate tasks' group (anything from the ALB)."""
    # the VPC's address ranges, where DNS servers of its own may be
    at_address(DataAwsVpc, scope, "this", id="${var.metaflow_vpc_id}")
    lb_group = at_address(
        SecurityGroup, scope, "ui_lb_security_group",
        name="${local.alb_security_group_name}",
        description="Security Group for ALB",
        vpc_id="${var.metaflow_vpc_id}",
        ingress=[
            SecurityGroupIngress(from_port=443, to_port=443, protocol="tcp",
                                 cidr_blocks=strings("var.ui_allow_list"), description="Allow public HTTPS"),
            ingress_within_group(),
        ],
        # What the load balancer reaches: the two services, and Cognito when it authenticates.
        # (Upstream allows everything; naming the tasks' group here instead would close a cycle.)
        egress=[
            egress_to(BACKEND_PORT, "UI backend"),
            egress_to(STATIC_PORT, "UI static"),
            egress_to(HTTPS_PORT, "Cognito user pool"),
        ],
        tags=metaflow_tags(),
    )
    fargate_group = at_address(
        SecurityGroup, scope, "fargate_security_group",
        name="${local.ui_backend_security_group_name}",
        description="Security Group for Fargate which runs the UI Backend.",
        vpc_id="${var.metaflow_vpc_id}",
        ingress=[
            SecurityGroupIngress(from_port=0, to_port=0, protocol="-1", security_groups=[lb_group.id]),
            ingress_within_group(),
        ],
        # What the tasks reach: images, AWS APIs (logs, S3, the password), and the database.
        # The backend also has the metadata service's group, whatever that one allows.
        egress=[
            egress_to(HTTPS_PORT, "Images and AWS APIs"),
            egress_to(POSTGRES_PORT, "Metadata database"),
            *egress_to_dns_in(strings("data.aws_vpc.this.cidr_block_associations[*].cidr_block")),
        ],
        tags=metaflow_tags(),
    )
    return lb_group, fargate_group


def _cognito_dynamic_block():
    """Content of the `dynamic` action block that puts Cognito in front of a forward action."""
    return {
        "for_each": expr(COGNITO_ENABLED),
        "content": {
            "type": "authenticate-cognito",
            "order": 1,
            "authenticate_cognito": {
                "user_pool_arn": "${var.cognito_user_pool_arn}",
                "user_pool_client_id": "${var.cognito_user_pool_client_id}",
                "user_pool_domain": "${var.cognito_user_pool_domain}",
            },
        },
    }


@dataclass(frozen=True)
class Route:
    """A target group, and the listener or listener rule that sends it traffic: ECS registers a
    service's tasks only with a target group a load balancer already routes to."""
    target_group: LbTargetGroup
    via: TerraformResource


def _load_balancer(scope, lb_security_group):
    lb = at_address(
        Lb, scope, "this",
        name=expr('var.load_balancer_name_prefix != "" ? "${var.load_balancer_name_prefix}-alb" : '
                  '"${var.resource_prefix}alb${var.resource_suffix}"'),
        internal=boolean("var.alb_internal"),
        load_balancer_type="application",
        subnets=["${var.subnet1_id}", "${var.subnet2_id}"],
        security_groups=[lb_security_group.id],
        # malformed header names never reach the services (request smuggling)
        drop_invalid_header_fields=True,
        tags=standard_tags(),
    )
    backend = at_address(
        LbTargetGroup, scope, "ui_backend",
        # target group names are limited to 32 characters
        name=expr('format("%.32s", "${var.resource_prefix}ui-backend${var.resource_suffix}")'),
        port=BACKEND_PORT, protocol="HTTP", target_type="ip", vpc_id="${var.metaflow_vpc_id}",
        health_check=LbTargetGroupHealthCheck(protocol="HTTP", port=str(BACKEND_PORT), path="/api/ping",
                                              interval=10, healthy_threshold=2, unhealthy_threshold=2),
        tags=standard_tags(),
    )
    static = at_address(
        LbTargetGroup, scope, "ui_static",
        name=expr('format("%.32s", "${var.resource_prefix}ui-static${var.resource_suffix}")'),
        port=STATIC_PORT, protocol="HTTP", target_type="ip", vpc_id="${var.metaflow_vpc_id}",
        # the check upstream gets from AWS's defaults, written out
        health_check=LbTargetGroupHealthCheck(protocol="HTTP", port="traffic-port", path="/", matcher="200",
                                              interval=30, timeout=5, healthy_threshold=5,
                                              unhealthy_threshold=2),
        tags=standard_tags(),
    )

    listener = at_address(
        LbListener, scope, "this",
        load_balancer_arn=lb.arn, port=443, protocol="HTTPS", certificate_arn="${var.certificate_arn}",
        ssl_policy=TLS_POLICY,
        default_action=[LbListenerDefaultAction(type="forward", target_group_arn=static.id, order=100)],
    )
    # The bindings take either static blocks or one dynamic block per block type,
    # and upstream has both: a conditional Cognito action next to the forward.
    listener.add_override("dynamic.default_action", _cognito_dynamic_block())

    rule = at_address(
        LbListenerRule, scope, "ui_backend",
        listener_arn=listener.arn, priority=1,
        action=[LbListenerRuleAction(type="forward", target_group_arn=backend.arn, order=100)],
        condition=[LbListenerRuleCondition(path_pattern=LbListenerRuleConditionPathPattern(values=["/api/*"]))],
    )
    # same reason as the listener's
    rule.add_override("dynamic.action", _cognito_dynamic_block())
    return lb, Route(backend, rule), Route(static, listener)


def _fargate_service(scope, name, *, cluster, task, security_groups, route, container_name, port,
                     depends_on=()):
    """One always-on Fargate task registered with its route's target group; scaling happens outside
    Terraform."""

    return at_address(
        EcsService, scope, name,
        name=container_name,
        cluster=cluster.id,
        task_definition=task.arn,
        desired_count=1,
        launch_type="FARGATE",
        network_configuration=EcsServiceNetworkConfiguration(
            security_groups=security_groups,
            assign_public_ip=True,
            subnets=["${var.subnet1_id}", "${var.subnet2_id}"],
        ),
        load_balancer=[EcsServiceLoadBalancer(target_group_arn=route.target_group.arn,
                                              container_name=container_name, container_port=port)],
        lifecycle=TerraformResourceLifecycle(ignore_changes=["desired_count"]),
        depends_on=[*depends_on, route.via],
        tags=standard_tags(),
    )


def _ui_backend(scope, cluster, task_role, fargate_security_group, route):
    _, password_grant = database_password_secret(
        scope, "${var.resource_prefix}ui-db-password${var.resource_suffix}")
    task = at_address(
        EcsTaskDefinition, scope, "ui_backend",
        family=BACKEND_NAME,
        container_definitions=expr(BACKEND_CONTAINER_DEFINITIONS),
        network_mode="awsvpc",
        requires_compatibilities=["FARGATE"],
        task_role_arn=task_role.arn,
        execution_role_arn="${var.fargate_execution_role_arn}",
        cpu="2048",
        memory="16384",
        ephemeral_storage=EcsTaskDefinitionEphemeralStorage(size_in_gib=100),
        tags=metaflow_tags(),
    )
    _fargate_service(scope, "ui_backend", cluster=cluster, task=task,
                     security_groups=[fargate_security_group.id, "${var.metadata_service_security_group_id}"],
                     route=route, container_name=BACKEND_NAME, port=BACKEND_PORT,
                     # its tasks read the password with the execution role as they start
                     depends_on=[password_grant])


def _ui_static(scope, cluster, task_role, fargate_security_group, route):
    task = at_address(
        EcsTaskDefinition, scope, "ui_static",
        family=STATIC_NAME,
        container_definitions=expr(STATIC_CONTAINER_DEFINITIONS),
        network_mode="awsvpc",
        requires_compatibilities=["FARGATE"],
        task_role_arn=task_role.arn,
        execution_role_arn="${var.fargate_execution_role_arn}",
        cpu="512",
        memory="1024",
        tags=metaflow_tags(),
    )
    _fargate_service(scope, "ui_static", cluster=cluster, task=task,
                     security_groups=[fargate_security_group.id],
                     route=route, container_name=STATIC_NAME, port=STATIC_PORT)
