"""`sagemaker-notebook`'s resources: the notebook instance, its lifecycle configuration, its
security group and its execution role."""

from __future__ import annotations

from cdktf_cdktf_provider_aws.data_aws_iam_policy_document import (
    DataAwsIamPolicyDocument,
)
from cdktf_cdktf_provider_aws.data_aws_iam_policy_document import (
    DataAwsIamPolicyDocumentStatement as Statement,
)
from cdktf_cdktf_provider_aws.iam_role_policy import IamRolePolicy
from cdktf_cdktf_provider_aws.sagemaker_notebook_instance import (
    SagemakerNotebookInstance,
    SagemakerNotebookInstanceInstanceMetadataServiceConfiguration,
)
from cdktf_cdktf_provider_aws.sagemaker_notebook_instance_lifecycle_configuration import (
    SagemakerNotebookInstanceLifecycleConfiguration,
)
from cdktf_cdktf_provider_aws.security_group import SecurityGroup

from metaflow_cdktf.modules.sagemaker_notebook.spec import SPEC
from metaflow_cdktf.synthesis.aws import (
    arn,
    current_account_and_region,
    deny_presigned_urls,
    egress_anywhere,
    read_batch_job_logs,
    role_for,
    run_batch_jobs,
    standard_tags,
    use_datastore,
)
from metaflow_cdktf.synthesis.building import at_address, expr, local, strings

NOTEBOOK_LOG_GROUP = "/aws/sagemaker/NotebookInstances"

# What Metaflow reads from ~/.metaflowconfig/config.json in the notebook: this deployment. The
# internal URL reaches the metadata service inside the VPC, so no API Gateway key is needed.
METAFLOW_CONFIG = {
    "METAFLOW_DATASTORE_SYSROOT_S3": "${var.METAFLOW_DATASTORE_SYSROOT_S3}",
    "METAFLOW_DATATOOLS_S3ROOT": "${var.METAFLOW_DATATOOLS_S3ROOT}",
    "METAFLOW_SERVICE_URL": "${var.METAFLOW_SERVICE_INTERNAL_URL}",
    "METAFLOW_DEFAULT_DATASTORE": "s3",
    "METAFLOW_DEFAULT_METADATA": "service",
    "METAFLOW_BATCH_JOB_QUEUE": "${var.METAFLOW_BATCH_JOB_QUEUE}",
    "METAFLOW_ECS_S3_ACCESS_IAM_ROLE": "${var.METAFLOW_ECS_S3_ACCESS_IAM_ROLE}",
}
# On Fargate, Metaflow registers no job definition without the execution role; on EC2 it has none,
# and an empty setting would be passed to Batch as one.
FARGATE_CONFIG = ('var.METAFLOW_ECS_FARGATE_EXECUTION_ROLE == "" ? {} : '
                  '{ METAFLOW_ECS_FARGATE_EXECUTION_ROLE = var.METAFLOW_ECS_FARGATE_EXECUTION_ROLE }')

# Runs at every start of the instance: only /home/ec2-user/SageMaker survives a stop, so the
# settings are written again each time. Terraform fills in ${...}; the shell sees none of it.
ON_START = """#!/bin/bash
# Written by the sagemaker-notebook module of metaflow-cdktf: this deployment's Metaflow settings.
set -euo pipefail
home=/home/ec2-user
install -d -o ec2-user -g ec2-user "$home/.metaflowconfig" "$home/.aws"
cat > "$home/.metaflowconfig/config.json" <<'METAFLOW_CONFIG'
${jsonencode(merge(local.metaflow_config, local.fargate_config))}
METAFLOW_CONFIG
# boto3 (Metaflow's AWS client) needs a region; keep one the user set
[ -e "$home/.aws/config" ] || printf '[default]\\nregion = %s\\n' '${data.aws_region.current.name}' > "$home/.aws/config"
chown ec2-user:ec2-user "$home/.metaflowconfig/config.json" "$home/.aws/config"
"""  # noqa: E501  (a shell line reads best whole)


