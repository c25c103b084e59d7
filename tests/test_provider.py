"""The aws provider block without the provider binding (metaflow_cdktf/provider.py): what it writes,
validated with real Terraform, the constraint of the line in use, its type checks, and that an
app using it loads no binding."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest
from cdktf import App, TerraformStack, TerraformVariable

from metaflow_cdktf import Datastore, bench
from metaflow_cdktf.construct import ModuleSourceError
from metaflow_cdktf.lines import AWS5, AWS6
from metaflow_cdktf.modules import SPECS_BY_NAME
from metaflow_cdktf.paths import ROOT_MODULE
from metaflow_cdktf.provider import (
    AssumeRole,
    AssumeRoleWithWebIdentity,
    AwsProvider,
    DefaultTags,
    IgnoreTags,
    aws_version_constraint,
)
from project import REPO_ROOT

DATASTORE_ARGUMENTS = dict(
    metadata_service_security_group_id="sg-123", metaflow_vpc_id="vpc-123", resource_prefix="metaflow-",
    resource_suffix="-test", standard_tags={}, subnet1_id="subnet-1", subnet2_id="subnet-2",
)
EVERY_SETTING = dict(
    region="us-west-2", profile="deploy",
    assume_role=AssumeRole(role_arn="arn:aws:iam::123456789012:role/deploy", session_name="ci", external_id="x",
                           duration="1h", policy_arns=["arn:aws:iam::aws:policy/ReadOnlyAccess"],
                           tags={"Team": "ml"}, transitive_tag_keys=["Team"], source_identity="ci"),
    default_tags=DefaultTags(tags={"CostCenter": "ml-platform", "team": "ml"}),
    ignore_tags=IgnoreTags(keys=["LastScanned"], key_prefixes=["kubernetes.io/"]),
    allowed_account_ids=["123456789012"], shared_config_files=["/etc/aws/config"],
    shared_credentials_files=["/etc/aws/credentials"], max_retries=5, retry_mode="adaptive", sts_region="us-west-2",
    use_fips_endpoint=False, use_dualstack_endpoint=False, endpoints={"s3": "https://s3.example.test"},
    custom_ca_bundle="/etc/ssl/ca.pem", http_proxy="http://proxy:3128", https_proxy="http://proxy:3128",
    no_proxy="169.254.169.254", insecure=False, ec2_metadata_service_endpoint="http://169.254.169.254",
    ec2_metadata_service_endpoint_mode="IPv4", s3_use_path_style=True, skip_credentials_validation=False,
    skip_region_validation=False, skip_requesting_account_id=False, skip_metadata_api_check=False,
)


def synth(tmp_path, build):
    """Synthesize a stack `build(stack)` fills; its directory."""
    app = App(outdir=str(tmp_path / "out"))
    build(TerraformStack(app, "stack"))
    app.synth()
    return tmp_path / "out" / "stacks" / "stack"


def document(stack_dir) -> dict:
    return json.loads((stack_dir / "cdk.tf.json").read_text())


def every_setting_and_an_alias(stack) -> AwsProvider:
    """Two configurations: the default one with every setting, and an aliased one; the aliased one."""
    AwsProvider(stack, "aws", **EVERY_SETTING)
    return AwsProvider(stack, "aws_east", region="us-east-1", alias="east",
                       assume_role_with_web_identity=AssumeRoleWithWebIdentity(
                           role_arn="arn:aws:iam::123456789012:role/ci", web_identity_token_file="/run/token"))


def a_module_on_the_alias(stack) -> None:
    east = every_setting_and_an_alias(stack)
    datastore = Datastore(stack, "datastore", **DATASTORE_ARGUMENTS)
    # a module on the aliased configuration: the `providers` map of the module block (the element's API)
    datastore.add_provider(east)


@pytest.fixture(scope="module")
def every_setting_stack(tmp_path_factory):
    return synth(tmp_path_factory.mktemp("provider"), a_module_on_the_alias)


def test_the_block_holds_every_setting_given_nested_blocks_as_blocks(every_setting_stack):
    default, east = document(every_setting_stack)["provider"]["aws"]
    assert default == {
        **{name: value for name, value in EVERY_SETTING.items()
           if name not in ("assume_role", "default_tags", "ignore_tags", "endpoints")},
        "assume_role": [{"role_arn": "arn:aws:iam::123456789012:role/deploy", "session_name": "ci", "external_id": "x",
                         "duration": "1h", "policy_arns": ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
                         "tags": {"Team": "ml"}, "transitive_tag_keys": ["Team"], "source_identity": "ci"}],
        "default_tags": [{"tags": {"CostCenter": "ml-platform", "team": "ml"}}],
        "ignore_tags": [{"keys": ["LastScanned"], "key_prefixes": ["kubernetes.io/"]}],
        "endpoints": [{"s3": "https://s3.example.test"}],
    }
    assert east == {"alias": "east", "region": "us-east-1", "assume_role_with_web_identity": [
        {"role_arn": "arn:aws:iam::123456789012:role/ci", "web_identity_token_file": "/run/token"}]}


def test_an_alias_is_what_resources_and_modules_reference(every_setting_stack):
    assert document(every_setting_stack)["module"]["datastore"]["providers"] == {"aws": "aws.east"}


def test_the_stack_with_every_setting_validates_with_real_terraform(every_setting_stack, terraform):
    result = terraform.validate(every_setting_stack)
    assert result["valid"], terraform.format_diagnostics(result)
    assert result["warning_count"] == 0, terraform.format_diagnostics(result)


def test_hcl_output_writes_the_same_blocks_and_validates(tmp_path, terraform):
    # cdktf 0.21 reads the HCL switch from its Node process's environment (App's hcl_output names
    # the file cdk.tf but writes JSON into it), so the app runs in a process of its own. No module
    # on the alias: cdktf's HCL renders a module's `providers` quoted, which Terraform warns about.
    script = "import sys; from pathlib import Path; from test_provider import every_setting_and_an_alias, synth; " \
             "synth(Path(sys.argv[1]), every_setting_and_an_alias)"
    run = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True,
                         env={**os.environ, "SYNTH_HCL_OUTPUT": "true",
                              "PYTHONPATH": os.pathsep.join([str(REPO_ROOT), str(REPO_ROOT / "tests")])})
    assert run.returncode == 0, run.stderr
    stack = tmp_path / "out" / "stacks" / "stack"
    hcl = (stack / "cdk.tf").read_text()
    assert 'assume_role {\nrole_arn = "arn:aws:iam::123456789012:role/deploy"' in hcl
    assert 'default_tags {\ntags = {\nCostCenter = "ml-platform"' in hcl
    assert 'alias = "east"' in hcl
    result = terraform.validate(stack)
    assert result["valid"], terraform.format_diagnostics(result)
    assert result["warning_count"] == 0, terraform.format_diagnostics(result)


def test_the_constraint_is_the_root_modules_on_the_line_in_use(tmp_path):
    declared = SPECS_BY_NAME[ROOT_MODULE].required_providers["aws"]["version"]
    assert aws_version_constraint(AWS5) == AWS5.aws_version(declared) == ">= 5.40.0, < 6.0.0"
    assert aws_version_constraint(AWS6) == ">= 6.0.0"

    def aws6(stack):
        AwsProvider(stack, "aws", region="us-west-2", provider_line="aws6")
        Datastore(stack, "datastore", **DATASTORE_ARGUMENTS, provider_line="aws6")

    assert document(synth(tmp_path, aws6))["terraform"]["required_providers"] == {
        "aws": {"source": "hashicorp/aws", "version": ">= 6.0.0"}}


def test_a_stack_whose_provider_and_modules_are_of_two_lines_fails_naming_both(tmp_path):
    def mixed(stack):
        AwsProvider(stack, "aws", region="us-west-2", provider_line="aws6")
        Datastore(stack, "datastore", **DATASTORE_ARGUMENTS)

    with pytest.raises(ModuleSourceError, match=r"Datastore stack/datastore: it is for hashicorp/aws 5, but "
                                                r"AwsProvider stack/aws in the same stack is for hashicorp/aws 6"):
        synth(tmp_path, mixed)


def test_references_known_only_at_apply_time_are_accepted(tmp_path):
    def from_variables(stack):
        AwsProvider(stack, "aws", region=TerraformVariable(stack, "region", type="string").string_value,
                    allowed_account_ids=TerraformVariable(stack, "accounts", type="list(string)").list_value,
                    max_retries=TerraformVariable(stack, "retries", type="number").number_value)

    assert document(synth(tmp_path, from_variables))["provider"]["aws"] == [{
        "region": "${var.region}", "allowed_account_ids": "${var.accounts}", "max_retries": "${var.retries}"}]


@pytest.mark.parametrize(("make", "message"), [
    (lambda stack: AwsProvider(stack, "aws", region=1),  # type: ignore[arg-type]
     "AwsProvider stack/aws: argument 'region' must be str, got int"),
    (lambda stack: AwsProvider(stack, "aws", allowed_account_ids="123456789012"),  # type: ignore[arg-type]
     r"argument 'allowed_account_ids' must be list\[str\], got str: '123456789012'"),
    (lambda stack: AwsProvider(stack, "aws", max_retries=True),
     "argument 'max_retries' must be int, got bool"),
    (lambda stack: AwsProvider(stack, "aws", assume_role={"role_arn": "arn"}),  # type: ignore[arg-type]
     "argument 'assume_role' must be AssumeRole, got dict"),
    (lambda stack: AwsProvider(stack, "aws", endpoints={"s3": 5000}),  # type: ignore[dict-item]
     r"argument 'endpoints' must be Mapping\[str, str\], got dict"),
    (lambda stack: AssumeRole(role_arn=["arn"]),  # type: ignore[arg-type]
     "AssumeRole: argument 'role_arn' must be str, got list"),
    (lambda stack: DefaultTags(tags={"team": 1}),  # type: ignore[dict-item]
     r"DefaultTags: argument 'tags' must be Mapping\[str, str\], got dict"),
])
def test_a_value_of_the_wrong_type_is_refused_naming_the_argument(tmp_path, make, message):
    app = App(outdir=str(tmp_path / "out"))
    with pytest.raises(TypeError, match=message):
        make(TerraformStack(app, "stack"))


def test_an_unknown_setting_is_refused():
    with pytest.raises(TypeError, match="unexpected keyword argument 'regoin'"):
        AwsProvider(TerraformStack(App(), "stack"), "aws", regoin="us-west-2")  # type: ignore[call-arg]


def test_an_app_using_it_loads_no_provider_binding(tmp_path):
    app = textwrap.dedent('''
        import json, sys
        from cdktf import App, TerraformStack
        from metaflow_cdktf import Datastore
        from metaflow_cdktf.provider import AwsProvider, DefaultTags

        app = App(outdir="out")
        stack = TerraformStack(app, "stack")
        AwsProvider(stack, "aws", region="us-west-2", default_tags=DefaultTags(tags={"team": "ml"}))
        Datastore(stack, "datastore", metadata_service_security_group_id="sg-1", metaflow_vpc_id="vpc-1",
                  resource_prefix="m-", resource_suffix="-d", standard_tags={}, subnet1_id="subnet-1",
                  subnet2_id="subnet-2")
        app.synth()
        print(json.dumps(sorted(name for name in sys.modules if name.split(".")[0].startswith(
            ("cdktf_cdktf_provider", "cdktn")))))
    ''')
    (tmp_path / "app.py").write_text(app)
    run = subprocess.run([sys.executable, "app.py"], cwd=tmp_path, capture_output=True, text=True,
                         env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO_ROOT), "HOME": str(tmp_path)})
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout.strip().splitlines()[-1]) == []
    assert document(tmp_path / "out" / "stacks" / "stack")["provider"]["aws"] == [
        {"region": "us-west-2", "default_tags": [{"tags": {"team": "ml"}}]}]


def test_bench_case_f_is_readmes_compose_example_and_its_twin_with_the_binding():
    readme = (REPO_ROOT / "README.md").read_text()
    apps = bench.compose_apps(readme)
    assert apps["compose"].count(bench.HELPER_IMPORT) == 1
    assert apps["compose_binding"] == apps["compose"].replace(bench.HELPER_IMPORT, bench.BINDING_IMPORT)
    with pytest.raises(RuntimeError, match="README's '### Compose' section has no Python example importing"):
        bench.compose_apps(readme.replace(bench.HELPER_IMPORT, bench.BINDING_IMPORT))


@pytest.mark.parametrize("heading", ["### The aws provider, without the binding", "### Where the modules come from"])
def test_readmes_examples_run_and_their_stacks_validate(heading, tmp_path, terraform):
    """README's other cdktf examples, as pasted (Compose runs in tests/test_package.py, in a fresh
    virtualenv; the CDK Terrain one there too, with cdktn)."""
    (code,) = [code for section, code in bench.readme_python_examples((REPO_ROOT / "README.md").read_text())
               if section == heading]
    (tmp_path / "app.py").write_text(code)
    run = subprocess.run([sys.executable, "app.py"], cwd=tmp_path, capture_output=True, text=True,
                         env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO_ROOT), "HOME": str(tmp_path)})
    assert run.returncode == 0, run.stderr
    result = terraform.validate(tmp_path / "cdktf.out" / "stacks" / "metaflow")
    assert result["valid"], terraform.format_diagnostics(result)
    assert result["warning_count"] == 0, terraform.format_diagnostics(result)
