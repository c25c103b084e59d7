"""The examples under examples/: real `terraform validate`, and the local_file stand-in they use.

(Applying examples/minimal against the moto emulator is tests/test_apply.py, marked `apply`.)
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import stat

import pytest

from harness.schema_check import load_document
from project import AWS5_EXAMPLES, AWS6_EXAMPLES, EXAMPLES, REPO_ROOT, TERRAFORM_LEFTOVERS, TERRAFORM_ROOT

PROFILE = '{"METAFLOW_DEFAULT_DATASTORE": "s3"}\n'


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    """A copy of examples/ and both trees, laid out as in the repo, so no .terraform lands there."""
    root = tmp_path_factory.mktemp("examples")
    ignore = shutil.ignore_patterns(*TERRAFORM_LEFTOVERS)
    shutil.copytree(TERRAFORM_ROOT, root / "terraform", ignore=ignore)
    shutil.copytree(REPO_ROOT / "terraform-aws6", root / "terraform-aws6", ignore=ignore)
    shutil.copytree(EXAMPLES, root / "examples", ignore=ignore)
    return root


def test_every_example_is_on_a_provider_line():
    assert {p.name for p in EXAMPLES.iterdir() if p.is_dir()} == {*AWS5_EXAMPLES, *AWS6_EXAMPLES}


# (the aws 6 example cannot be: no aws 6 provider binary can be had; tests/test_provider_schema.py
# checks it against the aws 6 schema)
@pytest.mark.parametrize("example", AWS5_EXAMPLES)
def test_example_validates_without_errors_or_warnings(workspace, terraform, example):
    result = terraform.validate(workspace / "examples" / example)
    assert result["valid"], terraform.format_diagnostics(result)
    assert result["warning_count"] == 0, terraform.format_diagnostics(result)


def test_full_example_writes_the_profile_with_the_key_readable_by_its_owner_only():
    main = (EXAMPLES / "full" / "main.tf").read_text()
    assert 'resource "local_sensitive_file" "metaflow_profile"' in main
    assert 'file_permission = "0600"' in main
    assert "METAFLOW_SERVICE_AUTH_KEY = data.aws_api_gateway_api_key.metadata_service.value" in main
    outputs = (EXAMPLES / "full" / "outputs.tf").read_text()
    for name in ("ServiceUrl", "InternalServiceUrl", "ApiKeyId", "BatchJobQueueArn", "ECSJobRoleForBatchJobs",
                 "MetaflowUserRoleArn", "SageMakerNoteBookURL"):
        assert f'output "{name}"' in outputs


def test_minimal_example_uses_the_root_module_and_writes_the_profile():
    main = (EXAMPLES / "minimal" / "main.tf").read_text()
    assert 'source = "../../terraform"' in main
    assert 'resource "local_file" "metaflow_config"' in main
    assert "content  = module.metaflow.metaflow_profile_json" in main
    # The moto provider override is written by the tests into a temporary copy only.
    assert not list((EXAMPLES / "minimal").glob("*override.tf*"))


def test_the_aws6_example_is_the_minimal_one_with_an_override_of_source_and_constraint():
    """Its files are links to minimal's, every one of them, and its one file of its own overrides
    only the module's source and the aws constraint."""
    aws6, minimal = EXAMPLES / "aws6", EXAMPLES / "minimal"
    links = {path.name: path for path in aws6.iterdir() if path.is_symlink()}
    assert set(links) == {path.name for path in minimal.glob("*.tf")}
    assert all(path.resolve() == (minimal / name).resolve() for name, path in links.items())
    assert {path.name for path in aws6.iterdir()} - set(links) == {"aws6_override.tf"}

    assert load_document(aws6 / "aws6_override.tf") == {
        "terraform": [{"required_providers": [{"aws": [{"source": "hashicorp/aws", "version": ">= 6.0.0"}]}]}],
        "module": [{"metaflow": {"source": ["../../terraform-aws6"]}}],
    }
    assert 'source = "../../terraform"' in (minimal / "main.tf").read_text()
    assert 'version = ">= 5.40.0, < 6.0.0"' in (minimal / "versions.tf").read_text()


def test_terraform_reads_the_aws6_example_as_minimal_on_the_aws6_tree(workspace, terraform):
    """What Terraform makes of the links and the override: the modules of terraform-aws6/, and aws 6
    wherever the configuration names aws (`terraform validate` cannot run: no aws 6 binary here)."""
    root = workspace / "examples" / "aws6"
    modules = terraform.run(root, "get", "-no-color").stdout
    assert "- metaflow in ../../terraform-aws6\n" in modules
    assert "../../terraform/" not in modules and "../../terraform\n" not in modules
    providers = terraform.run(root, "providers", "-no-color").stdout
    aws = re.findall(r"provider\[registry\.terraform\.io/hashicorp/aws\](.*)", providers)
    # the example's own constraint and the modules' (metadata-service and the network module
    # declare none or their own lower bound, without an upper one)
    assert aws[0].strip() == ">= 6.0.0" and "< 6.0.0" not in providers, providers


