"""Each module as a CDKTF construct: typed keyword arguments in, outputs as attributes.

The construct is a `module` block whose source is the synthesized module under
`terraform/<name>`, so a stack deployed with cdktf holds the same resources at
the same addresses (`module.<id>.aws_lb.this`) as a plain Terraform root that
calls the module: state moves between the two without `moved` blocks.
"""

from __future__ import annotations

import functools
import inspect
import os
from pathlib import Path

from metaflow_cdktf.interface import ModuleSpec
from metaflow_cdktf.paths import TERRAFORM_ROOT


_CLASSES: dict[str, type] = {}


def module_class(spec: ModuleSpec) -> type:
    """The construct class of `spec`, made once per module (specs hold dicts: not hashable)."""
    if spec.name not in _CLASSES:
        _CLASSES[spec.name] = _make_module_class(spec)
    return _CLASSES[spec.name]


def _make_module_class(spec: ModuleSpec) -> type:
    from cdktf import TerraformHclModule

    def __init__(self, scope, id, **arguments):
        variables = spec.bind_arguments(arguments)
        TerraformHclModule.__init__(
            self, scope, id,
            source=_source_relative_to_stack(scope, TERRAFORM_ROOT / spec.name),
            variables=variables,
            # the module directory is used in place: copying it as an asset would cut its ../common link
            skip_asset_creation_from_local_modules=True,
        )

    signature = spec.signature()
    __init__.__signature__ = signature.replace(
        parameters=[inspect.Parameter("self", inspect.Parameter.POSITIONAL_ONLY), *signature.parameters.values()])
    namespace = {
        "__init__": __init__,
        "__doc__": f"{spec.title}: {spec.description}\n\nArguments are the module's variables; "
                   "outputs are attributes holding Terraform references.",
        "__module__": "modules",
        "spec": spec,
        # jsii's metaclass defines __call__(*args, **kwargs), which would hide __init__'s signature
        "__signature__": signature,
    }
    for output in spec.outputs:
        namespace[output.name] = property(
            functools.partial(_output_reference, name=output.name), doc=output.description)
    return type(spec.class_name(), (TerraformHclModule,), namespace)


def _output_reference(module, name: str) -> str:
    return module.get_string(name)


def _source_relative_to_stack(scope, module_dir: Path) -> str:
    """The module's path as seen from the directory cdktf synthesizes the stack into."""
    from cdktf import App, TerraformStack

    stack_dir = Path(App.of(scope).outdir).resolve() / "stacks" / TerraformStack.of(scope).node.id
    relative = os.path.relpath(module_dir.resolve(), stack_dir)
    return relative if relative.startswith("..") else f"./{relative}"
