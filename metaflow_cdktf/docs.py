"""The terraform-docs section of each module's README, generated from main.tf.json.

Each `terraform/<name>/README.md` carries, between `<!-- BEGIN_TF_DOCS -->` and
`<!-- END_TF_DOCS -->`, exactly the text terraform-docs (v0.19, `markdown table`
formatter, default settings: anchors, escaping and HTML on, sorted by name,
inject mode) writes for the same module. Upstream's READMEs are maintained
with terraform-docs, so matching it byte for byte keeps ours diff-free against
theirs and lets either tool regenerate the section without churn.

This reads the synthesized Terraform JSON with plain `json` + jinja2: no cdktf,
jsii or provider bindings, so checking all READMEs costs milliseconds.

The rules are ported from terraform-docs' own source (v0.19.0), not guessed:
  - `terraform/load.go`, `terraform/{input,output,provider,resource,modulecall}.go`:
    what each row holds and how rows are sorted;
  - terraform-config-inspect `tfconfig/load_hcl.go`, `load.go`, `provider_ref.go`:
    how a configuration is read (type text verbatim, defaults through JSON,
    implied provider requirements, provider names from resource types);
  - `format/templates/markdown_table_*.tmpl`, `format/markdown_table.go`,
    `format/util.go` (`sanitize`, `PrintFencedCodeBlock`): the layout;
  - `template/sanitizer.go`, `template/anchor.go`: escaping of table cells;
  - `internal/types/types.go` and Go's encoding/json: how defaults print;
  - mvdan.cc/xurls v2.5.0 `Strict()`: which text counts as a URL (URLs get
    their escaping undone);
  - `internal/cli/writer.go`: how the section is injected into a README.
Not ported: reading `.terraform.lock.hcl` (terraform-docs' `lockfile`
setting), because generated docs must not depend on whether someone ran
`terraform init`; comments as descriptions, which JSON cannot carry.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping

import jinja2

BEGIN_MARKER = "<!-- BEGIN_TF_DOCS -->"
END_MARKER = "<!-- END_TF_DOCS -->"

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "docs"
SECTION_TEMPLATE = "tf_docs.md.j2"
NEW_README_TEMPLATE = "module_readme.md.j2"


class DocsError(Exception):
    """A README or module definition that docs generation cannot use; names the file."""


@dataclass
class DocsTarget:
    name: str
    title: str
    description: str


# --- Public API ---------------------------------------------------------------


def render_tf_docs(module: Mapping[str, Any]) -> str:
    """The exact text between the BEGIN and END markers for this module.

    Newline contract: the result starts with "\\n" (ending the BEGIN marker's
    line) and ends with "\\n" (so the END marker starts its own line); the
    tables in between end without a trailing newline or blank line. In other
    words `BEGIN_MARKER + render_tf_docs(m) + END_MARKER` is precisely what
    terraform-docs' default output template
    "<!-- BEGIN_TF_DOCS -->\\n{{ .Content }}\\n<!-- END_TF_DOCS -->" produces.
    """
    return "\n" + _render_content(_read_module(module)) + "\n"


def update_readme(
    readme_path: Path,
    module: Mapping[str, Any],
    *,
    title: str,
    description: str,
    check: bool = False,
) -> bool:
    """Regenerate the docs section of one README; True if it changed (or, with check, would).

    Text outside the markers is kept byte for byte. A README without markers
    gets the section appended, a missing one is created from the new-README
    template. Broken markers raise DocsError and leave the file as it was.
    """
    readme_path = Path(readme_path)
    current, wanted = _plan_readme(
        readme_path,
        module,
        title=title,
        description=description,
        module_origin=f"the module for {readme_path}",
    )
    if current == wanted:
        return False
    if not check:
        _write_atomically(readme_path, wanted)
    return True


def sync_docs(terraform_root: Path, targets: list[DocsTarget], *, check: bool) -> list[Path]:
    """Bring every target's README up to date; the READMEs changed (or stale, with check).

    Every module is read and every README planned before anything is
    written, so one broken module or README leaves all of them untouched.
    """
    terraform_root = Path(terraform_root)
    plans: list[tuple[Path, str]] = []
    for target in targets:
        module_path = terraform_root / target.name / "main.tf.json"
        readme_path = terraform_root / target.name / "README.md"
        current, wanted = _plan_readme(
            readme_path,
            _load_module_json(module_path),
            title=target.title,
            description=target.description,
            module_origin=str(module_path),
        )
        if current != wanted:
            plans.append((readme_path, wanted))
    if not check:
        for readme_path, wanted in plans:
            _write_atomically(readme_path, wanted)
    return [readme_path for readme_path, _ in plans]


# --- README files ---------------------------------------------------------------


def _plan_readme(
    readme_path: Path, module: Mapping[str, Any], *, title: str, description: str, module_origin: str
) -> tuple[str | None, str]:
    """(current text or None if missing, wanted text) for one README."""
    try:
        section = render_tf_docs(module)
    except DocsError as error:
        raise DocsError(f"{module_origin}: {error}") from None
    current = _read_text(readme_path)
    if current is None:
        return None, _new_readme(title, description, section)
    return current, _inject_section(readme_path, current, section)


def _read_text(path: Path) -> str | None:
    # Bytes, not read_text(): universal-newline decoding would turn CRLF
    # prose into LF and "preserve" it wrongly.
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise DocsError(f"{path}: cannot read: {error.strerror}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DocsError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})") from None


def _inject_section(readme_path: Path, current: str, section: str) -> str:
    """terraform-docs' inject mode, stricter about markers it would silently misuse."""
    generated = BEGIN_MARKER + section + END_MARKER
    begins, ends = current.count(BEGIN_MARKER), current.count(END_MARKER)
    if begins == 0 and ends == 0:
        # terraform-docs appends after a newline (no final newline), or
        # writes the section alone into an empty file.
        return current + "\n" + generated if current else generated
    if begins == 0:
        raise DocsError(f"{readme_path}: has {END_MARKER} but no {BEGIN_MARKER}")
    if ends == 0:
        raise DocsError(f"{readme_path}: has {BEGIN_MARKER} but no {END_MARKER}")
    if begins > 1 or ends > 1:
        raise DocsError(
            f"{readme_path}: markers must appear once each, found {begins} x {BEGIN_MARKER} "
            f"and {ends} x {END_MARKER}"
        )
    begin, end = current.index(BEGIN_MARKER), current.index(END_MARKER)
    if end < begin:
        raise DocsError(f"{readme_path}: {END_MARKER} comes before {BEGIN_MARKER}")
    return current[:begin] + generated + current[end + len(END_MARKER) :]


