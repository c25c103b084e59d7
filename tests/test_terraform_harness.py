"""The offline Terraform harness: discovery, CLI configuration, and linking the aws provider."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from harness import terraform as tf
from harness.terraform import (
    AWS_PROVIDER,
    AWS_PROVIDER_VERSION,
    TerraformUnavailable,
    cli_config_text,
    find_provider_mirror,
    find_terraform,
    provider_package_dir,
    terraform_platform,
)

AWS_ONLY_ROOT = {
    "terraform": {"required_providers": {"aws": {"source": "hashicorp/aws"}}},
    "data": {"aws_region": {"current": {}}},
}


def write_root(directory: Path, config: dict) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "main.tf.json").write_text(json.dumps(config, indent=2))
    return directory


def fake_aws_mirror(root: Path) -> Path:
    package = provider_package_dir(root, AWS_PROVIDER, AWS_PROVIDER_VERSION)
    package.mkdir(parents=True)
    (package / f"terraform-provider-aws_v{AWS_PROVIDER_VERSION}_x5").write_bytes(b"")
    return root


# --- Discovery -------------------------------------------------------------------------


def test_mirror_env_var_takes_precedence_over_the_usual_places(tmp_path, monkeypatch):
    mirror = fake_aws_mirror(tmp_path / "mirror")
    monkeypatch.setenv(tf.MIRROR_ENV_VAR, str(mirror))
    assert find_provider_mirror() == mirror


def test_mirror_env_var_pointing_nowhere_fails_naming_the_variable_and_the_expected_path(tmp_path, monkeypatch):
    bogus = tmp_path / "no-such-mirror"
    monkeypatch.setenv(tf.MIRROR_ENV_VAR, str(bogus))
    with pytest.raises(TerraformUnavailable) as raised:
        find_provider_mirror()
    message = str(raised.value)
    assert tf.MIRROR_ENV_VAR in message
    assert str(provider_package_dir(bogus, AWS_PROVIDER, AWS_PROVIDER_VERSION)) in message


def test_mirror_search_without_a_match_lists_every_place_it_looked(tmp_path, monkeypatch):
    monkeypatch.delenv(tf.MIRROR_ENV_VAR, raising=False)
    monkeypatch.setattr(tf, "WELL_KNOWN_PLUGIN_DIRS", (str(tmp_path / "plugins"),))
    (tmp_path / "opt" / "empty").mkdir(parents=True)
    monkeypatch.setattr(tf, "OPT_DIR", tmp_path / "opt")
    with pytest.raises(TerraformUnavailable) as raised:
        find_provider_mirror()
    message = str(raised.value)
    assert str(tmp_path / "plugins") in message and str(tmp_path / "opt" / "empty") in message
    assert tf.MIRROR_ENV_VAR in message and terraform_platform() in message


def test_mirror_is_found_under_opt_without_any_configuration(tmp_path, monkeypatch):
    monkeypatch.delenv(tf.MIRROR_ENV_VAR, raising=False)
    monkeypatch.setattr(tf, "WELL_KNOWN_PLUGIN_DIRS", ())
    (tmp_path / "opt" / "a-unrelated-dir").mkdir(parents=True)
    mirror = fake_aws_mirror(tmp_path / "opt" / "tf-plugins")
    monkeypatch.setattr(tf, "OPT_DIR", tmp_path / "opt")
    assert find_provider_mirror() == mirror


def test_terraform_env_var_pointing_nowhere_fails_naming_the_variable(tmp_path, monkeypatch):
    monkeypatch.setenv(tf.TERRAFORM_ENV_VAR, str(tmp_path / "terraform"))
    with pytest.raises(TerraformUnavailable, match=tf.TERRAFORM_ENV_VAR):
        find_terraform()


# --- CLI configuration --------------------------------------------------------------------


def test_cli_config_installs_only_from_the_mirrors(tmp_path):
    text = cli_config_text([(tmp_path / "m", ["registry.terraform.io/hashicorp/aws"])], tmp_path / "cache")
    assert f'path    = "{tmp_path / "m"}"' in text
    assert 'include = ["registry.terraform.io/hashicorp/aws"]' in text
    # The only `direct` installation method is one that excludes every registry provider.
    assert text.count("direct {") == 1
    assert 'exclude = ["registry.terraform.io/*/*"]' in text
    assert f'plugin_cache_dir = "{tmp_path / "cache"}"' in text


def test_session_terraform_config_names_the_aws_mirror_and_the_standins(terraform):
    text = terraform.cli_config.read_text()
    assert f'"{find_provider_mirror()}"' in text
    assert '"registry.terraform.io/hashicorp/archive", "registry.terraform.io/hashicorp/random"' in text
    assert terraform.env()["TF_CLI_CONFIG_FILE"] == str(terraform.cli_config)


# --- Running Terraform ------------------------------------------------------------------------


def test_a_module_without_providers_validates(terraform, tmp_path):
    root = write_root(
        tmp_path / "plain",
        {
            "locals": {"greeting": "hello"},
            "resource": {"terraform_data": {"echo": {"input": "${local.greeting}"}}},
            "output": {"echo": {"value": "${terraform_data.echo.output}"}},
        },
    )
    result = terraform.validate(root)
    assert result["valid"], terraform.format_diagnostics(result)
    assert result["warning_count"] == 0, terraform.format_diagnostics(result)


def test_an_invalid_module_is_reported_with_readable_diagnostics(terraform, tmp_path):
    root = write_root(tmp_path / "broken", {"output": {"oops": {"value": "${local.undeclared}"}}})
    result = terraform.validate(root)
    assert not result["valid"]
    text = terraform.format_diagnostics(result)
    assert "error: Reference to undeclared local value" in text
    assert "at main.tf.json:" in text


def test_aws_provider_is_linked_from_the_plugin_cache_not_copied(terraform, tmp_path):
    package = Path(".terraform/providers", AWS_PROVIDER, AWS_PROVIDER_VERSION, terraform_platform())
    installed = []
    for name in ("first", "second"):
        root = write_root(tmp_path / name, AWS_ONLY_ROOT)
        started = time.monotonic()
        result = terraform.validate(root)
        elapsed = time.monotonic() - started
        assert result["valid"], terraform.format_diagnostics(result)
        assert (root / package).is_symlink(), f"{root / package} is a copy, not a link"
        link_target = Path(os.readlink(root / package))
        assert link_target.is_relative_to(terraform.plugin_cache_dir), link_target
        installed.append((root / package).resolve())
        print(f"init+validate of {name}: {elapsed:.1f}s")
    assert installed[0] == installed[1]
