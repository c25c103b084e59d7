"""`metadata-service`'s resources: Fargate service, NLB, API Gateway, DB-migration Lambda."""

from __future__ import annotations

from cdktf import TerraformResourceLifecycle
from cdktf_cdktf_provider_archive.data_archive_file import DataArchiveFile, DataArchiveFileSource
from cdktf_cdktf_provider_aws.api_gateway_api_key import ApiGatewayApiKey
from cdktf_cdktf_provider_aws.api_gateway_deployment import ApiGatewayDeployment
from cdktf_cdktf_provider_aws.api_gateway_integration import ApiGatewayIntegration
from cdktf_cdktf_provider_aws.api_gateway_integration_response import ApiGatewayIntegrationResponse
from cdktf_cdktf_provider_aws.api_gateway_method import ApiGatewayMethod
from cdktf_cdktf_provider_aws.api_gateway_method_response import ApiGatewayMethodResponse
from cdktf_cdktf_provider_aws.api_gateway_request_validator import ApiGatewayRequestValidator
from cdktf_cdktf_provider_aws.api_gateway_resource import ApiGatewayResource
from cdktf_cdktf_provider_aws.api_gateway_rest_api import (
    ApiGatewayRestApi,
    ApiGatewayRestApiEndpointConfiguration,
)
from cdktf_cdktf_provider_aws.api_gateway_rest_api_policy import ApiGatewayRestApiPolicy
from cdktf_cdktf_provider_aws.api_gateway_stage import ApiGatewayStage
from cdktf_cdktf_provider_aws.api_gateway_usage_plan import ApiGatewayUsagePlan, ApiGatewayUsagePlanApiStages
from cdktf_cdktf_provider_aws.api_gateway_usage_plan_key import ApiGatewayUsagePlanKey
from cdktf_cdktf_provider_aws.api_gateway_vpc_link import ApiGatewayVpcLink
from cdktf_cdktf_provider_aws.data_aws_iam_policy_document import (
    DataAwsIamPolicyDocument,
    DataAwsIamPolicyDocumentStatement,
)
from cdktf_cdktf_provider_aws.iam_role_policy import IamRolePolicy
from cdktf_cdktf_provider_aws.lambda_function import (
    LambdaFunction,
    LambdaFunctionEnvironment,
    LambdaFunctionTracingConfig,
    LambdaFunctionVpcConfig,
)
from cdktf_cdktf_provider_aws.lb import Lb
from cdktf_cdktf_provider_aws.lb_listener import LbListener, LbListenerDefaultAction
from cdktf_cdktf_provider_aws.lb_target_group import LbTargetGroup, LbTargetGroupHealthCheck
from cdktf_cdktf_provider_aws.security_group import SecurityGroupIngress

from metaflow_cdktf.modules.common.spec import SPEC as COMMON
from metaflow_cdktf.modules.metadata_service.spec import SPEC
from metaflow_cdktf.paths import LAMBDA_SRC
from metaflow_cdktf.synthesis import fargate
from metaflow_cdktf.synthesis.aws import arn, current_account_and_region, log_group, role_for, standard_tags
from metaflow_cdktf.synthesis.building import at_address, boolean, call_module, expr, literal, local, number, strings
from metaflow_cdktf.synthesis.container_definitions import (
    Expression,
    as_json_template,
    container_definition,
    environment_entries,
)

DB_MIGRATE_HANDLER = LAMBDA_SRC / "db_migrate" / "index.py"

# The service answers on one port, and runs the database migrations on another.
SERVICE_PORT = 8080
MIGRATION_PORT = 8082
# What the network load balancer listens on for the service (the migration port is the same there).
LISTENER_PORT = 80

API_GATEWAY_POLICY = """{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": "*",
      "Action": "execute-api:Invoke",
      "Resource": "arn:${var.iam_partition}:execute-api:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:${aws_api_gateway_rest_api.this.id}/*/*/*"
    },
    {
      "Effect": "Deny",
      "Principal": "*",
      "Action": "execute-api:Invoke",
      "Resource": "arn:${var.iam_partition}:execute-api:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:${aws_api_gateway_rest_api.this.id}/*/*/*",
      "Condition": {
        "NotIpAddress": {
          "aws:SourceIp": ${jsonencode(var.access_list_cidr_blocks)}
        }
      }
    }
  ]
}
"""  # noqa: E501  (upstream's policy text, kept as it is)

