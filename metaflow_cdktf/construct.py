"""What every module construct shares: a `module` block whose arguments are checked against
the module's spec, and whose source is the packaged modules or a pinned release.

The typed classes (`MetadataService`, ...) are generated from the specs into
`module_constructs.py`; this is their base.

Sources:
- default: the modules packaged with metaflow-cdktf, copied into the stack's own
  directory as one cdktf asset (the whole tree, so `../common` and the root module's
  `./modules/<name>` keep working): the synthesized stack directory stands alone. The tree
  is the one for hashicorp/aws 5 unless `provider_line="aws6"` picks the aws 6 one.
- a git URL with a ref, `git::https://host/org/repo.git//terraform/modules/<name>?ref=v1.2.0`
  (or GitHub's shorthand `github.com/org/repo//terraform/modules/<name>?ref=...`);
- a registry address, `<namespace>/<name>/<provider>//modules/<name>`, with `version`.
All modules of one stack must come from the same tree: mixing packaged and pinned modules,
or two refs, would wire together modules of different releases.

A module construct is a `module` block, so its resources land at the same addresses
(`module.<id>.aws_lb.this`) as with plain Terraform: state moves between the two ways of
deploying without `moved` blocks.

The classes are written against no CDK core: an instance is a `TerraformHclModule` of the core
(cdktf or cdktn) of the app it is created in (core.py), with all of that class's API
(`add_override`, `depends_on`, `providers`, ...). Type checkers see cdktf's class, whose API
cdktn's has too.
"""

from __future__ import annotations

import posixpath
import re
import weakref
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, Any, ClassVar, Mapping

from constructs import Construct

from metaflow_cdktf.core import BindsToCore, construct_label
from metaflow_cdktf.interface import ModuleSpec
from metaflow_cdktf.lines import DEFAULT_LINE, LINES_BY_NAME, LineName, ProviderLine
from metaflow_cdktf.paths import ROOT_MODULE

PACKAGED_TREE_ASSET = "metaflow-cdktf-modules"
PACKAGED_TREE = "the modules packaged with metaflow-cdktf"

_GIT_PREFIXES = ("git::", "github.com/", "bitbucket.org/")
# <namespace>/<name>/<provider>, optionally behind a registry host name.
_REGISTRY_ADDRESS = re.compile(r"(?:[a-z0-9.-]+\.[a-z]{2,}(?::\d+)?/)?[\w-]+/[\w-]+/[a-z0-9]+")


class ModuleSourceError(ValueError):
    """A construct's module source that cannot be used; names the construct."""


@dataclass(frozen=True)
class ModuleSource:
    """Where a construct's module comes from: the `source` (and `version`) of its module block,
    and the tree it belongs to (all modules of a stack must share one)."""

    source: str
    version: str | None
    tree: str


if TYPE_CHECKING:
    from cdktf import TerraformHclModule as _ModuleElement
else:
    _ModuleElement = object  # the scope's core's TerraformHclModule, per app (core.py)


class MetaflowModule(BindsToCore, _ModuleElement):
    """A Terraform module of metaflow-cdktf as a construct: a `module` block of the app's core."""

    core_class = "TerraformHclModule"
    spec: ClassVar[ModuleSpec]

    def __init__(self, scope: Construct, id: str, arguments: Mapping[str, Any], *,
                 source: str | None = None, version: str | None = None,
                 provider_line: LineName | None = None) -> None:
        # None means "not given": the module's own default applies, whatever release it is.
        variables = self.spec.bind_arguments({name: value for name, value in arguments.items() if value is not None})
        construct = construct_label(type(self), scope, id)
        line = line_named(provider_line, construct)
        where = resolve_source(self.app_core, scope, self.spec, source, version, construct=construct, line=line)
        super().__init__(scope, id, source=where.source, version=where.version, variables=variables,
                         # the packaged tree is already an asset of the stack (see resolve_source)
                         skip_asset_creation_from_local_modules=True)

    def output(self, name: str) -> str:
        """A reference to the module's output `name` (`${module.<id>.<name>}`): any output, typed
        attribute or not."""
        return self.get_string(name)


def line_named(name: str | None, construct: str) -> ProviderLine:
    """The provider line a construct's `provider_line` names (None: the default); raises
    ModuleSourceError naming `construct` for an unknown one."""
    if name is None:
        return DEFAULT_LINE
    if name not in LINES_BY_NAME:
        raise ModuleSourceError(f"{construct}: unknown provider_line {name!r}: pass one of {', '.join(LINES_BY_NAME)}")
    return LINES_BY_NAME[name]


def resolve_source(core: ModuleType, scope: Construct, spec: ModuleSpec, source: str | None, version: str | None, *,
                   construct: str, line: ProviderLine = DEFAULT_LINE) -> ModuleSource:
    """The module block's source for `spec`, checked; raises ModuleSourceError naming `construct`. The
    packaged modules are those of `line`; a pinned source names its own tree. `core` is the app's
    (cdktf or cdktn), whose asset holds the packaged tree."""
    stack = core.TerraformStack.of(scope)
    if source is None:
        tree = _packaged_tree(version, construct, line)
    else:
        tree = _pinned_tree(spec, source, version, construct)
    _claim_tree(stack, tree, construct)
    if source is None:
        claim_line(stack, line, construct)
        return ModuleSource(_packaged_tree_path(core, stack, spec, line), None, tree)
    return ModuleSource(source, version, tree)


