"""Turn cdktf's synthesized stack JSON into a drop-in Terraform module.

The only place that edits cdktf's output. A cdktf stack is a root module: it
carries cdktf metadata ("//" keys), provider configurations and a backend. A
drop-in module must carry none of them (the consumer's providers apply), and its
`terraform` block must be the one upstream declares. The builds write for the aws 5
line; `for_line` makes a module another line's (lines.py says what differs).
"""

from __future__ import annotations

import json
import re
from typing import Any, Callable, Mapping

from metaflow_cdktf.lines import ProviderLine

METADATA_KEY = "//"


def strip_metadata(node: Any) -> Any:
    """Remove every cdktf "//" metadata key, at any depth."""
    if isinstance(node, dict):
        return {k: strip_metadata(v) for k, v in node.items() if k != METADATA_KEY}
    if isinstance(node, list):
        return [strip_metadata(v) for v in node]
    return node


def to_module(
    stack: Mapping[str, Any],
    *,
    required_providers: Mapping[str, Mapping[str, str]],
    required_version: str | None,
) -> dict[str, Any]:
    """A cdktf stack document made into a module: no metadata, providers or backend.

    The `terraform` block is replaced by the module's declared requirements
    (cdktf would pin the binding's exact provider version); a module that
    declares none, like upstream's `common`, gets none.
    """
    module = strip_metadata(dict(stack))
    module.pop("provider", None)
    terraform: dict[str, Any] = {}
    if required_providers:
        terraform["required_providers"] = {name: dict(req) for name, req in required_providers.items()}
    if required_version is not None:
        terraform["required_version"] = required_version
    module["terraform"] = terraform
    return {key: value for key, value in module.items() if value not in ({}, [])}


def dumps(document: Mapping[str, Any]) -> str:
    """Deterministic text: sorted keys, two-space indent, trailing newline."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def for_line(module: Mapping[str, Any], line: ProviderLine) -> dict[str, Any]:
    """`module`, as the builds write it for the aws 5 line, made into `line`'s: its renamed arguments
    set under their new names, its renamed attributes read under theirs."""
    readers = [(_reference_to(address, old), new)
               for address, attributes in line.renamed_attributes.items() for old, new in attributes.items()]

    def read_renamed(text: str) -> str:
        for reference, new in readers:
            text = reference.sub(rf"\g<object>{new}", text)
        return text

    # a new document (every string copied), so renaming its arguments leaves `module` as it was
    return _rename_arguments(_map_strings(module, read_renamed), line.renamed_arguments)


def _rename_arguments(module: dict[str, Any], renames: Mapping[str, Mapping[str, str]]) -> dict[str, Any]:
    """`module` with the arguments `renames` names renamed in place."""
    for kind, prefix in (("resource", ""), ("data", "data.")):
        for type_, blocks in module.get(kind, {}).items():
            renamed = renames.get(prefix + type_, {})
            for name, block in blocks.items():
                blocks[name] = {renamed.get(argument, argument): value for argument, value in block.items()}
    return module


def _reference_to(address: str, attribute: str) -> re.Pattern[str]:
    """A reference to `attribute` of any `<address>.<name>` (`data.aws_region.current.name`, also
    counted `[0]` or splat `[*]`); `object` is all of it but the attribute. Nothing may precede the
    address that would make it part of another (`aws_x` never matches inside `data.aws_x`)."""
    return re.compile(rf"(?P<object>(?<![\w.]){re.escape(address)}\.[A-Za-z_][\w-]*(?:\[[^\]]*\])?\.){attribute}\b")


def _map_strings(node: Any, change: Callable[[str], str]) -> Any:
    """`node` with `change` applied to every string value (keys are names, never references)."""
    if isinstance(node, str):
        return change(node)
    if isinstance(node, dict):
        return {key: _map_strings(value, change) for key, value in node.items()}
    if isinstance(node, list):
        return [_map_strings(value, change) for value in node]
    return node
