"""`metaflow`: the whole Metaflow stack, composed from the other modules, plus the Batch task role and image registry."""

from __future__ import annotations

from metaflow_cdktf.interface import ModuleSpec, Output, Variable

SPEC = ModuleSpec(
    name="metaflow",
    title="Metaflow",
    description=(
        "Everything Metaflow needs on AWS in one module: the datastore, metadata service, UI, AWS Batch "
        "computation and Step Functions modules wired together, the IAM role Batch tasks run with, an "
        "optional ECR repository for the Batch image, and the `metaflow_profile_json` output to import "
        "with `metaflow configure import`."
    ),
    variables=(
        Variable("access_list_cidr_blocks", "list(string)", "List of CIDRs we want to grant access to our Metaflow Metadata Service. Usually this is our VPN's CIDR blocks.", []),
        Variable("api_basic_auth", "bool", "Enable basic auth for API Gateway? (requires key export)", True),
        Variable("batch_cluster_name", "string", "The name of the ECS cluster to use for batch processing", ""),
        Variable("batch_type", "string", "AWS Batch Compute Type ('ec2', 'fargate')", "ec2"),
        Variable("db_identifier_prefix", "string", "Identifier prefix for the RDS instance", ""),
        Variable("db_instance_type", "string", "RDS instance type to launch for PostgresQL database.", "db.t2.small"),
        Variable("db_engine_version", "string", default="11"),
        Variable("db_migrate_lambda_zip_file", "string", "Output path for the zip file containing the DB migrate lambda", None),
        Variable("db_migrate_lambda_runtime", "string", "Runtime version for the DB migrate lambda", "python3.7"),
        Variable("enable_custom_batch_container_registry", "bool", "Provisions infrastructure for custom Amazon ECR container registry if enabled", False),
        Variable("enable_step_functions", "bool", "Provisions infrastructure for step functions if enabled"),
        # untyped upstream, so Terraform accepts any value here
        Variable("resource_prefix", None, "string prefix for all resources", "metaflow"),
        Variable("resource_suffix", None, "string suffix for all resources", ""),
        Variable("compute_environment_desired_vcpus", "number", "Desired Starting VCPUs for Batch Compute Environment [0-16] for EC2 Batch Compute Environment (ignored for Fargate)", 8),
        Variable("compute_environment_instance_types", "list(string)", "The instance types for the compute environment",
                 ["c4.large", "c4.xlarge", "c4.2xlarge", "c4.4xlarge", "c4.8xlarge"]),
        Variable("compute_environment_min_vcpus", "number", "Minimum VCPUs for Batch Compute Environment [0-16] for EC2 Batch Compute Environment (ignored for Fargate)", 8),
        Variable("compute_environment_max_vcpus", "number", "Maximum VCPUs for Batch Compute Environment [16-96]", 64),
        Variable("compute_environment_egress_cidr_blocks", "list(string)", "CIDR blocks to which egress is allowed from the Batch Compute environment's security group", ["0.0.0.0/0"]),
        Variable("launch_template_http_endpoint", "string", "Whether the metadata service is available. Can be 'enabled' or 'disabled'", "enabled"),
        Variable("launch_template_http_tokens", "string", "Whether or not the metadata service requires session tokens, also referred to as Instance Metadata Service Version 2 (IMDSv2). Can be 'optional' or 'required'", "optional"),
        Variable("launch_template_http_put_response_hop_limit", "number", "The desired HTTP PUT response hop limit for instance metadata requests. Can be an integer from 1 to 64", 2),
        Variable("iam_partition", "string", "IAM Partition (Select aws-us-gov for AWS GovCloud, otherwise leave as is)", "aws"),
        Variable("metadata_service_container_image", "string", "Container image for metadata service", ""),
        Variable("ui_static_container_image", "string", "Container image for the UI frontend app", ""),
        Variable("tags", "map(string)", "aws tags"),
        Variable("db_instance_tags", "map(string)", "A map of additional tags for the DB instance", {}),
        Variable("ui_alb_internal", "bool", "Defines whether the ALB for the UI is internal", False),
        Variable("ui_cognito_user_pool_arn", "string", "The ARN of the Cognito user pool", ""),
        Variable("ui_cognito_user_pool_client_id", "string", "The ID of the Cognito user pool client", ""),
        Variable("ui_cognito_user_pool_domain", "string", "The domain of the Cognito user pool", ""),
        # the VPC to deploy into comes from the caller's own network setup
        Variable("subnet1_id", "string", "First subnet used for availability zone redundancy"),
        Variable("subnet2_id", "string", "Second subnet used for availability zone redundancy"),
        Variable("vpc_cidr_blocks", "list(string)", "The VPC CIDR blocks that we'll access list on our Metadata Service API to allow all internal communications"),
        Variable("vpc_id", "string", "The id of the single VPC we stood up for all Metaflow resources to exist in."),
        Variable("ui_certificate_arn", "string", "SSL certificate for UI."),
        Variable("ui_allow_list", "list(string)", "List of CIDRs we want to grant access to our Metaflow UI Service. Usually this is our VPN's CIDR blocks.", []),
        Variable("extra_ui_backend_env_vars", "map(string)", "Additional environment variables for UI backend container", {}),
        Variable("extra_ui_static_env_vars", "map(string)", "Additional environment variables for UI static app", {}),
        Variable("with_public_ip", "bool", "Enable public IP assignment for the Metadata Service. Typically you want this to be set to true if using public subnets as subnet1_id and subnet2_id, and false otherwise", False),
        Variable("ca_cert_identifier", "string", "RDS CA cert identifier for the DB Instances, or leave blank for RDS default", ""),
        Variable("apply_immediately", "bool", "Apply RDS modifications immediately, or wait for Maintenance Window", False),
        Variable("maintenance_window", "string", 'Maintenance Window in format "ddd:hh24:mi-ddd:hh24:mi" eg. "Mon:00:00-Mon:03:00", or leave blank to randomise', ""),
        Variable("bucket_key_enabled", "bool", "Whether or not to use Amazon S3 Bucket Keys for SSE-KMS", False),
        Variable("s3_bucket_name", "string", "The name of the S3 bucket used for Metaflow datastore", ""),
        Variable("load_balancer_name_prefix", "string", "Prefix for all load balancer names", ""),
        Variable("ecs_cluster_settings", "map(string)", "Settings for the ECS cluster", {}),
    ),
    outputs=(
        Output("METAFLOW_BATCH_JOB_QUEUE", "AWS Batch Job Queue ARN for Metaflow"),
        Output("METAFLOW_DATASTORE_SYSROOT_S3", "Amazon S3 URL for Metaflow DataStore"),
        Output("METAFLOW_DATATOOLS_S3ROOT", "Amazon S3 URL for Metaflow DataTools"),
        Output("METAFLOW_ECS_S3_ACCESS_IAM_ROLE", "Role for AWS Batch to Access Amazon S3"),
        Output("METAFLOW_EVENTS_SFN_ACCESS_IAM_ROLE", "IAM role for Amazon EventBridge to access AWS Step Functions."),
        Output("METAFLOW_SERVICE_INTERNAL_URL", "URL for Metadata Service (Accessible in VPC)"),
        # upstream's description, although this is the API Gateway URL, open beyond the VPC
        Output("METAFLOW_SERVICE_URL", "URL for Metadata Service (Accessible in VPC)"),
        Output("METAFLOW_SFN_DYNAMO_DB_TABLE", "AWS DynamoDB table name for tracking AWS Step Functions execution metadata."),
        Output("METAFLOW_SFN_IAM_ROLE", "IAM role for AWS Step Functions to access AWS resources (AWS Batch, AWS DynamoDB)."),
        Output("api_gateway_rest_api_id_key_id", "API Gateway Key ID for Metadata Service. Fetch Key from AWS Console [METAFLOW_SERVICE_AUTH_KEY]"),
        Output("datastore_s3_bucket_kms_key_arn", "The ARN of the KMS key used to encrypt the Metaflow datastore S3 bucket"),
        Output("metadata_svc_ecs_task_role_arn"),
        Output("metaflow_api_gateway_rest_api_id", "The ID of the API Gateway REST API we'll use to accept MetaData service requests to forward to the Fargate API instance"),
        Output("metaflow_batch_container_image", "The ECR repo containing the metaflow batch image"),
        Output("metaflow_profile_json", "Metaflow profile JSON object that can be used to communicate with this Metaflow Stack. Store this in `~/.metaflow/config_[stack-name]` and select with `$ export METAFLOW_PROFILE=[stack-name]`."),
        Output("metaflow_s3_bucket_name", "The name of the bucket we'll be using as blob storage"),
        Output("metaflow_s3_bucket_arn", "The ARN of the bucket we'll be using as blob storage"),
        Output("migration_function_arn", "ARN of DB Migration Function"),
        Output("ui_alb_dns_name", "UI ALB DNS name"),
        Output("ui_alb_arn", "UI ALB ARN"),
        Output("batch_compute_environment_security_group_id", "The ID of the security group attached to the Batch Compute environment."),
    ),
    required_providers={"aws": {"source": "hashicorp/aws", "version": ">= 3.38.0"}},
    required_version=">= 0.13",
    build="modules.metaflow:build",
)

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


