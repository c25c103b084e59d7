"""`metaflow`'s interface: upstream's root module. Many of its variables are a submodule's,
passed through (some with a default the submodule leaves out); many outputs are a
submodule's, re-exported under the same name or another."""

from __future__ import annotations

import dataclasses

from metaflow_cdktf.interface import ModuleSpec, Output, Variable
from metaflow_cdktf.modules.computation import spec as computation
from metaflow_cdktf.modules.datastore import spec as datastore
from metaflow_cdktf.modules.metadata_service import spec as metadata_service
from metaflow_cdktf.modules.shared import (
    AWS_FROM_5_40,
    EACH_IPV4_CIDR_BLOCK,
    ECS_CLUSTER_SETTINGS,
    IAM_PARTITION,
    IS_CERTIFICATE_ARN,
    IS_VPC_ID,
    LOAD_BALANCER_NAME_PREFIX,
    SUBNET1_ID,
    SUBNET2_ID,
)
from metaflow_cdktf.modules.step_functions import spec as step_functions
from metaflow_cdktf.modules.ui import spec as ui


def _with_ui_prefix(variable: Variable) -> Variable:
    """The ui module's variable, as the root module takes it to pass it on: under a `ui_` prefix."""
    return dataclasses.replace(variable, name=f"ui_{variable.name}")


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
        metadata_service.ACCESS_LIST_CIDR_BLOCKS.with_default([]),
        metadata_service.API_BASIC_AUTH,
        computation.BATCH_CLUSTER_NAME,
        computation.BATCH_TYPE,
        datastore.DB_IDENTIFIER_PREFIX,
        datastore.DB_INSTANCE_TYPE,
        datastore.DB_ENGINE_VERSION,
        metadata_service.DB_MIGRATE_LAMBDA_ZIP_FILE,
        metadata_service.DB_MIGRATE_LAMBDA_RUNTIME,
        Variable("enable_custom_batch_container_registry", "bool",
                 "Provisions infrastructure for custom Amazon ECR container registry if enabled", False),
        Variable("enable_step_functions", "bool", "Provisions infrastructure for step functions if enabled"),
        # untyped upstream, so Terraform accepts any value here
        Variable("resource_prefix", None, "string prefix for all resources", "metaflow"),
        Variable("resource_suffix", None, "string suffix for all resources", ""),
        computation.COMPUTE_ENVIRONMENT_DESIRED_VCPUS.with_default(8),
        Variable("compute_environment_instance_types", "list(string)", "The instance types for the compute environment",
                 ["c4.large", "c4.xlarge", "c4.2xlarge", "c4.4xlarge", "c4.8xlarge"]),
        computation.COMPUTE_ENVIRONMENT_MIN_VCPUS.with_default(8),
        computation.COMPUTE_ENVIRONMENT_MAX_VCPUS.with_default(64),
        computation.COMPUTE_ENVIRONMENT_EGRESS_CIDR_BLOCKS,
        computation.LAUNCH_TEMPLATE_HTTP_ENDPOINT,
        computation.LAUNCH_TEMPLATE_HTTP_TOKENS,
        computation.LAUNCH_TEMPLATE_HTTP_PUT_RESPONSE_HOP_LIMIT,
        IAM_PARTITION,
        metadata_service.METADATA_SERVICE_CONTAINER_IMAGE,
        ui.UI_STATIC_CONTAINER_IMAGE,
        Variable("tags", "map(string)", "aws tags"),
        datastore.DB_INSTANCE_TAGS,
        Variable("ui_alb_internal", "bool", "Defines whether the ALB for the UI is internal", False),
        *(_with_ui_prefix(variable) for variable in ui.COGNITO),
        # the VPC to deploy into comes from the caller's own network setup
        SUBNET1_ID,
        SUBNET2_ID,
        metadata_service.VPC_CIDR_BLOCKS,
        Variable("vpc_id", "string", "The id of the single VPC we stood up for all Metaflow resources to exist in.",
                 rules=(IS_VPC_ID,)),
        Variable("ui_certificate_arn", "string", "SSL certificate for UI.", rules=(IS_CERTIFICATE_ARN,)),
        Variable("ui_allow_list", "list(string)",
                 "List of CIDRs we want to grant access to our Metaflow UI Service. Usually this is our VPN's CIDR "
                 "blocks.", [], rules=(EACH_IPV4_CIDR_BLOCK,)),
        ui.EXTRA_UI_BACKEND_ENV_VARS,
        ui.EXTRA_UI_STATIC_ENV_VARS,
        metadata_service.WITH_PUBLIC_IP,
        datastore.CA_CERT_IDENTIFIER,
        datastore.APPLY_IMMEDIATELY,
        datastore.MAINTENANCE_WINDOW,
        datastore.BUCKET_KEY_ENABLED,
        datastore.S3_BUCKET_NAME_VARIABLE,
        LOAD_BALANCER_NAME_PREFIX,
        ECS_CLUSTER_SETTINGS,
    ),
    outputs=(
        computation.METAFLOW_BATCH_JOB_QUEUE,
        datastore.METAFLOW_DATASTORE_SYSROOT_S3,
        datastore.METAFLOW_DATATOOLS_S3ROOT,
        Output("METAFLOW_ECS_S3_ACCESS_IAM_ROLE", "Role for AWS Batch to Access Amazon S3"),
        step_functions.EVENTBRIDGE_ROLE_ARN.renamed("METAFLOW_EVENTS_SFN_ACCESS_IAM_ROLE"),
        metadata_service.METAFLOW_SERVICE_INTERNAL_URL,
        # upstream's description, although this is the API Gateway URL, open beyond the VPC
        Output("METAFLOW_SERVICE_URL", "URL for Metadata Service (Accessible in VPC)"),
        step_functions.DYNAMODB_TABLE_NAME.renamed("METAFLOW_SFN_DYNAMO_DB_TABLE"),
        step_functions.STEP_FUNCTIONS_ROLE_ARN.renamed("METAFLOW_SFN_IAM_ROLE"),
        metadata_service.API_GATEWAY_REST_API_ID_KEY_ID,
        datastore.DATASTORE_S3_BUCKET_KMS_KEY_ARN,
        Output("metadata_svc_ecs_task_role_arn"),
        metadata_service.API_GATEWAY_REST_API_ID.renamed("metaflow_api_gateway_rest_api_id"),
        Output("metaflow_batch_container_image", "The ECR repo containing the metaflow batch image"),
        Output("metaflow_profile_json",
               "Metaflow profile JSON object that can be used to communicate with this Metaflow Stack. Store this in "
               "`~/.metaflow/config_[stack-name]` and select with `$ export METAFLOW_PROFILE=[stack-name]`."),
        datastore.S3_BUCKET_NAME.renamed("metaflow_s3_bucket_name"),
        datastore.S3_BUCKET_ARN.renamed("metaflow_s3_bucket_arn"),
        metadata_service.MIGRATION_FUNCTION_ARN,
        ui.ALB_DNS_NAME.renamed("ui_alb_dns_name"),
        ui.ALB_ARN.renamed("ui_alb_arn"),
        computation.BATCH_COMPUTE_ENVIRONMENT_SECURITY_GROUP_ID,
    ),
    # upstream: ">= 3.38.0", but it calls computation
    required_providers={"aws": AWS_FROM_5_40},
    # upstream: ">= 0.13"; the check of the database version against the image is a precondition,
    # which Terraform reads from 1.2 on
    required_version=">= 1.2",
)
