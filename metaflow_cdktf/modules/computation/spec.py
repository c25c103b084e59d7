"""`computation`'s interface."""

from __future__ import annotations

from metaflow_cdktf.interface import ModuleSpec, OneOf, Output, Variable, WholeNumberBetween
from metaflow_cdktf.modules.shared import (
    AWS_FROM_5_40,
    EACH_IPV4_CIDR_BLOCK,
    IAM_PARTITION,
    IS_SUBNET_ID,
    METAFLOW_VPC_ID,
    RESOURCE_PREFIX,
    RESOURCE_SUFFIX,
    STANDARD_TAGS,
)

VCPU_COUNT = WholeNumberBetween("A number of vCPUs must be a whole number, 0 or more.", low=0)

# Passed through by the root module as they are declared here, or with a default there.
BATCH_CLUSTER_NAME = Variable("batch_cluster_name", "string", "The name of the ECS cluster to use for batch processing",
                              "")
BATCH_TYPE = Variable("batch_type", "string", "AWS Batch Compute Type ('ec2', 'fargate')", "ec2",
                      rules=(OneOf('The Batch compute type must be "ec2" or "fargate".', values=("ec2", "fargate")),))
COMPUTE_ENVIRONMENT_DESIRED_VCPUS = Variable(
    "compute_environment_desired_vcpus", "number",
    "Desired Starting VCPUs for Batch Compute Environment [0-16] for EC2 Batch Compute Environment (ignored for "
    "Fargate)", rules=(VCPU_COUNT,))
COMPUTE_ENVIRONMENT_MAX_VCPUS = Variable(
    "compute_environment_max_vcpus", "number", "Maximum VCPUs for Batch Compute Environment [16-96]",
    rules=(VCPU_COUNT,))
COMPUTE_ENVIRONMENT_MIN_VCPUS = Variable(
    "compute_environment_min_vcpus", "number",
    "Minimum VCPUs for Batch Compute Environment [0-16] for EC2 Batch Compute Environment (ignored for Fargate)",
    rules=(VCPU_COUNT,))
COMPUTE_ENVIRONMENT_EGRESS_CIDR_BLOCKS = Variable(
    "compute_environment_egress_cidr_blocks", "list(string)",
    "CIDR blocks to which egress is allowed from the Batch Compute environment's security group", ["0.0.0.0/0"],
    rules=(EACH_IPV4_CIDR_BLOCK,))
LAUNCH_TEMPLATE_HTTP_ENDPOINT = Variable(
    "launch_template_http_endpoint", "string",
    "Whether the metadata service is available. Can be 'enabled' or 'disabled'", "enabled",
    rules=(OneOf('The instance metadata endpoint setting must be "enabled" or "disabled".',
                 values=("enabled", "disabled")),))
LAUNCH_TEMPLATE_HTTP_TOKENS = Variable(
    "launch_template_http_tokens", "string",
    "Whether or not the metadata service requires session tokens, also referred to as Instance Metadata Service "
    "Version 2 (IMDSv2). Can be 'optional' or 'required'", "optional",
    rules=(OneOf('The instance metadata tokens setting must be "optional" or "required" ("required" enforces IMDSv2).',
                 values=("optional", "required")),))
LAUNCH_TEMPLATE_HTTP_PUT_RESPONSE_HOP_LIMIT = Variable(
    "launch_template_http_put_response_hop_limit", "number",
    "The desired HTTP PUT response hop limit for instance metadata requests. Can be an integer from 1 to 64", 2,
    rules=(WholeNumberBetween("The hop limit must be a whole number from 1 to 64.", low=1, high=64),))

# Re-exported by the root module.
METAFLOW_BATCH_JOB_QUEUE = Output("METAFLOW_BATCH_JOB_QUEUE", "AWS Batch Job Queue ARN for Metaflow")
BATCH_COMPUTE_ENVIRONMENT_SECURITY_GROUP_ID = Output(
    "batch_compute_environment_security_group_id",
    "The ID of the security group attached to the Batch Compute environment.")

SPEC = ModuleSpec(
    name="computation",
    title="Computation",
    description=(
        "The resources to run Metaflow steps on AWS Batch (EC2 or Fargate): a compute environment, "
        "a job queue and the IAM roles they need. Not required when steps run locally or on Kubernetes."
    ),
    variables=(
        BATCH_CLUSTER_NAME,
        BATCH_TYPE,
        COMPUTE_ENVIRONMENT_DESIRED_VCPUS,
        Variable("compute_environment_instance_types", "list(string)",
                 "The instance types for the compute environment as a comma-separated list"),
        COMPUTE_ENVIRONMENT_MAX_VCPUS,
        COMPUTE_ENVIRONMENT_MIN_VCPUS,
        COMPUTE_ENVIRONMENT_EGRESS_CIDR_BLOCKS,
        IAM_PARTITION,
        RESOURCE_PREFIX,
        RESOURCE_SUFFIX,
        METAFLOW_VPC_ID,
        STANDARD_TAGS,
        Variable("subnet1_id", "string", "The first private subnet used for redundancy", rules=(IS_SUBNET_ID,)),
        Variable("subnet2_id", "string", "The second private subnet used for redundancy", rules=(IS_SUBNET_ID,)),
        LAUNCH_TEMPLATE_HTTP_ENDPOINT,
        LAUNCH_TEMPLATE_HTTP_TOKENS,
        LAUNCH_TEMPLATE_HTTP_PUT_RESPONSE_HOP_LIMIT,
    ),
    outputs=(
        METAFLOW_BATCH_JOB_QUEUE,
        Output("batch_job_queue_arn", "The ARN of the job queue we'll use to accept Metaflow tasks"),
        Output("ecs_execution_role_arn",
               "The IAM role that grants access to ECS and Batch services which we'll use as our Metadata Service "
               "API's execution_role for our Fargate instance"),
        Output("ecs_instance_role_arn",
               "This role will be granted access to our S3 Bucket which acts as our blob storage."),
        BATCH_COMPUTE_ENVIRONMENT_SECURITY_GROUP_ID,
    ),
    # upstream: ">= 3.38.0"; compute_environment_order needs 5.40 (see the job queue in build.py)
    required_providers={"aws": AWS_FROM_5_40},
    required_version=">= 0.13",
)
