# The root module asked for PostgreSQL 17 with the metadata service image it defaults to
# (v2.3.0), which connects without TLS: RDS would refuse every connection. The plan must stop,
# naming the image to pass (tests/test_todays_aws.py).
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

# the emulator's default VPC, which the UI module reads
data "aws_vpc" "default" {
  default = true
}

module "metaflow" {
  source = "../../terraform"

  enable_step_functions = false
  tags                  = {}
  subnet1_id            = "subnet-1"
  subnet2_id            = "subnet-2"
  vpc_id                = data.aws_vpc.default.id
  vpc_cidr_blocks       = [data.aws_vpc.default.cidr_block]
  ui_certificate_arn    = "arn:aws:acm:us-west-2:123456789012:certificate/abc"

  db_engine_version = "17"
}
