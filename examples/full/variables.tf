variable "aws_region" {
  type        = string
  description = "AWS region to deploy into."
  default     = "us-west-2"
}

variable "ui_certificate_arn" {
  type        = string
  description = "ARN of an ACM certificate for the Metaflow UI's HTTPS load balancer (the root module always deploys the UI, so it requires one)."
}

variable "notebook_instance_type" {
  type        = string
  description = "SageMaker instance type of the notebook instance (the template's SagemakerInstance)."
  default     = "ml.t3.medium"
}

variable "user_role_principal_arns" {
  type        = list(string)
  description = "IAM users, roles or accounts allowed to assume the restricted Metaflow user role. Empty: this account (any of its principals an IAM policy lets assume it)."
  default     = []
}

variable "ui_allow_list" {
  type        = list(string)
  description = "CIDRs allowed to reach the Metaflow UI besides the VPC's own (usually your VPN's)."
  default     = []
}
