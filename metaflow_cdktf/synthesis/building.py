"""Small helpers the module build functions share.

Upstream addresses (`aws_lb.this`, `data.aws_region.current`) are part of each
module's interface: state written by the HCL modules must keep matching. cdktf
derives a logical id from the construct path, so every element is created under a
unique construct id and then pinned to upstream's name.
"""

from __future__ import annotations

from typing import Any, Mapping, TypeVar

from cdktf import TerraformElement, TerraformHclModule, TerraformLocal, TerraformStack, Token
from constructs import Construct

from metaflow_cdktf.interface import ModuleSpec
from metaflow_cdktf.paths import module_source

# a resource or data source class of the provider bindings
Element = TypeVar("Element", bound=TerraformElement)


def at_address(element_class: type[Element], scope: Construct, name: str, /, **arguments: Any) -> Element:
    """Create a resource or data source whose Terraform address ends in `name`."""
    element = element_class(scope, f"{element_class.__name__}.{name}", **arguments)
    element.override_logical_id(name)
    return element


def call_module(scope: Construct, name: str, spec: ModuleSpec,
                arguments: Mapping[str, Any] | None = None) -> TerraformHclModule:
    """Declare `module "name"` calling the module `spec` describes, where upstream's layout puts it.

    The arguments are checked against `spec` now: a misspelt or missing one fails
    synthesis, naming it, instead of `terraform validate` later.
    """
    caller = TerraformStack.of(scope).node.id
    spec.check_call(arguments or {}, caller=f"module {caller}, module.{name}")
    module = TerraformHclModule(scope, f"module.{name}", source=module_source(caller, spec.name),
                                variables=dict(arguments or {}),
                                # the source is a sibling in the same tree, not an asset to copy
                                skip_asset_creation_from_local_modules=True)
    module.override_logical_id(name)
    return module


def local(scope: Construct, name: str, expression: Any) -> str:
    """Declare `locals { name = expression }`; return the reference `local.name`."""
    value = TerraformLocal(scope, f"local.{name}", expression)
    value.override_logical_id(name)
    return value.as_string


def expr(expression: str) -> str:
    """A Terraform expression as a string argument: `expr("var.a")` is "${var.a}"."""
    return "${" + expression + "}"


def number(expression: str) -> float:
    """A Terraform expression where the binding expects a number (e.g. `count`)."""
    return Token.as_number(expr(expression))


def boolean(expression: str) -> Any:
    """A Terraform expression where the binding expects a bool."""
    return Token.as_any(expr(expression))


def strings(expression: str) -> list[str]:
    """A Terraform expression where the binding expects a list of strings."""
    return Token.as_list(expr(expression))


def string_map(expression: str) -> Mapping[str, str]:
    """A Terraform expression where the binding expects a map of strings."""
    return Token.as_string_map(expr(expression))


def literal(text: str) -> str:
    """`text` taken literally by Terraform: template sequences are escaped."""
    return text.replace("${", "$${").replace("%{", "%%{")
