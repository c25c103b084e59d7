"""The deployable CDKTF app: the `metaflow-minimal` stack composed through the module classes."""

from __future__ import annotations

import json

import pytest

from project import TERRAFORM_ROOT

CERTIFICATE = "arn:aws:acm:us-west-2:123456789012:certificate/abc"


def _synth(outdir, context):
    from cdktf import App

    from metaflow_cdktf.app import MINIMAL_STACK, build_minimal_stack

    app = App(outdir=str(outdir), context=context)
    build_minimal_stack(app)
    app.synth()
    return outdir / "stacks" / MINIMAL_STACK


@pytest.fixture(scope="module")
def minimal_stack(synthesized, tmp_path_factory):
    return _synth(tmp_path_factory.mktemp("app"), {"uiCertificateArn": CERTIFICATE})


def test_minimal_stack_calls_the_root_module_with_the_vpc_it_creates(minimal_stack):
    document = json.loads((minimal_stack / "cdk.tf.json").read_text())
    metaflow = document["module"]["metaflow"]
    assert (minimal_stack / metaflow["source"]).resolve() == (TERRAFORM_ROOT / "metaflow").resolve()
    assert metaflow["vpc_id"] == "${aws_vpc.vpc.id}"
    assert metaflow["subnet1_id"] == "${aws_subnet.public_1.id}"
    assert metaflow["ui_certificate_arn"] == CERTIFICATE
    assert metaflow["enable_step_functions"] is False
    config = document["resource"]["local_file"]["metaflow_config"]
    assert config["content"] == "${module.metaflow.metaflow_profile_json}"
    assert "endpoints" not in document["provider"]["aws"][0]


def test_minimal_stack_validates(minimal_stack, terraform):
    result = terraform.validate(minimal_stack)
    assert result["valid"], terraform.format_diagnostics(result)
    assert result["warning_count"] == 0, terraform.format_diagnostics(result)


def test_an_emulator_endpoint_reaches_every_service_with_fake_credentials(synthesized, tmp_path):
    from metaflow_cdktf.app import EMULATED_SERVICES

    stack = _synth(tmp_path, {"uiCertificateArn": CERTIFICATE, "awsEndpoint": "http://127.0.0.1:5000",
                              "awsRegion": "us-east-1"})
    provider = json.loads((stack / "cdk.tf.json").read_text())["provider"]["aws"][0]
    assert provider["region"] == "us-east-1"
    assert provider["endpoints"] == [{service: "http://127.0.0.1:5000" for service in EMULATED_SERVICES}]
    assert provider["skip_credentials_validation"] is True
    assert provider["access_key"] == "emulator"


def test_missing_certificate_context_is_a_clear_error(synthesized, tmp_path):
    from metaflow_cdktf.app import MissingContext

    with pytest.raises(MissingContext, match="uiCertificateArn"):
        _synth(tmp_path, {})
