"""The usage block of a module's README, as terraform-aws-modules write theirs: a `module` call with
every required input, rendered with the templates/usage.md.j2 layout.

The call's `source` is this repository's git URL at a release, with the module's directory in it
(`//terraform/modules/datastore`, `//terraform-aws6` for the aws 6 root module): the README names
the module it documents. Each input's example value comes, in this order, from

1. EXAMPLES_BY_NAME, for the required inputs no rule illustrates (or, like the two subnets, whose
   examples must differ), whichever module declares them;
2. the example its `validation` error message gives ('... such as "10.0.0.0/16".', '... must look
   like "vpc-0123456789abcdef0".'): a value the rule accepts, stated once, in the rule;
3. EXAMPLES_BY_TYPE, any value of the input's type.

tests/test_docs_usage.py checks every example against the rules of every variable of that name, runs
`terraform fmt -check` on the blocks and `terraform validate` on those of the aws 5 tree.

Only the module's JSON is read, so the block, like the tables, costs milliseconds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from metaflow_cdktf.docs.errors import DocsError
from metaflow_cdktf.docs.hcl import aligned_attributes, hcl_value
from metaflow_cdktf.docs.markdown_table import templates
from metaflow_cdktf.docs.model import Input, read_module
from metaflow_cdktf.lines import LINES
from metaflow_cdktf.paths import ROOT_MODULE, module_dir

TEMPLATE = "usage.md.j2"
REPOSITORY = "git::https://github.com/<org>/metaflow-cdktf.git"
# The release the README's sources pin; the package's version (pyproject.toml), which a test checks.
RELEASE_REF = "v0.2.0"
# The trees whose modules get a source: this repository's, one per provider line.
TREE_ROOTS: tuple[Path, ...] = tuple(line.root for line in LINES)

_KMS_KEY_ARN = "arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
_JOB_QUEUE_ARN = "arn:aws:batch:us-west-2:123456789012:job-queue/metaflow"
# Required inputs no rule's message illustrates (or which one module checks and another does not, or
# whose examples must differ, as two subnets' do), by name, whichever module declares them.
EXAMPLES_BY_NAME: Mapping[str, Any] = {
    "resource_prefix": "metaflow-",
    "resource_suffix": "-prod",
    "database_username": "metaflow",
    "database_password": "change-me",
    "datastore_s3_bucket_kms_key_arn": _KMS_KEY_ARN,
    "s3_bucket_kms_arn": _KMS_KEY_ARN,
    "s3_bucket_arn": "arn:aws:s3:::my-bucket",
    "subnet_id": "subnet-0123456789abcdef0",
    "subnet1_id": "subnet-0123456789abcdef0",
    "subnet2_id": "subnet-0fedcba9876543210",
    "batch_compute_environment_security_group_id": "sg-0123456789abcdef0",
    "batch_job_queue_arn": _JOB_QUEUE_ARN,
    "METAFLOW_BATCH_JOB_QUEUE": _JOB_QUEUE_ARN,
    "METAFLOW_DATASTORE_SYSROOT_S3": "s3://my-bucket/metaflow",
    "METAFLOW_DATATOOLS_S3ROOT": "s3://my-bucket/data",
    "METAFLOW_ECS_S3_ACCESS_IAM_ROLE": "arn:aws:iam::123456789012:role/metaflow-batch",
    "METAFLOW_SERVICE_INTERNAL_URL": "http://metaflow-nlb-0123456789abcdef.elb.us-west-2.amazonaws.com/",
    "compute_environment_instance_types": ["c5.large", "c5.xlarge"],
    "compute_environment_min_vcpus": 8,
    "compute_environment_desired_vcpus": 8,
    "compute_environment_max_vcpus": 64,
    "trusted_principal_arns": ["arn:aws:iam::123456789012:root"],
    "queues": {"gpu": {"type": "EC2", "gpu": True, "instance_types": ["g5.xlarge"], "max_vcpus": 16}},
}
# Any other required input: a value of its type (the kind of a type expression: `list(string)` is a list).
EXAMPLES_BY_TYPE: Mapping[str, Any] = {
    "string": "...", "any": "...", "number": 0, "bool": False,
    "list": [], "set": [], "tuple": [], "map": {}, "object": {},
}
_RULE_EXAMPLE = re.compile(r'(?:such as|look like) "([^"]*)"')
_TYPE_KIND = re.compile(r"\s*([a-z]+)")


@dataclass(frozen=True)
class ModuleAddress:
    """Where a module is in this repository: its module block's label and its directory."""

    name: str
    path: str  # "terraform/modules/datastore", "terraform-aws6"

    @property
    def source(self) -> str:
        return f"{REPOSITORY}//{self.path}?ref={RELEASE_REF}"


def module_address(directory: Path) -> ModuleAddress | None:
    """The address of the module in `directory` when it is one of this repository's trees (laid
    out as paths.module_dir lays them out), else None: a module elsewhere has no source to show."""
    directory = Path(directory).resolve()
    for root in TREE_ROOTS:
        name = ROOT_MODULE if directory == root else directory.name
        if module_dir(name, root) == directory:
            return ModuleAddress(name, directory.relative_to(root.parent).as_posix())
    return None


def render_usage(module: Mapping[str, Any], address: ModuleAddress) -> str:
    """The exact text between the usage markers: like render_tf_docs' it starts and ends with "\\n"."""
    required = [item for item in read_module(module).inputs if not item.has_default]
    arguments = aligned_attributes((item.name, hcl_value(example_value(item))) for item in required)
    return "\n" + templates().get_template(TEMPLATE).render(
        name=address.name, source=hcl_value(address.source), arguments=arguments)


def example_value(item: Input) -> Any:
    """A value for a required input: the one named for it, its rule's example, or one of its type."""
    if item.name in EXAMPLES_BY_NAME:
        return EXAMPLES_BY_NAME[item.name]
    kind = _type_kind(item.type)
    for message in item.validation_messages:
        match = _RULE_EXAMPLE.search(message)
        if match:
            # a rule on a list (each element ...) shows one element
            return [match.group(1)] if kind in ("list", "set") else match.group(1)
    try:
        return EXAMPLES_BY_TYPE[kind]
    except KeyError:
        raise DocsError(f"variable.{item.name}: no example value for its type {item.type!r}") from None


def _type_kind(type_expression: str) -> str:
    match = _TYPE_KIND.match(type_expression)
    return match.group(1) if match else "any"
