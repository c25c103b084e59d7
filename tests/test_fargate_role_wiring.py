"""examples/full and its twin stacks/full.py pass the notebook and the user role the Fargate
execution role, which the root module outputs only inside `metaflow_profile_json` and only with
batch_type = "fargate": each argument, evaluated by `terraform console` on a profile with the
setting and on one without, is the role or "" (an EC2 deployment must not fail there)."""

from __future__ import annotations

import json
import re
import subprocess

import pytest
from cdktf import App
from client_calls import PLACEHOLDERS

from project import EXAMPLES
from stacks.full import FULL_STACK, build_full_stack

ARGUMENT = "METAFLOW_ECS_FARGATE_EXECUTION_ROLE"
MODULE_CALLS = ("sagemaker_notebook", "user_role")
PROFILE_OUTPUT = "module.metaflow.metaflow_profile_json"
FARGATE_PROFILE = {ARGUMENT: PLACEHOLDERS["fargate_execution_role_arn"], "METAFLOW_BATCH_JOB_QUEUE": "q"}
EC2_PROFILE = {"METAFLOW_BATCH_JOB_QUEUE": "q"}


def example_arguments() -> dict[str, str]:
    """{module call: the argument's expression} in examples/full/main.tf."""
    main = (EXAMPLES / "full" / "main.tf").read_text()
    found = {}
    for name in MODULE_CALLS:
        block = re.search(rf'^module "{name}" \{{\n(.*?)^\}}', main, re.MULTILINE | re.DOTALL).group(1)
        found[name] = re.search(rf"^\s*{ARGUMENT}\s*=\s*(.+)$", block, re.MULTILINE).group(1)
    return found


@pytest.fixture(scope="module")
def stack_arguments(tmp_path_factory) -> dict[str, str]:
    """{module call: the argument's expression} in the synthesized metaflow-full stack."""
    outdir = tmp_path_factory.mktemp("full")
    app = App(outdir=str(outdir), context={"uiCertificateArn": "arn:aws:acm:us-west-2:123456789012:certificate/abc"})
    build_full_stack(app)
    app.synth()
    document = json.loads((outdir / "stacks" / FULL_STACK / "cdk.tf.json").read_text())
    return {name: re.fullmatch(r"\$\{(.*)\}", document["module"][name][ARGUMENT]).group(1) for name in MODULE_CALLS}


@pytest.fixture(scope="module")
def evaluate(tmp_path_factory, terraform):
    """evaluate(expression, profile): the expression's value, the root module's profile output being `profile`."""
    workdir = tmp_path_factory.mktemp("console")
    (workdir / "main.tf").write_text('variable "profile" {\n  type = string\n}\n')

    def value(expression: str, profile: dict) -> str:
        assert PROFILE_OUTPUT in expression, expression
        console = subprocess.run(
            [terraform.binary, "console", "-no-color", f"-var=profile={json.dumps(profile)}"],
            input=expression.replace(PROFILE_OUTPUT, "var.profile"), cwd=workdir, env=terraform.env(),
            capture_output=True, text=True, timeout=120, check=False)
        assert console.returncode == 0, f"{expression}: {console.stderr}"
        return json.loads(console.stdout)

    return value


@pytest.mark.parametrize("name", MODULE_CALLS)
def test_the_example_passes_the_role_on_fargate_and_nothing_on_ec2(evaluate, name):
    expression = example_arguments()[name]
    assert evaluate(expression, FARGATE_PROFILE) == FARGATE_PROFILE[ARGUMENT]
    assert evaluate(expression, EC2_PROFILE) == ""


@pytest.mark.parametrize("name", MODULE_CALLS)
def test_the_stack_passes_the_role_on_fargate_and_nothing_on_ec2(evaluate, stack_arguments, name):
    assert evaluate(stack_arguments[name], FARGATE_PROFILE) == FARGATE_PROFILE[ARGUMENT]
    assert evaluate(stack_arguments[name], EC2_PROFILE) == ""
