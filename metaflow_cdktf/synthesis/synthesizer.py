"""Synthesize module specs into drop-in Terraform modules (text of each main.tf.json).

All module stacks are built in one cdktf App in one process: the provider
bindings, the expensive part, are imported once.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Callable, Iterable

from cdktf import App, TerraformOutput, TerraformStack, TerraformVariable, TerraformVariableValidationConfig, Token

import metaflow_cdktf.modules.builds  # noqa: F401  (attaches each spec's build function)
from metaflow_cdktf.interface import ModuleSpec
from metaflow_cdktf.synthesis.postprocess import dumps, to_module


class BuildMismatch(ValueError):
    """A build function's outputs differ from those its spec declares."""


def synthesize(specs: Iterable[ModuleSpec], progress: Callable[[str], None] = lambda _: None) -> dict[str, str]:
    """Return {module name: main.tf.json text} for every spec, writing nothing."""
    specs = list(specs)
    with tempfile.TemporaryDirectory(prefix="metaflow-cdktf-") as outdir:
        # A module takes its providers from the caller, so the check that every
        # stack configures its providers (meant for root stacks) does not apply.
        app = App(outdir=outdir, skip_validation=True)
        for spec in specs:
            module_stack(app, spec)
            progress(spec.name)
        app.synth()
        return {
            spec.name: dumps(to_module(
                json.loads((Path(outdir) / "stacks" / spec.name / "cdk.tf.json").read_text()),
                required_providers=spec.required_providers,
                required_version=spec.required_version,
            ))
            for spec in specs
        }


def module_stack(app: App, spec: ModuleSpec) -> TerraformStack:
    """A stack holding the module: its variables, what its build function creates, its outputs."""
    stack = TerraformStack(app, spec.name)
    for variable in spec.variables:
        arguments = {}
        if variable.type is not None:
            arguments["type"] = variable.type
        if variable.description is not None:
            arguments["description"] = variable.description
        if not variable.required:
            # None would mean "no default" to cdktf; Terraform's `default = null` is explicit.
            arguments["default"] = Token.null_value() if variable.default is None else variable.default
        if variable.rules:
            arguments["validation"] = [
                TerraformVariableValidationConfig(condition="${" + rule.condition(f"var.{variable.name}") + "}",
                                                  error_message=rule.message)
                for rule in variable.rules]
        TerraformVariable(stack, variable.name, **arguments)

    values = spec.build(stack)
    declared = [output.name for output in spec.outputs]
    if sorted(values) != sorted(declared):
        raise BuildMismatch(f"module {spec.name}: build returned outputs {sorted(values)}, "
                            f"its spec declares {sorted(declared)}")
    for output in spec.outputs:
        element = TerraformOutput(stack, f"output.{output.name}", value=values[output.name],
                                  description=output.description, sensitive=output.sensitive or None)
        element.override_logical_id(output.name)
    return stack
