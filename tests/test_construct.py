"""The module constructs used from a CDKTF app: typed arguments, outputs, a real module block
whose source is the packaged tree copied into the stack, or a pinned release."""

from __future__ import annotations

import inspect
import json
import shutil

import pytest
from cdktf import App, TerraformHclModule, TerraformOutput, TerraformStack, TerraformVariable
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.vpc import Vpc
from constructs import Construct, RootConstruct

from metaflow_cdktf import Datastore, JobQueues, MetadataService, Metaflow, SagemakerNotebook, UserRole
from metaflow_cdktf.construct import ModuleSourceError
from metaflow_cdktf.core import CoreError
from metaflow_cdktf.paths import TERRAFORM_AWS6_ROOT
from module_calls import ROOT_MODULE_CALL
from project import TERRAFORM_ROOT, files_under

METADATA_SERVICE_ARGUMENTS = dict(
    access_list_cidr_blocks=["10.0.0.0/8"],
    database_password="secret",
    database_username="metaflow",
    datastore_s3_bucket_kms_key_arn="arn:aws:kms:us-west-2:123456789012:key/abc",
    fargate_execution_role_arn="arn:aws:iam::123456789012:role/ecs-execution",
    metaflow_vpc_id="vpc-123",
    resource_prefix="metaflow-",
    resource_suffix="-test",
    rds_master_instance_endpoint="db.example:5432",
    s3_bucket_arn="arn:aws:s3:::metaflow",
    standard_tags={"team": "ml"},
    subnet1_id="subnet-1",
    subnet2_id="subnet-2",
    vpc_cidr_blocks=["10.0.0.0/16"],
)
DATASTORE_ARGUMENTS = dict(
    metadata_service_security_group_id="sg-123", metaflow_vpc_id="vpc-123", resource_prefix="metaflow-",
    resource_suffix="-test", standard_tags={}, subnet1_id="subnet-1", subnet2_id="subnet-2",
)
RELEASE = "git::https://example.com/org/metaflow-cdktf.git//terraform/modules/{}?ref=v1.2.0"


@pytest.fixture(scope="module")
def consumer_stack(tmp_path_factory):
    """A CDKTF app that composes MetadataService the way a platform engineer would."""
    outdir = tmp_path_factory.mktemp("cdktf")
    app = App(outdir=str(outdir))
    stack = TerraformStack(app, "consumer")
    AwsProvider(stack, "aws", region="us-west-2")
    service = MetadataService(stack, "metadata_service", **METADATA_SERVICE_ARGUMENTS, api_basic_auth=False)
    TerraformOutput(stack, "service_url", value=service.METAFLOW_SERVICE_URL)
    app.synth()
    return outdir / "stacks" / "consumer"


def module_block(stack_dir, name: str) -> dict:
    return json.loads((stack_dir / "cdk.tf.json").read_text())["module"][name]


def test_module_block_points_at_the_packaged_tree_copied_into_the_stack(consumer_stack):
    block = module_block(consumer_stack, "metadata_service")
    assert block["source"].startswith("./assets/metaflow-cdktf-modules/")
    assert block["source"].endswith("/modules/metadata-service")
    tree = (consumer_stack / block["source"]).parent.parent
    # the whole tree, so the module's ../common (and a root module's ./modules/...) resolve
    assert files_under(tree) == {path: data for path, data in files_under(TERRAFORM_ROOT).items()
                                 if not path.name.endswith(".zip")}
    assert block["api_basic_auth"] is False
    assert block["standard_tags"] == {"team": "ml"}
    assert "db_migrate_lambda_zip_file" not in block  # left to the module's default


def test_outputs_are_references_to_the_module(consumer_stack):
    document = json.loads((consumer_stack / "cdk.tf.json").read_text())
    assert document["output"]["service_url"]["value"] == "${module.metadata_service.METAFLOW_SERVICE_URL}"


def test_the_stack_directory_alone_validates_where_nothing_else_is(consumer_stack, terraform, tmp_path):
    moved = tmp_path / "elsewhere" / "consumer"
    shutil.copytree(consumer_stack, moved)
    result = terraform.validate(moved)
    assert result["valid"], terraform.format_diagnostics(result)
    assert result["warning_count"] == 0, terraform.format_diagnostics(result)