CONTAINER_NAME = "${var.resource_prefix}service${var.resource_suffix}"

# Upstream interpolates var.metadata_service_container_image here, so the default ""
# gave an empty image; local.metadata_service_container_image falls back to common's.
# The service and its migrations connect to the database over TLS (fargate.DATABASE_SSL_MODE).
CONTAINER = container_definition(
    name=CONTAINER_NAME,
    image=Expression("local.metadata_service_container_image"),
    cpu=Expression("var.metadata_service_cpu", yields="number"),
    memory=Expression("var.metadata_service_memory", yields="number"),
    ports=(SERVICE_PORT, MIGRATION_PORT),
    environment=environment_entries(fargate.database_environment()),
    secrets=(fargate.DATABASE_PASSWORD_SECRET,),
    log_stream_prefix="metadata",
)


@SPEC.builds
def build(scope):
    call_module(scope, "metaflow-common", COMMON)
    current_account_and_region(scope)
    _locals(scope)

    # the container definitions name it by address: aws_cloudwatch_log_group.this
    log_group(scope, "${var.resource_prefix}metadata${var.resource_suffix}")
    security_group = _security_group(scope)
    lb, routes = _load_balancer(scope)
    task_role = fargate.task_role(scope, "metadata_svc_ecs_task_role",
                                  "${var.resource_prefix}metadata-ecs-task${var.resource_suffix}")
    _ecs(scope, security_group, task_role, routes)
    rest_api = _api_gateway(scope, lb)
    migrate = _db_migrate_lambda(scope, lb, security_group)

    return {
        "METAFLOW_SERVICE_INTERNAL_URL": f"http://{lb.dns_name}/",
        "METAFLOW_SERVICE_URL": "https://${aws_api_gateway_rest_api.this.id}.execute-api.${data.aws_region.current.name}.amazonaws.com/api/",
        "api_gateway_rest_api_id": rest_api.id,
        "api_gateway_rest_api_id_key_id": expr('join("", [for id in aws_api_gateway_api_key.this.*.id : id])'),
        "migration_function_arn": migrate.arn,
        "metadata_service_security_group_id": security_group.id,
        "metadata_svc_ecs_task_role_arn": task_role.arn,
        "network_load_balancer_dns_name": lb.dns_name,
    }


def _locals(scope):
    local(scope, "is_gov", expr('var.iam_partition == "aws-us-gov"'))
    local(scope, "metadata_service_security_group_name",
          "${var.resource_prefix}metadata-service-security-group${var.resource_suffix}")
    local(scope, "metadata_service_container_image", expr(
        'var.metadata_service_container_image == "" ? '
        'module.metaflow-common.default_metadata_service_container_image : var.metadata_service_container_image'
    ))
    local(scope, "api_gateway_endpoint_configuration_type", expr('local.is_gov ? "REGIONAL" : "EDGE"'))
    local(scope, "api_gateway_key_name", "${var.resource_prefix}key${var.resource_suffix}")
    local(scope, "api_gateway_stage_name", "api")
    local(scope, "api_gateway_usage_plan_name", "${var.resource_prefix}usage-plan${var.resource_suffix}")
    local(scope, "db_migrate_lambda_zip_file",
          expr('coalesce(var.db_migrate_lambda_zip_file, "${path.module}/db_migrate_lambda.zip")'))
    local(scope, "db_migrate_lambda_name", "${var.resource_prefix}db_migrate${var.resource_suffix}")
    local(scope, "lambda_ecs_execute_role_name", "${var.resource_prefix}lambda_ecs_execute${var.resource_suffix}")
    local(scope, "cloudwatch_logs_arn_prefix",
          "arn:${var.iam_partition}:logs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}")


def _security_group(scope):
    def internal_api(port):
        return SecurityGroupIngress(from_port=port, to_port=port, protocol="tcp",
                                    cidr_blocks=strings("var.vpc_cidr_blocks"),
                                    description="Allow API calls internally")

    return fargate.security_group(
        scope, "metadata_service_security_group",
        name="${local.metadata_service_security_group_name}",
        description="Security Group for Fargate which runs the Metadata Service.",
        ingress=[internal_api(SERVICE_PORT), internal_api(MIGRATION_PORT)],
        # what the service (images, AWS APIs, its database), the DB-migration Lambda (the migration
        # port behind the NLB) and the UI backend, which joins this group for the database, reach
        egress=fargate.task_egress(strings("var.vpc_cidr_blocks"),
                                   fargate.egress_to(MIGRATION_PORT, "DB migration through the load balancer")),
    )


