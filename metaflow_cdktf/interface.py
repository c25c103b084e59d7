"""A Terraform module's interface, declared once in plain Python.

A `ModuleSpec` lists the module's variables and outputs. The same declaration
drives the `variable`/`output` blocks of the synthesized module, the keyword
arguments (and their checks) of the Python class used from a CDKTF app, the
checks of the root module's calls to its submodules and, through the
synthesized JSON, the README tables.

Nothing here imports cdktf or jsii: the docs, the checks and the no-change fast
path read it without paying for the provider bindings. A module's build
function (which needs them) lives in a file of its own and registers itself
with `@SPEC.builds`.
"""

from __future__ import annotations

import abc
import dataclasses
import functools
import json
import os
import re
import struct
import sys
import types
from dataclasses import dataclass
from typing import Any, Callable, Mapping


class _Required:
    """Marks a variable without a default (Terraform makes it required)."""

    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED: Any = _Required()


# --- Rules on a variable's value ----------------------------------------------------
# A rule is stated once and gives both Terraform's `validation` block (checked at plan
# time for plain Terraform users) and the construct's check (before synthesis).


@dataclass(frozen=True)
class Rule(abc.ABC):
    """A condition a variable's value must meet; `message` is Terraform's error message (a full
    sentence) and the construct's."""

    message: str

    @abc.abstractmethod
    def condition(self, reference: str) -> str:
        """The Terraform expression that holds when the value at `reference` is valid."""

    @abc.abstractmethod
    def holds(self, value: Any) -> bool:
        """Whether a value known in Python is valid."""


@dataclass(frozen=True)
class MatchesPattern(Rule):
    """A string matching `pattern` (a regular expression RE2 and Python read alike), or, when
    `empty_allowed`, the empty string, which the module reads as "not set"."""

    pattern: str = ""
    empty_allowed: bool = False

    def condition(self, reference: str) -> str:
        matches = f"can(regex({json.dumps(self.pattern)}, {reference}))"
        return f'{reference} == "" || {matches}' if self.empty_allowed else matches

    def holds(self, value: Any) -> bool:
        if self.empty_allowed and value == "":
            return True
        return isinstance(value, str) and re.search(self.pattern, value) is not None


@dataclass(frozen=True)
class EachMatches(Rule):
    """A list whose every element is a string matching `pattern` (as in MatchesPattern)."""

    pattern: str = ""

    def condition(self, reference: str) -> str:
        # a for expression rather than alltrue(), which Terraform 0.13 (the modules' floor) lacks
        mismatches = f"[for element in {reference} : element if !can(regex({json.dumps(self.pattern)}, element))]"
        return f"length({mismatches}) == 0"

    def holds(self, value: Any) -> bool:
        return all(isinstance(element, str) and re.search(self.pattern, element) is not None
                   for element in value)


@dataclass(frozen=True)
class OneOf(Rule):
    """One of a closed set of strings or numbers."""

    values: tuple[str | int, ...] = ()

    def condition(self, reference: str) -> str:
        return f"contains({json.dumps(list(self.values))}, {reference})"

    def holds(self, value: Any) -> bool:
        # True == 1 in Python; a bool is never one of these values in Terraform
        return not isinstance(value, bool) and value in self.values


@dataclass(frozen=True)
class WholeNumberBetween(Rule):
    """A whole number from `low` to `high` (both included; no upper bound when `high` is None)."""

    low: int = 0
    high: int | None = None

    def condition(self, reference: str) -> str:
        bounds = [f"{reference} >= {self.low}"] + ([f"{reference} <= {self.high}"] if self.high is not None else [])
        return " && ".join([f"floor({reference}) == {reference}", *bounds])

    def holds(self, value: Any) -> bool:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not float(value).is_integer():
            return False
        return self.low <= value and (self.high is None or value <= self.high)


@dataclass(frozen=True)
class NotEmpty(Rule):
    """A list (or string, or map) with at least one element."""

    def condition(self, reference: str) -> str:
        return f"length({reference}) > 0"

    def holds(self, value: Any) -> bool:
        return len(value) > 0