def test_signature_lists_the_variables_as_typed_keyword_arguments():
    parameters = inspect.signature(MetadataService).parameters
    assert list(parameters)[:2] == ["scope", "id"]
    assert parameters["resource_prefix"].kind is inspect.Parameter.KEYWORD_ONLY
    assert parameters["resource_prefix"].default is inspect.Parameter.empty
    assert parameters["api_basic_auth"].default is None  # left out: the module's default applies
    assert parameters["metadata_service_cpu"].annotation == "float | None"
    assert parameters["vpc_cidr_blocks"].annotation == "list[str]"  # a bare str is no list[str]
    assert "Default: ``true``" in MetadataService.__doc__


def test_a_construct_is_a_module_block_of_the_apps_core_with_its_escape_hatches(tmp_path):
    app = App(outdir=str(tmp_path))
    stack = TerraformStack(app, "core")
    datastore = Datastore(stack, "datastore", **DATASTORE_ARGUMENTS)
    assert isinstance(datastore, Datastore) and isinstance(datastore, TerraformHclModule)
    assert type(datastore).__name__ == "Datastore"
    # what the module's variables do not say, a raw override of the module block does
    datastore.add_override("db_instance_type", "db.t4g.small")
    TerraformOutput(stack, "endpoint", value=datastore.output("rds_master_instance_endpoint"), depends_on=[datastore])
    app.synth()
    document = json.loads((tmp_path / "stacks" / "core" / "cdk.tf.json").read_text())
    assert document["module"]["datastore"]["db_instance_type"] == "db.t4g.small"
    assert document["output"]["endpoint"] == {"value": "${module.datastore.rds_master_instance_endpoint}",
                                              "depends_on": ["${module.datastore}"]}


def test_a_construct_outside_any_app_is_refused_naming_it():
    scope = Construct(RootConstruct("loose"), "scope")
    with pytest.raises(CoreError, match=r"Datastore loose/scope/datastore: scope 'loose/scope' is in no App or "
                                        r"TerraformStack of cdktf or cdktn"):
        Datastore(scope, "datastore", **DATASTORE_ARGUMENTS)


def _new_stack():
    return TerraformStack(App(), "bad-input")


def test_missing_required_argument_is_named():
    arguments = dict(METADATA_SERVICE_ARGUMENTS)
    del arguments["metaflow_vpc_id"]
    with pytest.raises(TypeError, match="missing 1 required keyword-only argument: 'metaflow_vpc_id'"):
        MetadataService(_new_stack(), "metadata", **arguments)


@pytest.mark.parametrize("name, value", [
    ("metadata_service_cpu", "512"),
    ("api_basic_auth", "yes"),
    ("vpc_cidr_blocks", "10.0.0.0/16"),
    ("standard_tags", {"team": ["ml"]}),
    ("subnet1_id", ["subnet-1"]),
])
def test_wrong_type_is_named(name, value):
    with pytest.raises(TypeError, match=rf"MetadataService: argument '{name}' must be a Terraform"):
        MetadataService(_new_stack(), "metadata", **{**METADATA_SERVICE_ARGUMENTS, name: value})


def test_unknown_argument_is_named():
    with pytest.raises(TypeError, match="unexpected keyword argument 'subnet3_id'"):
        MetadataService(_new_stack(), "metadata", **METADATA_SERVICE_ARGUMENTS, subnet3_id="subnet-3")


# --- pinned releases ------------------------------------------------------------------------------


def synth_stack(tmp_path, *modules):
    """Synthesize a stack holding (construct class, arguments) pairs; its cdk.tf.json document."""
    app = App(outdir=str(tmp_path / "out"))
    stack = TerraformStack(app, "pinned")
    for index, (construct, arguments) in enumerate(modules):
        construct(stack, f"m{index}", **arguments)
    app.synth()
    return json.loads((tmp_path / "out" / "stacks" / "pinned" / "cdk.tf.json").read_text())


def test_a_git_source_with_a_ref_is_passed_through_and_nothing_is_copied(tmp_path):
    document = synth_stack(
        tmp_path,
        (Datastore, {**DATASTORE_ARGUMENTS, "source": RELEASE.format("datastore")}),
        (MetadataService, {**METADATA_SERVICE_ARGUMENTS, "source": RELEASE.format("metadata-service")}),
    )
    assert document["module"]["m0"]["source"] == RELEASE.format("datastore")
    assert document["module"]["m1"]["source"] == RELEASE.format("metadata-service")
    assert not (tmp_path / "out" / "stacks" / "pinned" / "assets").exists()


