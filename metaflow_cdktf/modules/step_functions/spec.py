"""`step-functions`' interface."""

from __future__ import annotations

from metaflow_cdktf.interface import ModuleSpec, Output, Variable
from metaflow_cdktf.modules.shared import (
    AWS_FROM_4_67,
    IAM_PARTITION,
    IS_S3_BUCKET_ARN,
    RESOURCE_PREFIX,
    RESOURCE_SUFFIX,
    STANDARD_TAGS,
)

# Re-exported by the root module under other names.
EVENTBRIDGE_ROLE_ARN = Output("metaflow_eventbridge_role_arn",
                              "IAM role for Amazon EventBridge to access AWS Step Functions.")
DYNAMODB_TABLE_NAME = Output("metaflow_step_functions_dynamodb_table_name",
                             "AWS DynamoDB table name for tracking AWS Step Functions execution metadata.")
STEP_FUNCTIONS_ROLE_ARN = Output("metaflow_step_functions_role_arn",
                                 "IAM role for AWS Step Functions to access AWS resources (AWS Batch, AWS DynamoDB).")

SPEC = ModuleSpec(
    name="step-functions",
    title="Step Functions",
    description=(
        "The DynamoDB state table and IAM roles that let Metaflow schedule flows on AWS Step Functions "
        "and trigger them from Amazon EventBridge; nothing is created unless `active` is true."
    ),
    variables=(
        Variable("active", "bool", "When true step function infrastructure is provisioned.", False),
        Variable("batch_job_queue_arn", "string", "Batch job queue arn"),
        IAM_PARTITION,
        RESOURCE_PREFIX,
        RESOURCE_SUFFIX,
        Variable("s3_bucket_arn", "string", "arn of the metaflow datastore s3 bucket", rules=(IS_S3_BUCKET_ARN,)),
        Variable("s3_bucket_kms_arn", "string", "arn of the metaflow datastore s3 bucket's kms key"),
        STANDARD_TAGS,
    ),
    outputs=(
        EVENTBRIDGE_ROLE_ARN,
        Output("metaflow_step_functions_dynamodb_policy",
               "Policy json allowing access to the step functions dynamodb table."),
        Output("metaflow_step_functions_dynamodb_table_arn",
               "AWS DynamoDB table arn for tracking AWS Step Functions execution metadata."),
        DYNAMODB_TABLE_NAME,
        STEP_FUNCTIONS_ROLE_ARN,
    ),
    required_providers={"aws": AWS_FROM_4_67},
    required_version=">= 0.13",
)
