variable "aws_region" {
  type        = string
  description = "AWS region to deploy into."
  default     = "us-west-2"
}

variable "ui_certificate_arn" {
  type        = string
  description = "ARN of an ACM certificate for the Metaflow UI's HTTPS load balancer (the root module always deploys the UI, so it requires one)."
}

variable "enable_step_functions" {
  type        = bool
  description = "Provision the Step Functions infrastructure (DynamoDB table, IAM roles) too."
  default     = false
}

variable "with_public_ip" {
  type        = bool
  description = "Give the metadata service's Fargate tasks a public IP. The example's subnets are public and have no NAT gateway, so the tasks need one to pull their images."
  default     = true
}

variable "ui_allow_list" {
  type        = list(string)
  description = "CIDRs allowed to reach the Metaflow UI besides the VPC's own (usually your VPN's)."
  default     = []
}
