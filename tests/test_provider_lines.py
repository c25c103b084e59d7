"""The two provider lines (metaflow_cdktf/lines.py): each tree is the other's but for what lines.py
declares, and a configuration on the wrong line is refused at `terraform init`."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from interface import of_module
from metaflow_cdktf.lines import AWS5, AWS6, LINES
from metaflow_cdktf.modules import SPECS
from metaflow_cdktf.paths import module_file
from metaflow_cdktf.synthesis.postprocess import for_line
from project import REPO_ROOT, TERRAFORM_LEFTOVERS

# --- Post-processing for a line ------------------------------------------------------------------

MODULE = {
    "data": {"aws_region": {"current": {}}},
    "resource": {
        "aws_batch_compute_environment": {"this": {"compute_environment_name_prefix": "cpu-", "type": "MANAGED"}},
        "aws_lb": {"this": {"name": "${data.aws_region.current.name}"}},
    },
    "locals": {
        "counted": "${data.aws_region.here[0].name}:${data.aws_region.all[*].name}",
        "untouched": "${data.aws_regions.x.name} ${xdata.aws_region.c.name} ${data.aws_region.c.names}",
        "in_json": '{"Resource": "arn:aws:logs:${data.aws_region.current.name}:1:log-group:*"}',
    },
}


def test_the_aws6_line_renames_the_batch_argument_and_reads_region_instead_of_name():
    adapted = for_line(MODULE, AWS6)
    assert adapted["resource"]["aws_batch_compute_environment"]["this"] == {"name_prefix": "cpu-", "type": "MANAGED"}
    assert adapted["resource"]["aws_lb"]["this"]["name"] == "${data.aws_region.current.region}"
    assert adapted["locals"] == {
        "counted": "${data.aws_region.here[0].region}:${data.aws_region.all[*].region}",
        "untouched": MODULE["locals"]["untouched"],
        "in_json": '{"Resource": "arn:aws:logs:${data.aws_region.current.region}:1:log-group:*"}',
    }


def test_adapting_leaves_the_module_it_is_given_as_it_was():
    before = json.dumps(MODULE, sort_keys=True)
    for_line(MODULE, AWS6)
    assert json.dumps(MODULE, sort_keys=True) == before


def test_the_aws5_line_changes_nothing():
    assert for_line(MODULE, AWS5) == MODULE


def test_the_lines_bound_the_versions_a_module_declares():
    declared = {"aws": {"source": "hashicorp/aws", "version": ">= 4.67.0"}, "random": {"source": "hashicorp/random"}}
    assert AWS5.required_providers(declared) == {
        "aws": {"source": "hashicorp/aws", "version": ">= 4.67.0, < 6.0.0"}, "random": {"source": "hashicorp/random"}}
    assert AWS6.required_providers(declared)["aws"] == {"source": "hashicorp/aws", "version": ">= 6.0.0"}
    # a module that declares no version (metadata-service) keeps none: `common` bounds it
    assert AWS6.required_providers({"aws": {"source": "hashicorp/aws"}}) == {"aws": {"source": "hashicorp/aws"}}


# --- The committed trees -------------------------------------------------------------------------


def committed(name: str, line) -> dict:
    return json.loads(module_file(name, line.root).read_text())


@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: spec.name)
def test_each_aws6_module_is_its_aws5_twin_made_into_the_aws6_line(spec):
    aws5, aws6 = committed(spec.name, AWS5), committed(spec.name, AWS6)
    expected = for_line(aws5, AWS6)
    expected["terraform"]["required_providers"] = AWS6.required_providers(spec.required_providers)
    assert aws6 == expected


@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: spec.name)
def test_both_trees_have_the_same_interface_and_addresses(spec):
    interfaces = [of_module(committed(spec.name, line)) for line in LINES]
    for interface in interfaces:
        interface.pop("required_providers")
    assert interfaces[0] == interfaces[1]


def test_the_aws6_tree_reads_no_attribute_the_aws6_line_deprecates():
    text = "".join(module_file(spec.name, AWS6.root).read_text() for spec in SPECS)
    assert not re.search(r"data\.aws_region\.[\w-]+(\[[^\]]*\])?\.name\b", text)
    assert "compute_environment_name" not in text


def test_every_aws6_readme_says_which_provider_its_copy_is_for():
    for spec in SPECS:
        readme = module_file(spec.name, AWS6.root).with_name("README.md").read_text()
        assert "This copy of the module is for hashicorp/aws 6." in readme


# --- The wrong line, at init -----------------------------------------------------------------------


def test_a_configuration_on_aws_6_calling_a_5x_module_fails_at_init_naming_the_bound(terraform, tmp_path):
    shutil.copytree(REPO_ROOT / "terraform", tmp_path / "terraform",
                    ignore=shutil.ignore_patterns(*TERRAFORM_LEFTOVERS))
    root = tmp_path / "root"
    root.mkdir()
    (root / "main.tf").write_text(
        'terraform {\n  required_providers {\n    aws = { source = "hashicorp/aws", version = ">= 6.0.0" }\n  }\n}\n\n'
        'module "step_functions" {\n  source = "../terraform/modules/step-functions"\n\n'
        '  batch_job_queue_arn = "arn:aws:batch:us-west-2:123456789012:job-queue/q"\n'
        '  resource_prefix     = "metaflow-"\n  resource_suffix     = "-test"\n'
        '  s3_bucket_arn       = "arn:aws:s3:::bucket"\n'
        '  s3_bucket_kms_arn   = "arn:aws:kms:us-west-2:123456789012:key/k"\n  standard_tags       = {}\n}\n')

    init = terraform.run(root, "init", "-input=false", "-no-color", "-backend=false", check=False, timeout=300)

    assert init.returncode == 1, init.stdout
    # the 5.x module's bound meets the configuration's: no version can satisfy both
    assert 'Finding hashicorp/aws versions matching ">= 4.67.0, >= 6.0.0, < 6.0.0"' in init.stdout
    assert ("no available releases match the given constraints >= 4.67.0, >= 6.0.0, < 6.0.0"
            in " ".join(init.stderr.split()))
