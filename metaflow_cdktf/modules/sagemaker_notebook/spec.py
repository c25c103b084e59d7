"""`sagemaker-notebook`'s interface: where the notebook runs, and the deployment it uses (the
other modules' outputs, named for the Metaflow settings they become)."""

from __future__ import annotations

from metaflow_cdktf.interface import MatchesPattern, ModuleSpec, Output, Variable
from metaflow_cdktf.modules.shared import (
    AWS_FROM_4_67,
    DATASTORE_BUCKET_ARN,
    DATASTORE_S3_BUCKET_KMS_KEY_ARN,
    IAM_PARTITION,
    METAFLOW_VPC_ID,
    RESOURCE_PREFIX,
    RESOURCE_SUFFIX,
    STANDARD_TAGS,
)

NOTEBOOK_INSTANCE_TYPE = Variable(
    "notebook_instance_type", "string", "SageMaker instance type of the notebook instance", "ml.t3.medium",
    rules=(MatchesPattern(
        'The notebook instance type must be a SageMaker ML instance type, such as "ml.t3.medium".',
        pattern=r"^ml\.[a-z0-9-]+\.[a-z0-9]+$"),))

SPEC = ModuleSpec(
    name="sagemaker-notebook",
    title="SageMaker Notebook",
    description=(
        "An Amazon SageMaker notebook instance in the Metaflow VPC whose Jupyter uses this Metaflow "
        "deployment right away: a lifecycle configuration writes the Metaflow settings at every start, and "
        "its execution role reaches only the datastore (bucket and key), the Batch queue, its logs and its "
        "own notebook."
    ),
    variables=(
        RESOURCE_PREFIX,
        RESOURCE_SUFFIX,
        STANDARD_TAGS,
        IAM_PARTITION,
        METAFLOW_VPC_ID,
        Variable("subnet_id", "string", "The subnet of the Metaflow VPC the notebook instance is placed in"),
        NOTEBOOK_INSTANCE_TYPE,
        DATASTORE_BUCKET_ARN,
        DATASTORE_S3_BUCKET_KMS_KEY_ARN,
        Variable("METAFLOW_DATASTORE_SYSROOT_S3", "string",
                 "Amazon S3 URL for Metaflow DataStore (the datastore module's output of that name)"),
        Variable("METAFLOW_DATATOOLS_S3ROOT", "string",
                 "Amazon S3 URL for Metaflow DataTools (the datastore module's output of that name)"),
        Variable("METAFLOW_SERVICE_INTERNAL_URL", "string",
                 "URL of the metadata service inside the VPC; the notebook talks to it directly, without the "
                 "API Gateway and its key"),
        Variable("METAFLOW_BATCH_JOB_QUEUE", "string", "ARN of the AWS Batch job queue Metaflow steps run on"),
        Variable("METAFLOW_ECS_S3_ACCESS_IAM_ROLE", "string",
                 "ARN of the role AWS Batch tasks run with; the notebook may hand it to the jobs it submits"),
        Variable("METAFLOW_ECS_FARGATE_EXECUTION_ROLE", "string",
                 "ARN of the ECS execution role Fargate Batch jobs run with, which the notebook's Metaflow settings "
                 "name and the notebook may hand to the job definitions it registers; empty when Batch runs on EC2",
                 ""),
    ),
    outputs=(
        Output("notebook_url", "URL of the notebook instance's Jupyter [SageMakerNoteBookURL]"),
        Output("notebook_instance_name", "Name of the SageMaker notebook instance"),
        Output("notebook_instance_arn", "ARN of the SageMaker notebook instance"),
        Output("execution_role_arn", "ARN of the role the notebook instance runs as"),
        Output("security_group_id", "ID of the notebook instance's security group"),
    ),
    required_providers={"aws": AWS_FROM_4_67},
    required_version=">= 0.13",
)
