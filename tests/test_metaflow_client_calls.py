"""The list of the Metaflow client's AWS calls (tests/data/metaflow-client/calls.json) against the
Metaflow the tests install: the calls its source makes, the IAM actions their operations are
named for, and the resource types AWS defines for those actions.

When Metaflow is upgraded (Pipfile), these tests fail until the list is derived again from the
new source: a call the list does not name, or names where the source no longer makes it."""

from __future__ import annotations

import re
import string
import textwrap
from importlib.metadata import version
from importlib.util import find_spec
from pathlib import Path

import botocore.session
import pytest
from client_calls import CALLS, CALLS_FILE, PLACEHOLDERS, call_name
from policy_sentry.querying.actions import get_action_data

from harness.metaflow_calls import aws_calls, calls_in_source
from project import REPO_ROOT

# read, not imported: importing Metaflow runs its plugin loading, which the scan does not need
METAFLOW_DIR = Path(find_spec("metaflow").origin).parent
# The IAM service prefix where it is not the client's name.
IAM_PREFIX = {"stepfunctions": "states"}
# S3's IAM actions are not named for its operations (HeadObject is s3:GetObject, ListObjectsV2
# s3:ListBucket, and the transfer methods are several operations): only the resource check applies.
ACTIONS_NAMED_FOR_OTHER_OPERATIONS = {"s3"}


@pytest.fixture(scope="module")
def scanned() -> dict[tuple[str, str], set[str]]:
    return aws_calls(METAFLOW_DIR)


def listed() -> dict[tuple[str, str], set[str]]:
    return {(call["client"], call["method"]): set(call["files"]) for call in CALLS["calls"]}


def test_the_list_is_derived_from_the_metaflow_the_tests_install():
    pinned = re.search(r'^metaflow = "==([^"]+)"$', (REPO_ROOT / "Pipfile").read_text(), re.MULTILINE)
    assert pinned, "the Pipfile pins no metaflow version"
    assert version("metaflow") == pinned.group(1), "the installed Metaflow is not the Pipfile's: run pipenv sync --dev"
    assert CALLS["metaflow"] == pinned.group(1), (
        f"{CALLS_FILE.name} was derived from Metaflow {CALLS['metaflow']}, the Pipfile pins {pinned.group(1)}: "
        "derive the list again from the new source, then set its version")


def test_every_aws_call_in_metaflows_source_is_in_the_list(scanned):
    missing = {f"{client}.{method} ({', '.join(sorted(files))})"
               for (client, method), files in scanned.items() if (client, method) not in listed()}
    assert not missing, (f"Metaflow {version('metaflow')} makes AWS calls {CALLS_FILE.name} does not list; add each "
                         f"with the IAM actions it needs and the commands that make it: {sorted(missing)}")


def test_every_listed_call_is_made_where_the_list_says(scanned):
    wrong = {f"{client}.{method}: listed in {sorted(files)}, made in {sorted(scanned.get((client, method), []))}"
             for (client, method), files in listed().items() if scanned.get((client, method)) != files}
    assert not wrong, sorted(wrong)


def test_the_list_names_each_call_once():
    names = [call_name(call) for call in CALLS["calls"]]
    assert len(names) == len(set(names))


def test_each_call_either_serves_commands_or_says_whose_it_is():
    for call in CALLS["calls"]:
        if call["commands"]:
            assert call["needs"] and "not_the_users" not in call, call_name(call)
            assert set(call["commands"]) <= set(CALLS["commands"]), call_name(call)
        else:
            assert call["not_the_users"] and "needs" not in call, call_name(call)
    served = {command for call in CALLS["calls"] for command in call["commands"]}
    assert served == set(CALLS["commands"]), "a command no call serves"


def test_every_placeholder_is_described_and_has_a_test_value():
    used = {name for call in CALLS["calls"] for need in call.get("needs", [])
            for _, name, _, _ in string.Formatter().parse(need["resource"]) if name}
    assert used <= set(CALLS["placeholders"]) == set(PLACEHOLDERS)


def test_each_call_needs_the_iam_action_of_its_operation():
    session = botocore.session.get_session()
    for call in CALLS["calls"]:
        if call["client"] in ACTIONS_NAMED_FOR_OTHER_OPERATIONS or not call["commands"]:
            continue
        model = session.get_service_model(call["client"])
        operation = {botocore.xform_name(name): name for name in model.operation_names}[call["method"]]
        expected = f"{IAM_PREFIX.get(call['client'], call['client'])}:{operation}"
        assert expected in {need["action"] for need in call["needs"]}, f"{call_name(call)} needs {expected}"


@pytest.mark.parametrize("call", [call for call in CALLS["calls"] if call["commands"]], ids=call_name)
def test_each_need_is_an_iam_action_on_a_resource_of_the_type_aws_defines_for_it(call):
    """The Service Authorization Reference, as policy_sentry (checkov's dependency) ships it: the
    action exists, and the resource is one of its ARN formats, or `*` when it takes no resource."""
    for need in call["needs"]:
        service, name = need["action"].split(":")
        rows = get_action_data(service, name).get(service, [])
        assert rows, f"{need['action']} is not an IAM action"
        formats = {row["resource_arn_format"] for row in rows}
        resource = need["resource"].format_map(PLACEHOLDERS)
        if formats == {"*"}:
            assert resource == "*", f"{need['action']} takes no resource, so only *"
        else:
            assert any(_arn_format(arn_format).fullmatch(resource) for arn_format in formats - {"*"}), (
                f"{need['action']} on {resource}: not one of {sorted(formats)}")


def _arn_format(arn_format: str) -> re.Pattern:
    """The Reference's `arn:${Partition}:states:${Region}:...` as a pattern of the ARNs it names."""
    return re.compile(".+".join(re.escape(part) for part in re.split(r"\$\{\w+\}", arn_format)))


# --- The scan itself ----------------------------------------------------------------------------


def test_the_scan_finds_operations_paginators_and_transfers():
    source = textwrap.dedent("""
        from ..aws_client import get_aws_client
        from .s3util import get_s3_client

        class Client:
            def __init__(self):
                self._client = get_aws_client("stepfunctions")
                self.s3, _ = get_s3_client()

            def run(self, arn):
                self._client.start_execution(stateMachineArn=arn)
                pages = self._client.get_paginator("list_executions").paginate(stateMachineArn=arn)
                self.s3.upload_file("f", "bucket", "key")
                account = get_aws_client("sts").get_caller_identity()
    """)
    assert calls_in_source(source) == {("stepfunctions", "start_execution"), ("stepfunctions", "list_executions"),
                                       ("s3", "upload_file"), ("sts", "get_caller_identity")}


def test_the_scan_ignores_wrappers_imported_modules_and_code_in_strings():
    source = textwrap.dedent("""
        import os
        from ..aws_client import get_aws_client

        class StepFunctionsClient:
            def __init__(self):
                self._client = get_aws_client("stepfunctions")

            def delete(self, name):
                self.delete_state_machine(name)          # the class's own method, not the client's
                env = os.environ.copy()
                script = 'boto3.client("s3").download_file("b", "k", "f")'
                return self._client.no_such_operation()
    """)
    assert calls_in_source(source) == set()


def test_a_file_that_creates_no_client_makes_no_call():
    assert calls_in_source("def f(client):\n    client.start_execution(stateMachineArn='x')\n") == set()
