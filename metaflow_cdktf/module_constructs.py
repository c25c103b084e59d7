# Generated from the module specs (metaflow_cdktf/modules/*/spec.py) by `python main.py synth`;
# `python main.py docs --check` fails when it is stale. Do not edit.
"""The module constructs: one class per Terraform module, typed for editors and type checkers.

Keyword arguments are the module's variables; one left out (or None) is not passed, so the
module's own default applies. Attributes are the module's outputs, as Terraform references.
`source` (and `version`, for a registry) pins a released module instead of the packaged one;
`provider_line="aws6"` picks the packaged modules written for hashicorp/aws 6. An instance is a
`TerraformHclModule` of the core (cdktf or cdktn) of the app it is created in.
"""

from __future__ import annotations

from typing import Any, Mapping

from constructs import Construct

from metaflow_cdktf.construct import MetaflowModule
from metaflow_cdktf.lines import LineName
from metaflow_cdktf.modules import SPECS_BY_NAME

__all__ = [
    "Common",
    "MetadataService",
    "Datastore",
    "Computation",
    "StepFunctions",
    "Ui",
    "Metaflow",
    "SagemakerNotebook",
    "UserRole",
    "JobQueues",
]


class Common(MetaflowModule):
    """Common: Values shared by the other Metaflow modules, such as the default container images.

    The Terraform module ``terraform/modules/common``.

    :param scope: the construct this module belongs to.
    :param id: the module block's name (its resources live at ``module.<id>.<address>``).
    :param source: a released module instead of the packaged one: a git URL with ``?ref=``, or a registry address. Default: the modules packaged with metaflow-cdktf, copied into the stack.
    :param version: the version of a registry ``source``.
    :param provider_line: ``"aws6"`` for the packaged modules written for hashicorp/aws 6. Default: ``"aws5"``, those for hashicorp/aws 5. Every module of a stack must use the same.
    """

    spec = SPECS_BY_NAME["common"]

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        source: str | None = None,
        version: str | None = None,
        provider_line: LineName | None = None,
    ) -> None:
        super().__init__(scope, id, {}, source=source, version=version, provider_line=provider_line)

    @property
    def default_metadata_service_container_image(self) -> str:
        """default_metadata_service_container_image"""
        return self.output("default_metadata_service_container_image")

    @property
    def default_ui_static_container_image(self) -> str:
        """default_ui_static_container_image"""
        return self.output("default_ui_static_container_image")


class MetadataService(MetaflowModule):
    """Metadata Service: The Metaflow metadata service on AWS Fargate, behind a network load balancer and API Gateway.

    The Terraform module ``terraform/modules/metadata-service``.

    :param scope: the construct this module belongs to.
    :param id: the module block's name (its resources live at ``module.<id>.<address>``).
    :param access_list_cidr_blocks: List of CIDRs we want to grant access to our Metaflow Metadata Service. Usually this is our VPN's CIDR blocks.
    :param database_password: The database password
    :param database_username: The database username
    :param datastore_s3_bucket_kms_key_arn: The ARN of the KMS key used to encrypt the Metaflow datastore S3 bucket
    :param fargate_execution_role_arn: The IAM role that grants access to ECS and Batch services which we'll use as our Metadata Service API's execution_role for our Fargate instance
    :param metaflow_vpc_id: ID of the Metaflow VPC this SageMaker notebook instance is to be deployed in
    :param rds_master_instance_endpoint: The database connection endpoint in address:port format
    :param resource_prefix: Prefix given to all AWS resources to differentiate between applications
    :param resource_suffix: Suffix given to all AWS resources to differentiate between environment and workspace
    :param s3_bucket_arn: The ARN of the bucket we'll be using as blob storage
    :param standard_tags: The standard tags to apply to every AWS resource.
    :param subnet1_id: First private subnet used for availability zone redundancy
    :param subnet2_id: Second private subnet used for availability zone redundancy
    :param vpc_cidr_blocks: The VPC CIDR blocks that we'll access list on our Metadata Service API to allow all internal communications
    :param api_basic_auth: Enable basic auth for API Gateway? (requires key export). Default: ``true``.
    :param database_name: The database name. Default: ``"metaflow"``.
    :param db_migrate_lambda_runtime: Runtime version for the DB migrate lambda. Default: ``"python3.7"``.
    :param db_migrate_lambda_zip_file: Output path for the zip file containing the DB migrate lambda. Default: ``null``.
    :param ecs_cluster_settings: Settings for the ECS cluster. Default: ``{}``.
    :param iam_partition: IAM Partition (Select aws-us-gov for AWS GovCloud, otherwise leave as is). Default: ``"aws"``.
    :param is_gov: Set to true if IAM partition is 'aws-us-gov'. Default: ``false``.
    :param load_balancer_name_prefix: Prefix for all load balancer names. Default: ``""``.
    :param metadata_service_container_image: Container image for metadata service. Default: ``""``.
    :param metadata_service_cpu: ECS task CPU unit for metadata service. Default: ``512``.
    :param metadata_service_memory: ECS task memory in MiB for metadata service. Default: ``1024``.
    :param with_public_ip: Enable public IP assignment for the Metadata Service. Typically you want this to be set to true if using public subnets as subnet1_id and subnet2_id, and false otherwise. Default: ``false``.
    :param source: a released module instead of the packaged one: a git URL with ``?ref=``, or a registry address. Default: the modules packaged with metaflow-cdktf, copied into the stack.
    :param version: the version of a registry ``source``.
    :param provider_line: ``"aws6"`` for the packaged modules written for hashicorp/aws 6. Default: ``"aws5"``, those for hashicorp/aws 5. Every module of a stack must use the same.
    """

    spec = SPECS_BY_NAME["metadata-service"]

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        access_list_cidr_blocks: list[str],
        database_password: str,
        database_username: str,
        datastore_s3_bucket_kms_key_arn: str,
        fargate_execution_role_arn: str,
        metaflow_vpc_id: str,
        rds_master_instance_endpoint: str,
        resource_prefix: str,
        resource_suffix: str,
        s3_bucket_arn: str,
        standard_tags: Mapping[str, str],
        subnet1_id: str,
        subnet2_id: str,
        vpc_cidr_blocks: list[str],
        api_basic_auth: bool | None = None,
        database_name: str | None = None,
        db_migrate_lambda_runtime: str | None = None,
        db_migrate_lambda_zip_file: str | None = None,
        ecs_cluster_settings: Mapping[str, str] | None = None,
        iam_partition: str | None = None,
        is_gov: bool | None = None,
        load_balancer_name_prefix: str | None = None,
        metadata_service_container_image: str | None = None,
        metadata_service_cpu: float | None = None,
        metadata_service_memory: float | None = None,
        with_public_ip: bool | None = None,
        source: str | None = None,
        version: str | None = None,
        provider_line: LineName | None = None,
    ) -> None:
        super().__init__(scope, id, {
                "access_list_cidr_blocks": access_list_cidr_blocks,
                "database_password": database_password,
                "database_username": database_username,
                "datastore_s3_bucket_kms_key_arn": datastore_s3_bucket_kms_key_arn,
                "fargate_execution_role_arn": fargate_execution_role_arn,
                "metaflow_vpc_id": metaflow_vpc_id,
                "rds_master_instance_endpoint": rds_master_instance_endpoint,
                "resource_prefix": resource_prefix,
                "resource_suffix": resource_suffix,
                "s3_bucket_arn": s3_bucket_arn,
                "standard_tags": standard_tags,
                "subnet1_id": subnet1_id,
                "subnet2_id": subnet2_id,
                "vpc_cidr_blocks": vpc_cidr_blocks,
                "api_basic_auth": api_basic_auth,
                "database_name": database_name,
                "db_migrate_lambda_runtime": db_migrate_lambda_runtime,
                "db_migrate_lambda_zip_file": db_migrate_lambda_zip_file,
                "ecs_cluster_settings": ecs_cluster_settings,
                "iam_partition": iam_partition,
                "is_gov": is_gov,
                "load_balancer_name_prefix": load_balancer_name_prefix,
                "metadata_service_container_image": metadata_service_container_image,
                "metadata_service_cpu": metadata_service_cpu,
                "metadata_service_memory": metadata_service_memory,
                "with_public_ip": with_public_ip,
            }, source=source, version=version, provider_line=provider_line)

    @property
    def METAFLOW_SERVICE_INTERNAL_URL(self) -> str:
        """URL for Metadata Service (Accessible in VPC)"""
        return self.output("METAFLOW_SERVICE_INTERNAL_URL")

    @property
    def METAFLOW_SERVICE_URL(self) -> str:
        """URL for Metadata Service (Open to Public Access)"""
        return self.output("METAFLOW_SERVICE_URL")

    @property
    def api_gateway_rest_api_id(self) -> str:
        """The ID of the API Gateway REST API we'll use to accept MetaData service requests to forward to the Fargate API instance"""
        return self.output("api_gateway_rest_api_id")

    @property
    def api_gateway_rest_api_id_key_id(self) -> str:
        """API Gateway Key ID for Metadata Service. Fetch Key from AWS Console [METAFLOW_SERVICE_AUTH_KEY]"""
        return self.output("api_gateway_rest_api_id_key_id")

    @property
    def migration_function_arn(self) -> str:
        """ARN of DB Migration Function"""
        return self.output("migration_function_arn")

    @property
    def metadata_service_security_group_id(self) -> str:
        """The security group ID used by the MetaData service. We'll grant this access to our DB."""
        return self.output("metadata_service_security_group_id")

    @property
    def metadata_svc_ecs_task_role_arn(self) -> str:
        """This role is passed to AWS ECS' task definition as the `task_role`. This allows the running of the Metaflow Metadata Service to have the proper permissions to speak to other AWS resources."""
        return self.output("metadata_svc_ecs_task_role_arn")

    @property
    def network_load_balancer_dns_name(self) -> str:
        """The DNS addressable name for the Network Load Balancer that accepts requests and forwards them to our Fargate MetaData service instance(s)"""
        return self.output("network_load_balancer_dns_name")


