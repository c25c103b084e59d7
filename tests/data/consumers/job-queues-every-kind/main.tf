# The job-queues module with one queue of each kind, on a network and two roles of its own, so that
# it applies alone (tests/test_job_queues_apply.py): the Fargate kinds, which examples/full does not
# deploy, included.
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

resource "aws_vpc" "this" {
  cidr_block = "10.20.0.0/16"
}

resource "aws_subnet" "this" {
  count             = 2
  vpc_id            = aws_vpc.this.id
  cidr_block        = cidrsubnet(aws_vpc.this.cidr_block, 8, count.index)
  availability_zone = ["us-west-2a", "us-west-2b"][count.index]
}

resource "aws_security_group" "batch" {
  name   = "job-queues-test-batch"
  vpc_id = aws_vpc.this.id
}

data "aws_iam_policy_document" "tasks" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

# Two roles that may submit: one as the Batch task role is, one under a path, as roles made by
# other tools often are (the module finds its name in the ARN).
resource "aws_iam_role" "tasks" {
  name               = "job-queues-test-tasks"
  assume_role_policy = data.aws_iam_policy_document.tasks.json
}

resource "aws_iam_role" "users" {
  name               = "job-queues-test-users"
  path               = "/metaflow/people/"
  assume_role_policy = data.aws_iam_policy_document.tasks.json
}

module "job_queues" {
  source = "../../terraform/modules/job-queues"

  resource_prefix = "metaflow-"
  resource_suffix = "-test"
  standard_tags   = { team = "ml" }

  subnet1_id                                  = aws_subnet.this[0].id
  subnet2_id                                  = aws_subnet.this[1].id
  batch_compute_environment_security_group_id = aws_security_group.batch.id

  queues = {
    gpu          = { type = "EC2", gpu = true, instance_types = ["g5.xlarge"], max_vcpus = 8 }
    spot         = { type = "SPOT", instance_types = ["c5.large", "m5.large"], max_vcpus = 16, priority = 2 }
    fargate      = { type = "FARGATE", max_vcpus = 8 }
    fargate_spot = { type = "FARGATE_SPOT", max_vcpus = 8 }
  }

  submitters = {
    tasks = aws_iam_role.tasks.arn
    users = aws_iam_role.users.arn
  }
}

output "job_queue_arns" {
  value = module.job_queues.job_queue_arns
}

output "compute_environment_arns" {
  value = module.job_queues.compute_environment_arns
}

output "fargate_execution_role_arn" {
  value = module.job_queues.fargate_execution_role_arn
}
