"""Variables several modules declare alike upstream (same name, type, default and description),
declared once here, and the rules several variables share. A variable that one submodule
declares and the root module passes through is declared in that submodule's spec and reused by
the root's, its rules with it.
"""

from __future__ import annotations

from metaflow_cdktf.interface import EachMatches, MatchesPattern, OneOf, Variable

# --- The hashicorp/aws versions a module needs on the aws 5 line (lines.py bounds them) -------------
# The oldest releases whose schema has every argument the modules set (tests/test_provider_schema.py
# checks each module against exactly its bound): 4.67.0, the last 4.x, suffices for all but
# computation, whose job queue takes `compute_environment_order` from 5.40.0 on; a configuration
# calling computation (the root module) needs that too. metadata-service declares none (its
# terraform block stays upstream's) and is bounded through the `common` module it calls.
AWS_FROM_4_67 = {"source": "hashicorp/aws", "version": ">= 4.67.0"}
AWS_FROM_5_40 = {"source": "hashicorp/aws", "version": ">= 5.40.0"}

# --- Rules several variables share -----------------------------------------------------------
# Each refuses only what surely fails (at apply, or in the services at run time) and accepts
# everything AWS does.

# Octets and prefix lengths spelt out, so that RE2 and Python read the same addresses.
IPV4_OCTET = r"(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
IPV4_ADDRESS = rf"{IPV4_OCTET}(\.{IPV4_OCTET}){{3}}"
IPV4_PREFIX = r"(3[0-2]|[12]?[0-9])"
# loose: hexadecimal groups and colons, optionally ending in an IPv4 address
IPV6_ADDRESS = rf"([0-9A-Fa-f]{{0,4}}:){{2,7}}([0-9A-Fa-f]{{0,4}}|{IPV4_ADDRESS})"
IPV6_PREFIX = r"(12[0-8]|1[01][0-9]|[1-9]?[0-9])"

# what a security group rule's cidr_blocks takes
EACH_IPV4_CIDR_BLOCK = EachMatches(
    'Each element must be an IPv4 CIDR block, such as "10.0.0.0/16".',
    pattern=rf"^{IPV4_ADDRESS}/{IPV4_PREFIX}$")
# what the aws:SourceIp condition of an IAM policy takes: an address alone is that one address
EACH_IP_ADDRESS_OR_CIDR_BLOCK = EachMatches(
    'Each element must be an IPv4 or IPv6 CIDR block or address, such as "10.0.0.0/8" or "2001:db8::/32".',
    pattern=rf"^({IPV4_ADDRESS}(/{IPV4_PREFIX})?|{IPV6_ADDRESS}(/{IPV6_PREFIX})?)$")

IS_VPC_ID = MatchesPattern('The VPC ID must look like "vpc-0123456789abcdef0".', pattern=r"^vpc-[0-9a-f]+$")
IS_SUBNET_ID = MatchesPattern('The subnet ID must look like "subnet-0123456789abcdef0".', pattern=r"^subnet-[0-9a-f]+$")
IS_SECURITY_GROUP_ID = MatchesPattern('The security group ID must look like "sg-0123456789abcdef0".',
                                      pattern=r"^sg-[0-9a-f]+$")

# An ARN's partition: aws, aws-cn, aws-us-gov, aws-iso-b, ...
ARN = r"^arn:aws(-[a-z]+)*:"
IS_S3_BUCKET_ARN = MatchesPattern('The bucket ARN must look like "arn:aws:s3:::my-bucket".', pattern=ARN + r"s3:::.+$")
IS_IAM_ROLE_ARN = MatchesPattern('The role ARN must look like "arn:aws:iam::123456789012:role/my-role".',
                                 pattern=ARN + r"iam::[0-9]{12}:role/.+$")
# an HTTPS listener takes an ACM certificate or an IAM server certificate
IS_CERTIFICATE_ARN = MatchesPattern(
    'The certificate ARN must be an ACM certificate ARN, such as "arn:aws:acm:us-west-2:123456789012:certificate/abc", '
    "or an IAM server certificate ARN.",
    pattern=ARN + r"(acm:[a-z0-9-]+:[0-9]{12}:certificate|iam::[0-9]{12}:server-certificate)/.+$")
IS_COGNITO_USER_POOL_ARN_OR_EMPTY = MatchesPattern(
    "The Cognito user pool ARN must be empty (no Cognito authentication) or look like "
    '"arn:aws:cognito-idp:us-west-2:123456789012:userpool/us-west-2_abc123".',
    pattern=ARN + r"cognito-idp:[a-z0-9-]+:[0-9]{12}:userpool/.+$", empty_allowed=True)