def test_a_registry_source_takes_a_version(tmp_path):
    document = synth_stack(tmp_path, (Metaflow, {
        "source": "outerbounds/metaflow/aws", "version": "0.10.1", "enable_step_functions": False,
        "subnet1_id": "subnet-a", "subnet2_id": "subnet-b", "vpc_cidr_blocks": [], "vpc_id": "vpc-1", "tags": {},
        "ui_certificate_arn": "arn:aws:acm:us-west-2:123456789012:certificate/abc"}))
    assert (document["module"]["m0"]["source"], document["module"]["m0"]["version"]) == \
        ("outerbounds/metaflow/aws", "0.10.1")


@pytest.mark.parametrize(("source", "message"), [
    ("s3::https://bucket.s3.amazonaws.com/metaflow.zip", "unknown module source"),
    ("https://example.com/metaflow.zip", "unknown module source"),
    ("../terraform/modules/datastore", "unknown module source"),
    (RELEASE.format("ui"), "does not point at module datastore"),
    ("git::https://example.com/org/repo.git?ref=v1", "does not point at module datastore"),
])
def test_a_bad_source_fails_naming_the_construct_and_nothing_is_written(tmp_path, source, message):
    with pytest.raises(ModuleSourceError, match=rf"Datastore pinned/m0: .*{message}"):
        synth_stack(tmp_path, (Datastore, {**DATASTORE_ARGUMENTS, "source": source}))
    assert not (tmp_path / "out" / "stacks" / "pinned").exists()


@pytest.mark.parametrize("other_source", [None, RELEASE.format("metadata-service").replace("v1.2.0", "v1.3.0")])
def test_a_stack_mixing_two_module_trees_fails_naming_both_constructs(tmp_path, other_source):
    with pytest.raises(ModuleSourceError, match=r"MetadataService pinned/m1: its module comes from .* but "
                                                r"Datastore pinned/m0 in the same stack uses"):
        synth_stack(
            tmp_path,
            (Datastore, {**DATASTORE_ARGUMENTS, "source": RELEASE.format("datastore")}),
            (MetadataService, {**METADATA_SERVICE_ARGUMENTS, "source": other_source}),
        )
    assert not (tmp_path / "out" / "stacks" / "pinned").exists()


def test_the_aws6_line_copies_the_aws6_tree_into_the_stack(tmp_path):
    document = synth_stack(
        tmp_path,
        (Datastore, {**DATASTORE_ARGUMENTS, "provider_line": "aws6"}),
        (MetadataService, {**METADATA_SERVICE_ARGUMENTS, "provider_line": "aws6"}),
    )
    stack = tmp_path / "out" / "stacks" / "pinned"
    source = document["module"]["m0"]["source"]
    assert source.endswith("/modules/datastore")
    tree = (stack / source).parent.parent
    assert files_under(tree) == {path: data for path, data in files_under(TERRAFORM_AWS6_ROOT).items()
                                 if not path.name.endswith(".zip")}
    assert document["module"]["m1"]["source"] == source.replace("datastore", "metadata-service")


def test_a_stack_mixing_the_two_lines_fails_naming_both_constructs(tmp_path):
    with pytest.raises(ModuleSourceError, match=r"MetadataService pinned/m1: its module comes from the modules "
                                                r"packaged with metaflow-cdktf for hashicorp/aws 5, but Datastore "
                                                r"pinned/m0 .* for hashicorp/aws 6"):
        synth_stack(tmp_path, (Datastore, {**DATASTORE_ARGUMENTS, "provider_line": "aws6"}),
                    (MetadataService, METADATA_SERVICE_ARGUMENTS))


def test_an_unknown_provider_line_is_refused_naming_the_lines(tmp_path):
    with pytest.raises(ModuleSourceError, match=r"Datastore pinned/m0: unknown provider_line 'aws7': pass one of "
                                                r"aws5, aws6"):
        synth_stack(tmp_path, (Datastore, {**DATASTORE_ARGUMENTS, "provider_line": "aws7"}))


def test_version_without_a_registry_source_is_refused(tmp_path):
    with pytest.raises(ModuleSourceError, match="`version` applies to a registry source only"):
        synth_stack(tmp_path, (Datastore, {**DATASTORE_ARGUMENTS, "version": "1.0.0"}))


# --- rules on values: the construct refuses before synthesis what Terraform refuses at plan time ----

