"""`metaflow-full`, the Python twin of `examples/full`: everything Metaflow's CloudFormation
template deploys (the network, the root module, the SageMaker notebook, the restricted user
role) and the Metaflow profile with the API key's value in it, readable by its owner only; and
beside the default Batch queue, a GPU queue and a Spot queue (the job-queues module).

Context as for `metaflow-minimal`, plus `userRolePrincipalArns` (a list; default: this account).
"""

from __future__ import annotations

from typing import Mapping, TypedDict

from cdktf import Fn, TerraformOutput, TerraformStack
from cdktf_cdktf_provider_aws.data_aws_api_gateway_api_key import DataAwsApiGatewayApiKey
from cdktf_cdktf_provider_aws.data_aws_caller_identity import DataAwsCallerIdentity
from cdktf_cdktf_provider_aws.data_aws_partition import DataAwsPartition
from cdktf_cdktf_provider_local.sensitive_file import SensitiveFile
from constructs import Construct

from metaflow_cdktf import JobQueues, SagemakerNotebook, UserRole
from stacks.deployment import RESOURCE_PREFIX, metaflow_deployment

FULL_STACK = "metaflow-full"

# As examples/full: both scale to zero when idle (min_vcpus 0), so they cost nothing unused.
EXTRA_QUEUES = {
    # the ECS GPU image (Amazon Linux 2023 with the NVIDIA driver) on G5 instances: one A10G GPU each
    "gpu": {"type": "EC2", "gpu": True, "instance_types": ["g5.xlarge", "g5.2xlarge"], "min_vcpus": 0,
            "max_vcpus": 16},
    # Spot instances, from the pools least likely to be interrupted
    "spot": {"type": "SPOT", "instance_types": ["c5.large", "c5.xlarge", "m5.large", "m5.xlarge"], "min_vcpus": 0,
             "max_vcpus": 64},
}


class Affixes(TypedDict):
    """The naming and tagging every module of the stack shares."""

    resource_prefix: str
    resource_suffix: str
    standard_tags: Mapping[str, str]


class DeploymentSettings(TypedDict):
    """What the notebook and the user role take from the root module alike."""

    s3_bucket_arn: str
    datastore_s3_bucket_kms_key_arn: str
    METAFLOW_BATCH_JOB_QUEUE: str
    METAFLOW_ECS_S3_ACCESS_IAM_ROLE: str
    METAFLOW_ECS_FARGATE_EXECUTION_ROLE: str


