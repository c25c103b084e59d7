"""The installable package as users install it: the wheel in fresh virtualenvs, its dependencies
resolved from PyPI (harness/venvs.py), where nothing of the repository is visible.

- `pip install <wheel>`: what the constructs need at run time, nothing more. Its site-packages
  holds at most 40 MB; README's Compose example synthesizes there in at most 3 s, loads no provider
  binding, and its stack validates with Terraform; the console script's `docs --check` passes, and
  the commands that build the modules stop naming the extra they need.
- `pip install cdktn==0.24.0 <wheel>`: README's CDK Terrain example runs on cdktn alone (cdktf,
  installed as a dependency, is not loaded), type-checks there, and its stack validates.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest

from harness.venvs import Virtualenv, build_wheel, fresh_virtualenv, tree_size
from metaflow_cdktf.bench import compose_apps, readme_python_examples
from metaflow_cdktf.extras import INSTALL_HINT
from metaflow_cdktf.lines import LINES
from metaflow_cdktf.modules import SPECS
from metaflow_cdktf.paths import module_file
from project import REPO_ROOT

MAX_SITE_PACKAGES_BYTES = 40 * 10**6
MAX_COMPOSE_SECONDS = 3.0
CDKTN = "cdktn==0.24.0"
README = (REPO_ROOT / "README.md").read_text()
CDKTN_EXAMPLE = next(code for heading, code in readme_python_examples(README) if "from cdktn import" in code)

# Runs README's example, as `python app.py` would, then reports what the process loaded and whether
# the repository's own packages are importable (they must not be).
REPORTING_RUN = """
import json, runpy, sys
runpy.run_path("app.py", run_name="__main__")
loaded = sorted({name.split(".")[0] for name in sys.modules})
visible = []
for name in ("modules", "stacks", "harness"):
    try:
        __import__(name)
        visible.append(name)
    except ImportError:
        pass
print(json.dumps({"loaded": loaded, "visible": visible, "package": sys.modules["metaflow_cdktf"].__file__}))
"""


@pytest.fixture(scope="session")
def wheel(tmp_path_factory) -> Path:
    return build_wheel(REPO_ROOT, tmp_path_factory.mktemp("dist"))


@pytest.fixture(scope="session")
def installed(wheel, tmp_path_factory) -> Virtualenv:
    """`pip install <wheel>` in a fresh virtualenv."""
    return fresh_virtualenv(tmp_path_factory.mktemp("installed"), [str(wheel)])


@pytest.fixture(scope="session")
def cdktn_installed(wheel, tmp_path_factory) -> Virtualenv:
    """`pip install cdktn==0.24.0 <wheel>` in a fresh virtualenv."""
    return fresh_virtualenv(tmp_path_factory.mktemp("cdktn"), [CDKTN, str(wheel)])


def run_example(environment: Virtualenv, code: str, where: Path) -> tuple[dict, float]:
    """Run `code` as app.py in `where`, in `environment`; its report and the process's wall time."""
    where.mkdir(exist_ok=True)
    (where / "app.py").write_text(code)
    started = time.monotonic()
    run = environment.run([str(environment.python), "-c", REPORTING_RUN], where)
    elapsed = time.monotonic() - started
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.strip().splitlines()[-1]), elapsed


def provider_bindings(loaded: list[str]) -> list[str]:
    return [name for name in loaded if name.startswith(("cdktf_cdktf_provider", "cdktn_provider"))]


# --- the wheel alone ---------------------------------------------------------------------------------


def test_the_install_holds_at_most_40_mb_and_no_binding(installed):
    size = tree_size(installed.site_packages)
    pip_and_setuptools = sum(tree_size(path) for path in installed.site_packages.iterdir()
                             if path.name.split("-")[0] in ("pip", "setuptools", "_distutils_hack", "pkg_resources",
                                                            "distutils-precedence.pth"))
    print(f"site-packages: {size / 1e6:.1f} MB, of which pip and setuptools {pip_and_setuptools / 1e6:.1f} MB")
    assert size <= MAX_SITE_PACKAGES_BYTES, f"{size / 1e6:.1f} MB of site-packages (at most 40 MB)"
    distributions = installed.installed()
    assert distributions["cdktf"] == "0.21.0"
    assert not [name for name in distributions if name.startswith("cdktf-cdktf-provider") or name == "watchfiles"]