def _load_balancer(scope) -> tuple[Lb, list[fargate.Route]]:
    """The network load balancer, and its routes to the service port and the migration port."""
    lb = at_address(
        Lb, scope, "this",
        name=expr('var.load_balancer_name_prefix != "" ? "${var.load_balancer_name_prefix}-nlb" : '
                  '"${var.resource_prefix}nlb${var.resource_suffix}"'),
        internal=True,
        load_balancer_type="network",
        subnets=["${var.subnet1_id}", "${var.subnet2_id}"],
        # the service runs one task: both zones' nodes forward to it, wherever it is
        enable_cross_zone_load_balancing=True,
        tags=standard_tags(),
    )
    service = at_address(
        LbTargetGroup, scope, "this",
        name="${var.resource_prefix}mdtg${var.resource_suffix}",
        port=SERVICE_PORT, protocol="TCP", target_type="ip", vpc_id="${var.metaflow_vpc_id}",
        health_check=LbTargetGroupHealthCheck(protocol="TCP", interval=10, healthy_threshold=2,
                                              unhealthy_threshold=2),
        tags=standard_tags(),
    )
    migration = at_address(
        LbTargetGroup, scope, "db_migrate",
        name="${var.resource_prefix}dbtg${var.resource_suffix}",
        port=MIGRATION_PORT, protocol="TCP", target_type="ip", vpc_id="${var.metaflow_vpc_id}",
        # the migration port has no health endpoint of its own: check the service port
        health_check=LbTargetGroupHealthCheck(protocol="TCP", port=str(SERVICE_PORT), interval=10,
                                              healthy_threshold=2, unhealthy_threshold=2),
        tags=standard_tags(),
    )
    return lb, [
        fargate.Route(group, at_address(LbListener, scope, name, load_balancer_arn=lb.arn, port=listener_port,
                                        protocol="TCP", default_action=[
                                            LbListenerDefaultAction(type="forward", target_group_arn=group.id)]),
                      container_port)
        for name, listener_port, group, container_port in (
            ("this", LISTENER_PORT, service, SERVICE_PORT),
            ("db_migrate", MIGRATION_PORT, migration, MIGRATION_PORT),
        )
    ]


def _ecs(scope, security_group, task_role, routes):
    _, password_grant = fargate.database_password_secret(
        scope, "${var.resource_prefix}metadata-db-password${var.resource_suffix}")
    task = fargate.task(
        scope, "this",
        family=CONTAINER_NAME,
        container_definitions=as_json_template([CONTAINER]),
        cpu="${var.metadata_service_cpu}",
        memory="${var.metadata_service_memory}",
        task_role=task_role,
    )
    fargate.service(
        scope, "this",
        name="${var.resource_prefix}metadata-service${var.resource_suffix}",
        cluster=fargate.ecs_cluster(scope),
        task=task,
        container_name=CONTAINER_NAME,
        routes=routes,
        security_groups=[security_group.id],
        assign_public_ip=boolean("var.with_public_ip"),
        # its tasks read the password with the execution role as they start
        depends_on=[password_grant],
    )


