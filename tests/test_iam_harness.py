"""The test-only IAM evaluator (tests/harness/iam.py) and the reader of synthesized policy
documents (tests/harness/policy_documents.py) that tests/test_role_permissions.py relies on."""

from __future__ import annotations

import pytest

from harness.iam import ALLOW, DENY, IMPLICIT_DENY, UnsupportedPolicy, allows, decide
from harness.policy_documents import UnknownInterpolation, role_statements

QUEUE = "arn:aws:batch:us-west-2:123456789012:job-queue/metaflow"
JOB = "arn:aws:batch:us-west-2:123456789012:job/8c1d"


def allow(actions, resources, **extra):
    return {"Effect": "Allow", "Action": actions, "Resource": resources, **extra}


def deny(actions, resources, **extra):
    return {"Effect": "Deny", "Action": actions, "Resource": resources, **extra}


# --- Decisions -----------------------------------------------------------------------------------


def test_a_matching_allow_allows():
    assert decide([allow("batch:SubmitJob", QUEUE)], "batch:SubmitJob", QUEUE) == ALLOW


def test_nothing_matching_is_an_implicit_deny():
    statements = [allow("batch:SubmitJob", QUEUE)]
    assert decide(statements, "batch:TerminateJob", QUEUE) == IMPLICIT_DENY
    assert decide(statements, "batch:SubmitJob", QUEUE + "-other") == IMPLICIT_DENY
    assert decide([], "batch:SubmitJob", QUEUE) == IMPLICIT_DENY


def test_an_explicit_deny_wins_over_any_allow():
    statements = [allow("batch:*", "*"), allow("batch:SubmitJob", QUEUE), deny("batch:Submit*", QUEUE)]
    assert decide(statements, "batch:SubmitJob", QUEUE) == DENY
    assert decide(statements, "batch:DescribeJobs", QUEUE) == ALLOW


def test_wildcards_stand_for_any_run_or_one_character_across_colons_and_slashes():
    statements = [allow("states:*Execution", "arn:aws:states:us-west-2:123456789012:execution:*"),
                  allow("batch:TerminateJo?", "arn:aws:batch:us-west-2:123456789012:job/*")]
    assert allows(statements, "states:StopExecution", "arn:aws:states:us-west-2:123456789012:execution:sm:run-1")
    assert not allows(statements, "states:StopExecution", "arn:aws:states:us-west-2:123456789012:stateMachine:sm")
    assert allows(statements, "batch:TerminateJob", JOB)
    assert not allows(statements, "batch:TerminateJobs", JOB)


def test_actions_match_whatever_their_case_resources_only_in_theirs():
    statements = [allow(["BATCH:submitjob"], [QUEUE])]
    assert allows(statements, "batch:SubmitJob", QUEUE)
    assert not allows(statements, "batch:SubmitJob", QUEUE.upper())


def test_other_characters_are_not_patterns():
    assert not allows([allow("s3:GetObject", "arn:aws:s3:::bucket.a/[k]")], "s3:GetObject", "arn:aws:s3:::bucketXa/k")


# --- Conditions ----------------------------------------------------------------------------------


def test_null_true_holds_only_when_the_request_lacks_the_key():
    rule = "arn:aws:events:us-west-2:123456789012:rule/flow"
    statements = [allow("events:PutRule", rule, Condition={"Null": {"events:source": "true"}})]
    assert allows(statements, "events:PutRule", rule, {})
    assert not allows(statements, "events:PutRule", rule, {"events:source": "aws.s3"})


def test_a_negated_operator_holds_when_the_key_is_missing_a_positive_one_does_not():
    presigned = deny("s3:*", "*", Condition={"StringNotEquals": {"s3:authType": "REST-HEADER"}})
    statements = [allow("s3:GetObject", "arn:aws:s3:::b/*"), presigned]
    assert allows(statements, "s3:GetObject", "arn:aws:s3:::b/k", {"s3:authType": "REST-HEADER"})
    assert decide(statements, "s3:GetObject", "arn:aws:s3:::b/k", {"s3:authType": "REST-QUERY-STRING"}) == DENY
    assert decide(statements, "s3:GetObject", "arn:aws:s3:::b/k", {}) == DENY
    positive = [allow("s3:GetObject", "*", Condition={"StringEquals": {"s3:authType": "REST-HEADER"}})]
    assert not allows(positive, "s3:GetObject", "arn:aws:s3:::b/k", {})


def test_condition_keys_are_case_insensitive_and_values_are_alternatives():
    statements = [allow("events:PutRule", "*", Condition={"StringEquals": {"Events:Source": ["aws.batch", "aws.s3"]}})]
    assert allows(statements, "events:PutRule", "x", {"events:source": "aws.s3"})
    assert not allows(statements, "events:PutRule", "x", {"events:source": "aws.ec2"})


