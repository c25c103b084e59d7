"""The `aws` provider block, written without the provider binding.

Importing any part of the aws provider binding (`cdktf_cdktf_provider_aws`, `cdktn_provider_aws`)
loads the whole provider assembly through jsii: about 10 s and 1 GB, for an app that, composing
this package's modules, needs nothing of it but one provider block. `AwsProvider` writes that
block, and the `required_providers` constraint of the module line in use, as a `TerraformProvider`
of the app's own core (cdktf or cdktn, core.py):

    AwsProvider(stack, "aws", region="us-west-2", default_tags=DefaultTags(tags={"team": "ml"}))
    AwsProvider(stack, "aws_east", region="us-east-1", alias="east")

Arguments are keyword-only and typed, nested blocks are dataclasses, and a value of the wrong
type raises TypeError naming the argument before anything is synthesized. The arguments are
those of the provider's configuration that hashicorp/aws has on both lines (5.40 and later, 6),
minus static credentials (`access_key`, `secret_key`, `token`), which do not belong in code: the
provider reads them from the environment, a profile or an assumed role.
"""

from __future__ import annotations

import collections.abc
import dataclasses
import types
import typing
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Mapping

from constructs import Construct

from metaflow_cdktf.construct import claim_line, line_named
from metaflow_cdktf.core import BindsToCore, construct_label
from metaflow_cdktf.interface import is_unresolved_token
from metaflow_cdktf.lines import LineName, ProviderLine
from metaflow_cdktf.modules import SPECS_BY_NAME
from metaflow_cdktf.paths import ROOT_MODULE

if TYPE_CHECKING:
    from cdktf import TerraformProvider as _ProviderElement
else:
    _ProviderElement = object  # the scope's core's TerraformProvider, per app (core.py)

PROVIDER_SOURCE = "hashicorp/aws"


def aws_version_constraint(line: ProviderLine) -> str:
    """The aws versions a stack of `line`'s modules needs: the root module's constraint on that line,
    which holds for every module, since the root module calls them all."""
    return line.aws_version(SPECS_BY_NAME[ROOT_MODULE].required_providers["aws"]["version"])


def _check(owner: str, name: str, value: Any, annotation: Any) -> None:
    if not _conforms(value, annotation):
        raise TypeError(f"{owner}: argument {name!r} must be {_describe(annotation)}, "
                        f"got {type(value).__name__}: {value!r}")


def _conforms(value: Any, annotation: Any) -> bool:
    """Whether `value` fits `annotation` (the forms this module's signatures use); a reference known
    only at apply time always does."""
    if is_unresolved_token(value):
        return True
    origin, arguments = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (types.UnionType, typing.Union):
        return any(_conforms(value, option) for option in arguments)
    if annotation is type(None):
        return value is None
    if origin is list:
        return isinstance(value, (list, tuple)) and all(_conforms(element, arguments[0]) for element in value)
    if origin in (collections.abc.Mapping, dict):
        return isinstance(value, Mapping) and all(
            isinstance(key, str) and _conforms(element, arguments[1]) for key, element in value.items())
    if annotation is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, annotation)


def _describe(annotation: Any) -> str:
    if typing.get_origin(annotation) in (types.UnionType, typing.Union):
        return " or ".join(_describe(option) for option in typing.get_args(annotation) if option is not type(None))
    return annotation.__name__ if isinstance(annotation, type) and not typing.get_args(annotation) \
        else str(annotation).replace("typing.", "")


class _Block:
    """A nested block of the provider configuration: its fields checked when created."""

    def __post_init__(self) -> None:
        hints = typing.get_type_hints(type(self))
        for field in dataclasses.fields(self):  # type: ignore[arg-type]
            _check(type(self).__name__, field.name, getattr(self, field.name), hints[field.name])

    def terraform(self) -> dict[str, Any]:
        """The block as the provider configuration's JSON has it (the fields that are set)."""
        return {field.name: getattr(self, field.name) for field in dataclasses.fields(self)  # type: ignore[arg-type]
                if getattr(self, field.name) is not None}


@dataclass(frozen=True, kw_only=True)
class AssumeRole(_Block):
    """`assume_role`: the IAM role the provider assumes."""

    role_arn: str
    session_name: str | None = None
    external_id: str | None = None
    duration: str | None = None
    policy: str | None = None
    policy_arns: list[str] | None = None
    tags: Mapping[str, str] | None = None
    transitive_tag_keys: list[str] | None = None
    source_identity: str | None = None


@dataclass(frozen=True, kw_only=True)
class AssumeRoleWithWebIdentity(_Block):
    """`assume_role_with_web_identity`: a role assumed with an OIDC token (CI runners, Kubernetes)."""

    role_arn: str
    session_name: str | None = None
    web_identity_token: str | None = None
    web_identity_token_file: str | None = None
    duration: str | None = None
    policy: str | None = None
    policy_arns: list[str] | None = None


