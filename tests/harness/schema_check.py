"""Check Terraform configuration against a provider schema model (`provider_schema.py`), the
part of `terraform validate` that needs only the schema, not the provider binary.

For every `resource` and `data` block of the provider's types (those whose type starts with
`<provider>_`, Terraform's default provider for a type; a `provider` meta-argument naming
`<provider>.<alias>` is the same provider) it reports:

- a type the provider does not have;
- an argument or block name the body's schema does not have, at any depth: nested blocks given
  as an object or a list of objects, `dynamic "<name>"` blocks (their `content` is the block
  `<name>`), and the objects of object-typed arguments (e.g. `aws_security_group.ingress`);
- a required argument or block that is missing: at any depth, in `dynamic` content too
  (`terraform validate` checks content as it checks a block).

Exceptions and limits, each with its reason:
- meta-arguments are not the provider's: count, for_each, depends_on, lifecycle, provider,
  connection and provisioner on resources, the first five on data sources;
- `//` is a comment in Terraform JSON, at any depth;
- a required block given only as `dynamic` counts as present: how many blocks it makes is known
  at plan time only, and `terraform validate` does not report it either;
- a value that is an expression (a string) where blocks or objects would be is not looked into:
  what it holds is known at plan time only;
- inside the objects of an object-typed argument, only names are checked, and a required
  attribute only where the binding marks it required. The bindings mark every attribute of a
  plain object type optional, though Terraform requires them all (`terraform validate` reports
  "attribute ... is required"); Terraform, for its part, drops an unknown attribute of such an
  object silently, which this check reports;
- references in expressions (`data.aws_region.current.name`) are not checked: only what a
  configuration sets is.

Documents are Terraform JSON (`*.tf.json`) or HCL (`*.tf`), the latter read with the HCL parser
checkov brings (bc-python-hcl2), whose output keeps Terraform JSON's shape where it matters here:
blocks are lists of objects and every attribute value is wrapped in a list (which only an
object-typed argument's check has to look through).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from harness.provider_schema import Block, ProviderSchema

META_ARGUMENTS = {
    "resource": frozenset({"count", "for_each", "depends_on", "lifecycle", "provider", "connection", "provisioner"}),
    "data": frozenset({"count", "for_each", "depends_on", "lifecycle", "provider"}),
}
COMMENT = "//"
DYNAMIC = "dynamic"
# bc-python-hcl2 adds these to every top-level block's body.
HCL_LINE_KEYS = frozenset({"__start_line__", "__end_line__"})
# Files Terraform reads as configuration, and directories it writes (never configuration).
CONFIGURATION_SUFFIXES = (".tf.json", ".tf")
SKIPPED_DIRECTORIES = frozenset({".terraform"})


@dataclass(frozen=True, order=True)
class Finding:
    file: str  # the configuration file, as given (relative paths read best)
    address: str  # "aws_batch_compute_environment.cpu", "data.aws_region.current"
    path: str  # where in the body: "", "compute_resources", "dynamic.default_action.content"
    problem: str

    def __str__(self) -> str:
        return f"{self.file}: {self.in_file()}"

    def in_file(self) -> str:
        """The finding without its file: "<address>[.<path>]: <problem>"."""
        where = f"{self.address}.{self.path}" if self.path else self.address
        return f"{where}: {self.problem}"


# --- Reading configuration ------------------------------------------------------


def configuration_files(root: Path) -> list[Path]:
    """Every `*.tf.json` and `*.tf` file under `root`, sorted, skipping `.terraform/`."""
    return sorted(
        path
        for path in Path(root).rglob("*")
        if path.is_file()
        and path.name.endswith(CONFIGURATION_SUFFIXES)
        and not SKIPPED_DIRECTORIES.intersection(path.relative_to(root).parts)
    )


def module_files(directory: Path) -> list[Path]:
    """The configuration files of the module in `directory`: those directly in it, as Terraform reads a module."""
    return [path for path in configuration_files(directory) if path.parent == Path(directory)]


def is_override_file(path: Path) -> bool:
    """Whether Terraform reads `path` as an override file: `override.tf`, `<name>_override.tf`, or
    their `.tf.json`."""
    stem = path.name.removesuffix(".json").removesuffix(".tf")
    return stem == "override" or stem.endswith("_override")


def module_documents(directory: Path) -> list[dict]:
    """The module in `directory` as Terraform reads it: the documents of its primary files, with its
    override files merged over them in name order.

    What an override file may hold here is what the examples use: `module` blocks (each argument
    replaces that of the block of the same name) and `terraform` blocks' `required_providers` (each
    entry replaces that of the same provider). Anything else, or a block with nothing to
    override, is an error naming it, not a guess at Terraform's merge.
    """
    files = module_files(directory)
    documents = [load_document(path) for path in files if not is_override_file(path)]
    for path in files:
        if is_override_file(path):
            _merge_override(documents, load_document(path), path)
    return documents


def _merge_override(documents: list[dict], override: Mapping, path: Path) -> None:
    for kind, value in override.items():
        if kind == "module":
            for by_name in _objects(value):
                for name, body in by_name.items():
                    for module in _holders(documents, ("module",), name, path):
                        _objects(module[name])[0].update(body)
        elif kind == "terraform":
            for block in _objects(value):
                for setting, settings in block.items():
                    if setting != "required_providers":
                        raise ValueError(f"{path}: overriding terraform.{setting} is not supported here")
                    for entries in _objects(settings):
                        for provider, requirement in entries.items():
                            for providers in _holders(documents, ("terraform", "required_providers"), provider, path):
                                providers[provider] = requirement
        else:
            raise ValueError(f"{path}: overriding {kind} blocks is not supported here")


def _holders(documents: list[dict], keys: tuple[str, ...], name: str, path: Path) -> list[dict]:
    """The mappings under `keys` in the primary documents that hold `name` (a module's blocks by
    name, a `required_providers` block), to update in place. Terraform refuses an override with
    nothing to override, and so does this."""
    holders = [obj for document in documents for obj in _objects(document.get(keys[0]))]
    for key in keys[1:]:
        holders = [obj for holder in holders for obj in _objects(holder.get(key))]
    found = [holder for holder in holders if name in holder]
    if not found:
        raise ValueError(f"{path}: overrides {'.'.join(keys)} {name!r}, which no primary file of the module declares")
    return found


def load_document(path: Path) -> dict:
    """A configuration file as a Terraform-JSON-shaped document."""
    if path.name.endswith(".tf.json"):
        return json.loads(path.read_text())
    import hcl2  # bc-python-hcl2, a dependency of checkov (dev); only HCL files need it

    with open(path) as stream:
        return _without_line_keys(hcl2.load(stream))


def _without_line_keys(value):
    if isinstance(value, dict):
        return {k: _without_line_keys(v) for k, v in value.items() if k not in HCL_LINE_KEYS}
    if isinstance(value, list):
        return [_without_line_keys(v) for v in value]
    return value


# --- Checking ---------------------------------------------------------------------


def check_tree(
    root: Path, schema: ProviderSchema, provider: str = "aws", relative_to: Path | None = None
) -> list[Finding]:
    """The findings of every configuration file under `root`, files named relative to `relative_to`."""
    return _check_files(configuration_files(root), schema, provider, relative_to)


def check_module(
    directory: Path, schema: ProviderSchema, provider: str = "aws", relative_to: Path | None = None
) -> list[Finding]:
    """The findings of one module: the configuration files directly in `directory`, as Terraform reads it."""
    return _check_files(module_files(directory), schema, provider, relative_to)


def _check_files(files: list[Path], schema: ProviderSchema, provider: str, relative_to: Path | None) -> list[Finding]:
    findings: list[Finding] = []
    for path in files:
        name = str(path.relative_to(relative_to)) if relative_to else str(path)
        findings += check_document(load_document(path), schema, provider, name)
    return sorted(findings)


def check_document(document: Mapping, schema: ProviderSchema, provider: str = "aws", file: str = "") -> list[Finding]:
    """The findings of one document's `resource` and `data` blocks of `provider`."""
    findings: list[Finding] = []
    for kind in ("resource", "data"):
        for type_name, label, body in _top_level_blocks(document, kind):
            if not _belongs_to(provider, type_name, body):
                continue
            address = f"{type_name}.{label}" if kind == "resource" else f"data.{type_name}.{label}"
            block = schema.types(kind).get(type_name)
            if block is None:
                kind_name = "resource type" if kind == "resource" else "data source"
                problem = f"{kind_name} {type_name} does not exist in {schema.provider} {schema.version}"
                findings.append(Finding(file, address, "", problem))
                continue
            problems = _check_body(body, block, "", META_ARGUMENTS[kind])
            findings += [Finding(file, address, path, problem) for path, problem in problems]
    return findings


