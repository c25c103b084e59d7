"""The hashicorp/aws provider schema, read from a CDKTF provider binding's jsii assembly.

No aws 6 provider binary can be had here, so `terraform validate` cannot run against 6.x. The
CDKTF (and CDK Terrain) binding wheels on PyPI are generated from the provider's schema and carry
it in their jsii assembly (`<package>/_jsii/provider-aws@<v>.jsii.tgz`, holding `package/.jsii`,
a ~120 MB JSON document). This module turns an assembly into a compact model of what Terraform
configuration the provider accepts:

    ProviderSchema.resource / .data: {type: Block}
    Block.arguments: {name: Argument(required, object, nesting)}
    Block.blocks:    {name: NestedBlock(required, nesting, block)}

How the assembly is read (`schema_from_assembly`):

- A resource or data source is a class whose base is `<cdktf>.TerraformResource` or
  `<cdktf>.TerraformDataSource` and whose summary reads "Represents a {@link <registry url>
  <type>}": the link text is the Terraform type; the url says resources or data-sources and the
  provider version the binding was generated for.
- Its arguments and blocks are the properties of its initializer's `config` parameter type (the
  `*Config` interface). Only the interface's own properties count: the meta-arguments (count,
  for_each, depends_on, lifecycle, provider, connection, provisioners) come from
  `cdktf.TerraformMetaArguments`, an interface of another assembly, which is not followed.
- A property's Terraform name is the anchor of the registry link in its docs
  (`.../docs/resources/instance#get_user_data`), not the property's name: the binding renames
  what would clash in its languages (`fetchUserData`, `selfAttribute`, `equalTo` for `equals`).
- A property is required when the assembly does not mark it `optional`.
- A property whose type is a struct (a datatype interface of the same assembly), alone, in an
  array, or in a map, possibly in a union with `IResolvable`, has its own properties, read the
  same way. The binding documents a nested *block* with the summary "<name> block."; such a
  property becomes a `NestedBlock` (nesting "single" for a lone struct, which the binding uses
  for blocks of at most one, "list" for an array: list and set blocks alike). Any other
  struct-typed property is an argument whose value is an object or a collection of objects (an
  object-typed attribute, a nested attribute, or SDKv2's attributes-as-blocks such as
  `aws_security_group.ingress`): an `Argument` with the object's attributes in `object`.
  A struct used in several places is one Block; a struct that contains itself (aws 6.69.1's
  wafv2 rule statements) is a Block that contains itself.
- Every other property is a plain argument. Where the binding gave up typing a deep structure
  (`IResolvable`, `any`), nothing inside it can be checked.

`schema_from_terraform` builds the same model from `terraform providers schema -json`, and
`schema_differences` compares the two: with the 5.100 binary at hand, the tests show where the
5.100 binding's model says otherwise than the provider itself (a short, explained list).

Parsing an assembly takes seconds and over a gigabyte, so each model is computed once and kept
as JSON in the cache directory ($METAFLOW_CDKTF_TEST_CACHE, else ~/.cache/metaflow-cdktf-tests),
keyed by the sha256 of the wheel (or of the installed assembly) and of this file's source, so a
change to the rules above recomputes it. Downloaded wheels are kept there too.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

CACHE_ENV_VAR = "METAFLOW_CDKTF_TEST_CACHE"
DEFAULT_CACHE = Path("~/.cache/metaflow-cdktf-tests")

# Inside a binding's tarball: jsii's npm-package layout.
ASSEMBLY_MEMBER = "package/.jsii"
ASSEMBLY_TARBALL = re.compile(r"(^|/)_jsii/[^/]+\.jsii\.tgz$")

# A docs link, as in "Docs at Terraform Registry: {@link https://registry.terraform.io/providers/hashicorp/aws/
# 6.0.0/docs/resources/batch_compute_environment#name_prefix BatchComputeEnvironment#name_prefix}" (one line).
REGISTRY_LINK = re.compile(
    r"\{@link https://registry\.terraform\.io/providers/(?P<namespace>[^/\s]+)/(?P<provider>[^/\s]+)/"
    r"(?P<version>[^/\s]+)/docs/(?P<kind>resources|data-sources)/(?P<page>[^#\s}]+)"
    r"(?:#(?P<anchor>[^\s}]*))?\s+(?P<text>[^}]*)\}"
)
KIND_OF_BASE = {"TerraformResource": "resource", "TerraformDataSource": "data"}
KIND_OF_PAGE = {"resources": "resource", "data-sources": "data"}


class SchemaSourceUnavailable(Exception):
    """A binding could not be had or does not match its pin; the message says which and why."""


# --- The model ------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Block:
    """What a block body (a resource's, a data source's, a nested block's) accepts.

    `name` is the binding's struct it comes from. Blocks are shared, not copied, where the
    binding reuses a struct, and may nest themselves: aws 6.69.1's wafv2 rule statements do.
    """

    name: str
    arguments: dict[str, Argument] = field(default_factory=dict, repr=False)
    blocks: dict[str, NestedBlock] = field(default_factory=dict, repr=False)


@dataclass(frozen=True)
class Argument:
    required: bool
    # For an argument whose value is an object or a collection of objects: the object's attributes.
    object: Block | None = None
    # How the objects are given: "single", "list" or "map"; None for a plain argument.
    nesting: str | None = None


@dataclass(frozen=True)
class NestedBlock:
    required: bool
    nesting: str  # "single" (at most one block) or "list" (list or set blocks)
    block: Block


@dataclass(frozen=True)
class ProviderSchema:
    provider: str  # "hashicorp/aws"
    version: str  # the provider version the binding was generated for, from its registry links
    resource: Mapping[str, Block]
    data: Mapping[str, Block]

    def types(self, kind: str) -> Mapping[str, Block]:
        """`resource` or `data`: {type: Block}."""
        return {"resource": self.resource, "data": self.data}[kind]

    def to_json(self) -> dict:
        """Every block once, under "blocks", referred to by name (blocks may nest themselves)."""
        blocks: dict[str, dict] = {}
        roots = {kind: {t: _block_json(b, blocks) for t, b in sorted(self.types(kind).items())} for kind in KINDS}
        return {"provider": self.provider, "version": self.version, **roots, "blocks": blocks}

    @classmethod
    def from_json(cls, data: Mapping) -> ProviderSchema:
        # Every block first, empty, so that references (cycles included) resolve while filling.
        blocks = {name: Block(name) for name in data["blocks"]}
        for name, body in data["blocks"].items():
            _fill_block(blocks[name], body, blocks)
        roots = {kind: {t: blocks[name] for t, name in data[kind].items()} for kind in KINDS}
        return cls(data["provider"], data["version"], roots["resource"], roots["data"])


KINDS = ("resource", "data")


def _block_json(block: Block, out: dict[str, dict]) -> str:
    """Add `block` and what it refers to to `out` ({name: json}); return its name."""
    if block.name not in out:
        body: dict = {"arguments": {}, "blocks": {}}
        out[block.name] = body  # before recursing: a block may nest itself
        for name, argument in sorted(block.arguments.items()):
            body["arguments"][name] = {"required": argument.required}
            if argument.object is not None:
                body["arguments"][name].update(object=_block_json(argument.object, out), nesting=argument.nesting)
        for name, nested in sorted(block.blocks.items()):
            body["blocks"][name] = {
                "required": nested.required, "nesting": nested.nesting, "block": _block_json(nested.block, out)
            }
    return block.name


def _fill_block(block: Block, body: Mapping, blocks: Mapping[str, Block]) -> None:
    for name, a in body["arguments"].items():
        obj = blocks[a["object"]] if "object" in a else None
        block.arguments[name] = Argument(a["required"], obj, a.get("nesting"))
    for name, b in body["blocks"].items():
        block.blocks[name] = NestedBlock(b["required"], b["nesting"], blocks[b["block"]])


# --- From a jsii assembly -------------------------------------------------------


def schema_from_assembly(assembly: Mapping) -> ProviderSchema:
    """The model of every resource and data source class in a binding's assembly (rules above)."""
    types = assembly["types"]
    made: dict[str, Block] = {}
    found: dict[str, dict[str, Block]] = {"resource": {}, "data": {}}
    versions: set[str] = set()
    providers: set[str] = set()
    for spec in types.values():
        kind = KIND_OF_BASE.get(spec.get("base", "").rsplit(".", 1)[-1])
        if kind is None:
            continue
        link = REGISTRY_LINK.search(spec.get("docs", {}).get("summary", ""))
        if link is None or KIND_OF_PAGE[link["kind"]] != kind:
            raise ValueError(f"{spec['fqn']}: no registry link naming its Terraform type in {spec.get('docs')}")
        versions.add(link["version"])
        providers.add(f"{link['namespace']}/{link['provider']}")
        found[kind][link["text"].strip()] = _block(types, _config_interface(types, spec), made)
    if len(versions) != 1 or len(providers) != 1:
        raise ValueError(f"the assembly's registry links name several providers or versions: {providers} {versions}")
    return ProviderSchema(providers.pop(), versions.pop(), found["resource"], found["data"])


def _config_interface(types: Mapping, spec: Mapping) -> str:
    parameters = spec.get("initializer", {}).get("parameters", [])
    config = next((p for p in parameters if p["name"] == "config"), None)
    if config is None or config["type"].get("fqn") not in types:
        raise ValueError(f"{spec['fqn']}: its initializer takes no config struct")
    return config["type"]["fqn"]


def _block(types: Mapping, fqn: str, made: dict[str, Block]) -> Block:
    """The Block of struct `fqn`, made once; `made` holds it before its properties are read, so
    a struct that nests itself refers to the same Block."""
    if fqn in made:
        return made[fqn]
    struct = types[fqn]
    block = made[fqn] = Block(fqn.split(".", 1)[1])  # without the assembly's name
    for prop in struct.get("properties", []):
        name = _terraform_name(struct, prop)
        required = not prop.get("optional", False)
        shape = _struct_shape(types, prop["type"])
        if shape is None:
            block.arguments[name] = Argument(required)
            continue
        nesting, nested = shape
        body = _block(types, nested, made)
        if _documented_as_block(prop):
            block.blocks[name] = NestedBlock(required, nesting, body)
        else:
            block.arguments[name] = Argument(required, body, nesting)
    return block


def _terraform_name(struct: Mapping, prop: Mapping) -> str:
    docs = prop.get("docs", {})
    link = REGISTRY_LINK.search(f"{docs.get('summary', '')} {docs.get('remarks', '')}")
    if link is None or not link["anchor"]:
        raise ValueError(f"{struct['fqn']}.{prop['name']}: no registry link naming its Terraform attribute")
    return link["anchor"]


def _documented_as_block(prop: Mapping) -> bool:
    # The binding's generator writes "<name> block." for nested blocks and a plain registry
    # link for attributes, object-typed ones included.
    return prop.get("docs", {}).get("summary", "").endswith(" block.")


def _struct_shape(types: Mapping, type_ref: Mapping) -> tuple[str, str] | None:
    """(nesting, struct fqn) when the type is a struct of this assembly, alone or in a collection."""
    if "union" in type_ref:
        shapes = [s for s in (_struct_shape(types, t) for t in type_ref["union"]["types"]) if s is not None]
        return shapes[0] if len(shapes) == 1 else None
    if "collection" in type_ref:
        element = _struct_shape(types, type_ref["collection"]["elementtype"])
        if element is None or element[0] != "single":
            return None
        return ("list" if type_ref["collection"]["kind"] == "array" else "map"), element[1]
    fqn = type_ref.get("fqn")
    if isinstance(fqn, str) and fqn in types and types[fqn].get("datatype"):
        return "single", fqn
    return None


# --- The bindings ---------------------------------------------------------------


@dataclass(frozen=True)
class Binding:
    """A pinned provider binding: `sha256` is the wheel's for a downloaded one, None for the
    one installed in this environment (the package's own dependency)."""

    distribution: str
    version: str
    aws_version: str
    sha256: str | None = None

    @property
    def requirement(self) -> str:
        return f"{self.distribution}=={self.version}"

    def __str__(self) -> str:
        return f"{self.requirement} (hashicorp/aws {self.aws_version})"


# The binding the package itself uses: installed with it, read in place, never imported (importing
# loads jsii and the whole assembly into Node.js).
AWS_5_100 = Binding("cdktf-cdktf-provider-aws", "20.1.0", "5.100.0")
# The oldest aws 6.x, the first version of the renames.
AWS_6_0 = Binding(
    "cdktf-cdktf-provider-aws", "21.0.0", "6.0.0", "7d34856058a762524a6a895d1d75b13dcf0ccfa5da363cc594b47ca3df2da7ce"
)
# The newest aws 6.x, in CDK Terrain's binding (`cdktn`: its classes derive from `cdktn.Terraform*`).
AWS_6_69 = Binding(
    "cdktn-provider-aws", "25.8.1", "6.69.1", "2ffa579cb88b063cb3a9937e43c519391e876845768f51638a848bdf2ce9f354"
)
# The lower bounds the 5.x tree's modules declare, each checked at exactly that version
# (tests/test_provider_schema.py): 4.67.0, the last 4.x (no binding was published for aws 5.0 to
# 5.4: 15.0.0 binds 4.67.0, 16.0.0 binds 5.5.0), and 5.40.0, the first with
# aws_batch_job_queue's compute_environment_order (computation, and what calls it).
AWS_4_67 = Binding(
    "cdktf-cdktf-provider-aws", "15.0.0", "4.67.0", "a0a1aa2df6b773a525efbb9c0379cb5f3e63162ed9160d28f08a980d5273b4af"
)
AWS_5_40 = Binding(
    "cdktf-cdktf-provider-aws", "19.9.0", "5.40.0", "3729ab557b4aa850238ad1dcbe0e898645a3ff4db2a46ed8f45185ac750b1105"
)
BINDINGS = (AWS_4_67, AWS_5_40, AWS_5_100, AWS_6_0, AWS_6_69)


def cache_dir() -> Path:
    """$METAFLOW_CDKTF_TEST_CACHE, else ~/.cache/metaflow-cdktf-tests."""
    return Path(os.environ.get(CACHE_ENV_VAR) or DEFAULT_CACHE).expanduser()


def load_schema(binding: Binding, cache: Path | None = None) -> ProviderSchema:
    """The binding's model, from the cache or computed from its assembly (then cached)."""
    cache = cache or cache_dir()
    # A downloaded wheel is known by its pinned hash, so a cached model needs no wheel at all; the
    # installed assembly is hashed, as whatever is installed is what the model must describe.
    installed = installed_assembly_tarball(binding) if binding.sha256 is None else None
    source_hash = binding.sha256 if installed is None else _sha256_file(installed)
    model_path = cache / "provider-schema" / "models" / f"{source_hash}-{_rules_hash()}.json"
    if model_path.is_file():
        return ProviderSchema.from_json(json.loads(model_path.read_text()))
    schema = schema_from_assembly(read_assembly(installed or download_wheel(binding, cache)))
    if schema.version != binding.aws_version:
        raise SchemaSourceUnavailable(
            f"{binding}: its registry links name hashicorp/aws {schema.version}, not {binding.aws_version}"
        )
    _write_atomically(model_path, json.dumps(schema.to_json(), separators=(",", ":")).encode())
    return schema


def installed_assembly_tarball(binding: Binding) -> Path:
    """The installed binding's `.jsii.tgz`, found through its distribution metadata (no import)."""
    try:
        distribution = importlib.metadata.distribution(binding.distribution)
    except importlib.metadata.PackageNotFoundError:
        raise SchemaSourceUnavailable(
            f"{binding.distribution} is not installed; it is a dependency of this package (`pipenv sync --dev`)"
        ) from None
    if distribution.version != binding.version:
        raise SchemaSourceUnavailable(
            f"{binding.distribution} {distribution.version} is installed, the tests read {binding.version} "
            f"(hashicorp/aws {binding.aws_version}): run `pipenv sync --dev`"
        )
    tarballs = [f for f in distribution.files or () if ASSEMBLY_TARBALL.search(str(f))]
    if len(tarballs) != 1:
        raise SchemaSourceUnavailable(f"{binding.distribution}: expected one jsii assembly tarball, found {tarballs}")
    return Path(str(distribution.locate_file(tarballs[0])))


def download_wheel(binding: Binding, cache: Path) -> Path:
    """The binding's wheel in `cache`, downloaded from PyPI by pip unless already there; its
    sha256 must be the pinned one."""
    wheels = cache / "provider-schema" / "wheels"
    for cached in wheels.glob(f"{_wheel_stem(binding)}-*.whl"):
        if _sha256_file(cached) == binding.sha256:
            return cached
    wheels.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=wheels) as staging:
        command = [
            sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--disable-pip-version-check",
            "--dest", staging, binding.requirement,
        ]
        completed = subprocess.run(command, capture_output=True, text=True, timeout=900)
        downloaded = list(Path(staging).glob("*.whl"))
        if completed.returncode != 0 or len(downloaded) != 1:
            raise SchemaSourceUnavailable(
                f"could not download {binding} from PyPI (or the index pip is configured with): "
                f"`{' '.join(command)}` exited {completed.returncode}:\n"
                f"{completed.stdout[-2000:]}{completed.stderr[-2000:]}"
            )
        actual = _sha256_file(downloaded[0])
        if actual != binding.sha256:
            raise SchemaSourceUnavailable(
                f"{binding}: the wheel PyPI served, {downloaded[0].name}, has sha256 {actual}, "
                f"not the pinned {binding.sha256}"
            )
        return Path(shutil.move(downloaded[0], wheels / downloaded[0].name))