NOTEBOOK_ARGUMENTS = dict(
    resource_prefix="metaflow-", resource_suffix="-test", standard_tags={}, metaflow_vpc_id="vpc-123",
    subnet_id="subnet-1", s3_bucket_arn="arn:aws:s3:::metaflow",
    datastore_s3_bucket_kms_key_arn="arn:aws:kms:us-west-2:123456789012:key/abc",
    METAFLOW_DATASTORE_SYSROOT_S3="s3://metaflow/metaflow", METAFLOW_DATATOOLS_S3ROOT="s3://metaflow/data",
    METAFLOW_SERVICE_INTERNAL_URL="http://nlb.internal/", METAFLOW_BATCH_JOB_QUEUE="arn:aws:batch:q",
    METAFLOW_ECS_S3_ACCESS_IAM_ROLE="arn:aws:iam::123456789012:role/batch",
)
USER_ROLE_ARGUMENTS = dict(
    resource_prefix="metaflow-", resource_suffix="-test", standard_tags={},
    trusted_principal_arns=["arn:aws:iam::123456789012:root"], s3_bucket_arn="arn:aws:s3:::metaflow",
    datastore_s3_bucket_kms_key_arn="arn:aws:kms:us-west-2:123456789012:key/abc",
    METAFLOW_BATCH_JOB_QUEUE="arn:aws:batch:q", METAFLOW_ECS_S3_ACCESS_IAM_ROLE="arn:aws:iam::123456789012:role/b",
)

JOB_QUEUES_ARGUMENTS = dict(
    resource_prefix="metaflow-", resource_suffix="-test", standard_tags={}, subnet1_id="subnet-1",
    subnet2_id="subnet-2", batch_compute_environment_security_group_id="sg-123",
    queues={"spot": {"type": "SPOT", "instance_types": ["c5.large"], "max_vcpus": 8}},
)


@pytest.mark.parametrize("instance_type", ["t3.medium", "ml.t3", "ML.T3.MEDIUM", ""])
def test_a_notebook_instance_type_that_is_not_an_ml_type_is_refused_before_synthesis(instance_type):
    with pytest.raises(ValueError, match=r"SagemakerNotebook: argument 'notebook_instance_type' = .*: The notebook "
                                         r"instance type must be a SageMaker ML instance type, "
                                         r"such as \"ml.t3.medium\""):
        SagemakerNotebook(_new_stack(), "notebook", **NOTEBOOK_ARGUMENTS, notebook_instance_type=instance_type)


def test_an_empty_principal_list_is_refused_before_synthesis():
    with pytest.raises(ValueError, match=r"UserRole: argument 'trusted_principal_arns' = \[\]: The role needs at "
                                         r"least one principal allowed to assume it"):
        UserRole(_new_stack(), "user_role", **{**USER_ROLE_ARGUMENTS, "trusted_principal_arns": []})


def test_a_gpu_queue_on_fargate_is_refused_before_synthesis():
    with pytest.raises(ValueError, match=r"JobQueues: argument 'queues' = .*: Fargate has no GPUs: a queue with "
                                         r"gpu = true needs the type EC2 or SPOT"):
        JobQueues(_new_stack(), "queues", **{**JOB_QUEUES_ARGUMENTS,
                                             "queues": {"gpu": {"type": "FARGATE", "gpu": True, "max_vcpus": 4}}})


def test_valid_values_and_references_known_only_at_apply_time_pass(tmp_path):
    app = App(outdir=str(tmp_path))
    stack = TerraformStack(app, "ok")
    role = UserRole(stack, "user_role", **USER_ROLE_ARGUMENTS)
    SagemakerNotebook(stack, "notebook", **NOTEBOOK_ARGUMENTS, notebook_instance_type="ml.m5.xlarge")
    UserRole(stack, "from_reference", **{**USER_ROLE_ARGUMENTS, "trusted_principal_arns": [role.user_role_arn]})
    JobQueues(stack, "queues", **JOB_QUEUES_ARGUMENTS, submitters={"user_role": role.user_role_arn})


def test_references_pass_the_rules_in_every_shape_cdktf_gives_them(tmp_path):
    """Resource attributes reach the construct as plain values with a token inside: a string, a
    one-element list, a number, a map key. Terraform checks them at plan time, once known."""
    app = App(outdir=str(tmp_path))
    stack = TerraformStack(app, "references")
    vpc = Vpc(stack, "vpc", cidr_block="10.0.0.0/16")
    Metaflow(stack, "metaflow", **{
        **ROOT_MODULE_CALL,
        "vpc_id": vpc.id,
        "subnet1_id": vpc.default_network_acl_id,
        "vpc_cidr_blocks": [vpc.cidr_block],
        "ui_allow_list": TerraformVariable(stack, "allow", type="list(string)").list_value,
        "compute_environment_max_vcpus": TerraformVariable(stack, "vcpus", type="number").number_value,
        "s3_bucket_name": f"metaflow-{vpc.id}",
        "tags": vpc.tags_all,
    })
