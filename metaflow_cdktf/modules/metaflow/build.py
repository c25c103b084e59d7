"""`metaflow`'s resources: the calls of the other modules, the Batch task role, the optional ECR
repository, and the profile JSON `metaflow configure import` reads."""

from __future__ import annotations

import json

from cdktf import Precondition, TerraformResourceLifecycle
from cdktf_cdktf_provider_aws.data_aws_iam_policy_document import (
    DataAwsIamPolicyDocument,
)
from cdktf_cdktf_provider_aws.data_aws_iam_policy_document import (
    DataAwsIamPolicyDocumentStatement as Statement,
)
from cdktf_cdktf_provider_aws.data_aws_iam_policy_document import (
    DataAwsIamPolicyDocumentStatementCondition as Condition,
)
from cdktf_cdktf_provider_aws.ecr_repository import EcrRepository
from cdktf_cdktf_provider_aws.iam_role_policy import IamRolePolicy

from metaflow_cdktf.modules.common.spec import (
    METADATA_SERVICE_IMAGE_WITHOUT_TLS,
    NEWEST_METADATA_SERVICE_CONTAINER_IMAGE,
)
from metaflow_cdktf.modules.common.spec import SPEC as COMMON_SPEC
from metaflow_cdktf.modules.computation.spec import SPEC as COMPUTATION_SPEC
from metaflow_cdktf.modules.datastore.spec import SPEC as DATASTORE_SPEC
from metaflow_cdktf.modules.metadata_service.spec import SPEC as METADATA_SERVICE_SPEC
from metaflow_cdktf.modules.metaflow.spec import SPEC
from metaflow_cdktf.modules.step_functions.spec import SPEC as STEP_FUNCTIONS_SPEC
from metaflow_cdktf.modules.ui.spec import SPEC as UI_SPEC
from metaflow_cdktf.synthesis.aws import (
    current_account_and_region,
    deny_presigned_urls,
    execution_role_statements,
    name_from_affixes,
    role_for,
    use_datastore_key,
)
from metaflow_cdktf.synthesis.building import at_address, call_module, expr, local, number, string_map

# The names of the module calls, upstream's.
DATASTORE = "metaflow-datastore"
METADATA_SERVICE = "metaflow-metadata-service"
UI = "metaflow-ui"
COMPUTATION = "metaflow-computation"
STEP_FUNCTIONS = "metaflow-step-functions"
COMMON = "metaflow-common"

CUSTOM_REGISTRY = "var.enable_custom_batch_container_registry"
BATCH_IMAGE_URL = "aws_ecr_repository.metaflow_batch_image[0].repository_url"

# The ARN pattern of the SageMaker objects Batch tasks may create and use.
SAGEMAKER_ARN = "arn:${var.iam_partition}:sagemaker:${local.aws_region}:${local.aws_account_id}:"


def output_of(module: str, name: str) -> str:
    """A reference to output `name` of the submodule called `module`."""
    return "${module." + module + "." + name + "}"


@SPEC.builds
def build(scope):
    call_module(scope, COMMON, COMMON_SPEC)
    current_account_and_region(scope)
    _locals(scope)
    _submodules(scope, _services_execution_role(scope))
    task_role = _batch_task_role(scope)
    _batch_image_registry(scope)

    return {
        "METAFLOW_BATCH_JOB_QUEUE": output_of(COMPUTATION, "METAFLOW_BATCH_JOB_QUEUE"),
        "METAFLOW_DATASTORE_SYSROOT_S3": output_of(DATASTORE, "METAFLOW_DATASTORE_SYSROOT_S3"),
        "METAFLOW_DATATOOLS_S3ROOT": output_of(DATASTORE, "METAFLOW_DATATOOLS_S3ROOT"),
        "METAFLOW_ECS_S3_ACCESS_IAM_ROLE": task_role.arn,
        "METAFLOW_EVENTS_SFN_ACCESS_IAM_ROLE": output_of(STEP_FUNCTIONS, "metaflow_eventbridge_role_arn"),
        "METAFLOW_SERVICE_INTERNAL_URL": output_of(METADATA_SERVICE, "METAFLOW_SERVICE_INTERNAL_URL"),
        "METAFLOW_SERVICE_URL": output_of(METADATA_SERVICE, "METAFLOW_SERVICE_URL"),
        "METAFLOW_SFN_DYNAMO_DB_TABLE": output_of(STEP_FUNCTIONS, "metaflow_step_functions_dynamodb_table_name"),
        "METAFLOW_SFN_IAM_ROLE": output_of(STEP_FUNCTIONS, "metaflow_step_functions_role_arn"),
        "api_gateway_rest_api_id_key_id": output_of(METADATA_SERVICE, "api_gateway_rest_api_id_key_id"),
        "datastore_s3_bucket_kms_key_arn": output_of(DATASTORE, "datastore_s3_bucket_kms_key_arn"),
        "metadata_svc_ecs_task_role_arn": output_of(METADATA_SERVICE, "metadata_svc_ecs_task_role_arn"),
        "metaflow_api_gateway_rest_api_id": output_of(METADATA_SERVICE, "api_gateway_rest_api_id"),
        "metaflow_batch_container_image": expr(f'{CUSTOM_REGISTRY} ? {BATCH_IMAGE_URL} : ""'),
        "metaflow_profile_json": expr(_profile_json()),
        "metaflow_s3_bucket_name": output_of(DATASTORE, "s3_bucket_name"),
        "metaflow_s3_bucket_arn": output_of(DATASTORE, "s3_bucket_arn"),
        "migration_function_arn": output_of(METADATA_SERVICE, "migration_function_arn"),
        "ui_alb_dns_name": output_of(UI, "alb_dns_name"),
        "ui_alb_arn": output_of(UI, "alb_arn"),
        "batch_compute_environment_security_group_id": output_of(
            COMPUTATION, "batch_compute_environment_security_group_id"),
    }


