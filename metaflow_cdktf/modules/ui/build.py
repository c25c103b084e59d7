"""`ui`'s resources: the ALB, the two Fargate services and their task definitions, optional Cognito."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cdktf_cdktf_provider_aws.data_aws_vpc import DataAwsVpc
from cdktf_cdktf_provider_aws.ecs_task_definition import EcsTaskDefinitionEphemeralStorage
from cdktf_cdktf_provider_aws.lb import Lb
from cdktf_cdktf_provider_aws.lb_listener import LbListener, LbListenerDefaultAction
from cdktf_cdktf_provider_aws.lb_listener_rule import (
    LbListenerRule,
    LbListenerRuleAction,
    LbListenerRuleCondition,
    LbListenerRuleConditionPathPattern,
)
from cdktf_cdktf_provider_aws.lb_target_group import LbTargetGroup, LbTargetGroupHealthCheck
from cdktf_cdktf_provider_aws.security_group import SecurityGroupIngress

from metaflow_cdktf.interface import Variable
from metaflow_cdktf.modules.common.spec import SPEC as COMMON
from metaflow_cdktf.modules.ui.spec import EXTRA_UI_BACKEND_ENV_VARS, EXTRA_UI_STATIC_ENV_VARS, SPEC
from metaflow_cdktf.synthesis import fargate
from metaflow_cdktf.synthesis.aws import current_account_and_region, log_group, standard_tags
from metaflow_cdktf.synthesis.building import at_address, boolean, call_module, expr, local, strings
from metaflow_cdktf.synthesis.container_definitions import (
    Expression,
    Value,
    as_jsonencode,
    container_definition,
    interpolated,
    merged_environment,
)


@dataclass(frozen=True)
class Part:
    """One of the UI's two services: a task of one container, which has all of the task's CPU and
    memory. Its addresses, its log stream and the local of its default environment are named after
    `address`."""

    address: str
    port: int
    cpu: int
    memory: int
    image: Expression
    extra_environment: Variable  # the caller's, over the defaults

    @property
    def name(self) -> str:
        """The name of its task family, service and container."""
        return "${var.resource_prefix}" + self.address + "${var.resource_suffix}"

    @property
    def default_environment(self) -> str:
        return f"default_{self.address}_env_vars"

    def container(self, **more: Any) -> dict[str, Value]:
        """Its container definition; `more` are further members (secrets, command)."""
        return container_definition(
            name=self.name, image=self.image, cpu=self.cpu, memory=self.memory, ports=(self.port,),
            environment=merged_environment(f"local.{self.default_environment}", f"var.{self.extra_environment.name}"),
            log_stream_prefix=self.address, **more)


# The backend runs the metadata service's image and serves the UI's API; the static frontend
# serves the rest. Upstream gives var.ui_backend_container_image / var.ui_static_container_image
# to the containers as they are, so their default "" registers an image-less task; the locals
# fall back to the images of the `common` module.
BACKEND = Part("ui_backend", port=8083, cpu=2048, memory=16384,
               image=Expression("local.metadata_service_container_image"), extra_environment=EXTRA_UI_BACKEND_ENV_VARS)
STATIC = Part("ui_static", port=3000, cpu=512, memory=1024, image=Expression("local.ui_static_container_image"),
              extra_environment=EXTRA_UI_STATIC_ENV_VARS)
BACKEND_CONTAINER = BACKEND.container(
    secrets=(fargate.DATABASE_PASSWORD_SECRET,),
    command=("/opt/latest/bin/python3", "-m", "services.ui_backend_service.ui_server"))
STATIC_CONTAINER = STATIC.container()

# TLS 1.2 and 1.3 with forward-secret ciphers only: AWS's recommended policy (upstream left the
# listener on the 2016 default, which still accepts TLS 1.0 and 1.1).
TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06"

# The cognito step runs before the forward (order 1 < 100), and only when a user pool is given.
COGNITO_ENABLED = 'var.cognito_user_pool_arn != "" ? [1] : []'

@SPEC.builds
def build(scope):
    call_module(scope, "metaflow-common", COMMON)
    current_account_and_region(scope)
    _locals(scope)

    log_group(scope, "${var.resource_prefix}ui${var.resource_suffix}")
    lb_security_group, fargate_security_group = _security_groups(scope)
    lb, backend_route, static_route = _load_balancer(scope, lb_security_group)
    task_role = fargate.task_role(scope, "metadata_ui_ecs_task_role",
                                  "${var.resource_prefix}ui-ecs-task${var.resource_suffix}")
    cluster = fargate.ecs_cluster(scope)
    _, password_grant = fargate.database_password_secret(
        scope, "${var.resource_prefix}ui-db-password${var.resource_suffix}")
    _run(scope, BACKEND, BACKEND_CONTAINER, cluster=cluster, task_role=task_role, route=backend_route,
         security_groups=[fargate_security_group.id, "${var.metadata_service_security_group_id}"],
         # its tasks read the password with the execution role as they start
         depends_on=[password_grant],
         ephemeral_storage=EcsTaskDefinitionEphemeralStorage(size_in_gib=100))
    _run(scope, STATIC, STATIC_CONTAINER, cluster=cluster, task_role=task_role, route=static_route,
         security_groups=[fargate_security_group.id])

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
        **interpolated(fargate.database_environment()),
        "PATH_PREFIX": "/api/",
        "MF_DATASTORE_ROOT": "${var.METAFLOW_DATASTORE_SYSROOT_S3}",
        "METAFLOW_DATASTORE_SYSROOT_S3": "${var.METAFLOW_DATASTORE_SYSROOT_S3}",
        "LOGLEVEL": "DEBUG",
        "METAFLOW_SERVICE_URL": f"http://localhost:{BACKEND.port}/api/metadata",
        "METAFLOW_DEFAULT_DATASTORE": "s3",
        "METAFLOW_DEFAULT_METADATA": "service",
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
    lb_group = fargate.security_group(
        scope, "ui_lb_security_group",
        name="${local.alb_security_group_name}",
        description="Security Group for ALB",
        ingress=[SecurityGroupIngress(from_port=fargate.HTTPS_PORT, to_port=fargate.HTTPS_PORT, protocol="tcp",
                                      cidr_blocks=strings("var.ui_allow_list"), description="Allow public HTTPS")],
        # What the load balancer reaches: the two services, and Cognito when it authenticates.
        # (Upstream allows everything; naming the tasks' group here instead would close a cycle.)
        egress=[
            fargate.egress_to(BACKEND.port, "UI backend"),
            fargate.egress_to(STATIC.port, "UI static"),
            fargate.egress_to(fargate.HTTPS_PORT, "Cognito user pool"),
        ],
    )
    fargate_group = fargate.security_group(
        scope, "fargate_security_group",
        name="${local.ui_backend_security_group_name}",
        description="Security Group for Fargate which runs the UI Backend.",
        ingress=[SecurityGroupIngress(from_port=0, to_port=0, protocol="-1", security_groups=[lb_group.id])],
        # What the tasks reach: images, AWS APIs (logs, S3, the password), and the database.
        # The backend also has the metadata service's group, whatever that one allows.
        egress=fargate.task_egress(strings("data.aws_vpc.this.cidr_block_associations[*].cidr_block")),
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
        port=BACKEND.port, protocol="HTTP", target_type="ip", vpc_id="${var.metaflow_vpc_id}",
        health_check=LbTargetGroupHealthCheck(protocol="HTTP", port=str(BACKEND.port), path="/api/ping",
                                              interval=10, healthy_threshold=2, unhealthy_threshold=2),
        tags=standard_tags(),
    )
    static = at_address(
        LbTargetGroup, scope, "ui_static",
        name=expr('format("%.32s", "${var.resource_prefix}ui-static${var.resource_suffix}")'),
        port=STATIC.port, protocol="HTTP", target_type="ip", vpc_id="${var.metaflow_vpc_id}",
        # the check upstream gets from AWS's defaults, written out
        health_check=LbTargetGroupHealthCheck(protocol="HTTP", port="traffic-port", path="/", matcher="200",
                                              interval=30, timeout=5, healthy_threshold=5,
                                              unhealthy_threshold=2),
        tags=standard_tags(),
    )

    listener = at_address(
        LbListener, scope, "this",
        load_balancer_arn=lb.arn, port=fargate.HTTPS_PORT, protocol="HTTPS", certificate_arn="${var.certificate_arn}",
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
    return lb, fargate.Route(backend, rule, BACKEND.port), fargate.Route(static, listener, STATIC.port)


def _run(scope, part: Part, container: dict[str, Value], *, cluster, task_role, route: fargate.Route,
         security_groups: list[str], depends_on=(), **task_arguments: Any) -> None:
    """`part`'s task definition, whose one container is `container`, and its always-on service."""
    task = fargate.task(scope, part.address, family=part.name, container_definitions=expr(as_jsonencode([container])),
                        cpu=str(part.cpu), memory=str(part.memory), task_role=task_role, **task_arguments)
    fargate.service(scope, part.address, name=part.name, cluster=cluster, task=task, container_name=part.name,
                    routes=[route], security_groups=security_groups, assign_public_ip=True, depends_on=depends_on)
