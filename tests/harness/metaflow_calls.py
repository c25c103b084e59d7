"""TEST-ONLY: the AWS API calls a Python package's source makes, found by reading it (no code runs).

`aws_calls(package_dir)` parses every `.py` file under it (but `_vendor/`) and returns
{(client, method): {files}}. A file takes part when it creates an AWS client:
`get_aws_client("<service>")` (Metaflow's factory, any receiver), `get_s3_client(...)` (its S3
one) or `boto3.client("<service>")` / `<session>.client("<service>")` with the name written out.
In such a file a call `<receiver>.<method>(...)` is a call of service S when `method` is

- an operation of S in botocore's model of it (`describe_jobs`, `put_rule`, ...);
- `get_paginator("<operation>")`: then the operation is the call;
- for S3, one of the transfer methods boto3 adds to its client (S3_TRANSFER_METHODS).

A method that is an operation of two services the file creates clients of is reported for both.
Not counted: calls on `self`/`cls` (the file's own wrappers, like `self.search()`) and calls on
a module the file imports (`os.environ.copy()`). Code in strings (the shell commands Metaflow
runs inside its containers) is not Python to this reader and is not seen.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from functools import cache
from pathlib import Path

import botocore.session
from botocore import xform_name

# boto3.s3.inject adds these to the S3 client; each makes one or more S3 operations.
S3_TRANSFER_METHODS = frozenset({"upload_file", "download_file", "upload_fileobj", "download_fileobj", "copy",
                                 "generate_presigned_url", "generate_presigned_post"})
CLIENT_FACTORIES = frozenset({"get_aws_client", "client"})
S3_CLIENT_FACTORY = "get_s3_client"


@cache
def operations(service: str) -> frozenset[str]:
    """The snake_case method names of `service`'s botocore client."""
    model = botocore.session.get_session().get_service_model(service)
    return frozenset(xform_name(name) for name in model.operation_names)


def aws_calls(package_dir: Path) -> dict[tuple[str, str], set[str]]:
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    for path in sorted(package_dir.rglob("*.py")):
        relative = path.relative_to(package_dir)
        if "_vendor" in relative.parts:
            continue
        source = path.read_text()
        # every client factory's name ends in "client("; other files are not worth parsing
        if "client(" in source:
            for call in calls_in_source(source):
                found[call].add(relative.as_posix())
    return dict(found)


def calls_in_source(source: str) -> set[tuple[str, str]]:
    """(client, method) of every AWS API call `source` makes; empty when it creates no client."""
    tree = ast.parse(source)
    services = _services_created(tree)
    if not services:
        return set()
    imported = _imported_names(tree)
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and not _excluded_receiver(
                node.func.value, imported):
            found |= {(service, method) for service in services
                      for method in _operations_called(node, service)}
    return found


def _services_created(tree: ast.AST) -> set[str]:
    services = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _called_name(node)
        if name == S3_CLIENT_FACTORY:
            services.add("s3")
        elif name in CLIENT_FACTORIES and node.args and isinstance(node.args[0], ast.Constant) \
                and isinstance(node.args[0].value, str):
            services.add(node.args[0].value)
    return services


def _called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def _operations_called(call: ast.Call, service: str) -> set[str]:
    method = call.func.attr  # type: ignore[union-attr]
    if method == "get_paginator":
        if call.args and isinstance(call.args[0], ast.Constant) and call.args[0].value in operations(service):
            return {call.args[0].value}
        return set()
    if method in operations(service) or (service == "s3" and method in S3_TRANSFER_METHODS):
        return {method}
    return set()


def _imported_names(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
    return names


def _excluded_receiver(receiver: ast.expr, imported: set[str]) -> bool:
    root = receiver
    while isinstance(root, ast.Attribute):
        root = root.value
    if not isinstance(root, ast.Name):
        return False
    if root.id in ("self", "cls"):
        return receiver is root
    return root.id in imported
