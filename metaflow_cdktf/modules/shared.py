"""Variables several modules declare alike upstream (same name, type, default and description),
declared once here. A variable that one submodule declares and the root module passes
through is declared in that submodule's spec and reused by the root's.
"""

from __future__ import annotations

from metaflow_cdktf.interface import Variable

# --- Naming and tagging ----------------------------------------------------------------------

RESOURCE_PREFIX = Variable(
    "resource_prefix", "string", "Prefix given to all AWS resources to differentiate between applications")
RESOURCE_SUFFIX = Variable(
    "resource_suffix", "string", "Suffix given to all AWS resources to differentiate between environment and workspace")
STANDARD_TAGS = Variable("standard_tags", "map(string)", "The standard tags to apply to every AWS resource.")
IAM_PARTITION = Variable(
    "iam_partition", "string", "IAM Partition (Select aws-us-gov for AWS GovCloud, otherwise leave as is)", "aws")
IS_GOV = Variable("is_gov", "bool", "Set to true if IAM partition is 'aws-us-gov'", False)

# --- Network -----------------------------------------------------------------------------------

# upstream's description, written for a SageMaker notebook and kept by every module that copied it
METAFLOW_VPC_ID = Variable(
    "metaflow_vpc_id", "string", "ID of the Metaflow VPC this SageMaker notebook instance is to be deployed in")
SUBNET1_ID = Variable("subnet1_id", "string", "First subnet used for availability zone redundancy")
SUBNET2_ID = Variable("subnet2_id", "string", "Second subnet used for availability zone redundancy")
PRIVATE_SUBNET1_ID = Variable("subnet1_id", "string", "First private subnet used for availability zone redundancy")
PRIVATE_SUBNET2_ID = Variable("subnet2_id", "string", "Second private subnet used for availability zone redundancy")

# --- The services on ECS (metadata service, UI) ---------------------------------------------------

LOAD_BALANCER_NAME_PREFIX = Variable("load_balancer_name_prefix", "string", "Prefix for all load balancer names", "")
ECS_CLUSTER_SETTINGS = Variable("ecs_cluster_settings", "map(string)", "Settings for the ECS cluster", {})

# The database and bucket both services connect to (the datastore module's outputs).
DATABASE_NAME = Variable("database_name", "string", "The database name", "metaflow")
DATABASE_PASSWORD = Variable("database_password", "string", "The database password")
DATABASE_USERNAME = Variable("database_username", "string", "The database username")
RDS_MASTER_INSTANCE_ENDPOINT = Variable(
    "rds_master_instance_endpoint", "string", "The database connection endpoint in address:port format")
DATASTORE_S3_BUCKET_KMS_KEY_ARN = Variable(
    "datastore_s3_bucket_kms_key_arn", "string",
    "The ARN of the KMS key used to encrypt the Metaflow datastore S3 bucket")

# Upstream's description of both service task roles, the UI's included.
SERVICE_TASK_ROLE_DESCRIPTION = (
    "This role is passed to AWS ECS' task definition as the `task_role`. This allows the running of the "
    "Metaflow Metadata Service to have the proper permissions to speak to other AWS resources."
)