# --- the hashicorp/local stand-in (tests/standins/local_provider.py) -------------------------


def write_root(directory, resources: dict, resource_type: str = "local_file"):
    directory.mkdir(parents=True, exist_ok=True)
    config = {
        "terraform": {"required_providers": {"local": {"source": "hashicorp/local"}}},
        "resource": {resource_type: resources},
    }
    (directory / "main.tf.json").write_text(json.dumps(config, indent=2))
    return directory


def state_attributes(root, name: str, resource_type: str = "local_file") -> dict:
    state = json.loads((root / "terraform.tfstate").read_text())
    (resource,) = [r for r in state["resources"] if r["type"] == resource_type and r["name"] == name]
    return resource["instances"][0]["attributes"]


def test_local_file_stand_in_writes_replaces_and_deletes_the_file(terraform, tmp_path):
    root = write_root(
        tmp_path / "root",
        {
            "profile": {"content": PROFILE, "filename": "./out/nested/profile.json", "file_permission": "0640"},
            "binary": {"content_base64": base64.b64encode(b"\x00\x01").decode(), "filename": "./binary.bin"},
        },
    )
    terraform.init(root)
    terraform.apply(root)

    written = root / "out" / "nested" / "profile.json"
    assert written.read_text() == PROFILE
    assert stat.S_IMODE(written.stat().st_mode) == 0o640
    assert (root / "binary.bin").read_bytes() == b"\x00\x01"
    data = PROFILE.encode()
    attributes = state_attributes(root, "profile")
    sha256 = hashlib.sha256(data).digest()
    assert attributes["id"] == attributes["content_sha1"] == hashlib.sha1(data).hexdigest()
    assert attributes["content_md5"] == hashlib.md5(data).hexdigest()
    assert attributes["content_sha256"] == sha256.hex()
    assert attributes["content_base64sha256"] == base64.b64encode(sha256).decode()
    assert attributes["content_sha512"] == hashlib.sha512(data).hexdigest()
    assert attributes["directory_permission"] == "0777"

    # Unchanged: nothing to do. Changed or deleted behind Terraform's back: written again.
    assert terraform.run(root, "plan", "-detailed-exitcode", "-no-color", check=False).returncode == 0
    written.write_text("edited\n")
    (root / "binary.bin").unlink()
    replan = terraform.run(root, "plan", "-detailed-exitcode", "-no-color", check=False)
    assert replan.returncode == 2, replan.stdout + replan.stderr
    assert "2 to add" in replan.stdout
    terraform.apply(root)
    assert written.read_text() == PROFILE
    assert (root / "binary.bin").read_bytes() == b"\x00\x01"

    terraform.run(root, "destroy", "-auto-approve", "-no-color")
    assert not written.exists()
    assert not (root / "binary.bin").exists()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"content": "a", "content_base64": "YQ=="}, "Exactly one of these attributes must be configured"),
        ({}, "Exactly one of these attributes must be configured"),
        ({"content": "a", "file_permission": "0888"}, "octal numeric notation"),
        ({"content": "a", "directory_permission": "77"}, "should be 3 or 4 digits"),
    ],
)
def test_local_file_stand_in_rejects_what_the_real_provider_rejects(terraform, tmp_path, arguments, message):
    root = write_root(tmp_path / "root", {"bad": {"filename": "./x.txt", **arguments}})
    result = terraform.validate(root)
    assert not result["valid"]
    assert message in terraform.format_diagnostics(result)


def test_local_sensitive_file_stand_in_keeps_the_content_out_of_the_plan_and_the_file_private(terraform, tmp_path):
    root = write_root(tmp_path / "root", {
        "profile": {"content": PROFILE, "filename": "./profile.json", "file_permission": "0600"},
        "defaults": {"content": PROFILE, "filename": "./private/defaults.json"},
    }, resource_type="local_sensitive_file")
    terraform.init(root)
    plan = terraform.run(root, "plan", "-no-color", "-input=false")
    assert "(sensitive value)" in plan.stdout and "METAFLOW_DEFAULT_DATASTORE" not in plan.stdout
    terraform.apply(root)

    assert (root / "profile.json").read_text() == PROFILE
    assert stat.S_IMODE((root / "profile.json").stat().st_mode) == 0o600
    # the real provider's defaults: 0700 for the file and the directories it creates
    assert stat.S_IMODE((root / "private" / "defaults.json").stat().st_mode) == 0o700
    assert stat.S_IMODE((root / "private").stat().st_mode) == 0o700
    assert state_attributes(root, "profile", "local_sensitive_file")["id"] == hashlib.sha1(PROFILE.encode()).hexdigest()
    terraform.run(root, "destroy", "-auto-approve", "-no-color")
    assert not (root / "profile.json").exists()
