"""Container definitions as data (synthesis/container_definitions.py): the two layouts and the
building blocks, without the provider bindings (tests/test_todays_container_definitions.py holds
the modules' definitions to the committed text)."""

from __future__ import annotations

import pytest

from metaflow_cdktf.synthesis.container_definitions import (
    Expression,
    as_json_template,
    as_jsonencode,
    container_definition,
    environment_entries,
    interpolated,
    merged_environment,
)

# --- The JSON template layout ----------------------------------------------------------------


def test_the_json_layout_indents_by_two_and_ends_in_a_newline():
    assert as_json_template([{"a": 1, "b": {"c": True}, "d": []}]) == (
        '[\n'
        '  {\n'
        '    "a": 1,\n'
        '    "b": {\n'
        '      "c": true\n'
        '    },\n'
        '    "d": []\n'
        '  }\n'
        ']\n'
    )


def test_the_json_layout_writes_each_entry_of_an_entry_list_on_one_line():
    value = {"environment": [{"name": "A", "value": "1"}, {"name": "B", "value": Expression("var.b")}],
             "ports": [{"containerPort": 1}]}
    assert as_json_template(value) == (
        '{\n'
        '  "environment": [\n'
        '    {"name": "A", "value": "1"},\n'
        '    {"name": "B", "value": "${var.b}"}\n'
        '  ],\n'
        '  "ports": [\n'
        '    {\n'
        '      "containerPort": 1\n'
        '    }\n'
        '  ]\n'
        '}\n'
    )
    # under keys not named, entries are objects like any other
    assert '    {\n      "name": "A",\n      "value": "1"\n    },\n' in as_json_template(value, entry_lists=())


def test_the_json_layout_interpolates_a_string_expression_in_quotes_and_a_number_bare():
    text = as_json_template({"host": Expression('replace(var.endpoint, ":5432", "")'),
                             "cpu": Expression("var.cpu", yields="number")})
    # the expression's own quotes stay as Terraform reads them, unescaped
    assert text == '{\n  "host": "${replace(var.endpoint, ":5432", "")}",\n  "cpu": ${var.cpu}\n}\n'


def test_a_string_is_template_text_with_its_quotes_escaped():
    assert as_json_template(["${var.prefix}say \"hi\"\\"]) == '[\n  "${var.prefix}say \\"hi\\"\\\\"\n]\n'
    assert as_jsonencode(["a \"b\""]) == 'jsonencode([\n  "a \\"b\\""\n])'


def test_a_list_expression_cannot_be_interpolated_into_a_json_template():
    with pytest.raises(ValueError, match="yields a list.*as_jsonencode"):
        as_json_template({"environment": merged_environment("local.a")})


@pytest.mark.parametrize("value", [None, 1.5, object()])
def test_a_value_of_another_type_is_refused_naming_it(value):
    for layout in (as_json_template, as_jsonencode):
        with pytest.raises(TypeError, match=type(value).__name__):
            layout({"x": value})


# --- The jsonencode layout --------------------------------------------------------------------


def test_the_jsonencode_layout_aligns_runs_of_one_line_attributes_as_terraform_fmt_does():
    value = {"name": "n", "essential": True, "ports": [1], "environment": Expression("local.env", yields="list"),
             "options": {"awslogs-group": Expression("aws_cloudwatch_log_group.this.name"), "a": "b"}}
    assert as_jsonencode(value) == (
        'jsonencode({\n'
        '  name      = "n"\n'
        '  essential = true\n'
        '  ports = [\n'
        '    1\n'
        '  ]\n'
        '  environment = local.env\n'
        '  options = {\n'
        '    "awslogs-group" = aws_cloudwatch_log_group.this.name\n'
        '    a               = "b"\n'
        '  }\n'
        '})'
    )


def test_the_jsonencode_layout_writes_empty_collections_inline():
    assert as_jsonencode({"a": [], "b": {}}) == "jsonencode({\n  a = []\n  b = {}\n})"


# --- Building blocks ---------------------------------------------------------------------------


def test_a_container_definition_has_secrets_and_a_command_only_when_given():
    plain = container_definition(name="n", image=Expression("local.image"), cpu=1, memory=2, ports=(80,),
                                 environment=[], log_stream_prefix="p")
    assert list(plain) == ["name", "image", "essential", "cpu", "memory", "portMappings", "environment",
                           "logConfiguration"]
    assert plain["portMappings"] == [{"containerPort": 80, "hostPort": 80}]
    full = container_definition(name="n", image=Expression("local.image"), cpu=1, memory=2, ports=(), environment=[],
                                secrets=[{"name": "S", "valueFrom": "arn"}], log_stream_prefix="p", command=("x",))
    assert list(full)[-3:] == ["secrets", "logConfiguration", "command"]


def test_environment_helpers():
    assert environment_entries({"A": "1"}) == [{"name": "A", "value": "1"}]
    assert interpolated({"A": Expression("var.a"), "B": "b"}) == {"A": "${var.a}", "B": "b"}
    assert merged_environment("local.a", "var.b").text == (
        "[for k, v in merge(local.a, var.b) : { name = k, value = v }]")
