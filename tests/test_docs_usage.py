"""The usage block of the module READMEs: a module call with every required input, generated above
the terraform-docs section, valid and formatted as `terraform fmt` writes it."""

from __future__ import annotations

import json
import re
import shutil
import tomllib
from pathlib import Path

import pytest

from metaflow_cdktf.docs import (
    BEGIN_MARKER,
    BEGIN_USAGE_MARKER,
    END_MARKER,
    END_USAGE_MARKER,
    DocsError,
    ModuleAddress,
    module_address,
    render_tf_docs,
    render_usage,
    update_readme,
)
from metaflow_cdktf.docs import usage as usage_stage
from metaflow_cdktf.docs.hcl import hcl_value
from metaflow_cdktf.docs.model import read_module
from metaflow_cdktf.lines import AWS5, LINES
from metaflow_cdktf.modules import SPECS
from metaflow_cdktf.paths import module_file, readme_file
from project import REPO_ROOT, TERRAFORM_LEFTOVERS

# The one README without a usage block: upstream's, which must stay byte for byte upstream's but
# for table rows (tests/test_docs_cli.py).
UPSTREAMS_README = readme_file("metadata-service", AWS5.root)
USAGE_BLOCK = re.compile(re.escape(BEGIN_USAGE_MARKER) + r".*?```hcl\n(.*?)```\n" + re.escape(END_USAGE_MARKER),
                         flags=re.S)

MODULE = {
    "variable": {
        "vpc_id": {"type": "string", "validation": [
            {"condition": "${true}", "error_message": 'The VPC ID must look like "vpc-0123456789abcdef0".'}]},
        "cidr_blocks": {"type": "list(string)", "validation": {
            "condition": "${true}", "error_message": 'Each element must be a CIDR block, such as "10.0.0.0/16".'}},
        "resource_prefix": {"type": "string"},
        "count_of_things": {"type": "number"},
        "enabled": {"type": "bool"},
        "tags": {"type": "map(string)"},
        "a_string_nobody_named": {"type": "string"},
        "optional": {"type": "string", "default": "x"},
    },
}
ADDRESS = ModuleAddress("things", "terraform/modules/things")
USAGE = '''
## Usage

Every required input, with an example value; the optional ones are under Inputs below.

```hcl
module "things" {
  source = "git::https://github.com/<org>/metaflow-cdktf.git//terraform/modules/things?ref=v0.2.0"

  a_string_nobody_named = "..."
  cidr_blocks           = ["10.0.0.0/16"]
  count_of_things       = 0
  enabled               = false
  resource_prefix       = "metaflow-"
  tags                  = {}
  vpc_id                = "vpc-0123456789abcdef0"
}
```
'''


# --- the block --------------------------------------------------------------------------


def test_the_block_calls_the_module_with_every_required_input_and_an_example_of_each():
    assert render_usage(MODULE, ADDRESS) == USAGE


def test_a_module_without_required_inputs_is_called_with_its_source_alone():
    assert render_usage({"variable": {"v": {"type": "string", "default": ""}}}, ADDRESS).endswith(
        '\nNo input is required.\n\n```hcl\nmodule "things" {\n'
        '  source = "git::https://github.com/<org>/metaflow-cdktf.git//terraform/modules/things?ref=v0.2.0"\n}\n```\n')


def test_a_type_without_an_example_is_a_docs_error_naming_the_variable():
    with pytest.raises(DocsError, match=r"variable\.odd: no example value for its type 'optional\(string\)'"):
        render_usage({"variable": {"odd": {"type": "optional(string)"}}}, ADDRESS)


@pytest.mark.parametrize(("value", "hcl"), [
    ("plain", '"plain"'),
    ('say "hi" \\ there\n\t', '"say \\"hi\\" \\\\ there\\n\\t"'),
    ("${var.x} and %{ if }", '"$${var.x} and %%{ if }"'),
    ("\x01", '"\\u0001"'),
    (True, "true"),
    (8, "8"),
    (8.0, "8"),
    (0.5, "0.5"),
    (["a", 1], '["a", 1]'),
    ({}, "{}"),
    ({"team": "ml", "a key": "b"}, '{ team = "ml", "a key" = "b" }'),
])
def test_values_are_written_in_hcl(value, hcl):
    assert hcl_value(value) == hcl


def test_the_source_pins_the_packages_version():
    version = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert usage_stage.RELEASE_REF == f"v{version}"