@dataclass(frozen=True)
class EveryEntry(Rule):
    """Every entry of a map meets one condition, written in both languages alike: `terraform`, an
    expression over `key` and `entry`, and `python(key, entry)`.

    In a map of objects, Terraform fills in the defaults of the optional attributes an entry leaves
    out (or sets to null) before it evaluates the condition; `defaults` are those, so the Python
    check reads the same entry. An entry it cannot read (an attribute missing or of another type)
    or that holds a reference is left to Terraform, which checks object types.
    """

    terraform: str = "true"
    python: Callable[[str, Any], bool] = lambda key, entry: True
    # hash=False: a frozen dataclass hashes its fields, and a default can be a list
    defaults: Mapping[str, Any] = dataclasses.field(default_factory=dict, hash=False)

    def condition(self, reference: str) -> str:
        return f"alltrue([for key, entry in {reference} : {self.terraform}])"

    def holds(self, value: Any) -> bool:
        return all(self._entry_holds(key, entry) for key, entry in value.items())

    def _entry_holds(self, key: str, entry: Any) -> bool:
        if _holds_reference(entry):
            return True
        if isinstance(entry, Mapping):
            entry = {**self.defaults, **{name: item for name, item in entry.items() if item is not None}}
        try:
            return self.python(key, entry)
        except (KeyError, TypeError):
            return True


def _holds_reference(value: Any) -> bool:
    """A value (or a part of it) known only to Terraform: a cdktf token or a `${...}` expression."""
    return _holds(value, lambda part: is_unresolved_token(part) or (isinstance(part, str) and "${" in part))


@dataclass(frozen=True)
class Variable:
    name: str
    type: str | None
    description: str | None = None
    default: Any = REQUIRED
    rules: tuple[Rule, ...] = ()

    def __post_init__(self) -> None:
        if self.type is None:
            return
        try:
            _parse_type(self.type)
        except TypeExpressionError as error:
            raise TypeExpressionError(f"{_declaration_site()}variable {self.name!r}: {error}") from None

    @property
    def required(self) -> bool:
        return self.default is REQUIRED

    def with_default(self, default: Any) -> Variable:
        """The same variable (name, type, description), optional with this default."""
        return dataclasses.replace(self, default=default)

    def check(self, value: Any) -> None:
        """Raise TypeError (a value of the wrong type) or ValueError (one a rule refuses), naming
        the argument. A reference known only at apply time is left to Terraform."""
        if is_unresolved_token(value):
            return
        if value is None:
            if self.required:
                raise TypeError(f"argument {self.name!r} is required and cannot be None")
            return
        if self.type is not None and not _matches_type(value, _parse_type(self.type)):
            raise TypeError(
                f"argument {self.name!r} must be a Terraform {self.type}, "
                f"got {type(value).__name__}: {value!r}"
            )
        if _holds_unresolved_token(value):
            # Terraform skips a rule on a value not wholly known at plan time, and checks the rest
            return
        for rule in self.rules:
            if not rule.holds(value):
                raise ValueError(f"argument {self.name!r} = {value!r}: {rule.message}")


def _declaration_site() -> str:
    """`<file>:<line>: ` of the code that declared the Variable being created: the first frame outside
    this file and the dataclass machinery (a module's spec, or modules/shared.py)."""
    frame: types.FrameType | None = sys._getframe(1)
    while frame is not None and (frame.f_code.co_filename in (__file__, "<string>", dataclasses.__file__)
                                 or frame.f_code.co_filename.startswith("<")):
        frame = frame.f_back
    if frame is None:
        return ""
    path = frame.f_code.co_filename
    base = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    in_checkout = os.path.relpath(path, base) if os.path.abspath(path).startswith(base + os.sep) else path
    return f"{in_checkout}:{frame.f_lineno}: "


@dataclass(frozen=True)
class Output:
    name: str
    description: str | None = None
    sensitive: bool = False

    def renamed(self, name: str) -> Output:
        """The same output (description, sensitivity) under another name."""
        return dataclasses.replace(self, name=name)


