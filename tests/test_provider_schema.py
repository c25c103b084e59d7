"""The modules and examples checked against hashicorp/aws schemas read from provider bindings
(tests/harness/provider_schema.py, tests/harness/schema_check.py), where `terraform validate`
cannot run (no aws 6 provider binary can be had), and the evidence that the check can be trusted:
on aws 5.100, where the binary is at hand, the model is the binary's own schema but for a short,
explained list, and the check and `terraform validate` judge the same mutations alike. Each module
and example is also held to the aws constraint it declares: an upper bound below 6, and a lower
bound whose schema its configuration fits."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from packaging.version import Version

from harness.provider_schema import (
    AWS_5_100,
    AWS_6_0,
    AWS_6_69,
    BINDINGS,
    Binding,
    SchemaSourceUnavailable,
    download_wheel,
    schema_differences,
    schema_from_terraform,
)
from harness.schema_check import check_module, load_document, module_documents, module_files
from project import AWS5_EXAMPLES, AWS6_EXAMPLES, EXAMPLES, REPO_ROOT, SHARED_EXAMPLES, TERRAFORM_LEFTOVERS

# The trees of both lines in this repository (the package's may be an installed copy): every
# module, and the examples that deploy them.
TERRAFORM = REPO_ROOT / "terraform"
TERRAFORM_AWS6 = REPO_ROOT / "terraform-aws6"


def tree_directories(tree: Path, examples: tuple[str, ...]) -> list[str]:
    """Every module of `tree` and the `examples`, relative to the repository."""
    modules = [tree, *sorted(p for p in (tree / "modules").iterdir() if p.is_dir())]
    return [str(p.relative_to(REPO_ROOT)) for p in [*modules, *(EXAMPLES / name for name in examples)]]


def module_directories() -> list[str]:
    """The aws 5 line: every module of terraform/ and the examples on it."""
    return tree_directories(TERRAFORM, AWS5_EXAMPLES)


def findings(directories: list[str], schema) -> list[str]:
    return [str(f) for d in directories for f in check_module(REPO_ROOT / d, schema, relative_to=REPO_ROOT)]


def tree_findings(schema) -> list[str]:
    return findings(module_directories(), schema)


# --- The tree against each schema ------------------------------------------------------


def test_the_modules_and_examples_match_the_aws_5_100_schema(provider_schema):
    assert tree_findings(provider_schema(AWS_5_100)) == []


# aws 6.0 renamed aws_batch_compute_environment's compute_environment_name_prefix to name_prefix
# (and compute_environment_name to name); nothing else the 5.x tree configures is gone in 6.x.
AWS_6_FINDINGS = [
    f"terraform/modules/{module}/main.tf.json: aws_batch_compute_environment.{name}: "
    'unknown argument or block "compute_environment_name_prefix"'
    for module, name in (("computation", "this"), ("job-queues", "ec2"), ("job-queues", "fargate"))
]


@pytest.mark.parametrize("binding", [AWS_6_0, AWS_6_69], ids=lambda b: f"aws-{b.aws_version}")
def test_the_5x_tree_fails_on_aws_6_at_the_renamed_batch_argument(provider_schema, binding):
    schema = provider_schema(binding)
    assert tree_findings(schema) == AWS_6_FINDINGS
    # Renamed, not dropped: the argument the 6.x tree must use instead.
    assert "name_prefix" in schema.resource["aws_batch_compute_environment"].arguments


# --- The aws 6 tree ----------------------------------------------------------------------------
# What `terraform validate` would say of it, short of a provider binary: on the oldest 6.x its
# constraint allows, and on the newest binding pinned.

AWS6_DIRECTORIES = tree_directories(TERRAFORM_AWS6, AWS6_EXAMPLES)


@pytest.mark.parametrize("binding", [AWS_6_0, AWS_6_69], ids=lambda b: f"aws-{b.aws_version}")
def test_the_aws6_tree_and_its_examples_match_the_aws_6_schemas(provider_schema, binding):
    assert findings([*AWS6_DIRECTORIES, *SHARED_EXAMPLES], provider_schema(binding)) == []


def test_a_copy_of_the_aws6_tree_with_the_5x_argument_back_fails(provider_schema, tmp_path):
    copy = tmp_path / "terraform-aws6"
    shutil.copytree(TERRAFORM_AWS6, copy, ignore=shutil.ignore_patterns(*TERRAFORM_LEFTOVERS))
    computation = copy / "modules" / "computation"

    def rename_back(document: dict) -> None:
        block = resource(document, "aws_batch_compute_environment", "this")
        block["compute_environment_name_prefix"] = block.pop("name_prefix")

    edit_json(computation / "main.tf.json", rename_back)
    found = [str(f) for f in check_module(computation, provider_schema(AWS_6_0), relative_to=tmp_path)]
    assert found == ["terraform-aws6/modules/computation/main.tf.json: aws_batch_compute_environment.this: "
                     'unknown argument or block "compute_environment_name_prefix"']


@pytest.mark.parametrize("directory", AWS6_DIRECTORIES)
def test_every_aws6_module_and_example_requires_aws_6_and_nothing_older(directory):
    lower, upper = bounds(declared_constraint(REPO_ROOT / directory))
    assert (lower, upper) == (AWS_6, None)


# --- Each module at its declared lower bound -------------------------------------------------
# Every module and example that configures aws declares a constraint with an upper bound below 6
# and a lower bound it really works with: its configuration (its own files and the local modules
# it calls, which Terraform runs with the same provider) fits the schema of exactly that version.
# The bound is read from the module, never restated here; a bound no binding is pinned for fails,
# naming it. Two bindings serve the tree's bounds (provider_schema.py): aws 4.67.0 and 5.40.0.

PINNED_BY_AWS_VERSION = {Version(binding.aws_version): binding for binding in BINDINGS}
# One clause of a Terraform version constraint: an operator (none means "=") and a version.
CONSTRAINT_CLAUSE = re.compile(r"^\s*(?P<operator>!=|>=|<=|~>|=|>|<)?\s*v?(?P<version>\d+(?:\.\d+){0,2}(?:-\S+)?)\s*$")
AWS_6 = Version("6.0.0")


def objects(value) -> list[dict]:
    """The objects a Terraform-JSON key holds (one or a list), or an HCL block (a list of them)."""
    if isinstance(value, dict):
        return [value]
    if isinstance(value, list):
        return [obj for item in value for obj in objects(item)]
    return []


def unwrapped(value):
    """An attribute's value; HCL's parser wraps every attribute value in a list."""
    while isinstance(value, list) and len(value) == 1:
        value = value[0]
    return value


def aws_constraints(directory: Path) -> list[str]:
    """The `version` of every `required_providers.aws` the module declares (its override files merged)."""
    found = []
    for document in module_documents(directory):
        for terraform in objects(document.get("terraform")):
            for providers in objects(terraform.get("required_providers")):
                for aws in objects(providers.get("aws")):
                    if "version" in aws:
                        found.append(unwrapped(aws["version"]))
    return found


def local_calls(directory: Path) -> list[Path]:
    """The directories of the local modules (`./`, `../` sources) the module calls."""
    calls = []
    for document in module_documents(directory):
        for by_name in objects(document.get("module")):
            for bodies in by_name.values():
                for body in objects(bodies):
                    source = unwrapped(body.get("source"))
                    if isinstance(source, str) and source.startswith(("./", "../")):
                        calls.append((directory / source).resolve())
    return calls


def configuration(directory: Path) -> list[Path]:
    """The module and every local module under it, transitively, each once."""
    found: list[Path] = []
    pending = [directory.resolve()]
    while pending:
        current = pending.pop(0)
        if current not in found:
            found.append(current)
            pending += local_calls(current)
    return found


def configures_aws(directory: Path) -> bool:
    """Whether the module declares aws or has an aws resource or data source, or calls one that does."""
    for module in configuration(directory):
        if aws_constraints(module):
            return True
        for document in module_documents(module):
            for kind in ("resource", "data"):
                if any(t.startswith("aws_") for by_type in objects(document.get(kind)) for t in by_type):
                    return True
    return False


def bounds(constraint: str) -> tuple[Version | None, tuple[Version, bool] | None]:
    """(the lower bound, (the upper bound, whether it is allowed)) of a Terraform version
    constraint. The lower bound is what `>=`, `~>` or `=` set (the highest of them; `>` sets none
    that a schema can be checked at); the upper, the tightest of `<`, `<=`, `~>` and `=`."""
    lower: Version | None = None
    uppers: list[tuple[Version, bool]] = []
    for clause in constraint.split(","):
        match = CONSTRAINT_CLAUSE.match(clause)
        if match is None:
            raise ValueError(f"{clause.strip()!r} is not a clause of a Terraform version constraint ({constraint!r})")
        operator, version = match["operator"] or "=", Version(match["version"])
        if operator in (">=", "~>", "="):
            lower = version if lower is None else max(lower, version)
        if operator in ("<", "<=", "="):
            uppers.append((version, operator != "<"))
        if operator == "~>":  # the rightmost given part may grow: ~> 5.40 is < 6, ~> 5.40.0 is < 5.41
            parts = [int(p) for p in match["version"].split("-")[0].split(".")]
            kept = parts[:-1] if len(parts) > 1 else parts
            uppers.append((Version(".".join(map(str, [*kept[:-1], kept[-1] + 1]))), False))
    # The tightest: the lowest, and of two alike the one that excludes it.
    return lower, min(uppers, default=None)


def effective_constraints(directory: Path) -> list[str]:
    """The aws constraints the module declares, or, where it declares none (metadata-service, whose
    terraform block is upstream's), those of the local modules it calls: Terraform holds a
    configuration to every module's."""
    own = aws_constraints(directory)
    if own:
        return own
    return [c for called in configuration(directory)[1:] for c in aws_constraints(called)]


def declared_constraint(directory: Path) -> str:
    constraints = effective_constraints(directory)
    where = directory.relative_to(REPO_ROOT)
    if len(constraints) != 1:
        pytest.fail(f"{where}: declares {len(constraints)} aws version constraints {constraints}, "
                    "not one (terraform.required_providers.aws.version, its own or that of the one module "
                    "it calls)", pytrace=False)
    return constraints[0]


def declared_lower_bound(directory: Path) -> Version:
    constraint = declared_constraint(directory)
    lower, _ = bounds(constraint)
    if lower is None:
        pytest.fail(f"{directory.relative_to(REPO_ROOT)}: aws {constraint!r} has no lower bound (>=)", pytrace=False)
    return lower


AWS_DIRECTORIES = [d for d in module_directories() if configures_aws(REPO_ROOT / d)]


@pytest.mark.parametrize(
    ("constraint", "lower", "upper"),
    [
        (">= 5.40.0, < 6.0.0", "5.40.0", ("6.0.0", False)),
        (">= 4.9.0, <= 5.99.0", "4.9.0", ("5.99.0", True)),
        ("~> 5.40", "5.40", ("6", False)),
        ("~> 5.40.0", "5.40.0", ("5.41", False)),
        (">= 4.0.0, ~> 5.0, < 5.50", "5.0", ("5.50", False)),
        ("5.40.0", "5.40.0", ("5.40.0", True)),
        ("> 5.0.0, < 6", None, ("6", False)),
        (">= 3.38.0, != 4.8.0, != 4.0.0", "3.38.0", None),
    ],
)
def test_a_constraints_bounds_are_read_as_terraform_reads_them(constraint, lower, upper):
    expected_upper = (Version(upper[0]), upper[1]) if upper else None
    assert bounds(constraint) == (Version(lower) if lower else None, expected_upper)


def test_a_malformed_constraint_is_an_error_naming_it():
    with pytest.raises(ValueError, match=r"'=> 5\.40' is not a clause"):
        bounds(">= 4.67.0, => 5.40")


MODULE_WITH_AN_OVERRIDE = {
    "main.tf": 'module "m" {\n  source = "./a"\n  x      = 1\n}\n',
    "versions.tf": ('terraform {\n  required_providers {\n'
                    '    aws    = { source = "hashicorp/aws", version = "< 6.0.0" }\n'
                    '    random = { source = "hashicorp/random", version = ">= 2.1" }\n  }\n}\n'),
    "line_override.tf": ('module "m" {\n  source = "./b"\n}\n'
                         'terraform {\n  required_providers {\n'
                         '    aws = { source = "hashicorp/aws", version = ">= 6.0.0" }\n  }\n}\n'),
}


def write_module(directory: Path, files: dict[str, str]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (directory / name).write_text(text)
    return directory


def test_an_override_file_is_merged_over_the_module_as_terraform_merges_it(tmp_path):
    module = write_module(tmp_path / "module", MODULE_WITH_AN_OVERRIDE)
    assert aws_constraints(module) == [">= 6.0.0"]
    assert local_calls(module) == [module / "b"]
    documents = module_documents(module)
    (main,) = [d for d in documents if "module" in d]
    assert unwrapped(objects(main["module"])[0]["m"]["x"]) == 1  # what the override leaves out stays
    providers = [p for d in documents for t in objects(d.get("terraform")) for p in objects(t["required_providers"])]
    assert unwrapped(providers[0]["random"])["version"] == ">= 2.1"


@pytest.mark.parametrize(("override", "message"), [
    ('module "other" {\n  source = "./b"\n}\n', "overrides module 'other', which no primary file"),
    ('terraform {\n  required_version = ">= 1.5"\n}\n', "terraform.required_version is not supported"),
    ('output "x" {\n  value = 1\n}\n', "overriding output blocks is not supported"),
])
def test_an_override_file_the_check_cannot_merge_is_an_error_naming_it(tmp_path, override, message):
    module = write_module(tmp_path / "module", {**MODULE_WITH_AN_OVERRIDE, "line_override.tf": override})
    with pytest.raises(ValueError, match=message):
        module_documents(module)


@pytest.mark.parametrize("directory", AWS_DIRECTORIES)
def test_a_module_declares_an_aws_constraint_below_6_and_not_below_the_modules_it_calls(directory):
    module = REPO_ROOT / directory
    constraint = declared_constraint(module)
    lower, upper = bounds(constraint)
    problems = []
    if lower is None:
        problems.append("no lower bound (>=)")
    below_6 = upper is not None and (upper[0] < AWS_6 or upper == (AWS_6, False))
    if directory in SHARED_EXAMPLES:  # both lines' examples call it
        if upper is not None:
            problems.append("an upper bound, though the examples of both lines call it")
    elif not below_6:
        problems.append("no upper bound below 6 (< 6.0.0)")
    for called in local_calls(module):
        if aws_constraints(called) and lower is not None and lower < declared_lower_bound(called):
            problems.append(f"lower bound below {called.relative_to(REPO_ROOT)}'s ({declared_constraint(called)!r})")
    assert not problems, f"aws {constraint!r}: " + "; ".join(problems)


@pytest.mark.parametrize("directory", AWS_DIRECTORIES)
def test_a_module_and_the_modules_it_calls_fit_the_schema_of_its_declared_lower_bound(provider_schema, directory):
    module = REPO_ROOT / directory
    lower = declared_lower_bound(module)
    binding = PINNED_BY_AWS_VERSION.get(lower)
    if binding is None:
        pinned = ", ".join(str(v) for v in sorted(PINNED_BY_AWS_VERSION))
        pytest.fail(
            f"{directory}: declares aws {declared_constraint(module)!r}; no binding is pinned for hashicorp/aws "
            f"{lower} (pinned: {pinned}). Declare a pinned version, or pin a binding of {lower} in "
            "tests/harness/provider_schema.py.",
            pytrace=False,
        )
    schema = provider_schema(binding)
    findings = [str(f) for d in configuration(module) for f in check_module(d, schema, relative_to=REPO_ROOT)]
    assert not findings, f"{directory} at its lower bound, hashicorp/aws {lower}:\n" + "\n".join(findings)


# --- Getting the wheels -----------------------------------------------------------------
# pip is pointed at a local directory or a closed port, and reads no configuration file (which
# could add indexes), so these touch no registry.


@pytest.fixture
def pip_without_config(monkeypatch):
    monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)


def a_wheel(directory: Path, name: str, version: str) -> Path:
    """A minimal valid wheel, as pip would find it on an index."""
    wheel = directory / f"{name}-{version}-py3-none-any.whl"
    info = f"{name}-{version}.dist-info"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr(f"{info}/METADATA", f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
        archive.writestr(
            f"{info}/WHEEL", "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
        )
        archive.writestr(f"{info}/RECORD", "")
    return wheel


@pytest.fixture
def local_index(pip_without_config, tmp_path, monkeypatch) -> Path:
    """A directory pip downloads from instead of PyPI."""
    index = tmp_path / "index"
    index.mkdir()
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    monkeypatch.setenv("PIP_FIND_LINKS", str(index))
    return index


def test_a_wheel_is_downloaded_once_and_its_hash_checked(local_index, tmp_path):
    wheel = a_wheel(local_index, "schema_probe", "1.0")
    binding = Binding("schema-probe", "1.0", "0.0.0", hashlib.sha256(wheel.read_bytes()).hexdigest())
    first = download_wheel(binding, tmp_path / "cache")
    wheel.unlink()  # a second download would now fail: the cached wheel must be used
    assert download_wheel(binding, tmp_path / "cache") == first
    assert first.read_bytes() and first.parent == tmp_path / "cache" / "provider-schema" / "wheels"


def test_a_wheel_whose_hash_differs_from_its_pin_fails_naming_it(local_index, tmp_path):
    a_wheel(local_index, "schema_probe", "1.0")
    binding = Binding("schema-probe", "1.0", "0.0.0", "0" * 64)
    mismatch = r"schema-probe==1\.0 .*has sha256 [0-9a-f]{64}, not the pinned 0{64}"
    with pytest.raises(SchemaSourceUnavailable, match=mismatch):
        download_wheel(binding, tmp_path / "cache")
    assert not list((tmp_path / "cache").rglob("*.whl"))


def test_an_unreachable_index_fails_naming_the_package(pip_without_config, tmp_path, monkeypatch):
    monkeypatch.setenv("PIP_INDEX_URL", "http://127.0.0.1:9/simple")  # the discard port: nothing listens
    monkeypatch.setenv("PIP_RETRIES", "0")
    monkeypatch.setenv("PIP_TIMEOUT", "2")
    with pytest.raises(SchemaSourceUnavailable, match=r"could not download cdktf-cdktf-provider-aws==21\.0\.0"):
        download_wheel(AWS_6_0, tmp_path / "cache")


# --- The 5.100 model against the 5.100 provider binary -------------------------------------

# Where the 5.100 binding's model says otherwise than `terraform providers schema -json`, and why.
KNOWN_5_100_DIFFERENCES = [
    # Structures too deep for the binding's generator, typed as opaque values: the check accepts
    # anything under them.
    "resource aws_quicksight_analysis: definition: block in Terraform, argument in the binding",
    "resource aws_quicksight_dashboard: definition: block in Terraform, argument in the binding",
    "resource aws_quicksight_template: definition: block in Terraform, argument in the binding",
    # Required by the provider's own validation, which `terraform validate` runs ("Block definition
    # must have a configuration value as the provider has marked it as required") though the schema
    # JSON cannot say it: the binding is right.
    "resource aws_resiliencehub_resiliency_policy: policy.az: optional in Terraform, required in the binding",
    "resource aws_resiliencehub_resiliency_policy: policy.hardware: optional in Terraform, required in the binding",
    "resource aws_resiliencehub_resiliency_policy: policy.software: optional in Terraform, required in the binding",
    "resource aws_verifiedpermissions_schema: definition: optional in Terraform, required in the binding",
    "resource aws_wafv2_rule_group: rule.statement: block in Terraform, argument in the binding",
    "resource aws_wafv2_web_acl: rule.statement: block in Terraform, argument in the binding",
    # Blocks holding nothing a configuration can set (every attribute computed), left out by the
    # binding: the check would reject writing them, uselessly, in a configuration.
    "data aws_lb_listener_rule: action.authenticate_cognito: block in Terraform, absent in the binding",
    "data aws_lb_listener_rule: action.authenticate_oidc: block in Terraform, absent in the binding",
    "data aws_lb_listener_rule: action.fixed_response: block in Terraform, absent in the binding",
    "data aws_lb_listener_rule: action.forward.stickiness: block in Terraform, absent in the binding",
    "data aws_lb_listener_rule: action.redirect: block in Terraform, absent in the binding",
    "data aws_lb_listener_rule: condition.host_header: block in Terraform, absent in the binding",
    "data aws_lb_listener_rule: condition.http_header: block in Terraform, absent in the binding",
    "data aws_lb_listener_rule: condition.http_request_method: block in Terraform, absent in the binding",
    "data aws_lb_listener_rule: condition.path_pattern: block in Terraform, absent in the binding",
    "data aws_lb_listener_rule: condition.source_ip: block in Terraform, absent in the binding",
    "data aws_opensearchserverless_security_config: saml_options: block in Terraform, absent in the binding",
]


def test_the_5_100_model_is_the_provider_binarys_schema_but_for_known_differences(
    provider_schema, terraform, tmp_path
):
    (tmp_path / "main.tf.json").write_text(json.dumps({
        "terraform": {"required_providers": {"aws": {"source": "hashicorp/aws", "version": AWS_5_100.aws_version}}}
    }))
    terraform.init(tmp_path, "-backend=false")
    reported = json.loads(terraform.run(tmp_path, "providers", "schema", "-json").stdout)
    binary = schema_from_terraform(reported, AWS_5_100.aws_version)
    assert schema_differences(provider_schema(AWS_5_100), binary) == KNOWN_5_100_DIFFERENCES


# --- The check against `terraform validate`, on aws 5.100 ------------------------------------


def edit_json(path: Path, edit: Callable[[dict], None]) -> None:
    document = json.loads(path.read_text())
    edit(document)
    path.write_text(json.dumps(document, indent=2))


def resource(document: dict, type_name: str, name: str) -> dict:
    return document["resource"][type_name][name]


def rename_an_argument(module: Path) -> None:
    # aws 6's name of the argument, unknown to 5.100
    def edit(document):
        body = resource(document, "aws_batch_compute_environment", "this")
        body["name_prefix"] = body.pop("compute_environment_name_prefix")

    edit_json(module / "main.tf.json", edit)


def remove_a_required_argument(module: Path) -> None:
    edit_json(module / "main.tf.json", lambda d: resource(d, "aws_batch_compute_environment", "this").pop("type"))


def remove_a_required_nested_argument(module: Path) -> None:
    def edit(document):
        resource(document, "aws_batch_compute_environment", "this")["compute_resources"].pop("max_vcpus")

    edit_json(module / "main.tf.json", edit)


def misspell_a_nested_block(module: Path) -> None:
    def edit(document):
        body = resource(document, "aws_launch_template", "cpu")
        body["block_device_mapping"] = body.pop("block_device_mappings")

    edit_json(module / "main.tf.json", edit)


def add_an_unknown_resource_type(module: Path) -> None:
    # A new block rather than a renamed one: nothing refers to it, so nothing else breaks.
    def edit(document):
        body = resource(document, "aws_batch_compute_environment", "this")
        document["resource"]["aws_batch_compute_enviroment"] = {"extra": {"type": body["type"]}}

    edit_json(module / "main.tf.json", edit)


def remove_a_required_block(module: Path) -> None:
    edit_json(module / "main.tf.json", lambda d: resource(d, "aws_lb_listener", "this").pop("default_action"))


def leave_a_required_block_only_dynamic(module: Path) -> None:
    # The UI's HTTPS listener has a static default_action and a dynamic one (Cognito).
    edit_json(module / "main.tf.json", lambda d: resource(d, "aws_lb_listener", "this").pop("default_action"))


def misspell_an_argument_in_dynamic_content(module: Path) -> None:
    def edit(document):
        content = document["data"]["aws_iam_policy_document"]["permissions"]["dynamic"]["statement"]["content"]
        content["action"] = content.pop("actions")

    edit_json(module / "main.tf.json", edit)


def misspell_an_object_attribute(module: Path) -> None:
    def edit(document):
        rule = resource(document, "aws_security_group", "this")["ingress"][0]
        rule["descripton"] = rule.pop("description")

    edit_json(module / "main.tf.json", edit)


def add_an_unknown_object_attribute(module: Path) -> None:
    def edit(document):
        resource(document, "aws_security_group", "this")["ingress"][0]["bogus"] = 1

    edit_json(module / "main.tf.json", edit)


def misspell_an_argument_in_hcl(module: Path) -> None:
    main = module / "main.tf"
    text = main.read_text()
    assert text.count("map_public_ip_on_launch") == 1
    main.write_text(text.replace("map_public_ip_on_launch", "map_public_ip_on_lunch"))


@dataclass(frozen=True)
class Mutation:
    label: str
    source: str  # the directory copied, relative to the repository
    mutate: Callable[[Path], None]  # edits the copy in place
    findings: tuple[str, ...]  # the schema check's, exactly ("<address>[.<path>]: <problem>")
    # A phrase of `terraform validate`'s errors in the copy; None: Terraform reports no error there.
    validate_says: str | None


COMPUTATION = "terraform/modules/computation"
MUTATIONS = [
    Mutation("renamed-argument", COMPUTATION, rename_an_argument,
             ('aws_batch_compute_environment.this: unknown argument or block "name_prefix"',),
             'No argument or block type is named "name_prefix"'),
    Mutation("missing-argument", COMPUTATION, remove_a_required_argument,
             ('aws_batch_compute_environment.this: missing required argument "type"',),
             'The argument "type" is required'),
    Mutation("missing-nested-argument", COMPUTATION, remove_a_required_nested_argument,
             ('aws_batch_compute_environment.this.compute_resources[0]: missing required argument "max_vcpus"',),
             'The argument "max_vcpus" is required'),
    Mutation("misspelt-block", COMPUTATION, misspell_a_nested_block,
             ('aws_launch_template.cpu: unknown argument or block "block_device_mapping"',),
             'No argument or block type is named "block_device_mapping"'),
    Mutation("unknown-type", COMPUTATION, add_an_unknown_resource_type,
             ("aws_batch_compute_enviroment.extra: resource type aws_batch_compute_enviroment does not exist in "
              "hashicorp/aws 5.100.0",),
             'does not support resource type "aws_batch_compute_enviroment"'),
    Mutation("missing-block", "terraform/modules/metadata-service", remove_a_required_block,
             ('aws_lb_listener.this: missing required block "default_action"',),
             "At least 1 \"default_action\" blocks are required"),
    Mutation("misspelt-in-dynamic-content", "terraform/modules/user-role", misspell_an_argument_in_dynamic_content,
             ('data.aws_iam_policy_document.permissions.dynamic.statement.content: '
              'unknown argument or block "action"',),
             'No argument or block type is named "action"'),
    Mutation("misspelt-object-attribute", COMPUTATION, misspell_an_object_attribute,
             ('aws_security_group.this.ingress[0]: unknown argument or block "descripton"',),
             'attribute "description" is required'),
    Mutation("misspelt-in-hcl", "examples/network", misspell_an_argument_in_hcl,
             ('aws_subnet.public: unknown argument or block "map_public_ip_on_lunch"',),
             'An argument named "map_public_ip_on_lunch" is not expected here'),
    # Exactly as Terraform: a required block given only as `dynamic` is not missing.
    Mutation("required-block-only-dynamic", "terraform/modules/ui", leave_a_required_block_only_dynamic,
             (), None),
    # Stricter than Terraform, which drops an object's unknown attribute silently (a setting lost
    # without a word is what a rename in a new provider version would do).
    Mutation("unknown-object-attribute", COMPUTATION, add_an_unknown_object_attribute,
             ('aws_security_group.this.ingress[0]: unknown argument or block "bogus"',), None),
]


def mutant_directory(mutation: Mutation) -> str:
    # Beside the original, so its relative module sources (../common, ../../terraform) still resolve.
    source = Path(mutation.source)
    return str(source.parent / f"mutant-{mutation.label}")


def required_variables(directory: Path) -> list[str]:
    names = []
    for path in module_files(directory):
        variables = load_document(path).get("variable", {})
        for by_name in variables if isinstance(variables, list) else [variables]:
            names += [name for name, body in by_name.items() if "default" not in body]
    return sorted(names)


def calling_root(workspace: Path, directories: list[str]) -> Path:
    """A root that calls every directory as a module, each required variable set to an unknown
    value, so one `terraform validate` validates them all."""
    root = workspace / "root"
    root.mkdir()
    calls = {
        directory.replace("/", "_"): {
            "source": f"../{directory}",
            **{name: "${var.unknown}" for name in required_variables(workspace / directory)},
        }
        for directory in directories
    }
    root.joinpath("main.tf.json").write_text(json.dumps({
        "terraform": {"required_providers": {"aws": {"source": "hashicorp/aws"}}},
        "variable": {"unknown": {}},
        "module": calls,
    }, indent=2))
    return root


def errors_by_directory(root: Path, result: dict, directories: list[str]) -> dict[str, list[dict]]:
    """validate's errors, grouped by the called directory whose file they are in."""
    grouped: dict[str, list[dict]] = {directory: [] for directory in directories}
    for diagnostic in result.get("diagnostics", []):
        if diagnostic["severity"] != "error":
            continue
        filename = diagnostic.get("range", {}).get("filename")
        directory = str((root / filename).resolve().parent.relative_to(root.parent.resolve())) if filename else None
        if directory not in grouped:
            raise AssertionError(f"an error outside the modules under test: {json.dumps(diagnostic, indent=2)}")
        grouped[directory].append(diagnostic)
    return grouped


@pytest.fixture(scope="module")
def verdicts(terraform, provider_schema, tmp_path_factory) -> dict[str, tuple[list[str], list[dict]]]:
    """{directory: (the schema check's findings, validate's errors)} for every module and example
    and every mutant, from one `terraform validate` of a root that calls them all."""
    workspace = tmp_path_factory.mktemp("schema-agreement")
    ignore = shutil.ignore_patterns(*TERRAFORM_LEFTOVERS)
    for tree in (TERRAFORM, EXAMPLES):
        shutil.copytree(tree, workspace / tree.relative_to(REPO_ROOT), ignore=ignore)
    for mutation in MUTATIONS:
        mutant = workspace / mutant_directory(mutation)
        shutil.copytree(workspace / mutation.source, mutant)
        mutation.mutate(mutant)
    directories = module_directories() + [mutant_directory(m) for m in MUTATIONS]
    root = calling_root(workspace, directories)
    errors = errors_by_directory(root, terraform.validate(root), directories)
    schema = provider_schema(AWS_5_100)
    return {
        directory: ([f.in_file() for f in check_module(workspace / directory, schema)], errors[directory])
        for directory in directories
    }


def describe(errors: list[dict]) -> str:
    return "\n".join(f"{e['summary']}: {e.get('detail', '')}" for e in errors) or "no errors"


@pytest.mark.parametrize("directory", module_directories())
def test_the_check_and_terraform_validate_both_accept_the_unmodified_tree(verdicts, directory):
    findings, errors = verdicts[directory]
    assert (findings, describe(errors)) == ([], "no errors")


@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda m: m.label)
def test_the_check_and_terraform_validate_judge_a_mutation_alike(verdicts, mutation):
    findings, errors = verdicts[mutant_directory(mutation)]
    assert tuple(findings) == mutation.findings
    if mutation.validate_says is None:
        assert errors == [], describe(errors)
    else:
        # One error, about the same thing.
        assert len(errors) == 1 and mutation.validate_says in describe(errors), describe(errors)
