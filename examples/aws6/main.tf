###############################################################################
# examples/minimal on hashicorp/aws 6: the same deployment, from the tree of
# modules written for the aws 6 line (terraform-aws6/). Only the module source
# and the provider constraint (versions.tf) differ from ../minimal.
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
  source = "../../terraform-aws6"

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

# The module will generate a Metaflow config in JSON format, write it to a file
resource "local_file" "metaflow_config" {
  content  = module.metaflow.metaflow_profile_json
  filename = "./metaflow_profile.json"
}