def read_assembly(archive: Path) -> dict:
    """The parsed `.jsii` of a binding wheel, or of a `.jsii.tgz` directly."""
    if archive.suffix == ".whl":
        with zipfile.ZipFile(archive) as wheel:
            members = [name for name in wheel.namelist() if ASSEMBLY_TARBALL.search(name)]
            if len(members) != 1:
                raise SchemaSourceUnavailable(f"{archive.name}: expected one jsii assembly tarball, found {members}")
            tarball = io.BytesIO(wheel.read(members[0]))
    else:
        tarball = io.BytesIO(archive.read_bytes())
    with tarfile.open(fileobj=tarball, mode="r:gz") as tar:
        member = tar.extractfile(ASSEMBLY_MEMBER)
        if member is None:
            raise SchemaSourceUnavailable(f"{archive.name}: no {ASSEMBLY_MEMBER} in the assembly tarball")
        return json.loads(member.read())


def _wheel_stem(binding: Binding) -> str:
    # A wheel's file name normalizes the distribution name's dashes to underscores.
    return f"{binding.distribution.replace('-', '_')}-{binding.version}"


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _rules_hash() -> str:
    """A short hash of this file: a cached model is only reused by the code that derived it."""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as staging:
        staging.write(data)
    os.replace(staging.name, path)