def _new_readme(title: str, description: str, section: str) -> str:
    return _templates().get_template(NEW_README_TEMPLATE).render(
        title=title,
        description=description,
        tf_docs=BEGIN_MARKER + section + END_MARKER,
    )


def _write_atomically(path: Path, text: str) -> None:
    """Replace `path` in one step: readers see the old file or the new one, never half."""
    mode = path.stat().st_mode & 0o7777 if path.exists() else 0o644
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(text.encode("utf-8"))
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise


def _load_module_json(path: Path) -> dict[str, Any]:
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


# --- Reading a Terraform JSON module (as terraform-config-inspect does) ----------


@dataclass(frozen=True)
class _Input:
    name: str
    type: str
    description: str
    has_default: bool
    default: Any


@dataclass(frozen=True)
class _Output:
    name: str
    description: str


@dataclass(frozen=True)
class _Resource:
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
class _ModuleCall:
    name: str
    source: str
    version: str


@dataclass
class _ProviderRequirement:
    source: str = ""
    constraints: tuple[str, ...] = ()


@dataclass(frozen=True)
class _ModuleView:
    requirements: list[tuple[str, str]]  # (name, version), in terraform-docs' order
    providers: list[tuple[str, str, str]]  # (name, alias, version)
    module_calls: list[_ModuleCall]
    resources: list[_Resource]
    inputs: list[_Input]
    outputs: list[_Output]