def _api_gateway(scope, lb):

    basic_auth = number("var.api_basic_auth ? 1 : 0")
    rest_api = at_address(
        ApiGatewayRestApi, scope, "this",
        name="${var.resource_prefix}api${var.resource_suffix}",
        description="Allows access to the Metadata service RDS instance",
        endpoint_configuration=ApiGatewayRestApiEndpointConfiguration(
            types=["${local.api_gateway_endpoint_configuration_type}"]),
        tags=standard_tags(),
    )
    at_address(ApiGatewayRestApiPolicy, scope, "this",
       count=number("length(var.access_list_cidr_blocks) > 0 ? 1 : 0"),
       rest_api_id=rest_api.id,
       policy=API_GATEWAY_POLICY)
    proxy = at_address(ApiGatewayResource, scope, "this", rest_api_id=rest_api.id,
               parent_id=rest_api.root_resource_id, path_part="{proxy+}")
    schema_status = at_address(ApiGatewayResource, scope, "db", rest_api_id=rest_api.id,
                       parent_id=rest_api.root_resource_id, path_part="db_schema_status")
    vpc_link = at_address(ApiGatewayVpcLink, scope, "this",
                  name="${var.resource_prefix}vpclink${var.resource_suffix}",
                  target_arns=[lb.arn], tags=standard_tags())

    # API Gateway rejects a request lacking a parameter a method requires, before the service sees it
    validator = at_address(ApiGatewayRequestValidator, scope, "this", rest_api_id=rest_api.id,
                   name="${var.resource_prefix}validate-parameters${var.resource_suffix}",
                   validate_request_parameters=True, validate_request_body=False)
    proxy_method = at_address(ApiGatewayMethod, scope, "this", http_method="ANY", resource_id=proxy.id,
                      rest_api_id=rest_api.id, authorization="NONE",
                      api_key_required=boolean("var.api_basic_auth"),
                      request_parameters={"method.request.path.proxy": True},
                      request_validator_id=validator.id)
    status_method = at_address(ApiGatewayMethod, scope, "db", http_method="GET", resource_id=schema_status.id,
                       rest_api_id=rest_api.id, authorization="NONE",
                       api_key_required=boolean("var.api_basic_auth"),
                       request_validator_id=validator.id)
    proxy_integration = at_address(
        ApiGatewayIntegration, scope, "this",
        rest_api_id=rest_api.id, resource_id=proxy.id, http_method=proxy_method.http_method,
        request_parameters={"integration.request.path.proxy": "method.request.path.proxy"},
        type="HTTP_PROXY", uri=f"http://{lb.dns_name}/{{proxy}}", integration_http_method="ANY",
        passthrough_behavior="WHEN_NO_MATCH", connection_type="VPC_LINK", connection_id=vpc_link.id,
    )
    status_integration = at_address(
        ApiGatewayIntegration, scope, "db",
        rest_api_id=rest_api.id, resource_id=schema_status.id, http_method=status_method.http_method,
        type="HTTP_PROXY", uri=f"http://{lb.dns_name}:{MIGRATION_PORT}/db_schema_status", integration_http_method="GET",
        passthrough_behavior="WHEN_NO_MATCH", connection_type="VPC_LINK", connection_id=vpc_link.id,
    )
    at_address(ApiGatewayIntegrationResponse, scope, "this", rest_api_id=rest_api.id, resource_id=proxy.id,
       http_method=proxy_method.http_method, status_code="200", depends_on=[proxy_integration])
    for name, resource, method, integration in (
        ("this", proxy, proxy_method, proxy_integration),
        ("db", schema_status, status_method, status_integration),
    ):
        at_address(ApiGatewayMethodResponse, scope, name, rest_api_id=rest_api.id, resource_id=resource.id,
           http_method=method.http_method, status_code="200", depends_on=[integration])

    deployment = at_address(
        ApiGatewayDeployment, scope, "this",
        rest_api_id=rest_api.id,
        # API Gateway refuses to deploy a method without its integration ("No integration defined
        # for method"), and a deployment made before a method misses it until the next one
        depends_on=[proxy_method, proxy_integration, status_method, status_integration],
        lifecycle=TerraformResourceLifecycle(create_before_destroy=True),
    )
    stage = at_address(ApiGatewayStage, scope, "this", deployment_id=deployment.id, rest_api_id=rest_api.id,
               stage_name="${local.api_gateway_stage_name}",
               # X-Ray's default sampling: the first request each second and 5% of the others
               xray_tracing_enabled=True,
               tags=standard_tags())
    at_address(ApiGatewayApiKey, scope, "this", count=basic_auth,
       name="${local.api_gateway_key_name}", tags=standard_tags())
    at_address(ApiGatewayUsagePlan, scope, "this", count=basic_auth,
       name="${local.api_gateway_usage_plan_name}",
       api_stages=[ApiGatewayUsagePlanApiStages(api_id=rest_api.id, stage=stage.stage_name)],
       tags=standard_tags())
    at_address(ApiGatewayUsagePlanKey, scope, "this", count=basic_auth,
       key_id="${aws_api_gateway_api_key.this[0].id}", key_type="API_KEY",
       usage_plan_id="${aws_api_gateway_usage_plan.this[0].id}")
    return rest_api