class Datastore(MetaflowModule):
    """Datastore: The KMS-encrypted S3 bucket Metaflow stores artifacts in, and the encrypted PostgreSQL database (RDS instance, or Aurora cluster for an `aurora-*` engine) behind the metadata service.

    The Terraform module ``terraform/modules/datastore``.

    :param scope: the construct this module belongs to.
    :param id: the module block's name (its resources live at ``module.<id>.<address>``).
    :param metadata_service_security_group_id: The security group ID used by the MetaData service. We'll grant this access to our DB.
    :param metaflow_vpc_id: ID of the Metaflow VPC this SageMaker notebook instance is to be deployed in
    :param resource_prefix: Prefix given to all AWS resources to differentiate between applications
    :param resource_suffix: Suffix given to all AWS resources to differentiate between environment and workspace
    :param standard_tags: The standard tags to apply to every AWS resource.
    :param subnet1_id: First subnet used for availability zone redundancy
    :param subnet2_id: Second subnet used for availability zone redundancy
    :param apply_immediately: Apply RDS modifications immediately, or wait for Maintenance Window. Default: ``false``.
    :param bucket_key_enabled: Whether or not to use Amazon S3 Bucket Keys for SSE-KMS. Default: ``false``.
    :param ca_cert_identifier: RDS CA cert identifier for the DB Instances, or leave blank for RDS default. Default: ``""``.
    :param db_engine: (no description). Default: ``"postgres"``.
    :param db_engine_version: (no description). Default: ``"11"``.
    :param db_identifier_prefix: Identifier prefix for the RDS instance. Default: ``""``.
    :param db_instance_tags: A map of additional tags for the DB instance. Default: ``{}``.
    :param db_instance_type: RDS instance type to launch for PostgresQL database. Default: ``"db.t2.small"``.
    :param db_name: Name of PostgresQL database for Metaflow service. Default: ``"metaflow"``.
    :param db_username: PostgresQL username; defaults to 'metaflow'. Default: ``"metaflow"``.
    :param force_destroy_s3_bucket: Empty S3 bucket before destroying via terraform destroy. Default: ``false``.
    :param maintenance_window: Maintenance Window in format "ddd:hh24:mi-ddd:hh24:mi" eg. "Mon:00:00-Mon:03:00", or leave blank to randomise. Default: ``""``.
    :param s3_bucket_name: The name of the S3 bucket used for Metaflow datastore. Default: ``""``.
    :param source: a released module instead of the packaged one: a git URL with ``?ref=``, or a registry address. Default: the modules packaged with metaflow-cdktf, copied into the stack.
    :param version: the version of a registry ``source``.
    :param provider_line: ``"aws6"`` for the packaged modules written for hashicorp/aws 6. Default: ``"aws5"``, those for hashicorp/aws 5. Every module of a stack must use the same.
    """

    spec = SPECS_BY_NAME["datastore"]

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        metadata_service_security_group_id: str,
        metaflow_vpc_id: str,
        resource_prefix: str,
        resource_suffix: str,
        standard_tags: Mapping[str, str],
        subnet1_id: str,
        subnet2_id: str,
        apply_immediately: bool | None = None,
        bucket_key_enabled: bool | None = None,
        ca_cert_identifier: str | None = None,
        db_engine: str | None = None,
        db_engine_version: str | None = None,
        db_identifier_prefix: str | None = None,
        db_instance_tags: Mapping[str, str] | None = None,
        db_instance_type: str | None = None,
        db_name: str | None = None,
        db_username: str | None = None,
        force_destroy_s3_bucket: bool | None = None,
        maintenance_window: str | None = None,
        s3_bucket_name: str | None = None,
        source: str | None = None,
        version: str | None = None,
        provider_line: LineName | None = None,
    ) -> None:
        super().__init__(scope, id, {
                "metadata_service_security_group_id": metadata_service_security_group_id,
                "metaflow_vpc_id": metaflow_vpc_id,
                "resource_prefix": resource_prefix,
                "resource_suffix": resource_suffix,
                "standard_tags": standard_tags,
                "subnet1_id": subnet1_id,
                "subnet2_id": subnet2_id,
                "apply_immediately": apply_immediately,
                "bucket_key_enabled": bucket_key_enabled,
                "ca_cert_identifier": ca_cert_identifier,
                "db_engine": db_engine,
                "db_engine_version": db_engine_version,
                "db_identifier_prefix": db_identifier_prefix,
                "db_instance_tags": db_instance_tags,
                "db_instance_type": db_instance_type,
                "db_name": db_name,
                "db_username": db_username,
                "force_destroy_s3_bucket": force_destroy_s3_bucket,
                "maintenance_window": maintenance_window,
                "s3_bucket_name": s3_bucket_name,
            }, source=source, version=version, provider_line=provider_line)

    @property
    def METAFLOW_DATATOOLS_S3ROOT(self) -> str:
        """Amazon S3 URL for Metaflow DataTools"""
        return self.output("METAFLOW_DATATOOLS_S3ROOT")

    @property
    def METAFLOW_DATASTORE_SYSROOT_S3(self) -> str:
        """Amazon S3 URL for Metaflow DataStore"""
        return self.output("METAFLOW_DATASTORE_SYSROOT_S3")

    @property
    def database_name(self) -> str:
        """The database name"""
        return self.output("database_name")

    @property
    def database_password(self) -> str:
        """The database password"""
        return self.output("database_password")

    @property
    def database_username(self) -> str:
        """The database username"""
        return self.output("database_username")

    @property
    def datastore_s3_bucket_kms_key_arn(self) -> str:
        """The ARN of the KMS key used to encrypt the Metaflow datastore S3 bucket"""
        return self.output("datastore_s3_bucket_kms_key_arn")

    @property
    def rds_master_instance_endpoint(self) -> str:
        """The database connection endpoint in address:port format"""
        return self.output("rds_master_instance_endpoint")

    @property
    def s3_bucket_arn(self) -> str:
        """The ARN of the bucket we'll be using as blob storage"""
        return self.output("s3_bucket_arn")

    @property
    def s3_bucket_name(self) -> str:
        """The name of the bucket we'll be using as blob storage"""
        return self.output("s3_bucket_name")


