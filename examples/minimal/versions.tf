terraform {
  required_version = ">= 1.3"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # The modules of terraform/ are for the aws 5 line; computation needs >= 5.40.0
      # (compute_environment_order on the job queue). On aws 6, see ../aws6.
      version = ">= 5.40.0, < 6.0.0"
    }
    random = {
      source  = "hashicorp/random"
      version = ">= 2.1"
    }
    local = {
      source  = "hashicorp/local"
      version = ">= 2.1"
    }
  }
}

provider "aws" {
  region = var.aws_region
}