def test_readmes_compose_example_synthesizes_in_3_s_loading_no_binding(installed, terraform, tmp_path):
    compose = compose_apps(README)["compose"]
    # the first run also unpacks the core's jsii assembly into jsii's package cache (once a machine)
    report, first = run_example(installed, compose, tmp_path)
    timings = [run_example(installed, compose, tmp_path)[1] for _ in range(3)]
    print(f"README's Compose example in a fresh virtualenv: first run {first:.2f} s, then "
          f"{', '.join(f'{seconds:.2f}' for seconds in timings)} s")
    assert statistics.median(timings) <= MAX_COMPOSE_SECONDS, timings

    assert Path(report["package"]).is_relative_to(installed.root)
    assert report["visible"] == []
    assert provider_bindings(report["loaded"]) == [] and "cdktn" not in report["loaded"]
    stack = tmp_path / "cdktf.out" / "stacks" / "metaflow"
    document = json.loads((stack / "cdk.tf.json").read_text())
    assert document["terraform"]["required_providers"]["aws"] == {"source": "hashicorp/aws",
                                                                  "version": ">= 5.40.0, < 6.0.0"}
    assert (stack / document["module"]["metadata_service"]["source"] / "main.tf.json").is_file()
    result = terraform.validate(stack)
    assert result["valid"], terraform.format_diagnostics(result)
    assert result["warning_count"] == 0, terraform.format_diagnostics(result)


def test_the_console_script_checks_the_docs_without_the_extra(installed, tmp_path):
    script = str(installed.root / "bin" / "metaflow-cdktf")
    help_text = installed.run([script, "--help"], tmp_path)
    assert help_text.returncode == 0 and help_text.stdout.startswith("usage: metaflow-cdktf")
    # the packaged modules, READMEs and typed constructs are consistent with the packaged specs
    check = installed.run([script, "docs", "--check"], tmp_path)
    assert (check.returncode, check.stderr) == (0, "")


@pytest.mark.parametrize("command", [["synth"], ["synth", "--force"], ["watch"], ["bench", "--runs", "1"]])
def test_the_commands_that_build_the_modules_name_the_extra_they_need(installed, tmp_path, command):
    run = installed.run([str(installed.root / "bin" / "metaflow-cdktf"), *command], tmp_path)
    assert run.returncode == 1
    assert run.stderr.startswith(f"error: `{command[0]}` builds the modules, which needs the provider bindings and "
                                 f"watchfiles of the `synth` extra: {INSTALL_HINT} (not installed: "), run.stderr
    assert "cdktf-cdktf-provider-aws" in run.stderr and "watchfiles" in run.stderr


def test_the_wheel_carries_both_lines_trees(installed):
    package = installed.site_packages / "metaflow_cdktf"
    for line in LINES:
        tree = package / line.root.name
        assert {path.relative_to(tree) for path in tree.rglob("main.tf.json")} == {
            module_file(spec.name, Path(".")) for spec in SPECS}


# --- with CDK Terrain --------------------------------------------------------------------------------


def test_readmes_cdktn_example_runs_on_cdktn_alone_and_its_stack_validates(cdktn_installed, terraform, tmp_path):
    assert cdktn_installed.installed()["cdktn"] == "0.24.0"
    report, elapsed = run_example(cdktn_installed, CDKTN_EXAMPLE, tmp_path)
    print(f"README's CDK Terrain example: {elapsed:.2f} s (first run)")
    assert "cdktn" in report["loaded"]
    assert "cdktf" not in report["loaded"] and provider_bindings(report["loaded"]) == []
    stack = tmp_path / "cdktf.out" / "stacks" / "metaflow"
    document = json.loads((stack / "cdk.tf.json").read_text())
    assert document["//"]["metadata"]["version"] == "0.24.0"  # written by cdktn
    assert set(document["module"]) == {"datastore", "metadata_service"}  # module.<id>, as on cdktf
    assert document["output"]["service_url"]["value"] == "${module.metadata_service.METAFLOW_SERVICE_URL}"
    result = terraform.validate(stack)
    assert result["valid"], terraform.format_diagnostics(result)
    assert result["warning_count"] == 0, terraform.format_diagnostics(result)


def test_readmes_cdktn_example_type_checks_against_cdktn(cdktn_installed, tmp_path):
    right, wrong = 'vpc_cidr_blocks=["10.0.0.0/16"]', 'vpc_cidr_blocks="10.0.0.0/16"'
    assert CDKTN_EXAMPLE.count(right) == 1
    line = CDKTN_EXAMPLE[:CDKTN_EXAMPLE.index(right)].count("\n") + 1
    (tmp_path / "app.py").write_text(CDKTN_EXAMPLE)
    (tmp_path / "bare_string.py").write_text(CDKTN_EXAMPLE.replace(right, wrong))
    run = subprocess.run([sys.executable, "-m", "mypy", "--python-executable", str(cdktn_installed.python),
                          "--cache-dir", str(tmp_path / "mypy-cache"), "--no-error-summary", "--hide-error-context",
                          "app.py", "bare_string.py"], cwd=tmp_path, capture_output=True, text=True)
    assert run.returncode in (0, 1), run.stdout + run.stderr
    assert run.stdout.splitlines() == [
        f'bare_string.py:{line}: error: Argument "vpc_cidr_blocks" to "MetadataService" has incompatible type "str"; '
        'expected "list[str]"  [arg-type]']