class Computation(MetaflowModule):
    """Computation: The resources to run Metaflow steps on AWS Batch (EC2 or Fargate): a compute environment, a job queue and the IAM roles they need. Not required when steps run locally or on Kubernetes.

    The Terraform module ``terraform/modules/computation``.

    :param scope: the construct this module belongs to.
    :param id: the module block's name (its resources live at ``module.<id>.<address>``).
    :param compute_environment_desired_vcpus: Desired Starting VCPUs for Batch Compute Environment [0-16] for EC2 Batch Compute Environment (ignored for Fargate)
    :param compute_environment_instance_types: The instance types for the compute environment as a comma-separated list
    :param compute_environment_max_vcpus: Maximum VCPUs for Batch Compute Environment [16-96]
    :param compute_environment_min_vcpus: Minimum VCPUs for Batch Compute Environment [0-16] for EC2 Batch Compute Environment (ignored for Fargate)
    :param metaflow_vpc_id: ID of the Metaflow VPC this SageMaker notebook instance is to be deployed in
    :param resource_prefix: Prefix given to all AWS resources to differentiate between applications
    :param resource_suffix: Suffix given to all AWS resources to differentiate between environment and workspace
    :param standard_tags: The standard tags to apply to every AWS resource.
    :param subnet1_id: The first private subnet used for redundancy
    :param subnet2_id: The second private subnet used for redundancy
    :param batch_cluster_name: The name of the ECS cluster to use for batch processing. Default: ``""``.
    :param batch_type: AWS Batch Compute Type ('ec2', 'fargate'). Default: ``"ec2"``.
    :param compute_environment_egress_cidr_blocks: CIDR blocks to which egress is allowed from the Batch Compute environment's security group. Default: ``["0.0.0.0/0"]``.
    :param iam_partition: IAM Partition (Select aws-us-gov for AWS GovCloud, otherwise leave as is). Default: ``"aws"``.
    :param launch_template_http_endpoint: Whether the metadata service is available. Can be 'enabled' or 'disabled'. Default: ``"enabled"``.
    :param launch_template_http_put_response_hop_limit: The desired HTTP PUT response hop limit for instance metadata requests. Can be an integer from 1 to 64. Default: ``2``.
    :param launch_template_http_tokens: Whether or not the metadata service requires session tokens, also referred to as Instance Metadata Service Version 2 (IMDSv2). Can be 'optional' or 'required'. Default: ``"optional"``.
    :param source: a released module instead of the packaged one: a git URL with ``?ref=``, or a registry address. Default: the modules packaged with metaflow-cdktf, copied into the stack.
    :param version: the version of a registry ``source``.
    :param provider_line: ``"aws6"`` for the packaged modules written for hashicorp/aws 6. Default: ``"aws5"``, those for hashicorp/aws 5. Every module of a stack must use the same.
    """

    spec = SPECS_BY_NAME["computation"]

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        compute_environment_desired_vcpus: float,
        compute_environment_instance_types: list[str],
        compute_environment_max_vcpus: float,
        compute_environment_min_vcpus: float,
        metaflow_vpc_id: str,
        resource_prefix: str,
        resource_suffix: str,
        standard_tags: Mapping[str, str],
        subnet1_id: str,
        subnet2_id: str,
        batch_cluster_name: str | None = None,
        batch_type: str | None = None,
        compute_environment_egress_cidr_blocks: list[str] | None = None,
        iam_partition: str | None = None,
        launch_template_http_endpoint: str | None = None,
        launch_template_http_put_response_hop_limit: float | None = None,
        launch_template_http_tokens: str | None = None,
        source: str | None = None,
        version: str | None = None,
        provider_line: LineName | None = None,
    ) -> None:
        super().__init__(scope, id, {
                "compute_environment_desired_vcpus": compute_environment_desired_vcpus,
                "compute_environment_instance_types": compute_environment_instance_types,
                "compute_environment_max_vcpus": compute_environment_max_vcpus,
                "compute_environment_min_vcpus": compute_environment_min_vcpus,
                "metaflow_vpc_id": metaflow_vpc_id,
                "resource_prefix": resource_prefix,
                "resource_suffix": resource_suffix,
                "standard_tags": standard_tags,
                "subnet1_id": subnet1_id,
                "subnet2_id": subnet2_id,
                "batch_cluster_name": batch_cluster_name,
                "batch_type": batch_type,
                "compute_environment_egress_cidr_blocks": compute_environment_egress_cidr_blocks,
                "iam_partition": iam_partition,
                "launch_template_http_endpoint": launch_template_http_endpoint,
                "launch_template_http_put_response_hop_limit": launch_template_http_put_response_hop_limit,
                "launch_template_http_tokens": launch_template_http_tokens,
            }, source=source, version=version, provider_line=provider_line)

    @property
    def METAFLOW_BATCH_JOB_QUEUE(self) -> str:
        """AWS Batch Job Queue ARN for Metaflow"""
        return self.output("METAFLOW_BATCH_JOB_QUEUE")

    @property
    def batch_job_queue_arn(self) -> str:
        """The ARN of the job queue we'll use to accept Metaflow tasks"""
        return self.output("batch_job_queue_arn")

    @property
    def ecs_execution_role_arn(self) -> str:
        """The IAM role that grants access to ECS and Batch services which we'll use as our Metadata Service API's execution_role for our Fargate instance"""
        return self.output("ecs_execution_role_arn")

    @property
    def ecs_instance_role_arn(self) -> str:
        """This role will be granted access to our S3 Bucket which acts as our blob storage."""
        return self.output("ecs_instance_role_arn")

    @property
    def batch_compute_environment_security_group_id(self) -> str:
        """The ID of the security group attached to the Batch Compute environment."""
        return self.output("batch_compute_environment_security_group_id")


