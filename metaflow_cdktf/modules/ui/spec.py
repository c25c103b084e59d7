"""`ui`'s interface."""

from __future__ import annotations

from metaflow_cdktf.interface import ModuleSpec, Output, Variable
from metaflow_cdktf.modules.shared import (
    AWS_FROM_4_67,
    DATABASE_NAME,
    DATABASE_PASSWORD,
    DATABASE_USERNAME,
    DATASTORE_S3_BUCKET_KMS_KEY_ARN,
    EACH_IPV4_CIDR_BLOCK,
    ECS_CLUSTER_SETTINGS,
    IAM_PARTITION,
    IS_CERTIFICATE_ARN,
    IS_COGNITO_USER_POOL_ARN_OR_EMPTY,
    IS_GOV,
    IS_IAM_ROLE_ARN,
    IS_S3_BUCKET_ARN,
    IS_SECURITY_GROUP_ID,
    IS_VPC_ID,
    LOAD_BALANCER_NAME_PREFIX,
    PRIVATE_SUBNET1_ID,
    PRIVATE_SUBNET2_ID,
    RDS_MASTER_INSTANCE_ENDPOINT,
    RESOURCE_PREFIX,
    RESOURCE_SUFFIX,
    STANDARD_TAGS,
)

# Passed through by the root module as they are declared here.
EXTRA_UI_BACKEND_ENV_VARS = Variable(
    "extra_ui_backend_env_vars", "map(string)", "Additional environment variables for UI backend container", {})
EXTRA_UI_STATIC_ENV_VARS = Variable(
    "extra_ui_static_env_vars", "map(string)", "Additional environment variables for UI static app", {})
# The Cognito user pool that authenticates the UI's users, when one is given; the root module
# passes these through under a `ui_` prefix.
COGNITO = (
    Variable("cognito_user_pool_arn", "string", "The ARN of the Cognito user pool", "",
             rules=(IS_COGNITO_USER_POOL_ARN_OR_EMPTY,)),
    Variable("cognito_user_pool_client_id", "string", "The ID of the Cognito user pool client", ""),
    Variable("cognito_user_pool_domain", "string", "The domain of the Cognito user pool", ""),
)
UI_STATIC_CONTAINER_IMAGE = Variable(
    "ui_static_container_image", "string", "Container image for the UI frontend app", "")

# Re-exported by the root module under other names.
ALB_DNS_NAME = Output("alb_dns_name", "UI ALB DNS name")
ALB_ARN = Output("alb_arn", "UI ALB ARN")

SPEC = ModuleSpec(
    name="ui",
    title="UI",
    description=(
        "The Metaflow operational UI as a set of Fargate tasks behind an AWS ALB, connected to an existing "
        "RDS instance (such as the one the `datastore` module creates). Access is limited to the CIDRs in "
        "`ui_allow_list`, optionally behind Cognito authentication."
    ),
    variables=(
        DATABASE_NAME,
        DATABASE_PASSWORD,
        DATABASE_USERNAME,
        DATASTORE_S3_BUCKET_KMS_KEY_ARN,
        Variable("fargate_execution_role_arn", "string",
                 "This role allows Fargate to pull container images and logs. We'll use it as execution_role for "
                 "our Fargate task", rules=(IS_IAM_ROLE_ARN,)),
        IAM_PARTITION,
        IS_GOV,
        Variable("metaflow_vpc_id", "string", "VPC to deploy services into", rules=(IS_VPC_ID,)),
        RESOURCE_PREFIX,
        RESOURCE_SUFFIX,
        RDS_MASTER_INSTANCE_ENDPOINT,
        Variable("s3_bucket_arn", "string", "The ARN of the bucket used for Metaflow datastore",
                 rules=(IS_S3_BUCKET_ARN,)),
        Variable("METAFLOW_DATASTORE_SYSROOT_S3", "string", "METAFLOW_DATASTORE_SYSROOT_S3 value"),
        STANDARD_TAGS,
        PRIVATE_SUBNET1_ID,
        PRIVATE_SUBNET2_ID,
        Variable("certificate_arn", "string",
                 "SSL certificate ARN. The certificate will be used by the UI load balancer.",
                 rules=(IS_CERTIFICATE_ARN,)),
        Variable("metadata_service_security_group_id", "string",
                 "The security group ID used by the MetaData service. This security group should allow connections "
                 "to the RDS instance.", rules=(IS_SECURITY_GROUP_ID,)),
        EXTRA_UI_BACKEND_ENV_VARS,
        EXTRA_UI_STATIC_ENV_VARS,
        Variable("ui_backend_container_image", "string", "Container image for UI backend", ""),
        UI_STATIC_CONTAINER_IMAGE,
        Variable("ui_allow_list", "list(string)", "A list of CIDRs the UI will be available to", [],
                 rules=(EACH_IPV4_CIDR_BLOCK,)),
        Variable("alb_internal", "bool", "Defines whether the ALB is internal", False),
        *COGNITO,
        LOAD_BALANCER_NAME_PREFIX,
        ECS_CLUSTER_SETTINGS,
    ),
    outputs=(ALB_DNS_NAME, ALB_ARN),
    required_providers={"aws": AWS_FROM_4_67},
    required_version=">= 0.13",
)
