# A plain Terraform root calling the synthesized module, as a platform engineer
# would call upstream's HCL module: every required variable, nothing else.
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

module "metadata_service" {
  source = "../../terraform/modules/metadata-service"

  access_list_cidr_blocks         = ["10.0.0.0/8"]
  database_password               = "not-a-real-password"
  database_username               = "metaflow"
  datastore_s3_bucket_kms_key_arn = "arn:aws:kms:us-west-2:123456789012:key/abc"
  fargate_execution_role_arn      = "arn:aws:iam::123456789012:role/ecs-execution"
  metaflow_vpc_id                 = "vpc-123"
  rds_master_instance_endpoint    = "metaflow.example:5432"
  resource_prefix                 = "metaflow-"
  resource_suffix                 = "-test"
  s3_bucket_arn                   = "arn:aws:s3:::metaflow"
  standard_tags                   = { team = "ml" }
  subnet1_id                      = "subnet-1"
  subnet2_id                      = "subnet-2"
  vpc_cidr_blocks                 = ["10.0.0.0/16"]
}

output "service_url" {
  value = module.metadata_service.METAFLOW_SERVICE_URL
}

output "api_key_id" {
  value = module.metadata_service.api_gateway_rest_api_id_key_id
}