@pytest.mark.parametrize("line", LINES, ids=lambda line: line.name)
@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: spec.name)
def test_every_module_of_the_trees_has_an_address_with_its_directory(spec, line):
    address = module_address(module_file(spec.name, line.root).parent)
    directory = module_file(spec.name, line.root).parent.relative_to(REPO_ROOT).as_posix()
    assert address == ModuleAddress(spec.name, directory)
    assert address.source == f"git::https://github.com/<org>/metaflow-cdktf.git//{directory}?ref=v0.2.0"


def test_a_module_outside_the_trees_has_no_address(tmp_path):
    assert module_address(tmp_path / "modules" / "datastore") is None
    assert module_address(REPO_ROOT / "examples" / "minimal") is None


def test_every_example_passes_every_rule_of_every_variable_of_that_name():
    """Across modules too: an example chosen by name must suit each module declaring the name."""
    variables = [variable for spec in SPECS for variable in spec.variables]
    for spec in SPECS:
        inputs = read_module(json.loads(module_file(spec.name).read_text())).inputs
        for item in inputs:
            if item.has_default:
                continue
            example = usage_stage.example_value(item)
            for variable in (v for v in variables if v.name == item.name):
                variable.check(example)


# --- writing it into READMEs ----------------------------------------------------------------


@pytest.fixture
def tree(tmp_path, monkeypatch) -> Path:
    """A tree laid out like terraform/, whose modules the docs give a source."""
    root = tmp_path / "terraform"
    (root / "modules" / "things").mkdir(parents=True)
    monkeypatch.setattr(usage_stage, "TREE_ROOTS", (root,))
    return root


def readme_in(tree: Path, text: str) -> Path:
    readme = tree / "modules" / "things" / "README.md"
    readme.write_bytes(text.encode())
    return readme


def test_the_block_goes_between_its_markers_and_the_prose_around_stays(tree):
    before, between, after = "# Things\r\n\r\nProse.\r\n\r\n", "\r\n\r\nMore prose.\r\n\r\n", "\r\n## Footer"
    readme = readme_in(tree, f"{before}{BEGIN_USAGE_MARKER}\nold\n{END_USAGE_MARKER}{between}"
                             f"{BEGIN_MARKER}\nold\n{END_MARKER}{after}")

    assert update_readme(readme, MODULE, title="T", description="D") is True
    assert readme.read_bytes() == (f"{before}{BEGIN_USAGE_MARKER}{USAGE}{END_USAGE_MARKER}{between}"
                                   f"{BEGIN_MARKER}{render_tf_docs(MODULE)}{END_MARKER}{after}").encode()
    assert update_readme(readme, MODULE, title="T", description="D", check=True) is False


def test_a_readme_without_the_usage_markers_gets_no_block(tree):
    text = f"# Things\n\n{BEGIN_MARKER}{render_tf_docs(MODULE)}{END_MARKER}\n"
    readme = readme_in(tree, text)
    assert update_readme(readme, MODULE, title="T", description="D") is False
    assert readme.read_text() == text


def test_a_new_readme_in_a_tree_gets_the_block_above_the_tables(tree):
    readme = tree / "modules" / "things" / "README.md"
    update_readme(readme, MODULE, title="Things", description="Makes things.")
    assert readme.read_text() == (f"# Things\n\nMakes things.\n\n{BEGIN_USAGE_MARKER}{USAGE}{END_USAGE_MARKER}\n\n"
                                  f"{BEGIN_MARKER}{render_tf_docs(MODULE)}{END_MARKER}\n")


@pytest.mark.parametrize(("content", "complaint"), [
    (f"{BEGIN_USAGE_MARKER}\n{BEGIN_MARKER}\n{END_MARKER}\n", f"no {END_USAGE_MARKER}"),
    (f"{END_USAGE_MARKER}\n{BEGIN_MARKER}\n{END_MARKER}\n", f"no {BEGIN_USAGE_MARKER}"),
    (f"{BEGIN_USAGE_MARKER}{END_USAGE_MARKER}{BEGIN_USAGE_MARKER}{END_USAGE_MARKER}\n{BEGIN_MARKER}{END_MARKER}",
     "once each"),
    (f"{END_USAGE_MARKER}\n{BEGIN_USAGE_MARKER}\n{BEGIN_MARKER}\n{END_MARKER}\n", "comes before"),
    (f"{BEGIN_MARKER}\n{END_MARKER}\n{BEGIN_USAGE_MARKER}\n{END_USAGE_MARKER}\n", "must come before"),
])
def test_broken_usage_markers_raise_and_leave_the_file_untouched(tree, content, complaint):
    readme = readme_in(tree, content)
    with pytest.raises(DocsError, match=re.escape(complaint)) as raised:
        update_readme(readme, MODULE, title="T", description="D")
    assert str(readme) in str(raised.value)
    assert readme.read_text() == content


