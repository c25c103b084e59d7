"""The `synth` extra: what the commands that build the modules check for, and the fingerprints,
which compare the tools' versions only where synthesis can run (tests/test_package.py runs both in
a virtualenv without the extra)."""

from __future__ import annotations

import pytest

from metaflow_cdktf import extras, fingerprint
from metaflow_cdktf.modules import SPECS

REQUIREMENTS = [
    "cdktf==0.21.0",
    "jinja2==3.1.6",
    'cdktf-cdktf-provider-aws==20.1.0; extra == "synth"',
    "watchfiles==1.3.0 ; extra == 'synth'",
    'pytest; extra == "test"',
]


@pytest.fixture
def installed(monkeypatch):
    """Pretend the package's metadata lists REQUIREMENTS and only the given distributions are installed."""
    def pretend(*names: str) -> None:
        monkeypatch.setattr(extras, "requires", lambda package: REQUIREMENTS)
        monkeypatch.setattr(extras, "_installed", lambda name: name in names)
    return pretend


def test_the_extras_requirements_are_read_from_the_package_metadata(installed):
    installed("cdktf", "jinja2", "pytest")
    assert extras.missing_distributions() == ["cdktf-cdktf-provider-aws", "watchfiles"]
    assert extras.missing_message("watch") == (
        "`watch` builds the modules, which needs the provider bindings and watchfiles of the `synth` extra: "
        "pip install 'metaflow-cdktf[synth]' (not installed: cdktf-cdktf-provider-aws, watchfiles)")


def test_nothing_is_missing_once_the_extra_is_installed(installed):
    installed("cdktf-cdktf-provider-aws", "watchfiles")
    assert extras.missing_message("synth") is None


def test_other_versions_of_the_tools_make_the_modules_stale_only_where_synthesis_can_run(monkeypatch):
    assert fingerprint.stale_modules(SPECS) == []
    recorded = fingerprint.installed_distributions()
    newer_jsii = {**recorded, "jsii": "9.9.9"}
    monkeypatch.setattr(fingerprint, "installed_distributions", lambda: newer_jsii)
    assert len(fingerprint.stale_modules(SPECS)) == 2 * len(SPECS)  # every module of both lines

    without_bindings = {**newer_jsii, "cdktf-cdktf-provider-aws": "<not installed>"}
    monkeypatch.setattr(fingerprint, "installed_distributions", lambda: without_bindings)
    assert fingerprint.stale_modules(SPECS) == []
