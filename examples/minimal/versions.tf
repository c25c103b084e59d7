terraform {
  required_version = ">= 1.3"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # terraform/modules/computation needs >= 5.40.0 (compute_environment_order on the job queue).
      version = ">= 5.40.0"
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
