"""`user-role`'s resources: the role, its trust policy, and the managed policy of its permissions."""

from __future__ import annotations

from cdktf_cdktf_provider_aws.data_aws_iam_policy_document import (
    DataAwsIamPolicyDocument,
)
from cdktf_cdktf_provider_aws.data_aws_iam_policy_document import (
    DataAwsIamPolicyDocumentStatement as Statement,
)
from cdktf_cdktf_provider_aws.data_aws_iam_policy_document import (
    DataAwsIamPolicyDocumentStatementCondition as Condition,
)
from cdktf_cdktf_provider_aws.data_aws_iam_policy_document import (
    DataAwsIamPolicyDocumentStatementPrincipals as Principals,
)
from cdktf_cdktf_provider_aws.iam_policy import IamPolicy
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.iam_role_policy_attachment import IamRolePolicyAttachment

from metaflow_cdktf.modules.user_role.spec import SPEC
from metaflow_cdktf.synthesis.aws import (
    arn,
    current_account_and_region,
    read_batch_job_logs,
    run_batch_jobs,
    standard_tags,
    use_datastore,
)
from metaflow_cdktf.synthesis.building import at_address, expr, strings

NOTEBOOK_GIVEN = 'var.sagemaker_notebook_arn != "" ? [1] : []'


@SPEC.builds
def build(scope):
    current_account_and_region(scope)
    trust = at_address(DataAwsIamPolicyDocument, scope, "trust", statement=[Statement(
        effect="Allow", actions=["sts:AssumeRole"],
        principals=[Principals(type="AWS", identifiers=strings("var.trusted_principal_arns"))],
    )])
    role = at_address(IamRole, scope, "this",
                      name="${var.resource_prefix}user${var.resource_suffix}",
                      description="Restricted role for Metaflow users: this deployment's datastore, Batch queue, Step "
                                  "Functions and notebook, nothing else",
                      assume_role_policy=trust.json,
                      tags=standard_tags())

    permissions = at_address(DataAwsIamPolicyDocument, scope, "permissions", statement=_statements())
    # The notebook's statement exists only with a notebook. The bindings take static or dynamic
    # statements, not both; and the notebook's ARN is often known only at apply time, which a
    # dynamic block (unlike `count`) allows.
    permissions.add_override("dynamic.statement", {
        "for_each": expr(NOTEBOOK_GIVEN),
        "content": {
            "sid": "Notebook",
            "actions": ["sagemaker:DescribeNotebookInstance", "sagemaker:StartNotebookInstance",
                        "sagemaker:StopNotebookInstance", "sagemaker:CreatePresignedNotebookInstanceUrl"],
            "resources": ["${var.sagemaker_notebook_arn}"],
        },
    })
    policy = at_address(IamPolicy, scope, "this",
                        name="${var.resource_prefix}user${var.resource_suffix}",
                        description="What a Metaflow user needs of this deployment",
                        policy=permissions.json,
                        tags=standard_tags())
    at_address(IamRolePolicyAttachment, scope, "this", role=role.name, policy_arn=policy.arn)
    return {
        "user_role_arn": role.arn,
        "user_role_name": role.name,
        "user_policy_arn": policy.arn,
    }


def _statements() -> list[Statement]:
    """What the Metaflow client does with the role: tests/test_role_permissions.py checks these
    against the calls it makes (tests/data/metaflow-client/calls.json)."""
    return [
        *use_datastore("${var.s3_bucket_arn}", "${var.datastore_s3_bucket_kms_key_arn}"),
        *run_batch_jobs("${var.METAFLOW_BATCH_JOB_QUEUE}"),
        # the deployment's own roles, and only those: job definitions name the task role and, on
        # Fargate, the execution role; state machines the Step Functions role; rules EventBridge's
        Statement(sid="PassRoles", actions=["iam:PassRole"],
                  resources=strings('compact([var.METAFLOW_ECS_S3_ACCESS_IAM_ROLE, '
                                    'var.METAFLOW_ECS_FARGATE_EXECUTION_ROLE, var.METAFLOW_SFN_IAM_ROLE, '
                                    'var.METAFLOW_EVENTS_SFN_ACCESS_IAM_ROLE])')),
        read_batch_job_logs(),
        Statement(sid="SageMakerTraining", actions=["sagemaker:CreateTrainingJob", "sagemaker:DescribeTrainingJob"],
                  resources=[arn("sagemaker", "training-job/*")]),
        Statement(sid="ListStateMachines", actions=["states:ListStateMachines"], resources=["*"]),
        Statement(sid="StateMachines",
                  actions=["states:DescribeStateMachine", "states:UpdateStateMachine", "states:StartExecution",
                           "states:CreateStateMachine", "states:ListExecutions", "states:DeleteStateMachine"],
                  resources=[arn("states", "stateMachine:*")]),
        # `step-functions terminate` stops an execution, whose ARN is not its state machine's
        Statement(sid="Executions", actions=["states:StopExecution"], resources=[arn("states", "execution:*")]),
        Statement(sid="RuleMaintenance",
                  actions=["events:PutTargets", "events:DisableRule", "events:RemoveTargets", "events:DeleteRule"],
                  resources=[arn("events", "rule/*")]),
        # rules on a schedule only: no event pattern, so no access to other services' events
        Statement(sid="PutRule", actions=["events:PutRule"], resources=[arn("events", "rule/*")],
                  condition=[Condition(test="Null", variable="events:source", values=["true"])]),
    ]
