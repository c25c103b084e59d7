"""docs/adding-a-module.md, followed to the letter in a copy of the project: its files written as
the doc shows them, its registration made as the doc says, then one `synth` (which loads jsii in
a subprocess), `docs --check`, and mypy on a script using the new construct."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from project import REPO_ROOT, copy_project, run_main

DOC = (REPO_ROOT / "docs" / "adding-a-module.md").read_text()
# A file of the new package the doc shows whole: its path in backticks opening a paragraph, then
# its code block.
FILE_BLOCK = re.compile(r"^`(metaflow_cdktf/modules/\w+/\w+\.py)`[^\n]*(?:\n[^\n`][^\n]*)*\n\n```python\n(.*?)\n```",
                        re.M | re.S)
REGISTRY = Path("metaflow_cdktf/modules/__init__.py")


def files_the_doc_shows() -> dict[Path, str]:
    return {Path(path): text + "\n" for path, text in FILE_BLOCK.findall(DOC)}


def registration_the_doc_shows() -> tuple[str, str]:
    """The import line, and the name it tells to add at the end of SPECS."""
    block = DOC.split("## 2. ", 1)[1].split("```python\n", 1)[1].split("\n```", 1)[0]
    (import_line,) = [line for line in block.splitlines() if line.startswith("from ")]
    (specs_line,) = [line for line in block.splitlines() if line.startswith("SPECS = (")]
    last = re.fullmatch(r"SPECS = \(COMMON, \.\.\., USER_ROLE, (\w+)\)", specs_line)
    assert last, f"the doc's SPECS line no longer adds one spec at the end: {specs_line}"
    return import_line, last.group(1)


def register(registry: Path, import_line: str, name: str) -> None:
    text = registry.read_text()
    spec_imports = re.findall(r"^from metaflow_cdktf\.modules\.\w+\.spec import SPEC as \w+\n", text, re.M)
    text = text.replace(spec_imports[-1], spec_imports[-1] + import_line + "\n", 1)
    text, added = re.subn(r"^(SPECS = \(.*?)\)$", rf"\1, {name})", text, count=1, flags=re.M | re.S)
    assert added == 1
    registry.write_text(text)


def test_the_doc_shows_the_three_files_of_a_module():
    assert sorted(files_the_doc_shows()) == [Path("metaflow_cdktf/modules/my_bucket") / name
                                             for name in ("__init__.py", "build.py", "spec.py")]


@pytest.fixture(scope="module")
def added(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """The project copy with the doc's module added, and its `synth`."""
    project = copy_project(tmp_path_factory.mktemp("adding") / "project")
    for path, text in files_the_doc_shows().items():
        (project / path).parent.mkdir(parents=True, exist_ok=True)
        (project / path).write_text(text)
    register(project / REGISTRY, *registration_the_doc_shows())
    return project, run_main(project, "synth")


def test_synth_writes_the_new_module_on_both_lines_with_its_readme_and_construct(added):
    project, synth = added
    assert synth.returncode == 0, synth.stderr
    for tree in ("terraform", "terraform-aws6"):
        module = json.loads((project / tree / "modules" / "my-bucket" / "main.tf.json").read_text())
        assert set(module["resource"]["aws_s3_bucket"]) == {"this"}
        assert set(module["output"]) == {"bucket_arn"}
        readme = (project / tree / "modules" / "my-bucket" / "README.md").read_text()
        assert readme.startswith("# My Bucket\n") and readme.count("<!-- BEGIN_TF_DOCS -->") == 1
    constructs = (project / "metaflow_cdktf" / "module_constructs.py").read_text()
    assert "\nclass MyBucket(MetaflowModule):\n" in constructs and '    "MyBucket",\n]' in constructs


def test_docs_check_passes_after_the_synth(added):
    project, _ = added
    check = run_main(project, "docs", "--check")
    assert (check.returncode, check.stderr) == (0, "")


USE = """from cdktf import App, TerraformStack

from metaflow_cdktf import MyBucket

stack = TerraformStack(App(), "scratch")
bucket = MyBucket(stack, "scratch", resource_prefix="metaflow-", resource_suffix="-dev", standard_tags={}{extra})
arn: str = bucket.bucket_arn
"""


def test_mypy_sees_the_new_construct_with_its_arguments(added):
    project, _ = added
    (project / "uses_it.py").write_text(USE.replace("{extra}", ", force_destroy=True"))
    (project / "misspells_it.py").write_text(USE.replace("{extra}", ", force_destory=True"))
    # run in the copy: mypy finds the copy's package beside the scripts before the installed one
    run = subprocess.run([sys.executable, "-m", "mypy", "--cache-dir", str(project / ".mypy_cache"),
                          "--no-error-summary", "--hide-error-context", "uses_it.py", "misspells_it.py"],
                         cwd=project, capture_output=True, text=True)
    # the scripts' errors: the package's own are tests/test_typing.py's and CI's concern
    errors = [line for line in run.stdout.splitlines() if line.startswith(("uses_it.py", "misspells_it.py"))
              and ": error: " in line]
    assert errors == ['misspells_it.py:6: error: Unexpected keyword argument "force_destory" for "MyBucket"; '
                      'did you mean "force_destroy"?  [call-arg]'], run.stdout + run.stderr