class StepFunctions(MetaflowModule):
    """Step Functions: The DynamoDB state table and IAM roles that let Metaflow schedule flows on AWS Step Functions and trigger them from Amazon EventBridge; nothing is created unless `active` is true.

    The Terraform module ``terraform/modules/step-functions``.

    :param scope: the construct this module belongs to.
    :param id: the module block's name (its resources live at ``module.<id>.<address>``).
    :param batch_job_queue_arn: Batch job queue arn
    :param resource_prefix: Prefix given to all AWS resources to differentiate between applications
    :param resource_suffix: Suffix given to all AWS resources to differentiate between environment and workspace
    :param s3_bucket_arn: arn of the metaflow datastore s3 bucket
    :param s3_bucket_kms_arn: arn of the metaflow datastore s3 bucket's kms key
    :param standard_tags: The standard tags to apply to every AWS resource.
    :param active: When true step function infrastructure is provisioned. Default: ``false``.
    :param iam_partition: IAM Partition (Select aws-us-gov for AWS GovCloud, otherwise leave as is). Default: ``"aws"``.
    :param source: a released module instead of the packaged one: a git URL with ``?ref=``, or a registry address. Default: the modules packaged with metaflow-cdktf, copied into the stack.
    :param version: the version of a registry ``source``.
    :param provider_line: ``"aws6"`` for the packaged modules written for hashicorp/aws 6. Default: ``"aws5"``, those for hashicorp/aws 5. Every module of a stack must use the same.
    """

    spec = SPECS_BY_NAME["step-functions"]

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        batch_job_queue_arn: str,
        resource_prefix: str,
        resource_suffix: str,
        s3_bucket_arn: str,
        s3_bucket_kms_arn: str,
        standard_tags: Mapping[str, str],
        active: bool | None = None,
        iam_partition: str | None = None,
        source: str | None = None,
        version: str | None = None,
        provider_line: LineName | None = None,
    ) -> None:
        super().__init__(scope, id, {
                "batch_job_queue_arn": batch_job_queue_arn,
                "resource_prefix": resource_prefix,
                "resource_suffix": resource_suffix,
                "s3_bucket_arn": s3_bucket_arn,
                "s3_bucket_kms_arn": s3_bucket_kms_arn,
                "standard_tags": standard_tags,
                "active": active,
                "iam_partition": iam_partition,
            }, source=source, version=version, provider_line=provider_line)

    @property
    def metaflow_eventbridge_role_arn(self) -> str:
        """IAM role for Amazon EventBridge to access AWS Step Functions."""
        return self.output("metaflow_eventbridge_role_arn")

    @property
    def metaflow_step_functions_dynamodb_policy(self) -> str:
        """Policy json allowing access to the step functions dynamodb table."""
        return self.output("metaflow_step_functions_dynamodb_policy")

    @property
    def metaflow_step_functions_dynamodb_table_arn(self) -> str:
        """AWS DynamoDB table arn for tracking AWS Step Functions execution metadata."""
        return self.output("metaflow_step_functions_dynamodb_table_arn")

    @property
    def metaflow_step_functions_dynamodb_table_name(self) -> str:
        """AWS DynamoDB table name for tracking AWS Step Functions execution metadata."""
        return self.output("metaflow_step_functions_dynamodb_table_name")

    @property
    def metaflow_step_functions_role_arn(self) -> str:
        """IAM role for AWS Step Functions to access AWS resources (AWS Batch, AWS DynamoDB)."""
        return self.output("metaflow_step_functions_role_arn")


class Ui(MetaflowModule):
    """UI: The Metaflow operational UI as a set of Fargate tasks behind an AWS ALB, connected to an existing RDS instance (such as the one the `datastore` module creates). Access is limited to the CIDRs in `ui_allow_list`, optionally behind Cognito authentication.

    The Terraform module ``terraform/modules/ui``.

    :param scope: the construct this module belongs to.
    :param id: the module block's name (its resources live at ``module.<id>.<address>``).
    :param METAFLOW_DATASTORE_SYSROOT_S3: METAFLOW_DATASTORE_SYSROOT_S3 value
    :param certificate_arn: SSL certificate ARN. The certificate will be used by the UI load balancer.
    :param database_password: The database password
    :param database_username: The database username
    :param datastore_s3_bucket_kms_key_arn: The ARN of the KMS key used to encrypt the Metaflow datastore S3 bucket
    :param fargate_execution_role_arn: This role allows Fargate to pull container images and logs. We'll use it as execution_role for our Fargate task
    :param metadata_service_security_group_id: The security group ID used by the MetaData service. This security group should allow connections to the RDS instance.
    :param metaflow_vpc_id: VPC to deploy services into
    :param rds_master_instance_endpoint: The database connection endpoint in address:port format
    :param resource_prefix: Prefix given to all AWS resources to differentiate between applications
    :param resource_suffix: Suffix given to all AWS resources to differentiate between environment and workspace
    :param s3_bucket_arn: The ARN of the bucket used for Metaflow datastore
    :param standard_tags: The standard tags to apply to every AWS resource.
    :param subnet1_id: First private subnet used for availability zone redundancy
    :param subnet2_id: Second private subnet used for availability zone redundancy
    :param alb_internal: Defines whether the ALB is internal. Default: ``false``.
    :param cognito_user_pool_arn: The ARN of the Cognito user pool. Default: ``""``.
    :param cognito_user_pool_client_id: The ID of the Cognito user pool client. Default: ``""``.
    :param cognito_user_pool_domain: The domain of the Cognito user pool. Default: ``""``.
    :param database_name: The database name. Default: ``"metaflow"``.
    :param ecs_cluster_settings: Settings for the ECS cluster. Default: ``{}``.
    :param extra_ui_backend_env_vars: Additional environment variables for UI backend container. Default: ``{}``.
    :param extra_ui_static_env_vars: Additional environment variables for UI static app. Default: ``{}``.
    :param iam_partition: IAM Partition (Select aws-us-gov for AWS GovCloud, otherwise leave as is). Default: ``"aws"``.
    :param is_gov: Set to true if IAM partition is 'aws-us-gov'. Default: ``false``.
    :param load_balancer_name_prefix: Prefix for all load balancer names. Default: ``""``.
    :param ui_allow_list: A list of CIDRs the UI will be available to. Default: ``[]``.
    :param ui_backend_container_image: Container image for UI backend. Default: ``""``.
    :param ui_static_container_image: Container image for the UI frontend app. Default: ``""``.
    :param source: a released module instead of the packaged one: a git URL with ``?ref=``, or a registry address. Default: the modules packaged with metaflow-cdktf, copied into the stack.
    :param version: the version of a registry ``source``.
    :param provider_line: ``"aws6"`` for the packaged modules written for hashicorp/aws 6. Default: ``"aws5"``, those for hashicorp/aws 5. Every module of a stack must use the same.
    """

    spec = SPECS_BY_NAME["ui"]

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        METAFLOW_DATASTORE_SYSROOT_S3: str,
        certificate_arn: str,
        database_password: str,
        database_username: str,
        datastore_s3_bucket_kms_key_arn: str,
        fargate_execution_role_arn: str,
        metadata_service_security_group_id: str,
        metaflow_vpc_id: str,
        rds_master_instance_endpoint: str,
        resource_prefix: str,
        resource_suffix: str,
        s3_bucket_arn: str,
        standard_tags: Mapping[str, str],
        subnet1_id: str,
        subnet2_id: str,
        alb_internal: bool | None = None,
        cognito_user_pool_arn: str | None = None,
        cognito_user_pool_client_id: str | None = None,
        cognito_user_pool_domain: str | None = None,
        database_name: str | None = None,
        ecs_cluster_settings: Mapping[str, str] | None = None,
        extra_ui_backend_env_vars: Mapping[str, str] | None = None,
        extra_ui_static_env_vars: Mapping[str, str] | None = None,
        iam_partition: str | None = None,
        is_gov: bool | None = None,
        load_balancer_name_prefix: str | None = None,
        ui_allow_list: list[str] | None = None,
        ui_backend_container_image: str | None = None,
        ui_static_container_image: str | None = None,
        source: str | None = None,
        version: str | None = None,
        provider_line: LineName | None = None,
    ) -> None:
        super().__init__(scope, id, {
                "METAFLOW_DATASTORE_SYSROOT_S3": METAFLOW_DATASTORE_SYSROOT_S3,
                "certificate_arn": certificate_arn,
                "database_password": database_password,
                "database_username": database_username,
                "datastore_s3_bucket_kms_key_arn": datastore_s3_bucket_kms_key_arn,
                "fargate_execution_role_arn": fargate_execution_role_arn,
                "metadata_service_security_group_id": metadata_service_security_group_id,
                "metaflow_vpc_id": metaflow_vpc_id,
                "rds_master_instance_endpoint": rds_master_instance_endpoint,
                "resource_prefix": resource_prefix,
                "resource_suffix": resource_suffix,
                "s3_bucket_arn": s3_bucket_arn,
                "standard_tags": standard_tags,
                "subnet1_id": subnet1_id,
                "subnet2_id": subnet2_id,
                "alb_internal": alb_internal,
                "cognito_user_pool_arn": cognito_user_pool_arn,
                "cognito_user_pool_client_id": cognito_user_pool_client_id,
                "cognito_user_pool_domain": cognito_user_pool_domain,
                "database_name": database_name,
                "ecs_cluster_settings": ecs_cluster_settings,
                "extra_ui_backend_env_vars": extra_ui_backend_env_vars,
                "extra_ui_static_env_vars": extra_ui_static_env_vars,
                "iam_partition": iam_partition,
                "is_gov": is_gov,
                "load_balancer_name_prefix": load_balancer_name_prefix,
                "ui_allow_list": ui_allow_list,
                "ui_backend_container_image": ui_backend_container_image,
                "ui_static_container_image": ui_static_container_image,
            }, source=source, version=version, provider_line=provider_line)

    @property
    def alb_dns_name(self) -> str:
        """UI ALB DNS name"""
        return self.output("alb_dns_name")

    @property
    def alb_arn(self) -> str:
        """UI ALB ARN"""
        return self.output("alb_arn")


