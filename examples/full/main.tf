###############################################################################
# Everything Metaflow's CloudFormation template deploys, from plain Terraform:
# the VPC (../network), the root module of this repository (S3, RDS, the
# metadata service on Fargate behind API Gateway with an API key, Batch, Step
# Functions with DynamoDB, the UI), the SageMaker notebook, the restricted user
# role, and the Metaflow profile, API key included; and beside the default
# Batch queue, a GPU queue and a Spot queue.
###############################################################################

resource "random_string" "suffix" {
  length  = 8
  special = false
  upper   = false
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  resource_prefix = "metaflow"
  resource_suffix = random_string.suffix.result
  # The submodules take their affixes with the dash, as the root module passes them.
  module_prefix = "${local.resource_prefix}-"
  module_suffix = "-${local.resource_suffix}"

  tags = {
    "managedBy" = "terraform"
  }

  user_role_principal_arns = length(var.user_role_principal_arns) > 0 ? var.user_role_principal_arns : [
    "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"
  ]
}

module "network" {
  source = "../network"

  name = "${local.resource_prefix}-${local.resource_suffix}"
  tags = local.tags
}

module "metaflow" {
  source = "../../terraform"

  resource_prefix = local.resource_prefix
  resource_suffix = local.resource_suffix

  # The template always creates the Step Functions roles and the DynamoDB table.
  enable_step_functions = true
  subnet1_id            = module.network.subnet_ids[0]
  subnet2_id            = module.network.subnet_ids[1]
  vpc_cidr_blocks       = [module.network.vpc_cidr_block]
  vpc_id                = module.network.vpc_id
  # public subnets without a NAT gateway: the Fargate tasks need a public IP to pull their images
  with_public_ip = true

  ui_certificate_arn = var.ui_certificate_arn
  # a UI rule with no CIDR is one AWS does not keep, so plans would never settle (../minimal)
  ui_allow_list = concat([module.network.vpc_cidr_block], var.ui_allow_list)

  # The module's default, python3.7, is no longer accepted by AWS Lambda for
  # new functions; the DB-migration handler needs only the standard library.
  db_migrate_lambda_runtime = "python3.12"

  # The module's defaults, PostgreSQL 11 on db.t2.small, are not what RDS creates
  # today: 11 only under paid Extended Support, and no db.t2 class at all. 17 runs
  # on db.t4g.small. From 15 on, RDS accepts only TLS connections, which the
  # metadata service makes from v2.4.4 on (the module's default image is v2.3.0):
  # pass the newest (README: "Database versions").
  db_engine_version                = "17"
  db_instance_type                 = "db.t4g.small"
  metadata_service_container_image = "netflixoss/metaflow_metadata_service:v2.5.1"

  # Batch instances hand their credentials only to callers with an IMDSv2
  # session token; two hops, so that containers on them reach it too.
  launch_template_http_tokens                 = "required"
  launch_template_http_put_response_hop_limit = 2

  tags = local.tags
}

module "sagemaker_notebook" {
  source = "../../terraform/modules/sagemaker-notebook"

  resource_prefix = local.module_prefix
  resource_suffix = local.module_suffix
  standard_tags   = local.tags

  metaflow_vpc_id        = module.network.vpc_id
  subnet_id              = module.network.subnet_ids[0]
  notebook_instance_type = var.notebook_instance_type

  s3_bucket_arn                   = module.metaflow.metaflow_s3_bucket_arn
  datastore_s3_bucket_kms_key_arn = module.metaflow.datastore_s3_bucket_kms_key_arn
  METAFLOW_DATASTORE_SYSROOT_S3   = module.metaflow.METAFLOW_DATASTORE_SYSROOT_S3
  METAFLOW_DATATOOLS_S3ROOT       = module.metaflow.METAFLOW_DATATOOLS_S3ROOT
  METAFLOW_SERVICE_INTERNAL_URL   = module.metaflow.METAFLOW_SERVICE_INTERNAL_URL
  METAFLOW_BATCH_JOB_QUEUE        = module.metaflow.METAFLOW_BATCH_JOB_QUEUE
  METAFLOW_ECS_S3_ACCESS_IAM_ROLE = module.metaflow.METAFLOW_ECS_S3_ACCESS_IAM_ROLE
  # the root module outputs the Fargate execution role only in its profile, and only with batch_type = "fargate"
  METAFLOW_ECS_FARGATE_EXECUTION_ROLE = lookup(jsondecode(module.metaflow.metaflow_profile_json), "METAFLOW_ECS_FARGATE_EXECUTION_ROLE", "")
}

