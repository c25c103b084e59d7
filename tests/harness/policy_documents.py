"""TEST-ONLY: the identity policies a synthesized module gives a role, as IAM would receive them.

`role_statements(module, role, variables)` reads a module's main.tf.json (parsed), finds the
`data.aws_iam_policy_document`s whose `json` the role gets (inline through `aws_iam_role_policy`,
or managed through `aws_iam_policy` + `aws_iam_role_policy_attachment`), and returns their
statements in IAM's JSON form, with Terraform's interpolations replaced by test values:

- `var.<name>`: `variables`, else the variable's default; a variable the module does not
  declare, or one with neither, is an error;
- `local.<name>`: the module's own locals, resolved the same way;
- `data.aws_region.current.name`, `data.aws_caller_identity.current.account_id`: `variables`
  under those names;
- a whole value `${compact([<ref>, ...])}`: the list of the references' values that are not empty;
- a dynamic statement's `for_each = <ref> != "" ? [1] : []`: one statement when the reference is
  not empty, none when it is.

Any other interpolation raises UnknownInterpolation: the tests learn of a new expression rather
than reading it wrong.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

REFERENCE = r"(?:var|local|data)\.[\w.]+"
INTERPOLATION = re.compile(r"\$\{(" + REFERENCE + r")\}")
COMPACT = re.compile(r"\$\{compact\(\[((?:\s*" + REFERENCE + r"\s*,?)+)\]\)\}")
ONE_IF_NOT_EMPTY = re.compile(r'\$\{(' + REFERENCE + r') != "" \? \[1\] : \[\]\}')
POLICY_DOCUMENT_JSON = re.compile(r"\$\{data\.aws_iam_policy_document\.(\w+)\.json\}")


class UnknownInterpolation(ValueError):
    """A Terraform expression these tests do not evaluate."""


class Module:
    """A module's main.tf.json and the test values of its variables and data sources."""

    def __init__(self, document: dict, variables: Mapping[str, str]):
        self.document = document
        self.variables = variables

    def value_of(self, reference: str) -> str:
        kind, _, name = reference.partition(".")
        if kind == "var":
            declared = self.document.get("variable", {})
            if name not in declared:
                raise UnknownInterpolation(f"var.{name}: the module declares no such variable")
            if name in self.variables:
                return self.variables[name]
            if "default" in declared[name]:
                return declared[name]["default"]
            raise UnknownInterpolation(f"var.{name}: no test value and no default")
        if kind == "local":
            locals_ = self.document.get("locals", {})
            if name not in locals_ or not isinstance(locals_[name], str):
                raise UnknownInterpolation(f"local.{name}: not a string local of the module")
            return self.text(locals_[name])
        if reference in self.variables:
            return self.variables[reference]
        raise UnknownInterpolation(f"{reference}: no test value")

    def text(self, value: str) -> str:
        """A string with every `${reference}` replaced; any other `${...}` is an error."""
        replaced = INTERPOLATION.sub(lambda match: self.value_of(match.group(1)), value)
        if "${" in replaced:
            raise UnknownInterpolation(f"{value!r}")
        return replaced

    def strings(self, value: str | list[str]) -> list[str]:
        """A list attribute: a literal list, or a whole `${compact([...])}`."""
        if isinstance(value, list):
            return [self.text(item) for item in value]
        compact = COMPACT.fullmatch(value)
        if not compact:
            raise UnknownInterpolation(f"{value!r} as a list")
        values = (self.value_of(reference.strip()) for reference in compact.group(1).split(","))
        return [item for item in values if item != ""]

    def repetitions(self, for_each: str) -> int:
        condition = ONE_IF_NOT_EMPTY.fullmatch(for_each)
        if not condition:
            raise UnknownInterpolation(f"for_each {for_each!r}")
        return 0 if self.value_of(condition.group(1)) == "" else 1


def role_statements(document: dict, role: str, variables: Mapping[str, str]) -> list[dict]:
    """The statements of every policy document `role` (an `aws_iam_role` name) gets."""
    module = Module(document, variables)
    documents = document.get("data", {}).get("aws_iam_policy_document", {})
    return [_iam_statement(module, statement)
            for name in _documents_of_role(document, role)
            for statement in _statements(module, documents[name])]


def _documents_of_role(document: dict, role: str) -> list[str]:
    resources = document.get("resource", {})
    role_name = f"${{aws_iam_role.{role}.name}}"
    inline = [policy["policy"] for policy in resources.get("aws_iam_role_policy", {}).values()
              if policy["role"] in (role_name, f"${{aws_iam_role.{role}.id}}")]
    attached = {attachment["policy_arn"] for attachment in resources.get("aws_iam_role_policy_attachment", {}).values()
                if attachment["role"] == role_name}
    managed = [policy["policy"] for name, policy in resources.get("aws_iam_policy", {}).items()
               if f"${{aws_iam_policy.{name}.arn}}" in attached]
    names = []
    for policy in inline + managed:
        match = POLICY_DOCUMENT_JSON.fullmatch(policy)
        if not match:
            raise UnknownInterpolation(f"policy {policy!r}: not a policy document's json")
        names.append(match.group(1))
    return names


def _statements(module: Module, document: dict) -> list[dict]:
    unknown = set(document) - {"statement", "dynamic"}
    if unknown or set(document.get("dynamic", {})) - {"statement"}:
        raise UnknownInterpolation(f"policy document arguments {sorted(unknown)}")
    dynamic = document.get("dynamic", {}).get("statement")
    repeated = [dynamic["content"]] * module.repetitions(dynamic["for_each"]) if dynamic else []
    return list(document.get("statement", [])) + repeated


def _iam_statement(module: Module, statement: dict) -> dict:
    """A Terraform `statement` block as IAM's JSON; what IAM's form has no place for is an error."""
    known = {"sid", "effect", "actions", "resources", "condition"}
    if set(statement) - known:
        raise UnknownInterpolation(f"statement arguments {sorted(set(statement) - known)} (only {sorted(known)})")
    converted = {
        "Effect": statement.get("effect", "Allow"),
        "Action": module.strings(statement["actions"]),
        "Resource": module.strings(statement["resources"]),
    }
    if "sid" in statement:
        converted["Sid"] = statement["sid"]
    condition: dict[str, dict[str, list[str]]] = {}
    for block in statement.get("condition", []):
        tests = condition.setdefault(block["test"], {})
        if block["variable"] in tests:
            raise UnknownInterpolation(f"two {block['test']} conditions on {block['variable']}")
        tests[block["variable"]] = module.strings(block["values"])
    if condition:
        converted["Condition"] = condition
    return converted