class Metaflow(MetaflowModule):
    """Metaflow: Everything Metaflow needs on AWS in one module: the datastore, metadata service, UI, AWS Batch computation and Step Functions modules wired together, the IAM role Batch tasks run with, an optional ECR repository for the Batch image, and the `metaflow_profile_json` output to import with `metaflow configure import`.

    The Terraform module ``terraform``.

    :param scope: the construct this module belongs to.
    :param id: the module block's name (its resources live at ``module.<id>.<address>``).
    :param enable_step_functions: Provisions infrastructure for step functions if enabled
    :param subnet1_id: First subnet used for availability zone redundancy
    :param subnet2_id: Second subnet used for availability zone redundancy
    :param tags: aws tags
    :param ui_certificate_arn: SSL certificate for UI.
    :param vpc_cidr_blocks: The VPC CIDR blocks that we'll access list on our Metadata Service API to allow all internal communications
    :param vpc_id: The id of the single VPC we stood up for all Metaflow resources to exist in.
    :param access_list_cidr_blocks: List of CIDRs we want to grant access to our Metaflow Metadata Service. Usually this is our VPN's CIDR blocks. Default: ``[]``.
    :param api_basic_auth: Enable basic auth for API Gateway? (requires key export). Default: ``true``.
    :param apply_immediately: Apply RDS modifications immediately, or wait for Maintenance Window. Default: ``false``.
    :param batch_cluster_name: The name of the ECS cluster to use for batch processing. Default: ``""``.
    :param batch_type: AWS Batch Compute Type ('ec2', 'fargate'). Default: ``"ec2"``.
    :param bucket_key_enabled: Whether or not to use Amazon S3 Bucket Keys for SSE-KMS. Default: ``false``.
    :param ca_cert_identifier: RDS CA cert identifier for the DB Instances, or leave blank for RDS default. Default: ``""``.
    :param compute_environment_desired_vcpus: Desired Starting VCPUs for Batch Compute Environment [0-16] for EC2 Batch Compute Environment (ignored for Fargate). Default: ``8``.
    :param compute_environment_egress_cidr_blocks: CIDR blocks to which egress is allowed from the Batch Compute environment's security group. Default: ``["0.0.0.0/0"]``.
    :param compute_environment_instance_types: The instance types for the compute environment. Default: ``["c4.large", "c4.xlarge", "c4.2xlarge", "c4.4xlarge", "c4.8xlarge"]``.
    :param compute_environment_max_vcpus: Maximum VCPUs for Batch Compute Environment [16-96]. Default: ``64``.
    :param compute_environment_min_vcpus: Minimum VCPUs for Batch Compute Environment [0-16] for EC2 Batch Compute Environment (ignored for Fargate). Default: ``8``.
    :param db_engine_version: (no description). Default: ``"11"``.
    :param db_identifier_prefix: Identifier prefix for the RDS instance. Default: ``""``.
    :param db_instance_tags: A map of additional tags for the DB instance. Default: ``{}``.
    :param db_instance_type: RDS instance type to launch for PostgresQL database. Default: ``"db.t2.small"``.
    :param db_migrate_lambda_runtime: Runtime version for the DB migrate lambda. Default: ``"python3.7"``.
    :param db_migrate_lambda_zip_file: Output path for the zip file containing the DB migrate lambda. Default: ``null``.
    :param ecs_cluster_settings: Settings for the ECS cluster. Default: ``{}``.
    :param enable_custom_batch_container_registry: Provisions infrastructure for custom Amazon ECR container registry if enabled. Default: ``false``.
    :param extra_ui_backend_env_vars: Additional environment variables for UI backend container. Default: ``{}``.
    :param extra_ui_static_env_vars: Additional environment variables for UI static app. Default: ``{}``.
    :param iam_partition: IAM Partition (Select aws-us-gov for AWS GovCloud, otherwise leave as is). Default: ``"aws"``.
    :param launch_template_http_endpoint: Whether the metadata service is available. Can be 'enabled' or 'disabled'. Default: ``"enabled"``.
    :param launch_template_http_put_response_hop_limit: The desired HTTP PUT response hop limit for instance metadata requests. Can be an integer from 1 to 64. Default: ``2``.
    :param launch_template_http_tokens: Whether or not the metadata service requires session tokens, also referred to as Instance Metadata Service Version 2 (IMDSv2). Can be 'optional' or 'required'. Default: ``"optional"``.
    :param load_balancer_name_prefix: Prefix for all load balancer names. Default: ``""``.
    :param maintenance_window: Maintenance Window in format "ddd:hh24:mi-ddd:hh24:mi" eg. "Mon:00:00-Mon:03:00", or leave blank to randomise. Default: ``""``.
    :param metadata_service_container_image: Container image for metadata service. Default: ``""``.
    :param resource_prefix: string prefix for all resources. Default: ``"metaflow"``.
    :param resource_suffix: string suffix for all resources. Default: ``""``.
    :param s3_bucket_name: The name of the S3 bucket used for Metaflow datastore. Default: ``""``.
    :param ui_alb_internal: Defines whether the ALB for the UI is internal. Default: ``false``.
    :param ui_allow_list: List of CIDRs we want to grant access to our Metaflow UI Service. Usually this is our VPN's CIDR blocks. Default: ``[]``.
    :param ui_cognito_user_pool_arn: The ARN of the Cognito user pool. Default: ``""``.
    :param ui_cognito_user_pool_client_id: The ID of the Cognito user pool client. Default: ``""``.
    :param ui_cognito_user_pool_domain: The domain of the Cognito user pool. Default: ``""``.
    :param ui_static_container_image: Container image for the UI frontend app. Default: ``""``.
    :param with_public_ip: Enable public IP assignment for the Metadata Service. Typically you want this to be set to true if using public subnets as subnet1_id and subnet2_id, and false otherwise. Default: ``false``.
    :param source: a released module instead of the packaged one: a git URL with ``?ref=``, or a registry address. Default: the modules packaged with metaflow-cdktf, copied into the stack.
    :param version: the version of a registry ``source``.
    :param provider_line: ``"aws6"`` for the packaged modules written for hashicorp/aws 6. Default: ``"aws5"``, those for hashicorp/aws 5. Every module of a stack must use the same.
    """

    spec = SPECS_BY_NAME["metaflow"]

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        enable_step_functions: bool,
        subnet1_id: str,
        subnet2_id: str,
        tags: Mapping[str, str],
        ui_certificate_arn: str,
        vpc_cidr_blocks: list[str],
        vpc_id: str,
        access_list_cidr_blocks: list[str] | None = None,
        api_basic_auth: bool | None = None,
        apply_immediately: bool | None = None,
        batch_cluster_name: str | None = None,
        batch_type: str | None = None,
        bucket_key_enabled: bool | None = None,
        ca_cert_identifier: str | None = None,
        compute_environment_desired_vcpus: float | None = None,
        compute_environment_egress_cidr_blocks: list[str] | None = None,
        compute_environment_instance_types: list[str] | None = None,
        compute_environment_max_vcpus: float | None = None,
        compute_environment_min_vcpus: float | None = None,
        db_engine_version: str | None = None,
        db_identifier_prefix: str | None = None,
        db_instance_tags: Mapping[str, str] | None = None,
        db_instance_type: str | None = None,
        db_migrate_lambda_runtime: str | None = None,
        db_migrate_lambda_zip_file: str | None = None,
        ecs_cluster_settings: Mapping[str, str] | None = None,
        enable_custom_batch_container_registry: bool | None = None,
        extra_ui_backend_env_vars: Mapping[str, str] | None = None,
        extra_ui_static_env_vars: Mapping[str, str] | None = None,
        iam_partition: str | None = None,
        launch_template_http_endpoint: str | None = None,
        launch_template_http_put_response_hop_limit: float | None = None,
        launch_template_http_tokens: str | None = None,
        load_balancer_name_prefix: str | None = None,
        maintenance_window: str | None = None,
        metadata_service_container_image: str | None = None,
        resource_prefix: Any | None = None,
        resource_suffix: Any | None = None,
        s3_bucket_name: str | None = None,
        ui_alb_internal: bool | None = None,
        ui_allow_list: list[str] | None = None,
        ui_cognito_user_pool_arn: str | None = None,
        ui_cognito_user_pool_client_id: str | None = None,
        ui_cognito_user_pool_domain: str | None = None,
        ui_static_container_image: str | None = None,
        with_public_ip: bool | None = None,
        source: str | None = None,
        version: str | None = None,
        provider_line: LineName | None = None,
    ) -> None:
        super().__init__(scope, id, {
                "enable_step_functions": enable_step_functions,
                "subnet1_id": subnet1_id,
                "subnet2_id": subnet2_id,
                "tags": tags,
                "ui_certificate_arn": ui_certificate_arn,
                "vpc_cidr_blocks": vpc_cidr_blocks,
                "vpc_id": vpc_id,
                "access_list_cidr_blocks": access_list_cidr_blocks,
                "api_basic_auth": api_basic_auth,
                "apply_immediately": apply_immediately,
                "batch_cluster_name": batch_cluster_name,
                "batch_type": batch_type,
                "bucket_key_enabled": bucket_key_enabled,
                "ca_cert_identifier": ca_cert_identifier,
                "compute_environment_desired_vcpus": compute_environment_desired_vcpus,
                "compute_environment_egress_cidr_blocks": compute_environment_egress_cidr_blocks,
                "compute_environment_instance_types": compute_environment_instance_types,
                "compute_environment_max_vcpus": compute_environment_max_vcpus,
                "compute_environment_min_vcpus": compute_environment_min_vcpus,
                "db_engine_version": db_engine_version,
                "db_identifier_prefix": db_identifier_prefix,
                "db_instance_tags": db_instance_tags,
                "db_instance_type": db_instance_type,
                "db_migrate_lambda_runtime": db_migrate_lambda_runtime,
                "db_migrate_lambda_zip_file": db_migrate_lambda_zip_file,
                "ecs_cluster_settings": ecs_cluster_settings,
                "enable_custom_batch_container_registry": enable_custom_batch_container_registry,
                "extra_ui_backend_env_vars": extra_ui_backend_env_vars,
                "extra_ui_static_env_vars": extra_ui_static_env_vars,
                "iam_partition": iam_partition,
                "launch_template_http_endpoint": launch_template_http_endpoint,
                "launch_template_http_put_response_hop_limit": launch_template_http_put_response_hop_limit,
                "launch_template_http_tokens": launch_template_http_tokens,
                "load_balancer_name_prefix": load_balancer_name_prefix,
                "maintenance_window": maintenance_window,
                "metadata_service_container_image": metadata_service_container_image,
                "resource_prefix": resource_prefix,
                "resource_suffix": resource_suffix,
                "s3_bucket_name": s3_bucket_name,
                "ui_alb_internal": ui_alb_internal,
                "ui_allow_list": ui_allow_list,
                "ui_cognito_user_pool_arn": ui_cognito_user_pool_arn,
                "ui_cognito_user_pool_client_id": ui_cognito_user_pool_client_id,
                "ui_cognito_user_pool_domain": ui_cognito_user_pool_domain,
                "ui_static_container_image": ui_static_container_image,
                "with_public_ip": with_public_ip,
            }, source=source, version=version, provider_line=provider_line)

    @property
    def METAFLOW_BATCH_JOB_QUEUE(self) -> str:
        """AWS Batch Job Queue ARN for Metaflow"""
        return self.output("METAFLOW_BATCH_JOB_QUEUE")

    @property
    def METAFLOW_DATASTORE_SYSROOT_S3(self) -> str:
        """Amazon S3 URL for Metaflow DataStore"""
        return self.output("METAFLOW_DATASTORE_SYSROOT_S3")

    @property
    def METAFLOW_DATATOOLS_S3ROOT(self) -> str:
        """Amazon S3 URL for Metaflow DataTools"""
        return self.output("METAFLOW_DATATOOLS_S3ROOT")

    @property
    def METAFLOW_ECS_S3_ACCESS_IAM_ROLE(self) -> str:
        """Role for AWS Batch to Access Amazon S3"""
        return self.output("METAFLOW_ECS_S3_ACCESS_IAM_ROLE")

    @property
    def METAFLOW_EVENTS_SFN_ACCESS_IAM_ROLE(self) -> str:
        """IAM role for Amazon EventBridge to access AWS Step Functions."""
        return self.output("METAFLOW_EVENTS_SFN_ACCESS_IAM_ROLE")

    @property
    def METAFLOW_SERVICE_INTERNAL_URL(self) -> str:
        """URL for Metadata Service (Accessible in VPC)"""
        return self.output("METAFLOW_SERVICE_INTERNAL_URL")

    @property
    def METAFLOW_SERVICE_URL(self) -> str:
        """URL for Metadata Service (Accessible in VPC)"""
        return self.output("METAFLOW_SERVICE_URL")

    @property
    def METAFLOW_SFN_DYNAMO_DB_TABLE(self) -> str:
        """AWS DynamoDB table name for tracking AWS Step Functions execution metadata."""
        return self.output("METAFLOW_SFN_DYNAMO_DB_TABLE")

    @property
    def METAFLOW_SFN_IAM_ROLE(self) -> str:
        """IAM role for AWS Step Functions to access AWS resources (AWS Batch, AWS DynamoDB)."""
        return self.output("METAFLOW_SFN_IAM_ROLE")

    @property
    def api_gateway_rest_api_id_key_id(self) -> str:
        """API Gateway Key ID for Metadata Service. Fetch Key from AWS Console [METAFLOW_SERVICE_AUTH_KEY]"""
        return self.output("api_gateway_rest_api_id_key_id")

    @property
    def datastore_s3_bucket_kms_key_arn(self) -> str:
        """The ARN of the KMS key used to encrypt the Metaflow datastore S3 bucket"""
        return self.output("datastore_s3_bucket_kms_key_arn")

    @property
    def metadata_svc_ecs_task_role_arn(self) -> str:
        """metadata_svc_ecs_task_role_arn"""
        return self.output("metadata_svc_ecs_task_role_arn")

    @property
    def metaflow_api_gateway_rest_api_id(self) -> str:
        """The ID of the API Gateway REST API we'll use to accept MetaData service requests to forward to the Fargate API instance"""
        return self.output("metaflow_api_gateway_rest_api_id")

    @property
    def metaflow_batch_container_image(self) -> str:
        """The ECR repo containing the metaflow batch image"""
        return self.output("metaflow_batch_container_image")

    @property
    def metaflow_profile_json(self) -> str:
        """Metaflow profile JSON object that can be used to communicate with this Metaflow Stack. Store this in `~/.metaflow/config_[stack-name]` and select with `$ export METAFLOW_PROFILE=[stack-name]`."""
        return self.output("metaflow_profile_json")

    @property
    def metaflow_s3_bucket_name(self) -> str:
        """The name of the bucket we'll be using as blob storage"""
        return self.output("metaflow_s3_bucket_name")

    @property
    def metaflow_s3_bucket_arn(self) -> str:
        """The ARN of the bucket we'll be using as blob storage"""
        return self.output("metaflow_s3_bucket_arn")

    @property
    def migration_function_arn(self) -> str:
        """ARN of DB Migration Function"""
        return self.output("migration_function_arn")

    @property
    def ui_alb_dns_name(self) -> str:
        """UI ALB DNS name"""
        return self.output("ui_alb_dns_name")

    @property
    def ui_alb_arn(self) -> str:
        """UI ALB ARN"""
        return self.output("ui_alb_arn")

    @property
    def batch_compute_environment_security_group_id(self) -> str:
        """The ID of the security group attached to the Batch Compute environment."""
        return self.output("batch_compute_environment_security_group_id")


