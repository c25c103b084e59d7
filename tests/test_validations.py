"""Bad input is refused before anything is created, saying what is expected: by real Terraform at
plan time (the synthesized `validation` blocks) and by the constructs before synthesis (the same
rules, checked in Python). For every variable of upstream's modules that has a rule, one value
that breaks it and one that keeps it, checked both ways.

Terraform 1.11 checks a child module's variables against the literal values its caller passes
during `terraform validate` already, so no plan (and no AWS account) is needed: one root calls every
module once with the bad value of each of its rule-bearing variables, and one `validate` reports
them all, each at its variable (a rule sees its own variable only, so one bad value cannot hide or
cause another's error); another root calls each module with every good value at once and validates
clean. A third root plans the validation blocks alone with values known only after apply, which
Terraform must let through.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from interface import load_module
from metaflow_cdktf.docs.markdown_table import render_tf_docs
from metaflow_cdktf.interface import EachMatches, MatchesPattern, OneOf, WholeNumberBetween
from metaflow_cdktf.modules import SPECS
from module_calls import CALLS
from project import TERRAFORM_LEFTOVERS, TERRAFORM_ROOT, module_dir


@dataclass(frozen=True)
class Case:
    bad: Any
    good: Any
    # what the error message must name as expected
    expected: str


CERTIFICATE = Case("metaflow.example.com", "arn:aws:iam::123456789012:server-certificate/metaflow",
                   "ACM certificate ARN")
COGNITO_USER_POOL = Case("us-west-2_abc123", "arn:aws:cognito-idp:us-west-2:123456789012:userpool/us-west-2_abc123",
                         '"arn:aws:cognito-idp:')

# By variable name: variables of the same name share their rule wherever they appear.
CASES: dict[str, Case] = {
    "access_list_cidr_blocks": Case(["10.0.0.0/8", "vpn.example.com"], ["10.0.0.0/8", "2001:db8::/32", "203.0.113.7"],
                                    "IPv4 or IPv6 CIDR block or address"),
    "batch_type": Case("ec", "fargate", '"ec2" or "fargate"'),
    "ca_cert_identifier": Case("rsa2048-g1", "rds-ca-rsa4096-g1", '"rds-ca-rsa2048-g1"'),
    "certificate_arn": CERTIFICATE,
    "cognito_user_pool_arn": COGNITO_USER_POOL,
    "compute_environment_desired_vcpus": Case(2.5, 0, "whole number, 0 or more"),
    "compute_environment_egress_cidr_blocks": Case(["0.0.0.0"], ["10.0.0.0/8", "192.168.0.0/16"],
                                                   'IPv4 CIDR block, such as "10.0.0.0/16"'),
    "compute_environment_max_vcpus": Case(-8, 256, "whole number, 0 or more"),
    "compute_environment_min_vcpus": Case(-1, 0, "whole number, 0 or more"),
    "db_engine": Case("postgress", "aurora-postgresql", "runs on PostgreSQL only"),
    "db_engine_version": Case("postgres14", "11.22-rds.20240418", '"16" or "16.4"'),
    "db_instance_type": Case("t3.small", "db.r6g.large", '"db.t3.small"'),
    "db_migrate_lambda_runtime": Case("nodejs20.x", "python3.12", "Python Lambda runtime"),
    "db_name": Case("metaflow_db", "Metaflow2", "letter, then letters or digits"),
    "db_username": Case("1metaflow", "metaflow_admin", "letter, then letters, digits or underscores"),
    "fargate_execution_role_arn": Case("ecs-execution-role", "arn:aws-us-gov:iam::123456789012:role/ecs-execution",
                                       '"arn:aws:iam::123456789012:role/my-role"'),
    "iam_partition": Case("aws-gov", "aws-us-gov", '"aws-us-gov"'),
    "launch_template_http_endpoint": Case("enable", "disabled", '"enabled" or "disabled"'),
    "launch_template_http_put_response_hop_limit": Case(65, 64, "from 1 to 64"),
    "launch_template_http_tokens": Case("true", "required", '"optional" or "required"'),
    "load_balancer_name_prefix": Case("metaflow-production-environment", "metaflow-prod", "at most 28"),
    "maintenance_window": Case("Mon 00:00-03:00", "sun:23:30-mon:00:30", '"ddd:hh24:mi-ddd:hh24:mi"'),
    "metadata_service_cpu": Case(500, 4096, "256, 512, 1024, 2048, 4096, 8192 or 16384"),
    "metadata_service_memory": Case(256, 30720, "from 512 to 122880"),
    "metadata_service_security_group_id": Case("metadata-service-sg", "sg-0123456789abcdef0", '"sg-'),
    "metaflow_vpc_id": Case("subnet-123", "vpc-0123456789abcdef0", '"vpc-'),
    "rds_master_instance_endpoint": Case("metaflow.example:5433", "metaflow.abc123.us-west-2.rds.amazonaws.com",
                                         "port 5432"),
    "s3_bucket_arn": Case("metaflow", "arn:aws-cn:s3:::metaflow", '"arn:aws:s3:::my-bucket"'),
    "s3_bucket_name": Case("Metaflow_Bucket", "metaflow.data-1", "valid S3 bucket name"),
    "subnet1_id": Case("vpc-123", "subnet-0123456789abcdef0", '"subnet-'),
    "subnet2_id": Case("subnet_2", "subnet-89abcdef", '"subnet-'),
    "ui_allow_list": Case(["2001:db8::/32"], ["0.0.0.0/0"], 'IPv4 CIDR block, such as "10.0.0.0/16"'),
    "ui_certificate_arn": CERTIFICATE,
    "ui_cognito_user_pool_arn": COGNITO_USER_POOL,
    "vpc_cidr_blocks": Case(["10.0.0.0/16", "10.1.0.0"], ["10.0.0.0/16", "172.16.0.0/12"],
                            'IPv4 CIDR block, such as "10.0.0.0/16"'),
    "vpc_id": Case("metaflow-vpc", "vpc-0a1b2c3d", '"vpc-'),
}

SPEC_OF = {spec.name: spec for spec in SPECS}
# (module, variable) for every variable of upstream's modules that has a rule
RULED = [(name, variable) for name in CALLS for variable in SPEC_OF[name].variables if variable.rules]
RULED_IDS = [f"{name}.{variable.name}" for name, variable in RULED]


def test_every_variable_with_a_rule_has_a_case_and_every_case_a_variable():
    assert {variable.name for _, variable in RULED} == set(CASES)


# --- the constructs, before synthesis ---------------------------------------------------------------


@pytest.mark.parametrize(("name", "variable"), RULED, ids=RULED_IDS)
def test_the_construct_check_refuses_the_bad_value_naming_the_argument_and_takes_the_good_one(name, variable):
    spec, case = SPEC_OF[name], CASES[variable.name]
    with pytest.raises(ValueError) as refused:
        spec.bind_arguments({**CALLS[name], variable.name: case.bad})
    assert str(refused.value).startswith(f"{spec.class_name()}: argument {variable.name!r} = {case.bad!r}: ")
    assert case.expected in str(refused.value)
    spec.bind_arguments({**CALLS[name], variable.name: case.good})


@pytest.mark.parametrize(("rule", "value", "holds"), [
    (WholeNumberBetween("m", low=1, high=64), 1, True),
    (WholeNumberBetween("m", low=1, high=64), 64.0, True),
    (WholeNumberBetween("m", low=1, high=64), 0, False),
    (WholeNumberBetween("m", low=1, high=64), 1.5, False),
    (WholeNumberBetween("m", low=1, high=64), True, False),
    (WholeNumberBetween("m", low=0), float("inf"), False),
    (WholeNumberBetween("m", low=0), 10**12, True),
    (OneOf("m", values=(256, 512)), 512.0, True),
    (OneOf("m", values=(1, 2)), True, False),
    (OneOf("m", values=("ec2",)), "EC2", False),
    (MatchesPattern("m", pattern="^a$", empty_allowed=True), "", True),
    (MatchesPattern("m", pattern="^a$"), "", False),
    (EachMatches("m", pattern="^a$"), [], True),
    (EachMatches("m", pattern="^a$"), ["a", "b"], False),
])
def test_rule_kinds_in_python(rule, value, holds):
    assert rule.holds(value) is holds


class Reference:
    """An IResolvable, as cdktf hands over some references known only at apply time."""

    def resolve(self, context):
        return "${aws_vpc.this.id}"


# How cdktf encodes other references in plain values (tests/test_construct.py passes real ones).
NUMBER_TOKEN = -8.109562212591379e+298


@pytest.mark.parametrize(("variable", "value"), [
    ("vpc_id", Reference()),
    ("vpc_id", "${TfToken[TOKEN.1]}"),
    ("s3_bucket_name", "metaflow-${TfToken[TOKEN.1]}"),
    ("vpc_cidr_blocks", ["#{TfToken[TOKEN.2]}"]),
    ("vpc_cidr_blocks", ["10.0.0.0/16", "${TfToken[TOKEN.3]}"]),
    ("compute_environment_max_vcpus", NUMBER_TOKEN),
])
def test_a_value_known_only_at_apply_time_is_left_to_terraform(variable, value):
    SPEC_OF["metaflow"].variable(variable).check(value)


def test_a_number_near_a_token_but_without_its_marker_is_still_checked():
    with pytest.raises(ValueError, match="0 or more"):
        SPEC_OF["metaflow"].variable("compute_environment_max_vcpus").check(-1e299)


# --- what the synthesized modules declare ---------------------------------------------------------


@pytest.mark.parametrize("name", sorted(CALLS))
def test_each_rule_is_one_validation_block_and_the_only_addition_to_the_variable(name):
    declared = load_module(name)["variable"]
    for variable in SPEC_OF[name].variables:
        block = dict(declared[variable.name])
        assert block.pop("validation", []) == [
            {"condition": "${" + rule.condition(f"var.{variable.name}") + "}", "error_message": rule.message}
            for rule in variable.rules]
        # upstream's interface is these keys (tests/test_interface.py compares their values)
        assert set(block) <= {"type", "default", "description"}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_the_readme_tables_do_not_show_validations(name):
    module = load_module(name)
    without = {**module, "variable": {variable: {key: value for key, value in block.items() if key != "validation"}
                                      for variable, block in module["variable"].items()}}
    assert render_tf_docs(module) == render_tf_docs(without)


# --- real Terraform, at plan time ------------------------------------------------------------------


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    """A copy of terraform/, so no .terraform lands in the repository, and a directory for roots."""
    root = tmp_path_factory.mktemp("validations")
    shutil.copytree(TERRAFORM_ROOT, root / "terraform", ignore=shutil.ignore_patterns(*TERRAFORM_LEFTOVERS))
    (root / "roots").mkdir()
    return root


def write_root(workspace: Path, directory: str, calls: dict[str, tuple[str, dict]]) -> Path:
    """A root calling module `name` with `arguments` for each {call: (name, arguments)}."""
    path = workspace / "roots" / directory
    path.mkdir()
    # relative, so that Terraform reads the copy in place instead of copying it once per call
    source = {name: os.path.relpath(module_dir(name, workspace / "terraform"), path) for name in CALLS}
    (path / "main.tf.json").write_text(json.dumps({
        "terraform": {"required_providers": {"aws": {"source": "hashicorp/aws"}}},
        "provider": {"aws": {"region": "us-west-2"}},
        "module": {call: {"source": source[name], **arguments} for call, (name, arguments) in calls.items()},
    }, indent=2))
    return path


def called_module(diagnostic: dict) -> str:
    """The module call a diagnostic points at ("" for none): Terraform gives `module.<call>` as the
    context of an argument in a JSON root."""
    return (diagnostic.get("snippet", {}).get("context") or "").removeprefix("module.")


def refused_variable(diagnostic: dict) -> str:
    """The variable a diagnostic's condition reads ("" for none): `var.<name>` among its values."""
    traversals = [value["traversal"] for value in diagnostic.get("snippet", {}).get("values", [])]
    return next((traversal.removeprefix("var.") for traversal in traversals if traversal.startswith("var.")), "")


