"""`datastore`'s interface."""

from __future__ import annotations

from metaflow_cdktf.interface import MatchesPattern, ModuleSpec, OneOf, Output, Variable
from metaflow_cdktf.modules.shared import (
    AWS_FROM_4_67,
    IS_SECURITY_GROUP_ID,
    METAFLOW_VPC_ID,
    RESOURCE_PREFIX,
    RESOURCE_SUFFIX,
    STANDARD_TAGS,
    SUBNET1_ID,
    SUBNET2_ID,
)

# Passed through by the root module as they are declared here.
DB_INSTANCE_TYPE = Variable(
    "db_instance_type", "string", "RDS instance type to launch for PostgresQL database.", "db.t2.small",
    rules=(MatchesPattern('The DB instance type must be an RDS DB instance class, such as "db.t3.small".',
                          pattern=r"^db\.[A-Za-z0-9][A-Za-z0-9.-]*$"),))
# digits and dots, then RDS's own suffixes: "11.22-rds.20240418" (Extended Support), "16.4-limitless"
DB_ENGINE_VERSION = Variable(
    "db_engine_version", "string", default="11",
    rules=(MatchesPattern(
        'The engine version must be a PostgreSQL version RDS offers, such as "16" or "16.4": digits and dots, '
        'optionally followed by an RDS suffix such as "-rds.20240418".',
        pattern=r"^[0-9]+(\.[0-9]+)*(-[A-Za-z0-9.]+)?$"),))
DB_IDENTIFIER_PREFIX = Variable("db_identifier_prefix", "string", "Identifier prefix for the RDS instance", "")
DB_INSTANCE_TAGS = Variable("db_instance_tags", "map(string)", "A map of additional tags for the DB instance", {})
CA_CERT_IDENTIFIER = Variable(
    "ca_cert_identifier", "string", "RDS CA cert identifier for the DB Instances, or leave blank for RDS default", "",
    rules=(MatchesPattern(
        'The CA certificate identifier must be empty (the RDS default) or an RDS CA, such as "rds-ca-rsa2048-g1".',
        pattern=r"^rds-ca-[a-z0-9-]+$", empty_allowed=True),))
APPLY_IMMEDIATELY = Variable("apply_immediately", "bool",
                             "Apply RDS modifications immediately, or wait for Maintenance Window", False)
# Days in any case: RDS's documentation writes "Mon", the API returns "mon".
DAY = "(?i:mon|tue|wed|thu|fri|sat|sun)"
HOUR_MINUTE = "([01][0-9]|2[0-3]):[0-5][0-9]"
MAINTENANCE_WINDOW = Variable(
    "maintenance_window", "string",
    'Maintenance Window in format "ddd:hh24:mi-ddd:hh24:mi" eg. "Mon:00:00-Mon:03:00", or leave blank to randomise',
    "",
    rules=(MatchesPattern(
        'The maintenance window must be empty (RDS picks one) or "ddd:hh24:mi-ddd:hh24:mi" in UTC, such as '
        '"Mon:00:00-Mon:03:00".',
        pattern=f"^{DAY}:{HOUR_MINUTE}-{DAY}:{HOUR_MINUTE}$", empty_allowed=True),))
BUCKET_KEY_ENABLED = Variable("bucket_key_enabled", "bool", "Whether or not to use Amazon S3 Bucket Keys for SSE-KMS",
                              False)
