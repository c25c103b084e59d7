###############################################################################
# examples/minimal on hashicorp/aws 6: the same deployment, from the tree of
# modules written for the aws 6 line (terraform-aws6/).
#
# The other files here are links to ../minimal's. Terraform reads this file
# last and merges it over them (an override file), so only the module's source
# and the aws constraint differ.
###############################################################################

terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
      # The modules of terraform-aws6/: every argument they set exists from 6.0.0 on.
      version = ">= 6.0.0"
    }
  }
}

module "metaflow" {
  source = "../../terraform-aws6"
}