BuildFunction = Callable[[Any], Mapping[str, Any]]


# eq=False: specs compare and hash by identity (they hold dicts), so they can key a dict.
@dataclass(frozen=True, eq=False)
class ModuleSpec:
    """What a module is: its name, prose, interface and Terraform requirements.

    The function that builds its resources is registered by the module's build
    file (`@SPEC.builds`), which only synthesis imports: building resources needs
    the slow-to-import provider bindings, reading the interface does not.
    """

    name: str
    title: str
    description: str
    variables: tuple[Variable, ...]
    outputs: tuple[Output, ...]
    required_providers: Mapping[str, Mapping[str, str]]
    required_version: str | None

    def __post_init__(self) -> None:
        for kind, items in (("variable", self.variables), ("output", self.outputs)):
            names = [item.name for item in items]
            duplicates = sorted({n for n in names if names.count(n) > 1})
            if duplicates:
                raise ValueError(f"module {self.name}: duplicate {kind} {duplicates}")

    def builds(self, function: BuildFunction) -> BuildFunction:
        """Decorator of the module's build function: `build(scope)` creates the resources in
        `scope` (a stack whose variables are declared) and returns {output name: value}."""
        # the spec is frozen data; the build function is the one thing attached to it later
        object.__setattr__(self, "_build", function)
        return function

    @property
    def has_build(self) -> bool:
        """Whether a build function is attached (its build file imported)."""
        return hasattr(self, "_build")

    @property
    def build(self) -> BuildFunction:
        try:
            return self._build  # type: ignore[attr-defined]
        except AttributeError:
            raise LookupError(f"module {self.name}: no build function registered (import its build file)") from None

    def variable(self, name: str) -> Variable:
        for variable in self.variables:
            if variable.name == name:
                return variable
        raise KeyError(f"module {self.name} has no variable {name!r}")

    def bind_arguments(self, kwargs: Mapping[str, Any]) -> dict[str, Any]:
        """Check keyword arguments against the variables; return those to pass on.

        Optional arguments left out are not passed, so Terraform applies the
        module's own default.
        """
        known = {v.name for v in self.variables}
        unknown = sorted(set(kwargs) - known)
        if unknown:
            raise TypeError(f"{self.class_name()}: unexpected argument(s) {', '.join(unknown)}")
        missing = [v.name for v in self.variables if v.required and v.name not in kwargs]
        if missing:
            raise TypeError(f"{self.class_name()}: missing required argument(s) {', '.join(missing)}")
        for name, value in kwargs.items():
            try:
                self.variable(name).check(value)
            except (TypeError, ValueError) as error:
                raise type(error)(f"{self.class_name()}: {error}") from None
        return dict(kwargs)

    def check_call(self, arguments: Mapping[str, Any], *, caller: str) -> None:
        """Raise ValueError if a call of this module from `caller` passes a name it does not
        declare or leaves out a required one (the values are Terraform expressions)."""
        known = {v.name for v in self.variables}
        unknown = sorted(set(arguments) - known)
        missing = [v.name for v in self.variables if v.required and v.name not in arguments]
        problems = ([f"unknown argument(s) {', '.join(unknown)}"] if unknown else []) + (
            [f"missing required argument(s) {', '.join(missing)}"] if missing else [])
        if problems:
            raise ValueError(f"{caller}: the call of module {self.name} has {' and '.join(problems)}")

    def class_name(self) -> str:
        return "".join(part.capitalize() for part in re.split(r"[-_]", self.name))


# --- Terraform type expressions -------------------------------------------------
# Parsed into nested tuples: ("string",), ("list", ("string",)), ("object", {"name": (type, optional)}),
# ("tuple", (type, ...)). A mistyped expression fails where the variable is declared, not at
# `terraform init`.

_PRIMITIVE_PYTHON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "number": (int, float),
    "bool": (bool,),
    "any": (object,),
}
_COLLECTIONS = ("list", "set", "map")
_TYPE_GRAMMAR = ("string, number, bool, any, list(<type>), set(<type>), map(<type>), "
                 "object({<name> = <type>, ...}) or tuple([<type>, ...])")


