"""The installable package: the wheel, installed where nothing of this repository is visible,
gives the constructs, the synthesized modules as package data, and the console script."""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
import textwrap
import venv
from pathlib import Path

import pytest

from metaflow_cdktf.lines import LINES
from metaflow_cdktf.modules import SPECS
from metaflow_cdktf.paths import module_file
from project import REPO_ROOT

APP = textwrap.dedent('''
    import json, sys
    from pathlib import Path

    from cdktf import App, TerraformStack

    import metaflow_cdktf
    from metaflow_cdktf import Datastore, MetadataService

    app = App(outdir="cdktf.out")
    stack = TerraformStack(app, "installed")
    datastore = Datastore(stack, "datastore", metadata_service_security_group_id="sg-1", metaflow_vpc_id="vpc-1",
                          resource_prefix="metaflow-", resource_suffix="-dev", standard_tags={},
                          subnet1_id="subnet-1", subnet2_id="subnet-2")
    MetadataService(stack, "service", access_list_cidr_blocks=[], database_password=datastore.database_password,
                    database_username=datastore.database_username,
                    datastore_s3_bucket_kms_key_arn=datastore.datastore_s3_bucket_kms_key_arn,
                    fargate_execution_role_arn="arn:aws:iam::123456789012:role/x", metaflow_vpc_id="vpc-1",
                    resource_prefix="metaflow-", resource_suffix="-dev",
                    rds_master_instance_endpoint=datastore.rds_master_instance_endpoint,
                    s3_bucket_arn=datastore.s3_bucket_arn, standard_tags={}, subnet1_id="subnet-1",
                    subnet2_id="subnet-2", vpc_cidr_blocks=["10.0.0.0/16"])
    app.synth()
    visible = []
    for name in ("modules", "stacks", "harness"):
        try:
            __import__(name)
            visible.append(name)
        except ImportError:
            pass
    print(json.dumps({"package": metaflow_cdktf.__file__, "repository_visible": visible}))
''')


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh virtualenv with the wheel installed; its dependencies are the test environment's,
    seen through a path entry (so nothing is downloaded) that is not the checkout."""
    root = tmp_path_factory.mktemp("package")
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(root / "dist"),
                            str(REPO_ROOT)], capture_output=True, text=True)
    assert build.returncode == 0, build.stderr
    (wheel,) = (root / "dist").glob("metaflow_cdktf-*.whl")
    venv.EnvBuilder(with_pip=False).create(root / "venv")
    python = root / "venv" / "bin" / "python"
    site_packages = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                                        capture_output=True, text=True, check=True).stdout.strip())
    # the dependencies (cdktf, the bindings); .pth files in that directory, the checkout's editable
    # install among them, are not processed, since it is a plain path entry, not a site directory
    (site_packages / "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    install = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
                              "--quiet", str(wheel)], capture_output=True, text=True)
    assert install.returncode == 0, install.stderr
    return root


def run_installed(installed: Path, command: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True,
                          env={"PATH": f"{installed / 'venv' / 'bin'}:/usr/bin:/bin", "HOME": str(cwd)})


def test_an_app_outside_the_repository_synthesizes_with_the_installed_constructs(installed, terraform, tmp_path):
    app = tmp_path / "app"
    app.mkdir()
    (app / "main.py").write_text(APP)
    run = run_installed(installed, [str(installed / "venv" / "bin" / "python"), "main.py"], app)
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout.strip().splitlines()[-1])
    assert Path(report["package"]).is_relative_to(installed / "venv")
    assert report["repository_visible"] == []

    stack = app / "cdktf.out" / "stacks" / "installed"
    service = json.loads((stack / "cdk.tf.json").read_text())["module"]["service"]
    assert (stack / service["source"] / "main.tf.json").is_file()
    result = terraform.validate(stack)
    assert result["valid"], terraform.format_diagnostics(result)
    assert result["warning_count"] == 0, terraform.format_diagnostics(result)


def test_the_console_script_is_the_command_line(installed, tmp_path):
    script = str(installed / "venv" / "bin" / "metaflow-cdktf")
    help_text = run_installed(installed, [script, "--help"], tmp_path)
    assert help_text.returncode == 0 and help_text.stdout.startswith("usage: metaflow-cdktf")
    # the packaged modules, READMEs and typed constructs are consistent with the packaged specs
    check = run_installed(installed, [script, "docs", "--check"], tmp_path)
    assert (check.returncode, check.stderr) == (0, "")


def test_the_wheel_carries_both_lines_trees(installed):
    (package,) = (installed / "venv").glob("lib/python*/site-packages/metaflow_cdktf")
    for line in LINES:
        tree = package / line.root.name
        assert {path.relative_to(tree) for path in tree.rglob("main.tf.json")} == {
            module_file(spec.name, Path(".")) for spec in SPECS}