def test_usage_markers_outside_the_trees_are_an_error(tmp_path):
    readme = tmp_path / "README.md"
    content = f"{BEGIN_USAGE_MARKER}\n{END_USAGE_MARKER}\n{BEGIN_MARKER}\n{END_MARKER}\n"
    readme.write_text(content)
    with pytest.raises(DocsError, match="only the modules of this repository's trees"):
        update_readme(readme, MODULE, title="T", description="D")
    assert readme.read_text() == content


# --- the committed READMEs -----------------------------------------------------------------


def committed_usage_blocks() -> dict[Path, str]:
    """{README: the HCL of its usage block} for every module README of both trees that has one."""
    blocks = {}
    for line in LINES:
        for spec in SPECS:
            readme = readme_file(spec.name, line.root)
            found = USAGE_BLOCK.findall(readme.read_text())
            assert len(found) <= 1
            if found:
                blocks[readme] = found[0]
    return blocks


def test_every_readme_but_upstreams_has_a_usage_block_above_the_tables():
    blocks = committed_usage_blocks()
    assert set(blocks) == {readme_file(spec.name, line.root) for line in LINES for spec in SPECS} - {UPSTREAMS_README}
    for readme in blocks:
        text = readme.read_text()
        assert text.index(END_USAGE_MARKER) < text.index(BEGIN_MARKER)
    # upstream's README stays upstream's (the byte-for-byte check is in tests/test_docs_cli.py)
    assert BEGIN_USAGE_MARKER not in UPSTREAMS_README.read_text()


def test_the_blocks_show_each_module_of_its_own_tree():
    for readme, block in committed_usage_blocks().items():
        directory = readme.parent.relative_to(REPO_ROOT).as_posix()
        assert f"//{directory}?ref=" in block


@pytest.fixture(scope="module")
def usage_roots(tmp_path_factory) -> Path:
    """Each usage block as a file of a root beside a copy of its tree, sources made local:
    <workspace>/<tree>-usage/<module>.tf next to <workspace>/<tree>/."""
    workspace = tmp_path_factory.mktemp("usage")
    for line in LINES:
        shutil.copytree(line.root, workspace / line.root.name, ignore=shutil.ignore_patterns(*TERRAFORM_LEFTOVERS))
        (workspace / f"{line.root.name}-usage").mkdir()
    for readme, block in committed_usage_blocks().items():
        directory = readme.parent.relative_to(REPO_ROOT)
        tree = directory.parts[0]
        local = block.replace(f"{usage_stage.REPOSITORY}//{directory.as_posix()}?ref={usage_stage.RELEASE_REF}",
                              f"../{directory.as_posix()}")
        assert local != block
        (workspace / f"{tree}-usage" / f"{directory.name}.tf").write_text(local)
    return workspace


def test_the_blocks_are_formatted_as_terraform_fmt_writes_them(terraform, usage_roots):
    for line in LINES:
        run = terraform.run(usage_roots / f"{line.root.name}-usage", "fmt", "-check", "-list=true", check=False)
        assert (run.returncode, run.stdout) == (0, ""), f"{line.root.name}: terraform fmt would change {run.stdout}"


def test_the_format_check_would_notice_a_misaligned_block(terraform, tmp_path):
    (tmp_path / "main.tf").write_text('module "x" {\n  source = "../x"\n\n  a = 1\n  long_name = 2\n}\n')
    assert terraform.run(tmp_path, "fmt", "-check", check=False).returncode == 3


def test_the_blocks_of_the_aws5_tree_validate_together(terraform, usage_roots):
    """One root calling every module as its usage block does, every example through the modules'
    validation rules (the aws 6 tree cannot be validated here: no hashicorp/aws 6 binary)."""
    root = usage_roots / f"{AWS5.root.name}-usage"
    assert len(list(root.glob("*.tf"))) == len(SPECS) - 1  # all but upstream's README
    (root / "providers.tf").write_text('provider "aws" {\n  region = "us-west-2"\n}\n')
    result = terraform.validate(root)
    assert result["valid"], terraform.format_diagnostics(result)
    assert result["warning_count"] == 0, terraform.format_diagnostics(result)
