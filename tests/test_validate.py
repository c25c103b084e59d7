"""Real `terraform validate` of every synthesized module and of roots that consume them, the
ways plain Terraform users call modules: relative and absolute paths, git sources.

The module calls of the tests below the consumers are one root, validated once (each `validate`
loads the 700 MB aws provider): every diagnostic is attributed to its call, and every test holds
the whole root to having no diagnostic but the rule errors its bad calls expect."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from metaflow_cdktf.modules import JOB_QUEUES, SPECS
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


def assert_clean(terraform, result):
    assert result["valid"], terraform.format_diagnostics(result)
    assert result["warning_count"] == 0, terraform.format_diagnostics(result)


@pytest.mark.parametrize("name", [spec.name for spec in SPECS])
def test_module_validates_without_errors_or_warnings(workspace, terraform, name):
    assert_clean(terraform, terraform.validate(module_dir(name, workspace / "terraform")))


@pytest.mark.parametrize("name", sorted(p.name for p in CONSUMERS.iterdir()))
def test_plain_terraform_root_consuming_the_modules_validates(workspace, terraform, name):
    assert_clean(terraform, terraform.validate(workspace / "consumers" / name))


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


# --- the ways users call the modules, one root -----------------------------------------------------

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
# {call: what its diagnostics must say}: a value a rule refuses is an error naming what is expected
JOB_QUEUES_CALL = {
    "resource_prefix": "metaflow-", "resource_suffix": "-test", "standard_tags": {}, "subnet1_id": "subnet-1",
    "subnet2_id": "subnet-2", "batch_compute_environment_security_group_id": "sg-123",
}
# Every kind of queue, each at the edge of what the rules accept.
GOOD_QUEUES = {
    "cpu": {"type": "EC2", "instance_types": ["c5.large"], "max_vcpus": 0},  # max = min = desired (left out)
    "gpu_training": {"type": "EC2", "gpu": True, "instance_types": ["g5.xlarge"], "min_vcpus": 4, "desired_vcpus": 4,
                     "max_vcpus": 4},
    "gpu-spot": {"type": "SPOT", "gpu": True, "instance_types": ["g5.xlarge"], "desired_vcpus": 8, "max_vcpus": 8},
    "Fargate1": {"type": "FARGATE", "max_vcpus": 16, "priority": 10},
    "fargate-spot": {"type": "FARGATE_SPOT", "instance_types": [], "gpu": False, "max_vcpus": 16},
}
GOOD_SUBMITTERS = {"batch_tasks": "arn:aws:iam::123456789012:role/metaflow-batch_s3_task_role-test",
                   "gov": "arn:aws-us-gov:iam::123456789012:role/path/to/metaflow-user"}
# job-queues: one mistake each in what a queue map may hold, with the message that names it.
BAD_JOB_QUEUES = {
    "unknown-type": ({"queues": {"spot": {"type": "spot", "max_vcpus": 8}}},
                     "Each queue's type must be one of EC2, SPOT, FARGATE, FARGATE_SPOT."),
    "gpu-on-fargate": ({"queues": {"gpu": {"type": "FARGATE", "gpu": True, "max_vcpus": 8}}},
                       "Fargate has no GPUs: a queue with gpu = true needs the type EC2 or SPOT."),
    "max-below-min": ({"queues": {"cpu": {"type": "EC2", "instance_types": ["c5.large"], "min_vcpus": 16,
                                          "max_vcpus": 8}}},
                      "A queue's vCPUs must be 0 <= min_vcpus <= desired_vcpus (when given) <= max_vcpus."),
    "desired-above-max": ({"queues": {"cpu": {"type": "EC2", "instance_types": ["c5.large"], "desired_vcpus": 16,
                                              "max_vcpus": 8}}},
                          "A queue's vCPUs must be 0 <= min_vcpus <= desired_vcpus (when given) <= max_vcpus."),
    "no-instance-type-on-ec2": ({"queues": {"spot": {"type": "SPOT", "instance_types": [], "max_vcpus": 8}}},
                                "An EC2 or SPOT queue needs at least one instance type"),
    "instance-types-on-fargate": ({"queues": {"f": {"type": "FARGATE", "instance_types": ["c5.large"],
                                                    "max_vcpus": 8}}},
                                  "a FARGATE or FARGATE_SPOT queue takes none"),
    "a-key-aws-names-cannot-hold": ({"queues": {"gpu queue": {"type": "FARGATE", "max_vcpus": 8}}},
                                    "Each key of queues becomes part of AWS names"),
    "a-submitter-that-is-no-role": ({"queues": GOOD_QUEUES,
                                     "submitters": {"alice": "arn:aws:iam::123456789012:user/alice"}},
                                    "Each submitter must be an IAM role ARN"),
}
# {call: what its diagnostics must say}: a value a rule refuses is an error naming what is expected
BAD_CALLS = {
    "bad_sagemaker-notebook":
        'The notebook instance type must be a SageMaker ML instance type, such as "ml.t3.medium".',
    "bad_user-role": "The role needs at least one principal allowed to assume it",
    **{f"bad_job-queues_{mistake}": message for mistake, (_, message) in BAD_JOB_QUEUES.items()},
}


@pytest.fixture(scope="module")
def calls(tmp_path_factory, git_repository, terraform) -> dict[str, list[dict]]:
    """{call: its diagnostics ("" for those no call can be told from)} from one `terraform validate`
    of a root calling the modules of a fresh copy of terraform/ as platform engineers' roots do."""
    workspace = tmp_path_factory.mktemp("calls")
    tree = workspace / "terraform"
    shutil.copytree(TERRAFORM_ROOT, tree, ignore=shutil.ignore_patterns(*TERRAFORM_LEFTOVERS))
    root = workspace / "consumers-generated" / "calls"
    root.mkdir(parents=True)
    git = f"git::file://{git_repository}//terraform/modules/{{}}?ref=v1.0.0"
    module_calls = {
        # Terraform copies an absolute-path module as a package of its own: its ./modules/<name> stay inside
        "absolute": (str(tree), ROOT_MODULE_CALL),
        "relative": ("../../terraform", ROOT_MODULE_CALL),
        # metadata-service reaches ../common: inside the repository, the package Terraform fetched
        "git_datastore": (git.format("datastore"), DATASTORE_CALL),
        "git_metadata-service": (git.format("metadata-service"), METADATA_SERVICE_CALL),
        "good_sagemaker-notebook": (str(module_dir("sagemaker-notebook", tree)), NOTEBOOK_CALL),
        "good_user-role": (str(module_dir("user-role", tree)), USER_ROLE_CALL),
        "bad_sagemaker-notebook": (str(module_dir("sagemaker-notebook", tree)),
                                   {**NOTEBOOK_CALL, "notebook_instance_type": "t3.medium"}),
        "bad_user-role": (str(module_dir("user-role", tree)), {**USER_ROLE_CALL, "trusted_principal_arns": []}),
        "good_job-queues": (str(module_dir("job-queues", tree)),
                            {**JOB_QUEUES_CALL, "queues": GOOD_QUEUES, "submitters": GOOD_SUBMITTERS}),
        **{f"bad_job-queues_{mistake}": (str(module_dir("job-queues", tree)), {**JOB_QUEUES_CALL, **arguments})
           for mistake, (arguments, _) in BAD_JOB_QUEUES.items()},
    }
    (root / "main.tf.json").write_text(json.dumps({
        "terraform": {"required_providers": {"aws": {"source": "hashicorp/aws"}}},
        "provider": {"aws": {"region": "us-west-2"}},
        "module": {call: {"source": source, **arguments} for call, (source, arguments) in module_calls.items()},
    }, indent=2))
    by_call: dict[str, list[dict]] = {call: [] for call in module_calls}
    for diagnostic in terraform.validate(root)["diagnostics"]:
        by_call.setdefault(called_module(diagnostic, module_calls), []).append(diagnostic)
    return by_call


