"""`user-role`'s interface: who may assume the role, and what of the deployment it reaches (the
other modules' outputs, named for the Metaflow settings they are)."""

from __future__ import annotations

from metaflow_cdktf.interface import ModuleSpec, NotEmpty, Output, Variable
from metaflow_cdktf.modules.shared import (
    AWS_FROM_4_67,
    DATASTORE_BUCKET_ARN,
    DATASTORE_S3_BUCKET_KMS_KEY_ARN,
    IAM_PARTITION,
    RESOURCE_PREFIX,
    RESOURCE_SUFFIX,
    STANDARD_TAGS,
)

TRUSTED_PRINCIPAL_ARNS = Variable(
    "trusted_principal_arns", "list(string)",
    "ARNs of the IAM users, roles or accounts allowed to assume the role",
    rules=(NotEmpty(
        "The role needs at least one principal allowed to assume it: list IAM user, role or account ARNs "
        "in trusted_principal_arns."),))

SPEC = ModuleSpec(
    name="user-role",
    title="User Role",
    description=(
        "The restricted role users or applications assume to use Metaflow (the CloudFormation template's "
        "optional CustomRole): it reaches only what Metaflow needs of this deployment, the datastore, the "
        "Batch queue and its jobs' logs, Step Functions and EventBridge rules, and optionally the SageMaker "
        "notebook. The same permissions are a managed policy, to attach to other principals too."
    ),
    variables=(
        RESOURCE_PREFIX,
        RESOURCE_SUFFIX,
        STANDARD_TAGS,
        IAM_PARTITION,
        TRUSTED_PRINCIPAL_ARNS,
        DATASTORE_BUCKET_ARN,
        DATASTORE_S3_BUCKET_KMS_KEY_ARN,
        Variable("METAFLOW_BATCH_JOB_QUEUE", "string", "ARN of the AWS Batch job queue the role may submit jobs to"),
        Variable("METAFLOW_ECS_S3_ACCESS_IAM_ROLE", "string",
                 "ARN of the role AWS Batch tasks run with; the role may hand it to the jobs it submits"),
        Variable("METAFLOW_ECS_FARGATE_EXECUTION_ROLE", "string",
                 "ARN of the ECS execution role Fargate Batch jobs run with, which the role may hand to the job "
                 "definitions it registers; empty when Batch runs on EC2", ""),
        Variable("METAFLOW_SFN_IAM_ROLE", "string",
                 "ARN of the role Step Functions run as, which the role may hand to the state machines it creates; "
                 "empty when Step Functions are not used", ""),
        Variable("METAFLOW_EVENTS_SFN_ACCESS_IAM_ROLE", "string",
                 "ARN of the role EventBridge triggers state machines with, which the role may hand to the rules "
                 "it creates; empty when Step Functions are not used", ""),
        Variable("sagemaker_notebook_arn", "string",
                 "ARN of the SageMaker notebook instance the role may open, start and stop; empty for none", ""),
    ),
    outputs=(
        Output("user_role_arn", "ARN of the restricted Metaflow user role [MetaflowUserRoleArn]"),
        Output("user_role_name", "Name of the restricted Metaflow user role"),
        Output("user_policy_arn", "ARN of the managed policy holding the role's permissions"),
    ),
    required_providers={"aws": AWS_FROM_4_67},
    required_version=">= 0.13",
)