def _locals(scope):
    # The submodules append and prepend these as they are, so the dash comes with a non-empty affix.
    local(scope, "resource_prefix", expr('length(var.resource_prefix) > 0 ? "${var.resource_prefix}-" : ""'))
    local(scope, "resource_suffix", expr('length(var.resource_suffix) > 0 ? "-${var.resource_suffix}" : ""'))
    local(scope, "aws_region", "${data.aws_region.current.name}")
    local(scope, "aws_account_id", "${data.aws_caller_identity.current.account_id}")
    local(scope, "batch_s3_task_role_name", "${local.resource_prefix}batch_s3_task_role${local.resource_suffix}")
    local(scope, "metaflow_batch_image_name", "${local.resource_prefix}batch${local.resource_suffix}")
    local(scope, "metadata_service_container_image",
          _unless_empty("var.metadata_service_container_image", "default_metadata_service_container_image"))
    local(scope, "ui_static_container_image",
          _unless_empty("var.ui_static_container_image", "default_ui_static_container_image"))
    local(scope, "services_execution_role_name",
          "${local.resource_prefix}services-execution-role${local.resource_suffix}")
    local(scope, "db_engine_major_version", expr('try(tonumber(regex("^[0-9]+", var.db_engine_version)), 0)'))
    local(scope, "metadata_service_image_without_tls", expr(
        f"can(regex({json.dumps(METADATA_SERVICE_IMAGE_WITHOUT_TLS)}, local.metadata_service_container_image))"))


def _unless_empty(variable: str, common_default: str) -> str:
    """`variable`, or the `common` module's default image when it is left empty."""
    return expr(f'{variable} == "" ? module.{COMMON}.{common_default} : {variable}')


