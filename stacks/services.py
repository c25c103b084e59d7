"""The AWS services the modules and the stacks call, as the aws provider's `endpoints` keys
(hashicorp/aws 5.100), the data sources included: what an emulator must answer.

Plain data (no cdktf), so the tests' emulator harness reads it without loading jsii: the one
list for the stacks' `awsEndpoint` context and for the tests' provider override of the examples.
"""

EMULATED_SERVICES = (
    "acm", "apigateway", "batch", "cloudwatch", "dynamodb", "ec2", "ecr", "ecs", "elb", "elbv2",
    "events", "iam", "kms", "lambda", "logs", "rds", "s3", "sagemaker", "sfn", "ssm", "sts",
)