@pytest.fixture(scope="module")
def refusals(workspace, terraform) -> dict[tuple[str, str], list[dict]]:
    """{(module, variable): its diagnostics} from one `terraform validate` of a root calling every
    module once, with the bad value of each of its rule-bearing variables and good values for the rest."""
    root = write_root(workspace, "bad", {
        name: (name, {**CALLS[name], **{variable.name: CASES[variable.name].bad
                                        for variable in SPEC_OF[name].variables if variable.rules}})
        for name in CALLS})
    result = terraform.validate(root)
    by_variable: dict[tuple[str, str], list[dict]] = {}
    for diagnostic in result["diagnostics"]:
        by_variable.setdefault((called_module(diagnostic), refused_variable(diagnostic)), []).append(diagnostic)
    return by_variable


@pytest.fixture(scope="module")
def acceptance(workspace, terraform) -> dict:
    """`terraform validate` of a root calling each module once, with every good value at once."""
    good = {name: {variable.name: CASES[variable.name].good for variable in SPEC_OF[name].variables
                   if variable.rules}
            for name in CALLS}
    return terraform.validate(write_root(workspace, "good", {
        name: (name, {**CALLS[name], **good[name]}) for name in CALLS}))


@pytest.mark.parametrize(("name", "variable"), RULED, ids=RULED_IDS)
def test_terraform_refuses_the_bad_value_naming_the_variable_and_takes_the_good_one(
        refusals, acceptance, name, variable):
    diagnostics = refusals.get((name, variable.name), [])
    # exactly one error, the rule's, at the argument: nothing deeper in the module fails instead
    assert [(d["severity"], d["summary"]) for d in diagnostics] == [("error", "Invalid value for variable")], \
        json.dumps(diagnostics, indent=1)
    (diagnostic,) = diagnostics
    assert diagnostic["detail"].startswith(variable.rules[0].message)
    assert CASES[variable.name].expected in diagnostic["detail"]
    assert f"var.{variable.name}" in [value["traversal"] for value in diagnostic["snippet"]["values"]]
    assert not [d for d in acceptance["diagnostics"] if called_module(d) == name]


