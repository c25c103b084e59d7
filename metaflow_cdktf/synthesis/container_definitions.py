"""ECS container definitions built as data, and written out in the two layouts the modules use.

A task definition's `container_definitions` is JSON text. The metadata service writes it as a
JSON template (Terraform fills in its `${...}`), the UI as a `jsonencode([...])` expression (its
`environment` is a `for` over maps merged at plan time, which a template cannot hold); each
layout is kept byte for byte as the committed modules have it. The definitions themselves are
plain data (dicts, lists, strings, ints, bools); whatever Terraform computes is an `Expression`.
A string is Terraform template text: `"${var.resource_prefix}ui${var.resource_suffix}"` is
written as it is, its quotes and backslashes escaped; an interpolation with quotes inside it
(a function call with a string argument) must be an `Expression`.

Nothing here imports cdktf: the layouts are tested without the provider bindings.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

# The log group and region every module's containers log to: `synthesis.aws.log_group` and
# `current_account_and_region` declare them at these addresses.
LOG_GROUP_NAME_ADDRESS = "aws_cloudwatch_log_group.this.name"
REGION_NAME_ADDRESS = "data.aws_region.current.name"

# The keys whose lists hold one name/value entry per line in the JSON layout.
ENTRY_LISTS = ("environment", "secrets")


@dataclass(frozen=True)
class Expression:
    """A Terraform expression inside a definition, e.g. `local.metadata_service_container_image`.

    `yields` says what JSON value it becomes: in the JSON template a string is interpolated
    between quotes and a number bare; a list can only be written in the `jsonencode` layout.
    """

    text: str
    yields: Literal["string", "number", "list"] = "string"


Value = str | int | bool | Expression | Sequence["Value"] | Mapping[str, "Value"]


def merged_environment(*maps: str) -> Expression:
    """A container's `environment`: every entry of the maps (Terraform expressions), merged at plan
    time, a later map's entry winning over an earlier one's."""
    return Expression(f"[for k, v in merge({', '.join(maps)}) : {{ name = k, value = v }}]", yields="list")


def container_definition(
    *,
    name: str,
    image: Expression,
    cpu: int | Expression,
    memory: int | Expression,
    ports: Sequence[int],
    environment: Sequence[Mapping[str, Value]] | Expression,
    secrets: Sequence[Mapping[str, Value]] = (),
    log_stream_prefix: str,
    command: Sequence[str] = (),
) -> dict[str, Value]:
    """An essential container listening on `ports` (the same port on the task's interface) and
    logging to the module's log group under `log_stream_prefix`; `secrets` and `command` only
    when given."""
    definition: dict[str, Value] = {
        "name": name,
        "image": image,
        "essential": True,
        "cpu": cpu,
        "memory": memory,
        "portMappings": [{"containerPort": port, "hostPort": port} for port in ports],
        "environment": environment,
    }
    if secrets:
        definition["secrets"] = list(secrets)
    definition["logConfiguration"] = {
        "logDriver": "awslogs",
        "options": {
            "awslogs-group": Expression(LOG_GROUP_NAME_ADDRESS),
            "awslogs-region": Expression(REGION_NAME_ADDRESS),
            "awslogs-stream-prefix": log_stream_prefix,
        },
    }
    if command:
        definition["command"] = list(command)
    return definition


def interpolated(values: Mapping[str, Value]) -> dict[str, Value]:
    """`values` as a Terraform local or argument takes them: each Expression as the string that
    interpolates it (`${...}`)."""
    return {name: "${" + value.text + "}" if isinstance(value, Expression) else value
            for name, value in values.items()}


def environment_entries(variables: Mapping[str, Value]) -> list[dict[str, Value]]:
    """`environment` entries of a container, in the order given."""
    return [{"name": name, "value": value} for name, value in variables.items()]


# --- The JSON template layout ----------------------------------------------------------------


def as_json_template(value: Value, *, entry_lists: Collection[str] = ENTRY_LISTS) -> str:
    """`value` as JSON text Terraform reads as a template, ending in a newline: two-space indent,
    each object's members on lines of their own, but each item of a list under a key in
    `entry_lists` on one line (`{"name": "A", "value": "b"}`)."""
    return _json(value, 0, entry_lists) + "\n"


def _json(value: Value, depth: int, entry_lists: Collection[str]) -> str:
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        members = []
        for key, member in value.items():
            if key in entry_lists and isinstance(member, Sequence) and not isinstance(member, str):
                text = _json_lines([_json_one_line(item) for item in member], depth + 1, "[", "]")
            else:
                text = _json(member, depth + 1, entry_lists)
            members.append(f"{json.dumps(key, ensure_ascii=False)}: {text}")
        return _json_lines(members, depth, "{", "}")
    if isinstance(value, Sequence) and not isinstance(value, str):
        return _json_lines([_json(item, depth + 1, entry_lists) for item in value], depth, "[", "]")
    return _json_scalar(value)


def _json_lines(items: list[str], depth: int, opening: str, closing: str) -> str:
    if not items:
        return opening + closing
    inner = "  " * (depth + 1)
    return opening + "\n" + ",\n".join(inner + item for item in items) + "\n" + "  " * depth + closing


def _json_one_line(value: Value) -> str:
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{json.dumps(key, ensure_ascii=False)}: {_json_one_line(member)}"
                               for key, member in value.items()) + "}"
    if isinstance(value, Sequence) and not isinstance(value, str):
        return "[" + ", ".join(_json_one_line(item) for item in value) + "]"
    return _json_scalar(value)


def _json_scalar(value: Value) -> str:
    if isinstance(value, Expression):
        if value.yields == "string":
            return '"${' + value.text + '}"'
        if value.yields == "number":
            return "${" + value.text + "}"
        raise ValueError(f"the expression {value.text!r} yields a list, which a JSON template cannot "
                         "interpolate: write the definitions with as_jsonencode")
    return _literal(value)


# --- The jsonencode layout ---------------------------------------------------------------------

# Object keys written bare in HCL; any other key is quoted.
HCL_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def as_jsonencode(value: Value) -> str:
    """`jsonencode(...)` of `value` written in HCL as `terraform fmt` lays it out: two-space indent,
    one attribute or list item a line, the `=` of consecutive one-line attributes aligned (an
    attribute whose value spans lines stands apart), keys that are not identifiers quoted."""
    return f"jsonencode({_hcl(value, 0)})"


def _hcl(value: Value, depth: int) -> str:
    inner = "  " * (depth + 1)
    closing = "  " * depth
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        keys = [key if HCL_IDENTIFIER.fullmatch(key) else json.dumps(key, ensure_ascii=False) for key in value]
        values = [_hcl(member, depth + 1) for member in value.values()]
        widths = _aligned_widths(keys, values)
        lines = [f"{inner}{key.ljust(width)} = {text}" for key, text, width in zip(keys, values, widths, strict=True)]
        return "{\n" + "\n".join(lines) + "\n" + closing + "}"
    if isinstance(value, Sequence) and not isinstance(value, str):
        if not value:
            return "[]"
        return "[\n" + ",\n".join(inner + _hcl(item, depth + 1) for item in value) + "\n" + closing + "]"
    if isinstance(value, Expression):
        return value.text
    return _literal(value)


def _aligned_widths(keys: list[str], values: list[str]) -> list[int]:
    """The width each key is padded to: within a run of one-line attributes, the run's longest key;
    an attribute whose value spans lines is not padded and ends the run."""
    widths = [0] * len(keys)
    run: list[int] = []
    for index, text in enumerate([*values, "\n"]):  # a sentinel ends the last run
        if "\n" in text:
            for member in run:
                widths[member] = max(len(keys[i]) for i in run)
            run = []
        else:
            run.append(index)
    return widths


def _literal(value: Value) -> str:
    """A string, number or bool, written alike in JSON and HCL."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    raise TypeError(f"a container definition holds strings, ints, bools, lists, objects and Expressions, "
                    f"not {type(value).__name__}: {value!r}")
