"""Generates `module_constructs.py`: one typed construct class per module, from the specs.

Editors and type checkers read keyword arguments and attributes from real signatures, so
the classes are written out as ordinary Python (keyword-only arguments typed from the
Terraform types, the outputs as typed properties), the way jsii-generated constructs are.
`synth` writes the file; `docs --check` fails when it differs from what the specs give.
Generating it reads only the specs: no cdktf, no jsii.
"""

from __future__ import annotations

import json
import keyword
from pathlib import Path
from typing import Iterable

from metaflow_cdktf.interface import ModuleSpec, Variable, python_annotation
from metaflow_cdktf.paths import PACKAGE_DIR, module_dir

TARGET = PACKAGE_DIR / "module_constructs.py"
# Parameters of every construct besides the module's variables, and attributes the base classes have
# (an output of the same name would hide them: the core's TerraformHclModule, core.py's binding).
RESERVED = {"self", "scope", "id", "source", "version", "provider_line", "spec", "output", "node", "providers",
            "variables", "core_class", "bound_core", "add_override", "add_provider", "depends_on", "for_each", "fqn",
            "friendly_unique_id", "get", "get_boolean", "get_list", "get_number", "get_string",
            "interpolation_for_output", "override_logical_id", "raw_overrides", "reset_override_logical_id",
            "skip_asset_creation_from_local_modules", "to_metadata", "to_terraform", "to_hcl_terraform", "to_string",
            "cdktf_stack", "terraform_meta_arguments", "with_"}

HEADER = '''\
# Generated from the module specs (metaflow_cdktf/modules/*/spec.py) by `python main.py synth`;
# `python main.py docs --check` fails when it is stale. Do not edit.
"""The module constructs: one class per Terraform module, typed for editors and type checkers.

Keyword arguments are the module's variables; one left out (or None) is not passed, so the
module's own default applies. Attributes are the module's outputs, as Terraform references.
`source` (and `version`, for a registry) pins a released module instead of the packaged one;
`provider_line="aws6"` picks the packaged modules written for hashicorp/aws 6. An instance is a
`TerraformHclModule` of the core (cdktf or cdktn) of the app it is created in.
"""

from __future__ import annotations

from typing import Any, Mapping

from constructs import Construct

from metaflow_cdktf.construct import MetaflowModule
from metaflow_cdktf.lines import LineName
from metaflow_cdktf.modules import SPECS_BY_NAME
'''


def render_constructs(specs: Iterable[ModuleSpec]) -> str:
    specs = list(specs)
    # The package's public names: metaflow_cdktf/__init__.py re-exports them for type checkers.
    names = "".join(f'    "{spec.class_name()}",\n' for spec in specs)
    classes = "\n\n".join(_render_class(spec) for spec in specs)
    return f"{HEADER}\n__all__ = [\n{names}]\n\n\n{classes}"


def _docstring(text: str, indent: str) -> str:
    text = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    lines = text.split("\n")
    if len(lines) == 1:
        return f'{indent}"""{text}"""'
    return "\n".join([f'{indent}"""{lines[0]}', *[f"{indent}{line}" if line else "" for line in lines[1:]],
                      f'{indent}"""'])


def _check_name(spec: ModuleSpec, name: str) -> None:
    if name in RESERVED or keyword.iskeyword(name) or not name.isidentifier():
        raise ValueError(f"module {spec.name}: {name!r} cannot be a keyword argument or attribute of its construct")


def _parameter(variable: Variable) -> str:
    annotation = python_annotation(variable.type)
    if variable.required:
        return f"{variable.name}: {annotation}"
    return f"{variable.name}: {annotation} | None = None"


def _describe(variable: Variable) -> str:
    text = variable.description or "(no description)"
    if not variable.required:
        text += ("" if text.endswith((".", "?", "!")) else ".") + f" Default: ``{json.dumps(variable.default)}``."
    return f":param {variable.name}: {text}"


def _render_class(spec: ModuleSpec) -> str:
    variables = sorted(spec.variables, key=lambda v: (not v.required, v.name))
    for name in [v.name for v in variables] + [o.name for o in spec.outputs]:
        _check_name(spec, name)
    docs = "\n".join([
        f"{spec.title}: {spec.description}",
        "",
        f"The Terraform module ``{module_dir(spec.name, Path('terraform')).as_posix()}``.",
        "",
        ":param scope: the construct this module belongs to.",
        ":param id: the module block's name (its resources live at ``module.<id>.<address>``).",
        *[_describe(v) for v in variables],
        ":param source: a released module instead of the packaged one: a git URL with ``?ref=``, or a registry "
        "address. Default: the modules packaged with metaflow-cdktf, copied into the stack.",
        ":param version: the version of a registry ``source``.",
        ":param provider_line: ``\"aws6\"`` for the packaged modules written for hashicorp/aws 6. Default: "
        "``\"aws5\"``, those for hashicorp/aws 5. Every module of a stack must use the same.",
    ])
    parameters = [
        "scope: Construct",
        "id: str",
        "*",
        *[_parameter(v) for v in variables],
        "source: str | None = None",
        "version: str | None = None",
        "provider_line: LineName | None = None",
    ]
    arguments = "".join(f"{' ' * 16}\"{v.name}\": {v.name},\n" for v in variables)
    keywords = "source=source, version=version, provider_line=provider_line"
    call = (f"        super().__init__(scope, id, {{\n{arguments}{' ' * 12}}}, {keywords})"
            if variables else f"        super().__init__(scope, id, {{}}, {keywords})")
    outputs = "".join(
        f"\n    @property\n    def {output.name}(self) -> str:\n"
        f"{_docstring(output.description or output.name, ' ' * 8)}\n"
        f"        return self.output(\"{output.name}\")\n"
        for output in spec.outputs
    )
    signature = "".join(f"        {parameter},\n" for parameter in parameters)
    return (
        f"class {spec.class_name()}(MetaflowModule):\n"
        f"{_docstring(docs, ' ' * 4)}\n\n"
        f"    spec = SPECS_BY_NAME[\"{spec.name}\"]\n\n"
        f"    def __init__(\n        self,\n{signature}    ) -> None:\n"
        f"{call}\n"
        f"{outputs}"
    )