def _read_module(module: Mapping[str, Any]) -> _ModuleView:
    if not isinstance(module, Mapping):
        raise DocsError("a module must be a JSON object")
    required_core, required_providers = _read_terraform_settings(module)
    # Repeated blocks replace earlier ones, as in tfconfig's maps.
    resource_blocks = _last_of_each(_read_resource_blocks(module), key=lambda block: block[:3])
    # tfconfig gives every provider a resource uses a (constraint-less)
    # requirement, which is what turns "" into "latest" in registry links.
    for _, _, _, provider, _ in resource_blocks:
        required_providers.setdefault(provider, _ProviderRequirement())
    return _ModuleView(
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


def _read_terraform_settings(module: Mapping[str, Any]) -> tuple[list[str], dict[str, _ProviderRequirement]]:
    required_core: list[str] = []
    required_providers: dict[str, _ProviderRequirement] = {}
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
        requirement = _ProviderRequirement(constraints=(version,) if version is not None else ())
        _merge_requirement(required_providers, name, requirement)
    return required_core, required_providers


def _read_requirement(name: str, requirement: Any) -> _ProviderRequirement:
    where = f"terraform.required_providers.{name}"
    if isinstance(requirement, str):  # legacy form: a bare version constraint
        return _ProviderRequirement(constraints=(requirement,))
    if not isinstance(requirement, Mapping):
        raise DocsError(f"{where}: must be a string or an object")
    version = _string_attribute(requirement, "version", where)
    return _ProviderRequirement(
        source=_string_attribute(requirement, "source", where) or "",
        constraints=(version,) if version is not None else (),
    )


def _merge_requirement(into: dict[str, _ProviderRequirement], name: str, new: _ProviderRequirement) -> None:
    existing = into.setdefault(name, _ProviderRequirement())
    if new.source:
        if existing.source and existing.source != new.source:
            raise DocsError(f"provider {name}: conflicting sources {existing.source!r} and {new.source!r}")
        existing.source = new.source
    existing.constraints += new.constraints


def _requirements(
    required_core: list[str], required_providers: Mapping[str, _ProviderRequirement]
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
    required_providers: Mapping[str, _ProviderRequirement],
) -> list[tuple[str, str, str]]:
    used = {(provider, alias) for _, _, _, provider, alias in resource_blocks}
    return [
        (provider, alias, " ".join(required_providers[provider].constraints))
        for provider, alias in sorted(used)
    ]


def _resources(
    resource_blocks: list[tuple[str, str, str, str, str]],
    required_providers: Mapping[str, _ProviderRequirement],
) -> list[_Resource]:
    resources = []
    for mode, resource_type, name, provider, _ in resource_blocks:
        requirement = required_providers[provider]
        resources.append(
            _Resource(
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


def _read_module_calls(module: Mapping[str, Any]) -> Iterator[_ModuleCall]:
    for name, body in _labelled(module, "module"):
        source = _string_attribute(body, "source", f"module.{name}") or ""
        version = _string_attribute(body, "version", f"module.{name}") or ""
        yield _ModuleCall(name, *_split_source_ref(source, version))


def _split_source_ref(source: str, version: str) -> tuple[str, str]:
    """A git source's "?ref=" shows as the version when no version is given."""
    position = source.rfind("?ref=")
    if version or position == -1 or position + len("?ref=") >= len(source):
        return source, version
    return source[:position], source[position + len("?ref=") :]


def _read_inputs(module: Mapping[str, Any]) -> Iterator[_Input]:
    for name, body in _labelled(module, "variable"):
        where = f"variable.{name}"
        description = _string_attribute(body, "description", where) or ""
        has_default = "default" in body
        default = body.get("default")
        yield _Input(
            name=name,
            type=_input_type(_string_attribute(body, "type", where), default),
            description=description.replace("\r\n", "\n"),
            has_default=has_default,
            default=default,
        )


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


def _read_outputs(module: Mapping[str, Any]) -> Iterator[_Output]:
    for name, body in _labelled(module, "output"):
        description = _string_attribute(body, "description", f"output.{name}") or ""
        yield _Output(name=name, description=description.replace("\r\n", "\n"))


# --- Rendering ----------------------------------------------------------------------


@lru_cache(maxsize=1)
def _templates() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


def _render_content(view: _ModuleView) -> str:
    rendered = _templates().get_template(SECTION_TEMPLATE).render(
        requirements=[
            {"name": _anchor("requirement", name), "version": version or "n/a"}
            for name, version in view.requirements
        ],
        providers=[
            {"name": _anchor("provider", f"{name}.{alias}" if alias else name), "version": version or "n/a"}
            for name, alias, version in view.providers
        ],
        modules=[
            {"name": _anchor("module", call.name), "source": call.source, "version": call.version or "n/a"}
            for call in view.module_calls
        ],
        resources=[
            {"name": _resource_link(resource), "kind": _RESOURCE_KINDS[resource.mode]}
            for resource in view.resources
        ],
        inputs=[_input_row(item) for item in view.inputs],
        outputs=[
            {"name": _anchor("output", item.name), "description": _table_cell(item.description)}
            for item in view.outputs
        ],
    )
    return _sanitize_document(rendered)


_RESOURCE_KINDS = {"managed": "resource", "data": "data source"}


def _input_row(item: _Input) -> dict[str, str]:
    return {
        "name": _anchor("input", item.name),
        "description": _table_cell(item.description),
        "type": _table_cell(_fenced(item.type)),
        "default": _table_cell(_fenced(_default_text(item)) if item.has_default else "n/a"),
        "required": "no" if item.has_default else "yes",
    }


def _anchor(prefix: str, name: str) -> str:
    # The <a name> keeps raw underscores on purpose (escaping breaks the anchor).
    anchor = f"{prefix}_{name}"
    return f'<a name="{anchor}"></a> [{_escape_name(name)}](#{_escape_name(anchor)})'


def _escape_name(name: str) -> str:
    return name.replace("_", "\\_")


def _resource_link(resource: _Resource) -> str:
    # A source with a hostname ("registry.example.com/ns/name") has no known docs URL.
    if resource.source.count("/") > 1:
        return resource.spec
    kind = "resources" if resource.mode == "managed" else "data-sources"
    url = (
        f"https://registry.terraform.io/providers/{resource.source}/{resource.version}"
        f"/docs/{kind}/{resource.type}"
    )
    return f"[{resource.spec}]({url})"


def _fenced(code: str) -> str:
    """Inline code, or a fenced block if multi-line (later turned into <pre>)."""
    if "\n" in code:
        return f"\n\n```\n{code}\n```\n"
    return f"`{code}`"


def _default_text(item: _Input) -> str:
    return _go_json(item.default, "")


# --- Go's encoding/json, as terraform-docs prints defaults -------------------------------


def _go_json(value: Any, indent: str) -> str:
    """json.Encoder with SetIndent("", "  ") and SetEscapeHTML(false)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return _go_number(value)
    if isinstance(value, str):
        return _go_string(value)
    inner = indent + "  "
    if isinstance(value, list):
        if not value:
            return "[]"
        items = [inner + _go_json(item, inner) for item in value]
        return "[\n" + ",\n".join(items) + "\n" + indent + "]"
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        items = [f"{inner}{_go_string(key)}: {_go_json(value[key], inner)}" for key in sorted(value)]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    raise DocsError(f"cannot print default value {value!r}")


def _go_number(number: int | float) -> str:
    """A float64 as Go prints it: shortest digits, exponent only below 1e-6 or from 1e21."""
    try:
        value = float(number)  # Terraform's default passes through a float64 here
    except OverflowError:
        raise DocsError(f"number {number} does not fit a float64") from None
    if value == 0:
        return "-0" if str(value).startswith("-") else "0"
    if 1e-6 <= abs(value) < 1e21:
        text = format(Decimal(repr(value)), "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    text = repr(value)  # e.g. "1e+21", "1.5e-07": Go's mantissa and sign, but...
    return re.sub(r"e-0(\d)$", r"e-\1", text)  # ...Go drops a leading exponent zero when negative


def _go_string(text: str) -> str:
    # Python escapes the same characters Go (1.22+) does, except the two
    # JavaScript line terminators, which Go always escapes.
    return json.dumps(text, ensure_ascii=False).replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


# --- terraform-docs' Markdown sanitizing (template/sanitizer.go, format/util.go) --------

# Go's strings.TrimSpace / unicode.IsSpace set (Python's str.strip also trims \x1c-\x1f).
_GO_SPACE = (
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)
# RE2's \s, \S and \w are ASCII-only and \s excludes \v.
_RE2_SPACE = r"[\t\n\f\r ]"
_RE2_NON_SPACE = r"[^\t\n\f\r ]"
_RE2_WORD = r"[0-9A-Za-z_]"

_NOT_ESCAPED = "‡‡‡DONTESCAPE‡‡‡"
# Underscores that start a line-leading list/rule marker, and the ones that
# delimit _emphasis_, stay Markdown; every other underscore is escaped.
_LEADING_UNDERSCORES = re.compile(rf"^({_RE2_SPACE}*)(_+)({_RE2_SPACE}+)(.*)")
_EMPHASIS_UNDERSCORES = re.compile(
    rf"({_RE2_SPACE}+)(_+)([^\t\n\f\r _])(.*)([^\t\n\f\r _])(_+)({_RE2_SPACE}+)"
)
_LINE_BREAK_BEFORE_WORD = re.compile(rf"({_RE2_NON_SPACE}*)(\r?\n)({_RE2_SPACE}*)({_RE2_WORD}+)")


def _table_cell(text: str) -> str:
    """SanitizeMarkdownTable with escaping and HTML on: one table cell's Markdown."""
    if text == "":
        return "n/a"
    return _process_segments(text, "```", _sanitize_prose, _code_block_to_pre)


def _sanitize_prose(segment: str) -> str:
    segment = _escape_characters(segment)
    segment = _convert_multiline_text(segment)
    return _normalize_urls(segment)


def _code_block_to_pre(segment: str) -> str:
    code = segment.strip(_GO_SPACE).replace("\n", "<br/>").replace("\r", "")
    return f"<pre>{code}</pre>"


def _process_segments(
    text: str, fence: str, prose: Callable[[str], str], code: Callable[[str], str]
) -> str:
    """Apply `prose` outside fences and `code` inside; empty pieces do not flip the state.

    That quirk (and re-wrapping code spans with a closing fence even when the
    source left them open) is terraform-docs' processSegments, kept as is.
    """
    in_code = text.startswith(fence)
    pieces = []
    for segment in text.split(fence):
        if not segment:
            continue
        pieces.append(code(segment) if in_code else prose(segment))
        in_code = not in_code
    return "".join(pieces)


def _wrap_code_span(segment: str) -> str:
    return f"`{segment}`"


def _escape_characters(text: str) -> str:
    """Escape pipes and underscores outside `code spans` (EscapeCharacters)."""
    text = _process_segments(text, "`", lambda prose: prose.replace("|", "\\|"), _wrap_code_span)
    return _process_segments(text, "`", _escape_underscores_per_line, _wrap_code_span)


def _escape_underscores_per_line(text: str) -> str:
    return "\n".join(_escape_underscores(line) for line in text.split("\n"))


def _escape_underscores(line: str) -> str:
    for pattern, groups in ((_LEADING_UNDERSCORES, (2,)), (_EMPHASIS_UNDERSCORES, (6, 2))):
        # Later groups first (and later matches first), so earlier offsets stay valid.
        for match in reversed(list(pattern.finditer(line))):
            for group in groups:
                start, end = match.span(group)
                line = line[:start] + match.group(group).replace("_", _NOT_ESCAPED) + line[end:]
    return line.replace("_", "\\_").replace(_NOT_ESCAPED, "_")


def _convert_multiline_text(text: str) -> str:
    """ConvertMultiLineText for a table cell: every line break becomes <br/>."""
    text = text.strip(_GO_SPACE)
    text = _LINE_BREAK_BEFORE_WORD.sub(r"\1  \2\3\4", text)
    text = text.replace("    \n", "  \n").replace("  \n\n", "\n\n").replace("\n  \n", "\n\n")
    return text.replace("  \n", "<br/>").replace("\n", "<br/>")


def _normalize_urls(text: str) -> str:
    """Undo escaping inside URLs: terraform-docs drops every backslash from each URL found."""
    if ":" not in text:  # every scheme ends with ":"; skips the costly search for most cells
        return text
    for url in _strict_url_pattern().findall(text):
        text = text.replace(url, url.replace("\\", ""))
    return text


_DOUBLE_SPACES = "‡‡‡DOUBLESPACES‡‡‡"
# (pattern, replacement) in order; Go's `$` without (?m) is Python's \Z, not `$`.
_DOCUMENT_CLEANUPS = [
    (re.compile(r" {2}(\r?\n)"), _DOUBLE_SPACES + r"\1"),  # keep Markdown hard breaks...
    (re.compile(r" +(\r?\n)"), r"\1"),  # ...while dropping other trailing spaces
    (re.compile(r" +\Z"), ""),
    (re.compile(re.escape(_DOUBLE_SPACES) + r"(\r?\n)"), r"  \1"),
    (re.compile(r"(\r?\n)  (\r?\n)"), r"\1"),
    (re.compile(r"(\r?\n){3,}"), r"\1\1"),  # at most one blank line in a row
    (re.compile(r"(\r?\n){2,}\Z"), ""),  # no trailing blank lines
]


def _sanitize_document(markdown: str) -> str:
    """format/util.go sanitize(), which terraform-docs runs over the whole section."""
    for pattern, replacement in _DOCUMENT_CLEANUPS:
        markdown = pattern.sub(replacement, markdown)
    return markdown


# --- URL detection: mvdan.cc/xurls v2.5.0 Strict() ------------------------------------
# Tables below are xurls' generated data (IANA schemes; Unicode ranges it
# allows inside and at the end of a URL path), rewritten as Python regex text.


@lru_cache(maxsize=1)
def _strict_url_pattern() -> re.Pattern[str]:
    unreserved = r"a-zA-Z0-9\-._~"
    end_unreserved = r"a-zA-Z0-9\-_~"
    mid_sub_delims = r"!$&'*+,;="
    end_sub_delims = r"$&+="
    private_use = r"\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd"
    mid_char = r"/?#\\" + unreserved + "%" + mid_sub_delims + ":@" + _XURLS_UCS_CHAR + private_use
    end_char = r"/#" + end_unreserved + "%" + end_sub_delims + _XURLS_UCS_CHAR_MINUS_PUNCT + private_use
    well_paren = rf"\((?:[{mid_char}]|\([{mid_char}]*\))*\)"
    well_bracket = rf"\[(?:[{mid_char}]|\[[{mid_char}]*\])*\]"
    well_brace = rf"\{{(?:[{mid_char}]|\{{[{mid_char}]*\}})*\}}"
    path = rf"(?:[{mid_char}]*(?:{well_paren}|{well_bracket}|{well_brace}|[{end_char}]))+"
    authority_schemes = "|".join(map(re.escape, _XURLS_SCHEMES.split() + _XURLS_UNOFFICIAL_SCHEMES.split()))
    no_authority_schemes = "|".join(map(re.escape, _XURLS_NO_AUTHORITY_SCHEMES.split()))
    # Alternation order cannot change a match: "://" or ":" must follow the scheme.
    schemes = f"(?i:(?:{authority_schemes})://|(?:{no_authority_schemes}):)"
    # Non-capturing everywhere, so findall returns whole matches.
    return re.compile(schemes + path)


_XURLS_NO_AUTHORITY_SCHEMES = "bitcoin cid file magnet mailto mid sms tel xmpp"
_XURLS_UNOFFICIAL_SCHEMES = "gemini jdbc moz-extension postgres postgresql slack zoommtg zoomus"
_XURLS_SCHEMES = """
    aaa aaas about acap acct acd acr adiumxtra adt afp afs aim amss android appdata apt ar ark
    attachment aw barion bb beshare bitcoin bitcoincash blob bolo browserext cabal calculator
    callto cap cast casts chrome chrome-extension cid coap coap+tcp coap+ws coaps coaps+tcp
    coaps+ws com-eventbrite-attendee content content-type crid cstr cvs dab dat data dav
    diaspora dict did dis dlna-playcontainer dlna-playsingle dns dntp doi dpp drm drop dtmi dtn
    dvb dvx dweb ed2k eid elsi embedded ens ethereum example facetime fax feed feedready fido
    file filesystem finger first-run-pen-experience fish fm ftp fuchsia-pkg geo gg git gitoid
    gizmoproject go gopher graph grd gtalk h323 ham hcap hcp http https hxxp hxxps hydrazone
    hyper iax icap icon im imap info iotdisco ipfs ipn ipns ipp ipps irc irc6 ircs iris
    iris.beep iris.lwz iris.xpc iris.xpcs isostore itms jabber jar jms keyparc lastfm lbry ldap
    ldaps leaptofrogans lorawan lpa lvlt magnet mailserver mailto maps market matrix message
    microsoft.windows.camera microsoft.windows.camera.multipicker
    microsoft.windows.camera.picker mid mms modem mongodb moz ms-access ms-appinstaller
    ms-browser-extension ms-calculator ms-drive-to ms-enrollment ms-excel ms-eyecontrolspeech
    ms-gamebarservices ms-gamingoverlay ms-getoffice ms-help ms-infopath ms-inputapp
    ms-lockscreencomponent-config ms-media-stream-id ms-meetnow ms-mixedrealitycapture
    ms-mobileplans ms-newsandinterests ms-officeapp ms-people ms-project ms-powerpoint
    ms-publisher ms-remotedesktop-launch ms-restoretabcompanion ms-screenclip ms-screensketch
    ms-search ms-search-repair ms-secondary-screen-controller ms-secondary-screen-setup
    ms-settings ms-settings-airplanemode ms-settings-bluetooth ms-settings-camera
    ms-settings-cellular ms-settings-cloudstorage ms-settings-connectabledevices
    ms-settings-displays-topology ms-settings-emailandaccounts ms-settings-language
    ms-settings-location ms-settings-lock ms-settings-nfctransactions ms-settings-notifications
    ms-settings-power ms-settings-privacy ms-settings-proximity ms-settings-screenrotation
    ms-settings-wifi ms-settings-workplace ms-spd ms-stickers ms-sttoverlay ms-transit-to
    ms-useractivityset ms-virtualtouchpad ms-visio ms-walk-to ms-whiteboard ms-whiteboard-cmd
    ms-word msnim msrp msrps mss mt mtqp mumble mupdate mvn news nfs ni nih nntp notes num ocf
    oid onenote onenote-cmd opaquelocktoken openpgp4fpr otpauth p1 pack palm paparazzi payment
    payto pkcs11 platform pop pres prospero proxy pwid psyc pttp qb query quic-transport redis
    rediss reload res resource rmi rsync rtmfp rtmp rtsp rtsps rtspu sarif secondlife
    secret-token service session sftp sgn shc sieve simpleledger simplex sip sips skype smb smp
    sms smtp snews snmp soap.beep soap.beeps soldat spiffe spotify ssb ssh starknet steam stun
    stuns submit svn swh swid swidpath tag taler teamspeak tel teliaeid telnet tftp things
    thismessage tip tn3270 tool turn turns tv udp unreal upt urn ut2004 uuid-in-package v-event
    vemmi ventrilo ves videotex vnc view-source vscode vscode-insiders vsls w3 wais web3 wcr
    webcal web+ap wifi wpid ws wss wtai wyciwyg xcon xcon-userid xfire xmlrpc.beep xmlrpc.beeps
    xmpp xri ymsgr z39.50 z39.50r z39.50s
"""
_XURLS_UCS_CHAR = (
    r"\u00a1-\u167f\u1681-\u1fff\u200b-\u2027\u202a-\u202e\u2030-\u205e\u2060-\u2fff"
    r"\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\uffef\U00010000-\U0001fffd\U00020000-\U0002fffd"
    r"\U00030000-\U0003fffd\U00040000-\U0004fffd\U00050000-\U0005fffd\U00060000-\U0006fffd"
    r"\U00070000-\U0007fffd\U00080000-\U0008fffd\U00090000-\U0009fffd\U000a0000-\U000afffd"
    r"\U000b0000-\U000bfffd\U000c0000-\U000cfffd\U000d0000-\U000dfffd\U000e1000-\U000efffd"
)
_XURLS_UCS_CHAR_MINUS_PUNCT = (
    r"\u00a2-\u00a6\u00a8-\u00b5\u00b8-\u00be\u00c0-\u037d\u037f-\u0386\u0388-\u0559"
    r"\u0560-\u0588\u058a-\u05bf\u05c1-\u05c2\u05c4-\u05c5\u05c7-\u05f2\u05f5-\u0608\u060b"
    r"\u060e-\u061a\u061c-\u061d\u0620-\u0669\u066e-\u06d3\u06d5-\u06ff\u070e-\u07f6"
    r"\u07fa-\u082f\u083f-\u085d\u085f-\u0963\u0966-\u096f\u0971-\u09fc\u09fe-\u0a75"
    r"\u0a77-\u0aef\u0af1-\u0c76\u0c78-\u0c83\u0c85-\u0df3\u0df5-\u0e4e\u0e50-\u0e59"
    r"\u0e5c-\u0f03\u0f13\u0f15-\u0f84\u0f86-\u0fcf\u0fd5-\u0fd8\u0fdb-\u1049\u1050-\u10fa"
    r"\u10fc-\u135f\u1369-\u166d\u166f-\u167f\u1681-\u16ea\u16ee-\u1734\u1737-\u17d3\u17d7"
    r"\u17db-\u17ff\u1806\u180b-\u1943\u1946-\u1a1d\u1a20-\u1a9f\u1aa7\u1aae-\u1b59"
    r"\u1b61-\u1bfb\u1c00-\u1c3a\u1c40-\u1c7d\u1c80-\u1cbf\u1cc8-\u1cd2\u1cd4-\u1fff"
    r"\u200b-\u2015\u2018-\u201f\u202a-\u202e\u2039-\u203a\u203f-\u2040\u2044-\u2046\u2052"
    r"\u2054\u2060-\u2cf8\u2cfd\u2d00-\u2d6f\u2d71-\u2dff\u2e02-\u2e05\u2e09-\u2e0a"
    r"\u2e0c-\u2e0d\u2e17\u2e1a\u2e1c-\u2e1d\u2e20-\u2e29\u2e2f\u2e3a-\u2e3b\u2e40\u2e42"
    r"\u2e50-\u2e51\u2e53-\u2fff\u3004-\u303c\u303e-\u30fa\u30fc-\ua4fd\ua500-\ua60c"
    r"\ua610-\ua672\ua674-\ua67d\ua67f-\ua6f1\ua6f8-\ua873\ua878-\ua8cd\ua8d0-\ua8f7\ua8fb"
    r"\ua8fd-\ua92d\ua930-\ua95e\ua960-\ua9c0\ua9ce-\ua9dd\ua9e0-\uaa5b\uaa60-\uaadd"
    r"\uaae0-\uaaef\uaaf2-\uabea\uabec-\ud7ff\uf900-\ufdcf\ufdf0-\ufe0f\ufe17-\ufe18"
    r"\ufe1a-\ufe2f\ufe31-\ufe44\ufe47-\ufe48\ufe4d-\ufe4f\ufe53\ufe58-\ufe5e\ufe62-\ufe67"
    r"\ufe69\ufe6c-\uff00\uff04\uff08-\uff09\uff0b\uff0d\uff10-\uff19\uff1c-\uff1e"
    r"\uff21-\uff3b\uff3d-\uff60\uff62-\uff63\uff66-\uffef\U00010000-\U000100ff"
    r"\U00010103-\U0001039e\U000103a0-\U000103cf\U000103d1-\U0001056e\U00010570-\U00010856"
    r"\U00010858-\U0001091e\U00010920-\U0001093e\U00010940-\U00010a4f\U00010a59-\U00010a7e"
    r"\U00010a80-\U00010aef\U00010af7-\U00010b38\U00010b40-\U00010b98\U00010b9d-\U00010f54"
    r"\U00010f5a-\U00011046\U0001104e-\U000110ba\U000110bd\U000110c2-\U0001113f"
    r"\U00011144-\U00011173\U00011176-\U000111c4\U000111c9-\U000111cc\U000111ce-\U000111da"
    r"\U000111dc\U000111e0-\U00011237\U0001123e-\U000112a8\U000112aa-\U0001144a"
    r"\U00011450-\U00011459\U0001145c\U0001145e-\U000114c5\U000114c7-\U000115c0"
    r"\U000115d8-\U00011640\U00011644-\U0001165f\U0001166d-\U0001173b\U0001173f-\U0001183a"
    r"\U0001183c-\U00011943\U00011947-\U000119e1\U000119e3-\U00011a3e\U00011a47-\U00011a99"
    r"\U00011a9d\U00011aa3-\U00011c40\U00011c46-\U00011c6f\U00011c72-\U00011ef6"
    r"\U00011ef9-\U00011ffe\U00012000-\U0001246f\U00012475-\U00016a6d\U00016a70-\U00016af4"
    r"\U00016af6-\U00016b36\U00016b3c-\U00016b43\U00016b45-\U00016e96\U00016e9b-\U00016fe1"
    r"\U00016fe3-\U0001bc9e\U0001bca0-\U0001da86\U0001da8c-\U0001e95d\U0001e960-\U0001fffd"
    r"\U00020000-\U0002fffd\U00030000-\U0003fffd\U00040000-\U0004fffd\U00050000-\U0005fffd"
    r"\U00060000-\U0006fffd\U00070000-\U0007fffd\U00080000-\U0008fffd\U00090000-\U0009fffd"
    r"\U000a0000-\U000afffd\U000b0000-\U000bfffd\U000c0000-\U000cfffd\U000d0000-\U000dfffd"
    r"\U000e1000-\U000efffd"
)
