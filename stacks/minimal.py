"""`metaflow-minimal`, the Python twin of `examples/minimal`: a VPC with two public subnets,
the whole Metaflow stack (the `Metaflow` root module construct), and the Metaflow config
file written next to the stack.

Settings come from CDKTF context (cdktf.json's "context", or `CDKTF_CONTEXT_JSON`):
`uiCertificateArn` (required), the ACM certificate of the UI's HTTPS listener, and the
provider's `awsRegion` / `awsEndpoint` (stacks/provider.py).
"""

from __future__ import annotations

from cdktf import TerraformOutput, TerraformStack
from cdktf_cdktf_provider_local.file import File
from constructs import Construct

from stacks.deployment import metaflow_deployment

MINIMAL_STACK = "metaflow-minimal"


def build_minimal_stack(app: Construct, stack_id: str = MINIMAL_STACK) -> TerraformStack:
    deployment = metaflow_deployment(app, stack_id, enable_step_functions=False)
    stack, metaflow = deployment.stack, deployment.metaflow
    # What `metaflow configure import metaflow_profile.json` reads.
    File(stack, "metaflow_config", content=metaflow.metaflow_profile_json, filename="./metaflow_profile.json")
    TerraformOutput(stack, "METAFLOW_SERVICE_URL", value=metaflow.METAFLOW_SERVICE_URL)
    TerraformOutput(stack, "metaflow_api_gateway_rest_api_id", value=metaflow.metaflow_api_gateway_rest_api_id)
    return stack