def _submodules(scope, services_execution_role):
    """The five parts of the stack; each one's outputs feed the others' inputs. Every call is
    checked against the callee's spec when it is built."""
    def var(name):
        return expr(f"var.{name}")

    affixes = {"resource_prefix": "${local.resource_prefix}", "resource_suffix": "${local.resource_suffix}"}
    subnets = {"subnet1_id": var("subnet1_id"), "subnet2_id": var("subnet2_id")}
    database = {name: output_of(DATASTORE, name) for name in (
        "database_name", "database_password", "database_username", "datastore_s3_bucket_kms_key_arn",
        "rds_master_instance_endpoint", "s3_bucket_arn")}
    services_common = {
        **affixes, **subnets, **database,
        "ecs_cluster_settings": var("ecs_cluster_settings"),
        "load_balancer_name_prefix": var("load_balancer_name_prefix"),
        "fargate_execution_role_arn": services_execution_role.arn,
        "iam_partition": var("iam_partition"),
        "metaflow_vpc_id": var("vpc_id"),
        "standard_tags": var("tags"),
    }
    metadata_service_security_group = output_of(METADATA_SERVICE, "metadata_service_security_group_id")

    call_module(scope, DATASTORE, DATASTORE_SPEC, {
        **affixes, **subnets,
        "metadata_service_security_group_id": metadata_service_security_group,
        "metaflow_vpc_id": var("vpc_id"),
        **{name: var(name) for name in (
            "db_identifier_prefix", "db_instance_type", "db_engine_version", "apply_immediately",
            "maintenance_window", "ca_cert_identifier", "db_instance_tags", "s3_bucket_name",
            "bucket_key_enabled")},
        "standard_tags": var("tags"),
    })
    call_module(scope, METADATA_SERVICE, METADATA_SERVICE_SPEC, {
        **services_common,
        **{name: var(name) for name in (
            "access_list_cidr_blocks", "api_basic_auth", "db_migrate_lambda_zip_file",
            "db_migrate_lambda_runtime", "vpc_cidr_blocks", "with_public_ip")},
        "metadata_service_container_image": "${local.metadata_service_container_image}",
    })
    call_module(scope, UI, UI_SPEC, {
        **services_common,
        # the UI backend runs the metadata service's image
        "ui_backend_container_image": "${local.metadata_service_container_image}",
        "ui_static_container_image": "${local.ui_static_container_image}",
        "alb_internal": var("ui_alb_internal"),
        "ui_allow_list": var("ui_allow_list"),
        "cognito_user_pool_arn": var("ui_cognito_user_pool_arn"),
        "cognito_user_pool_client_id": var("ui_cognito_user_pool_client_id"),
        "cognito_user_pool_domain": var("ui_cognito_user_pool_domain"),
        "METAFLOW_DATASTORE_SYSROOT_S3": output_of(DATASTORE, "METAFLOW_DATASTORE_SYSROOT_S3"),
        "certificate_arn": var("ui_certificate_arn"),
        "metadata_service_security_group_id": metadata_service_security_group,
        "extra_ui_static_env_vars": var("extra_ui_static_env_vars"),
        "extra_ui_backend_env_vars": var("extra_ui_backend_env_vars"),
    })
    _keep_state_of_formerly_counted_ui(scope)
    call_module(scope, COMPUTATION, COMPUTATION_SPEC, {
        **affixes, **subnets,
        **{name: var(name) for name in (
            "batch_cluster_name", "batch_type", "compute_environment_desired_vcpus",
            "compute_environment_instance_types", "compute_environment_max_vcpus",
            "compute_environment_min_vcpus", "compute_environment_egress_cidr_blocks", "iam_partition",
            "launch_template_http_endpoint", "launch_template_http_tokens",
            "launch_template_http_put_response_hop_limit")},
        "metaflow_vpc_id": var("vpc_id"),
        "standard_tags": var("tags"),
    })
    call_module(scope, STEP_FUNCTIONS, STEP_FUNCTIONS_SPEC, {
        **affixes,
        "active": var("enable_step_functions"),
        "batch_job_queue_arn": output_of(COMPUTATION, "METAFLOW_BATCH_JOB_QUEUE"),
        "iam_partition": var("iam_partition"),
        "s3_bucket_arn": output_of(DATASTORE, "s3_bucket_arn"),
        "s3_bucket_kms_arn": output_of(DATASTORE, "datastore_s3_bucket_kms_key_arn"),
        "standard_tags": var("tags"),
    })


def _keep_state_of_formerly_counted_ui(scope):
    """The UI module once had a count: state written then names it `module.metaflow-ui[0]`."""
    # cdktf has no construct for a `moved` block, so it is written into the stack's JSON directly.
    scope.add_override("moved", [{"from": f"module.{UI}[0]", "to": f"module.{UI}"}])


# --- The role the services' tasks start with ---------------------------------------------

# PostgreSQL 15 and later refuse connections without TLS on RDS (rds.force_ssl = 1 in their default
# parameter group), and metadata service images before v2.4.4 connect without it.
DATABASE_REFUSES_IMAGE = "local.db_engine_major_version >= 15 && local.metadata_service_image_without_tls"
DATABASE_REFUSES_IMAGE_MESSAGE = (
    "PostgreSQL 15 and later (db_engine_version) accept only TLS connections, which metadata service images "
    f"before v2.4.4 do not make: pass metadata_service_container_image = \"{NEWEST_METADATA_SERVICE_CONTAINER_IMAGE}\" "
    "(or another v2.4.4 or later), or a db_engine_version below 15."
)


