"""TEST-ONLY: apply an example with real Terraform against the moto emulator, and look at the result.

`apply_example` copies the example and the modules to a temporary directory laid out as in the
repository, points the aws provider at the emulator (a test-only override file, never in the
repository), runs `init` and `apply`, and returns what the deployment added to the emulator.
`destroy` undoes it; `unexpected_changes` is what a second plan shows beyond the emulator's known
read-back gaps (KNOWN_EMULATOR_DRIFT).
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from harness.moto_server import OUTPUT_TAIL_LINES, MotoServer, added, inventory, moto_version, tail

# Measured: apply ~2-3 min, destroy ~1.5 min on 2 cores (the aws provider's own waiters dominate).
TERRAFORM_TIMEOUT_S = 900

# Attributes the aws provider reads back differently from what it wrote, only because moto's
# answer lacks or adds something: a second plan right after apply shows these as changes.
# {address within the root module's call: {attribute: why}}. Anything else is a real perpetual diff.
KNOWN_EMULATOR_DRIFT = {
    "module.metaflow-metadata-service.aws_api_gateway_integration.this": {
        "connection_id": "moto's GetIntegration omits connectionId (the VPC link id)",
    },
    "module.metaflow-metadata-service.aws_api_gateway_integration.db": {
        "connection_id": "moto's GetIntegration omits connectionId (the VPC link id)",
    },
    "module.metaflow-metadata-service.aws_ecs_service.this": {
        "availability_zone_rebalancing": "moto's DescribeServices omits availabilityZoneRebalancing",
    },
    "module.metaflow-ui.aws_ecs_service.ui_backend": {
        "availability_zone_rebalancing": "moto's DescribeServices omits availabilityZoneRebalancing",
    },
    "module.metaflow-ui.aws_ecs_service.ui_static": {
        "availability_zone_rebalancing": "moto's DescribeServices omits availabilityZoneRebalancing",
    },
    "module.metaflow-computation.aws_launch_template.cpu[0]": {
        "tag_specifications": "moto copies the template's own tags into the version's LaunchTemplateData "
        "as a TagSpecifications entry of type launch-template",
        "latest_version": "follows from tag_specifications",
    },
    "module.metaflow-computation.aws_batch_compute_environment.this": {
        "compute_resources": "launch_template.version follows the launch template's new version",
    },
    # examples/full's job-queues: the same gap on its launch template and the environments following it
    "module.job_queues.aws_launch_template.this[0]": {
        "tag_specifications": "moto copies the template's own tags into the version's LaunchTemplateData "
        "as a TagSpecifications entry of type launch-template",
        "latest_version": "follows from tag_specifications",
    },
    'module.job_queues.aws_batch_compute_environment.ec2["gpu"]': {
        "compute_resources": "launch_template.version follows the launch template's new version",
    },
    'module.job_queues.aws_batch_compute_environment.ec2["spot"]': {
        "compute_resources": "launch_template.version follows the launch template's new version",
    },
    "module.sagemaker_notebook.aws_sagemaker_notebook_instance.this": {
        "instance_metadata_service_configuration": "moto's CreateNotebookInstance ignores "
        "InstanceMetadataServiceConfiguration and DescribeNotebookInstance omits it",
    },
}
ROOT_MODULE_CALL = "module.metaflow."


@dataclass
class Deployment:
    """An example applied to the emulator: its root, its -var arguments, outputs and what it added."""

    root: Path
    args: list[str]
    outputs: dict
    baseline: dict[str, set[str]]
    created: dict[str, set[str]]
    timings: dict[str, float] = field(default_factory=dict)

    def output(self, name: str):
        return self.outputs[name]["value"]


def run_terraform(terraform, moto: MotoServer, root: Path, *args: str):
    """`terraform <args>` with a bounded wait; a failure shows Terraform's errors and moto's last words."""
    completed = terraform.run(root, *args, check=False, timeout=TERRAFORM_TIMEOUT_S)
    if completed.returncode != 0:
        pytest.fail(
            f"`terraform {' '.join(args)}` exited {completed.returncode} against moto {moto_version()}\n"
            f"--- stderr ---\n{completed.stderr.rstrip()}\n"
            f"--- stdout (last {OUTPUT_TAIL_LINES} lines) ---\n{tail(completed.stdout)}\n"
            f"--- moto server (last 20 lines) ---\n{tail(moto.log_text(), 20)}",
            pytrace=False,
        )
    return completed


def example_workspace(destination: Path, terraform_root: Path, examples: Path, leftovers: tuple[str, ...]) -> Path:
    """Copy the modules and the examples to `destination`, laid out as in the repository."""
    ignore = shutil.ignore_patterns(*leftovers)
    shutil.copytree(terraform_root, destination / "terraform", ignore=ignore)
    shutil.copytree(examples, destination / "examples", ignore=ignore)
    return destination


def apply_example(terraform, moto: MotoServer, root: Path, variables: dict[str, str]) -> Deployment:
    """`init` and `apply` of the example at `root` against the emulator."""
    moto.write_provider_override(root)
    args = [f"-var={name}={value}" for name, value in variables.items()]
    baseline = inventory(moto)
    timings = {}
    for step, command in (("init", ["init", "-input=false", "-no-color"]),
                          ("apply", ["apply", "-auto-approve", "-input=false", "-no-color", *args])):
        started = time.monotonic()
        run_terraform(terraform, moto, root, *command)
        timings[step] = time.monotonic() - started
    outputs = json.loads(run_terraform(terraform, moto, root, "output", "-json").stdout)
    print(f"\nmoto {moto_version()}: {root.name}: init {timings['init']:.0f} s, apply {timings['apply']:.0f} s")
    return Deployment(root, args, outputs, baseline, added(baseline, inventory(moto)), timings)


def destroy(terraform, moto: MotoServer, deployment: Deployment) -> Deployment:
    started = time.monotonic()
    run_terraform(terraform, moto, deployment.root, "destroy", "-auto-approve", "-input=false", "-no-color",
                  *deployment.args)
    deployment.timings["destroy"] = time.monotonic() - started
    print(f"\nmoto {moto_version()}: {deployment.root.name}: destroy {deployment.timings['destroy']:.0f} s")
    return deployment


def unexpected_changes(terraform, moto: MotoServer, deployment: Deployment) -> dict:
    """What a plan right after apply would change, beyond the emulator's known read-back gaps."""
    run_terraform(terraform, moto, deployment.root, "plan", "-input=false", "-no-color", "-out=replan.tfplan",
                  *deployment.args)
    plan = json.loads(run_terraform(terraform, moto, deployment.root, "show", "-json", "replan.tfplan").stdout)
    unexpected = {}
    for change in plan.get("resource_changes", []):
        actions = change["change"]["actions"]
        if actions in (["no-op"], ["read"]):
            continue
        before, after = change["change"]["before"] or {}, change["change"]["after"] or {}
        unknown = change["change"].get("after_unknown") or {}
        changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k) or unknown.get(k) is True}
        known = set(KNOWN_EMULATOR_DRIFT.get(change["address"].removeprefix(ROOT_MODULE_CALL), {}))
        if actions != ["update"] or changed - known:
            unexpected[change["address"]] = (actions, sorted(changed - known))
    return unexpected