def build(scope):
    from metaflow_cdktf.aws import current_account_and_region
    from metaflow_cdktf.building import expr, submodule

    submodule(scope, COMMON, "../common")
    current_account_and_region(scope)
    _locals(scope)
    _submodules(scope)
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
    from metaflow_cdktf.building import expr, local

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


def _unless_empty(variable: str, common_default: str) -> str:
    """`variable`, or the `common` module's default image when it is left empty."""
    from metaflow_cdktf.building import expr

    return expr(f'{variable} == "" ? module.{COMMON}.{common_default} : {variable}')


def _submodules(scope):
    """The five parts of the stack; each one's outputs feed the others' inputs."""
    from metaflow_cdktf.building import expr, submodule

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
        "fargate_execution_role_arn": output_of(COMPUTATION, "ecs_execution_role_arn"),
        "iam_partition": var("iam_partition"),
        "metaflow_vpc_id": var("vpc_id"),
        "standard_tags": var("tags"),
    }
    metadata_service_security_group = output_of(METADATA_SERVICE, "metadata_service_security_group_id")

    submodule(scope, DATASTORE, "../datastore", {
        **affixes, **subnets,
        "metadata_service_security_group_id": metadata_service_security_group,
        "metaflow_vpc_id": var("vpc_id"),
        **{name: var(name) for name in (
            "db_identifier_prefix", "db_instance_type", "db_engine_version", "apply_immediately",
            "maintenance_window", "ca_cert_identifier", "db_instance_tags", "s3_bucket_name",
            "bucket_key_enabled")},
        "standard_tags": var("tags"),
    })
    submodule(scope, METADATA_SERVICE, "../metadata-service", {
        **services_common,
        **{name: var(name) for name in (
            "access_list_cidr_blocks", "api_basic_auth", "db_migrate_lambda_zip_file",
            "db_migrate_lambda_runtime", "vpc_cidr_blocks", "with_public_ip")},
        "metadata_service_container_image": "${local.metadata_service_container_image}",
    })
    submodule(scope, UI, "../ui", {
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
    submodule(scope, COMPUTATION, "../computation", {
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
    submodule(scope, STEP_FUNCTIONS, "../step-functions", {
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


# --- The role Batch tasks run with (METAFLOW_ECS_S3_ACCESS_IAM_ROLE) ------------------


def _batch_task_role(scope):
    from metaflow_cdktf.aws import assume_role_policy
    from metaflow_cdktf.building import at, number, string_map
    from cdktf_cdktf_provider_aws.iam_role import IamRole
    from cdktf_cdktf_provider_aws.iam_role_policy import IamRolePolicy

    assume = assume_role_policy(scope, "batch_s3_task_role_assume_role", "ecs-tasks.amazonaws.com")
    role = at(IamRole, scope, "batch_s3_task_role",
              name="${local.batch_s3_task_role_name}",
              description="Role for AWS Batch to Access Amazon S3 [METAFLOW_ECS_S3_ACCESS_IAM_ROLE]",
              assume_role_policy=assume.json,
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
        at(IamRolePolicy, scope, address, name=policy_name, role=role.name, policy=document.json)
    # the DynamoDB table only exists when Step Functions are enabled
    at(IamRolePolicy, scope, "grant_dynamodb", count=number("var.enable_step_functions ? 1 : 0"),
       name="dynamodb", role=role.name, policy=documents["dynamodb"].json)
    at(IamRolePolicy, scope, "grant_cloudwatch", name="cloudwatch", role=role.name,
       policy=documents["cloudwatch"].json)
    return role


def _batch_task_policy_documents(scope) -> dict:
    """The task role's policy documents, by their data source names."""
    from metaflow_cdktf.aws import deny_presigned_urls, use_datastore_key
    from metaflow_cdktf.building import at
    from cdktf_cdktf_provider_aws.data_aws_iam_policy_document import (
        DataAwsIamPolicyDocument,
        DataAwsIamPolicyDocumentStatement as Statement,
        DataAwsIamPolicyDocumentStatementCondition as Condition,
    )

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
    return {name: at(DataAwsIamPolicyDocument, scope, name, statement=statement)
            for name, statement in statements.items()}


def _batch_image_registry(scope):
    from metaflow_cdktf.building import at, number, string_map
    from cdktf_cdktf_provider_aws.ecr_repository import EcrRepository

    at(EcrRepository, scope, "metaflow_batch_image",
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
        "METAFLOW_SFN_STATE_MACHINE_PREFIX": 'replace("${local.resource_prefix}${local.resource_suffix}", "--", "-")',
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