def _db_migrate_lambda(scope, lb, security_group):
    role = role_for(scope, "lambda_ecs_execute_role", ["lambda.amazonaws.com"], trust_policy="lambda_ecs_execute_role",
                    name="${local.lambda_ecs_execute_role_name}", tags=standard_tags())
    cloudwatch = at_address(DataAwsIamPolicyDocument, scope, "lambda_ecs_task_execute_policy_cloudwatch", statement=[
        DataAwsIamPolicyDocumentStatement(sid="CreateLogGroup", effect="Allow", actions=["logs:CreateLogGroup"],
                                          resources=["${local.cloudwatch_logs_arn_prefix}:*"]),
        DataAwsIamPolicyDocumentStatement(
            sid="LogEvents", effect="Allow", actions=["logs:PutLogEvents", "logs:CreateLogStream"],
            resources=["${local.cloudwatch_logs_arn_prefix}:log-group:/aws/lambda/${local.db_migrate_lambda_name}:*"]),
    ])
    # Lambda attaches the function to its subnets with these, as the function's role. Upstream
    # allows them on any interface, subnet and group; the function needs its own two subnets and
    # its one group. Describing cannot be narrowed (EC2 has no resource for it).
    vpc = at_address(DataAwsIamPolicyDocument, scope, "lambda_ecs_task_execute_policy_vpc", statement=[
        DataAwsIamPolicyDocumentStatement(
            sid="NetInts", effect="Allow", actions=["ec2:CreateNetworkInterface"],
            resources=[arn("ec2", "network-interface/*"), arn("ec2", "subnet/${var.subnet1_id}"),
                       arn("ec2", "subnet/${var.subnet2_id}"), arn("ec2", f"security-group/{security_group.id}")]),
        DataAwsIamPolicyDocumentStatement(
            sid="DeleteNetInts", effect="Allow", actions=["ec2:DeleteNetworkInterface"],
            resources=[arn("ec2", "network-interface/*")]),
        DataAwsIamPolicyDocumentStatement(
            sid="DescribeNetInts", effect="Allow", actions=["ec2:DescribeNetworkInterfaces"], resources=["*"]),
    ])
    # X-Ray has no resources to name: its write actions are allowed on "*" or not at all
    xray = at_address(DataAwsIamPolicyDocument, scope, "lambda_ecs_task_execute_policy_xray", statement=[
        DataAwsIamPolicyDocumentStatement(sid="Traces", effect="Allow",
                                          actions=["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
                                          resources=["*"]),
    ])
    at_address(IamRolePolicy, scope, "grant_lambda_ecs_cloudwatch", name="cloudwatch", role=role.name,
               policy=cloudwatch.json)
    vpc_grant = at_address(IamRolePolicy, scope, "grant_lambda_ecs_vpc", name="ecs_task_execute", role=role.name,
                   policy=vpc.json)
    xray_grant = at_address(IamRolePolicy, scope, "grant_lambda_ecs_xray", name="xray", role=role.name,
                            policy=xray.json)

    # The handler's text is embedded so the synthesized module needs no file beside it.
    archive = at_address(
        DataArchiveFile, scope, "db_migrate_lambda",
        type="zip", output_file_mode="0666", output_path="${local.db_migrate_lambda_zip_file}",
        source=[DataArchiveFileSource(content=literal(DB_MIGRATE_HANDLER.read_text()), filename="index.py")],
    )
    return at_address(
        LambdaFunction, scope, "db_migrate_lambda",
        function_name="${local.db_migrate_lambda_name}",
        handler="index.handler",
        runtime="${var.db_migrate_lambda_runtime}",
        memory_size=128,
        timeout=900,
        description="Trigger DB Migration",
        filename="${local.db_migrate_lambda_zip_file}",
        source_code_hash=archive.output_base64_sha256,
        role=role.arn,
        tags=standard_tags(),
        environment=LambdaFunctionEnvironment(variables={"MD_LB_ADDRESS": f"http://{lb.dns_name}:{MIGRATION_PORT}"}),
        vpc_config=LambdaFunctionVpcConfig(subnet_ids=["${var.subnet1_id}", "${var.subnet2_id}"],
                                           security_group_ids=[security_group.id]),
        tracing_config=LambdaFunctionTracingConfig(mode="Active"),
        # Lambda refuses the function until its role may attach it to the VPC and send traces
        depends_on=[vpc_grant, xray_grant],
    )