class SagemakerNotebook(MetaflowModule):
    """SageMaker Notebook: An Amazon SageMaker notebook instance in the Metaflow VPC whose Jupyter uses this Metaflow deployment right away: a lifecycle configuration writes the Metaflow settings at every start, and its execution role reaches only the datastore (bucket and key), the Batch queue, its logs and its own notebook.

    The Terraform module ``terraform/modules/sagemaker-notebook``.

    :param scope: the construct this module belongs to.
    :param id: the module block's name (its resources live at ``module.<id>.<address>``).
    :param METAFLOW_BATCH_JOB_QUEUE: ARN of the AWS Batch job queue Metaflow steps run on
    :param METAFLOW_DATASTORE_SYSROOT_S3: Amazon S3 URL for Metaflow DataStore (the datastore module's output of that name)
    :param METAFLOW_DATATOOLS_S3ROOT: Amazon S3 URL for Metaflow DataTools (the datastore module's output of that name)
    :param METAFLOW_ECS_S3_ACCESS_IAM_ROLE: ARN of the role AWS Batch tasks run with; the notebook may hand it to the jobs it submits
    :param METAFLOW_SERVICE_INTERNAL_URL: URL of the metadata service inside the VPC; the notebook talks to it directly, without the API Gateway and its key
    :param datastore_s3_bucket_kms_key_arn: The ARN of the KMS key used to encrypt the Metaflow datastore S3 bucket
    :param metaflow_vpc_id: ID of the Metaflow VPC this SageMaker notebook instance is to be deployed in
    :param resource_prefix: Prefix given to all AWS resources to differentiate between applications
    :param resource_suffix: Suffix given to all AWS resources to differentiate between environment and workspace
    :param s3_bucket_arn: The ARN of the Metaflow datastore bucket
    :param standard_tags: The standard tags to apply to every AWS resource.
    :param subnet_id: The subnet of the Metaflow VPC the notebook instance is placed in
    :param METAFLOW_ECS_FARGATE_EXECUTION_ROLE: ARN of the ECS execution role Fargate Batch jobs run with, which the notebook's Metaflow settings name and the notebook may hand to the job definitions it registers; empty when Batch runs on EC2. Default: ``""``.
    :param iam_partition: IAM Partition (Select aws-us-gov for AWS GovCloud, otherwise leave as is). Default: ``"aws"``.
    :param notebook_instance_type: SageMaker instance type of the notebook instance. Default: ``"ml.t3.medium"``.
    :param source: a released module instead of the packaged one: a git URL with ``?ref=``, or a registry address. Default: the modules packaged with metaflow-cdktf, copied into the stack.
    :param version: the version of a registry ``source``.
    :param provider_line: ``"aws6"`` for the packaged modules written for hashicorp/aws 6. Default: ``"aws5"``, those for hashicorp/aws 5. Every module of a stack must use the same.
    """

    spec = SPECS_BY_NAME["sagemaker-notebook"]

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        METAFLOW_BATCH_JOB_QUEUE: str,
        METAFLOW_DATASTORE_SYSROOT_S3: str,
        METAFLOW_DATATOOLS_S3ROOT: str,
        METAFLOW_ECS_S3_ACCESS_IAM_ROLE: str,
        METAFLOW_SERVICE_INTERNAL_URL: str,
        datastore_s3_bucket_kms_key_arn: str,
        metaflow_vpc_id: str,
        resource_prefix: str,
        resource_suffix: str,
        s3_bucket_arn: str,
        standard_tags: Mapping[str, str],
        subnet_id: str,
        METAFLOW_ECS_FARGATE_EXECUTION_ROLE: str | None = None,
        iam_partition: str | None = None,
        notebook_instance_type: str | None = None,
        source: str | None = None,
        version: str | None = None,
        provider_line: LineName | None = None,
    ) -> None:
        super().__init__(scope, id, {
                "METAFLOW_BATCH_JOB_QUEUE": METAFLOW_BATCH_JOB_QUEUE,
                "METAFLOW_DATASTORE_SYSROOT_S3": METAFLOW_DATASTORE_SYSROOT_S3,
                "METAFLOW_DATATOOLS_S3ROOT": METAFLOW_DATATOOLS_S3ROOT,
                "METAFLOW_ECS_S3_ACCESS_IAM_ROLE": METAFLOW_ECS_S3_ACCESS_IAM_ROLE,
                "METAFLOW_SERVICE_INTERNAL_URL": METAFLOW_SERVICE_INTERNAL_URL,
                "datastore_s3_bucket_kms_key_arn": datastore_s3_bucket_kms_key_arn,
                "metaflow_vpc_id": metaflow_vpc_id,
                "resource_prefix": resource_prefix,
                "resource_suffix": resource_suffix,
                "s3_bucket_arn": s3_bucket_arn,
                "standard_tags": standard_tags,
                "subnet_id": subnet_id,
                "METAFLOW_ECS_FARGATE_EXECUTION_ROLE": METAFLOW_ECS_FARGATE_EXECUTION_ROLE,
                "iam_partition": iam_partition,
                "notebook_instance_type": notebook_instance_type,
            }, source=source, version=version, provider_line=provider_line)

    @property
    def notebook_url(self) -> str:
        """URL of the notebook instance's Jupyter [SageMakerNoteBookURL]"""
        return self.output("notebook_url")

    @property
    def notebook_instance_name(self) -> str:
        """Name of the SageMaker notebook instance"""
        return self.output("notebook_instance_name")

    @property
    def notebook_instance_arn(self) -> str:
        """ARN of the SageMaker notebook instance"""
        return self.output("notebook_instance_arn")

    @property
    def execution_role_arn(self) -> str:
        """ARN of the role the notebook instance runs as"""
        return self.output("execution_role_arn")

    @property
    def security_group_id(self) -> str:
        """ID of the notebook instance's security group"""
        return self.output("security_group_id")


