"""The module classes used from a CDKTF app: typed arguments, outputs, a real module block."""

from __future__ import annotations

import inspect
import json

import pytest

from project import TERRAFORM_ROOT

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


@pytest.fixture(scope="module")
def consumer_stack(synthesized, tmp_path_factory):
    """A CDKTF app that composes MetadataService the way a platform engineer would."""
    from cdktf import App, TerraformOutput, TerraformStack
    from cdktf_cdktf_provider_aws.provider import AwsProvider

    from modules import MetadataService

    outdir = tmp_path_factory.mktemp("cdktf")
    app = App(outdir=str(outdir))
    stack = TerraformStack(app, "consumer")
    AwsProvider(stack, "aws", region="us-west-2")
    service = MetadataService(stack, "metadata_service", **METADATA_SERVICE_ARGUMENTS, api_basic_auth=False)
    TerraformOutput(stack, "service_url", value=service.METAFLOW_SERVICE_URL)
    app.synth()
    return outdir / "stacks" / "consumer"


def test_module_block_points_at_the_synthesized_module(consumer_stack):
    document = json.loads((consumer_stack / "cdk.tf.json").read_text())
    block = document["module"]["metadata_service"]
    assert (consumer_stack / block["source"]).resolve() == (TERRAFORM_ROOT / "metadata-service").resolve()
    assert block["api_basic_auth"] is False
    assert block["standard_tags"] == {"team": "ml"}
    assert "db_migrate_lambda_zip_file" not in block  # left to the module's default
    assert document["output"]["service_url"]["value"] == "${module.metadata_service.METAFLOW_SERVICE_URL}"


def test_cdktf_stack_using_the_module_validates(consumer_stack, terraform):
    result = terraform.validate(consumer_stack)
    assert result["valid"], terraform.format_diagnostics(result)


def test_signature_lists_the_variables_as_keyword_arguments():
    from modules import MetadataService

    parameters = inspect.signature(MetadataService).parameters
    assert parameters["resource_prefix"].kind is inspect.Parameter.KEYWORD_ONLY
    assert parameters["resource_prefix"].default is inspect.Parameter.empty
    assert parameters["api_basic_auth"].default is True
    assert parameters["metadata_service_cpu"].annotation == "float"
    assert parameters["vpc_cidr_blocks"].annotation == "Sequence[str]"


def _new_stack():
    from cdktf import App, TerraformStack

    return TerraformStack(App(), "bad-input")


def test_missing_required_argument_is_named():
    from modules import MetadataService

    arguments = dict(METADATA_SERVICE_ARGUMENTS)
    del arguments["metaflow_vpc_id"]
    with pytest.raises(TypeError, match=r"MetadataService: missing required argument\(s\) metaflow_vpc_id"):
        MetadataService(_new_stack(), "metadata", **arguments)


@pytest.mark.parametrize("name, value", [
    ("metadata_service_cpu", "512"),
    ("api_basic_auth", "yes"),
    ("vpc_cidr_blocks", "10.0.0.0/16"),
    ("standard_tags", {"team": ["ml"]}),
    ("subnet1_id", ["subnet-1"]),
])
def test_wrong_type_is_named(name, value):
    from modules import MetadataService

    with pytest.raises(TypeError, match=rf"MetadataService: argument '{name}' must be a Terraform"):
        MetadataService(_new_stack(), "metadata", **{**METADATA_SERVICE_ARGUMENTS, name: value})


def test_unknown_argument_is_named():
    from modules import MetadataService

    with pytest.raises(TypeError, match="unexpected argument\\(s\\) subnet3_id"):
        MetadataService(_new_stack(), "metadata", **METADATA_SERVICE_ARGUMENTS, subnet3_id="subnet-3")
