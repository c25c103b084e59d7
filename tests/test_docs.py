"""README docs sections: byte-compatible with terraform-docs, and safe to regenerate.

The expected Markdown here is terraform-docs' (v0.19 markdown table, default
settings): upstream's metadata-service README is real terraform-docs output, the
other fixtures follow the same rules, derived from terraform-docs' source.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from metaflow_cdktf.docs import (
    BEGIN_MARKER,
    END_MARKER,
    DocsError,
    DocsTarget,
    render_tf_docs,
    sync_docs,
    update_readme,
)
from project import DATA as TEST_DATA
from project import REPO_ROOT, UPSTREAM

DATA = TEST_DATA / "docs"


def load_fixture(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def only_variable(**body) -> dict:
    return {"variable": {"v": body}}


def input_row(module: dict) -> str:
    """The single row of the Inputs table."""
    lines = render_tf_docs(module).split("\n")
    return lines[lines.index("## Inputs") + 4]


def input_cells(module: dict) -> list[str]:
    """Description, Type, Default, Required of the single input."""
    return input_row(module).split(" | ")[1:]


def description_cell(description: str) -> str:
    return input_cells(only_variable(type="string", description=description))[0]


def default_cell(default) -> str:
    return input_cells(only_variable(type="any", default=default))[2]


def readme_with(prose_before: str, section: str, prose_after: str) -> str:
    return prose_before + BEGIN_MARKER + section + END_MARKER + prose_after


# --- whole sections -----------------------------------------------------------------


def test_upstreams_readme_is_reproduced_byte_for_byte(tmp_path):
    seed = (UPSTREAM / "metadata-service-README.md").read_bytes()
    prose = seed[: seed.index(BEGIN_MARKER.encode())]
    readme = tmp_path / "README.md"
    readme.write_bytes(prose + f"{BEGIN_MARKER}\nstale\n{END_MARKER}\n".encode())

    changed = update_readme(
        readme,
        load_fixture("metadata-service.main.tf.json"),
        title="Metadata Service",
        description="unused: the README exists",
    )

    assert changed
    assert readme.read_bytes() == seed


def test_render_returns_exactly_the_text_between_the_markers():
    seed = (UPSTREAM / "metadata-service-README.md").read_text(encoding="utf-8")
    between = seed[seed.index(BEGIN_MARKER) + len(BEGIN_MARKER) : seed.index(END_MARKER)]

    section = render_tf_docs(load_fixture("metadata-service.main.tf.json"))

    assert section == between
    assert section.startswith("\n## Requirements\n") and section.endswith(" |\n")


def test_edge_cases_render_as_terraform_docs_does():
    expected = (DATA / "edge-cases.tf_docs.md").read_text(encoding="utf-8")
    assert render_tf_docs(load_fixture("edge-cases.main.tf.json")) == expected


def test_a_module_with_nothing_in_it_says_so_in_every_section():
    assert render_tf_docs({}) == (
        "\n## Requirements\n\nNo requirements.\n"
        "\n## Providers\n\nNo providers.\n"
        "\n## Modules\n\nNo modules.\n"
        "\n## Resources\n\nNo resources.\n"
        "\n## Inputs\n\nNo inputs.\n"
        "\n## Outputs\n\nNo outputs.\n"
    )


def test_locals_and_output_values_do_not_show():
    module = {"locals": {"a": 1}, "output": {"o": {"value": "${local.a}"}}}
    assert "| <a name=\"output_o\"></a> [o](#output\\_o) | n/a |" in render_tf_docs(module)
    assert "local" not in render_tf_docs(module)


# --- escaping -------------------------------------------------------------------------


def test_names_escape_underscores_but_anchor_targets_keep_them():
    row = input_row(only_variable(type="string"))
    assert row.startswith('| <a name="input_v"></a> [v](#input\\_v) |')
    module = {"output": {"METAFLOW_SERVICE_URL": {"value": "x"}}}
    assert (
        '| <a name="output_METAFLOW_SERVICE_URL"></a> '
        "[METAFLOW\\_SERVICE\\_URL](#output\\_METAFLOW\\_SERVICE\\_URL) | n/a |"
    ) in render_tf_docs(module)


def test_descriptions_escape_underscores_outside_code_spans():
    assert description_cell("Fetch [METAFLOW_SERVICE_AUTH_KEY] as `task_role`") == (
        "Fetch [METAFLOW\\_SERVICE\\_AUTH\\_KEY] as `task_role`"
    )


def test_emphasis_and_leading_underscores_stay_markdown():
    assert description_cell("an _emphasised_ word") == "an _emphasised_ word"
    assert description_cell("__ rule-like start") == "__ rule-like start"
    assert description_cell("lorem _ ipsum incid_idunt") == "lorem \\_ ipsum incid\\_idunt"


def test_pipes_are_escaped_outside_code_spans_only():
    # terraform-docs leaves pipes inside code spans alone, even though they split the row.
    row = input_row(only_variable(type="string", description="v1 | v2 `a | b`"))
    assert " | v1 \\| v2 `a | b` | `string` | " in row


@pytest.mark.parametrize(
    "url",
    [
        "https://docs.example.com/a_b/c_d.html",
        "HTTP://example.com/a_b",
        "ms-browser-extension://x_y",
        "mailto:first_last@example.com",
        "https://example.com/wiki/A_(b_c)",
    ],
)
def test_urls_keep_their_underscores(url):
    assert description_cell(f"see {url} now") == f"see {url} now"


def test_a_url_ends_before_trailing_punctuation():
    assert description_cell("(at https://x.io/a_b). a_b") == "(at https://x.io/a_b). a\\_b"


def test_unregistered_url_schemes_are_escaped_like_text():
    # xurls only knows IANA (and a few common) schemes; s3 is not one of them.
    assert description_cell("s3://my_bucket") == "s3://my\\_bucket"


def test_newlines_in_descriptions_become_br():
    assert description_cell("One.\nTwo.\n\nThree.") == "One.<br/>Two.<br/><br/>Three."
    assert description_cell("Windows\r\nline") == "Windows<br/>line"
    assert description_cell("  padded  ") == "padded"


def test_code_blocks_in_descriptions_become_pre():
    text = "Example:\n```\nx = [\n  1\n]\n```\n"
    assert description_cell(text) == "Example:<pre>x = [<br/>  1<br/>]</pre>"


def test_an_unclosed_code_span_is_closed():
    assert description_cell("a `b_c") == "a `b_c`"


def test_multi_line_types_render_as_pre_blocks():
    cells = input_cells(only_variable(type="object({\n  a = string\n})"))
    assert cells[1] == "<pre>object({<br/>  a = string<br/>})</pre>"


# --- defaults, types, required ----------------------------------------------------


@pytest.mark.parametrize(
    ("default", "cell"),
    [
        (None, "`null`"),
        ("", '`""`'),
        ("metaflow", '`"metaflow"`'),
        ("<tag> & \"quote\" \\ back", '`"<tag> & \\"quote\\" \\\\ back"`'),
        ("line\nbreak\ttab", '`"line\\nbreak\\ttab"`'),
        ("\u2028", '`"\\u2028"`'),
        ({}, "`{}`"),
        ([], "`[]`"),
        (True, "`true`"),
        (False, "`false`"),
        (0, "`0`"),
        (512, "`512`"),
        (15.75, "`15.75`"),
        (100.0, "`100`"),
        (1e21, "`1e+21`"),
        (1.5e-7, "`1.5e-7`"),
        (0.000001, "`0.000001`"),
        (2**60, "`1152921504606847000`"),
        (["0.0.0.0/0"], '<pre>[<br/>  "0.0.0.0/0"<br/>]</pre>'),
        (
            {"b": 1, "a": {"c": [True, None]}},
            '<pre>{<br/>  "a": {<br/>    "c": [<br/>      true,<br/>      null<br/>    ]<br/>  },<br/>'
            '  "b": 1<br/>}</pre>',
        ),
        ([[]], "<pre>[<br/>  []<br/>]</pre>"),
    ],
)
def test_defaults_print_as_indented_json(default, cell):
    assert default_cell(default) == cell


def test_a_variable_without_default_is_required_and_shows_na():
    assert input_cells(only_variable(type="string")) == ["n/a", "`string`", "n/a", "yes |"]


def test_an_explicit_null_default_makes_a_variable_optional():
    assert input_cells(only_variable(type="string", default=None)) == ["n/a", "`string`", "`null`", "no |"]


@pytest.mark.parametrize(
    ("body", "shown_type"),
    [
        ({}, "`any`"),
        ({"default": None}, "`any`"),
        ({"default": "x"}, "`string`"),
        ({"default": 1}, "`number`"),
        ({"default": False}, "`bool`"),
        ({"default": []}, "`list`"),
        ({"default": {}}, "`map`"),
        ({"type": "set(string)", "default": []}, "`set(string)`"),
    ],
)
def test_a_missing_type_is_guessed_from_the_default(body, shown_type):
    assert input_cells({"variable": {"v": body}})[1] == shown_type


def test_sensitive_variables_and_outputs_render_like_any_other():
    plain = {"variable": {"v": {"type": "string", "default": "s"}}, "output": {"o": {"value": "x"}}}
    sensitive = {
        "variable": {"v": {"type": "string", "default": "s", "sensitive": True}},
        "output": {"o": {"value": "x", "sensitive": True}},
    }
    assert render_tf_docs(sensitive) == render_tf_docs(plain)
    assert "Sensitive" not in render_tf_docs(sensitive)


# --- sorting ------------------------------------------------------------------------


def table_rows(section: str, title: str) -> list[str]:
    lines = section.split("\n")
    start = lines.index(f"## {title}") + 4
    end = lines.index("", start) if "" in lines[start:] else len(lines)
    return lines[start:end]


def test_inputs_and_outputs_sort_by_name_bytewise_uppercase_first():
    names = ["b", "a_2", "A", "a", "_x", "Z"]
    module = {
        "variable": {name: {} for name in names},
        "output": {name: {"value": "x"} for name in names},
    }
    section = render_tf_docs(module)
    expected_order = ["A", "Z", "_x", "a", "a_2", "b"]
    for title, prefix in (("Inputs", "input"), ("Outputs", "output")):
        shown = [row.split('"')[1].removeprefix(prefix + "_") for row in table_rows(section, title)]
        assert shown == expected_order


def test_resources_list_managed_before_data_each_by_type_then_name():
    module = {
        "data": {"aws_iam_policy_document": {"b": {}, "a": {}}, "archive_file": {"z": {}}},
        "resource": {
            "aws_iam_role_policy": {"a": {}},
            "aws_iam_role": {"y": {}, "x": {}},
            "aws_lb": {"this": {}},
        },
    }
    rows = table_rows(render_tf_docs(module), "Resources")
    assert [row.split("]")[0].lstrip("| [") for row in rows] == [
        "aws_iam_role.x",
        "aws_iam_role.y",
        "aws_iam_role_policy.a",
        "aws_lb.this",
        "archive_file.z",
        "aws_iam_policy_document.a",
        "aws_iam_policy_document.b",
    ]
    assert [row.rsplit(" | ", 1)[1] for row in rows] == ["resource |"] * 4 + ["data source |"] * 3


def test_resource_links_point_at_the_registry_docs_of_the_type():
    module = {"resource": {"aws_lb": {"this": {}}}, "data": {"archive_file": {"zip": {}}}}
    registry = "https://registry.terraform.io/providers/hashicorp"
    assert table_rows(render_tf_docs(module), "Resources") == [
        f"| [aws_lb.this]({registry}/aws/latest/docs/resources/lb) | resource |",
        f"| [archive_file.zip]({registry}/archive/latest/docs/data-sources/file) | data source |",
    ]


@pytest.mark.parametrize(
    ("constraint", "docs_version"),
    [
        (">= 3.38.0", "latest"),
        ("~> 5.0", "latest"),
        ("5.100.0", "5.100.0"),
        ("=5.100.0", "5.100.0"),
        ("= 5.100.0", "5.100.0"),
        (">= 5.0, < 6.0", "latest"),
    ],
)
def test_resource_links_use_an_exact_provider_pin_as_docs_version(constraint, docs_version):
    module = {
        "terraform": {"required_providers": {"aws": {"source": "hashicorp/aws", "version": constraint}}},
        "resource": {"aws_lb": {"this": {}}},
    }
    url = f"https://registry.terraform.io/providers/hashicorp/aws/{docs_version}/docs/resources/lb"
    assert table_rows(render_tf_docs(module), "Resources") == [f"| [aws_lb.this]({url}) | resource |"]


# --- requirements, providers, modules -------------------------------------------------


def test_requirements_list_terraform_then_providers_with_a_version_constraint():
    module = {
        "terraform": {
            "required_version": ">= 0.13",
            "required_providers": {
                "random": {"source": "hashicorp/random", "version": "~> 3.0"},
                "aws": {"source": "hashicorp/aws", "version": ">= 3.38.0"},
                "archive": {"source": "hashicorp/archive"},
            },
        }
    }
    assert table_rows(render_tf_docs(module), "Requirements") == [
        '| <a name="requirement_terraform"></a> [terraform](#requirement\\_terraform) | >= 0.13 |',
        '| <a name="requirement_aws"></a> [aws](#requirement\\_aws) | >= 3.38.0 |',
        '| <a name="requirement_random"></a> [random](#requirement\\_random) | ~> 3.0 |',
    ]


def test_providers_are_the_ones_resources_use_with_their_constraint():
    module = {
        "terraform": {"required_providers": {"aws": {"source": "hashicorp/aws", "version": ">= 3.38.0"},
                                             "random": {"source": "hashicorp/random", "version": "3.0.0"}}},
        "resource": {"aws_lb": {"this": {}}},
        "data": {"archive_file": {"zip": {}}},
    }
    assert table_rows(render_tf_docs(module), "Providers") == [
        '| <a name="provider_archive"></a> [archive](#provider\\_archive) | n/a |',
        '| <a name="provider_aws"></a> [aws](#provider\\_aws) | >= 3.38.0 |',
    ]


def test_modules_show_source_and_version_or_na():
    module = {
        "module": {"metaflow-common": {"source": "../common"}, "b": {"source": "x/y/aws", "version": "1.0"}}
    }
    assert table_rows(render_tf_docs(module), "Modules") == [
        '| <a name="module_b"></a> [b](#module\\_b) | x/y/aws | 1.0 |',
        '| <a name="module_metaflow-common"></a> [metaflow-common](#module\\_metaflow-common) '
        "| ../common | n/a |",
    ]


def test_a_repeated_block_replaces_the_earlier_one():
    module = {"variable": [{"v": {"description": "first"}}, {"v": {"description": "second"}}]}
    assert [row.split(" | ")[1] for row in table_rows(render_tf_docs(module), "Inputs")] == ["second"]


def test_hcl_json_array_forms_and_comment_keys_are_read():
    module = {
        "//": "cdktf metadata",
        "terraform": [{"required_version": ">= 1.0"}],
        "variable": [{"a": {"type": "string"}}, {"b": {"type": "string", "//": "note"}}],
        "output": {"//": "ignored", "o": [{"value": "x"}]},
    }
    section = render_tf_docs(module)
    assert len(table_rows(section, "Inputs")) == 2
    assert len(table_rows(section, "Outputs")) == 1
    assert ">= 1.0" in section


@pytest.mark.parametrize(
    ("module", "complaint"),
    [
        ({"variable": {"v": {"type": 3}}}, "variable.v: type must be a string"),
        ({"output": {"o": {"description": ["x"]}}}, "output.o: description must be a string"),
        ({"variable": "nope"}, "variable: expected a JSON object"),
        (
            {"resource": {"aws_lb": {"x": {"provider": "${aws.east}"}}}},
            "resource.aws_lb.x: provider must look like",
        ),
    ],
)
def test_malformed_modules_raise_docs_error_saying_where(module, complaint):
    with pytest.raises(DocsError, match=complaint.replace("$", r"\$").replace("{", r"\{")):
        render_tf_docs(module)


# --- README files -------------------------------------------------------------------


MODULE = {"variable": {"name": {"type": "string", "description": "The name"}}}
SECTION = render_tf_docs(MODULE)


def test_prose_around_the_markers_is_kept_byte_for_byte(tmp_path):
    readme = tmp_path / "README.md"
    before = "# Title\r\n\r\nHand-written \u00e9 prose, CRLF kept.\r\n\r\n"
    after = "\r\n\r\n## Footer\r\nmore prose without final newline"
    readme.write_bytes(readme_with(before, "\nold\n", after).encode())

    assert update_readme(readme, MODULE, title="T", description="D") is True
    assert readme.read_bytes() == readme_with(before, SECTION, after).encode()


def test_an_up_to_date_readme_is_left_alone(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(readme_with("# T\n\n", SECTION, "\n"), encoding="utf-8")
    before = readme.stat().st_mtime_ns

    assert update_readme(readme, MODULE, title="T", description="D") is False
    assert readme.stat().st_mtime_ns == before


def test_a_readme_without_markers_gets_the_section_appended(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# Title\n\nProse.\n", encoding="utf-8")

    assert update_readme(readme, MODULE, title="T", description="D") is True
    # terraform-docs' inject mode: a newline, then the section, no final newline.
    assert readme.read_text(encoding="utf-8") == "# Title\n\nProse.\n\n" + BEGIN_MARKER + SECTION + END_MARKER
    assert update_readme(readme, MODULE, title="T", description="D") is False


def test_an_empty_readme_gets_just_the_section(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_bytes(b"")
    update_readme(readme, MODULE, title="T", description="D")
    assert readme.read_text(encoding="utf-8") == BEGIN_MARKER + SECTION + END_MARKER


def test_a_missing_readme_is_created_with_title_and_description(tmp_path):
    readme = tmp_path / "README.md"

    assert update_readme(readme, MODULE, title="Metadata Service", description="Runs the API.\n") is True
    assert readme.read_text(encoding="utf-8") == (
        "# Metadata Service\n\nRuns the API.\n\n" + BEGIN_MARKER + SECTION + END_MARKER + "\n"
    )
    assert oct(readme.stat().st_mode & 0o777) == oct(0o644)
    assert update_readme(readme, MODULE, title="Metadata Service", description="Runs the API.\n") is False


@pytest.mark.parametrize(
    ("content", "complaint"),
    [
        (f"# T\n{BEGIN_MARKER}\nold\n", "no <!-- END_TF_DOCS -->"),
        (f"# T\nold\n{END_MARKER}\n", "no <!-- BEGIN_TF_DOCS -->"),
        (f"{BEGIN_MARKER}\n{END_MARKER}\n{BEGIN_MARKER}\n{END_MARKER}\n", "once each"),
        (f"{BEGIN_MARKER}\n{BEGIN_MARKER}\n{END_MARKER}\n", "once each"),
        (f"{BEGIN_MARKER}\n{END_MARKER}\n{END_MARKER}\n", "once each"),
        (f"# T\n{END_MARKER}\nold\n{BEGIN_MARKER}\n", "comes before"),
    ],
)
@pytest.mark.parametrize("check", [False, True])
def test_broken_markers_raise_and_leave_the_file_untouched(tmp_path, content, complaint, check):
    readme = tmp_path / "README.md"
    readme.write_bytes(content.encode())

    with pytest.raises(DocsError, match=complaint) as raised:
        update_readme(readme, MODULE, title="T", description="D", check=check)

    assert str(readme) in str(raised.value)
    assert readme.read_bytes() == content.encode()
    assert os.listdir(tmp_path) == ["README.md"]


def test_check_mode_reports_staleness_without_writing(tmp_path):
    stale = tmp_path / "stale.md"
    stale.write_text(readme_with("# T\n", "\nold\n", "\n"), encoding="utf-8")
    missing = tmp_path / "missing.md"
    fresh = tmp_path / "fresh.md"
    fresh.write_text(readme_with("# T\n", SECTION, "\n"), encoding="utf-8")
    stale_bytes = stale.read_bytes()

    assert update_readme(stale, MODULE, title="T", description="D", check=True) is True
    assert update_readme(missing, MODULE, title="T", description="D", check=True) is True
    assert update_readme(fresh, MODULE, title="T", description="D", check=True) is False
    assert stale.read_bytes() == stale_bytes
    assert not missing.exists()


def test_writes_keep_the_file_mode_and_leave_no_temporary_files(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(readme_with("# T\n", "\nold\n", "\n"), encoding="utf-8")
    readme.chmod(0o664)

    update_readme(readme, MODULE, title="T", description="D")

    assert readme.stat().st_mode & 0o777 == 0o664
    assert os.listdir(tmp_path) == ["README.md"]


def test_a_readme_that_is_not_utf8_is_a_docs_error(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_bytes(b"\xff\xfe broken")
    with pytest.raises(DocsError, match="not UTF-8"):
        update_readme(readme, MODULE, title="T", description="D")


# --- sync_docs -------------------------------------------------------------------------


def make_module_dir(root: Path, name: str, module: dict, readme: str | None = None) -> Path:
    directory = root / name
    directory.mkdir(parents=True)
    (directory / "main.tf.json").write_text(json.dumps(module), encoding="utf-8")
    if readme is not None:
        (directory / "README.md").write_text(readme, encoding="utf-8")
    return directory


def test_sync_docs_updates_stale_and_missing_readmes_and_reports_them(tmp_path):
    make_module_dir(tmp_path, "fresh", MODULE, readme_with("# F\n", SECTION, "\n"))
    make_module_dir(tmp_path, "stale", MODULE, readme_with("# S\n", "\nold\n", "\n"))
    make_module_dir(tmp_path, "new", MODULE)
    targets = [DocsTarget(tmp_path / name, name.title(), f"The {name} module.") for name in ("fresh", "stale", "new")]

    outdated = [tmp_path / "stale" / "README.md", tmp_path / "new" / "README.md"]

    assert sync_docs(targets, check=True) == outdated
    assert not (tmp_path / "new" / "README.md").exists()

    assert sync_docs(targets, check=False) == outdated
    created = (tmp_path / "new" / "README.md").read_text(encoding="utf-8")
    assert created.startswith("# New\n\nThe new module.\n\n" + BEGIN_MARKER)
    assert sync_docs(targets, check=True) == []


def test_sync_docs_names_a_missing_main_tf_json_and_writes_nothing(tmp_path):
    make_module_dir(tmp_path, "stale", MODULE, readme_with("# S\n", "\nold\n", "\n"))
    (tmp_path / "absent").mkdir()
    targets = [DocsTarget(tmp_path / "stale", "S", "s"), DocsTarget(tmp_path / "absent", "A", "a")]
    stale_bytes = (tmp_path / "stale" / "README.md").read_bytes()

    with pytest.raises(DocsError, match=str(tmp_path / "absent" / "main.tf.json")):
        sync_docs(targets, check=False)
    assert (tmp_path / "stale" / "README.md").read_bytes() == stale_bytes


def test_sync_docs_names_the_module_file_of_a_malformed_module(tmp_path):
    make_module_dir(tmp_path, "bad", {"variable": {"v": {"type": 1}}})
    with pytest.raises(DocsError, match=r"bad/main\.tf\.json: variable\.v: type must be a string"):
        sync_docs([DocsTarget(tmp_path / "bad", "B", "b")], check=True)


def test_sync_docs_names_invalid_json(tmp_path):
    directory = tmp_path / "bad"
    directory.mkdir()
    (directory / "main.tf.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(DocsError, match=r"bad/main\.tf\.json: invalid JSON"):
        sync_docs([DocsTarget(tmp_path / "bad", "B", "b")], check=True)


# --- cost --------------------------------------------------------------------------------


def test_docs_do_not_import_cdktf_jsii_or_provider_bindings():
    probe = (
        "import sys, metaflow_cdktf.docs, metaflow_cdktf.cli\n"
        "heavy = sorted(m for m in sys.modules if m.startswith(('cdktf', 'jsii', 'constructs')))\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", probe], cwd=REPO_ROOT, check=True)
