# The five modules wired together the way upstream's root main.tf wires them:
# outputs of one module feed the inputs of the others.
terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}

provider "aws" {
  region = "us-west-2"
}

# the emulator's default VPC: the UI module reads the VPC's address ranges
data "aws_vpc" "default" {
  default = true
}

locals {
  resource_prefix = "metaflow-"
  resource_suffix = "-test"
  vpc_id          = data.aws_vpc.default.id
  subnet1_id      = "subnet-1"
  subnet2_id      = "subnet-2"
  tags            = { team = "ml" }
}

module "metaflow-datastore" {
  source = "../../terraform/modules/datastore"

  resource_prefix = local.resource_prefix
  resource_suffix = local.resource_suffix

  metadata_service_security_group_id = module.metaflow-metadata-service.metadata_service_security_group_id
  metaflow_vpc_id                    = local.vpc_id
  subnet1_id                         = local.subnet1_id
  subnet2_id                         = local.subnet2_id
  standard_tags                      = local.tags
}

module "metaflow-metadata-service" {
  source = "../../terraform/modules/metadata-service"

  resource_prefix = local.resource_prefix
  resource_suffix = local.resource_suffix

  access_list_cidr_blocks         = []
  database_name                   = module.metaflow-datastore.database_name
  database_password               = module.metaflow-datastore.database_password
  database_username               = module.metaflow-datastore.database_username
  datastore_s3_bucket_kms_key_arn = module.metaflow-datastore.datastore_s3_bucket_kms_key_arn
  fargate_execution_role_arn      = module.metaflow-computation.ecs_execution_role_arn
  metaflow_vpc_id                 = local.vpc_id
  rds_master_instance_endpoint    = module.metaflow-datastore.rds_master_instance_endpoint
  s3_bucket_arn                   = module.metaflow-datastore.s3_bucket_arn
  subnet1_id                      = local.subnet1_id
  subnet2_id                      = local.subnet2_id
  vpc_cidr_blocks                 = ["10.0.0.0/16"]
  standard_tags                   = local.tags
}

module "metaflow-ui" {
  source = "../../terraform/modules/ui"

  resource_prefix = local.resource_prefix
  resource_suffix = local.resource_suffix

  database_name                      = module.metaflow-datastore.database_name
  database_password                  = module.metaflow-datastore.database_password
  database_username                  = module.metaflow-datastore.database_username
  datastore_s3_bucket_kms_key_arn    = module.metaflow-datastore.datastore_s3_bucket_kms_key_arn
  fargate_execution_role_arn         = module.metaflow-computation.ecs_execution_role_arn
  metaflow_vpc_id                    = local.vpc_id
  rds_master_instance_endpoint       = module.metaflow-datastore.rds_master_instance_endpoint
  s3_bucket_arn                      = module.metaflow-datastore.s3_bucket_arn
  subnet1_id                         = local.subnet1_id
  subnet2_id                         = local.subnet2_id
  ui_allow_list                      = ["10.0.0.0/8"]
  METAFLOW_DATASTORE_SYSROOT_S3      = module.metaflow-datastore.METAFLOW_DATASTORE_SYSROOT_S3
  certificate_arn                    = "arn:aws:acm:us-west-2:123456789012:certificate/abc"
  metadata_service_security_group_id = module.metaflow-metadata-service.metadata_service_security_group_id
  standard_tags                      = local.tags
}

module "metaflow-computation" {
  source = "../../terraform/modules/computation"

  resource_prefix = local.resource_prefix
  resource_suffix = local.resource_suffix

  batch_type                         = "ec2"
  compute_environment_desired_vcpus  = 8
  compute_environment_instance_types = ["c5.large", "c5.xlarge"]
  compute_environment_max_vcpus      = 64
  compute_environment_min_vcpus      = 8
  metaflow_vpc_id                    = local.vpc_id
  subnet1_id                         = local.subnet1_id
  subnet2_id                         = local.subnet2_id
  standard_tags                      = local.tags
}

module "metaflow-step-functions" {
  source = "../../terraform/modules/step-functions"

  resource_prefix = local.resource_prefix
  resource_suffix = local.resource_suffix

  active              = true
  batch_job_queue_arn = module.metaflow-computation.METAFLOW_BATCH_JOB_QUEUE
  s3_bucket_arn       = module.metaflow-datastore.s3_bucket_arn
  s3_bucket_kms_arn   = module.metaflow-datastore.datastore_s3_bucket_kms_key_arn
  standard_tags       = local.tags
}

output "METAFLOW_SERVICE_URL" {
  value = module.metaflow-metadata-service.METAFLOW_SERVICE_URL
}

output "METAFLOW_BATCH_JOB_QUEUE" {
  value = module.metaflow-computation.METAFLOW_BATCH_JOB_QUEUE
}

output "METAFLOW_SFN_DYNAMO_DB_TABLE" {
  value = module.metaflow-step-functions.metaflow_step_functions_dynamodb_table_name
}

output "ui_alb_dns_name" {
  value = module.metaflow-ui.alb_dns_name
}