# --- From Terraform, to compare ---------------------------------------------------


def schema_from_terraform(
    providers_schema: Mapping, version: str, provider: str = "registry.terraform.io/hashicorp/aws"
) -> ProviderSchema:
    """The same model from `terraform providers schema -json`, the provider binary's own word, so
    a binding's model can be compared with it where the binary is at hand (5.100 here).

    Arguments are the attributes a configuration may set (required or optional; computed-only
    ones are read-only). Blocks are required when `min_items` > 0 and "single" when at most one
    is allowed. The attributes of an object type are all required unless the type lists them
    as optional, as Terraform converts values. The JSON does not say the provider's version:
    `version` is the one the caller installed.
    """
    schemas = providers_schema["provider_schemas"][provider]
    roots = {
        kind: {t: _terraform_block(f"{kind}.{t}", s["block"]) for t, s in schemas.get(key, {}).items()}
        for kind, key in (("resource", "resource_schemas"), ("data", "data_source_schemas"))
    }
    return ProviderSchema(provider.split("/", 1)[1], version, roots["resource"], roots["data"])


def _terraform_block(name: str, block: Mapping) -> Block:
    result = Block(name)
    for attribute_name, attribute in block.get("attributes", {}).items():
        if attribute.get("required") or attribute.get("optional"):
            result.arguments[attribute_name] = _terraform_argument(f"{name}.{attribute_name}", attribute)
    for block_name, nested in block.get("block_types", {}).items():
        single = nested["nesting_mode"] in ("single", "group") or nested.get("max_items") == 1
        result.blocks[block_name] = NestedBlock(
            nested.get("min_items", 0) > 0,
            "single" if single else "list",
            _terraform_block(f"{name}.{block_name}", nested["block"]),
        )
    return result


