"""`computation`: the AWS Batch compute environment and job queue Metaflow runs its steps on."""
