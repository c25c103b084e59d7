# Named like the CloudFormation template's outputs; the bracket says which Metaflow setting each feeds.

output "MetaflowDataStoreS3Url" {
  value       = module.metaflow.METAFLOW_DATASTORE_SYSROOT_S3
  description = "Amazon S3 URL for Metaflow DataStore [METAFLOW_DATASTORE_SYSROOT_S3]"
}

output "MetaflowDataToolsS3Url" {
  value       = module.metaflow.METAFLOW_DATATOOLS_S3ROOT
  description = "Amazon S3 URL for Metaflow DataTools [METAFLOW_DATATOOLS_S3ROOT]"
}

output "BatchJobQueueArn" {
  value       = module.metaflow.METAFLOW_BATCH_JOB_QUEUE
  description = "AWS Batch Job Queue ARN for Metaflow [METAFLOW_BATCH_JOB_QUEUE]"
}

output "GpuJobQueueArn" {
  value       = module.job_queues.job_queue_arns["gpu"]
  description = "AWS Batch Job Queue ARN of the GPU instances: @batch(queue=..., gpu=1)"
}

output "SpotJobQueueArn" {
  value       = module.job_queues.job_queue_arns["spot"]
  description = "AWS Batch Job Queue ARN of the Spot instances: @batch(queue=...)"
}

output "ECSJobRoleForBatchJobs" {
  value       = module.metaflow.METAFLOW_ECS_S3_ACCESS_IAM_ROLE
  description = "Role for AWS Batch to Access Amazon S3 [METAFLOW_ECS_S3_ACCESS_IAM_ROLE]"
}

output "ServiceUrl" {
  value       = module.metaflow.METAFLOW_SERVICE_URL
  description = "URL for Metadata Service (Open to Public Access) [METAFLOW_SERVICE_URL]"
}

output "InternalServiceUrl" {
  value       = module.metaflow.METAFLOW_SERVICE_INTERNAL_URL
  description = "URL for Metadata Service (Accessible in VPC) [METAFLOW_SERVICE_INTERNAL_URL]"
}

output "ApiKeyId" {
  value       = module.metaflow.api_gateway_rest_api_id_key_id
  description = "API Gateway Key ID for Metadata Service; its value is in the profile [METAFLOW_SERVICE_AUTH_KEY]"
}

output "MetaflowUserRoleArn" {
  value       = module.user_role.user_role_arn
  description = "IAM Role for Metaflow Stack"
}

output "SageMakerNoteBookURL" {
  value       = module.sagemaker_notebook.notebook_url
  description = "URL for SageMaker Notebook Instance"
}

output "EventBridgeRoleArn" {
  value       = module.metaflow.METAFLOW_EVENTS_SFN_ACCESS_IAM_ROLE
  description = "IAM Role for Event Bridge [METAFLOW_EVENTS_SFN_ACCESS_IAM_ROLE]"
}

output "StepFunctionsRoleArn" {
  value       = module.metaflow.METAFLOW_SFN_IAM_ROLE
  description = "IAM Role for Step Functions [METAFLOW_SFN_IAM_ROLE]"
}

output "DDBTableName" {
  value       = module.metaflow.METAFLOW_SFN_DYNAMO_DB_TABLE
  description = "DynamoDB Table Name [METAFLOW_SFN_DYNAMO_DB_TABLE]"
}

output "MigrationFunctionName" {
  # arn:<partition>:lambda:<region>:<account>:function:<name>
  value       = element(split(":", module.metaflow.migration_function_arn), 6)
  description = "Name of DB Migration Function"
}

output "VPCId" {
  value       = module.network.vpc_id
  description = "VPC Id"
}

output "Subnet1Id" {
  value       = module.network.subnet_ids[0]
  description = "Subnet 1 Id"
}

output "Subnet2Id" {
  value       = module.network.subnet_ids[1]
  description = "Subnet 2 Id"
}

output "LoadBalancerUIDNSName" {
  value       = module.metaflow.ui_alb_dns_name
  description = "UI Load Balancer DNS Name"
}

output "MetaflowProfilePath" {
  value       = local_sensitive_file.metaflow_profile.filename
  description = "Where the Metaflow profile (API key included) was written, mode 0600: `metaflow configure import` it."
}

output "ResourceSuffix" {
  value       = local.resource_suffix
  description = "The random suffix in every resource name of this deployment."
}
