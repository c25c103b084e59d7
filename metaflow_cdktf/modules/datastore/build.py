"""`datastore`'s resources: the KMS-encrypted bucket, the PostgreSQL database and its network."""

from __future__ import annotations

from typing import Any

from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup
from cdktf_cdktf_provider_aws.data_aws_iam_policy_document import (
    DataAwsIamPolicyDocument,
    DataAwsIamPolicyDocumentStatement,
    DataAwsIamPolicyDocumentStatementCondition,
    DataAwsIamPolicyDocumentStatementPrincipals,
)
from cdktf_cdktf_provider_aws.data_aws_partition import DataAwsPartition
from cdktf_cdktf_provider_aws.db_instance import DbInstance
from cdktf_cdktf_provider_aws.db_subnet_group import DbSubnetGroup
from cdktf_cdktf_provider_aws.kms_key import KmsKey
from cdktf_cdktf_provider_aws.rds_cluster import RdsCluster
from cdktf_cdktf_provider_aws.rds_cluster_instance import RdsClusterInstance
from cdktf_cdktf_provider_aws.s3_bucket import (
    S3Bucket,
    S3BucketServerSideEncryptionConfiguration,
    S3BucketServerSideEncryptionConfigurationRule,
)
from cdktf_cdktf_provider_aws.s3_bucket import (
    S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefault as EncryptByDefault,
)
from cdktf_cdktf_provider_aws.s3_bucket_policy import S3BucketPolicy
from cdktf_cdktf_provider_aws.s3_bucket_public_access_block import S3BucketPublicAccessBlock
from cdktf_cdktf_provider_aws.security_group import SecurityGroup, SecurityGroupIngress
from cdktf_cdktf_provider_random.password import Password
from cdktf_cdktf_provider_random.pet import Pet

from metaflow_cdktf.modules.datastore.spec import SPEC
from metaflow_cdktf.synthesis.aws import (
    POSTGRES_PORT,
    current_account_and_region,
    key_policy,
    logs_may_use_key_for,
    metaflow_tags,
    standard_tags,
)
from metaflow_cdktf.synthesis.building import at_address, boolean, expr, local, number

# RDS rejects "/", '"', "@" and " " in a master password.
PASSWORD_SPECIAL_CHARACTERS = "!#$%&*()-_=+[]{}<>:?"

# The database is an Aurora cluster (with one instance) for an aurora-* engine, else a single RDS instance.
AURORA_COUNT = "local.use_aurora ? 1 : 0"
INSTANCE_COUNT = "local.use_aurora ? 0 : 1"

# An empty maintenance window lets RDS pick one.
MAINTENANCE_WINDOW = "length(var.maintenance_window) > 0 ? var.maintenance_window : null"

# What RDS publishes to CloudWatch Logs: PostgreSQL's own log (errors, failed logins, ...).
DATABASE_LOG_EXPORTS = ["postgresql"]


@SPEC.builds
def build(scope):
    current_account_and_region(scope)
    at_address(DataAwsPartition, scope, "current")
    _locals(scope)
    s3_key, rds_key = _kms_keys(scope)
    password = _random_names(scope)
    bucket = _bucket(scope, s3_key)
    subnet_group, security_group = _network(scope)
    log_group = _database_log_group(scope, rds_key)
    _aurora(scope, _database_settings(rds_key, password, subnet_group, security_group, log_group, cluster=True))
    _instance(scope, _database_settings(rds_key, password, subnet_group, security_group, log_group, cluster=False))

    return {
        "METAFLOW_DATATOOLS_S3ROOT": f"s3://{bucket.bucket}/data",
        "METAFLOW_DATASTORE_SYSROOT_S3": f"s3://{bucket.bucket}/metaflow",
        "database_name": "${var.db_name}",
        "database_password": password.result,
        "database_username": "${var.db_username}",
        "datastore_s3_bucket_kms_key_arn": s3_key.arn,
        "rds_master_instance_endpoint": expr(
            "local.use_aurora ? aws_rds_cluster.this[0].endpoint : aws_db_instance.this[0].endpoint"),
        "s3_bucket_arn": bucket.arn,
        "s3_bucket_name": bucket.bucket,
    }