def _services_execution_role(scope):
    """The execution role the metadata service and the UI start their tasks with.

    Upstream passes computation's execution role, which is also the profile's
    METAFLOW_ECS_FARGATE_EXECUTION_ROLE: every Fargate Batch job could name the database password's
    parameter among its secrets. With a role of their own, only the two services can (each module
    grants its role that one parameter). The role also refuses, at plan time, an image that cannot
    connect to the database version asked for.
    """
    role = role_for(scope, "services_execution_role", ["ecs-tasks.amazonaws.com"],
                    trust_policy="services_execution_role_assume_role",
                    name="${local.services_execution_role_name}",
                    description="The metadata service and the UI start their tasks with this role: image pulls, "
                                "logs, and the database password",
                    tags=string_map("var.tags"),
                    lifecycle=TerraformResourceLifecycle(precondition=[Precondition(
                        condition=expr(f"!({DATABASE_REFUSES_IMAGE})"),
                        error_message=DATABASE_REFUSES_IMAGE_MESSAGE)]))
    policy = at_address(DataAwsIamPolicyDocument, scope, "services_execution_policy",
                        statement=execution_role_statements())
    at_address(IamRolePolicy, scope, "grant_services_execution", name="services_execution", role=role.name,
       policy=policy.json)
    return role


# --- The role Batch tasks run with (METAFLOW_ECS_S3_ACCESS_IAM_ROLE) ------------------


def _batch_task_role(scope):
    role = role_for(scope, "batch_s3_task_role", ["ecs-tasks.amazonaws.com"],
                    trust_policy="batch_s3_task_role_assume_role",
                    name="${local.batch_s3_task_role_name}",
                    description="Role for AWS Batch to Access Amazon S3 [METAFLOW_ECS_S3_ACCESS_IAM_ROLE]",
                    tags=string_map("var.tags"))

    documents = _batch_task_policy_documents(scope)
    for address, policy_name, document in (
        ("grant_custom_s3_list_batch", "s3_list", documents["custom_s3_list_batch"]),
        ("grant_custom_s3_batch", "custom_s3", documents["custom_s3_batch"]),
        ("grant_s3_kms", "s3_kms", documents["s3_kms"]),
        ("grant_deny_presigned_batch", "deny_presigned", documents["deny_presigned_batch"]),
        ("grant_allow_sagemaker", "sagemaker", documents["allow_sagemaker"]),
        ("grant_iam_pass_role", "iam_pass_role", documents["iam_pass_role"]),
    ):
        at_address(IamRolePolicy, scope, address, name=policy_name, role=role.name, policy=document.json)
    # the DynamoDB table only exists when Step Functions are enabled
    at_address(IamRolePolicy, scope, "grant_dynamodb", count=number("var.enable_step_functions ? 1 : 0"),
       name="dynamodb", role=role.name, policy=documents["dynamodb"].json)
    at_address(IamRolePolicy, scope, "grant_cloudwatch", name="cloudwatch", role=role.name,
       policy=documents["cloudwatch"].json)
    return role


def _batch_task_policy_documents(scope) -> dict:
    """The task role's policy documents, by their data source names."""
    bucket_arn = output_of(DATASTORE, "s3_bucket_arn")
    statements = {
        "custom_s3_list_batch": [Statement(
            sid="BucketAccessBatch", actions=["s3:ListBucket"], effect="Allow", resources=[bucket_arn])],
        "custom_s3_batch": [Statement(
            sid="ObjectAccessBatch", actions=["s3:PutObject", "s3:GetObject", "s3:DeleteObject"],
            effect="Allow", resources=[f"{bucket_arn}/*"])],
        "s3_kms": [use_datastore_key(output_of(DATASTORE, "datastore_s3_bucket_kms_key_arn"))],
        "deny_presigned_batch": [deny_presigned_urls()],
        "allow_sagemaker": [
            Statement(sid="AllowSagemakerCreate", actions=["sagemaker:CreateTrainingJob"], effect="Allow",
                      resources=[SAGEMAKER_ARN + "training-job/*"]),
            Statement(sid="AllowSagemakerDescribe", actions=["sagemaker:DescribeTrainingJob"], effect="Allow",
                      resources=[SAGEMAKER_ARN + "training-job/*"]),
            Statement(
                sid="AllowSagemakerDeploy",
                actions=["sagemaker:CreateModel", "sagemaker:CreateEndpointConfig", "sagemaker:CreateEndpoint",
                         "sagemaker:DescribeModel", "sagemaker:DescribeEndpoint", "sagemaker:InvokeEndpoint"],
                effect="Allow",
                resources=[SAGEMAKER_ARN + kind for kind in ("endpoint/*", "model/*", "endpoint-config/*")],
            ),
        ],
        # roles may be handed to SageMaker only
        "iam_pass_role": [Statement(
            sid="AllowPassRole", actions=["iam:PassRole"], effect="Allow", resources=["*"],
            condition=[Condition(test="StringEquals", values=["sagemaker.amazonaws.com"],
                                 variable="iam:PassedToService")])],
        "dynamodb": [Statement(
            sid="Items", actions=["dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:UpdateItem"], effect="Allow",
            resources=[output_of(STEP_FUNCTIONS, "metaflow_step_functions_dynamodb_table_arn")])],
        "cloudwatch": [Statement(
            sid="AllowPutLogs", actions=["logs:CreateLogStream", "logs:PutLogEvents"], effect="Allow",
            resources=["*"])],
    }
    return {name: at_address(DataAwsIamPolicyDocument, scope, name, statement=statement)
            for name, statement in statements.items()}