class TypeExpressionError(ValueError):
    """A Terraform type expression that does not parse; the message names the variable and, when
    known, the file and line that declare it."""


@functools.lru_cache(maxsize=None)
def _parse_type(expression: str) -> Any:
    """Parse a Terraform type expression; raise TypeExpressionError when it is not one."""
    parser = _TypeParser(expression)
    parsed = parser.type()
    parser.end()
    return parsed


class _TypeParser:
    """Recursive descent over Terraform's type constraint syntax (as Terraform's typeexpr reads it)."""

    _NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")

    def __init__(self, expression: str) -> None:
        self.text, self.at = expression, 0

    def fail(self, problem: str) -> TypeExpressionError:
        return TypeExpressionError(f"{problem} in type {self.text!r}: a Terraform type is {_TYPE_GRAMMAR}")

    def skip_space(self) -> None:
        while self.at < len(self.text) and self.text[self.at].isspace():
            self.at += 1

    def peek(self, token: str) -> bool:
        self.skip_space()
        return self.text.startswith(token, self.at)

    def here(self) -> str:
        rest = self.text[self.at:self.at + 10]
        return f"at {rest!r}" if rest else "at the end"

    def expect(self, token: str) -> None:
        if not self.peek(token):
            raise self.fail(f"expected {token!r} {self.here()}")
        self.at += len(token)

    def name(self) -> str:
        self.skip_space()
        match = self._NAME.match(self.text, self.at)
        if match is None:
            raise self.fail(f"expected a type {self.here()}")
        self.at = match.end()
        return match.group()

    def type(self) -> Any:
        keyword = self.name()
        if keyword in _PRIMITIVE_PYTHON_TYPES:
            return (keyword,)
        if keyword in _COLLECTIONS:
            if not self.peek("("):
                return (keyword, ("any",))  # the legacy shorthand: `list` is list(any)
            self.expect("(")
            element = self.type()
            self.expect(")")
            return (keyword, element)
        if keyword == "object":
            return ("object", self.attributes())
        if keyword == "tuple":
            return ("tuple", self.elements())
        raise self.fail(f"unknown type {keyword!r}")

    def attributes(self) -> dict[str, tuple[Any, bool]]:
        """`({name = type, name = optional(type[, default]), ...})`: {name: (type, optional)}."""
        self.expect("(")
        self.expect("{")
        attributes: dict[str, tuple[Any, bool]] = {}
        while not self.peek("}"):
            name = self.name()
            self.expect("=")
            attributes[name] = self.attribute_type()
            if self.peek(","):
                self.expect(",")
        self.expect("}")
        self.expect(")")
        return attributes

    def attribute_type(self) -> tuple[Any, bool]:
        self.skip_space()
        if not (self.text.startswith("optional", self.at) and self.text[self.at + 8:].lstrip().startswith("(")):
            return self.type(), False
        self.name()
        self.expect("(")
        attribute = self.type()
        if self.peek(","):
            self.expect(",")
            self.skip_default()
        self.expect(")")
        return attribute, True

    def skip_default(self) -> None:
        """Pass over optional()'s default, an expression of any kind, up to its closing parenthesis."""
        depth, quoted = 0, False
        while self.at < len(self.text):
            character = self.text[self.at]
            if quoted:
                if character == "\\":
                    self.at += 1
                elif character == '"':
                    quoted = False
            elif character == '"':
                quoted = True
            elif character in "([{":
                depth += 1
            elif character in ")]}":
                if depth == 0:
                    return
                depth -= 1
            self.at += 1
        raise self.fail("unclosed optional(...)")

    def elements(self) -> tuple[Any, ...]:
        self.expect("(")
        self.expect("[")
        elements = []
        while not self.peek("]"):
            elements.append(self.type())
            if not self.peek("]"):
                self.expect(",")
        self.expect("]")
        self.expect(")")
        return tuple(elements)

    def end(self) -> None:
        self.skip_space()
        if self.at != len(self.text):
            raise self.fail(f"unexpected {self.text[self.at:self.at + 10]!r} after the type")


