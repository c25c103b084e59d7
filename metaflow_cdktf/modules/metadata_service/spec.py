"""`metadata-service`'s interface."""

from __future__ import annotations

from metaflow_cdktf.interface import MatchesPattern, ModuleSpec, OneOf, Output, Variable, WholeNumberBetween
from metaflow_cdktf.modules.shared import (
    DATABASE_NAME,
    DATABASE_PASSWORD,
    DATABASE_USERNAME,
    DATASTORE_S3_BUCKET_KMS_KEY_ARN,
    EACH_IP_ADDRESS_OR_CIDR_BLOCK,
    EACH_IPV4_CIDR_BLOCK,
    ECS_CLUSTER_SETTINGS,
    IAM_PARTITION,
    IS_GOV,
    IS_IAM_ROLE_ARN,
    IS_S3_BUCKET_ARN,
    LOAD_BALANCER_NAME_PREFIX,
    METAFLOW_VPC_ID,
    PRIVATE_SUBNET1_ID,
    PRIVATE_SUBNET2_ID,
    RDS_MASTER_INSTANCE_ENDPOINT,
    RESOURCE_PREFIX,
    RESOURCE_SUFFIX,
    SERVICE_TASK_ROLE_DESCRIPTION,
    STANDARD_TAGS,
)

# Passed through by the root module as they are declared here.
ACCESS_LIST_CIDR_BLOCKS = Variable(
    "access_list_cidr_blocks", "list(string)",
    "List of CIDRs we want to grant access to our Metaflow Metadata Service. Usually this is our VPN's CIDR blocks.",
    # they become the API's resource policy's aws:SourceIp, which takes IPv6 and single addresses too
    rules=(EACH_IP_ADDRESS_OR_CIDR_BLOCK,))
API_BASIC_AUTH = Variable("api_basic_auth", "bool", "Enable basic auth for API Gateway? (requires key export)", True)
DB_MIGRATE_LAMBDA_ZIP_FILE = Variable(
    "db_migrate_lambda_zip_file", "string", "Output path for the zip file containing the DB migrate lambda", None)
DB_MIGRATE_LAMBDA_RUNTIME = Variable(
    "db_migrate_lambda_runtime", "string", "Runtime version for the DB migrate lambda", "python3.7",
    # the handler is Python
    rules=(MatchesPattern('The DB migrate lambda runtime must be a Python Lambda runtime, such as "python3.12".',
                          pattern=r"^python3\.[0-9]+$"),))
METADATA_SERVICE_CONTAINER_IMAGE = Variable(
    "metadata_service_container_image", "string", "Container image for metadata service", "")
VPC_CIDR_BLOCKS = Variable(
    "vpc_cidr_blocks", "list(string)",
    "The VPC CIDR blocks that we'll access list on our Metadata Service API to allow all internal communications",
    rules=(EACH_IPV4_CIDR_BLOCK,))
WITH_PUBLIC_IP = Variable(
    "with_public_ip", "bool",
    "Enable public IP assignment for the Metadata Service. Typically you want this to be set to true if using "
    "public subnets as subnet1_id and subnet2_id, and false otherwise", False)

# Re-exported by the root module under the same name.
METAFLOW_SERVICE_INTERNAL_URL = Output("METAFLOW_SERVICE_INTERNAL_URL", "URL for Metadata Service (Accessible in VPC)")
API_GATEWAY_REST_API_ID = Output(
    "api_gateway_rest_api_id",
    "The ID of the API Gateway REST API we'll use to accept MetaData service requests to forward to the Fargate API "
    "instance")
API_GATEWAY_REST_API_ID_KEY_ID = Output(
    "api_gateway_rest_api_id_key_id",
    "API Gateway Key ID for Metadata Service. Fetch Key from AWS Console [METAFLOW_SERVICE_AUTH_KEY]")
MIGRATION_FUNCTION_ARN = Output("migration_function_arn", "ARN of DB Migration Function")

SPEC = ModuleSpec(
    name="metadata-service",
    title="Metadata Service",
    description="The Metaflow metadata service on AWS Fargate, behind a network load balancer and API Gateway.",
    variables=(
        ACCESS_LIST_CIDR_BLOCKS,
        API_BASIC_AUTH,
        DATABASE_NAME,
        DATABASE_PASSWORD,
        DATABASE_USERNAME,
        DATASTORE_S3_BUCKET_KMS_KEY_ARN,
        DB_MIGRATE_LAMBDA_ZIP_FILE,
        DB_MIGRATE_LAMBDA_RUNTIME,
        Variable("fargate_execution_role_arn", "string",
                 "The IAM role that grants access to ECS and Batch services which we'll use as our Metadata Service "
                 "API's execution_role for our Fargate instance", rules=(IS_IAM_ROLE_ARN,)),
        IAM_PARTITION,
        IS_GOV,
        METADATA_SERVICE_CONTAINER_IMAGE,
        Variable("metadata_service_cpu", "number", "ECS task CPU unit for metadata service", 512, rules=(OneOf(
            "The metadata service CPU must be a Fargate task CPU value: 256, 512, 1024, 2048, 4096, 8192 or 16384 "
            "(1024 is one vCPU).",
            values=(256, 512, 1024, 2048, 4096, 8192, 16384)),)),
        # which amounts Fargate offers depends on the CPU, but a validation sees one variable only
        # (before Terraform 1.9, and the modules support 0.13)
        Variable("metadata_service_memory", "number", "ECS task memory in MiB for metadata service", 1024,
                 rules=(WholeNumberBetween(
                     "The metadata service memory must be a whole number of MiB from 512 to 122880, the range "
                     "Fargate offers.", low=512, high=122880),)),
        METAFLOW_VPC_ID,
        RESOURCE_PREFIX,
        RESOURCE_SUFFIX,
        RDS_MASTER_INSTANCE_ENDPOINT,
        Variable("s3_bucket_arn", "string", "The ARN of the bucket we'll be using as blob storage",
                 rules=(IS_S3_BUCKET_ARN,)),
        STANDARD_TAGS,
        PRIVATE_SUBNET1_ID,
        PRIVATE_SUBNET2_ID,
        VPC_CIDR_BLOCKS,
        WITH_PUBLIC_IP,
        LOAD_BALANCER_NAME_PREFIX,
        ECS_CLUSTER_SETTINGS,
    ),
    outputs=(
        METAFLOW_SERVICE_INTERNAL_URL,
        Output("METAFLOW_SERVICE_URL", "URL for Metadata Service (Open to Public Access)"),
        API_GATEWAY_REST_API_ID,
        API_GATEWAY_REST_API_ID_KEY_ID,
        MIGRATION_FUNCTION_ARN,
        Output("metadata_service_security_group_id",
               "The security group ID used by the MetaData service. We'll grant this access to our DB."),
        Output("metadata_svc_ecs_task_role_arn", SERVICE_TASK_ROLE_DESCRIPTION),
        Output("network_load_balancer_dns_name",
               "The DNS addressable name for the Network Load Balancer that accepts requests and forwards them to "
               "our Fargate MetaData service instance(s)"),
    ),
    required_providers={"aws": {"source": "hashicorp/aws"}},
    required_version=">= 0.13",
)