def _locals(scope):
    prefixed_name = "${var.db_identifier_prefix}-${var.db_name}"
    pet = "${random_pet.final_snapshot_id.id}"
    local(scope, "pg_subnet_group_name", _unless_identifier_prefix(
        prefixed_name, "${var.resource_prefix}main${var.resource_suffix}"))
    local(scope, "rds_db_identifier", _unless_identifier_prefix(
        prefixed_name, "${var.resource_prefix}${var.db_name}${var.resource_suffix}"))
    local(scope, "rds_security_group_name", "${var.resource_prefix}rds-security-group${var.resource_suffix}")
    local(scope, "rds_final_snapshot_identifier", _unless_identifier_prefix(
        f"{prefixed_name}-final-snapshot-{pet}",
        "${var.resource_prefix}${var.db_name}-final-snapshot${var.resource_suffix}-" + pet))
    local(scope, "s3_bucket_name", expr(
        'var.s3_bucket_name != "" ? var.s3_bucket_name : "${var.resource_prefix}s3${var.resource_suffix}"'))
    local(scope, "use_aurora", expr('length(regexall("^aurora-", var.db_engine)) > 0'))
    # where RDS publishes an instance's or a cluster's PostgreSQL log
    local(scope, "rds_log_group_name", expr(
        'local.use_aurora ? "/aws/rds/cluster/${local.rds_db_identifier}/postgresql" '
        ': "/aws/rds/instance/${local.rds_db_identifier}/postgresql"'))


def _unless_identifier_prefix(prefixed: str, otherwise: str) -> str:
    """A database name: the `prefixed` template when db_identifier_prefix is set, else `otherwise`."""
    return expr(f'var.db_identifier_prefix != "" ? "{prefixed}" : "{otherwise}"')


def _database_tags():
    return metaflow_tags(name="local.rds_db_identifier", merged_with="var.db_instance_tags")


def _kms_keys(scope):
    # Rotated yearly by KMS; old key material stays, so what they encrypted stays readable.
    s3 = at_address(KmsKey, scope, "s3",
            description="This key is used to encrypt and decrypt the S3 bucket used to store blobs.",
            enable_key_rotation=True,
            policy=key_policy(scope, "s3_key").json,
            tags=standard_tags())
    rds = at_address(KmsKey, scope, "rds",
             description="This key is used to encrypt and decrypt the RDS database used to store flow execution data.",
             enable_key_rotation=True,
             policy=key_policy(scope, "rds_key", logs_may_use_key_for("${local.rds_log_group_name}",
                                                                      sid="CloudWatchLogsDatabaseLog")).json,
             tags=standard_tags())
    return s3, rds


def _random_names(scope):
    """The master password, and the random name that keeps final snapshot identifiers unique."""
    password = at_address(Password, scope, "this", length=64, special=True,
                  override_special=PASSWORD_SPECIAL_CHARACTERS)
    at_address(Pet, scope, "final_snapshot_id")
    return password


def _bucket(scope, key):
    # Upstream's `acl = "private"` is left out: deprecated since aws 4.x (a validate warning),
    # and redundant, since every provider version the constraint allows creates the bucket
    # with the private canned ACL when none is given (a 3.x default, the 4.9+ create request).
    # The inline encryption block stays: its replacement resource would be a new address,
    # one that aws 3.x, still allowed here, lacks; and validate does not warn about it.
    bucket = at_address(
        S3Bucket, scope, "this",
        bucket="${local.s3_bucket_name}",
        force_destroy=boolean("var.force_destroy_s3_bucket"),
        server_side_encryption_configuration=S3BucketServerSideEncryptionConfiguration(
            rule=S3BucketServerSideEncryptionConfigurationRule(
                apply_server_side_encryption_by_default=EncryptByDefault(
                    kms_master_key_id=key.arn, sse_algorithm="aws:kms"),
                bucket_key_enabled=boolean("var.bucket_key_enabled"),
            )
        ),
        tags=metaflow_tags(),
    )
    public_access_block = at_address(S3BucketPublicAccessBlock, scope, "this",
                             bucket=bucket.id,
                             block_public_policy=True,
                             block_public_acls=True,
                             ignore_public_acls=True,
                             restrict_public_buckets=True)
    tls_only = at_address(DataAwsIamPolicyDocument, scope, "s3_tls_only", statement=[DataAwsIamPolicyDocumentStatement(
        sid="DenyInsecureTransport", effect="Deny", actions=["s3:*"],
        resources=[bucket.arn, f"{bucket.arn}/*"],
        principals=[DataAwsIamPolicyDocumentStatementPrincipals(type="*", identifiers=["*"])],
        condition=[DataAwsIamPolicyDocumentStatementCondition(
            test="Bool", variable="aws:SecureTransport", values=["false"])],
    )])
    at_address(S3BucketPolicy, scope, "this", bucket=bucket.id, policy=tls_only.json,
       # S3 refuses a policy and a public access block changed at the same time
       depends_on=[public_access_block])
    return bucket