def _top_level_blocks(document: Mapping, kind: str) -> Iterator[tuple[str, str, Mapping]]:
    """(type, name, body) of every `kind` block; Terraform JSON allows objects or lists of them
    at each level."""
    for by_type in _objects(document.get(kind)):
        for type_name, by_label in by_type.items():
            if type_name == COMMENT:
                continue
            for labelled in _objects(by_label):
                for label, bodies in labelled.items():
                    if label == COMMENT:
                        continue
                    for body in _objects(bodies):
                        yield type_name, label, body


def _belongs_to(provider: str, type_name: str, body: Mapping) -> bool:
    explicit = body.get("provider")
    if isinstance(explicit, list):  # HCL: the attribute value, wrapped
        explicit = explicit[0] if explicit else None
    if isinstance(explicit, str):
        # "aws.east" in JSON, "${aws.east}" from HCL
        return explicit.strip("${}").split(".", 1)[0] == provider
    return type_name.split("_", 1)[0] == provider


def _check_body(body: Mapping, block: Block, path: str, ignored: frozenset = frozenset()) -> list[tuple[str, str]]:
    """(path, problem) for one block body against its schema."""
    problems: list[tuple[str, str]] = []
    dynamic_names = set()
    for key, value in body.items():
        if key == COMMENT or key in ignored:
            continue
        if key == DYNAMIC:
            dynamic_names |= {name for name, _ in _dynamic_blocks(value)}
            problems += _check_dynamic(value, block, path)
        elif key in block.blocks:
            for index, nested in enumerate(_objects(value)):
                problems += _check_body(nested, block.blocks[key].block, _join(path, key, index))
        elif key in block.arguments:
            problems += _check_argument_objects(value, key, block, path)
        else:
            problems.append((path, f'unknown argument or block "{key}"'))
    problems += _missing_required(body, block, path, dynamic_names)
    return problems


