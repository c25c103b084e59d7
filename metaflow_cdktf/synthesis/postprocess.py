"""Turn cdktf's synthesized stack JSON into a drop-in Terraform module.

The only place that edits cdktf's output. A cdktf stack is a root module: it
carries cdktf metadata ("//" keys), provider configurations and a backend. A
drop-in module must carry none of them (the consumer's providers apply), and its
`terraform` block must be the one upstream declares.
"""

from __future__ import annotations

import json
from typing import Any, Mapping

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