S3_BUCKET_NAME_VARIABLE = Variable(
    "s3_bucket_name", "string", "The name of the S3 bucket used for Metaflow datastore", "",
    rules=(MatchesPattern(
        "The bucket name must be empty (named from resource_prefix and resource_suffix) or a valid S3 bucket name: "
        "3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit.",
        pattern=r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", empty_allowed=True),))

# Re-exported by the root module, under the same name or another.
METAFLOW_DATATOOLS_S3ROOT = Output("METAFLOW_DATATOOLS_S3ROOT", "Amazon S3 URL for Metaflow DataTools")
METAFLOW_DATASTORE_SYSROOT_S3 = Output("METAFLOW_DATASTORE_SYSROOT_S3", "Amazon S3 URL for Metaflow DataStore")
DATASTORE_S3_BUCKET_KMS_KEY_ARN = Output(
    "datastore_s3_bucket_kms_key_arn", "The ARN of the KMS key used to encrypt the Metaflow datastore S3 bucket")
S3_BUCKET_ARN = Output("s3_bucket_arn", "The ARN of the bucket we'll be using as blob storage")
S3_BUCKET_NAME = Output("s3_bucket_name", "The name of the bucket we'll be using as blob storage")

SPEC = ModuleSpec(
    name="datastore",
    title="Datastore",
    description=(
        "The KMS-encrypted S3 bucket Metaflow stores artifacts in, and the encrypted PostgreSQL database "
        "(RDS instance, or Aurora cluster for an `aurora-*` engine) behind the metadata service."
    ),
    variables=(
        DB_INSTANCE_TYPE,
        Variable("db_engine", "string", default="postgres", rules=(OneOf(
            'The database engine must be "postgres" (RDS for PostgreSQL) or "aurora-postgresql" (Aurora '
            "PostgreSQL): the metadata service runs on PostgreSQL only.",
            values=("postgres", "aurora-postgresql")),)),
        DB_ENGINE_VERSION,
        # RDS takes a letter, then letters, digits or underscores; but the name is also part of the
        # instance's (or cluster's) identifier, which takes no underscores
        Variable("db_name", "string", "Name of PostgresQL database for Metaflow service.", "metaflow",
                 rules=(MatchesPattern(
                     "The database name must be a letter, then letters or digits, 63 characters at most: it also "
                     "names the RDS instance, whose identifier takes no underscores.",
                     pattern=r"^[A-Za-z][A-Za-z0-9]{0,62}$"),)),
        DB_IDENTIFIER_PREFIX,
        Variable("force_destroy_s3_bucket", "bool", "Empty S3 bucket before destroying via terraform destroy", False),
        Variable("db_username", "string", "PostgresQL username; defaults to 'metaflow'", "metaflow",
                 rules=(MatchesPattern(
                     "The user name must be one RDS accepts for PostgreSQL: a letter, then letters, digits or "
                     "underscores, 63 characters at most.",
                     pattern=r"^[A-Za-z][A-Za-z0-9_]{0,62}$"),)),
        Variable("metadata_service_security_group_id", "string",
                 "The security group ID used by the MetaData service. We'll grant this access to our DB.",
                 rules=(IS_SECURITY_GROUP_ID,)),
        METAFLOW_VPC_ID,
        RESOURCE_PREFIX,
        RESOURCE_SUFFIX,
        STANDARD_TAGS,
        DB_INSTANCE_TAGS,
        SUBNET1_ID,
        SUBNET2_ID,
        CA_CERT_IDENTIFIER,
        APPLY_IMMEDIATELY,
        MAINTENANCE_WINDOW,
        BUCKET_KEY_ENABLED,
        S3_BUCKET_NAME_VARIABLE,
    ),
    outputs=(
        METAFLOW_DATATOOLS_S3ROOT,
        METAFLOW_DATASTORE_SYSROOT_S3,
        Output("database_name", "The database name"),
        # upstream leaves it unmarked, which Terraform refuses in a root module's plan
        Output("database_password", "The database password", sensitive=True),
        Output("database_username", "The database username"),
        DATASTORE_S3_BUCKET_KMS_KEY_ARN,
        Output("rds_master_instance_endpoint", "The database connection endpoint in address:port format"),
        S3_BUCKET_ARN,
        S3_BUCKET_NAME,
    ),
    required_providers={
        "aws": AWS_FROM_4_67,
        "random": {"source": "hashicorp/random"},
    },
    required_version=">= 0.13",
)
