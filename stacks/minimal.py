"""`metaflow-minimal`, the Python twin of `examples/minimal`: a VPC with two public subnets,
the whole Metaflow stack (the `Metaflow` root module construct), and the Metaflow config
file written next to the stack.

Settings come from CDKTF context (cdktf.json's "context", or `CDKTF_CONTEXT_JSON`):
`uiCertificateArn` (required), the ACM certificate of the UI's HTTPS listener, and the
provider's `awsRegion` / `awsEndpoint` (stacks/provider.py).
"""

from __future__ import annotations

from cdktf import Fn, TerraformOutput, TerraformStack
from cdktf_cdktf_provider_aws.data_aws_availability_zones import DataAwsAvailabilityZones
from cdktf_cdktf_provider_aws.internet_gateway import InternetGateway
from cdktf_cdktf_provider_aws.route_table import RouteTable, RouteTableRoute
from cdktf_cdktf_provider_aws.route_table_association import RouteTableAssociation
from cdktf_cdktf_provider_aws.subnet import Subnet
from cdktf_cdktf_provider_aws.vpc import Vpc
from cdktf_cdktf_provider_local.file import File
from cdktf_cdktf_provider_local.provider import LocalProvider
from cdktf_cdktf_provider_random.provider import RandomProvider
from cdktf_cdktf_provider_random.string_resource import StringResource
from constructs import Construct

from metaflow_cdktf import Metaflow
from stacks.provider import MissingContext, aws_provider

MINIMAL_STACK = "metaflow-minimal"


def build_minimal_stack(app: Construct, stack_id: str = MINIMAL_STACK) -> TerraformStack:
    stack = TerraformStack(app, stack_id)
    certificate_arn = stack.node.try_get_context("uiCertificateArn")
    if not certificate_arn:
        raise MissingContext(
            f"stack {stack_id} needs the CDKTF context value uiCertificateArn (the ACM certificate of "
            "the UI's HTTPS listener): set it in cdktf.json under \"context\"")

    aws_provider(stack)
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
        # as examples/minimal: RDS no longer creates the module's default PostgreSQL 11 on db.t2.small;
        # 14 is the newest major whose default parameter group leaves SSL optional (README)
        db_engine_version="14",
        db_instance_type="db.t3.small",
        ui_certificate_arn=certificate_arn,
        tags={"managedBy": "cdktf"},
    )
    # What `metaflow configure import metaflow_profile.json` reads.
    File(stack, "metaflow_config", content=metaflow.metaflow_profile_json, filename="./metaflow_profile.json")
    TerraformOutput(stack, "METAFLOW_SERVICE_URL", value=metaflow.METAFLOW_SERVICE_URL)
    TerraformOutput(stack, "metaflow_api_gateway_rest_api_id", value=metaflow.metaflow_api_gateway_rest_api_id)
    return stack
