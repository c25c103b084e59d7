"""The module model: a Terraform JSON module read as terraform-config-inspect reads it.

Ported from terraform-docs v0.19.0 `terraform/load.go` and
`terraform/{input,output,provider,resource,modulecall}.go` (what each row holds,
how rows sort) and terraform-config-inspect `tfconfig/load_hcl.go`, `load.go`,
`provider_ref.go` (type text verbatim, defaults through JSON, implied provider
requirements, provider names from resource types). Not ported: reading
`.terraform.lock.hcl` (terraform-docs' `lockfile` setting), because generated docs
must not depend on whether someone ran `terraform init`; comments as descriptions,
which JSON cannot carry.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping

from metaflow_cdktf.docs.errors import DocsError


def load_module_json(path: Path) -> dict[str, Any]:
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise DocsError(f"{path}: missing (synthesize the module first)") from None
    except (OSError, UnicodeDecodeError) as error:
        raise DocsError(f"{path}: cannot read: {error}") from None
    try:
        module = json.loads(text)
    except json.JSONDecodeError as error:
        raise DocsError(f"{path}: invalid JSON: {error}") from None
    if not isinstance(module, dict):
        raise DocsError(f"{path}: top level must be a JSON object")
    return module


@dataclass(frozen=True)
class Input:
    name: str
    type: str
    description: str
    has_default: bool
    default: Any
    # the error messages of its `validation` blocks: the usage block takes its example from them
    validation_messages: tuple[str, ...] = ()


@dataclass(frozen=True)
class Output:
    name: str
    description: str


@dataclass(frozen=True)
class Resource:
    mode: str  # "managed" or "data"
    type: str  # the resource type minus its "<provider>_" prefix
    name: str
    provider: str
    source: str
    version: str

    @property
    def spec(self) -> str:
        return f"{self.provider}_{self.type}.{self.name}"


@dataclass(frozen=True)
class ModuleCall:
    name: str
    source: str
    version: str


@dataclass
class ProviderRequirement:
    source: str = ""
    constraints: tuple[str, ...] = ()


@dataclass(frozen=True)
class ModuleView:
    requirements: list[tuple[str, str]]  # (name, version), in terraform-docs' order
    providers: list[tuple[str, str, str]]  # (name, alias, version)
    module_calls: list[ModuleCall]
    resources: list[Resource]
    inputs: list[Input]
    outputs: list[Output]


def read_module(module: Mapping[str, Any]) -> ModuleView:
    if not isinstance(module, Mapping):
        raise DocsError("a module must be a JSON object")
    required_core, required_providers = _read_terraform_settings(module)
    # Repeated blocks replace earlier ones, as in tfconfig's maps.
    resource_blocks = _last_of_each(_read_resource_blocks(module), key=lambda block: block[:3])
    # tfconfig gives every provider a resource uses a (constraint-less)
    # requirement, which is what turns "" into "latest" in registry links.
    for _, _, _, provider, _ in resource_blocks:
        required_providers.setdefault(provider, ProviderRequirement())
    return ModuleView(
        requirements=_requirements(required_core, required_providers),
        providers=_providers(resource_blocks, required_providers),
        module_calls=_sorted_by_name(_read_module_calls(module)),
        resources=_resources(resource_blocks, required_providers),
        inputs=_sorted_by_name(_read_inputs(module)),
        outputs=_sorted_by_name(_read_outputs(module)),
    )


def _last_of_each(items: Iterator[Any], key: Callable[[Any], Any]) -> list[Any]:
    return list({key(item): item for item in items}.values())


def _sorted_by_name(items: Iterator[Any]) -> list[Any]:
    # Code point order is UTF-8 byte order, Go's string order: "Z" < "_" < "a".
    return sorted(_last_of_each(items, key=lambda item: item.name), key=lambda item: item.name)


def _bodies(value: Any, where: str) -> Iterator[Mapping[str, Any]]:
    """The block bodies HCL JSON allows at one level: an object, or an array of objects."""
    items = value if isinstance(value, list) else [value]
    for item in items:
        if not isinstance(item, Mapping):
            raise DocsError(f"{where}: expected a JSON object, got {type(item).__name__}")
        yield item


def _labelled(module: Mapping[str, Any], block_type: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """(label, body) of each `block_type` block; "//" keys are HCL JSON comments."""
    if block_type not in module:
        return
    for group in _bodies(module[block_type], block_type):
        for label, value in group.items():
            if label == "//":
                continue
            for body in _bodies(value, f"{block_type}.{label}"):
                yield label, body


def _string_attribute(body: Mapping[str, Any], key: str, where: str) -> str | None:
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise DocsError(f"{where}: {key} must be a string, got {json.dumps(value)}")
    return value


def _read_terraform_settings(module: Mapping[str, Any]) -> tuple[list[str], dict[str, ProviderRequirement]]:
    required_core: list[str] = []
    required_providers: dict[str, ProviderRequirement] = {}
    for settings in _bodies(module.get("terraform", []), "terraform"):
        version = _string_attribute(settings, "required_version", "terraform")
        if version is not None:
            required_core.append(version)
        for group in _bodies(settings.get("required_providers", []), "terraform.required_providers"):
            for name, requirement in group.items():
                if name != "//":
                    _merge_requirement(required_providers, name, _read_requirement(name, requirement))
    # Provider configuration blocks are requirements too, with the legacy
    # `version` argument as a constraint.
    for name, body in _labelled(module, "provider"):
        version = _string_attribute(body, "version", f"provider.{name}")
        requirement = ProviderRequirement(constraints=(version,) if version is not None else ())
        _merge_requirement(required_providers, name, requirement)
    return required_core, required_providers


def _read_requirement(name: str, requirement: Any) -> ProviderRequirement:
    where = f"terraform.required_providers.{name}"
    if isinstance(requirement, str):  # legacy form: a bare version constraint
        return ProviderRequirement(constraints=(requirement,))
    if not isinstance(requirement, Mapping):
        raise DocsError(f"{where}: must be a string or an object")
    version = _string_attribute(requirement, "version", where)
    return ProviderRequirement(
        source=_string_attribute(requirement, "source", where) or "",
        constraints=(version,) if version is not None else (),
    )


def _merge_requirement(into: dict[str, ProviderRequirement], name: str, new: ProviderRequirement) -> None:
    existing = into.setdefault(name, ProviderRequirement())
    if new.source:
        if existing.source and existing.source != new.source:
            raise DocsError(f"provider {name}: conflicting sources {existing.source!r} and {new.source!r}")
        existing.source = new.source
    existing.constraints += new.constraints


def _requirements(
    required_core: list[str], required_providers: Mapping[str, ProviderRequirement]
) -> list[tuple[str, str]]:
    rows = [("terraform", version) for version in required_core]
    for name in sorted(required_providers):
        rows.extend((name, constraint) for constraint in required_providers[name].constraints)
    return rows


_PROVIDER_REFERENCE = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*)(?:\.([A-Za-z_][A-Za-z0-9_-]*))?")


def _read_resource_blocks(module: Mapping[str, Any]) -> Iterator[tuple[str, str, str, str, str]]:
    """(mode, type, name, provider, alias) of every resource and data source."""
    for block_type, mode in (("resource", "managed"), ("data", "data")):
        for resource_type, group in _labelled(module, block_type):
            for name, body in group.items():
                if name == "//":
                    continue
                for instance in _bodies(body, f"{block_type}.{resource_type}.{name}"):
                    provider, alias = _provider_of(block_type, resource_type, name, instance)
                    yield mode, resource_type, name, provider, alias


def _provider_of(block_type: str, resource_type: str, name: str, body: Mapping[str, Any]) -> tuple[str, str]:
    where = f"{block_type}.{resource_type}.{name}"
    reference = _string_attribute(body, "provider", where)
    if reference is None:
        # Terraform's implied provider: the type up to its first underscore.
        return resource_type.split("_", 1)[0], ""
    match = _PROVIDER_REFERENCE.fullmatch(reference.strip())
    if not match:
        raise DocsError(f'{where}: provider must look like "name" or "name.alias", got {reference!r}')
    return match.group(1), match.group(2) or ""


def _providers(
    resource_blocks: list[tuple[str, str, str, str, str]],
    required_providers: Mapping[str, ProviderRequirement],
) -> list[tuple[str, str, str]]:
    used = {(provider, alias) for _, _, _, provider, alias in resource_blocks}
    return [
        (provider, alias, " ".join(required_providers[provider].constraints))
        for provider, alias in sorted(used)
    ]


def _resources(
    resource_blocks: list[tuple[str, str, str, str, str]],
    required_providers: Mapping[str, ProviderRequirement],
) -> list[Resource]:
    resources = []
    for mode, resource_type, name, provider, _ in resource_blocks:
        requirement = required_providers[provider]
        resources.append(
            Resource(
                mode=mode,
                type=resource_type.removeprefix(provider + "_"),
                name=name,
                provider=provider,
                source=requirement.source or f"hashicorp/{provider}",
                version=_registry_version(provider, requirement.constraints),
            )
        )
    # Managed resources before data sources, each by address ("." sorts before "_",
    # so aws_iam_role.x precedes aws_iam_role_policy.y).
    return sorted(resources, key=lambda resource: (resource.mode != "managed", resource.spec, resource.name))


def _registry_version(provider: str, constraints: tuple[str, ...]) -> str:
    """The registry docs version terraform-docs links to: an exact pin, else "latest"."""
    if not constraints:
        return "latest"
    parts = constraints[-1].split(" ")
    if len(parts) == 1:
        if not parts[0]:
            # terraform-docs itself crashes here; say why instead.
            raise DocsError(f"provider {provider}: empty version constraint")
        if parts[0][0].isdigit() and parts[0][0].isascii():
            return parts[0]
        return parts[0][1:] if parts[0][0] == "=" else "latest"
    if len(parts) == 2 and parts[0] == "=":
        return parts[1]
    return "latest"


def _read_module_calls(module: Mapping[str, Any]) -> Iterator[ModuleCall]:
    for name, body in _labelled(module, "module"):
        source = _string_attribute(body, "source", f"module.{name}") or ""
        version = _string_attribute(body, "version", f"module.{name}") or ""
        yield ModuleCall(name, *_split_source_ref(source, version))


def _split_source_ref(source: str, version: str) -> tuple[str, str]:
    """A git source's "?ref=" shows as the version when no version is given."""
    position = source.rfind("?ref=")
    if version or position == -1 or position + len("?ref=") >= len(source):
        return source, version
    return source[:position], source[position + len("?ref=") :]