def test_every_diagnostic_of_the_bad_root_belongs_to_one_bad_value(refusals):
    assert set(refusals) == {(name, variable.name) for name, variable in RULED}


def test_terraform_takes_every_good_value_at_once(terraform, acceptance):
    assert acceptance["valid"], terraform.format_diagnostics(acceptance)
    assert acceptance["warning_count"] == 0, terraform.format_diagnostics(acceptance)


def test_values_known_only_after_apply_pass_every_validation(workspace, terraform):
    """A reference to a resource not yet created (a VPC's id, a list holding a subnet's CIDR) is
    unknown at plan time: Terraform must skip the rule, not refuse the value. Planned with the
    modules' validation blocks alone, fed by `terraform_data`, which needs no provider."""
    declared = {}
    for name in CALLS:
        declared |= {variable: block for variable, block in load_module(name)["variable"].items()
                     if "validation" in block}
    checks = workspace / "roots" / "unknown" / "checks"
    checks.mkdir(parents=True)
    (checks / "main.tf.json").write_text(json.dumps({"variable": declared}, indent=2))

    def unknown(block):
        # terraform_data's output is unknown until apply; were it read, its input breaks every rule
        later = "terraform_data.later.output"
        return {"list(string)": f'${{["10.0.0.0/8", {later}]}}', "number": f"${{{later} == \"\" ? 0 : 1}}"}.get(
            block["type"], f"${{{later}}}")

    (checks.parent / "main.tf.json").write_text(json.dumps({
        "resource": {"terraform_data": {"later": {"input": "known only after apply"}}},
        "module": {"checks": {"source": "./checks", **{name: unknown(block) for name, block in declared.items()}}},
    }, indent=2))
    terraform.init(checks.parent)
    plan = terraform.run(checks.parent, "plan", "-refresh=false", "-input=false", "-no-color", check=False)
    assert plan.returncode == 0, plan.stdout + plan.stderr
    assert "Plan: 1 to add" in plan.stdout