def _batch_image_registry(scope):
    at_address(EcrRepository, scope, "metaflow_batch_image",
       count=number(f"{CUSTOM_REGISTRY} ? 1 : 0"),
       name="${local.metaflow_batch_image_name}",
       tags=string_map("var.tags"))


# --- metaflow_profile_json: the configuration `metaflow configure import` reads ------------------


def _profile_json() -> str:
    """jsonencode() of the profile: the settings every stack has, plus those of enabled options."""
    in_module = {name: f"module.{module}.{output}" for name, (module, output) in {
        "METAFLOW_DATASTORE_SYSROOT_S3": (DATASTORE, "METAFLOW_DATASTORE_SYSROOT_S3"),
        "METAFLOW_DATATOOLS_S3ROOT": (DATASTORE, "METAFLOW_DATATOOLS_S3ROOT"),
        "METAFLOW_BATCH_JOB_QUEUE": (COMPUTATION, "METAFLOW_BATCH_JOB_QUEUE"),
    }.items()}
    always = {
        **in_module,
        "METAFLOW_ECS_S3_ACCESS_IAM_ROLE": "aws_iam_role.batch_s3_task_role.arn",
        "METAFLOW_SERVICE_URL": f"module.{METADATA_SERVICE}.METAFLOW_SERVICE_URL",
        "METAFLOW_SERVICE_INTERNAL_URL": f"module.{METADATA_SERVICE}.METAFLOW_SERVICE_INTERNAL_URL",
        "METAFLOW_SFN_IAM_ROLE": f"module.{STEP_FUNCTIONS}.metaflow_step_functions_role_arn",
        # the names of the state machines Metaflow creates start with this
        "METAFLOW_SFN_STATE_MACHINE_PREFIX": name_from_affixes("local.resource_prefix", "local.resource_suffix"),
        "METAFLOW_EVENTS_SFN_ACCESS_IAM_ROLE": f"module.{STEP_FUNCTIONS}.metaflow_eventbridge_role_arn",
        "METAFLOW_SFN_DYNAMO_DB_TABLE": f"module.{STEP_FUNCTIONS}.metaflow_step_functions_dynamodb_table_name",
        "METAFLOW_DEFAULT_DATASTORE": '"s3"',
        "METAFLOW_DEFAULT_METADATA": '"service"',
    }
    # The key itself is a secret, so the profile says how to fetch it rather than holding it.
    auth_key_hint = (
        "\"## Replace with output from 'aws apigateway get-api-key --api-key "
        f"${{module.{METADATA_SERVICE}.api_gateway_rest_api_id_key_id}} --include-value | grep value' ##\""
    )
    parts = [
        _only_if(CUSTOM_REGISTRY, {
            # an ECR repository URL is <registry>/<repository>
            "METAFLOW_BATCH_CONTAINER_REGISTRY": f'element(split("/", {BATCH_IMAGE_URL}), 0)',
            "METAFLOW_BATCH_CONTAINER_IMAGE": f'element(split("/", {BATCH_IMAGE_URL}), 1)',
        }),
        _only_if("var.api_basic_auth", {"METAFLOW_SERVICE_AUTH_KEY": auth_key_hint}),
        _only_if('var.batch_type == "fargate"', {
            "METAFLOW_ECS_FARGATE_EXECUTION_ROLE": f"module.{COMPUTATION}.ecs_execution_role_arn",
        }),
        _object(always),
    ]
    return "jsonencode(merge(\n  " + ",\n  ".join(parts) + "\n))"


def _object(entries: dict[str, str]) -> str:
    """A Terraform object constructor; the values are Terraform expressions."""
    return "{\n" + ",\n".join(f'    "{key}" = {value}' for key, value in entries.items()) + "\n  }"


def _only_if(condition: str, entries: dict[str, str]) -> str:
    """An object holding `entries` when `condition` holds, else an empty one (for merge())."""
    return f"{condition} ? {_object(entries)} : {{}}"
