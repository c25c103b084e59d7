"""The deployable CDKTF app: `cdktf deploy metaflow-minimal`.

`metaflow-minimal` is the Python twin of `examples/minimal`: a VPC with two public
subnets and the whole Metaflow stack (the `Metaflow` root module construct), and
the Metaflow config file written next to the stack.

Settings come from CDKTF context (cdktf.json's "context", or `CDKTF_CONTEXT_JSON`):
- `uiCertificateArn` (required): ACM certificate of the UI's HTTPS listener;
- `awsRegion` (default us-west-2);
- `awsEndpoint`: send every AWS call to this URL, with fake credentials and the
  account checks off: for an emulator such as moto (the tests use it), never AWS.
"""

from __future__ import annotations

import keyword
from typing import Any

MINIMAL_STACK = "metaflow-minimal"

# The aws provider's `endpoints` keys (hashicorp/aws 5.100) of every service the modules and
# the example call, the data sources included: what an emulator must answer. The one list for
# `awsEndpoint` here and for the tests' provider override of examples/minimal (tests/moto_server.py).
EMULATED_SERVICES = (
    "acm", "apigateway", "batch", "cloudwatch", "dynamodb", "ec2", "ecr", "ecs", "elb", "elbv2",
    "events", "iam", "kms", "lambda", "logs", "rds", "s3", "sfn", "ssm", "sts",
)


class MissingContext(ValueError):
    pass


def _python_name(argument: str) -> str:
    """A provider argument's keyword in the Python bindings: jsii appends `_` to Python keywords (`lambda_`)."""
    return f"{argument}_" if keyword.iskeyword(argument) else argument


def aws_provider_settings(context: dict[str, Any]) -> dict[str, Any]:
    """AwsProvider arguments for the context: a region, and for an emulator its endpoints."""
    from cdktf_cdktf_provider_aws.provider import AwsProviderEndpoints

    settings: dict[str, Any] = {"region": context.get("awsRegion") or "us-west-2"}
    endpoint = context.get("awsEndpoint")
    if endpoint:
        settings.update(
            access_key="emulator", secret_key="emulator",
            skip_credentials_validation=True, skip_requesting_account_id=True,
            skip_metadata_api_check="true", skip_region_validation=True, s3_use_path_style=True,
            endpoints=[AwsProviderEndpoints(**{_python_name(service): endpoint for service in EMULATED_SERVICES})],
        )
    return settings


def build_minimal_stack(app, stack_id: str = MINIMAL_STACK):
    from cdktf import Fn, TerraformOutput, TerraformStack
    from cdktf_cdktf_provider_aws.data_aws_availability_zones import DataAwsAvailabilityZones
    from cdktf_cdktf_provider_aws.internet_gateway import InternetGateway
    from cdktf_cdktf_provider_aws.provider import AwsProvider
    from cdktf_cdktf_provider_aws.route_table import RouteTable, RouteTableRoute
    from cdktf_cdktf_provider_aws.route_table_association import RouteTableAssociation
    from cdktf_cdktf_provider_aws.subnet import Subnet
    from cdktf_cdktf_provider_aws.vpc import Vpc
    from cdktf_cdktf_provider_local.file import File
    from cdktf_cdktf_provider_local.provider import LocalProvider
    from cdktf_cdktf_provider_random.provider import RandomProvider
    from cdktf_cdktf_provider_random.string_resource import StringResource

    from modules import Metaflow

    stack = TerraformStack(app, stack_id)
    context = {key: stack.node.try_get_context(key) for key in ("uiCertificateArn", "awsRegion", "awsEndpoint")}
    if not context["uiCertificateArn"]:
        raise MissingContext(
            f"stack {stack_id} needs the CDKTF context value uiCertificateArn (the ACM certificate of "
            "the UI's HTTPS listener): set it in cdktf.json under \"context\"")

    AwsProvider(stack, "aws", **aws_provider_settings(context))
    RandomProvider(stack, "random")
    LocalProvider(stack, "local")

    suffix = StringResource(stack, "suffix", length=8, special=False, upper=False)
    name = f"metaflow-{suffix.result}"
    zones = DataAwsAvailabilityZones(stack, "available", state="available")
    vpc = Vpc(stack, "vpc", cidr_block="10.10.0.0/16", enable_dns_support=True, enable_dns_hostnames=True,
              tags={"Name": name})
    gateway = InternetGateway(stack, "gateway", vpc_id=vpc.id, tags={"Name": name})
    routes = RouteTable(stack, "public", vpc_id=vpc.id,
                        route=[RouteTableRoute(cidr_block="0.0.0.0/0", gateway_id=gateway.id)],
                        tags={"Name": f"{name}-public"})
    subnets = []
    for index, cidr in enumerate(("10.10.128.0/21", "10.10.136.0/21")):
        subnet = Subnet(stack, f"public_{index + 1}", vpc_id=vpc.id, cidr_block=cidr,
                        availability_zone=Fn.element(zones.names, index), map_public_ip_on_launch=True,
                        tags={"Name": f"{name}-public-{index + 1}"})
        RouteTableAssociation(stack, f"public_{index + 1}_routes", subnet_id=subnet.id, route_table_id=routes.id)
        subnets.append(subnet)

    metaflow = Metaflow(
        stack, "metaflow",
        resource_prefix="metaflow",
        resource_suffix=suffix.result,
        enable_step_functions=False,
        subnet1_id=subnets[0].id,
        subnet2_id=subnets[1].id,
        vpc_cidr_blocks=[vpc.cidr_block],
        vpc_id=vpc.id,
        with_public_ip=True,  # public subnets without a NAT gateway: tasks need a public IP to pull images
        # as examples/minimal: a rule with no CIDR is one AWS does not keep, so plans would never settle
        ui_allow_list=[vpc.cidr_block],
        # as examples/minimal: AWS Lambda no longer accepts the module's default python3.7
        db_migrate_lambda_runtime="python3.12",
        ui_certificate_arn=context["uiCertificateArn"],
        tags={"managedBy": "cdktf"},
    )
    # What `metaflow configure import metaflow_profile.json` reads.
    File(stack, "metaflow_config", content=metaflow.metaflow_profile_json, filename="./metaflow_profile.json")
    TerraformOutput(stack, "METAFLOW_SERVICE_URL", value=metaflow.METAFLOW_SERVICE_URL)
    TerraformOutput(stack, "metaflow_api_gateway_rest_api_id", value=metaflow.metaflow_api_gateway_rest_api_id)
    return stack


def synth_app(outdir: str) -> None:
    """Synthesize the deployable stacks where the cdktf CLI expects them."""
    from metaflow_cdktf.synth import silence_node_end_of_life_banner

    silence_node_end_of_life_banner()
    from cdktf import App

    app = App(outdir=outdir)
    build_minimal_stack(app)
    app.synth()
