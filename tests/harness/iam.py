"""TEST-ONLY: whether identity policies allow a request, decided the way IAM decides it.

`decide(statements, action, resource, context)` takes statements in IAM's JSON form
(`Effect`, `Action`, `Resource`, `Condition`) and answers "Allow", "Deny" (an explicit deny
applies, and wins) or "ImplicitDeny" (no statement allows).

What it follows of IAM's rules:

- actions match case-insensitively, resources case-sensitively; `*` stands for any run of
  characters (`:` and `/` included), `?` for one;
- a statement applies when its action, its resource and every one of its conditions match;
- conditions: the operators in OPERATORS, nothing else. `context` holds the request's condition
  keys (names case-insensitive); a key the request does not carry makes a positive operator
  false and a negated one (`StringNotEquals`, ...) true, as in IAM; `Null` tests whether a key is
  absent. Several values of one key match when any matches (for a negated operator: when none
  does); several keys or operators all have to match.

What it refuses, raising UnsupportedPolicy rather than guessing: `NotAction`, `NotResource`,
`Principal` (these are identity policies), an operator not listed, set operators
(`ForAnyValue:`/`ForAllValues:`), `...IfExists`, and a policy variable (`${...}`) left in a
resource. Resource-based policies, permission boundaries, SCPs and sessions are not modelled.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping

ALLOW, DENY, IMPLICIT_DENY = "Allow", "Deny", "ImplicitDeny"


class UnsupportedPolicy(ValueError):
    """The policy uses something this evaluator does not decide."""


def allows(statements: Iterable[dict], action: str, resource: str, context: Mapping[str, str] | None = None) -> bool:
    return decide(statements, action, resource, context) == ALLOW


def decide(statements: Iterable[dict], action: str, resource: str,
           context: Mapping[str, str] | None = None) -> str:
    keys = {name.lower(): value for name, value in (context or {}).items()}
    effects = {statement.get("Effect", ALLOW) for statement in statements
               if _applies(statement, action, resource, keys)}
    if DENY in effects:
        return DENY
    return ALLOW if ALLOW in effects else IMPLICIT_DENY


def _applies(statement: dict, action: str, resource: str, keys: Mapping[str, str]) -> bool:
    for unsupported in ("NotAction", "NotResource", "Principal", "NotPrincipal"):
        if unsupported in statement:
            raise UnsupportedPolicy(f"{unsupported} in {statement}")
    if statement.get("Effect", ALLOW) not in (ALLOW, DENY):
        raise UnsupportedPolicy(f"Effect {statement['Effect']!r}")
    return (any(_matches(pattern, action, ignore_case=True) for pattern in _listed(statement, "Action"))
            and any(_matches(_no_variable(pattern), resource) for pattern in _listed(statement, "Resource"))
            and _conditions_hold(statement.get("Condition", {}), keys))


def _listed(statement: dict, element: str) -> list[str]:
    value = statement.get(element)
    if value is None:
        raise UnsupportedPolicy(f"a statement without {element}: {statement}")
    return [value] if isinstance(value, str) else list(value)


def _no_variable(pattern: str) -> str:
    if "${" in pattern:
        raise UnsupportedPolicy(f"a policy variable or an unresolved interpolation in {pattern!r}")
    return pattern


def _matches(pattern: str, text: str, *, ignore_case: bool = False) -> bool:
    return re.fullmatch(_wildcards(pattern), text, re.IGNORECASE if ignore_case else 0) is not None


def _wildcards(pattern: str) -> str:
    """IAM's `*` and `?` as a regular expression; every other character stands for itself."""
    return "".join(".*" if char == "*" else "." if char == "?" else re.escape(char) for char in pattern)


# --- Conditions ------------------------------------------------------------------------------


def _string_equals(expected: str, actual: str) -> bool:
    return expected == actual


def _string_like(expected: str, actual: str) -> bool:
    return _matches(expected, actual)


def _bool(expected: str, actual: str) -> bool:
    return expected.lower() == actual.lower()


# operator: (test of one policy value against the request's value, negated)
OPERATORS: dict[str, tuple[Callable[[str, str], bool], bool]] = {
    "StringEquals": (_string_equals, False),
    "StringNotEquals": (_string_equals, True),
    "StringLike": (_string_like, False),
    "StringNotLike": (_string_like, True),
    "ArnEquals": (_string_equals, False),
    "ArnLike": (_string_like, False),
    "Bool": (_bool, False),
}


def _conditions_hold(condition: Mapping[str, Mapping[str, object]], keys: Mapping[str, str]) -> bool:
    return all(_condition_holds(operator, key, values, keys)
               for operator, tests in condition.items() for key, values in tests.items())


def _condition_holds(operator: str, key: str, values: object, keys: Mapping[str, str]) -> bool:
    expected = [values] if isinstance(values, str) else [str(value) for value in values]  # type: ignore[union-attr]
    present = key.lower() in keys
    if operator == "Null":
        return any((value.lower() == "true") != present for value in expected)
    if operator not in OPERATORS:
        raise UnsupportedPolicy(f"condition operator {operator!r}")
    test, negated = OPERATORS[operator]
    if not present:
        return negated
    matched = any(test(value, keys[key.lower()]) for value in expected)
    return not matched if negated else matched
