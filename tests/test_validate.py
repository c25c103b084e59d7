"""Real `terraform validate` of every synthesized module and of roots that consume them, the
ways plain Terraform users call modules: relative and absolute paths, git sources."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from metaflow_cdktf.modules import SPECS
from metaflow_cdktf.paths import module_dir
from module_calls import DATASTORE_CALL, METADATA_SERVICE_CALL, ROOT_MODULE_CALL
from project import DATA, TERRAFORM_LEFTOVERS, TERRAFORM_ROOT

CONSUMERS = DATA / "consumers"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    """A copy of terraform/ and the consumers, laid out as in the repo, so no .terraform lands there."""
    root = tmp_path_factory.mktemp("validate")
    ignore = shutil.ignore_patterns(*TERRAFORM_LEFTOVERS)
    shutil.copytree(TERRAFORM_ROOT, root / "terraform", ignore=ignore)
    shutil.copytree(CONSUMERS, root / "consumers", ignore=ignore)
    return root


def consumer(directory, source: str, arguments: dict):
    """A root that calls one module from `source`, as a platform engineer's root would."""
    directory.mkdir(parents=True)
    (directory / "main.tf.json").write_text(json.dumps({
        "terraform": {"required_providers": {"aws": {"source": "hashicorp/aws"}}},
        "provider": {"aws": {"region": "us-west-2"}},
        "module": {"metaflow": {"source": source, **arguments}},
    }, indent=2))
    return directory


def assert_clean(terraform, result):
    assert result["valid"], terraform.format_diagnostics(result)
    assert result["warning_count"] == 0, terraform.format_diagnostics(result)


@pytest.mark.parametrize("name", [spec.name for spec in SPECS])
def test_module_validates_without_errors_or_warnings(workspace, terraform, name):
    assert_clean(terraform, terraform.validate(module_dir(name, workspace / "terraform")))


@pytest.mark.parametrize("name", sorted(p.name for p in CONSUMERS.iterdir()))
def test_plain_terraform_root_consuming_the_modules_validates(workspace, terraform, name):
    assert_clean(terraform, terraform.validate(workspace / "consumers" / name))


def test_the_root_module_called_by_an_absolute_path_validates(workspace, terraform, tmp_path):
    # Terraform copies an absolute-path module as a package of its own: its ./modules/<name> stay inside
    root = consumer(tmp_path / "absolute", str(workspace / "terraform"), ROOT_MODULE_CALL)
    assert_clean(terraform, terraform.validate(root))


def test_the_root_module_called_by_a_relative_path_validates(workspace, terraform):
    root = consumer(workspace / "consumers-generated" / "relative", "../../terraform", ROOT_MODULE_CALL)
    assert_clean(terraform, terraform.validate(root))


@pytest.fixture(scope="module")
def git_repository(tmp_path_factory):
    """A git repository holding the synthesized tree at terraform/, as this repository does."""
    repository = tmp_path_factory.mktemp("git") / "metaflow-cdktf"
    # Not the workspace's copy: the tests before have initialized its modules, and their .terraform
    # links the 700 MB provider, which a copy would duplicate into every module and git would hash.
    shutil.copytree(TERRAFORM_ROOT, repository / "terraform", ignore=shutil.ignore_patterns(*TERRAFORM_LEFTOVERS))
    git = ["git", "-c", "user.name=test", "-c", "user.email=test@example.com", "-c", "init.defaultBranch=main"]
    for command in (["init", "--quiet"], ["add", "-A"], ["commit", "--quiet", "-m", "modules"],
                    ["tag", "v1.0.0"]):
        subprocess.run([*git, *command], cwd=repository, check=True, capture_output=True)
    return repository


@pytest.mark.parametrize(("name", "arguments"), [("datastore", DATASTORE_CALL),
                                                 ("metadata-service", METADATA_SERVICE_CALL)])
def test_a_submodule_called_as_a_git_sources_subdirectory_validates(git_repository, terraform, tmp_path,
                                                                     name, arguments):
    # metadata-service reaches ../common: inside the repository, the package Terraform fetched
    source = f"git::file://{git_repository}//terraform/modules/{name}?ref=v1.0.0"
    assert_clean(terraform, terraform.validate(consumer(tmp_path / "git", source, arguments)))


def test_a_submodule_using_common_called_alone_by_an_absolute_path_fails_as_upstreams_does(
        workspace, terraform, tmp_path):
    root = consumer(tmp_path / "absolute", str(workspace / "terraform" / "modules" / "metadata-service"),
                    METADATA_SERVICE_CALL)
    init = terraform.run(root, "init", "-backend=false", "-input=false", "-no-color", check=False)
    assert init.returncode != 0
    assert "Local module path escapes module package" in init.stderr


# --- variable validation: plain Terraform refuses what the rules refuse, saying what is expected ---

NOTEBOOK_CALL = {
    "resource_prefix": "metaflow-", "resource_suffix": "-test", "standard_tags": {}, "metaflow_vpc_id": "vpc-123",
    "subnet_id": "subnet-1", "s3_bucket_arn": "arn:aws:s3:::metaflow",
    "datastore_s3_bucket_kms_key_arn": "arn:aws:kms:us-west-2:123456789012:key/abc",
    "METAFLOW_DATASTORE_SYSROOT_S3": "s3://metaflow/metaflow", "METAFLOW_DATATOOLS_S3ROOT": "s3://metaflow/data",
    "METAFLOW_SERVICE_INTERNAL_URL": "http://nlb.internal/", "METAFLOW_BATCH_JOB_QUEUE": "arn:aws:batch:q",
    "METAFLOW_ECS_S3_ACCESS_IAM_ROLE": "arn:aws:iam::123456789012:role/batch",
}
USER_ROLE_CALL = {
    "resource_prefix": "metaflow-", "resource_suffix": "-test", "standard_tags": {},
    "trusted_principal_arns": ["arn:aws:iam::123456789012:root"], "s3_bucket_arn": "arn:aws:s3:::metaflow",
    "datastore_s3_bucket_kms_key_arn": "arn:aws:kms:us-west-2:123456789012:key/abc",
    "METAFLOW_BATCH_JOB_QUEUE": "arn:aws:batch:q", "METAFLOW_ECS_S3_ACCESS_IAM_ROLE": "arn:aws:iam::1:role/b",
}


@pytest.mark.parametrize(("name", "arguments", "message"), [
    ("sagemaker-notebook", {**NOTEBOOK_CALL, "notebook_instance_type": "t3.medium"},
     'The notebook instance type must be a SageMaker ML instance type, such as "ml.t3.medium".'),
    ("user-role", {**USER_ROLE_CALL, "trusted_principal_arns": []},
     "The role needs at least one principal allowed to assume it"),
])
def test_a_value_a_rule_refuses_is_an_error_naming_what_is_expected(workspace, terraform, tmp_path, name, arguments,
                                                                     message):
    root = consumer(tmp_path / "bad", str(workspace / "terraform" / "modules" / name), arguments)
    result = terraform.validate(root)
    assert not result["valid"]
    text = " ".join(terraform.format_diagnostics(result).split())
    assert "Invalid value for variable" in text and message in text


@pytest.mark.parametrize(("name", "arguments"), [("sagemaker-notebook", NOTEBOOK_CALL), ("user-role", USER_ROLE_CALL)])
def test_the_new_modules_called_with_valid_values_validate(workspace, terraform, tmp_path, name, arguments):
    assert_clean(terraform, terraform.validate(consumer(tmp_path / "good", str(workspace / "terraform" / "modules" / name),
                                                        arguments)))