def build_full_stack(app: Construct, stack_id: str = FULL_STACK) -> TerraformStack:
    deployment = metaflow_deployment(app, stack_id, enable_step_functions=True)
    stack, metaflow, network = deployment.stack, deployment.metaflow, deployment.network
    affixes = Affixes(resource_prefix=f"{RESOURCE_PREFIX}-", resource_suffix=f"-{deployment.suffix}",
                      standard_tags={"managedBy": "cdktf"})
    # The root module outputs the Fargate execution role only in its profile, and only on Fargate.
    # Not Fn.lookup(..., ""): cdktf 0.21 drops a default that is falsy and renders `.KEY`, an error
    # where the key is missing; try() falls back to "" as lookup() does in examples/full.
    fargate_execution_role = Fn.try_([Fn.lookup(Fn.jsondecode(metaflow.metaflow_profile_json),
                                                "METAFLOW_ECS_FARGATE_EXECUTION_ROLE"), ""])
    deployment_settings = DeploymentSettings(
        s3_bucket_arn=metaflow.metaflow_s3_bucket_arn,
        datastore_s3_bucket_kms_key_arn=metaflow.datastore_s3_bucket_kms_key_arn,
        METAFLOW_BATCH_JOB_QUEUE=metaflow.METAFLOW_BATCH_JOB_QUEUE,
        METAFLOW_ECS_S3_ACCESS_IAM_ROLE=metaflow.METAFLOW_ECS_S3_ACCESS_IAM_ROLE,
        METAFLOW_ECS_FARGATE_EXECUTION_ROLE=fargate_execution_role)

    notebook = SagemakerNotebook(
        stack, "sagemaker_notebook", **affixes, **deployment_settings,
        metaflow_vpc_id=network.vpc.id, subnet_id=network.subnets[0].id,
        METAFLOW_DATASTORE_SYSROOT_S3=metaflow.METAFLOW_DATASTORE_SYSROOT_S3,
        METAFLOW_DATATOOLS_S3ROOT=metaflow.METAFLOW_DATATOOLS_S3ROOT,
        METAFLOW_SERVICE_INTERNAL_URL=metaflow.METAFLOW_SERVICE_INTERNAL_URL,
    )
    user_role = UserRole(
        stack, "user_role", **affixes, **deployment_settings,
        trusted_principal_arns=_user_role_principals(stack),
        METAFLOW_SFN_IAM_ROLE=metaflow.METAFLOW_SFN_IAM_ROLE,
        METAFLOW_EVENTS_SFN_ACCESS_IAM_ROLE=metaflow.METAFLOW_EVENTS_SFN_ACCESS_IAM_ROLE,
        sagemaker_notebook_arn=notebook.notebook_instance_arn,
    )

    queues = JobQueues(
        stack, "job_queues", **affixes, queues=EXTRA_QUEUES,
        subnet1_id=network.subnets[0].id, subnet2_id=network.subnets[1].id,
        batch_compute_environment_security_group_id=metaflow.batch_compute_environment_security_group_id,
        # whoever may use the default queue may use these
        submitters={"batch_tasks": metaflow.METAFLOW_ECS_S3_ACCESS_IAM_ROLE,
                    "step_functions": metaflow.METAFLOW_SFN_IAM_ROLE,
                    "user_role": user_role.user_role_arn,
                    "notebook": notebook.execution_role_arn},
    )

    # The profile with the API key's value in it, as examples/full writes it: mode 0600.
    key = DataAwsApiGatewayApiKey(stack, "metadata_service", id=metaflow.api_gateway_rest_api_id_key_id)
    profile = Fn.jsonencode(Fn.merge([Fn.jsondecode(metaflow.metaflow_profile_json),
                                      {"METAFLOW_SERVICE_AUTH_KEY": key.value}]))
    SensitiveFile(stack, "metaflow_profile", content=profile, filename="./metaflow_profile.json",
                  file_permission="0600")

    for name, value in {
        "MetaflowDataStoreS3Url": metaflow.METAFLOW_DATASTORE_SYSROOT_S3,
        "MetaflowDataToolsS3Url": metaflow.METAFLOW_DATATOOLS_S3ROOT,
        "BatchJobQueueArn": metaflow.METAFLOW_BATCH_JOB_QUEUE,
        "GpuJobQueueArn": Fn.lookup(queues.job_queue_arns, "gpu"),
        "SpotJobQueueArn": Fn.lookup(queues.job_queue_arns, "spot"),
        "ECSJobRoleForBatchJobs": metaflow.METAFLOW_ECS_S3_ACCESS_IAM_ROLE,
        "ServiceUrl": metaflow.METAFLOW_SERVICE_URL,
        "InternalServiceUrl": metaflow.METAFLOW_SERVICE_INTERNAL_URL,
        "ApiKeyId": metaflow.api_gateway_rest_api_id_key_id,
        "MetaflowUserRoleArn": user_role.user_role_arn,
        "SageMakerNoteBookURL": notebook.notebook_url,
        "EventBridgeRoleArn": metaflow.METAFLOW_EVENTS_SFN_ACCESS_IAM_ROLE,
        "StepFunctionsRoleArn": metaflow.METAFLOW_SFN_IAM_ROLE,
        "DDBTableName": metaflow.METAFLOW_SFN_DYNAMO_DB_TABLE,
        "LoadBalancerUIDNSName": metaflow.ui_alb_dns_name,
    }.items():
        TerraformOutput(stack, name, value=value)
    return stack


def _user_role_principals(stack: TerraformStack) -> list[str]:
    """The context's `userRolePrincipalArns`, else this account (its principals an IAM policy allows)."""
    given = stack.node.try_get_context("userRolePrincipalArns")
    if given:
        return list(given)
    account = DataAwsCallerIdentity(stack, "current")
    partition = DataAwsPartition(stack, "current_partition")
    return [f"arn:{partition.partition}:iam::{account.account_id}:root"]