class UserRole(MetaflowModule):
    """User Role: The restricted role users or applications assume to use Metaflow (the CloudFormation template's optional CustomRole): it reaches only what Metaflow needs of this deployment, the datastore, the Batch queue and its jobs' logs, Step Functions and EventBridge rules, and optionally the SageMaker notebook. The same permissions are a managed policy, to attach to other principals too.

    The Terraform module ``terraform/modules/user-role``.

    :param scope: the construct this module belongs to.
    :param id: the module block's name (its resources live at ``module.<id>.<address>``).
    :param METAFLOW_BATCH_JOB_QUEUE: ARN of the AWS Batch job queue the role may submit jobs to
    :param METAFLOW_ECS_S3_ACCESS_IAM_ROLE: ARN of the role AWS Batch tasks run with; the role may hand it to the jobs it submits
    :param datastore_s3_bucket_kms_key_arn: The ARN of the KMS key used to encrypt the Metaflow datastore S3 bucket
    :param resource_prefix: Prefix given to all AWS resources to differentiate between applications
    :param resource_suffix: Suffix given to all AWS resources to differentiate between environment and workspace
    :param s3_bucket_arn: The ARN of the Metaflow datastore bucket
    :param standard_tags: The standard tags to apply to every AWS resource.
    :param trusted_principal_arns: ARNs of the IAM users, roles or accounts allowed to assume the role
    :param METAFLOW_ECS_FARGATE_EXECUTION_ROLE: ARN of the ECS execution role Fargate Batch jobs run with, which the role may hand to the job definitions it registers; empty when Batch runs on EC2. Default: ``""``.
    :param METAFLOW_EVENTS_SFN_ACCESS_IAM_ROLE: ARN of the role EventBridge triggers state machines with, which the role may hand to the rules it creates; empty when Step Functions are not used. Default: ``""``.
    :param METAFLOW_SFN_IAM_ROLE: ARN of the role Step Functions run as, which the role may hand to the state machines it creates; empty when Step Functions are not used. Default: ``""``.
    :param iam_partition: IAM Partition (Select aws-us-gov for AWS GovCloud, otherwise leave as is). Default: ``"aws"``.
    :param sagemaker_notebook_arn: ARN of the SageMaker notebook instance the role may open, start and stop; empty for none. Default: ``""``.
    :param source: a released module instead of the packaged one: a git URL with ``?ref=``, or a registry address. Default: the modules packaged with metaflow-cdktf, copied into the stack.
    :param version: the version of a registry ``source``.
    :param provider_line: ``"aws6"`` for the packaged modules written for hashicorp/aws 6. Default: ``"aws5"``, those for hashicorp/aws 5. Every module of a stack must use the same.
    """

    spec = SPECS_BY_NAME["user-role"]

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        METAFLOW_BATCH_JOB_QUEUE: str,
        METAFLOW_ECS_S3_ACCESS_IAM_ROLE: str,
        datastore_s3_bucket_kms_key_arn: str,
        resource_prefix: str,
        resource_suffix: str,
        s3_bucket_arn: str,
        standard_tags: Mapping[str, str],
        trusted_principal_arns: list[str],
        METAFLOW_ECS_FARGATE_EXECUTION_ROLE: str | None = None,
        METAFLOW_EVENTS_SFN_ACCESS_IAM_ROLE: str | None = None,
        METAFLOW_SFN_IAM_ROLE: str | None = None,
        iam_partition: str | None = None,
        sagemaker_notebook_arn: str | None = None,
        source: str | None = None,
        version: str | None = None,
        provider_line: LineName | None = None,
    ) -> None:
        super().__init__(scope, id, {
                "METAFLOW_BATCH_JOB_QUEUE": METAFLOW_BATCH_JOB_QUEUE,
                "METAFLOW_ECS_S3_ACCESS_IAM_ROLE": METAFLOW_ECS_S3_ACCESS_IAM_ROLE,
                "datastore_s3_bucket_kms_key_arn": datastore_s3_bucket_kms_key_arn,
                "resource_prefix": resource_prefix,
                "resource_suffix": resource_suffix,
                "s3_bucket_arn": s3_bucket_arn,
                "standard_tags": standard_tags,
                "trusted_principal_arns": trusted_principal_arns,
                "METAFLOW_ECS_FARGATE_EXECUTION_ROLE": METAFLOW_ECS_FARGATE_EXECUTION_ROLE,
                "METAFLOW_EVENTS_SFN_ACCESS_IAM_ROLE": METAFLOW_EVENTS_SFN_ACCESS_IAM_ROLE,
                "METAFLOW_SFN_IAM_ROLE": METAFLOW_SFN_IAM_ROLE,
                "iam_partition": iam_partition,
                "sagemaker_notebook_arn": sagemaker_notebook_arn,
            }, source=source, version=version, provider_line=provider_line)

    @property
    def user_role_arn(self) -> str:
        """ARN of the restricted Metaflow user role [MetaflowUserRoleArn]"""
        return self.output("user_role_arn")

    @property
    def user_role_name(self) -> str:
        """Name of the restricted Metaflow user role"""
        return self.output("user_role_name")

    @property
    def user_policy_arn(self) -> str:
        """ARN of the managed policy holding the role's permissions"""
        return self.output("user_policy_arn")