def test_every_condition_has_to_hold():
    statements = [allow("s3:GetObject", "*", Condition={"StringEquals": {"s3:authType": "REST-HEADER"},
                                                         "Null": {"s3:x-amz-server-side-encryption": "false"}})]
    assert not allows(statements, "s3:GetObject", "x", {"s3:authType": "REST-HEADER"})
    assert allows(statements, "s3:GetObject", "x", {"s3:authType": "REST-HEADER",
                                                    "s3:x-amz-server-side-encryption": "aws:kms"})


@pytest.mark.parametrize("statement", [
    {"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"},
    {"Effect": "Allow", "Action": "s3:*", "NotResource": "*"},
    {"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Principal": {"AWS": "*"}},
    allow("s3:*", "*", Condition={"ForAnyValue:StringEquals": {"aws:TagKeys": "a"}}),
    allow("s3:*", "*", Condition={"StringEqualsIfExists": {"s3:authType": "REST-HEADER"}}),
    allow("s3:*", "arn:aws:s3:::${aws:username}/*"),
])
def test_what_it_does_not_model_is_refused_not_guessed(statement):
    with pytest.raises(UnsupportedPolicy):
        decide([statement], "s3:GetObject", "arn:aws:s3:::b/k", {"s3:authType": "REST-HEADER"})


# --- Reading a synthesized module ------------------------------------------------------------------


def module(statement: dict, **document) -> dict:
    return {
        "variable": {"queue": {"type": "string"}, "role_a": {"type": "string"},
                     "role_b": {"type": "string", "default": ""}, "prefix": {"type": "string"}},
        "locals": {"name": "${var.prefix}notebook"},
        "data": {"aws_iam_policy_document": {"permissions": {"statement": [statement], **document}}},
        "resource": {"aws_iam_role_policy": {"p": {"role": "${aws_iam_role.this.name}",
                                                   "policy": "${data.aws_iam_policy_document.permissions.json}"}}},
    }


VALUES = {"queue": QUEUE, "role_a": "arn:aws:iam::123456789012:role/a", "prefix": "mf-",
          "data.aws_region.current.name": "us-west-2"}


def test_references_locals_and_compact_take_the_test_values():
    statement = {"actions": ["iam:PassRole"], "resources": "${compact([var.role_a, var.role_b])}",
                 "condition": [{"test": "StringEquals", "variable": "aws:RequestedRegion",
                                "values": ["${data.aws_region.current.name}"]}]}
    assert role_statements(module(statement), "this", VALUES) == [{
        "Effect": "Allow", "Action": ["iam:PassRole"], "Resource": ["arn:aws:iam::123456789012:role/a"],
        "Condition": {"StringEquals": {"aws:RequestedRegion": ["us-west-2"]}}}]
    named = {"actions": ["sagemaker:StartNotebookInstance"], "resources": ["arn:aws:sagemaker:::${local.name}"]}
    assert role_statements(module(named), "this", VALUES)[0]["Resource"] == ["arn:aws:sagemaker:::mf-notebook"]


def test_a_dynamic_statement_is_there_only_when_its_reference_is_not_empty():
    dynamic = {"statement": {"for_each": '${var.role_b != "" ? [1] : []}',
                             "content": {"actions": ["iam:PassRole"], "resources": ["${var.role_b}"]}}}
    document = module({"actions": ["batch:SubmitJob"], "resources": ["${var.queue}"]}, dynamic=dynamic)
    assert len(role_statements(document, "this", VALUES)) == 1
    given = role_statements(document, "this", {**VALUES, "role_b": "arn:aws:iam::123456789012:role/b"})
    assert given[1]["Resource"] == ["arn:aws:iam::123456789012:role/b"]


def test_only_the_roles_own_documents_count():
    document = module({"actions": ["batch:SubmitJob"], "resources": ["${var.queue}"]})
    assert role_statements(document, "other", VALUES) == []


@pytest.mark.parametrize("resources", [
    ["${var.undeclared}"],
    ["${data.aws_caller_identity.current.account_id}"],
    ["${upper(var.queue)}"],
    "${concat([var.queue], [var.role_a])}",
])
def test_an_expression_it_does_not_know_fails_loudly(resources):
    with pytest.raises(UnknownInterpolation):
        role_statements(module({"actions": ["batch:SubmitJob"], "resources": resources}), "this", VALUES)


def test_a_variable_without_test_value_or_default_fails_loudly():
    values = {name: value for name, value in VALUES.items() if name != "queue"}
    with pytest.raises(UnknownInterpolation, match="var.queue"):
        role_statements(module({"actions": ["batch:SubmitJob"], "resources": ["${var.queue}"]}), "this", values)