def called_module(diagnostic: dict, module_calls) -> str:
    """The call a diagnostic is about: an argument's (Terraform gives `module.<call>` as its context)
    or, for one inside a module, the call whose fetched copy holds the file; else ""."""
    context = (diagnostic.get("snippet", {}).get("context") or "").removeprefix("module.")
    if context in module_calls:
        return context
    filename = diagnostic.get("range", {}).get("filename", "")
    return next((call for call in module_calls if f".terraform/modules/{call}/" in filename), "")


def describe(diagnostics: list[dict]) -> str:
    return json.dumps(diagnostics, indent=1)


def assert_call_clean(calls: dict[str, list[dict]], call: str) -> None:
    """No diagnostic for this call, and none anywhere in the root that is not a bad call's."""
    stray = {name: found for name, found in calls.items() if found and name not in BAD_CALLS}
    assert not stray, describe([d for found in stray.values() for d in found])
    assert calls[call] == []


def test_the_root_module_called_by_an_absolute_path_validates(calls):
    assert_call_clean(calls, "absolute")


def test_the_root_module_called_by_a_relative_path_validates(calls):
    assert_call_clean(calls, "relative")


@pytest.mark.parametrize("name", ["datastore", "metadata-service"])
def test_a_submodule_called_as_a_git_sources_subdirectory_validates(calls, name):
    assert_call_clean(calls, f"git_{name}")


@pytest.mark.parametrize("name", ["sagemaker-notebook", "user-role", "job-queues"])
def test_the_new_modules_called_with_valid_values_validate(calls, name):
    assert_call_clean(calls, f"good_{name}")


@pytest.mark.parametrize("call", sorted(BAD_CALLS))
def test_a_value_a_rule_refuses_is_an_error_naming_what_is_expected(calls, call):
    (diagnostic,) = calls[call]
    assert (diagnostic["severity"], diagnostic["summary"]) == ("error", "Invalid value for variable"), \
        describe(calls[call])
    assert BAD_CALLS[call] in " ".join(diagnostic["detail"].split())


@pytest.mark.parametrize("mistake", BAD_JOB_QUEUES)
def test_the_job_queues_construct_refuses_a_mistake_with_terraforms_message(mistake):
    """Before anything is synthesized; Terraform's refusal of the same call is tested above."""
    arguments, message = BAD_JOB_QUEUES[mistake]
    with pytest.raises(ValueError, match=re.escape(message)):
        JOB_QUEUES.bind_arguments({**JOB_QUEUES_CALL, **arguments})


def test_the_job_queues_construct_accepts_every_kind_of_queue_at_the_edges_of_the_rules():
    JOB_QUEUES.bind_arguments({**JOB_QUEUES_CALL, "queues": GOOD_QUEUES, "submitters": GOOD_SUBMITTERS})


def test_a_submodule_using_common_called_alone_by_an_absolute_path_fails_as_upstreams_does(
        workspace, terraform, tmp_path):
    root = tmp_path / "absolute"
    root.mkdir()
    (root / "main.tf.json").write_text(json.dumps({
        "terraform": {"required_providers": {"aws": {"source": "hashicorp/aws"}}},
        "provider": {"aws": {"region": "us-west-2"}},
        "module": {"metaflow": {"source": str(workspace / "terraform" / "modules" / "metadata-service"),
                                **METADATA_SERVICE_CALL}},
    }, indent=2))
    init = terraform.run(root, "init", "-backend=false", "-input=false", "-no-color", check=False)
    assert init.returncode != 0
    assert "Local module path escapes module package" in init.stderr
