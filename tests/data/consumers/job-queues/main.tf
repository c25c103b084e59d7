# The job-queues module added to a Metaflow deployment that already exists: one queue of each kind
# beside the deployment's own, its outputs passed in as the values a team copies from it.
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
  account = "123456789012"
}

module "job-queues" {
  source = "../../terraform/modules/job-queues"

  resource_prefix = "metaflow-"
  resource_suffix = "-test"
  standard_tags   = { team = "ml" }

  subnet1_id = "subnet-1"
  subnet2_id = "subnet-2"
  # the root module's output of that name
  batch_compute_environment_security_group_id = "sg-0123456789abcdef0"

  queues = {
    cpu          = { type = "EC2", instance_types = ["c5.large", "c5.xlarge"], max_vcpus = 32 }
    gpu          = { type = "EC2", gpu = true, instance_types = ["g5.xlarge"], max_vcpus = 16 }
    spot         = { type = "SPOT", instance_types = ["m5.large", "m5a.large"], min_vcpus = 0, max_vcpus = 64, priority = 2 }
    fargate      = { type = "FARGATE", max_vcpus = 16 }
    fargate_spot = { type = "FARGATE_SPOT", max_vcpus = 16 }
  }

  submitters = {
    batch_tasks    = "arn:aws:iam::${local.account}:role/metaflow-batch_s3_task_role-test"
    step_functions = "arn:aws:iam::${local.account}:role/metaflow-step_functions_role-test"
    user_role      = "arn:aws:iam::${local.account}:role/metaflow-user-test"
  }
}

output "job_queue_arns" {
  value = module.job-queues.job_queue_arns
}