@SPEC.builds
def build(scope):
    current_account_and_region(scope)
    local(scope, "notebook_name", "${var.resource_prefix}notebook${var.resource_suffix}")
    local(scope, "metaflow_config", METAFLOW_CONFIG)
    local(scope, "fargate_config", expr(FARGATE_CONFIG))
    local(scope, "on_start", ON_START)

    security_group = _security_group(scope)
    role, policies = _execution_role(scope)
    lifecycle = at_address(SagemakerNotebookInstanceLifecycleConfiguration, scope, "this",
                   name="${local.notebook_name}",
                   on_start=expr("base64encode(local.on_start)"))
    notebook = at_address(
        SagemakerNotebookInstance, scope, "this",
        name="${local.notebook_name}",
        instance_type="${var.notebook_instance_type}",
        role_arn=role.arn,
        lifecycle_config_name=lifecycle.name,
        subnet_id="${var.subnet_id}",
        security_groups=[security_group.id],
        # code in the notebook reaches the instance's credentials only with a session token (IMDSv2)
        instance_metadata_service_configuration=SagemakerNotebookInstanceInstanceMetadataServiceConfiguration(
            minimum_instance_metadata_service_version="2"),
        # the role can use the datastore from the first start, and keeps it until the instance is gone
        depends_on=policies,
        tags=standard_tags(),
    )
    return {
        "notebook_url": f"https://{notebook.url}/tree",
        "notebook_instance_name": notebook.name,
        "notebook_instance_arn": notebook.arn,
        "execution_role_arn": role.arn,
        "security_group_id": security_group.id,
    }


def _security_group(scope):
    """No inbound rule: users reach Jupyter through SageMaker's presigned URL, never the VPC."""
    return at_address(SecurityGroup, scope, "this",
              name="${var.resource_prefix}notebook-security-group${var.resource_suffix}",
              description="SageMaker notebook instance of Metaflow: outbound only",
              vpc_id="${var.metaflow_vpc_id}",
              egress=[egress_anywhere()],
              tags=standard_tags())


def _execution_role(scope):
    role = role_for(scope, "this", ["sagemaker.amazonaws.com"], trust_policy="sagemaker_assume_role",
                    name="${var.resource_prefix}notebook${var.resource_suffix}",
                    description="The role the Metaflow SageMaker notebook instance runs as",
                    tags=standard_tags())
    notebook_logs = arn("logs", f"log-group:{NOTEBOOK_LOG_GROUP}")
    documents = {
        "datastore": [
            *use_datastore("${var.s3_bucket_arn}", "${var.datastore_s3_bucket_kms_key_arn}"),
            deny_presigned_urls(),
        ],
        # what Metaflow's Batch commands call; the notebook deploys nothing to Step Functions
        "batch": [
            *run_batch_jobs("${var.METAFLOW_BATCH_JOB_QUEUE}"),
            # job definitions name the task role and, on Fargate, the execution role
            Statement(sid="PassJobRole", actions=["iam:PassRole"],
                      resources=strings("compact([var.METAFLOW_ECS_S3_ACCESS_IAM_ROLE, "
                                        "var.METAFLOW_ECS_FARGATE_EXECUTION_ROLE])")),
        ],
        "logs": [
            Statement(sid="NotebookLogGroup", actions=["logs:CreateLogGroup"], resources=[notebook_logs]),
            Statement(sid="NotebookLogStreams",
                      actions=["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                      resources=[f"{notebook_logs}:log-stream:${{local.notebook_name}}/*"]),
            read_batch_job_logs(),
        ],
        "notebook": [
            Statement(sid="OwnNotebook",
                      actions=["sagemaker:DescribeNotebookInstance", "sagemaker:StartNotebookInstance",
                               "sagemaker:StopNotebookInstance", "sagemaker:UpdateNotebookInstance",
                               "sagemaker:CreatePresignedNotebookInstanceUrl",
                               "sagemaker:DescribeNotebookInstanceLifecycleConfig"],
                      resources=[arn("sagemaker", "notebook-instance/${local.notebook_name}"),
                                 arn("sagemaker", "notebook-instance-lifecycle-config/${local.notebook_name}")]),
        ],
    }
    policies = []
    for name, statements in documents.items():
        document = at_address(DataAwsIamPolicyDocument, scope, name, statement=statements)
        policies.append(at_address(IamRolePolicy, scope, name, name=name, role=role.name, policy=document.json))
    return role, policies

