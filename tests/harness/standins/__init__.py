"""TEST-ONLY stand-ins for the hashicorp/archive, hashicorp/local and hashicorp/random providers.

Those providers are not mirrored on the test machines and nothing may be
downloaded, so tests install these Python programs (PyPI `tf` framework) under
the real providers' addresses in a filesystem mirror of their own. Terraform
cannot tell the difference: the schemas are the real ones, and the stand-ins
really write the zip and the local file and really generate random values.
"""

from __future__ import annotations

import importlib.util
import shlex
import sys
from pathlib import Path

from harness.terraform import provider_package_dir

# The versions the cdktf bindings in the Pipfile were generated for.
ARCHIVE_VERSION = "2.7.1"
RANDOM_VERSION = "3.7.2"
# No local binding is in the Pipfile: the version of the newest one for cdktf 0.21
# (cdktf-cdktf-provider-local 11.1.1), used by examples/ only.
LOCAL_VERSION = "2.6.1"

ARCHIVE_PROVIDER = "registry.terraform.io/hashicorp/archive"
RANDOM_PROVIDER = "registry.terraform.io/hashicorp/random"
LOCAL_PROVIDER = "registry.terraform.io/hashicorp/local"
STANDIN_PROVIDERS = (ARCHIVE_PROVIDER, RANDOM_PROVIDER, LOCAL_PROVIDER)

_HERE = Path(__file__).resolve().parent
_PROGRAMS = {
    ARCHIVE_PROVIDER: (ARCHIVE_VERSION, _HERE / "archive_provider.py"),
    RANDOM_PROVIDER: (RANDOM_VERSION, _HERE / "random_provider.py"),
    LOCAL_PROVIDER: (LOCAL_VERSION, _HERE / "local_provider.py"),
}


def launcher_script(program: Path) -> str:
    """A shell script that runs `program` as a module of this package with this interpreter, so the
    plugin sees this virtualenv's `tf` and the package's shared code."""
    search_path = str(_HERE.parent.parent)  # tests/, which holds the harness package
    return (
        "#!/bin/sh\n"
        "# TEST-ONLY provider stand-in written by tests/harness/standins (build_standin_mirror).\n"
        f"PYTHONPATH={shlex.quote(search_path)} "
        f'exec {shlex.quote(sys.executable)} -m harness.standins.{program.stem} "$@"\n'
    )


def build_standin_mirror(dest: Path) -> Path:
    """Lay out `dest` as an unpacked filesystem mirror holding the stand-ins; return `dest`.

    Gives dest/registry.terraform.io/hashicorp/{archive,random,local}/<version>/<os>_<arch>/
    terraform-provider-<name>_v<version>, each an executable launcher script.
    """
    if importlib.util.find_spec("tf.runner") is None:
        # Otherwise Terraform only reports that the plugin exited before its handshake.
        raise RuntimeError(
            f"The provider stand-ins need the PyPI package tf==1.2.0 in {sys.executable}'s environment "
            "(a dev dependency in the Pipfile: run `pipenv sync --dev`)."
        )
    dest = Path(dest)
    for address, (version, program) in _PROGRAMS.items():
        package = provider_package_dir(dest, address, version)
        package.mkdir(parents=True, exist_ok=True)
        launcher = package / f"terraform-provider-{address.rsplit('/', 1)[-1]}_v{version}"
        launcher.write_text(launcher_script(program))
        launcher.chmod(0o755)
    return dest