def _read_inputs(module: Mapping[str, Any]) -> Iterator[Input]:
    for name, body in _labelled(module, "variable"):
        where = f"variable.{name}"
        description = _string_attribute(body, "description", where) or ""
        has_default = "default" in body
        default = body.get("default")
        yield Input(
            name=name,
            type=_input_type(_string_attribute(body, "type", where), default),
            description=description.replace("\r\n", "\n"),
            has_default=has_default,
            default=default,
            validation_messages=tuple(_validation_messages(body, where)),
        )


def _validation_messages(body: Mapping[str, Any], where: str) -> Iterator[str]:
    for validation in _bodies(body.get("validation", []), f"{where}.validation"):
        message = _string_attribute(validation, "error_message", f"{where}.validation")
        if message is not None:
            yield message


def _input_type(declared: str | None, default: Any) -> str:
    """The declared type text, else one guessed from the default (or "any")."""
    if declared:
        return declared
    if isinstance(default, str):
        return "string"
    if isinstance(default, bool):
        return "bool"
    if isinstance(default, (int, float)):
        return "number"
    if isinstance(default, list):
        return "list"
    if isinstance(default, dict):
        return "map"
    return "any"


def _read_outputs(module: Mapping[str, Any]) -> Iterator[Output]:
    for name, body in _labelled(module, "output"):
        description = _string_attribute(body, "description", f"output.{name}") or ""
        yield Output(name=name, description=description.replace("\r\n", "\n"))
