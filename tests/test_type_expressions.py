"""Terraform type expressions in the module specs: parsed when a Variable is declared, so a mistyped
one fails `synth` at its file and line instead of reaching `terraform init`; and the annotations
the constructs' signatures get from them."""

from __future__ import annotations

import re
import sys

import pytest

from metaflow_cdktf.interface import TypeExpressionError, Variable, _matches_type, _parse_type, python_annotation
from project import copy_project, run_main


@pytest.mark.parametrize(("expression", "parsed"), [
    ("string", ("string",)),
    ("list(string)", ("list", ("string",))),
    (" map( list( number ) ) ", ("map", ("list", ("number",)))),
    ("set(any)", ("set", ("any",))),
    ("list", ("list", ("any",))),
    ("tuple([string, bool])", ("tuple", (("string",), ("bool",)))),
    ('object({\n  name = string\n  ports = optional(list(number), [80, 443])\n'
     '  note = optional(string, "a (b), [c]")\n})',
     ("object", {"name": (("string",), False), "ports": (("list", ("number",)), True),
                 "note": (("string",), True)})),
])
def test_terraform_type_expressions_parse(expression, parsed):
    assert _parse_type(expression) == parsed


@pytest.mark.parametrize(("expression", "problem"), [
    ("strin", "unknown type 'strin'"),
    ("list(strin)", "unknown type 'strin'"),
    ("list(string", "expected ')' at the end"),
    ("map()", "expected a type at ')'"),
    ("string string", "unexpected 'string' after the type"),
    ("object({name string})", "expected '=' at 'string})'"),
    ("tuple([string bool])", "expected ',' at 'bool])'"),
])
def test_a_mistyped_expression_is_refused_saying_what_is_wrong(expression, problem):
    with pytest.raises(TypeExpressionError, match=re.escape(problem)):
        _parse_type(expression)


def test_a_variable_declared_with_a_mistyped_type_names_its_file_and_line():
    declared_at = sys._getframe().f_lineno + 2
    with pytest.raises(TypeExpressionError) as raised:
        Variable("subnet_id", "strin", "The subnet")
    assert str(raised.value).startswith(f"tests/test_type_expressions.py:{declared_at}: variable 'subnet_id': "
                                        "unknown type 'strin' in type 'strin': a Terraform type is string, ")


def test_synth_of_a_spec_with_a_mistyped_type_fails_at_the_spec_file_and_line(tmp_path):
    project = copy_project(tmp_path / "project")
    spec = project / "metaflow_cdktf" / "modules" / "step_functions" / "spec.py"
    text = spec.read_text()
    declaration = 'Variable("batch_job_queue_arn", "string"'
    assert text.count(declaration) == 1
    spec.write_text(text.replace(declaration, 'Variable("batch_job_queue_arn", "strin"'))
    line = text[:text.index(declaration)].count("\n") + 1
    before = (project / "terraform" / "modules" / "step-functions" / "main.tf.json").read_bytes()

    run = run_main(project, "synth")
    assert run.returncode != 0
    assert (f"metaflow_cdktf/modules/step_functions/spec.py:{line}: variable 'batch_job_queue_arn': "
            "unknown type 'strin'") in run.stderr
    assert (project / "terraform" / "modules" / "step-functions" / "main.tf.json").read_bytes() == before


@pytest.mark.parametrize(("expression", "annotation"), [
    ("string", "str"),
    ("number", "float"),
    ("bool", "bool"),
    ("list(string)", "list[str]"),
    ("set(string)", "list[str]"),
    ("map(string)", "Mapping[str, str]"),
    ("list(map(number))", "list[Mapping[str, float]]"),
    ("object({a = string})", "Mapping[str, Any]"),
    ("tuple([string])", "list[Any]"),
    ("any", "Any"),
    (None, "Any"),
])
def test_annotations_a_bare_string_cannot_satisfy_where_a_list_belongs(expression, annotation):
    assert python_annotation(expression) == annotation


@pytest.mark.parametrize(("value", "expression", "matches"), [
    ({"name": "a", "ports": [80]}, "object({name = string, ports = optional(list(number))})", True),
    ({"name": "a"}, "object({name = string, ports = optional(list(number))})", True),
    ({"ports": [80]}, "object({name = string, ports = optional(list(number))})", False),
    ({"name": 1.5, "ports": ["x"]}, "object({name = string, ports = list(number)})", False),
    (["a", True], "tuple([string, bool])", True),
    (["a"], "tuple([string, bool])", False),
    ("a", "list(string)", False),
])
def test_values_are_checked_against_objects_and_tuples(value, expression, matches):
    assert _matches_type(value, _parse_type(expression)) is matches
