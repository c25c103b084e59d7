"""What both deployable stacks hold: the providers, a random suffix, the network, and the root
`Metaflow` module on it, with the values AWS accepts today where the module's defaults are not."""

from __future__ import annotations

from dataclasses import dataclass

from cdktf import TerraformStack
from cdktf_cdktf_provider_local.provider import LocalProvider
from cdktf_cdktf_provider_random.provider import RandomProvider
from cdktf_cdktf_provider_random.string_resource import StringResource
from constructs import Construct

from metaflow_cdktf import Metaflow
from metaflow_cdktf.modules.common.spec import NEWEST_METADATA_SERVICE_CONTAINER_IMAGE
from stacks.network import Network, public_network
from stacks.provider import MissingContext, aws_provider

RESOURCE_PREFIX = "metaflow"


@dataclass(frozen=True)
class Deployment:
    stack: TerraformStack
    suffix: str
    network: Network
    metaflow: Metaflow


def metaflow_deployment(app: Construct, stack_id: str, *, enable_step_functions: bool) -> Deployment:
    stack = TerraformStack(app, stack_id)
    certificate_arn = stack.node.try_get_context("uiCertificateArn")
    if not certificate_arn:
        raise MissingContext(
            f"stack {stack_id} needs the CDKTF context value uiCertificateArn (the ACM certificate of "
            "the UI's HTTPS listener): set it in cdktf.json under \"context\"")

    aws_provider(stack)
    RandomProvider(stack, "random")
    LocalProvider(stack, "local")

    suffix = StringResource(stack, "suffix", length=8, special=False, upper=False).result
    network = public_network(stack, f"{RESOURCE_PREFIX}-{suffix}")
    metaflow = Metaflow(
        stack, "metaflow",
        resource_prefix=RESOURCE_PREFIX,
        resource_suffix=suffix,
        enable_step_functions=enable_step_functions,
        subnet1_id=network.subnets[0].id,
        subnet2_id=network.subnets[1].id,
        vpc_cidr_blocks=[network.vpc.cidr_block],
        vpc_id=network.vpc.id,
        with_public_ip=True,  # public subnets without a NAT gateway: tasks need a public IP to pull images
        # as the examples: a rule with no CIDR is one AWS does not keep, so plans would never settle
        ui_allow_list=[network.vpc.cidr_block],
        # as the examples: AWS Lambda no longer accepts the module's default python3.7
        db_migrate_lambda_runtime="python3.12",
        # as the examples: RDS creates PostgreSQL 11 only under paid Extended Support, and no db.t2
        # class at all; from 15 on it takes only TLS connections, which the metadata service makes
        # from v2.4.4 on (the module's default image is v2.3.0): README, "Database versions"
        db_engine_version="17",
        db_instance_type="db.t4g.small",
        metadata_service_container_image=NEWEST_METADATA_SERVICE_CONTAINER_IMAGE,
        # as the examples: the Batch instances' credentials only with an IMDSv2 session token,
        # two hops away so that containers reach it
        launch_template_http_tokens="required",
        launch_template_http_put_response_hop_limit=2,
        ui_certificate_arn=certificate_arn,
        tags={"managedBy": "cdktf"},
    )
    return Deployment(stack, suffix, network, metaflow)