# --- Naming and tagging ----------------------------------------------------------------------

RESOURCE_PREFIX = Variable(
    "resource_prefix", "string", "Prefix given to all AWS resources to differentiate between applications")
RESOURCE_SUFFIX = Variable(
    "resource_suffix", "string", "Suffix given to all AWS resources to differentiate between environment and workspace")
STANDARD_TAGS = Variable("standard_tags", "map(string)", "The standard tags to apply to every AWS resource.")
IAM_PARTITION = Variable(
    "iam_partition", "string", "IAM Partition (Select aws-us-gov for AWS GovCloud, otherwise leave as is)", "aws",
    rules=(OneOf(
        'The IAM partition must be an AWS partition: "aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", '
        '"aws-iso-e", "aws-iso-f" or "aws-eusc".',
        values=("aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc")),))
IS_GOV = Variable("is_gov", "bool", "Set to true if IAM partition is 'aws-us-gov'", False)

# --- Network -----------------------------------------------------------------------------------

# upstream's description, written for a SageMaker notebook and kept by every module that copied it
METAFLOW_VPC_ID = Variable(
    "metaflow_vpc_id", "string", "ID of the Metaflow VPC this SageMaker notebook instance is to be deployed in",
    rules=(IS_VPC_ID,))
SUBNET1_ID = Variable("subnet1_id", "string", "First subnet used for availability zone redundancy",
                      rules=(IS_SUBNET_ID,))
SUBNET2_ID = Variable("subnet2_id", "string", "Second subnet used for availability zone redundancy",
                      rules=(IS_SUBNET_ID,))
PRIVATE_SUBNET1_ID = Variable("subnet1_id", "string", "First private subnet used for availability zone redundancy",
                              rules=(IS_SUBNET_ID,))
PRIVATE_SUBNET2_ID = Variable("subnet2_id", "string", "Second private subnet used for availability zone redundancy",
                              rules=(IS_SUBNET_ID,))

# --- The services on ECS (metadata service, UI) ---------------------------------------------------

# The load balancers are named "<prefix>-nlb" and "<prefix>-alb"; AWS allows 32 characters.
LOAD_BALANCER_NAME_PREFIX = Variable(
    "load_balancer_name_prefix", "string", "Prefix for all load balancer names", "",
    rules=(MatchesPattern(
        "The load balancer name prefix must be empty (names from resource_prefix and resource_suffix) or at most "
        '28 letters, digits and hyphens, not starting with a hyphen: "-nlb" or "-alb" is added, and a load '
        "balancer name has at most 32 characters.",
        pattern=r"^[A-Za-z0-9][A-Za-z0-9-]{0,27}$", empty_allowed=True),))
ECS_CLUSTER_SETTINGS = Variable("ecs_cluster_settings", "map(string)", "Settings for the ECS cluster", {})

# The database and bucket both services connect to (the datastore module's outputs).
DATABASE_NAME = Variable("database_name", "string", "The database name", "metaflow")
DATABASE_PASSWORD = Variable("database_password", "string", "The database password")
DATABASE_USERNAME = Variable("database_username", "string", "The database username")
# The services take the host from it by removing ":5432" and connect on port 5432, so a host
# alone works too, and another port never does.
RDS_MASTER_INSTANCE_ENDPOINT = Variable(
    "rds_master_instance_endpoint", "string", "The database connection endpoint in address:port format",
    rules=(MatchesPattern(
        'The database endpoint must be "<host>:5432" or the host alone, such as '
        '"metaflow.abc123.us-west-2.rds.amazonaws.com:5432": the services connect to PostgreSQL on port 5432.',
        pattern=r"^[A-Za-z0-9.-]+(:5432)?$"),))
DATASTORE_S3_BUCKET_KMS_KEY_ARN = Variable(
    "datastore_s3_bucket_kms_key_arn", "string",
    "The ARN of the KMS key used to encrypt the Metaflow datastore S3 bucket")

# The datastore bucket as the notebook and the user role take it.
DATASTORE_BUCKET_ARN = Variable("s3_bucket_arn", "string", "The ARN of the Metaflow datastore bucket")

# Upstream's description of both service task roles, the UI's included.
SERVICE_TASK_ROLE_DESCRIPTION = (
    "This role is passed to AWS ECS' task definition as the `task_role`. This allows the running of the "
    "Metaflow Metadata Service to have the proper permissions to speak to other AWS resources."
)
