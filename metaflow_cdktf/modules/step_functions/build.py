"""`step-functions`' resources: the DynamoDB state table, the Step Functions and EventBridge roles."""

from __future__ import annotations

from cdktf_cdktf_provider_aws.data_aws_iam_policy_document import (
    DataAwsIamPolicyDocument,
    DataAwsIamPolicyDocumentStatement,
    DataAwsIamPolicyDocumentStatementCondition,
)
from cdktf_cdktf_provider_aws.dynamodb_table import (
    DynamodbTable,
    DynamodbTableAttribute,
    DynamodbTablePointInTimeRecovery,
    DynamodbTableServerSideEncryption,
    DynamodbTableTtl,
)
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.iam_role_policy import IamRolePolicy

from metaflow_cdktf.modules.step_functions.spec import EVENTBRIDGE_ROLE_ARN, SPEC, STEP_FUNCTIONS_ROLE_ARN
from metaflow_cdktf.synthesis.aws import (
    arn,
    assume_role_policy,
    batch_jobs,
    current_account_and_region,
    standard_tags,
)
from metaflow_cdktf.synthesis.building import at_address, expr, local, number

# Every resource exists only when the module is active.
ACTIVE_COUNT = "var.active ? 1 : 0"

STATE_TABLE = "aws_dynamodb_table.step_functions_state_table"
BATCH_EVENTS_RULE = "StepFunctionsGetEventsForBatchJobsRule"


@SPEC.builds
def build(scope):
    current_account_and_region(scope)
    _locals(scope)

    _state_table(scope)
    _step_functions_role(scope)
    _eventbridge_role(scope)

    return {
        "metaflow_eventbridge_role_arn": expr(_joined("aws_iam_role.eventbridge_role", "arn")),
        "metaflow_step_functions_dynamodb_policy": expr(
            'var.active ? data.aws_iam_policy_document.step_functions_dynamodb.json : ""'),
        "metaflow_step_functions_dynamodb_table_arn": expr(_joined(STATE_TABLE, "arn")),
        "metaflow_step_functions_dynamodb_table_name": expr(_joined(STATE_TABLE, "name")),
        "metaflow_step_functions_role_arn": expr(_joined("aws_iam_role.step_functions_role", "arn")),
    }


def _joined(counted_resource: str, attribute: str) -> str:
    """The attribute of a resource counted 0 or 1 times, as a string: "" when it does not exist."""
    return f'join("", [for {attribute} in {counted_resource}.*.{attribute} : {attribute}])'



def _locals(scope):
    local(scope, "dynamodb_step_functions_state_db_name",
          "${var.resource_prefix}step_functions_state${var.resource_suffix}")


def _state_table(scope):
    return at_address(
        DynamodbTable, scope, "step_functions_state_table",
        count=number(ACTIVE_COUNT),
        name="${local.dynamodb_step_functions_state_db_name}",
        billing_mode="PAY_PER_REQUEST",
        hash_key="pathspec",
        server_side_encryption=DynamodbTableServerSideEncryption(enabled=True),
        # restores the table to any second of the last 35 days (a table of small items: cents a month)
        point_in_time_recovery=DynamodbTablePointInTimeRecovery(enabled=True),
        attribute=[DynamodbTableAttribute(name="pathspec", type="S")],
        ttl=DynamodbTableTtl(attribute_name="ttl", enabled=True),
        tags=standard_tags(),
    )


def _allow(actions: list[str], resources: list[str], condition=None):
    return DataAwsIamPolicyDocumentStatement(actions=actions, resources=resources, condition=condition)


def _role(scope, name: str, role_name: str, description: str, assume_role_policy):
    return at_address(IamRole, scope, name,
                      count=number(ACTIVE_COUNT),
                      name=role_name,
                      description=description,
                      assume_role_policy=assume_role_policy.json,
                      tags=standard_tags())


def _role_policy(scope, name: str, policy_name: str, role_address: str, document):
    at_address(IamRolePolicy, scope, name,
               count=number(ACTIVE_COUNT),
               name=policy_name,
               role=f"${{{role_address}[0].id}}",
               policy=document.json)


def _step_functions_role(scope):
    """The role Step Functions runs state machines as, with one inline policy per service used."""
    assume = assume_role_policy(scope, "step_functions_assume_role_policy", "states.amazonaws.com")
    # upstream allows registering and terminating on "*"; here, in this account and region
    batch = at_address(DataAwsIamPolicyDocument, scope, "step_functions_batch_policy", statement=[
        *batch_jobs("batch:DescribeJobs", "batch:DescribeJobDefinitions", "batch:DescribeJobQueues"),
        _allow(["batch:SubmitJob"], ["${var.batch_job_queue_arn}", arn("batch", "job-definition/*")]),
    ])
    s3 = at_address(DataAwsIamPolicyDocument, scope, "step_functions_s3", statement=[
        _allow(["s3:ListBucket"], ["${var.s3_bucket_arn}"]),
        _allow(["s3:*Object"], ["${var.s3_bucket_arn}", "${var.s3_bucket_arn}/*"]),
        _allow(["kms:Decrypt"], ["${var.s3_bucket_kms_arn}"]),
    ])
    cloudwatch = at_address(DataAwsIamPolicyDocument, scope, "step_functions_cloudwatch", statement=[
        _allow(["logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery",
                "logs:DeleteLogDelivery", "logs:ListLogDeliveries", "logs:PutResourcePolicy",
                "logs:DescribeResourcePolicies", "logs:DescribeLogGroups"], ["*"]),
    ])
    batch_events_rule = arn("events", f"rule/{BATCH_EVENTS_RULE}")
    eventbridge = at_address(DataAwsIamPolicyDocument, scope, "step_functions_eventbridge", statement=[
        _allow(["events:PutTargets", "events:DescribeRule"], [batch_events_rule]),
        _allow(["events:PutRule"], [batch_events_rule], condition=[DataAwsIamPolicyDocumentStatementCondition(
            test="StringEquals", variable="events:detail-type", values=["Batch Job State Change"])]),
    ])
    dynamodb = at_address(DataAwsIamPolicyDocument, scope, "step_functions_dynamodb", statement=[
        _allow(["dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:UpdateItem"],
               [expr(_joined(STATE_TABLE, "arn"))]),
    ])

    _role(scope, "step_functions_role", "${var.resource_prefix}step_functions_role${var.resource_suffix}",
          STEP_FUNCTIONS_ROLE_ARN.description, assume)
    for name, policy_name, document in (
        ("step_functions_batch", "aws_batch", batch),
        ("step_functions_s3", "s3", s3),
        ("step_functions_cloudwatch", "cloudwatch", cloudwatch),
        ("step_functions_eventbridge", "event_bridge", eventbridge),
        ("step_functions_dynamodb", "dynamodb", dynamodb),
    ):
        _role_policy(scope, name, policy_name, "aws_iam_role.step_functions_role", document)


def _eventbridge_role(scope):
    """The role EventBridge assumes to start the state machines on a schedule."""
    assume = assume_role_policy(scope, "eventbridge_assume_role_policy", "events.amazonaws.com")
    start_execution = at_address(DataAwsIamPolicyDocument, scope, "eventbridge_step_functions_policy", statement=[
        _allow(["states:StartExecution"], [arn("states", "stateMachine:*")]),
    ])
    _role(scope, "eventbridge_role", "${var.resource_prefix}eventbridge_role${var.resource_suffix}",
          EVENTBRIDGE_ROLE_ARN.description, assume)
    _role_policy(scope, "eventbridge_step_functions_policy", "step_functions", "aws_iam_role.eventbridge_role",
                 start_execution)