def _network(scope):
    """Subnets in two availability zones, and a firewall open only to the metadata service."""
    subnet_group = at_address(
        DbSubnetGroup, scope, "this",
        name="${local.pg_subnet_group_name}",
        subnet_ids=["${var.subnet1_id}", "${var.subnet2_id}"],
        tags=metaflow_tags(name="local.pg_subnet_group_name"),
    )
    security_group = at_address(
        SecurityGroup, scope, "rds_security_group",
        name="${local.rds_security_group_name}",
        vpc_id="${var.metaflow_vpc_id}",
        ingress=[SecurityGroupIngress(from_port=POSTGRES_PORT, to_port=POSTGRES_PORT, protocol="tcp",
                                      security_groups=["${var.metadata_service_security_group_id}"])],
        # none: the database opens no connections, and its answers pass the stateful group anyway
        egress=[],
        tags=standard_tags(),
    )
    return subnet_group, security_group


def _database_log_group(scope, key):
    """The log group RDS publishes the PostgreSQL log to, owned here so that it is encrypted with
    the database's key and destroyed with the database."""
    return at_address(CloudwatchLogGroup, scope, "rds", name="${local.rds_log_group_name}", kms_key_id=key.arn,
              tags=standard_tags())


def _database_settings(key, password, subnet_group, security_group, log_group, *, cluster: bool) -> dict[str, Any]:
    """The settings of the Aurora cluster (`cluster`) or the RDS instance, one of which exists: the
    same for both, some under argument names of each resource type's own."""

    def named(cluster_name: str, instance_name: str) -> str:
        return cluster_name if cluster else instance_name

    return {
        # the DNS host name, so it must be unique to the account in the region
        named("cluster_identifier", "identifier"): "${local.rds_db_identifier}",
        # unprefixed: the metadata service expects this name, unique only within the database server
        named("database_name", "db_name"): "${var.db_name}",
        named("master_username", "username"): "${var.db_username}",
        named("master_password", "password"): password.result,
        named("preferred_maintenance_window", "maintenance_window"): expr(MAINTENANCE_WINDOW),
        "engine": "${var.db_engine}",
        "engine_version": "${var.db_engine_version}",
        "storage_encrypted": True,
        "kms_key_id": key.arn,
        "db_subnet_group_name": subnet_group.id,
        "vpc_security_group_ids": [security_group.id],
        "final_snapshot_identifier": "${local.rds_final_snapshot_identifier}",
        "apply_immediately": boolean("var.apply_immediately"),
        "copy_tags_to_snapshot": True,
        # lets operators connect with short-lived IAM tokens; the password keeps working
        "iam_database_authentication_enabled": True,
        "enabled_cloudwatch_logs_exports": DATABASE_LOG_EXPORTS,
        "depends_on": [log_group],
        "tags": _database_tags(),
    }


def _aurora(scope, settings: dict[str, Any]) -> None:
    at_address(RdsCluster, scope, "this", count=number(AURORA_COUNT), **settings)
    at_address(
        RdsClusterInstance, scope, "cluster_instances",
        count=number(AURORA_COUNT),
        identifier="${local.rds_db_identifier}-${count.index}",
        cluster_identifier="${aws_rds_cluster.this[0].id}",
        instance_class="${var.db_instance_type}",
        engine="${aws_rds_cluster.this[0].engine}",
        engine_version="${aws_rds_cluster.this[0].engine_version}",
        ca_cert_identifier=expr("length(var.ca_cert_identifier) > 0 ? var.ca_cert_identifier : null"),
        apply_immediately=boolean("var.apply_immediately"),
        preferred_maintenance_window=expr(MAINTENANCE_WINDOW),
    )


def _instance(scope, settings: dict[str, Any]) -> None:
    at_address(
        DbInstance, scope, "this",
        count=number(INSTANCE_COUNT),
        instance_class="${var.db_instance_type}",
        publicly_accessible=False,
        multi_az=True,
        allocated_storage=20,
        # storage grows automatically from 20 GB up to this many
        max_allocated_storage=1000,
        storage_type="gp2",
        ca_cert_identifier="${var.ca_cert_identifier}",
        **settings,
    )