def claim_line(stack: Construct, line: ProviderLine, construct: str) -> None:
    """The first construct of a stack tied to a provider line (a packaged module, the aws provider)
    decides it; one of another line fails, naming both: the aws constraints of two lines exclude
    each other, so `terraform init` could not succeed."""
    first = _claims(stack).setdefault("line", (line, construct))
    if first[0] is not line:
        raise ModuleSourceError(
            f"{construct}: it is for hashicorp/aws {line.major}, but {first[1]} in the same stack is for "
            f"hashicorp/aws {first[0].major}: pass the same provider_line to both")


# What the first constructs of each stack decided: {"tree": (tree, construct), "line": (line, construct)}.
_CLAIMS: weakref.WeakKeyDictionary[Construct, dict[str, tuple[Any, str]]] = weakref.WeakKeyDictionary()


def _claims(stack: Construct) -> dict[str, tuple[Any, str]]:
    return _CLAIMS.setdefault(stack, {})


def _claim_tree(stack: Construct, tree: str, construct: str) -> None:
    """The first module of a stack decides its tree; a module from another fails, naming both."""
    first = _claims(stack).setdefault("tree", (tree, construct))
    if first[0] != tree:
        raise ModuleSourceError(
            f"{construct}: its module comes from {tree}, but {first[1]} in the same stack uses {first[0]}; "
            "all modules of a stack must come from one tree (the packaged modules, or one release)")


def _packaged_tree(version: str | None, construct: str, line: ProviderLine) -> str:
    if version is not None:
        raise ModuleSourceError(f"{construct}: `version` applies to a registry source only")
    return f"{PACKAGED_TREE} for hashicorp/aws {line.major}"


def _packaged_tree_path(core: ModuleType, stack: Construct, spec: ModuleSpec, line: ProviderLine) -> str:
    """The module's directory inside the stack's copy of the packaged tree (one asset per stack)."""
    asset: Any = stack.node.try_find_child(PACKAGED_TREE_ASSET)
    if asset is None:
        asset = core.TerraformAsset(stack, PACKAGED_TREE_ASSET, path=str(line.root), type=core.AssetType.DIRECTORY)
    module_path = "" if spec.name == ROOT_MODULE else f"modules/{spec.name}"
    return "./" + posixpath.join(asset.path, module_path).rstrip("/")


def _pinned_tree(spec: ModuleSpec, source: str, version: str | None, construct: str) -> str:
    """The release a git or registry source names (its address and ref or version), checked."""
    if source.startswith(_GIT_PREFIXES):
        if version is not None:
            raise ModuleSourceError(f"{construct}: a git source takes its version as `?ref=` in the URL, "
                                    "not as `version`")
        scheme = "git::" if source.startswith("git::") else ""
        address, subdirectory, query = _split_source(source.removeprefix(scheme))
        tree = f"{scheme}{address}{query}"
    elif _REGISTRY_ADDRESS.fullmatch(source.split("//", 1)[0]):
        address, subdirectory, _ = _split_source(source)
        tree = f"{address} {version or '(latest)'}"
    else:
        raise ModuleSourceError(
            f"{construct}: unknown module source {source!r}: pass a git URL with a ref "
            "(git::https://host/org/repo.git//terraform/modules/<name>?ref=v1.2.0), a registry address "
            "(<namespace>/<name>/<provider>//modules/<name>, with version=...), or nothing for the packaged modules")
    _check_subdirectory(spec, subdirectory, construct, source)
    return tree


def _split_source(source: str) -> tuple[str, str, str]:
    """(address, subdirectory, query) of a source; the subdirectory follows a "//" that is not "://"."""
    address, _, query = source.partition("?")
    scheme_end = address.find("://")
    start = scheme_end + 3 if scheme_end != -1 else 0
    split = address.find("//", start)
    if split == -1:
        return address, "", f"?{query}" if query else ""
    return address[:split], address[split + 2:].strip("/"), f"?{query}" if query else ""


def _check_subdirectory(spec: ModuleSpec, subdirectory: str, construct: str, source: str) -> None:
    """A submodule's source must point at its own directory, modules/<name>, of the tree."""
    parts = subdirectory.split("/") if subdirectory else []
    points_at = parts[-1] if len(parts) >= 2 and parts[-2] == "modules" else None
    wanted = None if spec.name == ROOT_MODULE else spec.name
    if points_at != wanted:
        expected = "the tree's root (e.g. //terraform)" if wanted is None else f"//.../modules/{wanted}"
        raise ModuleSourceError(f"{construct}: source {source!r} does not point at module {spec.name}: "
                                f"expected {expected}")