@dataclass(frozen=True, kw_only=True)
class DefaultTags(_Block):
    """`default_tags`: tags every resource the provider creates gets."""

    tags: Mapping[str, str]


@dataclass(frozen=True, kw_only=True)
class IgnoreTags(_Block):
    """`ignore_tags`: tags managed outside Terraform, which plans leave alone."""

    keys: list[str] | None = None
    key_prefixes: list[str] | None = None


class AwsProvider(BindsToCore, _ProviderElement):
    """The `aws` provider's configuration block and its `required_providers` entry
    (`hashicorp/aws`, with the constraint of `provider_line`'s modules: aws 5 unless "aws6").

    An argument left out (or None) is not written. `alias` names a further configuration (another
    region, account or role); resources and modules reach it through `provider=` / `providers=`.
    """

    core_class = "TerraformProvider"

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        region: str | None = None,
        profile: str | None = None,
        alias: str | None = None,
        assume_role: AssumeRole | None = None,
        assume_role_with_web_identity: AssumeRoleWithWebIdentity | None = None,
        default_tags: DefaultTags | None = None,
        ignore_tags: IgnoreTags | None = None,
        allowed_account_ids: list[str] | None = None,
        forbidden_account_ids: list[str] | None = None,
        shared_config_files: list[str] | None = None,
        shared_credentials_files: list[str] | None = None,
        max_retries: int | None = None,
        retry_mode: str | None = None,
        sts_region: str | None = None,
        use_fips_endpoint: bool | None = None,
        use_dualstack_endpoint: bool | None = None,
        endpoints: Mapping[str, str] | None = None,
        custom_ca_bundle: str | None = None,
        http_proxy: str | None = None,
        https_proxy: str | None = None,
        no_proxy: str | None = None,
        insecure: bool | None = None,
        ec2_metadata_service_endpoint: str | None = None,
        ec2_metadata_service_endpoint_mode: str | None = None,
        s3_use_path_style: bool | None = None,
        skip_credentials_validation: bool | None = None,
        skip_region_validation: bool | None = None,
        skip_requesting_account_id: bool | None = None,
        skip_metadata_api_check: bool | None = None,
        provider_line: LineName | None = None,
    ) -> None:
        # the signature is the one list of settings: their names and types, read back here
        given = {name: value for name, value in locals().items()
                 if name not in ("self", "scope", "id", "provider_line", "__class__") and value is not None}
        construct = construct_label(type(self), scope, id)
        hints = typing.get_type_hints(AwsProvider.__init__)
        for name, value in given.items():
            _check(construct, name, value, hints[name])
        line = line_named(provider_line, construct)
        claim_line(self.app_core.TerraformStack.of(scope), line, construct)
        self._alias = given.pop("alias", None)
        self._settings = {name: _Endpoints(value) if name == "endpoints" else value for name, value in given.items()}
        super().__init__(scope, id, terraform_resource_type="aws", terraform_provider_source=PROVIDER_SOURCE,
                         terraform_generator_metadata={"provider_name": "aws",
                                                       "provider_version_constraint": aws_version_constraint(line)})

    # Overrides of the core's TerraformProvider, which jsii calls back at synthesis: the block's
    # settings, and the alias that `provider=` references (`aws.<alias>`) are made of.
    def _synthesize_attributes(self) -> Mapping[str, Any]:
        return {name: [value.terraform()] if isinstance(value, _Block) else value
                for name, value in self._settings.items()}

    def _synthesize_hcl_attributes(self) -> Mapping[str, Any]:
        return {name: _hcl_attribute(value) for name, value in self._settings.items()}

    @property
    def alias(self) -> str | None:
        return self._alias

    @alias.setter
    def alias(self, value: str | None) -> None:
        self._alias = value


@dataclass(frozen=True)
class _Endpoints(_Block):
    """`endpoints`: a block whose attributes are the services' names, given as a mapping."""

    urls: Mapping[str, str]

    def terraform(self) -> dict[str, Any]:
        return dict(self.urls)


def _hcl_attribute(value: Any) -> dict[str, Any]:
    """A setting described as cdktf's HCL renderer takes it: its value, and whether and how it is a
    block, a list, a map or a simple value (the shape the generated bindings give)."""
    if isinstance(value, _Block):
        body = {name: _hcl_attribute(element) for name, element in value.terraform().items()}
        return {"value": [body], "isBlock": True, "type": "list", "storageClassType": f"{type(value).__name__}List"}
    if isinstance(value, (list, tuple)):
        return {"value": list(value), "isBlock": False, "type": "list", "storageClassType": "stringList"}
    if isinstance(value, Mapping):
        return {"value": dict(value), "isBlock": False, "type": "map", "storageClassType": "stringMap"}
    kind = "boolean" if isinstance(value, bool) else "number" if isinstance(value, (int, float)) else "string"
    return {"value": value, "isBlock": False, "type": "simple", "storageClassType": kind}