class JobQueues(MetaflowModule):
    """Job Queues: More AWS Batch job queues beside the one of the computation module: GPU instances, Spot instances, Fargate and Fargate Spot, each queue on a compute environment of its own, so that a flow picks one per step with `@batch(queue=...)`. The roles named in `submitters` may submit jobs to all of them.

    The Terraform module ``terraform/modules/job-queues``.

    :param scope: the construct this module belongs to.
    :param id: the module block's name (its resources live at ``module.<id>.<address>``).
    :param batch_compute_environment_security_group_id: ID of the security group of the queues' instances and Fargate tasks: the root module's or the computation module's output of that name
    :param queues: The job queues, by a key of your choosing that their names and the outputs use. Each is a compute environment and its queue: type EC2 (on-demand), SPOT (Spot, capacity-optimized), FARGATE or FARGATE_SPOT; instance_types for EC2 and SPOT; gpu = true for the ECS GPU image (EC2 and SPOT only); min_vcpus, max_vcpus and desired_vcpus (EC2 and SPOT; Fargate uses max_vcpus only); the queue's priority
    :param resource_prefix: Prefix given to all AWS resources to differentiate between applications
    :param resource_suffix: Suffix given to all AWS resources to differentiate between environment and workspace
    :param standard_tags: The standard tags to apply to every AWS resource.
    :param subnet1_id: First subnet used for availability zone redundancy
    :param subnet2_id: Second subnet used for availability zone redundancy
    :param iam_partition: IAM Partition (Select aws-us-gov for AWS GovCloud, otherwise leave as is). Default: ``"aws"``.
    :param submitters: IAM role ARNs allowed to submit jobs to every queue, by names of your choosing that must be known before apply (such as batch_tasks, step_functions, user_role); each role gets an inline policy. Default: ``{}``.
    :param source: a released module instead of the packaged one: a git URL with ``?ref=``, or a registry address. Default: the modules packaged with metaflow-cdktf, copied into the stack.
    :param version: the version of a registry ``source``.
    :param provider_line: ``"aws6"`` for the packaged modules written for hashicorp/aws 6. Default: ``"aws5"``, those for hashicorp/aws 5. Every module of a stack must use the same.
    """

    spec = SPECS_BY_NAME["job-queues"]

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        batch_compute_environment_security_group_id: str,
        queues: Mapping[str, Mapping[str, Any]],
        resource_prefix: str,
        resource_suffix: str,
        standard_tags: Mapping[str, str],
        subnet1_id: str,
        subnet2_id: str,
        iam_partition: str | None = None,
        submitters: Mapping[str, str] | None = None,
        source: str | None = None,
        version: str | None = None,
        provider_line: LineName | None = None,
    ) -> None:
        super().__init__(scope, id, {
                "batch_compute_environment_security_group_id": batch_compute_environment_security_group_id,
                "queues": queues,
                "resource_prefix": resource_prefix,
                "resource_suffix": resource_suffix,
                "standard_tags": standard_tags,
                "subnet1_id": subnet1_id,
                "subnet2_id": subnet2_id,
                "iam_partition": iam_partition,
                "submitters": submitters,
            }, source=source, version=version, provider_line=provider_line)

    @property
    def job_queue_arns(self) -> str:
        """ARNs of the job queues, by key: what `@batch(queue=...)` takes"""
        return self.output("job_queue_arns")

    @property
    def compute_environment_arns(self) -> str:
        """ARNs of the compute environments, by key"""
        return self.output("compute_environment_arns")

    @property
    def fargate_execution_role_arn(self) -> str:
        """ARN of the ECS execution role of jobs on the FARGATE and FARGATE_SPOT queues (METAFLOW_ECS_FARGATE_EXECUTION_ROLE, or `@batch(execution_role=...)`); empty without such a queue"""
        return self.output("fargate_execution_role_arn")
