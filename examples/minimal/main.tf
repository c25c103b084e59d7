###############################################################################
# A minimal Metaflow deployment with AWS Batch support: a VPC with two public
# subnets (../network), and the root module of this repository (terraform/).
#
# Like upstream's examples/minimal, but the network is plain aws_* resources
# instead of the registry's terraform-aws-modules/vpc module, so the example
# needs nothing but the aws, random and local providers.
###############################################################################

# Random suffix for this deployment
resource "random_string" "suffix" {
  length  = 8
  special = false
  upper   = false
}

locals {
  resource_prefix = "metaflow"
  resource_suffix = random_string.suffix.result

  tags = {
    "managedBy" = "terraform"
  }
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

  enable_step_functions = var.enable_step_functions
  subnet1_id            = module.network.subnet_ids[0]
  subnet2_id            = module.network.subnet_ids[1]
  vpc_cidr_blocks       = [module.network.vpc_cidr_block]
  vpc_id                = module.network.vpc_id
  with_public_ip        = var.with_public_ip

  # The root module always deploys the UI behind an HTTPS load balancer. Its
  # security group rule needs at least one CIDR: an empty list is a rule AWS
  # does not keep, so every plan would try to add it again.
  ui_certificate_arn = var.ui_certificate_arn
  ui_allow_list      = concat([module.network.vpc_cidr_block], var.ui_allow_list)

  # The module's default, python3.7, is no longer accepted by AWS Lambda for
  # new functions; the DB-migration handler needs only the standard library.
  db_migrate_lambda_runtime = "python3.12"

  # The module's defaults, PostgreSQL 11 on db.t2.small, are no longer offered
  # by RDS for new instances. 14 is the newest major version whose default
  # parameter group does not force SSL, which the metadata service's database
  # connection does not use (README: "Database versions"); db.t3.small runs it.
  db_engine_version = "14"
  db_instance_type  = "db.t3.small"

  tags = local.tags
}

# The module will generate a Metaflow config in JSON format, write it to a file
resource "local_file" "metaflow_config" {
  content  = module.metaflow.metaflow_profile_json
  filename = "./metaflow_profile.json"
}
