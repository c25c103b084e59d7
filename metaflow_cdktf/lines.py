"""The hashicorp/aws lines the modules are synthesized for: one tree per line, from the same
definitions, with the same variables, outputs and addresses.

The builds are written once, with the bindings of hashicorp/aws 5.100. What differs on the aws 6
line is declared here and nowhere else: the arguments its version 6 upgrade guide renamed
(https://registry.terraform.io/providers/hashicorp/aws/latest/docs/guides/version-6-upgrade), the
attributes it deprecated for others, and the versions each tree requires. Post-processing applies
it (synthesis/postprocess.py, `for_line`).

A module declares the aws versions it needs on the 5 line (its spec's `required_providers`); each
line bounds them: the 5 line from above (`< 6.0.0`, so that `terraform init` of a configuration on
aws 6 fails at once with a constraint error instead of a broken plan), the 6 line replaces them
with its own lower bound. A module that declares no version (metadata-service, whose README must
stay upstream's) gets its line's bounds through the `common` module it calls.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Mapping

from metaflow_cdktf.paths import TERRAFORM_AWS6_ROOT, TERRAFORM_ROOT

LineName = Literal["aws5", "aws6"]


@dataclass(frozen=True)
class ProviderLine:
    """A major version of hashicorp/aws and the tree of modules written for it."""

    name: LineName
    major: int
    root: Path
    # what becomes of a module's declared aws version: bounded above (5), or replaced (6)
    upper_bound: str | None = None
    lower_bound: str | None = None
    # `<type>` (a resource) or `data.<type>` -> {argument as the 5 line sets it: its name on this line}
    renamed_arguments: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # `<type>` or `data.<type>` -> {attribute as the 5 line reads it: the one to read on this line}
    renamed_attributes: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def aws_version(self, declared: str) -> str:
        """The constraint on this line of a module that declares `declared` (its 5-line versions)."""
        if self.lower_bound is not None:
            return self.lower_bound
        return f"{declared}, {self.upper_bound}" if self.upper_bound else declared

    def required_providers(self, declared: Mapping[str, Mapping[str, str]]) -> dict[str, dict[str, str]]:
        """A module's `required_providers` on this line (a provider declared without a version keeps none)."""
        providers = {name: dict(requirement) for name, requirement in declared.items()}
        aws = providers.get("aws", {})
        if "version" in aws:
            aws["version"] = self.aws_version(aws["version"])
        return providers


AWS5 = ProviderLine("aws5", 5, TERRAFORM_ROOT, upper_bound="< 6.0.0")

AWS6 = ProviderLine(
    "aws6", 6, TERRAFORM_AWS6_ROOT,
    # every argument the modules use exists from 6.0.0 on (tests/test_provider_schema.py)
    lower_bound=">= 6.0.0",
    renamed_arguments={
        # "Replace any usage of compute_environment_name with name and compute_environment_name_prefix
        # with name_prefix as they have been renamed."
        "aws_batch_compute_environment": {"compute_environment_name": "name",
                                          "compute_environment_name_prefix": "name_prefix"},
    },
    renamed_attributes={
        # "name has been deprecated. Use region instead."
        "data.aws_region": {"name": "region"},
    },
)

LINES: tuple[ProviderLine, ...] = (AWS5, AWS6)
LINES_BY_NAME: dict[str, ProviderLine] = {line.name: line for line in LINES}
DEFAULT_LINE = AWS5



def readme_description(description: str, line: ProviderLine) -> str:
    """The first paragraph of a module's new README on `line`: the module's description, and on a
    line other than the default, which provider the copy is for."""
    if line is DEFAULT_LINE:
        return description
    return f"{description}\n\nThis copy of the module is for hashicorp/aws {line.major}."
