terraform {
  required_version = ">= 1.3"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # The modules of terraform-aws6/: every argument they set exists from 6.0.0 on.
      version = ">= 6.0.0"
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
