output "vpc_id" {
  value       = module.network.vpc_id
  description = "The VPC the deployment lives in."
}

output "subnet_ids" {
  value       = module.network.subnet_ids
  description = "The two public subnets the deployment uses."
}

output "resource_suffix" {
  value       = local.resource_suffix
  description = "The random suffix in every resource name of this deployment."
}

output "METAFLOW_SERVICE_URL" {
  value       = module.metaflow.METAFLOW_SERVICE_URL
  description = "URL of the metadata service (API Gateway)."
}

output "METAFLOW_DATASTORE_SYSROOT_S3" {
  value       = module.metaflow.METAFLOW_DATASTORE_SYSROOT_S3
  description = "Amazon S3 URL for Metaflow DataStore."
}

output "METAFLOW_BATCH_JOB_QUEUE" {
  value       = module.metaflow.METAFLOW_BATCH_JOB_QUEUE
  description = "AWS Batch job queue ARN for Metaflow."
}

output "METAFLOW_SFN_DYNAMO_DB_TABLE" {
  value       = module.metaflow.METAFLOW_SFN_DYNAMO_DB_TABLE
  description = "DynamoDB table for Step Functions execution metadata (empty unless enable_step_functions)."
}

output "metaflow_s3_bucket_name" {
  value       = module.metaflow.metaflow_s3_bucket_name
  description = "The datastore bucket."
}

output "datastore_s3_bucket_kms_key_arn" {
  value       = module.metaflow.datastore_s3_bucket_kms_key_arn
  description = "The KMS key the datastore bucket is encrypted with."
}

output "api_gateway_rest_api_id_key_id" {
  value       = module.metaflow.api_gateway_rest_api_id_key_id
  description = "API Gateway key ID of the metadata service; `aws apigateway get-api-key --api-key <id> --include-value` gives METAFLOW_SERVICE_AUTH_KEY."
}

output "ui_alb_dns_name" {
  value       = module.metaflow.ui_alb_dns_name
  description = "DNS name of the UI load balancer."
}

output "metaflow_profile_path" {
  value       = local_file.metaflow_config.filename
  description = "Where the Metaflow profile JSON was written."
}