def _terraform_argument(name: str, attribute: Mapping) -> Argument:
    required = bool(attribute.get("required"))
    if "nested_type" in attribute:
        nested = attribute["nested_type"]
        nesting = {"single": "single", "list": "list", "set": "list", "map": "map"}[nested["nesting_mode"]]
        return Argument(required, _terraform_block(name, nested), nesting)
    return _typed_argument(name, attribute["type"], required)


def _typed_argument(name: str, cty_type, required: bool) -> Argument:
    """An argument of a cty type: with an object Block when the type is an object or a
    collection of objects, whose attributes are required unless the type lists them as optional."""
    shape = _object_type_shape(cty_type)
    if shape is None:
        return Argument(required)
    nesting, (attribute_types, optional) = shape
    obj = Block(name)
    for attribute_name, attribute_type in attribute_types.items():
        obj.arguments[attribute_name] = _typed_argument(
            f"{name}.{attribute_name}", attribute_type, attribute_name not in optional
        )
    return Argument(required, obj, nesting)


def _object_type_shape(cty_type) -> tuple[str, tuple[Mapping, set]] | None:
    """(nesting, (attribute types, optional names)) of an object type or a collection of them."""
    if not isinstance(cty_type, list):
        return None
    if cty_type[0] == "object":
        return "single", (cty_type[1], set(cty_type[2]) if len(cty_type) > 2 else set())
    if cty_type[0] in ("list", "set", "map"):
        element = _object_type_shape(cty_type[1])
        if element is not None and element[0] == "single":
            return ("map" if cty_type[0] == "map" else "list"), element[1]
    return None


