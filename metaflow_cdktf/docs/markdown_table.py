"""terraform-docs' `markdown table` format: the model's rows, escaped, rendered with the
templates/tf_docs.md.j2 layout (ported from terraform-docs v0.19.0
`format/templates/markdown_table_*.tmpl`, `format/markdown_table.go`, `format/util.go`
and `template/anchor.go`), default settings: anchors, escaping and HTML on, sorted by name.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

import jinja2

from metaflow_cdktf.docs.model import Input, ModuleView, Resource, read_module
from metaflow_cdktf.docs.sanitize import sanitize_document, table_cell
from metaflow_cdktf.docs.values import go_json

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
SECTION_TEMPLATE = "tf_docs.md.j2"


def render_tf_docs(module: Mapping[str, Any]) -> str:
    """The exact text between the BEGIN and END markers for this module.

    Newline contract: the result starts with "\\n" (ending the BEGIN marker's
    line) and ends with "\\n" (so the END marker starts its own line); the
    tables in between end without a trailing newline or blank line. In other
    words `BEGIN_MARKER + render_tf_docs(m) + END_MARKER` is precisely what
    terraform-docs' default output template
    "<!-- BEGIN_TF_DOCS -->\\n{{ .Content }}\\n<!-- END_TF_DOCS -->" produces.
    """
    return "\n" + _render_content(read_module(module)) + "\n"


@lru_cache(maxsize=1)
def templates() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


def _render_content(view: ModuleView) -> str:
    rendered = templates().get_template(SECTION_TEMPLATE).render(
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
            {"name": _anchor("output", item.name), "description": table_cell(item.description)}
            for item in view.outputs
        ],
    )
    return sanitize_document(rendered)


_RESOURCE_KINDS = {"managed": "resource", "data": "data source"}


def _input_row(item: Input) -> dict[str, str]:
    return {
        "name": _anchor("input", item.name),
        "description": table_cell(item.description),
        "type": table_cell(_fenced(item.type)),
        "default": table_cell(_fenced(_default_text(item)) if item.has_default else "n/a"),
        "required": "no" if item.has_default else "yes",
    }


def _anchor(prefix: str, name: str) -> str:
    # The <a name> keeps raw underscores on purpose (escaping breaks the anchor).
    anchor = f"{prefix}_{name}"
    return f'<a name="{anchor}"></a> [{_escape_name(name)}](#{_escape_name(anchor)})'


def _escape_name(name: str) -> str:
    return name.replace("_", "\\_")


def _resource_link(resource: Resource) -> str:
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


def _default_text(item: Input) -> str:
    return go_json(item.default, "")
