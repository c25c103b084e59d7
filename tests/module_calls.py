"""Calls of upstream's modules that pass every required variable and nothing else, each value
one the module's rules accept, as a consumer's root would pass them (no AWS account behind them)."""

from __future__ import annotations

BUCKET_ARN = "arn:aws:s3:::metaflow"
KMS_KEY_ARN = "arn:aws:kms:us-west-2:123456789012:key/abc"
ROLE_ARN = "arn:aws:iam::123456789012:role/ecs-execution"
CERTIFICATE_ARN = "arn:aws:acm:us-west-2:123456789012:certificate/abc"
AFFIXES = {"resource_prefix": "metaflow-", "resource_suffix": "-test"}
SUBNETS = {"subnet1_id": "subnet-1", "subnet2_id": "subnet-2"}
DATABASE = {
    "database_password": "not-a-real-password", "database_username": "metaflow",
    "datastore_s3_bucket_kms_key_arn": KMS_KEY_ARN, "rds_master_instance_endpoint": "metaflow.example:5432",
    "s3_bucket_arn": BUCKET_ARN,
}

ROOT_MODULE_CALL = {
    "enable_step_functions": False,
    **SUBNETS,
    "vpc_cidr_blocks": ["10.0.0.0/16"],
    "vpc_id": "vpc-123",
    "tags": {"team": "ml"},
    "ui_certificate_arn": CERTIFICATE_ARN,
}
DATASTORE_CALL = {
    **AFFIXES, **SUBNETS, "metadata_service_security_group_id": "sg-123", "metaflow_vpc_id": "vpc-123",
    "standard_tags": {},
}
METADATA_SERVICE_CALL = {
    **AFFIXES, **SUBNETS, **DATABASE, "access_list_cidr_blocks": [], "fargate_execution_role_arn": ROLE_ARN,
    "metaflow_vpc_id": "vpc-123", "standard_tags": {}, "vpc_cidr_blocks": ["10.0.0.0/16"],
}
COMPUTATION_CALL = {
    **AFFIXES, **SUBNETS, "compute_environment_desired_vcpus": 8, "compute_environment_instance_types": ["c5.large"],
    "compute_environment_max_vcpus": 64, "compute_environment_min_vcpus": 8, "metaflow_vpc_id": "vpc-123",
    "standard_tags": {},
}
STEP_FUNCTIONS_CALL = {
    **AFFIXES, "batch_job_queue_arn": "arn:aws:batch:us-west-2:123456789012:job-queue/metaflow",
    "s3_bucket_arn": BUCKET_ARN, "s3_bucket_kms_arn": KMS_KEY_ARN, "standard_tags": {},
}
UI_CALL = {
    **AFFIXES, **SUBNETS, **DATABASE, "fargate_execution_role_arn": ROLE_ARN, "metaflow_vpc_id": "vpc-123",
    "METAFLOW_DATASTORE_SYSROOT_S3": "s3://metaflow/metaflow", "certificate_arn": CERTIFICATE_ARN,
    "metadata_service_security_group_id": "sg-123", "standard_tags": {},
}

# Upstream's modules that take variables (common takes none), by module name.
CALLS = {
    "metaflow": ROOT_MODULE_CALL,
    "datastore": DATASTORE_CALL,
    "metadata-service": METADATA_SERVICE_CALL,
    "computation": COMPUTATION_CALL,
    "step-functions": STEP_FUNCTIONS_CALL,
    "ui": UI_CALL,
}
