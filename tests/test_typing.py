"""The constructs as a type checker and an editor see them: mypy on small scripts that use them, and
on README's Python examples as pasted."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from metaflow_cdktf.bench import readme_python_examples
from project import DATA, REPO_ROOT

GOOD = DATA / "typing" / "good.py"
# README's examples for CDK Terrain need cdktn, which this environment lacks: tests/test_package.py
# checks them in a virtualenv that has it.
# README's apps on cdktf (a Metaflow flow, such as the one that picks a queue, is not this package's to check)
README_EXAMPLES = {f"readme_{index}": code for index, (_, code) in enumerate(
    readme_python_examples((REPO_ROOT / "README.md").read_text()))
    if "from metaflow import" not in code and "from cdktn" not in code}
# Each mistake: the correct script with one text replaced.
MISTAKES = {
    "misspelt": ('subnet2_id="subnet-2", db_instance_type', 'subnet2_id="subnet-2", db_instnace_type'),
    "missing": ('metaflow_vpc_id="vpc-1",\n', "\n"),
    "wrong_type": ("metadata_service_cpu=1024", 'metadata_service_cpu="1024"'),
    "bare_string": ('vpc_cidr_blocks=["10.0.0.0/16"]', 'vpc_cidr_blocks="10.0.0.0/16"'),
}


@pytest.fixture(scope="module")
def mypy_report(tmp_path_factory) -> dict[str, list[str]]:
    """{script name: mypy's error lines for it}, from one mypy run over the correct script and its
    copies with one mistake each."""
    scripts = tmp_path_factory.mktemp("typing")
    good = GOOD.read_text()
    (scripts / "good.py").write_text(good)
    for name, (right, wrong) in MISTAKES.items():
        assert right in good, f"{GOOD} no longer holds the text the {name} mistake replaces"
        (scripts / f"{name}.py").write_text(good.replace(right, wrong))
    for name, code in README_EXAMPLES.items():
        (scripts / f"{name}.py").write_text(code)
    cache = tmp_path_factory.mktemp("mypy-cache")
    run = subprocess.run(
        # this checkout's package, not whatever an editable install elsewhere points at; its own
        # errors are not the scripts' (silent), as for any installed package
        [sys.executable, "-m", "mypy", "--cache-dir", str(cache), "--no-error-summary", "--hide-error-context",
         "--follow-imports", "silent", *sorted(str(path) for path in scripts.glob("*.py"))],
        cwd=scripts, capture_output=True, text=True, env={**os.environ, "MYPYPATH": str(REPO_ROOT)},
    )
    assert run.returncode in (0, 1), run.stdout + run.stderr  # 2: mypy itself failed
    report: dict[str, list[str]] = {path.stem: [] for path in scripts.glob("*.py")}
    for line in run.stdout.splitlines():
        match = re.match(r".*?(\w+)\.py:\d+: error: (.*)", line)
        if match:
            report[match.group(1)].append(match.group(2))
    return report


def test_a_correct_script_is_clean(mypy_report):
    assert mypy_report["good"] == []


def test_readmes_examples_are_clean_as_pasted(mypy_report):
    assert len(README_EXAMPLES) >= 3  # Compose, the aws provider, the backend
    assert {name: mypy_report[name] for name in README_EXAMPLES} == {name: [] for name in README_EXAMPLES}


def test_a_misspelt_argument_is_reported(mypy_report):
    assert mypy_report["misspelt"] == [
        'Unexpected keyword argument "db_instnace_type" for "Datastore"; did you mean "db_instance_type"?  [call-arg]']


def test_a_missing_required_argument_is_reported(mypy_report):
    assert 'Missing named argument "metaflow_vpc_id" for "Datastore"  [call-arg]' in mypy_report["missing"]


def test_a_string_where_a_number_belongs_is_reported(mypy_report):
    assert mypy_report["wrong_type"] == [
        'Argument "metadata_service_cpu" to "MetadataService" has incompatible type "str"; expected "float | None"'
        "  [arg-type]"]


def test_a_bare_string_where_a_list_belongs_is_reported(mypy_report):
    assert mypy_report["bare_string"] == [
        'Argument "vpc_cidr_blocks" to "MetadataService" has incompatible type "str"; expected "list[str]"  [arg-type]']


def test_the_package_says_it_is_typed():
    from metaflow_cdktf.paths import PACKAGE_DIR

    assert (PACKAGE_DIR / "py.typed").is_file()