def _matches_type(value: Any, parsed: Any) -> bool:
    if is_unresolved_token(value):
        return True
    kind = parsed[0]
    if kind == "any":
        return True
    if kind in ("list", "set"):
        return isinstance(value, (list, tuple)) and all(_matches_type(v, parsed[1]) for v in value)
    if kind == "map":
        return isinstance(value, Mapping) and all(
            isinstance(k, str) and _matches_type(v, parsed[1]) for k, v in value.items()
        )
    if kind == "object":
        return isinstance(value, Mapping) and all(
            _matches_type(value[name], attribute) if name in value else optional
            for name, (attribute, optional) in parsed[1].items())
    if kind == "tuple":
        return isinstance(value, (list, tuple)) and len(value) == len(parsed[1]) and all(
            _matches_type(v, element) for v, element in zip(value, parsed[1], strict=True))
    if kind == "number" and isinstance(value, bool):
        return False  # bool is an int in Python, never a Terraform number
    if kind == "string" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return True  # Terraform converts numbers to strings
    return isinstance(value, _PRIMITIVE_PYTHON_TYPES[kind])


# How cdktf hands Python a reference known only at apply time, when not as an IResolvable object:
# encoded in a plain value (cdktf's lib/tokens/private/encoding.js).
_STRING_TOKEN = "${TfToken["
_LIST_TOKEN = "#{TfToken["
_MAP_TOKEN = "&{TfToken["
# the top 16 bits of a double that encodes a number token, or a list-of-numbers token
_NUMBER_TOKEN_BITS = 0xFDFF
_NUMBER_LIST_TOKEN_BITS = 0xFBFF


def is_unresolved_token(value: Any) -> bool:
    """Whether `value` is a cdktf reference, only known at apply time: an IResolvable object, a string
    holding a token, a list token (a one-element list), a map with a token key, or a number token."""
    if isinstance(value, str):
        return _STRING_TOKEN in value
    if isinstance(value, float):
        return _top_bits(value) == _NUMBER_TOKEN_BITS
    if isinstance(value, (list, tuple)):
        return len(value) == 1 and (
            (isinstance(value[0], str) and _LIST_TOKEN in value[0])
            or (isinstance(value[0], float) and _top_bits(value[0]) == _NUMBER_LIST_TOKEN_BITS))
    if isinstance(value, Mapping):
        return any(isinstance(key, str) and _MAP_TOKEN in key for key in value)
    return hasattr(value, "resolve") and not isinstance(value, bytes)


def _top_bits(number: float) -> int:
    """The sign, exponent and first mantissa bits of a double: where cdktf marks a number token."""
    return struct.unpack("<Q", struct.pack("<d", number))[0] >> 48


def _holds_unresolved_token(value: Any) -> bool:
    """Whether `value` is, or holds at any depth, a reference known only at apply time."""
    return _holds(value, is_unresolved_token)


def _holds(value: Any, is_reference: Callable[[Any], bool]) -> bool:
    """Whether `value`, or an element or map value of it at any depth, is a reference."""
    if is_reference(value):
        return True
    if isinstance(value, (list, tuple)):
        return any(_holds(element, is_reference) for element in value)
    if isinstance(value, Mapping):
        return any(_holds(element, is_reference) for element in value.values())
    return False


def python_annotation(type_expression: str | None) -> str:
    """The Python annotation of a variable of this Terraform type in the constructs' signatures.

    Lists and sets are `list[...]`, not `Sequence[...]`: a `str` is a Sequence[str], so a bare
    string given for a list would satisfy the type checker."""
    if type_expression is None:
        return "Any"

    def render(node: Any) -> str:
        kind = node[0]
        if kind in ("list", "set"):
            return f"list[{render(node[1])}]"
        if kind == "map":
            return f"Mapping[str, {render(node[1])}]"
        if kind == "object":
            return "Mapping[str, Any]"
        if kind == "tuple":
            return "list[Any]"
        return {"string": "str", "number": "float", "bool": "bool"}.get(kind, "Any")

    return render(_parse_type(type_expression))
