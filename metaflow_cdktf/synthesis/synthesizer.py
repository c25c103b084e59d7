"""Synthesize module specs into drop-in Terraform modules (text of each main.tf.json), on every
provider line (lines.py).

All module stacks are built in one cdktf App in one process: the provider
bindings, the expensive part, are imported once, and each module is built once; the
lines' trees are post-processed from that one build.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any, Callable, Iterable

from cdktf import App, TerraformOutput, TerraformStack, TerraformVariable, TerraformVariableValidationConfig, Token

import metaflow_cdktf.modules.builds  # noqa: F401  (attaches each spec's build function)
from metaflow_cdktf.interface import ModuleSpec
from metaflow_cdktf.lines import LINES
from metaflow_cdktf.paths import module_file
from metaflow_cdktf.synthesis.postprocess import dumps, for_line, to_module


class BuildMismatch(ValueError):
    """A build function's outputs differ from those its spec declares."""


def synthesize(specs: Iterable[ModuleSpec], progress: Callable[[str], None] = lambda _: None) -> dict[Path, str]:
    """Return {module file: its text} for every spec on every line (each tree's main.tf.json files),
    writing nothing."""
    specs = list(specs)
    with tempfile.TemporaryDirectory(prefix="metaflow-cdktf-") as outdir:
        # A module takes its providers from the caller, so the check that every
        # stack configures its providers (meant for root stacks) does not apply.
        app = App(outdir=outdir, skip_validation=True)
        for spec in specs:
            module_stack(app, spec)
            progress(spec.name)
        app.synth()
        stacks = {spec.name: json.loads((Path(outdir) / "stacks" / spec.name / "cdk.tf.json").read_text())
                  for spec in specs}
    return {
        module_file(spec.name, line.root): dumps(for_line(to_module(
            stacks[spec.name],
            required_providers=line.required_providers(spec.required_providers),
            required_version=spec.required_version,
        ), line))
        for line in LINES for spec in specs
    }


def module_stack(app: App, spec: ModuleSpec) -> TerraformStack:
    """A stack holding the module: its variables, what its build function creates, its outputs."""
    stack = TerraformStack(app, spec.name)
    for variable in spec.variables:
        arguments: dict[str, Any] = {}
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
