"""The aws provider of the deployable stacks, from CDKTF context.

- `awsRegion` (default us-west-2);
- `awsEndpoint`: send every AWS call to this URL, with fake credentials and the
  account checks off: for an emulator such as moto (the tests use it), never AWS.
"""

from __future__ import annotations

import keyword
from typing import Any

from cdktf_cdktf_provider_aws.provider import AwsProvider, AwsProviderEndpoints
from constructs import Construct

from stacks.services import EMULATED_SERVICES

DEFAULT_REGION = "us-west-2"


class MissingContext(ValueError):
    """A stack needs a CDKTF context value that is not set."""


def _python_name(argument: str) -> str:
    """A provider argument's keyword in the Python bindings: jsii appends `_` to Python keywords (`lambda_`)."""
    return f"{argument}_" if keyword.iskeyword(argument) else argument


def aws_provider_settings(context: dict[str, Any]) -> dict[str, Any]:
    """AwsProvider arguments for the context: a region, and for an emulator its endpoints."""
    settings: dict[str, Any] = {"region": context.get("awsRegion") or DEFAULT_REGION}
    endpoint = context.get("awsEndpoint")
    if endpoint:
        settings.update(
            access_key="emulator", secret_key="emulator",
            skip_credentials_validation=True, skip_requesting_account_id=True,
            skip_metadata_api_check="true", skip_region_validation=True, s3_use_path_style=True,
            endpoints=[AwsProviderEndpoints(**{_python_name(service): endpoint for service in EMULATED_SERVICES})],
        )
    return settings


def context_of(stack: Construct, *keys: str) -> dict[str, Any]:
    return {key: stack.node.try_get_context(key) for key in keys}


def aws_provider(stack: Construct) -> AwsProvider:
    return AwsProvider(stack, "aws", **aws_provider_settings(context_of(stack, "awsRegion", "awsEndpoint")))
