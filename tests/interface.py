"""A synthesized module's interface, extracted the same way from every source.

`of_module` reads a synthesized main.tf.json; `of_fixture` a JSON fixture derived
from upstream's HCL; `of_readme` a terraform-docs README (upstream's). Each
returns the same shape so tests compare them with one `==`. `with_hardening` adds
to upstream's interface the resources this project adds to harden a module.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from project import module_file

FIXTURES = Path(__file__).resolve().parent / "data" / "interfaces"

# The addresses this project adds to upstream's modules to harden them (README, "Security"):
# each module is upstream's, variable for variable, output for output and address for
# address, plus exactly these. Nothing upstream has is removed or renamed.
# the services' log group (metadata-service, ui) is encrypted with a key of its own
LOG_GROUP_KEY = ("aws_kms_key.logs", "data.aws_iam_policy_document.logs_key", "data.aws_partition.current")
ADDED_BY_HARDENING: dict[str, tuple[str, ...]] = {
    # the database password as an SSM SecureString, and the execution role's grant to read it
    "metadata-service": (
        "aws_ssm_parameter.database_password",
        "aws_iam_role_policy.grant_read_database_password",
        "data.aws_iam_policy_document.read_database_password",
        # the DB-migration Lambda sends X-Ray traces
        "aws_iam_role_policy.grant_lambda_ecs_xray",
        "data.aws_iam_policy_document.lambda_ecs_task_execute_policy_xray",
        # both API methods validate their request parameters
        "aws_api_gateway_request_validator.this",
        *LOG_GROUP_KEY,
    ),
    # the account the execution role's log statement names
    "computation": ("data.aws_caller_identity.current",),
    "datastore": (
        # the bucket refuses requests not made over TLS
        "aws_s3_bucket_policy.this",
        "data.aws_iam_policy_document.s3_tls_only",
        # key policies stated in full, and the one CloudWatch Logs needs for the database's log
        "data.aws_iam_policy_document.s3_key",
        "data.aws_iam_policy_document.rds_key",
        "aws_cloudwatch_log_group.rds",
        # the account, region and partition those policies name
        "data.aws_caller_identity.current",
        "data.aws_region.current",
        "data.aws_partition.current",
    ),
    "ui": (
        "aws_ssm_parameter.database_password",
        "aws_iam_role_policy.grant_read_database_password",
        "data.aws_iam_policy_document.read_database_password",
        *LOG_GROUP_KEY,
        # the VPC's address ranges, to which the tasks may reach DNS servers
        "data.aws_vpc.this",
    ),
    # the services' own execution role: the Batch jobs' one no longer reaches the database password
    "metaflow": (
        "aws_iam_role.services_execution_role",
        "aws_iam_role_policy.grant_services_execution",
        "data.aws_iam_policy_document.services_execution_role_assume_role",
        "data.aws_iam_policy_document.services_execution_policy",
    ),
}


# The addresses of upstream's this project removes, each for a reason README gives.
REMOVED: dict[str, tuple[str, ...]] = {
    # read and used by nothing; the Amazon Linux 2 ECS image is past its end of support
    "computation": ("data.aws_ssm_parameter.ecs_optimized_cpu_ami",),
}


def load_module(name: str) -> dict:
    return json.loads(module_file(name).read_text())


def of_module(module: dict) -> dict:
    terraform = module.get("terraform", {})
    return {
        "variables": {
            name: {key: block[key] for key in ("type", "default", "description") if key in block}
            for name, block in module.get("variable", {}).items()
        },
        "outputs": {
            name: {"description": block["description"]} if "description" in block else {}
            for name, block in module.get("output", {}).items()
        },
        "resources": _addresses(module.get("resource", {})),
        "data": _addresses(module.get("data", {})),
        "modules": {name: block["source"] for name, block in module.get("module", {}).items()},
        "required_providers": terraform.get("required_providers", {}),
        "required_version": terraform.get("required_version"),
    }


def _addresses(blocks: dict) -> list[str]:
    return sorted(f"{kind}.{name}" for kind, named in blocks.items() for name in named)


def of_fixture(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def with_hardening(name: str, interface: dict) -> dict:
    """Upstream's `interface` of module `name` plus the addresses ADDED_BY_HARDENING lists for it,
    less those REMOVED lists."""
    added, removed = ADDED_BY_HARDENING.get(name, ()), set(REMOVED.get(name, ()))
    data = [address.removeprefix("data.") for address in added if address.startswith("data.")]
    resources = [address for address in added if not address.startswith("data.")]
    return {
        **interface,
        "resources": sorted(a for a in [*interface["resources"], *resources] if a not in removed),
        "data": sorted(a for a in [*interface["data"], *data] if f"data.{a}" not in removed),
    }


def readme_row(address: str) -> str:
    """The row terraform-docs writes in Resources for `address` (`data.<type>.<name>` for a data source)."""
    is_data = address.startswith("data.")
    type_, name = address.removeprefix("data.").split(".")
    provider, short_type = type_.split("_", 1)
    pages, kind = ("data-sources", "data source") if is_data else ("resources", "resource")
    url = f"https://registry.terraform.io/providers/hashicorp/{provider}/latest/docs/{pages}/{short_type}"
    return f"| [{type_}.{name}]({url}) | {kind} |\n"


_ROW = re.compile(r"^\| (.*) \|$")


def _table(readme: str, heading: str) -> list[list[str]]:
    section = readme.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    rows = [_ROW.match(line) for line in section.splitlines()]
    cells = [re.split(r" \| ", row.group(1)) for row in rows if row]
    return [row for row in cells if row[0] != "Name"]


def _unescape(text: str) -> str:
    return re.sub(r"\\([_|*\[\]])", r"\1", text)


def _anchor_name(cell: str) -> str:
    return re.match(r'<a name="\w+?_(.+?)"></a>', cell).group(1)


def of_readme(readme: str) -> dict:
    """The interface a terraform-docs README documents (only what it can show)."""
    variables = {}
    for name_cell, description, type_cell, default, required in _table(readme, "Inputs"):
        variable = {"type": type_cell.strip("`"), "description": _unescape(description)}
        if required == "no":
            variable["default"] = json.loads(default.strip("`"))
        variables[_anchor_name(name_cell)] = variable
    resources, data = [], []
    for link, kind in _table(readme, "Resources"):
        address = re.match(r"\[(.+?)\]", link).group(1)
        (resources if kind == "resource" else data).append(address)
    return {
        "variables": variables,
        "outputs": {_anchor_name(name): {"description": _unescape(description)}
                    for name, description in _table(readme, "Outputs")},
        "resources": sorted(resources),
        "data": sorted(data),
        "modules": {_anchor_name(name): source for name, source, _ in _table(readme, "Modules")},
    }
