"""Each synthesized module keeps upstream's interface: variables, outputs, addresses."""

from __future__ import annotations

import pytest

from interface import ADDED_BY_HARDENING, REMOVED, load_module, of_fixture, of_module, of_readme, with_hardening
from metaflow_cdktf.modules import SPECS
from project import UPSTREAM


def test_metadata_service_matches_upstreams_readme_plus_the_hardening():
    documented = of_readme((UPSTREAM / "metadata-service-README.md").read_text())
    synthesized = of_module(load_module("metadata-service"))
    synthesized.pop("required_providers")
    synthesized.pop("required_version")

    assert synthesized == with_hardening("metadata-service", documented)
    assert (len(documented["variables"]), len(documented["outputs"])) == (26, 8)
    assert (len(documented["resources"]), len(documented["data"])) == (35, 10)


# The modules upstream has (metadata-service is compared with upstream's README above); the others
# (sagemaker-notebook, user-role) are this project's own.
MIRRORED = ("common", "datastore", "computation", "step-functions", "ui", "metaflow")


@pytest.mark.parametrize("name", MIRRORED)
def test_module_matches_the_interface_derived_from_upstream_plus_the_hardening(name):
    assert of_module(load_module(name)) == with_hardening(name, of_fixture(name))


@pytest.mark.parametrize("name", sorted(ADDED_BY_HARDENING))
def test_hardening_only_adds_addresses_upstream_does_not_have(name):
    if name == "metadata-service":
        upstream = of_readme((UPSTREAM / "metadata-service-README.md").read_text())
    else:
        upstream = of_fixture(name)
    existing = {*upstream["resources"], *(f"data.{address}" for address in upstream["data"])}
    added = ADDED_BY_HARDENING[name]
    assert len(set(added)) == len(added)
    assert not existing & set(added)


@pytest.mark.parametrize("name", sorted(REMOVED))
def test_only_what_upstream_has_is_removed(name):
    upstream = of_fixture(name)
    existing = {*upstream["resources"], *(f"data.{address}" for address in upstream["data"])}
    assert set(REMOVED[name]) <= existing


def test_metadata_service_terraform_block_is_upstreams():
    terraform = load_module("metadata-service")["terraform"]
    assert terraform == {"required_providers": {"aws": {"source": "hashicorp/aws"}}, "required_version": ">= 0.13"}


def test_every_spec_matches_its_synthesized_variables_and_outputs():
    for spec in SPECS:
        module = of_module(load_module(spec.name))
        assert set(module["variables"]) == {v.name for v in spec.variables}
        assert set(module["outputs"]) == {o.name for o in spec.outputs}


# --- EveryEntry: a rule on each entry of a map, read in Python as Terraform reads it -----------------


def test_an_entry_rule_reads_left_out_and_null_attributes_as_their_defaults():
    from metaflow_cdktf.interface import EveryEntry

    rule = EveryEntry("min <= max", terraform="entry.min <= entry.max",
                      python=lambda key, entry: entry["min"] <= entry["max"], defaults={"min": 0})
    assert rule.condition("var.queues") == "alltrue([for key, entry in var.queues : entry.min <= entry.max])"
    assert rule.holds({"a": {"max": 0}, "b": {"min": None, "max": 0}, "c": {"min": 2, "max": 2}})
    assert not rule.holds({"a": {"max": 0}, "b": {"min": 1, "max": 0}})


def test_an_entry_rule_leaves_to_terraform_what_only_terraform_knows_or_checks():
    from metaflow_cdktf.interface import EveryEntry

    rule = EveryEntry("a role", terraform="true", python=lambda key, entry: entry.startswith("arn:"))
    assert rule.holds({"user": "${aws_iam_role.user.arn}", "other": "${TfToken[TOKEN.12]}"})
    assert not rule.holds({"user": "alice"})
    # a missing attribute is Terraform's type error, not this rule's
    needs_max = EveryEntry("max", terraform="true", python=lambda key, entry: entry["max"] > 0)
    assert needs_max.holds({"a": {}})