module "user_role" {
  source = "../../terraform/modules/user-role"

  resource_prefix = local.module_prefix
  resource_suffix = local.module_suffix
  standard_tags   = local.tags

  trusted_principal_arns = local.user_role_principal_arns

  s3_bucket_arn                       = module.metaflow.metaflow_s3_bucket_arn
  datastore_s3_bucket_kms_key_arn     = module.metaflow.datastore_s3_bucket_kms_key_arn
  METAFLOW_BATCH_JOB_QUEUE            = module.metaflow.METAFLOW_BATCH_JOB_QUEUE
  METAFLOW_ECS_S3_ACCESS_IAM_ROLE     = module.metaflow.METAFLOW_ECS_S3_ACCESS_IAM_ROLE
  METAFLOW_ECS_FARGATE_EXECUTION_ROLE = lookup(jsondecode(module.metaflow.metaflow_profile_json), "METAFLOW_ECS_FARGATE_EXECUTION_ROLE", "")
  METAFLOW_SFN_IAM_ROLE               = module.metaflow.METAFLOW_SFN_IAM_ROLE
  METAFLOW_EVENTS_SFN_ACCESS_IAM_ROLE = module.metaflow.METAFLOW_EVENTS_SFN_ACCESS_IAM_ROLE
  sagemaker_notebook_arn              = module.sagemaker_notebook.notebook_instance_arn
}

# A GPU queue and a Spot queue beside the root module's: a flow picks one per step with
# @batch(queue=...). Both scale to zero when idle (min_vcpus 0), so they cost nothing unused.
module "job_queues" {
  source = "../../terraform/modules/job-queues"

  resource_prefix = local.module_prefix
  resource_suffix = local.module_suffix
  standard_tags   = local.tags

  subnet1_id                                  = module.network.subnet_ids[0]
  subnet2_id                                  = module.network.subnet_ids[1]
  batch_compute_environment_security_group_id = module.metaflow.batch_compute_environment_security_group_id

  queues = {
    # the ECS GPU image (Amazon Linux 2023 with the NVIDIA driver) on G5 instances: one A10G GPU each
    gpu = { type = "EC2", gpu = true, instance_types = ["g5.xlarge", "g5.2xlarge"], min_vcpus = 0, max_vcpus = 16 }
    # Spot instances, from the pools least likely to be interrupted
    spot = { type = "SPOT", instance_types = ["c5.large", "c5.xlarge", "m5.large", "m5.xlarge"], min_vcpus = 0, max_vcpus = 64 }
  }

  # whoever may use the default queue may use these: the Batch tasks, Step Functions, the user
  # role and the notebook (the keys are names of our choosing, known before apply)
  submitters = {
    batch_tasks    = module.metaflow.METAFLOW_ECS_S3_ACCESS_IAM_ROLE
    step_functions = module.metaflow.METAFLOW_SFN_IAM_ROLE
    user_role      = module.user_role.user_role_arn
    notebook       = module.sagemaker_notebook.execution_role_arn
  }
}

# The API key's value, which the template leaves for users to fetch by hand.
data "aws_api_gateway_api_key" "metadata_service" {
  id = module.metaflow.api_gateway_rest_api_id_key_id
}

# The Metaflow profile with the key in it: `metaflow configure import metaflow_profile.json` needs
# no edit. It holds a credential, so it is written readable by its owner only.
resource "local_sensitive_file" "metaflow_profile" {
  content = jsonencode(merge(jsondecode(module.metaflow.metaflow_profile_json), {
    METAFLOW_SERVICE_AUTH_KEY = data.aws_api_gateway_api_key.metadata_service.value
  }))
  filename        = "./metaflow_profile.json"
  file_permission = "0600"
}
