"""Synthesize every module spec into `terraform/<name>/main.tf.json`.

All module stacks are built in one cdktf App in one process: the provider
bindings, the expensive part, are imported once.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Callable, Iterable, Mapping

from metaflow_cdktf.interface import ModuleSpec
from metaflow_cdktf.postprocess import dumps, to_module

from metaflow_cdktf.paths import TERRAFORM_ROOT

MODULE_FILE = "main.tf.json"


def module_path(name: str, terraform_root: Path = TERRAFORM_ROOT) -> Path:
    return terraform_root / name / MODULE_FILE


def silence_node_end_of_life_banner() -> None:
    """jsii prints an 11-line banner per process because the image's Node 20 is past its
    end-of-life for jsii. It is not actionable here (Node comes with the machine) and buries
    the progress lines, so it is silenced for Node 20 only: any other unsupported Node still
    shows it. Set JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION="" to see it again."""
    os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")


def synthesize(specs: Iterable[ModuleSpec], progress: Callable[[str], None] = lambda _: None) -> dict[str, str]:
    """Return {module name: main.tf.json text} for every spec, without writing anything."""
    silence_node_end_of_life_banner()
    from cdktf import App

    specs = list(specs)
    with tempfile.TemporaryDirectory(prefix="metaflow-cdktf-") as outdir:
        # A module takes its providers from the caller, so the check that every
        # stack configures its providers (meant for root stacks) does not apply.
        app = App(outdir=outdir, skip_validation=True)
        for spec in specs:
            _module_stack(app, spec)
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


def _module_stack(app, spec: ModuleSpec):
    from cdktf import TerraformOutput, TerraformStack, TerraformVariable, Token

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
        TerraformVariable(stack, variable.name, **arguments)

    values = spec.build_function()(stack)
    declared = [output.name for output in spec.outputs]
    if sorted(values) != sorted(declared):
        raise ValueError(f"module {spec.name}: build returned outputs {sorted(values)}, spec declares {sorted(declared)}")
    for output in spec.outputs:
        element = TerraformOutput(stack, f"output.{output.name}", value=values[output.name],
                                  description=output.description, sensitive=output.sensitive or None)
        element.override_logical_id(output.name)
    return stack


def write_atomically(path: Path, text: str) -> bool:
    """Write `text` to `path` unless it already holds it; never leave a half-written file."""
    if path.exists() and path.read_text() == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "w") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
    return True


def write_modules(texts: Mapping[str, str], terraform_root: Path = TERRAFORM_ROOT) -> list[Path]:
    """Write each module's text; return the files that changed."""
    return [module_path(name, terraform_root) for name, text in texts.items()
            if write_atomically(module_path(name, terraform_root), text)]