def _check_dynamic(value, block: Block, path: str) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    for name, spec in _dynamic_blocks(value):
        where = _join(path, f"{DYNAMIC}.{name}")
        target = block.blocks[name].block if name in block.blocks else _object_of(block, name)
        if target is None:
            problems.append((path, f'dynamic block "{name}": no block type named "{name}"'))
            continue
        for content in _objects(spec.get("content")):
            problems += _check_body(content, target, f"{where}.content")
    return problems


def _dynamic_blocks(value) -> Iterator[tuple[str, Mapping]]:
    """(name, spec) of each `dynamic "<name>"` block in a body's `dynamic` value."""
    for by_name in _objects(value):
        for name, specs in by_name.items():
            if name != COMMENT:
                for spec in _objects(specs):
                    yield name, spec


def _object_of(block: Block, name: str) -> Block | None:
    argument = block.arguments.get(name)
    return argument.object if argument is not None else None


def _check_argument_objects(value, name: str, block: Block, path: str) -> list[tuple[str, str]]:
    """The objects given to an object-typed argument, by name; nothing for a plain argument."""
    argument = block.arguments[name]
    if argument.object is None:
        return []
    objects = _objects(value)
    if argument.nesting == "map":  # {key: object}: the objects are the map's values
        objects = [item for mapping in objects for item in mapping.values() if isinstance(item, dict)]
    problems: list[tuple[str, str]] = []
    for index, obj in enumerate(objects):
        problems += _check_body(obj, argument.object, _join(path, name, index))
    return problems


def _missing_required(body: Mapping, block: Block, path: str, dynamic_names: set[str]) -> list[tuple[str, str]]:
    missing = [
        (path, f'missing required argument "{n}"') for n, a in block.arguments.items() if a.required and n not in body
    ]
    missing += [
        (path, f'missing required block "{n}"')
        for n, b in block.blocks.items()
        if b.required and n not in body and n not in dynamic_names
    ]
    return sorted(missing)


def _objects(value) -> list[Mapping]:
    """The objects a block-valued key holds: one object, or a list of them (Terraform JSON
    allows both; HCL's parser gives lists, and lists within lists for object-typed attributes).
    Expressions and other values hold none."""
    if isinstance(value, dict):
        return [value]
    if isinstance(value, list):
        return [obj for item in value for obj in _objects(item)]
    return []


def _join(path: str, key: str, index: int | None = None) -> str:
    step = key if index is None else f"{key}[{index}]"
    return f"{path}.{step}" if path else step
