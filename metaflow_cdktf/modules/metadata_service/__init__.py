"""`metadata-service`: the Metaflow metadata service on Fargate behind an NLB and API Gateway."""
