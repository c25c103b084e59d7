# The two modules of this project's own (no upstream counterpart) added to a Metaflow deployment
# that already exists: its outputs are passed in as the values a team copies from it.
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

locals {
  resource_prefix = "metaflow-"
  resource_suffix = "-test"
  tags            = { team = "ml" }
  account         = "123456789012"
  bucket          = "metaflow-s3-test"

  deployment = {
    s3_bucket_arn                   = "arn:aws:s3:::${local.bucket}"
    datastore_s3_bucket_kms_key_arn = "arn:aws:kms:us-west-2:${local.account}:key/0b5f7c1e-5a4b-4d8e-9f6a-2c1d3e4f5a6b"
    METAFLOW_BATCH_JOB_QUEUE        = "arn:aws:batch:us-west-2:${local.account}:job-queue/metaflow-test"
    METAFLOW_ECS_S3_ACCESS_IAM_ROLE = "arn:aws:iam::${local.account}:role/metaflow-batch_s3_task_role-test"
  }
}

module "sagemaker-notebook" {
  source = "../../terraform/modules/sagemaker-notebook"

  resource_prefix = local.resource_prefix
  resource_suffix = local.resource_suffix
  standard_tags   = local.tags

  metaflow_vpc_id = "vpc-123"
  subnet_id       = "subnet-1"

  s3_bucket_arn                   = local.deployment.s3_bucket_arn
  datastore_s3_bucket_kms_key_arn = local.deployment.datastore_s3_bucket_kms_key_arn
  METAFLOW_DATASTORE_SYSROOT_S3   = "s3://${local.bucket}/metaflow"
  METAFLOW_DATATOOLS_S3ROOT       = "s3://${local.bucket}/data"
  METAFLOW_SERVICE_INTERNAL_URL   = "http://metaflow-nlb-test-0123456789.elb.us-west-2.amazonaws.com/"
  METAFLOW_BATCH_JOB_QUEUE        = local.deployment.METAFLOW_BATCH_JOB_QUEUE
  METAFLOW_ECS_S3_ACCESS_IAM_ROLE = local.deployment.METAFLOW_ECS_S3_ACCESS_IAM_ROLE
}

module "user-role" {
  source = "../../terraform/modules/user-role"

  resource_prefix = local.resource_prefix
  resource_suffix = local.resource_suffix
  standard_tags   = local.tags

  trusted_principal_arns = ["arn:aws:iam::${local.account}:root"]

  s3_bucket_arn                       = local.deployment.s3_bucket_arn
  datastore_s3_bucket_kms_key_arn     = local.deployment.datastore_s3_bucket_kms_key_arn
  METAFLOW_BATCH_JOB_QUEUE            = local.deployment.METAFLOW_BATCH_JOB_QUEUE
  METAFLOW_ECS_S3_ACCESS_IAM_ROLE     = local.deployment.METAFLOW_ECS_S3_ACCESS_IAM_ROLE
  METAFLOW_SFN_IAM_ROLE               = "arn:aws:iam::${local.account}:role/metaflow-step_functions_role-test"
  METAFLOW_EVENTS_SFN_ACCESS_IAM_ROLE = "arn:aws:iam::${local.account}:role/metaflow-eventbridge_role-test"
  sagemaker_notebook_arn              = module.sagemaker-notebook.notebook_instance_arn
}
