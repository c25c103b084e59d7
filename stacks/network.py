"""The network the deployable stacks put Metaflow on, as examples/network does for the plain
Terraform examples: a VPC with two public subnets in two zones, routed to an internet gateway."""

from __future__ import annotations

from dataclasses import dataclass

from cdktf import Fn, TerraformStack
from cdktf_cdktf_provider_aws.data_aws_availability_zones import DataAwsAvailabilityZones
from cdktf_cdktf_provider_aws.internet_gateway import InternetGateway
from cdktf_cdktf_provider_aws.route_table import RouteTable, RouteTableRoute
from cdktf_cdktf_provider_aws.route_table_association import RouteTableAssociation
from cdktf_cdktf_provider_aws.subnet import Subnet
from cdktf_cdktf_provider_aws.vpc import Vpc

CIDR_BLOCK = "10.10.0.0/16"
# The modules spread their load balancers, database and Batch instances over exactly two subnets.
PUBLIC_SUBNET_CIDRS = ("10.10.128.0/21", "10.10.136.0/21")


@dataclass(frozen=True)
class Network:
    vpc: Vpc
    subnets: tuple[Subnet, ...]


def public_network(stack: TerraformStack, name: str) -> Network:
    zones = DataAwsAvailabilityZones(stack, "available", state="available")
    vpc = Vpc(stack, "vpc", cidr_block=CIDR_BLOCK, enable_dns_support=True, enable_dns_hostnames=True,
              tags={"Name": name})
    gateway = InternetGateway(stack, "gateway", vpc_id=vpc.id, tags={"Name": name})
    routes = RouteTable(stack, "public", vpc_id=vpc.id,
                        route=[RouteTableRoute(cidr_block="0.0.0.0/0", gateway_id=gateway.id)],
                        tags={"Name": f"{name}-public"})
    subnets = []
    for index, cidr in enumerate(PUBLIC_SUBNET_CIDRS):
        subnet = Subnet(stack, f"public_{index + 1}", vpc_id=vpc.id, cidr_block=cidr,
                        availability_zone=Fn.element(zones.names, index), map_public_ip_on_launch=True,
                        tags={"Name": f"{name}-public-{index + 1}"})
        RouteTableAssociation(stack, f"public_{index + 1}_routes", subnet_id=subnet.id, route_table_id=routes.id)
        subnets.append(subnet)
    return Network(vpc, tuple(subnets))
