"""How terraform-docs prints a default value: Go's encoding/json with two-space indent
(`internal/types/types.go`), numbers as Go formats a float64."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any, Mapping

from metaflow_cdktf.docs.errors import DocsError


def go_json(value: Any, indent: str) -> str:
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
        items = [inner + go_json(item, inner) for item in value]
        return "[\n" + ",\n".join(items) + "\n" + indent + "]"
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        items = [f"{inner}{_go_string(key)}: {go_json(value[key], inner)}" for key in sorted(value)]
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