def schema_differences(binding: ProviderSchema, terraform: ProviderSchema) -> list[str]:
    """Where a binding's model says otherwise than the provider's own schema, one line each:
    "<kind> <type>: <dotted path>: <what>".

    Inside the objects of an object-typed argument, an attribute the binding calls optional
    where Terraform requires it is not a difference: the bindings mark every attribute of a
    plain object type optional, and the check relies on their `required` only where it is true.
    """
    differences: list[str] = []
    for kind in KINDS:
        ours, theirs = binding.types(kind), terraform.types(kind)
        for type_name in sorted(set(ours) | set(theirs)):
            if type_name not in ours or type_name not in theirs:
                side = "Terraform" if type_name in theirs else "the binding"
                differences.append(f"{kind} {type_name}: only in {side}")
                continue
            found = _block_differences("", ours[type_name], theirs[type_name], in_object=False)
            differences += [f"{kind} {type_name}: {path}: {what}" for path, what in found]
    return differences


def _block_differences(path: str, ours: Block, theirs: Block, in_object: bool) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for name in sorted(set(ours.arguments) | set(ours.blocks) | set(theirs.arguments) | set(theirs.blocks)):
        at = f"{path}.{name}" if path else name
        our_kind = "argument" if name in ours.arguments else "block" if name in ours.blocks else None
        their_kind = "argument" if name in theirs.arguments else "block" if name in theirs.blocks else None
        if our_kind != their_kind:
            found.append((at, f"{their_kind or 'absent'} in Terraform, {our_kind or 'absent'} in the binding"))
        elif our_kind == "argument":
            found += _argument_differences(at, ours.arguments[name], theirs.arguments[name], in_object)
        else:
            mine, other = ours.blocks[name], theirs.blocks[name]
            if mine.required != other.required:
                found.append((at, _requirement_difference(mine.required, other.required)))
            if mine.nesting != other.nesting:
                found.append((at, f"nesting {other.nesting} in Terraform, {mine.nesting} in the binding"))
            found += _block_differences(at, mine.block, other.block, in_object=False)
    return found


def _argument_differences(at: str, mine: Argument, other: Argument, in_object: bool) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    optional_in_binding_only = in_object and other.required and not mine.required
    if mine.required != other.required and not optional_in_binding_only:
        found.append((at, _requirement_difference(mine.required, other.required)))
    if (mine.object is None) != (other.object is None):
        found.append((at, f"{_shape(other)} in Terraform, {_shape(mine)} in the binding"))
    elif mine.object is not None and other.object is not None:
        if mine.nesting != other.nesting:
            found.append((at, f"nesting {other.nesting} in Terraform, {mine.nesting} in the binding"))
        found += _block_differences(at, mine.object, other.object, in_object=True)
    return found


def _requirement_difference(mine: bool, other: bool) -> str:
    return f"{_required(other)} in Terraform, {_required(mine)} in the binding"


def _required(required: bool) -> str:
    return "required" if required else "optional"


def _shape(argument: Argument) -> str:
    return "objects" if argument.object is not None else "a plain value"
