"""Values and attributes in HCL's native syntax, laid out as `terraform fmt` lays them out.

Ported from hclwrite (hashicorp/hcl v2, the library `terraform fmt` formats with): string
escaping as `escapeQuotedStringLit` does it, and the alignment of `=` across consecutive one-line
attributes of a body (`format.go`, `formatCells`).
"""

from __future__ import annotations

import re
from typing import Any, Iterable, Mapping

from metaflow_cdktf.docs.errors import DocsError

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def hcl_value(value: Any) -> str:
    """A Python value (str, number, bool, list, dict) as an HCL expression on one line."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return _number(value)
    if isinstance(value, str):
        return _quoted(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(hcl_value(item) for item in value) + "]"
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        items = ", ".join(f"{_key(key)} = {hcl_value(item)}" for key, item in value.items())
        return "{ " + items + " }"
    raise DocsError(f"cannot write {value!r} as an HCL value")


def aligned_attributes(attributes: Iterable[tuple[str, str]]) -> list[str]:
    """`name = value` lines of one group of consecutive one-line attributes, each `=` in the column
    after the longest name, as terraform fmt aligns them."""
    attributes = list(attributes)
    width = max((len(name) for name, _ in attributes), default=0)
    return [f"{name.ljust(width)} = {value}" for name, value in attributes]


def _number(number: int | float) -> str:
    if isinstance(number, float) and not number.is_integer():
        return repr(number)
    return str(int(number))


def _quoted(text: str) -> str:
    escaped = "".join(_ESCAPES.get(character, _control_escape(character)) for character in text)
    # a template sequence would be read as an interpolation or a directive
    return '"' + escaped.replace("${", "$${").replace("%{", "%%{") + '"'


def _control_escape(character: str) -> str:
    return f"\\u{ord(character):04x}" if ord(character) < 0x20 else character


def _key(key: Any) -> str:
    if not isinstance(key, str):
        raise DocsError(f"cannot write the map key {key!r} in HCL")
    return key if _IDENTIFIER.fullmatch(key) else _quoted(key)
